"""Measure the extractor on gold corpora and record the figures the dataset card states (builder/write/quality.json).

Usage (from the repository root; bench/quality.md says when):

    python bench/quality.py
        re-measure the standard corpora: PolNeAR dev (when found: FACTPACK_POLNEAR, else ../shared/polnear), the
        seed gold (tests/gold/seeds.jsonl on raw/) and the wire gold (tests/gold/wire.jsonl on tests/gold/wire/)
    python bench/quality.py RAW GOLD --name NAME [--note TEXT]
        measure one corpus: build RAW in a temporary folder, score it against GOLD and put its entry (replacing the
        one of that name) in the record
    python bench/quality.py --hand-check VERDICTS.json --corpus NAME
        record a maintainer's reading of sampled claims: VERDICTS.json is a JSON list of objects, each with at least
        "cue_kind" (speech, belief, intention) and "right" (true or false); their counts per kind replace the
        entries of that corpus and kind

Only figures are written (counts, ratios, the date, the factpack version and the extractor id): never a text, so
research data measured here stays out of the repository. --date sets the measurement date (default: today).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from builder.config import BuildConfig, ValidateConfig
from builder.evaluate import evaluate, load_gold, predictions_from_dist, quotation_figure_line
from builder.extract import extractor_id
from builder.models import CueKind
from builder.pipeline import build
from builder.version import __version__
from builder.write.quality import QUALITY_FILE, CorpusQuality, HandCheck, QualityRecord

REPO = Path(__file__).resolve().parent.parent
RECORD = REPO / "builder" / "write" / QUALITY_FILE
POLNEAR = Path(os.environ.get("FACTPACK_POLNEAR", REPO.parent / "shared" / "polnear"))

STANDARD: list[tuple[Path, Path, str, str]] = [
    (
        POLNEAR / "dev" / "raw",
        POLNEAR / "dev" / "gold.jsonl",
        "PolNeAR dev (84 articles)",
        "PolNeAR (2016 US election coverage; research use only, never in the repository; the rules were not written "
        "on its dev split) annotates attributions only: it has no author statements or interview answers, so those "
        "rows have no gold and their predictions lower `all`'s precision; its spans follow its own rules (quotation "
        'marks included, a quotation broken by "he said" one span), which lower the typed span scores; its speaker '
        'is the mention as written ("he"), so speaker name is not comparable; it has no cue kinds.',
    ),
    (
        REPO / "raw",
        REPO / "tests" / "gold" / "seeds.jsonl",
        "Seed articles (5 articles, tests/gold/seeds.jsonl)",
        "Five real NATO news articles annotated by the maintainers; the rules were developed on them, so these "
        "figures are optimistic. No cue kinds are annotated.",
    ),
    (
        REPO / "tests" / "gold" / "wire",
        REPO / "tests" / "gold" / "wire.jsonl",
        "Wire stories (12 invented articles, tests/gold/wire.jsonl)",
        "Invented hard-wrapped wire copy annotated by hand to cover the extractor's error families, cue kinds "
        "included (an interview answer's is left unannotated). The rules were reworked reading its errors, so these "
        "figures are optimistic: before that rework, typed F1 0.872 and speaker name 0.536.",
    ),
]
"""(raw folder, gold file, name, note) of each corpus the card reports."""


def read_record(path: Path) -> QualityRecord:
    return QualityRecord.model_validate_json(path.read_text("utf-8")) if path.is_file() else QualityRecord()


def write_record(path: Path, record: QualityRecord) -> None:
    path.write_text(json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def measure(raw: Path, gold: Path, name: str, note: str, day: date) -> CorpusQuality:
    """Build ``raw`` (invalid articles skipped, no cache) in a temporary folder and score its claims against
    ``gold``: the corpus entry, figures only."""
    with tempfile.TemporaryDirectory(prefix="factpack-quality-") as folder:
        dist = Path(folder) / "dist"
        build(BuildConfig(raw_dir=raw, out_dir=dist, validation=ValidateConfig(skip_invalid=True)))
        predictions = predictions_from_dist(dist)
    records = load_gold(gold)
    report = evaluate(records, predictions)
    marks_quotations = any(record.quoted is not None for record in records)
    return CorpusQuality(
        corpus=name,
        date=day,
        factpack_version=__version__,
        extractor=predictions[0].extractor if predictions else extractor_id(),
        note=note,
        table=report.quality,
        quotations=quotation_figure_line(report.quotations) if marks_quotations else "",
    )


def with_corpus(record: QualityRecord, entry: CorpusQuality) -> QualityRecord:
    """The record with ``entry`` in place of the corpus of its name (appended when new)."""
    corpora = [entry if c.corpus == entry.corpus else c for c in record.corpora]
    if entry.corpus not in {c.corpus for c in record.corpora}:
        corpora.append(entry)
    return record.model_copy(update={"corpora": corpora})


def hand_checks(verdicts: list[dict[str, object]], corpus: str, day: date) -> list[HandCheck]:
    """The counts per cue kind of a list of verdicts (each with ``cue_kind`` and a boolean ``right``)."""
    checked: Counter[CueKind] = Counter()
    right: Counter[CueKind] = Counter()
    for number, verdict in enumerate(verdicts, start=1):
        if not isinstance(verdict.get("right"), bool):
            raise ValueError(f"verdict {number}: 'right' must be true or false, got {verdict.get('right')!r}")
        kind = CueKind(verdict.get("cue_kind"))
        checked[kind] += 1
        right[kind] += verdict["right"] is True
    return [HandCheck(cue_kind=k, checked=checked[k], right=right[k], corpus=corpus, date=day) for k in checked]


def with_hand_checks(record: QualityRecord, checks: list[HandCheck]) -> QualityRecord:
    """The record with ``checks`` in place of the entries of the same corpus and kind, in the cue kinds' order."""
    replaced = {(c.corpus, c.cue_kind) for c in checks}
    kept = [c for c in record.hand_checks if (c.corpus, c.cue_kind) not in replaced]
    order = list(CueKind)
    merged = sorted([*kept, *checks], key=lambda c: (order.index(c.cue_kind), c.corpus))
    return record.model_copy(update={"hand_checks": merged})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw", type=Path, nargs="?", help="A raw folder to build (with GOLD and --name).")
    parser.add_argument("gold", type=Path, nargs="?", help="The gold JSONL of RAW.")
    parser.add_argument("--name", help="The corpus as the card names it, e.g. 'PolNeAR dev (84 articles)'.")
    parser.add_argument("--note", default="", help="What to bear in mind reading its figures.")
    parser.add_argument("--hand-check", type=Path, help="A JSON list of verdicts to count (with --corpus).")
    parser.add_argument("--corpus", help="Where the hand-checked claims were drawn from, e.g. 'BBC'.")
    parser.add_argument("--date", type=date.fromisoformat, default=date.today(), help="YYYY-MM-DD; default today.")
    parser.add_argument("--record", type=Path, default=RECORD, help="The record to update (default: the card's).")
    args = parser.parse_args(argv)
    record = read_record(args.record)
    if args.hand_check is not None:
        if not args.corpus:
            parser.error("--hand-check needs --corpus")
        verdicts = json.loads(args.hand_check.read_text("utf-8"))
        record = with_hand_checks(record, hand_checks(verdicts, args.corpus, args.date))
    elif args.raw is not None:
        if args.gold is None or not args.name:
            parser.error("RAW needs GOLD and --name")
        record = with_corpus(record, measure(args.raw, args.gold, args.name, args.note, args.date))
    else:
        for raw, gold, name, note in STANDARD:
            if not gold.is_file() or not (raw / "articles").is_dir():
                print(f"skipped {name}: {gold} or {raw}/articles not found", file=sys.stderr)
                continue
            record = with_corpus(record, measure(raw, gold, name, note, args.date))
            print(f"measured {name}", file=sys.stderr)
    write_record(args.record, record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
