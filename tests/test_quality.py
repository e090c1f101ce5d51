"""bench/quality.py, the script that measures the figures the card states: hand-check verdicts become counts, an
entry replaces the one of its name, and a measurement of a tiny invented corpus writes figures only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_bench import bench_module

from builder.models import CueKind
from builder.write.quality import HandCheck, QualityRecord

DAY = date(2026, 3, 4)


@pytest.fixture(scope="module")
def quality():
    return bench_module("quality")


def test_verdicts_become_counts_per_cue_kind(quality):
    verdicts = [
        {"cue_kind": "belief", "right": True, "claim_id": "a"},
        {"cue_kind": "belief", "right": False},
        {"cue_kind": "speech", "right": True},
    ]
    checks = quality.hand_checks(verdicts, "BBC", DAY)
    assert {(c.cue_kind, c.checked, c.right) for c in checks} == {(CueKind.BELIEF, 2, 1), (CueKind.SPEECH, 1, 1)}
    with pytest.raises(ValueError, match="verdict 1: 'right' must be true or false"):
        quality.hand_checks([{"cue_kind": "speech", "right": "yes"}], "BBC", DAY)


def test_hand_checks_replace_those_of_the_same_corpus_and_kind(quality):
    old = [
        HandCheck(cue_kind=CueKind.SPEECH, checked=10, right=9, corpus="BBC", date=DAY),
        HandCheck(cue_kind=CueKind.SPEECH, checked=5, right=5, corpus="AP", date=DAY),
        HandCheck(cue_kind=CueKind.INTENTION, checked=4, right=2, corpus="BBC", date=DAY),
    ]
    new = [HandCheck(cue_kind=CueKind.SPEECH, checked=20, right=17, corpus="BBC", date=DAY)]
    merged = quality.with_hand_checks(QualityRecord(hand_checks=old), new).hand_checks
    assert [(c.cue_kind, c.corpus, c.checked) for c in merged] == [
        (CueKind.SPEECH, "AP", 5),
        (CueKind.SPEECH, "BBC", 20),
        (CueKind.INTENTION, "BBC", 4),
    ]


ARTICLE = (
    "Harbour plan approved\n\nThe council approved a new harbour wall on Tuesday after two years of debate.\n\n"
    '"The wall will protect three hundred homes from the spring floods," Mayor Tove Lund told reporters.\n\n'
    "Lund said the work would start in May.\n"
)


def test_a_measurement_records_figures_and_replaces_the_entry_of_its_name(quality, tmp_path: Path):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    start = ARTICLE.index("The wall")
    end = ARTICLE.index(',"')
    gold = tmp_path / "gold.jsonl"
    record = {"article": "harbour.txt", "char_start": start, "char_end": end, "text": ARTICLE[start:end],
              "claim_type": "direct_quote", "speaker": "Tove Lund"}  # fmt: skip
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "quality.json"
    arguments = [str(raw), str(gold), "--name", "Harbour", "--record", str(out), "--date", "2026-03-04"]
    assert quality.main(arguments) == 0
    assert quality.main([*arguments[:-1], "2026-03-05"]) == 0  # the same name: replaced, not added
    written = QualityRecord.model_validate_json(out.read_text("utf-8"))
    (corpus,) = written.corpora
    assert (corpus.corpus, corpus.date, corpus.quotations) == ("Harbour", date(2026, 3, 5), "")
    assert corpus.extractor.startswith("factpack-rules/")
    rows = {row.claim_type: row for row in corpus.table.rows}
    assert (rows["direct_quote"].gold, rows["direct_quote"].recall, rows["direct_quote"].speaker_name.correct) == (
        1,
        1.0,
        1,
    )
    assert "The wall" not in out.read_text("utf-8")  # figures only, never a text
