"""Standalone claims: a claim's references replaced by what its article says they stand for.

The references resolved, each from what the article names before it (:class:`~.speakers.People`, the same
resolver the speakers come from):

* a third-person personal pronoun or possessive ("he", "him", "his", "she", "her", "hers") → the person's full
  name (":data:`his` → "Jens Stoltenberg’s"), chosen by :class:`~.referents.PronounScorer`; inside a quotation
  never the quotation's own speaker (a speaker says "I", not "he"); "she" for a country ("Russia is our
  neighbour, she’s not going anywhere") only when the clause before names that country and no woman;
* "its" → the organisation or place that is the subject of its sentence or of the sentence before;
* a person's short name ("Stoltenberg", "Mr. Stoltenberg"), at its first use in the claim → the full name the
  article gave ("Jens Stoltenberg");
* a definite description: "the alliance" → the one organisation the article calls an alliance ("the NATO
  alliance", "NATO, the military alliance"); a role ("the secretary-general") → the one person the article
  gives it.

What stays as written: first person and "you" (the speaker and the interviewer say who), "it" (mostly no
reference at all: "it is likely"), "they"/"them"/"their" (a group, rarely named), reflexives, and any
reference the resolver is unsure of. A third-person reference left unresolved ("he", "she", "his", "her",
"its", "they", "them", "their") sets ``needs_context``.

Grammar stays right: a possessive pronoun becomes a possessive name (with the apostrophe the article uses), a
contraction its full verb ("she’s" → "Russia is", "he’d been" → "… had been"); every replacement is a name,
so one at the start of a sentence starts with a capital as the pronoun did.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.extract.document import Document
from builder.extract.names import ROLE_WORDS
from builder.extract.referents import PronounScorer, Referent, Referents, pronoun_role, sentence_spans
from builder.extract.speakers import People
from builder.models import Resolution, ResolutionKind
from builder.models.published import apply_resolutions
from builder.text import MASK

__all__ = ["ClaimResolutions", "ClaimSpan", "PassageResolver", "resolve_passage"]

_THIRD_PERSON = re.compile(
    r"(?<![\w’'-])(?:[Hh]e|[Ss]he|[Hh]im|[Hh]is|[Hh]er|[Hh]ers|[Ii]ts|[Tt]hey|[Tt]hem|[Tt]heir|[Tt]heirs)"
    r"(?:['’](?:s|d|ll|re|ve)\b)?(?![\w’'-])"
)
_PERSONAL = frozenset({"he", "she", "him", "his", "her", "hers"})
_FLAGGED = frozenset({"he", "she", "him", "his", "her", "hers", "its", "they", "them", "their", "theirs"})
_ORGANISATION_NOUNS = (
    "alliance bloc company firm bank party group organisation organization union ministry agency club team "
    "league council committee commission government federation coalition network corporation institute".split()
)
_DESCRIPTION = re.compile(
    r"(?<![\w-])([Tt]he) (?:(?:new|former|current|outgoing|incoming|acting|western|military|defence|defense|"
    r"security|political|Western|Atlantic|US-led|U\.S\.-led) )?("
    + "|".join(sorted({*_ORGANISATION_NOUNS, *ROLE_WORDS}, key=len, reverse=True))
    + r")(?![\w-])",
    re.IGNORECASE,
)
_GROUP = re.compile(r"\b[a-z]{3,}(?<!ss)(?<!us)(?<!is)(?<!as)s\b")  # a plural noun ("countries", "members")
_SPECIFIED = re.compile(r"(?: of\b| for\b| [A-Z])")
_APPOSED = re.compile(r"[A-Z][\w.’'-]*, $")
_PERFECT = re.compile(r" +(?:been|got|had|done|gone|seen|made|taken|said|told|become|[a-z]+ed)\b")


@dataclass(frozen=True, slots=True)
class ClaimSpan:
    """A stretch to resolve: its raw span and who speaks in it (a quotation's speaker is no antecedent of its
    own "he"); ``spoken`` when the whole stretch is a quotation or an answer; ``reporter``, for reported speech,
    the span of the noun phrase (not a name, not a pronoun) that says it. A claim leaves a pronoun whose
    antecedent it names itself ("Smith said his …"); a passage (``every``) resolves every reference."""

    start: int
    end: int
    speaker: str | None = None
    spoken: bool = False
    every: bool = False
    reporter: tuple[int, int] | None = None  # the phrase that reports it: "The farmers" (said they …)


@dataclass(frozen=True, slots=True)
class ClaimResolutions:
    """The resolutions of one stretch, and whether a third-person reference in it stayed unresolved."""

    resolutions: tuple[Resolution, ...]
    needs_context: bool


class PassageResolver:
    """Resolves the references of stretches of one article's view against what the article names."""

    def __init__(self, document: Document, people: People) -> None:
        view = self.view = document.view
        self.masked = document.masked
        self.people = people
        self.referents = people.referents or Referents(view, sentence_spans(view, document.paragraphs))
        self.scorer = PronounScorer(self.referents)
        self.apostrophe = "’" if view.count("’") > view.count("'") else "'"
        self._full_names = _full_name_spans(self.referents.items)
        self._starts = [referent.start for referent in self.referents.items]

    def _canonical(self, referent: Referent) -> str:
        """The full name of a person the article names ("Mr. Putin" → "Vladimir Putin"), else the name."""
        return self.people.canonical(referent.name) if referent.kind == "person" else referent.name

    def _between(self, start: int, end: int) -> list[Referent]:
        items = self.referents.items
        low, high = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [referent for referent in items[low:high] if referent.end <= end]

    def resolve(self, span: ClaimSpan) -> ClaimResolutions:
        found: list[Resolution] = []
        unresolved = False
        named: set[str] = set()
        for reference in self._references(span):
            start, end, kind = reference
            resolution: Resolution | None
            if kind == "pronoun" and (reported := self._reported(start, end, span)) is not None:
                found.append(reported)
                continue
            if kind == "pronoun":
                referent = self._antecedent(start, end, span)
                word = self.view[start:end].lower().replace("’", "'").split("'")[0]
                if referent is not None and not span.every and self._named(referent, named, span.start, start):
                    continue  # "Smith said his …": the claim names him already
                resolution = None if referent is None else self._pronoun(start, end, referent)
                if resolution is None and word in _FLAGGED and not self._group_named(word, span.start, start):
                    unresolved = True
            elif kind == "name":
                resolution = self._name(start, end, named)
            else:
                resolution = self._description(start, end)
            if resolution is not None:
                found.append(resolution)
                named.add(resolution.replacement.removesuffix(f"{self.apostrophe}s"))
            if kind == "name" or resolution is not None:
                named.update(self._canonical(referent) for referent in self._between(start, end))
        return ClaimResolutions(tuple(found), unresolved)

    def _named(self, referent: Referent, named: set[str], start: int, end: int) -> bool:
        """Whether the claim names ``referent`` before ``end``, itself or by a replacement made."""
        name = self._canonical(referent)
        return name in named or any(self._canonical(r) == name for r in self._between(start, end))

    def _references(self, span: ClaimSpan) -> list[tuple[int, int, str]]:
        references: list[tuple[int, int, str]] = []
        for found in _THIRD_PERSON.finditer(self.view, span.start, span.end):
            references.append((found.start(), found.end(), "pronoun"))
        for referent in self._between(span.start, span.end):
            if referent.kind == "person":
                references.append((referent.start, referent.end, "name"))
        for found in _DESCRIPTION.finditer(self.view, span.start, span.end):
            references.append((found.start(), found.end(), "description"))
        references.sort()
        kept: list[tuple[int, int, str]] = []
        for reference in references:
            if kept and reference[0] < kept[-1][1]:
                continue
            kept.append(reference)
        return kept

    def _group_named(self, word: str, start: int, end: int) -> bool:
        """ "Russia has to change their actions": a plural pronoun after something the claim names itself."""
        return word in {"they", "them", "their", "theirs"} and (
            bool(self._between(start, end)) or _GROUP.search(self.view, start, end) is not None
        )

    def _reported(self, start: int, end: int, span: ClaimSpan) -> Resolution | None:
        """ "The farmers say they will keep protesting": "they" opening what a group reports is that group."""
        if span.reporter is None or start != span.start:
            return None
        word, _, contraction = self.view[start:end].replace("’", "'").partition("'")
        if word.lower() != "they":
            return None
        phrase = self.view[span.reporter[0] : span.reporter[1]]
        if word.islower() and phrase.split(" ", 1)[0] in {"The", "Many", "Some", "Most", "Several"}:
            phrase = phrase[0].lower() + phrase[1:]
        replacement = f"{phrase} {_verb(contraction.lower(), self.view, end)}" if contraction else phrase
        return self._resolution(start, end, replacement, *span.reporter, ResolutionKind.PRONOUN)

    def _antecedent(self, start: int, end: int, span: ClaimSpan) -> Referent | None:
        word = self.view[start:end].replace("’", "'").partition("'")[0]
        lower = word.lower()
        quoted = span.spoken or self.masked[start] == MASK
        exclude = frozenset({span.speaker}) if quoted and span.speaker else frozenset()
        if lower in _PERSONAL:
            referent = self.scorer.antecedent(start, start + len(word), exclude)
            if referent is None and lower in {"she", "her"}:
                referent = self._country(start)
            return referent
        return self._organisation(start) if lower == "its" else None

    def _pronoun(self, start: int, end: int, referent: Referent) -> Resolution:
        word, _, contraction = self.view[start:end].replace("’", "'").partition("'")
        lower = word.lower()
        name = self._canonical(referent)
        role = pronoun_role(self.view, start, start + len(word))
        if role == "possessive" or lower == "hers":
            replacement = f"{name}{self.apostrophe}s"
        elif contraction:
            replacement = f"{name} {_verb(contraction.lower(), self.view, end)}"
        else:
            replacement = name
        return self._resolution(start, end, replacement, referent.start, referent.end, ResolutionKind.PRONOUN)

    def _country(self, start: int) -> Referent | None:
        """ "Russia is our neighbour, she’s …": the place the clause before is about, when no woman is named."""
        earlier = [r for r in self.referents.in_sentence(start) if r.end <= start]
        if not earlier or any(r.kind == "person" and r.gender != "m" for r in earlier):
            return None
        last = earlier[-1]
        return last if last.kind == "place" and last.subject else None

    def _organisation(self, start: int) -> Referent | None:
        """ "its": the organisation or place that is the subject of its sentence, before it; else the one
        subject of the sentence before, when there is one."""
        sentence = self.referents.sentence_of(start)
        earlier = [r for r in self.referents.before(start, 1) if r.subject]
        here = [r for r in earlier if r.sentence == sentence]
        if here:
            return here[-1] if here[-1].kind in {"organisation", "place"} else None
        before = {r.name: r for r in earlier if r.sentence == sentence - 1}
        if len(before) == 1:
            (only,) = before.values()
            return only if only.kind in {"organisation", "place"} else None
        return None

    def _name(self, start: int, end: int, named: set[str]) -> Resolution | None:
        """A short name's first use in the claim → the full name, when the article gave it before."""
        referent = next((r for r in self._between(start, end) if r.start == start), None)
        if referent is None:
            return None
        name = self._canonical(referent)
        if name in named or name == self.view[start:end]:
            return None
        full = self._full_names.get(name)
        if full is None or full[0] >= start:
            return None
        return self._resolution(start, end, name, full[0], full[1], ResolutionKind.NAME)

    def _description(self, start: int, end: int) -> Resolution | None:
        """ "the alliance" → the one organisation the article calls so; "the secretary-general" → the one person
        the article gives that role."""
        found = _DESCRIPTION.match(self.view, start, end)
        if found is None or _SPECIFIED.match(self.view, end) or _APPOSED.search(self.view, max(0, start - 40), start):
            # "the President of the United States", "the secretary general Jens Stoltenberg", "NATO, the alliance":
            # the words say who already
            return None
        noun = found.group(2).lower()
        if noun in _ORGANISATION_NOUNS:
            tied = _organisations_called(self.view, noun, start)
            if len(tied) != 1:
                return None
            ((name, (tie_start, tie_end)),) = tied.items()
            return self._resolution(start, end, name, tie_start, tie_end, ResolutionKind.DESCRIPTION)
        holder = self.people.role_holder(noun.replace("-", " "))
        named = self._full_names.get(holder) if holder else None
        if holder is None or named is None or named[0] >= start:
            return None
        return self._resolution(start, end, holder, named[0], named[1], ResolutionKind.DESCRIPTION)

    def _resolution(
        self, start: int, end: int, replacement: str, antecedent_start: int, antecedent_end: int, kind: ResolutionKind
    ) -> Resolution:
        return Resolution(
            start=start,
            end=end,
            mention=self.view[start:end],
            replacement=replacement,
            antecedent_start=antecedent_start,
            antecedent_end=antecedent_end,
            kind=kind,
        )


