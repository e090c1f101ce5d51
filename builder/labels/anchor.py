"""Anchoring labels: merge curators' judgements from ``raw/labels.jsonl`` into the claims of a build.

Each line is a :class:`Label`: the claim it is about (``claim_id``, or a ``selector``: article, exact text,
prefix and suffix, as a W3C TextQuoteSelector), and ``verdict``, ``check_worthy`` and ``correction``.

* A ``claim_id`` that still exists anchors the label.
* Otherwise (the extractor moved the span, so the id changed) the selector re-anchors it: the occurrence of
  ``exact`` in the article whose surroundings best match ``prefix``/``suffix`` is found, and the label goes to the
  claim whose span overlaps that occurrence most, if their overlap (intersection over union) is at least 0.5.
* A label that anchors nowhere is an orphan, reported with its line; so is a second label for a claim already
  labelled, and a line that is not a valid label. Orphans fail the build unless allowed; bad lines always do.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from builder.config import LabelConfig
from builder.files import unencodable
from builder.models import Label, LabelSelector, Rejection, Stage
from builder.urls import credentials_in

__all__ = ["ArticleLookup", "ClaimSpan", "LabelReport", "merge_labels", "read_labels"]

_MIN_OVERLAP = 0.5


@dataclass
class LabelReport:
    """What merging did; ``problems`` are bad lines, ``orphans`` labels that anchor nowhere."""

    merged: int = 0
    reanchored: int = 0
    orphans: list[Rejection] = field(default_factory=list)
    problems: list[Rejection] = field(default_factory=list)


def read_labels(raw_dir: Path, cfg: LabelConfig) -> tuple[list[tuple[int, Label]], list[Rejection]]:
    """Every valid label with its 1-based line, and a problem for every invalid line. No file, no labels."""
    path = raw_dir / cfg.labels_file
    if not path.is_file():
        return [], []
    labels: list[tuple[int, Label]] = []
    problems: list[Rejection] = []
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line.decode("utf-8"))
                why = unencodable(value)
                if why is not None:
                    problems.append(_problem(cfg, number, "", why))
                    continue
                label = Label.model_validate(value)
                where = next(credentials_in(label.correction or ""), None)
                if where is not None:  # published as written with the claim: the curator takes it out
                    problems.append(_problem(cfg, number, "correction", f"{where}; take the credential out"))
                    continue
                labels.append((number, label))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                problems.append(_problem(cfg, number, "", f"not a JSON object ({exc}); fix or remove the line"))
            except ValidationError as exc:
                for error in exc.errors():
                    loc = ".".join(str(part) for part in error["loc"])
                    problems.append(_problem(cfg, number, loc, str(error["msg"]).removeprefix("Value error, ")))
    return labels, problems


def _problem(cfg: LabelConfig, line: int, loc: str, reason: str) -> Rejection:
    return Rejection(
        file=cfg.labels_file, line=line, loc=loc, reason=reason, stage=Stage.LABELS, article=cfg.labels_file
    )


@dataclass(frozen=True)
class ClaimSpan:
    """Where a claim sits: its place in the corpus (``position``), id and raw span."""

    position: int
    claim_id: str
    char_start: int
    char_end: int


ArticleLookup = Callable[[str], tuple[str, list[ClaimSpan]] | None]
"""An article (by id, source file or file name) → its raw text and its claims' spans, or None."""


def merge_labels(
    labels: Sequence[tuple[int, Label]],
    position_of: Callable[[str], int | None],
    article: ArticleLookup,
    cfg: LabelConfig,
) -> tuple[dict[int, tuple[int, Label]], LabelReport]:
    """Which claim (by position) each label goes to, with its line; and the report.

    ``position_of`` finds a claim by id; ``article`` is asked only for labels whose claim id is gone.
    """
    report = LabelReport()
    anchored: dict[int, tuple[int, Label]] = {}
    labelled: dict[int, str] = {}  # position -> claim id
    for line, label in labels:
        position = position_of(label.claim_id) if label.claim_id else None
        claim_id = label.claim_id
        reanchored = False
        if position is None and label.selector is not None:
            found = _reanchor(label.selector, article)
            if found is not None:
                position, claim_id, reanchored = found.position, found.claim_id, True
        if position is None:
            what = f"claim_id {label.claim_id}" if label.claim_id else "its selector"
            report.orphans.append(
                _problem(cfg, line, "claim_id" if label.selector is None else "selector",
                         f"{what} matches no claim any more; fix the line, or build with --allow-orphan-labels")
            )  # fmt: skip
            continue
        if position in anchored:
            reason = f"claim {labelled[position]} is already labelled at line {anchored[position][0]}"
            report.problems.append(_problem(cfg, line, "claim_id", reason))
            continue
        anchored[position] = (line, label)
        labelled[position] = claim_id or ""
        report.merged += 1
        report.reanchored += reanchored
    return anchored, report


def _reanchor(selector: LabelSelector, article: ArticleLookup) -> ClaimSpan | None:
    found = article(selector.article)
    if found is None:
        return None
    text, claims = found
    start = _best_occurrence(text, selector)
    if start is None:
        return None
    end = start + len(selector.exact)
    best, best_overlap = None, _MIN_OVERLAP
    for claim in claims:
        inter = min(end, claim.char_end) - max(start, claim.char_start)
        if inter <= 0:
            continue
        overlap = inter / (max(end, claim.char_end) - min(start, claim.char_start))
        if overlap >= best_overlap:
            best, best_overlap = claim, overlap
    return best


def _best_occurrence(text: str, selector: LabelSelector) -> int | None:
    """Where ``exact`` stands with the longest matching prefix and suffix around it."""
    best, best_score = None, -1
    at = text.find(selector.exact)
    while at != -1:
        end = at + len(selector.exact)
        before = text[max(0, at - len(selector.prefix)) : at]
        after = text[end : end + len(selector.suffix)]
        score = _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)
        if score > best_score:
            best, best_score = at, score
        at = text.find(selector.exact, at + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1]) if a and b else 0
