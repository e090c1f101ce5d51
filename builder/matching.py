"""``factpack match``: claim matching outside a build, with the matcher of :mod:`builder.match`.

* :func:`score_pairs` (``factpack match score``): whether two sentences state the same claim. The input is JSONL,
  one pair per line: ``a`` and ``b`` (the sentences), optionally ``a_speaker`` and ``b_speaker`` (two different
  speakers rule a pair out). Each pair gets the default matcher's score, its decision and, when something rules it
  out whatever its score, why (:func:`builder.match.pairs.score_pair`).
* :func:`rank_queries` (``factpack match rank``): which published fact-checks a claim repeats. The queries are
  JSONL, one per line: ``id`` (a string or an integer, each once) and ``text``; the fact-checks are one ClaimReview
  file, JSON-LD or JSON Lines, read as ``raw/factchecks/`` is (:func:`builder.factchecks.read_factchecks`). Each
  query lists the ``top`` fact-checks by BM25 over their claim and headline (:mod:`builder.match.rank`).

Blank lines are skipped; line numbers count them. A line that cannot be read stops the command with its number and
the fix; so does a bad fact-check, with its file, line (JSON Lines) and field.
"""

from __future__ import annotations

import hashlib
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from builder.errors import ConfigError, InputError
from builder.factchecks import FACTCHECK_SUFFIXES, read_factchecks
from builder.match.pairs import score_pair
from builder.match.rank import Bm25Index
from builder.models import (
    FactCheck,
    MatchRankReport,
    MatchScoreReport,
    RankedFactCheck,
    RankedQuery,
    ScoredPair,
)
from builder.passages import json_object, read_bytes, read_source
from builder.version import __version__

__all__ = ["matcher_id", "rank_queries", "score_pairs"]

MATCHER_NAME = "factpack-matcher"
_PAIR_EXAMPLE = '{"a": "…", "b": "…"}'
_QUERY_EXAMPLE = '{"id": 1, "text": "…"}'
_FACTCHECK_FORMS = "schema.org ClaimReview as JSON-LD (.json, .jsonld) or JSON Lines (.jsonl)"


@cache
def matcher_id() -> str:
    """``factpack-matcher/<version>+<hash of builder/match>``: changes whenever the matcher or the ranker does."""
    digest = hashlib.sha256()
    entries = files("builder").joinpath("match").iterdir()
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(f"match/{entry.name}".encode() + entry.read_bytes())
    return f"{MATCHER_NAME}/{__version__}+{digest.hexdigest()[:8]}"


def score_pairs(path: Path | None, stdin: bytes | None = None) -> MatchScoreReport:
    """Score the pairs of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None."""
    name, text = read_source(path, stdin, f"JSONL, one pair per line: {_PAIR_EXAMPLE}, or -")
    scored = []
    for number, line in _lines(text, name, "no pairs to score", _PAIR_EXAMPLE):
        where = f"{name}:{number}"
        record = json_object(where, line)
        first, second = _text(where, record, "a"), _text(where, record, "b")
        found = score_pair(first, second, _speaker(where, record, "a_speaker"), _speaker(where, record, "b_speaker"))
        scored.append(
            ScoredPair(line=number, score=found.score, match=found.match, terms=found.terms, ruled_out=found.ruled_out)
        )
    return MatchScoreReport(source=name, scorer=matcher_id(), scored=scored)


def rank_queries(queries: Path | None, against: Path, top: int = 5, stdin: bytes | None = None) -> MatchRankReport:
    """The ``top`` fact-checks of the file ``against`` for each query of ``queries``, or of ``stdin`` when
    ``queries`` is None; best first."""
    if top < 1:
        raise ConfigError(f"top {top}: list at least 1 fact-check per query; give a top of 1 or more")
    name, text = read_source(queries, stdin, f"JSONL, one query per line: {_QUERY_EXAMPLE}, or -")
    parsed = _queries(name, text)
    fact_checks = _factcheck_file(against)
    index = Bm25Index([f"{check.claim_reviewed} {check.headline or ''}" for check in fact_checks])
    ranked = [
        RankedQuery(
            line=number,
            id=query_id,
            matches=[
                RankedFactCheck(url=fact_checks[found].url, score=score) for found, score in index.top(query, top)
            ],
        )
        for number, query_id, query in parsed
    ]
    return MatchRankReport(
        source=name, against=str(against), scorer=matcher_id(), fact_checks=len(fact_checks), top=top, ranked=ranked
    )


def _factcheck_file(path: Path) -> list[FactCheck]:
    """The fact-checks of one ClaimReview file, in file order; its first problem, if any, stops the reading with
    the file, line and field and the fix (the others are counted)."""
    if path.suffix.lower() not in FACTCHECK_SUFFIXES:
        raise InputError(f"{path}: not a fact-check file; give {_FACTCHECK_FORMS}")
    data = read_bytes(path, _FACTCHECK_FORMS)
    # read_factchecks reads a folder; the file alone goes into one of its own, under a name that is never hidden
    # (a hidden file is passed over), and the messages then name the file as it was given.
    with tempfile.TemporaryDirectory(prefix="factpack-match-") as folder:
        copy = Path(folder, "factchecks", f"claimreview{path.suffix.lower()}")
        copy.parent.mkdir()
        copy.write_bytes(data)
        fact_checks, problems = read_factchecks(Path(folder), "factchecks")
    if problems:
        more = f" ({len(problems) - 1} more problem(s) in the file after this one)" if len(problems) > 1 else ""
        copied = copy.relative_to(folder).as_posix()
        raise InputError(str(problems[0]).replace(copied, str(path)) + more)
    if not fact_checks:
        raise InputError(f"{path}: no fact-check in it; give {_FACTCHECK_FORMS}")
    return fact_checks


def _lines(text: str, source: str, nothing: str, example: str) -> list[tuple[int, str]]:
    """The non-blank lines of ``text`` with their 1-based numbers (blank lines count); none is an error."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputError(f"{source}: {nothing}; give one JSON object per line, such as {example}")
    return lines


def _queries(source: str, text: str) -> list[tuple[int, str | int, str]]:
    """(line, id, text) of every query, checked; an id given twice is refused (its rankings could not be told
    apart)."""
    parsed: list[tuple[int, str | int, str]] = []
    first_of: dict[str, int] = {}
    for number, line in _lines(text, source, "no queries to rank", _QUERY_EXAMPLE):
        where = f"{source}:{number}"
        record = json_object(where, line)
        query_id = record.get("id")
        if query_id is None:
            raise InputError(f"{where}: no 'id'; give each query its own, a non-empty string or an integer")
        if isinstance(query_id, bool) or not isinstance(query_id, str | int) or query_id == "":
            raise InputError(f"{where}: 'id' {query_id!r} is not a non-empty string or an integer; give one")
        # 1 and "1" print alike, so they are one id
        earlier = first_of.setdefault(str(query_id), number)
        if earlier != number:
            raise InputError(f"{where}: 'id' {query_id!r} is the id of line {earlier} already; give each query its own")
        parsed.append((number, query_id, _text(where, record, "text")))
    return parsed


def _text(where: str, record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: no {key!r} (a non-empty string); give the sentence as {key!r}")
    return value


def _speaker(where: str, record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{where}: {key!r} must be a string or null")
    return value or None
