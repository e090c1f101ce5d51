from __future__ import annotations

from builder.extract.interview import find_turns, interviewers
from conftest import document_of


def test_labelled_turns_with_questions_make_an_interview():
    doc = document_of(
        "Intro sentence here.",
        "Host Name, Radio: What do you think?",
        "Anna Berg, Minister of Finance: We will cut taxes.",
        "Host Name, Radio: And then?",
        "Anna Berg, Minister of Finance Then we will grow.",
    )
    turns = find_turns(doc)
    assert sorted(turns) == [1, 2, 3, 4]
    assert interviewers(turns) == {"Host Name"}
    answer = turns[4]  # its colon was lost in the scrape
    assert (answer.name, answer.role) == ("Anna Berg", "Minister of Finance")
    assert doc.text[answer.content_start :].startswith("Then we will grow.")


def test_a_single_label_or_no_question_is_no_interview():
    assert find_turns(document_of("Note: this is a note.", "Plain body.")) == {}
    assert find_turns(document_of("Anna: Yes.", "Ben: No.")) == {}
