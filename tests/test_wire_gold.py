"""The wire gold set is data: twelve invented, hard-wrapped wire stories and their hand-made gold claims.

Every record must be an exact slice of the story it names (claim, speaker mention and cue), the records are
sorted, every story has records, and no two claims of one story share a character.
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from builder.evaluate import load_gold
from builder.models import ClaimType, CueKind
from conftest import RAW

GOLD_DIR = Path(__file__).parent / "gold"
WIRE = GOLD_DIR / "wire"
ARTICLES = WIRE / "articles"
RECORDS = load_gold(GOLD_DIR / "wire.jsonl")


def _raw(name: str) -> str:
    with open(ARTICLES / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def test_twelve_stories_with_sidecars_in_the_raw_schema():
    stories = sorted(p.name for p in ARTICLES.glob("*.txt"))
    assert len(stories) == 12
    seed_keys = {frozenset(json.loads(p.read_text("utf-8"))) for p in (RAW / "articles").glob("*.json")}
    for name in stories:
        meta = json.loads((ARTICLES / name).with_suffix(".json").read_text("utf-8"))
        assert {frozenset(meta)} == seed_keys
        assert meta["url"].startswith("https://wire.example/") and meta["language"] == "en"


@pytest.mark.parametrize("name", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_story_is_hard_wrapped_wire_copy(name):
    raw = _raw(name)
    lines = raw.split("\n")
    assert "\r" not in raw and raw.endswith("\n") and not raw.endswith("\n\n")
    assert all(line == line.rstrip() for line in lines)
    assert max(map(len, lines)) <= 72
    assert "(Wirenews) - " in raw
    assert 150 <= len(raw.split()) <= 400
    paragraphs = [p for p in raw.split("\n\n") if p.strip()]
    assert any("\n" in p for p in paragraphs), "no paragraph is hard-wrapped"


def test_records_are_exact_slices():
    for record in RECORDS:
        raw = _raw(record.article)
        assert raw[record.char_start : record.char_end] == record.text
        assert record.text == record.text.strip()
        if record.cue is not None:
            assert raw[record.cue_start : record.cue_end] == record.cue
        if record.speaker_start is not None:
            mention = raw[record.speaker_start : record.speaker_end]
            assert mention and mention == mention.strip()


def test_records_sorted_and_every_story_annotated():
    keys = [(r.article, r.char_start, r.char_end) for r in RECORDS]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert {r.article for r in RECORDS} == {p.name for p in ARTICLES.glob("*.txt")}
    assert {r.claim_type for r in RECORDS} == set(ClaimType)


def test_no_two_claims_of_a_story_overlap():
    by_article: dict[str, list] = {}
    for record in RECORDS:
        by_article.setdefault(record.article, []).append(record)
    for records in by_article.values():
        for before, after in pairwise(records):
            assert before.char_end <= after.char_start, (before.text, after.text)


def test_speaker_and_cue_follow_the_guidelines():
    for record in RECORDS:
        claim = range(record.char_start, record.char_end)
        if record.claim_type is ClaimType.AUTHOR_STATEMENT:
            assert record.speaker is record.speaker_start is record.cue is None
            assert record.text.endswith(".")
            continue
        assert record.speaker and record.speaker_start is not None
        for start, end in ((record.speaker_start, record.speaker_end), (record.cue_start, record.cue_end)):
            if start is not None:
                assert end <= claim.start or start >= claim.stop, record
        if record.claim_type is ClaimType.INTERVIEW_ANSWER:
            assert record.cue is None and _raw(record.article)[record.speaker_start : record.speaker_end] == "A"
            assert record.text[-1] in ".?!"
        else:
            assert record.cue is not None
        if record.claim_type is ClaimType.DIRECT_QUOTE:
            raw = _raw(record.article)
            # the marks are excluded and everything between them kept; a piece of a quotation that runs over a
            # paragraph break with no closing mark ends at its paragraph's end
            assert raw[record.char_start - 1] == '"'
            assert raw[record.char_end] == '"' or raw[record.char_end : record.char_end + 3] == '\n\n"'
        if record.claim_type is ClaimType.INDIRECT_QUOTE:
            assert not record.text.endswith(".") and not record.text.startswith("that ")


def test_cue_kinds_cover_every_attributed_record():
    assert all((r.cue is None) is (r.cue_kind is None) for r in RECORDS)
    kinds = Counter(r.cue_kind for r in RECORDS if r.cue_kind is not None)
    assert kinds == {CueKind.SPEECH: 64, CueKind.BELIEF: 9, CueKind.INTENTION: 10}
    assert all(r.claim_type is ClaimType.INDIRECT_QUOTE for r in RECORDS if r.cue_kind not in (None, CueKind.SPEECH))


def test_known_counts():
    counts = Counter(r.claim_type for r in RECORDS)
    assert counts == {
        ClaimType.AUTHOR_STATEMENT: 41,
        ClaimType.DIRECT_QUOTE: 20,
        ClaimType.INDIRECT_QUOTE: 63,
        ClaimType.INTERVIEW_ANSWER: 8,
    }
