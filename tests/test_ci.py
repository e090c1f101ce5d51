"""CI runs exactly the README's test command (``.ci/run``), and cannot pass by skipping the browser tests."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import REPO

STEPS = ("pip", "ruff", "mypy", "pytest", "apt-get")


def readme_test_command() -> str:
    """The second command of the README's "Set up" (the one that installs the test tools and runs the suite)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Set up")
    setup = text[start : text.index("\n## ", start)]  # up to the next section
    blocks = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert len(blocks) == 2, blocks
    return blocks[1].strip()


def run_ci(tmp_path: Path, failing: str | None = None) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    """Run .ci/run with every tool it calls replaced by a stub that records its arguments and folder."""
    stubs, log = tmp_path / "bin", tmp_path / "calls"
    stubs.mkdir()
    for name in STEPS:
        stub = stubs / name
        code = 1 if name == failing else 0
        stub.write_text(f'#!/bin/sh\nprintf "%s\\n" "$PWD" "$(basename "$0")" "$@" "--" >> {log}\nexit {code}\n')
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "run")], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    calls, words = [], log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    while words:
        end = words.index("--")
        assert words[0] == str(REPO), f"{words[1]} ran in {words[0]}, not the repository's root"
        calls.append(words[1:end])
        words = words[end + 1 :]
    return done, calls


def test_ci_runs_the_readmes_test_command_from_the_repository_root(tmp_path):
    command = readme_test_command()
    assert command == "pip install -e '.[test,ray]' && ruff check . && ruff format --check . && mypy && pytest"
    done, calls = run_ci(tmp_path)
    assert done.returncode == 0, done.stderr
    assert calls == [shlex.split(step) for step in command.split(" && ")]
    contributing = (REPO / "README.md").read_text(encoding="utf-8").split("## Contributing")[1]
    assert f"is CI's command: `{command}`" in " ".join(contributing.split())  # the same command, said again


def test_ci_stops_at_the_first_step_that_fails(tmp_path):
    done, calls = run_ci(tmp_path, failing="ruff")
    assert done.returncode != 0
    assert [call[0] for call in calls] == ["pip", "ruff"]


def start_a_browser_test(environment: dict[str, str]) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("CI", "CHROMIUM", "PYTEST_ADDOPTS")}
    env.update(environment)
    test = "tests/review/test_review.py::test_nested_crossing_adjacent_and_non_bmp_claims_in_the_browser"
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-n", "0", "-p", "no:cacheprovider", "-q", test],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_without_a_browser_the_review_tests_skip_except_under_ci_where_they_fail(tmp_path):
    """The browser lookup pointed at nothing (``CHROMIUM``), as on a machine without chromium."""
    nothing = {"CHROMIUM": str(tmp_path / "no-chromium")}
    local, ci = start_a_browser_test(nothing), start_a_browser_test({**nothing, "CI": "true"})
    local_output, ci_output = local.communicate()[0], ci.communicate()[0]
    assert local.returncode == 0 and "1 skipped" in local_output, local_output
    assert "no chromium found" in local_output
    assert ci.returncode == 1 and re.search(r"^1 (failed|error) in ", ci_output, re.MULTILINE), ci_output
    assert "CI must run the browser tests" in ci_output
