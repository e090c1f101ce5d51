"""Author statements: only full declarative sentences in the outlet's own voice."""

from __future__ import annotations

import pytest

from builder.extract.finders.author_statement import statement_like


@pytest.mark.parametrize(
    "sentence",
    [
        "Net income jumped to 3bn yuan in 2004, compared with 1.4bn yuan in 2003.",
        "Others remain more sceptical.",
        "They give three key reasons for not making the move.",
        'The so-called "spearhead" force moved east on Monday.',
        "NATO suspended all practical cooperation with Russia in April.",
        "Now the figure is 14%.",
    ],
)
def test_full_sentences_are_statements(sentence):
    assert statement_like(sentence)


@pytest.mark.parametrize(
    "fragment",
    [
        "The new measures",  # a fragment: no verb, no full stop
        "Go to three Narcotics Anonymous meetings per week",  # a list item
        "Points raised in the report included:",  # introduces a list
        "Shr 33 cts vs 28 cts",  # a table row
        "23.5 pct to 70.9 mln dlrs.",  # a wrapped line's tail
        "Soybean prev 100.9, Wheat prev 88.1.",  # a figure list
        "Riggott 74, Graham 86.",  # a score line
        "M Blair (Edinburgh), A Craig (Glasgow), C Cusiter (Borders).",  # a team list
        "Great use of colour.",  # "use" is a noun here
        "Will the plan work?",  # a question
        "and then the rest of it followed.",  # opens mid-sentence
    ],
)
def test_fragments_lists_and_questions_are_not(fragment):
    assert not statement_like(fragment)
