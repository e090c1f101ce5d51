from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract import worthiness
from builder.extract.worthiness import (
    BIAS,
    WORTHINESS_FEATURES,
    check_worthiness,
    questioners,
    score_document,
    worthiness_features,
)
from conftest import finishes_within

FACTUAL = [
    "Exports rose 12% to $4.5bn in 2019, the largest increase since 2008, the ministry said.",
    "The council approved a budget of 3 million euros for the new bridge in March.",
    "Parliament voted 312 to 250 on Tuesday to suspend the trade agreement with Canada.",
    "The army deployed 3,000 troops near the eastern border last week.",
]
OPINION = [
    "I think we should be more patient.",
    "In my view this is probably the right approach.",
    "I hope they would like it.",
    "Thank you, it is nice to be here.",
]


def logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize("text", FACTUAL)
def test_factual_sentences_with_figures_score_high(text):
    assert check_worthiness(text) > 0.7


@pytest.mark.parametrize("text", OPINION)
def test_opinions_and_pleasantries_score_low(text):
    assert check_worthiness(text) < 0.3


def test_every_factual_sentence_outranks_every_opinion():
    assert min(map(check_worthiness, FACTUAL)) > max(map(check_worthiness, OPINION))


@pytest.mark.parametrize(
    ("question", "statement"),
    [
        ("Did the council approve the budget in March?", "The council approved the budget in March."),
        ("Has unemployment fallen to 4% since 2020?", "Unemployment has fallen to 4% since 2020."),
        ('She asked: "Did the senator resign?"', 'She said: "The senator resigned."'),
    ],
)
def test_a_question_scores_below_the_same_content_as_a_statement(question, statement):
    assert check_worthiness(question) < check_worthiness(statement)


@pytest.mark.parametrize("text", ["What does the plan look like?", "Why would anyone do that?", "What happens next?"])
def test_questions_without_factual_content_score_low(text):
    assert check_worthiness(text) < 0.1


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("The army deployed troops near the border.", "The army deployed 3,000 troops near the border."),
        ("The company sold the factory.", "The company sold the factory in 2015."),
        ("The company sold the factory.", "The company sold the factory to Siemens."),
        ("Prices probably rose last year.", "Prices rose last year."),
        ("We should cut the tax.", "We cut the tax."),
        ("Critics say the new plan is bad.", "Critics say the new plan failed."),
        ("Costs went up.", "Costs went up by more than 5% in Germany."),
    ],
)
def test_adding_a_checkable_cue_or_removing_a_hedge_raises_the_score(lower, higher):
    assert check_worthiness(lower) < check_worthiness(higher)


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("My father worked at the mill for 30 years.", "The mill employed 300 people for 30 years."),
        ("I sold the factory in 2015.", "The company sold the factory in 2015."),
        ("We will cut taxes by 10%.", "They cut taxes by 10%."),
        ("We're going to build 2,000 homes.", "The council built 2,000 homes."),
        ("I'll double the budget.", "She doubled the budget."),
    ],
)
def test_talk_about_oneself_and_ones_own_pledges_rank_below_claims_about_the_world(lower, higher):
    assert check_worthiness(lower) < check_worthiness(higher)


@pytest.mark.parametrize(
    ("text", "first_person", "pledge"),
    [
        ("I will cut taxes.", 1, 1),
        ("We will cut taxes.", 0, 1),
        ("He will cut taxes.", 0, 0),  # somebody else's plan is a claim about that plan
        ("They said we cut taxes.", 0, 0),  # "we" without the future reports what was done
        ("I think my plan and my budget will work.", 1, 0),  # capped: one hit however often
        ("Will we cut taxes?", 0, 0),  # the question, not a pledge
    ],
)
def test_first_person_and_pledge_hits(text, first_person, pledge):
    weights = {f.name: f.weight for f in WORTHINESS_FEATURES}
    terms = worthiness_features(text)
    assert terms["first_person"] == pytest.approx(first_person * weights["first_person"])
    assert terms["pledge"] == pytest.approx(pledge * weights["pledge"])


@pytest.mark.parametrize("text", ["", "Read more", "Continue.", "Sign up for our free newsletter today", "?"])
def test_fragments_and_calls_to_action_score_low(text):
    assert check_worthiness(text) < 0.3


def test_breakdown_names_the_cues_it_found():
    terms = worthiness_features("Exports rose 12% to $4.5bn in 2019, the largest increase, I think.")
    for name in ("number", "measure", "date", "comparative", "change_cause", "hedge"):
        assert terms[name] != 0.0, name
    for name in ("question", "short", "imperative", "pleasantry", "attributed", "questioner"):
        assert terms[name] == 0.0, name
    # a multi-word cue is one hit, and a cap bounds repeated hits
    assert worthiness_features("more than")["comparative"] == worthiness_features("more")["comparative"]
    cap = {f.name: f for f in WORTHINESS_FEATURES}["number"]
    assert worthiness_features(" ".join(["7"] * 50))["number"] == pytest.approx(cap.weight * cap.cap)


def test_named_entities_are_capitalised_words_after_the_sentence_start_and_acronyms():
    entity = {f.name: f for f in WORTHINESS_FEATURES}["entity"].weight
    assert worthiness_features("The talks took place.")["entity"] == 0.0
    assert worthiness_features("The talks took place in Oslo.")["entity"] == pytest.approx(entity)
    assert worthiness_features("UNESCO held the talks.")["entity"] == pytest.approx(entity)
    # one multi-word name is one entity
    assert worthiness_features("He spoke to Le Monde in Paris.")["entity"] == pytest.approx(2 * entity)


