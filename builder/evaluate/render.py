"""The evaluation report as text: per-type scores, attribution accuracies, type confusion, PolNeAR's figures."""

from __future__ import annotations

from collections.abc import Sequence

from builder.evaluate.models import EvalReport, MatchScores, QuotationScores, SpanScores, TypeScores
from builder.models import ClaimType
from builder.write.card import render_quality_table

__all__ = ["quotation_figure_line", "render_report"]


def _scores_cells(scores: SpanScores) -> str:
    return f"{scores.precision:.3f} {scores.recall:.3f} {scores.f1:.3f}"


def _score_rows(report: EvalReport) -> list[str]:
    rows: list[tuple[str, int, int, MatchScores | TypeScores]] = [
        (t.value, s.gold, s.predicted, s) for t, s in report.per_type.items()
    ]
    rows.append(("all, typed", report.gold, report.predictions, report.overall_typed))
    rows.append(("all, type ignored", report.gold, report.predictions, report.overall_untyped))
    width = max(len(name) for name, *_ in rows)
    header = f"{'':{width}}  {'':>5} {'':>5}  {'exact':<17}    {'overlap':<17}"
    columns = f"{'type':{width}}  {'gold':>5} {'pred':>5}  {'P':<5} {'R':<5} {'F1':<5}    {'P':<5} {'R':<5} {'F1':<5}"
    lines = [header.rstrip(), columns.rstrip()]
    for name, gold, predicted, scores in rows:
        cells = f"{_scores_cells(scores.exact)}    {_scores_cells(scores.overlap)}"
        lines.append(f"{name:{width}}  {gold:>5} {predicted:>5}  {cells}")
    return lines


def _attribution_rows(report: EvalReport) -> list[str]:
    accuracies = {
        "speaker span": report.speaker_span,
        "speaker name": report.speaker_name,
        "cue span": report.cue_span,
        "cue text": report.cue_text,
    }
    lines = [f"attribution over {report.overall_untyped.overlap.tp} overlap pairs (type ignored)"]
    for name, accuracy in accuracies.items():
        lines.append(f"  {name:<12}  {accuracy.correct:>5}/{accuracy.total:<5}  {accuracy.accuracy:.3f}")
    return lines


def _confusion_rows(report: EvalReport) -> list[str]:
    names = [t.value for t in ClaimType]
    first = max(len("gold \\ predicted"), *(len(name) for name in names), len("unmatched"))
    widths = [max(len(name), 5) for name in [*names, "unmatched"]]

    def row(label: str, cells: Sequence[str]) -> str:
        return f"{label:{first}}  " + "  ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths, strict=True))

    lines = [
        "type confusion over overlap pairs (type ignored): rows gold, columns predicted",
        row("gold \\ predicted", [*names, "unmatched"]),
    ]
    for t in ClaimType:
        counts = [str(report.confusion[t][p]) for p in ClaimType]
        lines.append(row(t.value, [*counts, str(report.unmatched_gold[t])]))
    lines.append(row("unmatched", [*(str(report.unmatched_predicted[p]) for p in ClaimType), "-"]))
    return lines


def _as_score_py_prints(value: float) -> str:
    """Rounded to 3 decimals and printed as Python prints a float: ``0.85`` for 0.850, ``0.0`` for zero."""
    return str(round(value, 3))


def quotation_figure_line(scores: QuotationScores) -> str:
    """``quotes P=… R=… F1=… speaker_acc=… indirect_R=…``, character for character as PolNeAR's score.py prints it."""
    figures = {
        "P": scores.precision,
        "R": scores.recall,
        "F1": scores.f1,
        "speaker_acc": scores.speaker_acc,
        "indirect_R": scores.indirect_recall,
    }
    return "quotes " + " ".join(f"{name}={_as_score_py_prints(value)}" for name, value in figures.items())


def _quotation_rows(report: EvalReport) -> list[str]:
    scores = report.quotations
    rows = [
        ("gold quotations", scores.gold_quotations, "matched", scores.matched),
        ("direct groups", scores.predicted_direct_groups, "matched", scores.matched_direct),
        ("indirect groups", scores.predicted_indirect_groups, "", None),
        ("speaker pairs", scores.speaker_pairs, "correct", scores.speaker_correct),
        ("unquoted gold", scores.unquoted_gold, "recalled", scores.unquoted_recalled),
    ]
    lines = ["quotation attribution, as PolNeAR's score.py (groups of articles without gold count too)"]
    for name, total, part_name, part in rows:
        tail = f"  {part_name:<8} {part:>5}" if part is not None else ""
        lines.append(f"  {name:<15} {total:>5}{tail}")
    lines.append(quotation_figure_line(scores))
    return lines


def render_report(report: EvalReport) -> str:
    """A compact plain-text view of ``report``: the quality table the dataset card shows (Markdown), scores per
    type and overall, attribution, type confusion and, last, the quotation attribution section, whose final line
    is PolNeAR score.py's figure line."""
    summary = (
        f"gold {report.gold} in {report.articles} article(s); predictions {report.predictions} scored, "
        f"{report.ignored_predictions} ignored (articles without gold; only the quotation figures count them); "
        f"overlap = IoU >= {report.overlap_threshold}"
    )
    sections = [
        [summary],
        ["quality table (typed, overlap), as the dataset card shows it", render_quality_table(report.quality)],
        _score_rows(report),
        _attribution_rows(report),
        _confusion_rows(report),
        _quotation_rows(report),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
