"""Curators' labels, in one place: read and anchored to claims by the build, written back from Label Studio.

* :mod:`.anchor`: ``raw/labels.jsonl`` read (every bad line a problem) and each label anchored to its claim, by
  id or, when the extractor moved the span, by its TextQuoteSelector;
* :mod:`.file`: new labels merged into ``raw/labels.jsonl`` without disturbing what curators wrote there;
* :mod:`.label_studio`: Label Studio tasks (one per claim, highlighted in its context) and their labeling config;
* :mod:`.label_studio_import`: Label Studio's JSON export back into ``raw/labels.jsonl``;
* :mod:`.offsets`: code points (factpack) ↔ UTF-16 units (Label Studio, JavaScript).

The round trip: ``factpack export --format label-studio`` → annotate → ``factpack labels import-label-studio``
→ the next ``factpack build`` merges the labels into the claims.
"""

from builder.labels.anchor import ArticleLookup, ClaimSpan, LabelReport, merge_labels, read_labels
from builder.labels.label_studio import export_label_studio
from builder.labels.label_studio_import import import_label_studio, read_label_studio_export

__all__ = [
    "ArticleLookup",
    "ClaimSpan",
    "LabelReport",
    "export_label_studio",
    "import_label_studio",
    "merge_labels",
    "read_label_studio_export",
    "read_labels",
]