def test_text_and_score_are_as_documented():
    doc = worthiness.__doc__
    assert doc is not None
    names = [f.name for f in WORTHINESS_FEATURES]
    assert len(set(names)) == len(names)
    assert str(BIAS) in doc
    for feature in WORTHINESS_FEATURES:
        assert feature.cap >= 1
        row = next(line for line in doc.splitlines() if line.startswith(feature.name + " "))
        assert f"{feature.weight:+}" in row.split(), feature.name
        assert str(feature.cap) in row.split(), feature.name


def test_lexicons_are_hashable_module_constants():
    assert isinstance(WORTHINESS_FEATURES, tuple)
    for name, lexicon in worthiness.LEXICONS.items():
        assert isinstance(lexicon, frozenset), name
        assert lexicon, name
        assert all(cue == cue.lower().strip() and "  " not in cue for cue in lexicon), name
    hash(WORTHINESS_FEATURES)


def test_module_uses_only_the_standard_library():
    tree = ast.parse(Path(worthiness.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "collections", "math", "re", "typing"}


def check_invariants(text: str) -> None:
    score = check_worthiness(text)
    assert 0.0 <= score <= 1.0
    assert round(score, 3) == score
    assert check_worthiness(text) == score  # deterministic
    terms = worthiness_features(text)
    assert list(terms) == ["bias"] + [f.name for f in WORTHINESS_FEATURES]
    assert terms["bias"] == BIAS
    for feature in WORTHINESS_FEATURES:
        hits = terms[feature.name] / feature.weight
        assert hits == pytest.approx(round(hits))
        assert 0 <= round(hits) <= feature.cap
    assert round(logistic(math.fsum(terms.values())), 3) == score


# Text built from the characters and words the rules look at, so that hypothesis reaches their edge cases.
NEWSY = st.lists(
    st.sampled_from(
        [*"aAeEnNtT sS019.,;:?!%$£€-'\"“”‘’«»()\n\u00a0…–", "NATO", "May", "2014", "I", "think", "more", "than", "Mr"]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), NEWSY))
def test_score_is_a_bounded_deterministic_function_of_its_breakdown(text):
    check_invariants(text)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 1_000_000,
        "7" * 1_000_000,
        "1." * 500_000,
        "Ab " * 333_334,
        "$1 " * 333_334,
        ". A" * 333_334,
        "more than " * 100_000,
        ("NATO suspended all cooperation with Russia in April 2014, cutting 5% of $3bn. I think? " * 12_000),
        '"' * 10_000,
        "'" * 10_000,
        "“" * 10_000 + "”" * 10_000,
        "«" * 10_000 + "word" + "»" * 10_000,
        '"' * 10_000 + "?",
    ],
    ids=lambda text: f"{text[:12]!r}x{len(text)}",
)
def test_large_and_degenerate_inputs_complete(text):
    # A quadratic step would take hours on these inputs; linear, each takes well under a second.
    assert len(text) >= 10_000

    def scored() -> None:
        assert 0.0 <= check_worthiness(text) <= 1.0

    finishes_within(20, scored)


def test_who_says_it_moves_the_score_and_is_in_the_breakdown():
    text = "Unemployment fell to 4% last year."
    said = worthiness_features(text, attributed=True)
    asked = worthiness_features(text, attributed=True, questioner=True)
    assert said["attributed"] > 0 and asked["questioner"] < 0
    assert (
        check_worthiness(text, attributed=True, questioner=True)
        < check_worthiness(text)
        < check_worthiness(text, attributed=True)
    )
    check_invariants(text)


def test_a_speaker_who_keeps_asking_is_a_questioner_and_the_others_are_not():
    debate = [
        ("MODERATOR", "Welcome to the debate."),
        ("MODERATOR", "What will you do about jobs?"),
        ("MODERATOR", "The next segment is about trade."),
        ("SMITH", "We created 2 million jobs."),
        ("SMITH", "Is that fair?"),
        *[("SMITH", f"Exports rose {n}% last year.") for n in range(10)],
        ("JONES", "Why?"),
        ("JONES", "Really?"),
        (None, "What now?"),
    ]
    # the moderator: a third of 3 lines; SMITH: 1 of 12; JONES: 2 lines only; an unattributed line: nobody
    assert questioners(debate) == {"MODERATOR"}


def test_in_a_document_narration_ranks_below_the_same_words_quoted_and_a_moderator_below_both():
    claim = "Crime rose by 10% in the city in 2019."
    lines = [
        (claim, None, "author_statement"),
        (claim, "Jane Doe", "direct_quote"),
        (claim, "Jane Doe", "author_statement"),
        ("Did crime rise?", "Host", None),
        ("Was it the police?", "Host", None),
        (claim, "Host", None),
    ]
    narrated, quoted, own, *_, moderated = score_document(lines)
    assert narrated == own == check_worthiness(claim)
    assert quoted == check_worthiness(claim, attributed=True) > narrated
    assert moderated == check_worthiness(claim, attributed=True, questioner=True) < narrated


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("Murders happen.", "Murders are up."), ("Prices stayed.", "Prices went down."), ("Thanks.", "It's an invasion.")],
)
def test_short_claims_of_change_are_not_buried(lower, higher):
    assert check_worthiness(lower) < check_worthiness(higher)
