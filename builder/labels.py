"""Labels: merge curators' judgements from ``raw/labels.jsonl`` into the claims.

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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from builder.config import LabelConfig
from builder.ingest import unencodable
from builder.models import Article, Claim, Label, LabelSelector, Rejection, Stage

__all__ = ["LabelReport", "merge_labels", "read_labels"]

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
                labels.append((number, Label.model_validate(value)))
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


def merge_labels(
    claims: Sequence[Claim], articles: Sequence[Article], labels: Sequence[tuple[int, Label]], cfg: LabelConfig
) -> tuple[list[Claim], LabelReport]:
    """Claims with their labels merged (same order), and the report."""
    report = LabelReport()
    index = {claim.claim_id: position for position, claim in enumerate(claims)}
    by_article: dict[str, list[int]] = {}
    for order, claim in enumerate(claims):
        by_article.setdefault(claim.article_id, []).append(order)
    article_of: dict[str, Article] = {}
    for article in articles:
        for name in (article.article_id, article.source_file, PurePosixPath(article.source_file).name):
            article_of.setdefault(name, article)
    merged = list(claims)
    labelled_at: dict[int, int] = {}
    for line, label in labels:
        position = index.get(label.claim_id) if label.claim_id else None
        reanchored = False
        if position is None and label.selector is not None:
            position = _reanchor(label.selector, article_of, by_article, claims)
            reanchored = position is not None
        if position is None:
            what = f"claim_id {label.claim_id}" if label.claim_id else "its selector"
            report.orphans.append(
                _problem(cfg, line, "claim_id" if label.selector is None else "selector",
                         f"{what} matches no claim any more; fix the line, or build with --allow-orphan-labels")
            )  # fmt: skip
            continue
        if position in labelled_at:
            reason = f"claim {claims[position].claim_id} is already labelled at line {labelled_at[position]}"
            report.problems.append(_problem(cfg, line, "claim_id", reason))
            continue
        labelled_at[position] = line
        merged[position] = merged[position].model_copy(
            update={
                "verdict": label.verdict,
                "check_worthy": label.check_worthy,
                "correction": label.correction,
                "label_source": f"{cfg.labels_file}:{line}",
            }
        )
        report.merged += 1
        report.reanchored += reanchored
    return merged, report


def _reanchor(
    selector: LabelSelector,
    article_of: dict[str, Article],
    by_article: dict[str, list[int]],
    claims: Sequence[Claim],
) -> int | None:
    article = article_of.get(selector.article)
    if article is None:
        return None
    start = _best_occurrence(article.text, selector)
    if start is None:
        return None
    end = start + len(selector.exact)
    best, best_overlap = None, _MIN_OVERLAP
    for position in by_article.get(article.article_id, []):
        claim = claims[position]
        inter = min(end, claim.char_end) - max(start, claim.char_start)
        if inter <= 0:
            continue
        overlap = inter / (max(end, claim.char_end) - min(start, claim.char_start))
        if overlap >= best_overlap:
            best, best_overlap = position, overlap
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
