"""The bench scripts that run by hand: the mutation score's sampling, interval and table (without mutmut), and the
robustness run over a corpus folder (on a tiny corpus made here, never the research data)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO, files_of


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mutation() -> ModuleType:
    return bench_module("mutation")


NAMES = [f"builder.split.x_place__mutmut_{i}" for i in range(1_000)] + [
    f"builder.extract.quotes.xǁPieceǁjoin__mutmut_{i}" for i in range(1_000)
]


def _position(name: str) -> float:
    """Where a name's hash falls in [0, 1): the first 32 bits of its SHA-256, as the README's rule says."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16) / 2**32


def test_a_sample_is_the_mutants_whose_name_hashes_under_the_fraction(mutation):
    small = {name for name in NAMES if mutation.sampled(name, 0.03)}
    assert small == {name for name in NAMES if _position(name) < 0.03}
    assert 20 <= len(small) <= 100  # about 3% of 2,000


def test_a_smaller_sample_is_part_of_a_larger_one_and_above_leaves_it_out(mutation):
    small = {name for name in NAMES if mutation.sampled(name, 0.03)}
    large = {name for name in NAMES if mutation.sampled(name, 0.06)}
    assert small < large
    assert {name for name in NAMES if mutation.sampled(name, 0.06, above=0.03)} == large - small
    assert {name for name in NAMES if mutation.sampled(name, 1.0)} == set(NAMES)
    assert not any(mutation.sampled(name, 0.0) for name in NAMES)


def test_the_sample_is_the_same_in_every_process():
    """Not Python's salted hash(): another process, with another hash seed, picks the same mutants."""
    script = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('m', {str(REPO / 'bench' / 'mutation.py')!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "print(json.dumps([n for n in json.loads(sys.stdin.read()) if m.sampled(n, 0.05)]))\n"
    )
    picks = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", script],
            input=json.dumps(NAMES),
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        picks.append(json.loads(done.stdout))
    assert picks[0] == picks[1] == [name for name in NAMES if _position(name) < 0.05]


def test_the_interval_is_wilsons(mutation):
    low, high = mutation.wilson(413, 423)
    assert (round(low, 3), round(high, 3)) == (0.957, 0.987)
    assert mutation.wilson(2, 2) == (pytest.approx(0.3424, abs=1e-4), 1.0)
    assert mutation.wilson(0, 5) == (0.0, pytest.approx(0.4345, abs=1e-4))
    assert mutation.wilson(0, 0) == (0.0, 1.0)


def _readme_score_rows() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("**Score.**") : text.index("**Equivalent mutants**")]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| module")]


def test_the_table_gives_the_readmes_scores_from_its_counts(mutation):
    """Each row of the README's score table is what the script prints for that row's counts."""
    rows = _readme_score_rows()
    assert len(rows) == len(mutation.MODULES) + 1
    by_module: dict[str, dict[str, str]] = {}
    for row in rows[:-1]:
        name, total, killed, timeout, survived, untested, equivalent, _ = (c.strip() for c in row.strip("|").split("|"))
        outcomes = ["killed"] * int(killed) + ["timeout"] * int(timeout) + ["survived"] * int(survived)
        outcomes += ["no tests"] * int(untested)
        assert len(outcomes) + int(equivalent) == int(total)
        by_module[name] = {f"builder.{name}.x_f__mutmut_{i}": outcome for i, outcome in enumerate(outcomes)}
    assert list(by_module) == list(mutation.MODULES)
    printed = mutation.table(by_module, {}).splitlines()
    assert (
        printed[0] == "| module | mutants | killed | timeout | survived | no test | equivalent | score (95% interval) |"
    )
    assert printed[2:] == rows


def test_equivalent_mutants_are_left_out_of_the_score_and_counted_apart(mutation, tmp_path):
    listing = tmp_path / "equivalent.txt"
    listing.write_text(
        "# a comment line\n\nbuilder.split.x_f__mutmut_2  # a zip whose strict cannot matter\n", encoding="utf-8"
    )
    equivalent = mutation.equivalent_mutants(listing)
    assert equivalent == {"builder.split.x_f__mutmut_2": "a zip whose strict cannot matter"}
    outcomes = {"builder.split.x_f__mutmut_1": "killed", "builder.split.x_f__mutmut_2": "survived"}
    row = mutation.table({"split": outcomes}, equivalent).splitlines()[2]
    assert row == "| split | 2 | 1 | 0 | 0 | 0 | 1 | 100.0% (21–100) |"
    committed = mutation.equivalent_mutants()
    assert committed and all(reason for reason in committed.values())
    assert all(re.fullmatch(r"builder\.[\w.ǁ]+__mutmut_\d+", name) for name in committed)


