"""A line's place in its document, as a fitted check-worthiness model sees it."""

from __future__ import annotations

import pytest

from builder.extract.worthiness_context import CONTEXT_FEATURES, context_features


def test_a_debate_turn_after_a_question_and_the_speakers_share():
    lines = [
        ("What will you do about jobs?", "MODERATOR", None, None),
        ("We created 200,000 jobs last year.", "CANDIDATE", None, None),
        ("And we will do more.", "CANDIDATE", None, None),
        ("Thank you.", "MODERATOR", None, None),
    ]
    found = context_features(lines)
    assert [row["after_question"] for row in found] == [0.0, 1.0, 0.0, 0.0]
    assert [row["speaker_changed"] for row in found] == [1.0, 1.0, 0.0, 1.0]
    assert [row["speaker_share"] for row in found] == [0.5] * 4
    assert [row["position"] for row in found] == [0.0, 0.25, 0.5, 0.75]
    assert found[1]["length"] == pytest.approx(6 / 30)


def test_claim_type_and_cue_kind_are_one_hot_where_known_and_all_zero_where_not():
    lines = [
        ("Rates will fall.", "Ana Ruiz", "indirect_quote", "belief"),
        ("The bank cut rates.", None, None, None),
    ]
    known, unknown = context_features(lines)
    assert {name for name, value in known.items() if name.startswith(("type:", "kind:")) and value} == {
        "type:indirect_quote",
        "kind:belief",
    }
    assert not any(value for name, value in unknown.items() if name.startswith(("type:", "kind:")))
    assert unknown["speaker_share"] == 0.5  # the lines without a speaker are a share of their own


def test_every_line_has_every_feature_in_a_fixed_order():
    found = context_features([("One.", None, None, None), ("Two?", "X", "statement", None)])
    assert all(list(row) == list(CONTEXT_FEATURES) for row in found)
    assert context_features([]) == []
