"""A refusal to speak reports nothing; a refusal to say whether something holds is one report, an intention."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.extract.finders.indirect_quote import reports_nothing
from entry_cases import attributed


@pytest.mark.parametrize(
    "content",
    [
        "to comment",
        "to comment on the report",
        "to elaborate",
        "to say more",
        "to discuss the matter further",
        "a request for comment",
        "repeated requests for comment",
        "emailed questions seeking comment",
    ],
)
def test_a_refusals_object_reports_nothing(content):
    assert reports_nothing(content)


@pytest.mark.parametrize(
    "content",
    [
        "to say whether the plant would close",
        "to comment on why the plant had closed",
        "to cut 400 jobs",
        "the plant would close",
        "comments on the budget were unfair",
    ],
)
def test_a_content_with_a_clause_or_a_plan_reports_something(content):
    assert not reports_nothing(content)


@settings(deadline=None)
@given(st.text(alphabet="abcdefghij ,.", max_size=40))
def test_words_that_open_no_refusal_never_report_nothing(text):
    assert not reports_nothing("the " + text)


def test_declining_to_comment_is_no_claim_and_refusing_to_say_whether_is_one():
    assert attributed("The union declined to comment on the report.") == []
    assert attributed("Zentrix did not respond to a request for comment.") == []
    assert attributed("Lee refused to say whether the plant would close.") == [
        ["to say whether the plant would close", "Lee", "Lee", None]
    ]
