"""Every phrase of page furniture that cleaning knows is excluded as its kind: one line (or block) per phrase.

The furniture of :mod:`builder.clean` is written as patterns, one per kind, each a list of phrases joined by "|"
(share buttons, navigation, credits, newsletter sign-ups, donation appeals, comment forms, source URLs, editors'
notes), some with lists inside (the platforms of a share button, the marks that open a photo credit, the
headings of related links, the lines that open and close a donation appeal). ``clean_entries.json`` holds, for
each list, one line or block per phrase, put between two paragraphs of an article, and the spans cleaning
excludes after the title: ``[kind, text]``. Each was checked to change when its phrase is dropped from the
pattern (the line becomes a heading or body); the lists and the patterns are compared both ways, so a phrase
added needs a line here and a phrase dropped fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import clean
from builder.config import CleanConfig
from conftest import raw_article
from entry_cases import params, read_cases

CASES = read_cases(Path(__file__).with_name("clean_entries.json"))
ARTICLE = (
    "Minister opens bridge\n\nThe minister opened the bridge on Monday.\n\n{}\n\nTraffic will flow from Tuesday.\n"
)

# Patterns that are a list of phrases and nothing else: the furniture of each kind, and a donation appeal's ends.
FURNITURE = {kind.value: pattern.pattern for kind, pattern in clean._FURNITURE}
BLOCK_ENDS = {"_DONATION_OPENER": clean._DONATION_OPENER.pattern, "_DONATION_CLOSER": clean._DONATION_CLOSER.pattern}
# Lists inside a pattern: (the pattern, how the list is written in it)
INNER: dict[str, tuple[str, str]] = {
    "share platforms": (FURNITURE["share"], "(?:{})?"),
    "share ways": (FURNITURE["share"], "share(?:{})?"),
    "photo credit marks": (FURNITURE["photo_credit"], "\\(?\\s*(?:{})"),
    "newsletter calls": (FURNITURE["newsletter"], "\\b(?:{})\\b"),
    "related openers": (clean._RELATED_OPENER.pattern, "(?:{})\\s*:?"),
    "related kinds": (clean._RELATED_OPENER.pattern, "related(?:{})?"),
}


def excluded_after_title(lines: str) -> list[list[str]]:
    """The spans cleaning excludes from an article holding ``lines`` between two paragraphs, but its title."""
    text = ARTICLE.format(lines)
    article = clean.clean_article(raw_article(text), CleanConfig())
    spans = [[span.kind.value, text[span.start : span.end]] for span in article.excluded]
    assert spans[0] == ["title", "Minister opens bridge"]
    return spans[1:]


@pytest.mark.parametrize(("lines", "expected"), params(CASES, *FURNITURE))
def test_each_furniture_phrase_is_excluded_as_its_kind(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), params(CASES, "share platforms", "share ways"))
def test_a_share_button_for_each_platform_is_excluded(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), params(CASES, "photo credit marks"))
def test_a_photo_credit_is_excluded_whichever_mark_opens_it(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), params(CASES, "newsletter calls"))
def test_a_line_about_the_newsletter_is_excluded_whichever_call_follows(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), params(CASES, "related openers", "related kinds"))
def test_a_related_links_heading_takes_the_headlines_after_it(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize(("lines", "expected"), params(CASES, "_DONATION_OPENER", "_DONATION_CLOSER"))
def test_a_donation_appeal_runs_from_its_opening_line_to_its_closing_one(lines, expected):
    assert excluded_after_title(lines) == expected


@pytest.mark.parametrize("kind", [*FURNITURE, *BLOCK_ENDS])
def test_every_phrase_of_a_pattern_has_a_line_and_every_line_a_phrase(kind):
    assert "|".join(CASES[kind]) == {**FURNITURE, **BLOCK_ENDS}[kind]


@pytest.mark.parametrize("group", INNER)
def test_every_phrase_of_a_list_inside_a_pattern_has_a_line_and_every_line_a_phrase(group):
    pattern, written = INNER[group]
    assert written.format("|".join(CASES[group])) in pattern


def test_every_list_has_its_lines():
    assert set(CASES) == set(FURNITURE) | set(BLOCK_ENDS) | set(INNER)
