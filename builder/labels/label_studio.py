"""Label Studio tasks: one task per claim, to judge it (check-worthy? verdict? correction?) in its context.

:func:`export_label_studio` writes a folder with two files:

``tasks.json``
    A JSON array of tasks, one per claim, in parquet order (split, then row), one task per line. Each task is
    ``{"data": {…}, "predictions": [{"model_version": <extractor>, "score": <check_worthiness>, "result": […]}]}``.
    ``data`` holds ``context`` (the claim's paragraph, clipped to ``context_chars`` characters on each side of the
    claim: an exact slice of the raw text starting at ``context_start``), ``claim_text`` (the exact words),
    ``standalone`` (the claim readable on its own, its references resolved: "he" → "Jens Stoltenberg"; the same as
    ``claim_text`` when nothing needed resolving), ``needs_context`` (true when a reference stayed unresolved) and
    ``standalone_note`` (the line the annotator reads under the standalone text: empty, or that it still needs
    its context), ``heading`` (speaker, claim type, outlet, date, title on one line), and the ids and metadata:
    ``claim_id``, ``article_id``,
    ``source_file``, ``claim_type``, ``speaker``, ``speaker_title``, ``cue``, ``outlet``, ``title``, ``url``,
    ``published``, ``split``, ``check_worthiness`` (the heuristic score), the claim's label in the dataset
    (``label_source``, ``current_check_worthy``, ``current_verdict``, ``current_correction``: they let the import
    find the line to replace), and ``prefix`` and ``suffix`` of the claim's TextQuoteSelector, so an imported
    label can be re-anchored if the claim moves.
    The prediction highlights the claim in ``context`` (a ``Labels`` region with the claim id as region id). Its
    ``start``/``end`` count UTF-16 code units, as Label Studio does, not code points as factpack does.
    A claim that already has a curator's label in the dataset gets it pre-filled (check_worthy, verdict,
    correction), so an annotation is always the claim's whole new label.

``config.xml``
    The labeling config: the heading, the context with the claim highlighted, the claim as written and readable on
    its own side by side (display only: nothing in them can be selected), then three task-level controls:
    ``check_worthy`` (yes/no, required), ``verdict`` (one of ``verdicts``, plus any verdict already in the
    dataset; optional) and ``correction`` (free text; optional).

Import both into one project (Settings → Labeling Interface → Code, then Import ``tasks.json``); curators'
work comes back through :func:`builder.labels.label_studio_import.import_label_studio`.
"""

from __future__ import annotations

import heapq
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from builder.dataset_folder import ArticleInfo, check_outside, iter_claims
from builder.errors import ConfigError, DistError
from builder.files import write_atomic
from builder.labels.offsets import to_utf16
from builder.models import Claim, LabelStudioReport

__all__ = [
    "CHECK_WORTHY",
    "CLAIM",
    "CONFIG_NAME",
    "CONTEXT",
    "CONTEXT_CHARS",
    "CORRECTION",
    "EXACT",
    "NEEDS_CONTEXT_NOTE",
    "NO",
    "STANDALONE",
    "TASKS_NAME",
    "VERDICT",
    "VERDICTS",
    "YES",
    "claim_task",
    "export_label_studio",
    "labeling_config",
]

TASKS_NAME = "tasks.json"
CONFIG_NAME = "config.xml"
CONTEXT_CHARS = 600
VERDICTS = ("true", "false", "misleading", "unverifiable")

# Control and object names of the config; the importer reads results by them.
CLAIM = "claim"
CONTEXT = "context"
CHECK_WORTHY = "check_worthy"
VERDICT = "verdict"
CORRECTION = "correction"
YES, NO = "yes", "no"
# Display-only objects: the claim's exact words and its standalone text, side by side.
EXACT = "claim_text"
STANDALONE = "standalone"
NEEDS_CONTEXT_NOTE = "A reference in it stays unresolved: read it in its context above."


ORDERS = ("dataset", "check-worthiness")
"""Task orders: the dataset's (split, shard, row), or the claims most worth checking first (ties: the dataset's)."""


