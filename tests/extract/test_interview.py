from __future__ import annotations

from builder.extract.document import Document
from builder.extract.interview import find_turns, interviewers


def document(*paragraphs: str) -> Document:
    text = "\n\n".join(paragraphs)
    spans, at = [], 0
    for paragraph in paragraphs:
        spans.append((at, at + len(paragraph)))
        at += len(paragraph) + 2
    return Document.from_spans(text, spans)


def test_labelled_turns_with_questions_make_an_interview():
    doc = document(
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
    assert find_turns(document("Note: this is a note.", "Plain body.")) == {}
    assert find_turns(document("Anna: Yes.", "Ben: No.")) == {}
