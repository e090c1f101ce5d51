"""Standalone claims: one invented article per rule family of :mod:`builder.extract.standalone`, read through the
build's own extraction (``claims_of``) or a passage (``resolve_passage``), and properties of every result."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract.standalone import resolve_passage
from builder.models import Claim, ResolutionKind
from builder.models.published import apply_resolutions
from extract.test_extract import claims_of


def claim_with(claims: list[Claim], words: str) -> Claim:
    (claim,) = [claim for claim in claims if words in claim.text]
    return claim


def standalone(text: str) -> str:
    return resolve_passage(text)[0]


# Pronouns


def test_a_pronoun_whose_person_the_article_named_before_becomes_the_full_name() -> None:
    claims = claims_of(
        "Clinic faces cuts\n\nAnna Berg runs the town's only clinic. She has treated 300 patients a week since "
        "2004, twice the number the council pays for."
    )
    claim = claim_with(claims, "300 patients")
    assert claim.standalone.startswith("Anna Berg has treated 300 patients")
    (resolution,) = claim.resolutions
    assert (resolution.mention, resolution.replacement, resolution.kind) == ("She", "Anna Berg", ResolutionKind.PRONOUN)
    assert claim.needs_context is False


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("She’s been there for years.", "Anna Berg has been there for years."),
        ("She’s angry.", "Anna Berg is angry."),
        ("She’d go back.", "Anna Berg would go back."),
        ("She’d gone back.", "Anna Berg had gone back."),
        ("She’ll go back.", "Anna Berg will go back."),
    ],
)
def test_a_contraction_becomes_its_full_verb(sentence: str, expected: str) -> None:
    assert standalone(f"Anna Berg runs the clinic. {sentence}") == f"Anna Berg runs the clinic. {expected}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Berg runs the clinic. Her budget is small.", "Anna Berg's budget is small."),
        ("Anna Berg runs the clinic. Her budget is small, and it’s Anna’s.", "Anna Berg’s budget is small"),
        ("Tom Hale runs the clinic. His budget is small.", "Tom Hale's budget is small."),
    ],
)
def test_a_possessive_becomes_a_possessive_name_with_the_articles_apostrophe(text: str, expected: str) -> None:
    assert expected in standalone(text)


def test_an_object_pronoun_in_an_answer_is_the_person_the_question_named() -> None:
    claims = claims_of(
        "Interview with the mayor\n\nReporter: When did you last speak with Mr. Dale Harmon?\n\n"
        "Lena Ivers: I met him in June, when I was still the city's treasurer."
    )
    claim = claim_with(claims, "I met him")
    assert claim.speaker == "Lena Ivers"
    assert claim.standalone.startswith("I met Dale Harmon in June")  # "I" stays: the speaker says who


def test_a_he_inside_a_quotation_is_never_its_own_speaker() -> None:
    claims = claims_of(
        "Board row\n\nThomas Hale and Peter Mol sit on the board. “He is wrong about the budget,” Peter Mol said."
    )
    claim = claim_with(claims, "wrong about the budget")
    assert claim.speaker == "Peter Mol"
    assert claim.standalone.startswith("Thomas Hale is wrong")


def test_first_person_and_you_stay_as_said() -> None:
    claims = claims_of(
        'Mayor speaks\n\nLena Ivers runs the city. "I told you we would fix the roads," Lena Ivers said on Monday.'
    )
    claim = claim_with(claims, "I told you")
    assert claim.standalone == claim.text and claim.resolutions == []


def test_she_for_a_country_the_clause_before_names() -> None:
    text = "Relations are cold. “Russia is our neighbour, she’s not going anywhere,” the envoy said."
    assert "Russia is our neighbour, Russia is not going anywhere" in standalone(text)


def test_she_is_no_country_when_the_sentence_names_a_woman() -> None:
    text = "Anna Berg flew to Russia. Russia is big, she said in Oslo."
    assert "Russia is big, Russia said" not in standalone(text)


def test_its_is_the_organisation_its_sentence_is_about() -> None:
    claims = claims_of(
        "Alliance grows\n\nNATO wants calm relations with Moscow even as it increases its presence in its member "
        "states, an official said. The move follows months of talks."
    )
    claim = claim_with(claims, "increases its presence")
    assert claim.resolutions == [] and claim.needs_context is False  # NATO is named in the claim itself


def test_a_pronoun_the_claim_itself_names_the_antecedent_of_stays() -> None:
    claims = claims_of("Budget\n\nTom Hale runs the clinic. Tom Hale has cut his budget by a third since 2004.")
    claim = claim_with(claims, "cut his budget")
    assert claim.standalone == claim.text and claim.needs_context is False


def test_a_possessive_in_reported_speech_is_the_speaker_the_claim_leaves_out() -> None:
    claims = claims_of("Budget\n\nTom Hale runs the clinic. Tom Hale said on Monday that his budget was too small.")
    claim = claim_with(claims, "budget was too small")
    assert claim.text.startswith("his budget")
    assert claim.standalone.startswith("Tom Hale's budget")


def test_an_unsure_pronoun_stays_and_flags_the_claim() -> None:
    claims = claims_of("Budget\n\nThe clinic is small. He has run it since 2004 on half the money it needs.")
    claim = claim_with(claims, "since 2004")
    assert claim.standalone == claim.text
    assert claim.needs_context is True


def test_they_opening_what_a_group_reports_is_that_group() -> None:
    claims = claims_of("Talks\n\nMinisters met. The farmers have said for weeks that they will keep protesting.")
    claim = claim_with(claims, "they will keep")
    assert claim.standalone == "the farmers will keep protesting"
    assert claim.needs_context is False


def test_they_after_a_group_the_claim_names_does_not_flag() -> None:
    claims = claims_of("Talks\n\nMinisters met. The farmers and their unions have blocked the road since May.")
    claim = claim_with(claims, "blocked the road")
    assert claim.needs_context is False


def test_they_with_nothing_named_before_flags() -> None:
    claims = claims_of("Talks\n\nMinisters met on Monday. Still, they will not pay for the new road.")
    claim = claim_with(claims, "new road")
    assert claim.needs_context is True


def test_it_never_flags() -> None:
    claims = claims_of("Talks\n\nMinisters met on Monday. It is likely that the talks will fail, Jon Lie said.")
    claim = claim_with(claims, "It is likely")
    assert claim.needs_context is False and claim.resolutions == []


# Names


def test_a_short_names_first_use_becomes_the_full_name_the_article_gave() -> None:
    claims = claims_of(
        "Stoltenberg takes over\n\nJens Stoltenberg of Norway took over at NATO on Monday.\n\n"
        "Stoltenberg, 55, who in his youth was an anti-war activist, is known for his skill at compromise."
    )
    claim = claim_with(claims, "anti-war activist")
    assert claim.standalone.startswith("Jens Stoltenberg, 55, who in his youth")  # "his": named in the claim now
    (resolution,) = claim.resolutions
    assert resolution.kind is ResolutionKind.NAME
    assert claim.text[: resolution.end - resolution.start] == "Stoltenberg"


def test_a_short_name_after_the_full_name_in_the_same_claim_stays() -> None:
    text = "Jens Stoltenberg of Norway took over at NATO on Monday; Stoltenberg is 55."
    assert standalone(text) == text


def test_a_short_name_shared_by_two_full_names_stays() -> None:
    text = "Anna Berg and Olle Berg run the clinic. Later, Berg said the clinic would close."
    assert "Later, Berg said" in standalone(text)


# Descriptions


def test_a_description_the_article_ties_to_one_organisation_becomes_its_name() -> None:
    claims = claims_of(
        "Alliance\n\nRelations between Moscow and the NATO alliance are at a low, officials said.\n\n"
        "Aiming to reassure its allies, the alliance has adopted a plan for a rapid reaction force."
    )
    claim = claim_with(claims, "adopted a plan")
    assert "NATO has adopted a plan" in claim.standalone
    (resolution,) = claim.resolutions
    assert resolution.kind is ResolutionKind.DESCRIPTION and resolution.mention == "the alliance"


def test_a_description_two_organisations_share_stays() -> None:
    text = "NATO, the military alliance, met. The EU, the political alliance, met too. The alliance said no."
    assert standalone(text) == text  # an apposition is never replaced, and "the alliance" is either


def test_a_role_the_article_gives_one_person_becomes_that_person() -> None:
    assert standalone("Gordon Brown, the chancellor, spoke. Later the chancellor said no.").endswith(
        "Later Gordon Brown said no."
    )


def test_a_role_followed_by_what_specifies_it_stays() -> None:
    text = "Gordon Brown, the chancellor, spoke. The chancellor of Germany did not."
    assert standalone(text).endswith("The chancellor of Germany did not.")


# Properties


def test_a_claim_with_nothing_to_resolve_is_its_own_standalone() -> None:
    claims = claims_of("Rates\n\nThe central bank raised rates by half a point on Monday, the bank said.")
    assert claims and all(c.standalone == c.text and c.resolutions == [] for c in claims if "raised" in c.text)


_WORDS = st.sampled_from(
    ["Anna Berg", "Tom Hale", "NATO", "the alliance", "she", "She’s", "he", "his", "Her", "its", "they", "runs",
     "said", "the clinic", "Berg", "Hale", ",", ".", "“", "”", "and", "in", "Norway", "the chancellor", "\n\n"]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.lists(_WORDS, min_size=1, max_size=40))
def test_every_resolution_is_an_exact_slice_and_applies_to_standalone(words: list[str]) -> None:
    text = " ".join(words)
    result, resolutions = resolve_passage(text)
    for resolution in resolutions:
        assert text[resolution.start : resolution.end] == resolution.mention
        assert 0 <= resolution.antecedent_start < resolution.antecedent_end <= len(text)
    assert [r.start for r in resolutions] == sorted(r.start for r in resolutions)
    assert result == apply_resolutions(text, 0, list(resolutions))
    if not resolutions:
        assert result == text


@settings(deadline=None, max_examples=200)
@given(st.lists(_WORDS, min_size=3, max_size=40))
def test_every_built_claim_carries_its_standalone(words: list[str]) -> None:
    text = "Headline\n\n" + " ".join(words)
    for claim in claims_of(text):
        assert claim.standalone == apply_resolutions(claim.text, claim.char_start, claim.resolutions)
        for resolution in claim.resolutions:
            assert claim.char_start <= resolution.start < resolution.end <= claim.char_end
            assert text[resolution.start : resolution.end] == resolution.mention


# The build's precision: a claim's pronoun is replaced only when the article leaves no doubt


def test_a_claims_pronoun_between_two_men_stays_and_flags_while_a_passage_takes_the_scorers_choice() -> None:
    text = "Budget\n\nThomas Hale met Peter Mol on Monday. He has run the clinic since 2004 on half its budget."
    claim = claim_with(claims_of(text), "since 2004")
    assert claim.standalone == claim.text and claim.needs_context is True
    passage = text.split("\n\n")[1]
    assert standalone(passage) != passage  # the scorer still picks one for a passage


def test_a_claims_pronoun_is_no_name_of_unknown_gender() -> None:
    claim = claim_with(
        claims_of("Cup\n\nRovington Dale beat Thomas Hale in the cup on Monday. He has not lost at home since 2004."),
        "not lost",
    )
    assert claim.resolutions == [] and claim.needs_context is True


def test_a_claims_pronoun_is_no_one_the_article_names_without_a_full_name() -> None:
    claim = claim_with(
        claims_of("Row\n\nMr Hale met Peter Mol on Monday. Later he signed the deal for the clinic in Leeds."),
        "signed the deal",
    )
    assert claim.resolutions == []


def test_a_described_rival_keeps_the_pronoun() -> None:
    claim = claim_with(
        claims_of(
            "Final\n\nThomas Hale lost to a younger man in the final. The player served well, and he won the "
            "second set in under an hour."
        ),
        "second set",
    )
    assert all(r.replacement != "Thomas Hale" for r in claim.resolutions)


def test_a_subject_pronoun_in_reported_speech_is_the_speaker() -> None:
    claim = claim_with(
        claims_of("Theatre\n\nPeter Mol told the Post that after visiting the theatre he was surprised by it."),
        "was surprised",
    )
    assert claim.speaker == "Peter Mol"
    assert claim.standalone.startswith("after visiting the theatre Peter Mol was surprised")


def test_another_man_between_the_speaker_and_the_pronoun_keeps_it() -> None:
    claims = claims_of("Row\n\nJohn Lord challenged Peter Mol to deny reports that he had misled the council.")
    assert [r.replacement for c in claims for r in c.resolutions if r.mention == "he"] == []


def test_its_is_no_organisation_when_another_subject_stands_between() -> None:
    claim = claim_with(
        claims_of("Airports\n\nHACAN says the government published its plans for the airports last year."),
        "published its plans",
    )
    assert claim.resolutions == []
    claim = claim_with(claims_of("Airports\n\nHACAN published its plans for the airports last year."), "its")
    assert claim.resolutions == []  # named in the claim: nothing to resolve, nothing flagged
    assert claim.needs_context is False


def test_the_government_is_no_description_its_tie_names() -> None:
    text = "The Labour Party government will raise taxes. The rule states that the government can borrow."
    assert standalone(text) == text  # "the Labour Party government" is not the Labour Party


def test_a_description_tied_to_no_organisation_stays() -> None:
    text = "Members of the Tory party met. Later the party said it would appeal."
    assert standalone(text) == text  # "Tory" names no organisation the article types as one


def test_a_full_name_is_replaced_as_the_passage_writes_it_without_a_role_before_it() -> None:
    claim = claim_with(
        claims_of(
            "Obituary\n\nActress Patsy Rowlands has died aged 71.\n\nIn recent years Rowlands appeared in a "
            "mini-series and played a housekeeper in a film."
        ),
        "mini-series",
    )
    assert claim.standalone.startswith("In recent years Patsy Rowlands appeared")


def test_a_role_given_as_deputy_is_not_the_role() -> None:
    text = "Deputy Mayor Anna Berg spoke on Monday. She said the mayor was not anti-Semitic."
    assert "the mayor was" in standalone(text)
    assert standalone("Mayor Anna Berg spoke. Later the mayor said no.").endswith("Later Anna Berg said no.")


def test_a_reported_he_whose_speaker_cannot_be_found_stays() -> None:
    claims = claims_of(
        "Label boss\n\nRap star Jay-Z is to run the label for its owner Peter Mol. Jay-Z, who said he would make "
        "no more music after 2003, starts in January."
    )
    assert [r.replacement for c in claims for r in c.resolutions if r.mention == "he"] == []
