"""Report shapes of wire copy that a cue reads, one real shape each (invented names): quotations a naming verb
introduces, the one quoted "as saying", and a phrase between the cue and its clause."""

from __future__ import annotations

import pytest

from entry_cases import attributed

SHAPES = [
    # a naming verb whose object is "what", then the quotation: the quotation only
    ('Mike Tarn quit. In what he called "a betrayal," he left the party.', ["a betrayal,", "he", "Mike Tarn", None]),
    # a naming verb in the passive: the quotation, spoken by the "by" phrase when there is one
    (
        'The plan was described as "reckless" by Finance Minister Ana Ruiz.',
        ["reckless", "Ana Ruiz", "Ana Ruiz", "Finance Minister"],
    ),
    # the one quoted speaks
    (
        "The Herald quoted the minister as saying the vote was rigged.",
        ["the vote was rigged", "the minister", "the minister", None],
    ),
    # a time or a place between the cue and its clause
    ("VW said last week it had recalled 3,000 cars.", ["it had recalled 3,000 cars", "VW", "VW", None]),
    (
        "Zentrix Inc. said in a statement the plant would close.",
        ["the plant would close", "Zentrix Inc.", "Zentrix Inc.", None],
    ),
    ("Ana Ruiz told a news conference inflation was easing.", ["inflation was easing", "Ana Ruiz", "Ana Ruiz", None]),
    ("Tarn told a rally in Brandon the tax would go.", ["the tax would go", "Tarn", "Tarn", None]),
]


@pytest.mark.parametrize(("sentence", "expected"), SHAPES, ids=[shape[0][:40] for shape in SHAPES])
def test_each_report_shape(sentence, expected):
    assert attributed(sentence) == [expected]


def test_a_name_or_a_label_a_naming_verb_gives_without_its_author_is_no_report():
    assert attributed('The deal, dubbed "the giveaway," passed on Monday.') == []
    assert attributed('The plan, described as "reckless," passed.') == []


def test_two_reports_in_one_sentence_each_end_where_the_other_starts():
    assert attributed("Ellery believes rates will fall, but Kowal thinks they will rise.") == [
        ["rates will fall", "Ellery", "Ellery", None],
        ["they will rise", "Kowal", "Kowal", None],
    ]
    assert attributed("Wexley said the bridge was safe, while Castellano said it was not.") == [
        ["the bridge was safe", "Wexley", "Wexley", None],
        ["it was not", "Castellano", "Castellano", None],
    ]
    assert attributed("He said he had watched it rise and thought of the days.") == [
        ["he had watched it rise and thought of the days", "He", None, None]
    ]


def test_a_quotation_attributed_only_in_the_paragraph_it_runs_on_into_is_that_speakers():
    text = (
        "Museum reopens\n\nCurator Marco Ilves said the roof was fixed.\n\n"
        '"We waited two years for this day. The building is safe again.\n\n'
        '"We are proud of the workers," director Beth Maron told reporters.'
    )
    assert attributed(text) == [
        ["the roof was fixed", "Marco Ilves", "Marco Ilves", "Curator"],
        ["We waited two years for this day. The building is safe again.", "Beth Maron", "Beth Maron", None],
        ["We are proud of the workers,", "Beth Maron", "Beth Maron", None],
    ]


def test_a_stance_on_a_thing_is_no_claim_a_belief_with_a_clause_is():
    assert attributed("The union opposes the new budget.") == []
    assert attributed("Voters backed the plan to cut jobs.") == []
    assert attributed("The union believes the budget will fail.") == [
        ["the budget will fail", "The union", "The union", None]
    ]


def test_a_denied_report_is_no_claim_of_its_content():
    assert attributed("Lee did not say the plant would close.") == []
    assert attributed("Lee never mentioned that taxes rose.") == []
    assert attributed("The club did not comment on the report.") == []
    assert attributed("Lee denied that the plant would close.") == [["the plant would close", "Lee", "Lee", None]]