def _verb(contraction: str, view: str, end: int) -> str:
    """The verb a contraction stands for: "’s" is "has" before a participle ("she’s been"), else "is"."""
    perfect = _PERFECT.match(view, end) is not None
    if contraction == "s":
        return "has" if perfect else "is"
    if contraction == "d":
        return "had" if perfect else "would"
    return {"ll": "will", "re": "are", "ve": "have"}[contraction]


def _full_name_spans(referents: Iterable[Referent]) -> dict[str, tuple[int, int]]:
    """Where the article first writes each person's full name."""
    spans: dict[str, tuple[int, int]] = {}
    for referent in referents:
        written_in_full = referent.end - referent.start == len(referent.name)
        if referent.kind == "person" and " " in referent.name and referent.name not in spans and written_in_full:
            spans[referent.name] = (referent.start, referent.end)
    return spans


def _organisations_called(view: str, noun: str, before: int) -> dict[str, tuple[int, int]]:
    """Organisations the article calls ``noun`` before ``before``: "the NATO alliance", "NATO, the Western military
    alliance", "NATO is the strongest alliance"."""
    tied: dict[str, tuple[int, int]] = {}
    patterns = (
        rf"\b[Tt]he ((?:[A-Z][\w.&-]*|of)(?: (?:[A-Z][\w.&-]*|of))*) {noun}\b",
        rf"\b([A-Z]{{2,6}}|[A-Z][a-z]+(?: [A-Z][a-z]+)*), (?:the|a|an) (?:[\w-]+ ){{0,4}}{noun}(?=[,.;)])",
        rf"\b([A-Z]{{2,6}}|[A-Z][a-z]+(?: [A-Z][a-z]+)*) (?:is|was|remains) (?:the|a|an) (?:[\w-]+ ){{0,4}}{noun}\b",
    )
    for pattern in patterns:
        for found in re.finditer(pattern, view[:before]):
            name = found.group(1)
            if name.split()[0] in {"The", "A", "An", "This", "That"} or name.lower() == "of":
                continue
            tied.setdefault(name, found.span(1))
    return tied


def resolve_passage(text: str) -> tuple[str, tuple[Resolution, ...]]:
    """The standalone text of a passage read on its own (one paragraph, no speaker), and its resolutions."""
    document = Document.from_spans(text, [(0, len(text))] if text.strip() else [])
    resolved = PassageResolver(document, People.of(document)).resolve(ClaimSpan(0, len(text), every=True))
    return apply_resolutions(text, 0, list(resolved.resolutions)), resolved.resolutions
