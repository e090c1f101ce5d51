"""Exports of a built dataset folder for other tools: a registry of formats, one module each.

============  ===============================================================================================
``claimreview``   :mod:`.claimreview`: one schema.org ``Claim`` (JSON-LD, ClaimReview-ready) per claim, JSON Lines
``label-studio``  :mod:`builder.labels.label_studio`: annotation tasks and their labeling config (the labels'
                  round trip lives with the labels)
``label-studio-pairs``  :mod:`.label_studio_pairs`: a task per ``matches`` row (the same claim or not?) and its
                  labeling config; ``factpack match fit --label-studio`` learns from the completed export
============  ===============================================================================================

``factpack export --format NAME`` runs ``EXPORTS[NAME]``. Each export reads the folder through
:mod:`builder.dataset_folder`, refuses to write inside it, writes a file atomically (or, for an export that
streams, to standard output when no file is given), and returns a small report
(:mod:`builder.models.reports`). A new export is a module with its function, and its :class:`Export` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from builder.export.claimreview import export_claimreview
from builder.export.label_studio_pairs import export_label_studio_pairs
from builder.labels import export_label_studio
from builder.models import ClaimReviewReport, LabelStudioReport

__all__ = ["EXPORTS", "Export", "export_claimreview", "export_label_studio_pairs"]


@dataclass(frozen=True)
class Export:
    """One export format: what it writes, where by default, and how its report reads in one line."""

    name: str
    run: Callable[..., Any]
    """``run(dist, out, **options)``: write the export, return its report."""
    default_out: str
    help: str
    out_help: str
    summary: Callable[[Any], str]
    options: frozenset[str] = frozenset()
    """The keyword options ``run`` takes besides ``dist`` and ``out`` (``order``, ``limit``)."""
    streams: bool = False
    """Whether ``run`` also writes to an open text stream (``out`` given as one): then standard output is its
    default, as for any filter; an export that writes a folder has ``default_out`` instead."""


def _claimreview_summary(report: ClaimReviewReport) -> str:
    authors = ", ".join(f"{count} {kind}" for kind, count in report.authors.items())
    where = "standard output" if report.path == "-" else report.path
    types = ", ".join(f"{count} {kind}" for kind, count in report.speaker_types.items())
    return f"{where}: {report.claims} Claim documents (authors: {authors}; speaker types: {types})"


def _label_studio_summary(report: LabelStudioReport) -> str:
    return (
        f"{report.tasks_file}: {report.tasks} tasks ({report.prefilled} pre-filled with existing labels); "
        f"labeling config {report.config_file}"
    )


def _label_studio_pairs_summary(report: LabelStudioReport) -> str:
    return f"{report.tasks_file}: {report.tasks} matched pairs to judge; labeling config {report.config_file}"


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export(
            "claimreview",
            export_claimreview,
            "claims.claimreview.jsonl",
            "schema.org Claim JSON Lines",
            "a .jsonl file; without it, or with -, standard output",
            _claimreview_summary,
            streams=True,
        ),
        Export(
            "label-studio",
            export_label_studio,
            "label-studio",
            "annotation tasks",
            "a folder (tasks.json, config.xml)",
            _label_studio_summary,
            frozenset({"order", "limit"}),
        ),
        Export(
            "label-studio-pairs",
            export_label_studio_pairs,
            "label-studio-pairs",
            "matched pairs to judge, the same claim or not",
            "a folder (tasks.json, config.xml)",
            _label_studio_pairs_summary,
        ),
    )
}
"""Every export format by the name ``--format`` takes, the default first."""
