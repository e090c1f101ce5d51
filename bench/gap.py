"""GAP (Webster et al. 2018) through ``factpack standalone``, snippet setting: the URL is never used.

Each row's passage goes through the command as one JSONL line; the row's pronoun counts as resolved to A (or B)
when the command's resolution at the pronoun's offset names that candidate: the replacement's words hold the
candidate's words, or the other way round ("Stoltenberg" and "Jens Stoltenberg"). Prints F1 for masculine,
feminine and all pronouns, and the bias (F1 feminine / F1 masculine), as GAP's scorer counts them.

Usage: python bench/gap.py ../shared/coref/gap/gap-validation.tsv
GAP is research data: it is read from where it lies, never copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

_MASCULINE = {"he", "him", "his", "himself"}


def decisions(rows: list[dict[str, str]]) -> list[str]:
    passages = "".join(json.dumps({"text": row["Text"]}, ensure_ascii=False) + "\n" for row in rows)
    command = [sys.executable, "-m", "builder.cli", "standalone", "--json", "-"]
    done = subprocess.run(command, input=passages.encode(), capture_output=True, check=True)
    resolved = json.loads(done.stdout)["resolved"]
    out = []
    for row, passage in zip(rows, resolved, strict=True):
        offset = int(row["Pronoun-offset"])
        found = next((r for r in passage["resolutions"] if r["start"] == offset), None)
        out.append("neither" if found is None else _candidate(row, found["replacement"]))
    return out


def _candidate(row: dict[str, str], replacement: str) -> str:
    words = set(replacement.replace("’s", "").replace("'s", "").split())
    hits = [label for label in "AB" if set(row[label].split()) <= words or words <= set(row[label].split())]
    return hits[0] if len(hits) == 1 else "neither"


def scores(rows: list[dict[str, str]], decided: list[str]) -> dict[str, float]:
    counts = {"m": Counter[str](), "f": Counter[str](), "o": Counter[str]()}
    for row, decision in zip(rows, decided, strict=True):
        gender = "m" if row["Pronoun"].lower() in _MASCULINE else "f"
        for label in "AB":
            gold, predicted = row[f"{label}-coref"].upper() == "TRUE", decision == label
            outcome = "tp" if gold and predicted else "fp" if predicted else "fn" if gold else "tn"
            counts[gender][outcome] += 1
            counts["o"][outcome] += 1
    result = {}
    for key, count in counts.items():
        precision = count["tp"] / max(1, count["tp"] + count["fp"])
        recall = count["tp"] / max(1, count["tp"] + count["fn"])
        result[key] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[f"{key}_precision"], result[f"{key}_recall"] = precision, recall
    result["bias"] = result["f"] / result["m"] if result["m"] else float("nan")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gap", type=Path, help="A GAP TSV file (development, validation or test).")
    args = parser.parse_args()
    with args.gap.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    result = scores(rows, decisions(rows))
    print(f"{args.gap.name}: {len(rows)} rows")
    print(
        f"F1 masculine {result['m']:.3f}  feminine {result['f']:.3f}  overall {result['o']:.3f} "
        f"(P {result['o_precision']:.3f} R {result['o_recall']:.3f})  bias {result['bias']:.3f}"
    )


if __name__ == "__main__":
    main()
