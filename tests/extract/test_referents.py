"""Pronoun antecedents: one invented passage per rule family of :mod:`builder.extract.referents`."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract.referents import (
    _GENDERED_NOUNS,
    PronounScorer,
    Referents,
    _noun_before,
    _WrittenLower,
    both_cases,
    sentence_spans,
    words_pattern,
)


def referents_of(text: str) -> Referents:
    return Referents(text, sentence_spans(text, [(0, len(text))]))


def antecedent(text: str, pronoun: str, occurrence: int = 1) -> str | None:
    """The name ``pronoun`` (its ``occurrence``-th time as a whole word) resolves to, None when it abstains."""
    at = -1
    for _ in range(occurrence):
        at = text.index(f" {pronoun} ", at + 1) if f" {pronoun} " in text[at + 1 :] else text.index(pronoun, at + 1)
    start = at + 1 if text[at] == " " else at
    referent = PronounScorer(referents_of(text)).antecedent(start, start + len(pronoun))
    return None if referent is None else referent.name


def people(text: str) -> set[str]:
    return {r.name for r in referents_of(text).items if r.kind == "person"}


def test_a_lone_capitalised_word_is_a_person_only_when_it_acts_like_one() -> None:
    text = "The talks in Brussels ended on Monday. Officials from NATO met Jens Stoltenberg and envoys from Russia."
    assert people(text) == {"Jens Stoltenberg"}
    acting = "Officials praised Kowalczyk at length. Kowalczyk said the plan would work."
    assert [r.kind for r in referents_of(acting).items if r.name == "Kowalczyk"] == ["person", "person"]


def test_a_function_word_opening_a_run_is_no_part_of_the_name() -> None:
    text = "Marta Kowalczyk praised the plan. Unlike Brenda, Marta stayed in the city."
    assert "Unlike Brenda" not in people(text)


def test_the_last_of_a_list_of_names_is_no_subject() -> None:
    text = "The team included Ann Obi, Carla Ruiz, and Dora Vance. In 2004 Ella Stone won a medal. Later she retired."
    dora = next(r for r in referents_of(text).items if r.name == "Dora Vance")
    assert not dora.subject
    assert antecedent(text, "she") == "Ella Stone"


def test_an_object_pronoun_is_not_the_subject_of_its_clause() -> None:
    text = "Paul Brenner met Tom Keller in March. Paul Brenner thanked the staff and later hired him."
    assert antecedent(text, "him") == "Tom Keller"


def test_a_pronoun_in_a_relative_clause_stands_for_its_head() -> None:
    text = "Mark Dunn praised the report. The board then heard Peter Voss, who said his team had finished."
    assert antecedent(text, "his") == "Peter Voss"


def test_a_possessive_after_a_coordinated_name_stands_for_that_name() -> None:
    text = "Paul Brenner opened the show. The guests were Tom Keller and his brother."
    assert antecedent(text, "his") == "Tom Keller"


def test_a_pronoun_in_a_fronted_phrase_stands_for_the_subject_after_it() -> None:
    text = "Rita Lang led the first panel. In her review of the study, published in May, Nora Hale praised it."
    assert antecedent(text, "her") == "Nora Hale"


def test_a_pronoun_chain_keeps_to_the_person_it_is_about() -> None:
    text = (
        "Karl Weber joined the firm in 1990 and met Hans Roth there. "
        "His first project was a bridge. He later designed a tower."
    )
    assert antecedent(text, "His") == antecedent(text, "He") == "Karl Weber"


def test_a_gendered_noun_tells_the_gender() -> None:
    text = "Robin Ashe worked with Kim Dale, her husband. She later wrote a book about Robin Ashe."
    genders = {r.name: r.gender for r in referents_of(text).items}
    assert genders["Kim Dale"] == "m"


@pytest.mark.parametrize("pronoun", ["he", "she"])
def test_a_tie_abstains(pronoun: str) -> None:
    text = f"Sam Ellis and Alex Moray met in Oslo. Then {pronoun} left."
    assert antecedent(text, pronoun) is None


def test_a_long_article_full_of_pronouns_resolves_each_one_without_recursing() -> None:
    """Each pronoun's chain reads the earlier ones: resolved in a loop, 4,000 pronouns deep is no deeper a stack."""
    sentence = "Jens Stoltenberg met Mr. Putin in Oslo, and he said his talks with Russia went well. "
    text = sentence * 1000
    scorer = PronounScorer(referents_of(text))
    found = set()
    for at in range(0, len(text), len(sentence)):
        he = text.index(" he ", at) + 1
        referent = scorer.antecedent(he, he + 2)
        found.add(None if referent is None else referent.name)
    assert found == {"Jens Stoltenberg"}


