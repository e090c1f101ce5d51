"""Evaluate: score extracted claims against a hand-annotated gold set (``factpack eval``).

* :mod:`.score`: the matching and every number of the report (its docstring defines each one);
* :mod:`.read`: the gold JSONL, and the predictions of a dataset folder or a raw folder;
* :mod:`.render`: the report as text (first the quality table the dataset card shows), its last line in the
  format of PolNeAR's ``score.py``;
* :mod:`.models`: the gold record and the score records.
"""

from builder.evaluate.models import (
    Accuracy,
    EvalReport,
    GoldClaim,
    MatchScores,
    QuotationScores,
    SpanScores,
    TypeScores,
)
from builder.evaluate.read import evaluate_path, load_gold, predictions_from_dist, predictions_from_raw
from builder.evaluate.render import quotation_figure_line, render_report
from builder.evaluate.score import (
    OVERLAP_THRESHOLD,
    evaluate,
    is_quotation,
    prediction_article,
    quotation_scores,
    span_iou,
)

__all__ = [
    "OVERLAP_THRESHOLD",
    "Accuracy",
    "EvalReport",
    "GoldClaim",
    "MatchScores",
    "QuotationScores",
    "SpanScores",
    "TypeScores",
    "evaluate",
    "evaluate_path",
    "is_quotation",
    "load_gold",
    "prediction_article",
    "predictions_from_dist",
    "predictions_from_raw",
    "quotation_figure_line",
    "quotation_scores",
    "render_report",
    "span_iou",
]
