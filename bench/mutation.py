"""Mutation score of the core modules: plant small bugs, count the ones the tests catch.

    pip install -e '.[test,mutation]'
    python bench/mutation.py                  # every mutant (resumes where it stopped), then the table
    python bench/mutation.py --sample 0.1     # a fixed tenth of the mutants of each module: an estimate
    python bench/mutation.py --sample 0.06 --above 0.03   # the next 3%, none of the first
    python bench/mutation.py --report         # the table of the last run only
    python bench/mutation.py --survivors      # ... and each surviving mutant, by module

mutmut's settings (what is mutated, which tests run) are in ``pyproject.toml`` under ``[tool.mutmut]``; it works in
``mutants/`` and keeps its results there, so a second run only retests what changed. Not in CI: a whole run takes
hours on two cores for the 14,000 mutants of the core modules (README › Contributing has the last figures), so
``--sample F`` runs the mutants whose name hashes below F (the same ones each time, whatever the order) and the
table gives each score with its 95% interval.

A mutant is *caught* when a test fails on it or it runs over mutmut's time limit (an infinite loop is a caught
bug). It *survives* when every test that runs its function passes, or when no test runs it. Mutants listed in
``bench/mutation-equivalent.txt`` (one mutmut name per line, ``#`` and a reason after it) change nothing a caller
can see; they are left out of the score and shown in their own column.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EQUIVALENT = REPO / "bench" / "mutation-equivalent.txt"

# The core modules of the pipeline, each a file or a package of builder/.
MODULES = {
    "ingest": "builder/ingest.py",
    "clean": "builder/clean.py",
    "text": "builder/text.py",
    "extract": "builder/extract/",
    "link": "builder/link.py",
    "cluster": "builder/cluster.py",
    "split": "builder/split.py",
    "labels": "builder/labels/",
    "publish": "builder/write/",
    "verify": "builder/verify/",
}

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into what the score needs.
CAUGHT = {1: "killed", 3: "killed", -11: "killed", -9: "killed", 36: "timeout", 24: "timeout", -24: "timeout",
          152: "timeout", 255: "timeout"}  # fmt: skip
MISSED = {0: "survived", 5: "no tests", 33: "no tests"}


def module_of(source: str) -> str | None:
    for name, prefix in MODULES.items():
        if source == prefix or (prefix.endswith("/") and source.startswith(prefix)):
            return name
    return None


def equivalent_mutants(path: Path = EQUIVALENT) -> dict[str, str]:
    """The mutants judged equivalent, each with the reason given."""
    if not path.is_file():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, reason = line.partition("#")
        if name.strip():
            found[name.strip()] = reason.strip()
    return found


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """Each mutant's outcome by module: caught (killed, timeout), missed (survived, no tests) or not run."""
    by_module: dict[str, dict[str, str]] = {name: {} for name in MODULES}
    for meta in sorted(mutants.rglob("*.py.meta")):
        source = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        module = module_of(source)
        if module is None:
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for key, code in codes.items():
            by_module[module][key] = CAUGHT.get(code) or MISSED.get(code) or ("not run" if code is None else "other")
    return by_module


def sampled(name: str, fraction: float, above: float = 0.0) -> bool:
    """Whether a mutant is in the fixed sample of ``fraction`` (its name's hash, not a random draw), leaving out
    the sample of ``above``: tests written against one sample's survivors are then measured on mutants they were
    not written for."""
    return above * 2**32 <= int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) < fraction * 2**32


def wilson(caught: int, scored: int, z: float = 1.96) -> tuple[float, float]:
    """95% interval of a proportion measured on a sample (Wilson's)."""
    if scored == 0:
        return 0.0, 1.0
    p = caught / scored
    centre = (p + z * z / (2 * scored)) / (1 + z * z / scored)
    half = z * math.sqrt(p * (1 - p) / scored + z * z / (4 * scored * scored)) / (1 + z * z / scored)
    return max(0.0, centre - half), min(1.0, centre + half)


def table(by_module: dict[str, dict[str, str]], equivalent: dict[str, str]) -> str:
    head = "| module | mutants | killed | timeout | survived | no test | equivalent | score (95% interval) |\n|---"
    head += "|--:" * 7 + "|"
    rows, totals = [head], Counter[str]()
    for module, outcomes in by_module.items():
        counts = Counter("equivalent" if key in equivalent else outcome for key, outcome in outcomes.items())
        totals.update(counts)
        rows.append(_row(module, counts))
    rows.append(_row("**all**", totals))
    return "\n".join(rows)


def _row(name: str, counts: Counter[str]) -> str:
    caught = counts["killed"] + counts["timeout"]
    scored = caught + counts["survived"] + counts["no tests"]
    low, high = wilson(caught, scored)
    score = f"{100 * caught / scored:.1f}% ({100 * low:.0f}–{100 * high:.0f})" if scored else "–"
    cells = [sum(counts.values()), counts["killed"], counts["timeout"], counts["survived"], counts["no tests"]]
    cells.append(counts["equivalent"])
    unfinished = counts["not run"] + counts["other"]
    note = f" ({unfinished} not run)" if unfinished else ""
    return f"| {name} | " + " | ".join(str(c) for c in cells) + f" | {score}{note} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--report", action="store_true", help="only the table of the last run")
    parser.add_argument("--survivors", action="store_true", help="also list every surviving mutant by module")
    parser.add_argument("--sample", type=float, help="run only this fixed fraction of the mutants (0 to 1)")
    parser.add_argument("--above", type=float, default=0.0, help="leave out the sample of this fraction")
    parser.add_argument("names", nargs="*", help="mutmut name patterns to run, e.g. 'builder.split*'")
    options = parser.parse_args()
    mutmut = [sys.executable, "-m", "mutmut", "run"]
    if options.sample is not None and not options.report:
        # mutmut makes the mutants (and finds which tests run each function) on its first run; one that matches
        # no mutant does only that.
        subprocess.run([*mutmut, "none-such"], cwd=REPO, check=False)
        names = [key for outcomes in results(REPO / "mutants").values() for key in outcomes]
        options.names = [name for name in names if sampled(name, options.sample, options.above)]
    if not options.report:
        subprocess.run([*mutmut, *options.names], cwd=REPO, check=False)
    equivalent = equivalent_mutants()
    by_module = results(REPO / "mutants")
    if options.sample is not None:
        by_module = {
            module: {key: outcome for key, outcome in outcomes.items() if sampled(key, options.sample, options.above)}
            for module, outcomes in by_module.items()
        }
    print(table(by_module, equivalent))
    if options.survivors:
        for module, outcomes in by_module.items():
            missed = [key for key, outcome in outcomes.items() if outcome in MISSED.values() and key not in equivalent]
            if missed:
                print(f"\n{module}: {len(missed)} not caught")
                for key in missed:
                    print(f"  {key}  ({outcomes[key]})")


if __name__ == "__main__":
    main()
