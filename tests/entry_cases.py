"""Helpers of the tests that give every entry of a word table its own case (``tests/**/test_*_entries.py``).

A case file is JSON: ``{table: {entry: [input, expected output]}}``, one entry a line.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from builder.config import BuildConfig
from builder.stages import run_stages
from conftest import raw_article

_CONFIG = BuildConfig()


def read_cases(path: Path) -> dict[str, dict[str, list[Any]]]:
    return json.loads(path.read_text(encoding="utf-8"))


def params(cases: dict[str, dict[str, list[Any]]], *tables: str) -> list[Any]:
    """The cases of ``tables`` as pytest parameters (input, expected), each named ``table:entry``."""
    return [pytest.param(*case, id=f"{table}:{entry}") for table in tables for entry, case in cases[table].items()]


def attributed(text: str) -> list[list[str | None]]:
    """Each claim with a cue that extraction finds in the article ``text``: its text, its speaker mention as
    written, the speaker it resolves to and the speaker's title."""
    claims = run_stages(raw_article(text), _CONFIG, until="extract").claims
    return [
        [
            claim.text,
            text[claim.speaker_start : claim.speaker_end] if claim.speaker_start is not None else None,
            claim.speaker,
            claim.speaker_title,
        ]
        for claim in claims
        if claim.cue is not None
    ]


def pattern_words(pattern: str, before: str, after: str) -> list[str]:
    """The alternatives of the word list written in ``pattern`` between ``before`` and ``after``."""
    return pattern.split(before, 1)[1].split(after, 1)[0].split("|")


def set_literal(function: Callable[..., object], marker: str) -> list[str]:
    """The entries of the set literal holding ``marker`` inside ``function``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    sets = [
        [e.value for e in node.elts if isinstance(e, ast.Constant)]
        for node in ast.walk(tree)
        if isinstance(node, ast.Set)
    ]
    return next(entries for entries in sets if marker in entries)


def function_words(function: Callable[..., object], first: str) -> list[str]:
    """The alternatives of the word list that opens with ``first`` in a pattern written inside ``function``."""
    source = textwrap.dedent(inspect.getsource(function))
    return [first, *source.split(f"(?:{first}|", 1)[1].split(")", 1)[0].split("|")]


def assert_entries_match_cases(
    cases: dict[str, dict[str, list[Any]]], entries: set[str], dead: frozenset[str], table: str
) -> None:
    """Every entry of ``table`` has a case or is listed as deciding nothing, and every case an entry: both ways."""
    assert set(cases[table]) | dead == entries
    assert not set(cases[table]) & dead


def assert_dead_entries_explained(doc: str | None, decides_nothing: dict[str, frozenset[str]]) -> None:
    """Each entry that decides nothing is named, with its reason, in the test module's docstring."""
    assert doc is not None
    for entries in decides_nothing.values():
        for entry in entries:
            assert f'"{entry}"' in doc, entry
