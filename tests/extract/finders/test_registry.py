"""The claim kinds: one finder module each, in one ordered registry, each a published ClassLabel."""

from __future__ import annotations

from builder.extract.finders import FINDERS
from builder.models import ClaimType, InputFormat, Split


def test_every_claim_kind_has_one_finder_and_the_finders_run_in_this_order():
    assert [name for name, _ in FINDERS] == ["direct_quote", "interview_answer", "indirect_quote", "author_statement"]
    assert sorted(name for name, _ in FINDERS) == sorted(kind.value for kind in ClaimType)


def test_the_published_label_orders_never_move():
    # A ClassLabel is stored as an index: reordering these would silently relabel every published dataset.
    assert [kind.value for kind in ClaimType] == [
        "direct_quote",
        "indirect_quote",
        "interview_answer",
        "author_statement",
    ]
    assert [split.value for split in Split] == ["train", "validation", "test"]
    assert [name.value for name in InputFormat] == ["txt", "jsonl", "parquet"]
