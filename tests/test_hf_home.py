"""The test processes' Hugging Face home: what a test run leaves in the temporary folder."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

from conftest import REPO


def test_a_test_run_leaves_no_hugging_face_home_behind_and_removes_a_killed_runs(tmp_path):
    temp = tmp_path / "tmp"
    dead, live = temp / "factpack-hf-home-killed", temp / "factpack-hf-home-running"
    for home in (dead, live):
        home.mkdir(parents=True)
        (home / "hub").mkdir()
        (home / ".owner").touch()
    held = os.open(live / ".owner", os.O_RDONLY)  # as a test process that is still running holds it
    fcntl.flock(held, fcntl.LOCK_EX)
    (tmp_path / "test_home.py").write_text(
        "import os\n\n\n"
        "def test_the_home_is_private_and_in_the_temporary_folder():\n"
        f"    assert os.path.dirname(os.environ['HF_HOME']) == {str(temp)!r}\n",
        encoding="utf-8",
    )
    try:
        # With xdist, as the suite runs: each process (the controller and every worker) makes a home.
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "conftest", "-n", "1", "-p", "no:cacheprovider", "test_home.py"],
            cwd=tmp_path,
            env={**os.environ, "TMPDIR": str(temp), "PYTHONPATH": f"{REPO / 'tests'}{os.pathsep}{REPO}"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert sorted(p.name for p in temp.iterdir() if p.name.startswith("factpack-hf-home-")) == [live.name]
        assert (live / "hub").is_dir()  # a running process's home is never touched
    finally:
        os.close(held)
