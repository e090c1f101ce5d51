from __future__ import annotations

import re

from builder.extract.interview import find_turns, interviewers
from builder.models import ClaimType
from conftest import RAW, document_of, extracted


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


def test_each_answer_carries_the_interviewers_turn_before_it_as_its_question():
    text = (
        "Title\n\nHost Name, Radio: Will taxes rise next year?\n\n"
        "Anna Berg, Minister: Taxes will rise by two percent next year. They will fall in 2026.\n\n"
        "Host Name, Radio: When will they fall?\n\n"
        "Anna Berg, Minister: In May 2026, after the election.\n\n"
        "The interview was recorded on Monday.\n"
    )
    claims = [(c.claim_type, c.text, c.question) for c in extracted(text)]
    answer = ClaimType.INTERVIEW_ANSWER
    assert claims == [
        (answer, "Taxes will rise by two percent next year.", "Will taxes rise next year?"),
        (answer, "They will fall in 2026.", "Will taxes rise next year?"),
        (answer, "In May 2026, after the election.", "When will they fall?"),
        (ClaimType.AUTHOR_STATEMENT, "The interview was recorded on Monday.", None),
    ]


def test_every_answer_of_the_seed_interview_has_the_last_question_asked_before_it():
    text = (RAW / "articles" / "003_440fd8f644ac4721.txt").read_text(encoding="utf-8")
    asked = [(m.start(), m.group(1)) for m in re.finditer(r"(?m)^(?:James Franey, )?euronews: (.+)$", text)]
    assert len(asked) >= 5
    claims = extracted(text)
    answers = [claim for claim in claims if claim.claim_type is ClaimType.INTERVIEW_ANSWER]
    assert len(answers) >= 10
    for claim in answers:
        expected = [question for at, question in asked if at < claim.char_start][-1]
        assert claim.question == expected, claim.text
    assert {claim.question for claim in answers} == {question for _, question in asked}
    assert all(claim.question is None for claim in claims if claim.claim_type is not ClaimType.INTERVIEW_ANSWER)


def test_an_answer_label_that_names_no_one_is_the_interviewee_the_article_introduced():
    text = (
        "Minister on quotas\n\nHarbour Minister Anna Berg met fishermen on Monday. Dan Roe, a trader, came too. "
        "Berg has led the ministry since 2021.\n\nQ: Will the quota be cut?\n\n"
        "A: The quota will stay at 40,000 tonnes this year.\n\nQ: And next year?\n\nAnswer: We will decide in March."
    )
    answers = [c for c in extracted(text) if c.claim_type is ClaimType.INTERVIEW_ANSWER]
    assert [(c.text, c.speaker, c.speaker_title) for c in answers] == [
        ("The quota will stay at 40,000 tonnes this year.", "Anna Berg", "Harbour Minister"),
        ("We will decide in March.", "Anna Berg", "Harbour Minister"),
    ]
    assert [text[c.speaker_start : c.speaker_end] for c in answers] == ["A", "Answer"]
