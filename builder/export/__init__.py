"""Exports of a built dataset folder, and the way curators' labels come back.

* :func:`export_claimreview`: one schema.org ``Claim`` (JSON-LD, ClaimReview-ready) per claim, as JSON Lines.
* :func:`export_label_studio`: Label Studio tasks (one per claim, claim highlighted in its context) and the
  labeling config they are made for.
* :func:`import_label_studio`: Label Studio's JSON export → labels merged into ``raw/labels.jsonl``, which the
  next build merges into the claims.

Each returns a small report (:mod:`builder.models.reports`); bad tasks of an export are reported there as data.
"""

from __future__ import annotations

from builder.export.claimreview import export_claimreview
from builder.export.label_studio import export_label_studio
from builder.export.label_studio_import import import_label_studio, read_label_studio_export
from builder.models import ClaimReviewReport, ImportReport, LabelStudioReport, TaskProblem

__all__ = [
    "ClaimReviewReport",
    "ImportReport",
    "LabelStudioReport",
    "TaskProblem",
    "export_claimreview",
    "export_label_studio",
    "import_label_studio",
    "read_label_studio_export",
]