def export_label_studio(
    dist: Path,
    out: Path,
    *,
    context_chars: int = CONTEXT_CHARS,
    verdicts: Sequence[str] = VERDICTS,
    order: str = "dataset",
    limit: int | None = None,
) -> LabelStudioReport:
    """Write ``out/tasks.json`` and ``out/config.xml`` for the claims of the dataset folder ``dist``: in the
    dataset's order, or ``order="check-worthiness"`` (highest ``check_worthiness`` first, so curators label what
    matters most before they tire); ``limit``: only the first that many tasks.

    ``out`` is created when missing; other files in it are left alone. Raises
    :class:`~builder.errors.DistError` when ``dist`` is not a readable dataset folder and
    :class:`~builder.errors.ConfigError` for an unusable ``out``, ``context_chars``, verdict list, order or limit.
    """
    if order not in ORDERS:
        raise ConfigError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    if limit is not None and limit < 1:
        raise ConfigError(f"limit must be 1 or more, not {limit}")
    if context_chars < 0:
        raise ConfigError(f"context_chars must be 0 or more, not {context_chars}")
    if len(set(verdicts)) != len(verdicts) or not all(v.strip() for v in verdicts):
        raise ConfigError(f"verdicts must be distinct non-empty names, not {list(verdicts)}")
    check_outside(dist, out, folder=True)
    labelled: list[str] = []  # verdicts already in the dataset, which the config must offer too
    counts = {"tasks": 0, "prefilled": 0}

    def chosen() -> Iterator[tuple[Claim, ArticleInfo]]:
        if order == "dataset":
            yield from itertools.islice(iter_claims(dist, with_text=True), limit)
            return
        ranked = [(-claim.check_worthiness, at, claim.claim_id) for at, (claim, _) in enumerate(iter_claims(dist))]
        kept = {claim_id for *_, claim_id in (heapq.nsmallest(limit, ranked) if limit else ranked)}
        picked = [(claim, article) for claim, article in iter_claims(dist, with_text=True) if claim.claim_id in kept]
        position = {claim_id: rank for rank, (*_, claim_id) in enumerate(sorted(ranked))}
        yield from sorted(picked, key=lambda pair: position[pair[0].claim_id])

    def tasks() -> Iterator[str]:
        yield "["
        for claim, article in chosen():
            task = claim_task(claim, article, context_chars)
            if claim.verdict is not None and claim.verdict not in verdicts and claim.verdict not in labelled:
                labelled.append(claim.verdict)
            counts["prefilled"] += len(task["predictions"][0]["result"]) > 1
            yield ("\n" if not counts["tasks"] else ",\n") + json.dumps(task, ensure_ascii=False)
            counts["tasks"] += 1
        yield "\n]\n" if counts["tasks"] else "]\n"

    tasks_file, config_file = out / TASKS_NAME, out / CONFIG_NAME
    write_atomic(tasks_file, tasks())
    write_atomic(config_file, [labeling_config([*verdicts, *sorted(labelled)])])
    return LabelStudioReport(tasks_file=str(tasks_file), config_file=str(config_file), **counts)


def claim_task(claim: Claim, article: ArticleInfo, context_chars: int = CONTEXT_CHARS) -> dict[str, Any]:
    """The Label Studio task of one claim (see the module docstring); ``article`` must carry its text."""
    if article.text[claim.char_start : claim.char_end] != claim.text:
        raise DistError(
            f"claim {claim.claim_id}: its text is not article {claim.article_id!r}'s text at "
            f"{claim.char_start}:{claim.char_end}; rebuild the dataset folder"
        )
    start, end = _context_window(claim, article, context_chars)
    context = article.text[start:end]
    published = article.published.isoformat() if article.published else None
    heading = [claim.speaker or "(no speaker)", claim.claim_type.value.replace("_", " "), article.outlet, published]
    data = {
        "claim_id": claim.claim_id,
        "article_id": claim.article_id,
        "source_file": claim.source_file,
        "heading": " · ".join(part for part in [*heading, article.title] if part),
        "claim_text": claim.text,
        "standalone": claim.standalone,
        "needs_context": claim.needs_context,
        "standalone_note": NEEDS_CONTEXT_NOTE if claim.needs_context else "",
        "context": context,
        "context_start": start,
        "claim_type": claim.claim_type.value,
        "speaker": claim.speaker,
        "speaker_title": claim.speaker_title,
        "cue": claim.cue,
        "outlet": article.outlet,
        "title": article.title,
        "url": article.url,
        "published": published,
        "split": claim.split.value,
        "check_worthiness": claim.check_worthiness,
        "label_source": claim.label_source,
        "current_check_worthy": claim.check_worthy,
        "current_verdict": claim.verdict,
        "current_correction": claim.correction,
        "prefix": claim.selector.prefix,
        "suffix": claim.selector.suffix,
    }
    region = {
        "id": claim.claim_id,
        "from_name": CLAIM,
        "to_name": CONTEXT,
        "type": "labels",
        "value": {
            "start": to_utf16(context, claim.char_start - start),
            "end": to_utf16(context, claim.char_end - start),
            "text": claim.text,
            "labels": [CLAIM],
        },
    }
    # Only a curator's earlier label is pre-filled, never the heuristic score: a submitted pre-fill becomes a
    # label, and a heuristic copied into labels would be trained on as if a person had judged it.
    result = [region, *_label_results(claim)]
    prediction = {"model_version": claim.extractor, "score": claim.check_worthiness, "result": result}
    return {"data": data, "predictions": [prediction]}


