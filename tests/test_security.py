"""No pickle, no unsafe YAML, and a Hub token never reaches an output file."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys

from conftest import RAW, REPO

SOURCES = sorted((REPO / "builder").rglob("*.py"))


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_pickle_marshal_or_unsafe_yaml_in_the_library():
    for path in SOURCES:
        modules = set(imported_modules(path))
        assert not modules & {"pickle", "cPickle", "dill", "marshal", "shelve"}, path
        source = path.read_text(encoding="utf-8")
        assert "eval(" not in source and "exec(" not in source, path
        if "yaml" in modules:  # only the safe entry points: no loader that can build arbitrary objects
            calls = set(re.findall(r"yaml\.(\w+)\(", source))
            assert calls <= {"safe_load", "compose", "load"}, (path, calls)
            loaders = set(re.findall(r"Loader=(\w+(?:\.\w+)?)", source))
            assert loaders <= {"yaml.SafeLoader", "_SafeLoader"}, (path, loaders)
            assert loaders or not calls & {"compose", "load"}, path
            if "_SafeLoader" in loaders:  # the one name it may stand for
                assert 'getattr(yaml, "CSafeLoader", yaml.SafeLoader)' in source, path
                assert len(re.findall(r"_SafeLoader = ", source)) == 1, path


def test_a_hub_token_in_the_environment_reaches_no_output(tmp_path):
    token = "hf_factpackSentinelToken0123456789abcdef"
    out = tmp_path / "dist"
    env = {**os.environ, "HF_TOKEN": token, "HUGGING_FACE_HUB_TOKEN": token, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from builder.cli import main; main()",
            "build",
            str(RAW),
            "--out",
            str(out),
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert token not in result.stdout + result.stderr
    written = [path for path in out.rglob("*") if path.is_file()]
    assert written
    for path in written:
        data = path.read_bytes()
        assert token.encode() not in data, path
        assert not data.startswith(b"\x80\x04\x95") and not data.startswith(b"\x80\x05\x95"), f"{path} is a pickle"