def test_mutmuts_results_are_read_by_module_and_outcome(mutation, tmp_path):
    """Each source file's ``.meta`` gives its mutants' exit codes; a file outside the core modules is not counted."""
    metas = {
        "builder/split.py": {"split_1": 1, "split_2": 0},
        "builder/extract/quotes.py": {"quotes_1": 36, "quotes_2": 5},
        "builder/verify/values.py": {"values_1": None, "values_2": -9},
        "builder/cli.py": {"cli_1": 1},
    }
    for source, codes in metas.items():
        meta = tmp_path / f"{source}.meta"
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    found = mutation.results(tmp_path)
    assert {module: outcomes for module, outcomes in found.items() if outcomes} == {
        "split": {"split_1": "killed", "split_2": "survived"},
        "extract": {"quotes_1": "timeout", "quotes_2": "no tests"},
        "verify": {"values_1": "not run", "values_2": "killed"},
    }
    row = mutation.table(found, {}).splitlines()[-1]
    assert row == "| **all** | 6 | 2 | 1 | 1 | 1 | 0 | 60.0% (23–88) (1 not run) |"


# bench/corpus_robustness.py


def tiny_corpus(folder: Path) -> Path:
    """Three plain-text articles in two subfolders (as the BBC corpus is laid out), and a README to pass over."""
    texts = {
        "business/001.txt": "Port traffic rises\n\nThe port handled 4 million containers in 2023, the authority said."
        ' "We are full," its director, Anna Berg, told reporters.\n',
        "business/002.txt": "Rates held\n\nThe central bank kept its rate at 3% on Thursday. Inflation fell to 2.1%.\n",
        "tech/001.txt": "Chip plant\n\nThe company said it would build a plant near Dresden by 2027.\n",
        "README.TXT": "Not an article.\n",
    }
    for name, text in texts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_robustness_run_checks_every_offset_of_a_corpus_it_leaves_as_it_was(tmp_path):
    corpus = tiny_corpus(tmp_path / "corpus")
    before = files_of(corpus)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "corpus_robustness.py"), str(corpus), "--sample", "2"],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "articles 3 accepted, 0 rejected\n" in done.stdout
    claims = int(re.search(r"^claims (\d+); offset mismatches 0;", done.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]
    per_type = dict(re.findall(r"^  (\w+) +(\d+)$", done.stdout, re.MULTILINE))
    assert claims >= 5 and sum(map(int, per_type.values())) == claims
    assert {"author_statement", "direct_quote"} <= set(per_type)
    assert files_of(corpus) == before
    assert list(scratch.iterdir()) == []  # its working copy and dataset were temporary
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "tmp"]


def _shifted(claim, offset: str):
    """The claim with one offset (or the selector's prefix) one character off."""
    if offset == "selector.prefix":
        selector = claim.selector.model_copy(update={"prefix": claim.selector.prefix[1:] + "x"})
        return claim.model_copy(update={"selector": selector})
    return claim.model_copy(update={offset: getattr(claim, offset) - 1 if offset != "speaker_end" else 10**6})


@pytest.mark.parametrize("offset", ["char_start", "context_end", "cue_start", "speaker_end", "selector.prefix"])
def test_the_robustness_run_fails_on_an_offset_that_is_not_the_text(tmp_path, monkeypatch, capsys, offset):
    robustness = bench_module("corpus_robustness")
    extract_all = robustness.extract_all

    def one_offset_wrong(cfg):
        result = extract_all(cfg)
        name = offset.split(".")[0]
        at = next(i for i, claim in enumerate(result.claims) if getattr(claim, name) and claim.char_start > 0)
        result.claims[at] = _shifted(result.claims[at], offset)
        return result

    monkeypatch.setattr(robustness, "extract_all", one_offset_wrong)
    monkeypatch.setattr(sys, "argv", ["corpus_robustness.py", str(tiny_corpus(tmp_path / "corpus")), "--sample", "1"])
    assert robustness.main() == 1
    assert re.search(r"^claims \d+; offset mismatches [1-9]\d*;", capsys.readouterr().out, re.MULTILINE)


# bench/worthiness_baseline.py


def test_the_worthiness_baseline_ranks_each_held_out_debate_with_all_three_scorers(tmp_path):
    folder = tmp_path / "debates"
    folder.mkdir()
    for number in range(3):
        lines = []
        for i in range(30 + 3 * number):  # two debates to learn from: 60 labels or more ('worthiness fit' asks 50)
            worthy = i % 3 == 0
            text = f"Unemployment fell to {i + number}% in 2019." if worthy else f"Thank you all, friends number {i}."
            lines.append(f"{i + 1}\tSPEAKER\t{text}\t{int(worthy)}")
        (folder / f"debate_{number}.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "worthiness_baseline.py"), str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()[1:4]}
    assert sorted(rows) == ["debate_0", "debate_1", "debate_2"]
    # the debates differ in length: a column of another debate's scores would not line up with these positives
    assert [rows[f"debate_{number}"][0] for number in range(3)] == ["10", "11", "12"]
    assert all(0.0 <= float(ap) <= 1.0 for row in rows.values() for ap in row[1:4])
    # each debate's fit chose its own settings, printed beside its figures
    assert all(
        re.fullmatch(r"L2 \S+, (balanced|as they come), neighbours \S+", " ".join(row[4:])) for row in rows.values()
    )
    mean = done.stdout.splitlines()[4].split()
    assert mean[0] == "MAP" and float(mean[2]) == float(mean[3]) == 1.0  # fitted and baseline learn the figures
    assert done.stdout.splitlines()[5].startswith("fitted above the rules on ")