def test_a_common_word_opening_a_sentence_is_no_person() -> None:
    assert people("Critics say the law is weak. Little is known about the vote.") == set()


def test_a_run_ending_in_a_common_noun_for_a_place_or_work_is_no_person() -> None:
    text = "Paul Brenner played at the Harbour Studio Theatre in Cork Valley."
    assert people(text) == {"Paul Brenner"}


def test_a_pronoun_in_an_apposition_stands_for_its_head() -> None:
    text = "Mark Dunn led the choir. Its star was Peter Voss, a singer closer to his mother than to anyone."
    assert antecedent(text, "his") == "Peter Voss"


def test_a_subject_pronoun_prefers_the_latest_subject() -> None:
    text = (
        "Karl Weber won the race in 1990. In 1991 Karl Weber crashed, and Hans Roth took over the team. "
        "In 1993 he won the title."
    )
    assert antecedent(text, "he") == "Hans Roth"


def test_a_word_the_passage_also_writes_in_lower_case_is_no_person() -> None:
    text = "Evidence was thin, and the evidence that came later was thinner. Jens Stoltenberg said so."
    assert people(text) == {"Jens Stoltenberg"}


def test_a_gerund_or_adverb_opening_a_quotation_is_no_person() -> None:
    text = 'Tessa Rowe said: "Accepting students from abroad helps." Sadly nobody listened.'
    assert people(text) == {"Tessa Rowe"}


def test_a_country_is_a_place_beside_its_adjective() -> None:
    text = "Britain has refused. The British envoy, Tom Keller, said it would wait."
    kinds = {r.name: r.kind for r in referents_of(text).items}
    assert kinds["Britain"] == "place"


def test_a_run_beside_a_place_name_is_no_person() -> None:
    text = "Tom Keller lives in London. London Underground staff went on strike."
    assert people(text) == {"Tom Keller"}


def test_a_reporting_pronoun_stands_for_the_last_quoted_speaker() -> None:
    text = (
        'Karl Weber opened the fair. "Prices will rise," said Hans Roth, an analyst at the bank. '
        '"They always do," he said.'
    )
    assert antecedent(text, "he") == "Hans Roth"


def test_a_lone_word_yields_to_a_named_person_of_the_pronouns_gender() -> None:
    text = "Kowalczyk has bought the firm. Jill Sutherland runs it, and she is pleased."
    assert antecedent(text, "she") == "Jill Sutherland"


def test_a_contraction_or_an_acronym_is_no_name() -> None:
    text = "Labour MP John Cryer spoke. I've seen it, he said."
    names = {r.name for r in referents_of(text).items}
    assert "Labour M" not in names
    assert "I've" not in names


def test_an_object_pronoun_is_not_who_its_clauses_subject_pronoun_is() -> None:
    text = "Paul Brenner praised Tom Keller, and Tom Keller says he will not let the row distract him."
    assert antecedent(text, "he") == "Tom Keller"  # "Smith says he …": the one who speaks
    assert antecedent(text, "him") == "Paul Brenner"


def test_a_title_after_the_or_a_plural_common_word_is_no_person() -> None:
    text = "Leo Marsh starred in the film The Aviator. Terrorists struck, and one terrorist fled."
    assert people(text) == {"Leo Marsh"}


@pytest.mark.parametrize(
    "text",
    [
        "Rita Lang sang too. Although she rarely sang lead, Nora Hale's harmonies were rich.",
        "Rita Lang sang too. But like many of her peers, Nora Hale was unknown.",
        "Rita Lang sang too. Early in her career, Nora Hale of the city choir sang lead.",
    ],
)
def test_cataphora_reaches_the_main_clause_after_the_fronted_phrase(text: str) -> None:
    assert antecedent(text, "her" if " her " in text else "she") == "Nora Hale"


def test_a_regnal_name_is_a_person() -> None:
    text = "Pope Gregory XV crowned the duke. Later Edward III met him."
    assert {"Gregory XV", "Edward III"} <= people(text)


def test_a_long_article_resolves_without_recursion() -> None:
    text = "Karl Weber met the board, and he said his plan would work. " * 1500
    last = text.rindex(" he ") + 1
    referent = PronounScorer(referents_of(text)).antecedent(last, last + 2)
    assert referent is not None and referent.name == "Karl Weber"