def labeling_config(verdicts: Sequence[str] = VERDICTS) -> str:
    """The labeling config XML the tasks are made for."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="$heading", size="4")
    labels = ET.SubElement(view, "Labels", name=CLAIM, toName=CONTEXT)
    ET.SubElement(labels, "Label", value=CLAIM, background="#ffe08a")
    ET.SubElement(view, "Text", name=CONTEXT, value=f"${CONTEXT}", granularity="symbol")
    # "He said it would" cannot be judged without knowing who and what: the standalone text says it, beside the
    # exact words, so that a wrong resolution shows.
    sides = ET.SubElement(view, "View", style="display: flex; gap: 1em")
    for name, caption in ((EXACT, "The claim as written"), (STANDALONE, "Readable on its own (references resolved)")):
        side = ET.SubElement(sides, "View", style="flex: 1")
        ET.SubElement(side, "Header", value=caption, size="6")
        ET.SubElement(side, "Text", name=name, value=f"${name}", selectionEnabled="false")
    # Under the standalone text (the last side): empty, or that a reference in it stays unresolved.
    ET.SubElement(side, "Header", value=f"${STANDALONE}_note", size="6")
    ET.SubElement(view, "Header", value="Is the highlighted claim worth fact-checking?", size="5")
    check = ET.SubElement(
        view, "Choices", name=CHECK_WORTHY, toName=CONTEXT, choice="single-radio", required="true", showInline="true"
    )
    for value in (YES, NO):
        ET.SubElement(check, "Choice", value=value)
    ET.SubElement(view, "Header", value="Verdict, if you checked it", size="5")
    verdict = ET.SubElement(view, "Choices", name=VERDICT, toName=CONTEXT, choice="single-radio", showInline="true")
    for value in verdicts:
        ET.SubElement(verdict, "Choice", value=value)
    ET.SubElement(view, "Header", value="Correction of the claim or its attribution, if any", size="5")
    ET.SubElement(view, "TextArea", name=CORRECTION, toName=CONTEXT, rows="2", maxSubmissions="1", editable="true")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def _context_window(claim: Claim, article: ArticleInfo, context_chars: int) -> tuple[int, int]:
    """The claim's paragraph(s), else its sentence, clipped to ``context_chars`` on each side of the claim."""
    paragraphs = [(s, e) for s, e in article.body if s < claim.char_end and e > claim.char_start]
    start = min([s for s, _ in paragraphs] or [claim.context_start])
    end = max([e for _, e in paragraphs] or [claim.context_end])
    start = max(min(start, claim.char_start), claim.char_start - context_chars)
    end = min(max(end, claim.char_end), claim.char_end + context_chars)
    return start, end


def _label_results(claim: Claim) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    if claim.check_worthy is not None:
        choice = YES if claim.check_worthy else NO
        results.append(_result(CHECK_WORTHY, "choices", {"choices": [choice]}))
    if claim.verdict is not None:
        results.append(_result(VERDICT, "choices", {"choices": [claim.verdict]}))
    if claim.correction is not None:
        results.append(_result(CORRECTION, "textarea", {"text": [claim.correction]}))
    return results


def _result(control: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"from_name": control, "to_name": CONTEXT, "type": kind, "value": value}
