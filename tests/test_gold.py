"""The gold set is data: every record must be an exact slice of the raw seed it names."""

from __future__ import annotations

from pathlib import Path

from builder.evaluate import load_gold
from builder.models import ClaimType
from conftest import RAW

GOLD = Path(__file__).parent / "gold" / "seeds.jsonl"


def test_gold_records_are_exact_slices_sorted_and_cover_every_seed():
    records = load_gold(GOLD)
    assert {r.article for r in records} == {p.name for p in (RAW / "articles").glob("*.txt")}
    assert {r.claim_type for r in records} == set(ClaimType)
    keys = [(r.article, r.char_start, r.char_end) for r in records]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    for record in records:
        raw = (RAW / "articles" / record.article).read_bytes().decode("utf-8")
        assert raw[record.char_start : record.char_end] == record.text
        if record.cue is not None:
            assert raw[record.cue_start : record.cue_end] == record.cue
        if record.claim_type is ClaimType.AUTHOR_STATEMENT:
            assert record.speaker is None and record.cue is None