def test_a_name_opening_a_quotation_is_its_subject() -> None:
    text = 'Tom Keller spoke first, and Ian Dorr said: "Paul Brenner was the best of us."'
    paul = next(r for r in referents_of(text).items if r.name == "Paul Brenner")
    assert paul.subject


@pytest.mark.parametrize(
    "text",
    [
        "Tom Keller played at the Harbour Odeon in May.",
        "Tom Keller joined the Royal Coast Constabulary (RCC) in May.",
        'Tom Keller recorded "Silver Lake Morning" in May.',
        "Tom Keller read The Lost Garden Letters in May.",
        "Tom Keller fell ill. Four days later he recovered.",
    ],
)
def test_titles_institutions_and_numbers_are_no_persons(text: str) -> None:
    assert people(text) == {"Tom Keller"}


def test_a_title_before_a_name_leaves_it_the_subject() -> None:
    text = "The men fled, and Deputy Sheriff Cam Rowe caught Jed Vance in May."
    rowe = next(r for r in referents_of(text).items if r.name == "Cam Rowe")
    assert rowe.subject


def test_a_participle_opening_a_sentence_is_no_part_of_a_name() -> None:
    assert "Maya Karin" in people("Starring Maya Karin, the film opened in May.")


def test_a_subject_pronoun_after_a_fronted_phrase_is_no_cataphor() -> None:
    text = "Ida Marsh left Rome. In 1990 she moved to Paris, Nora Hale's home town."
    assert antecedent(text, "she") == "Ida Marsh"
    fronted = "Ida Marsh left Rome. When she was young, Nora Hale stayed."
    assert antecedent(fronted, "she") == "Nora Hale"


def test_a_role_noun_or_a_trailing_function_word_is_no_part_of_a_name() -> None:
    names = people("Reviewer Peter Vance liked it. Later Edward I and Ann Cole When asked agreed.")
    assert {"Peter Vance", "Edward I", "Ann Cole"} <= names
    assert people('Tom Keller sang "Give Me Time" in May.') == {"Tom Keller"}


# The patterns that open with a letter (words_pattern) and the look-ups made on demand (_WrittenLower, _noun_before)
# stand in for plainer forms that were slower; on any text they must find exactly what the plain forms find.
_TEXT = st.text(alphabet="hHsSeimrtoa ’'-_.,(1", max_size=40)
_WORDS = st.lists(st.text(alphabet="hHsSeimrto", min_size=1, max_size=6), min_size=1, max_size=5, unique=True)


@settings(deadline=None, max_examples=300)
@given(words=_WORDS, text=_TEXT, not_after=st.sampled_from([r"\w", r"[\w’'-]"]))
def test_words_pattern_finds_what_a_leading_look_behind_finds(words: list[str], text: str, not_after: str) -> None:
    longest_first = "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))
    plain = re.compile(rf"(?<!{not_after})(?:{longest_first})")
    fast = re.compile(words_pattern(words, not_after))
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_both_cases_adds_the_capitalised_form_once() -> None:
    assert both_cases(["he", "Its"]) == ["he", "He", "Its"]


@settings(deadline=None, max_examples=300)
@given(text=st.text(alphabet="abcAB ’'-_1é", max_size=40), word=st.text(alphabet="abcAé", min_size=1, max_size=3))
def test_a_word_is_written_in_lower_case_where_it_stands_alone_in_lower_case(text: str, word: str) -> None:
    listed = set(re.findall(r"(?<![\w'’-])[a-z]+(?![\w'’-])", text))
    assert (word in _WrittenLower(text)) == (word in listed)


@settings(deadline=None, max_examples=300)
@given(
    lead=st.text(alphabet="abx1_(—, ", max_size=12),
    noun=st.sampled_from(["wife", "Wife", "WIFE", "king", "King", "grandson", "son", "Madison", "fiancée"]),
    gap=st.sampled_from([" ", ", ", ",  ", "", "- "]),
)
def test_the_gendered_noun_before_a_name_is_the_whole_word_before_it(lead: str, noun: str, gap: str) -> None:
    text = f"{lead}{noun}{gap}Henrietta"
    nouns = "|".join(sorted(_GENDERED_NOUNS, key=len, reverse=True))
    plain = re.search(rf"\b({nouns}|{nouns.title()}),? $", text[: text.index("Henrietta")])
    assert _noun_before(text, text.index("Henrietta")) == (plain.group(1).lower() if plain else None)
