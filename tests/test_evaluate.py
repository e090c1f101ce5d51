from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import ConfigError, DistError, InputError
from builder.evaluate import (
    EvalReport,
    GoldClaim,
    QuotationScores,
    evaluate,
    evaluate_path,
    is_quotation,
    load_gold,
    prediction_article,
    predictions_from_dist,
    quotation_figure_line,
    quotation_scores,
    render_report,
    span_iou,
)
from builder.evaluate import read as evaluation
from builder.features import to_table
from builder.models import Claim, ClaimType, CueKind, TextQuoteSelector
from builder.write.card import render_quality_table

SEEDS = Path(__file__).resolve().parent / "gold" / "seeds.jsonl"

DQ = ClaimType.DIRECT_QUOTE
IQ = ClaimType.INDIRECT_QUOTE
IA = ClaimType.INTERVIEW_ANSWER
AS = ClaimType.AUTHOR_STATEMENT

Span = tuple[int, int]


def gold(
    start: int,
    end: int,
    claim_type: ClaimType = DQ,
    *,
    article: str = "a.txt",
    speaker: str | None = None,
    speaker_span: Span | None = None,
    cue: str | None = None,
    cue_span: Span | None = None,
    quoted: bool | None = None,
    cue_kind: CueKind | None = None,
) -> GoldClaim:
    return GoldClaim(
        article=article,
        char_start=start,
        char_end=end,
        text="g" * (end - start),
        claim_type=claim_type,
        quoted=quoted,
        speaker=speaker,
        speaker_start=speaker_span[0] if speaker_span else None,
        speaker_end=speaker_span[1] if speaker_span else None,
        cue=cue,
        cue_start=cue_span[0] if cue_span else None,
        cue_end=cue_span[1] if cue_span else None,
        cue_kind=cue_kind,
    )


def claim(
    start: int,
    end: int,
    claim_type: ClaimType = DQ,
    *,
    article: str = "a.txt",
    source_line: int | None = None,
    speaker: str | None = None,
    speaker_span: Span | None = None,
    cue: str | None = None,
    cue_span: Span | None = None,
    text: str | None = None,
    quote_id: str | None = None,
    cue_kind: CueKind | None = None,
) -> Claim:
    """A prediction with every required field; only the scored fields vary."""
    text = text if text is not None else "p" * (end - start)
    return Claim(
        claim_id=f"{start:08x}{end:08x}",
        article_id=article.removesuffix(".txt"),
        claim_type=claim_type,
        text=text,
        char_start=start,
        char_end=end,
        speaker=speaker,
        speaker_start=speaker_span[0] if speaker_span else None,
        speaker_end=speaker_span[1] if speaker_span else None,
        cue=cue,
        cue_start=cue_span[0] if cue_span else None,
        cue_end=cue_span[1] if cue_span else None,
        cue_kind=cue_kind,
        quote_id=quote_id,
        context=text,
        context_start=start,
        context_end=end,
        selector=TextQuoteSelector(exact=text, prefix="", suffix=""),
        sentence_index=0,
        paragraph_index=0,
        check_worthiness=0.5,
        source_file=f"articles/{article}",
        source_line=source_line,
        article_sha256="0" * 64,
        extractor="test-rules/0.0.0+00000000",
    )


def claim_from_gold(record: GoldClaim) -> Claim:
    """The perfect prediction of a gold record."""
    return claim(
        record.char_start,
        record.char_end,
        record.claim_type,
        article=record.article,
        speaker=record.speaker,
        speaker_span=(record.speaker_start, record.speaker_end)
        if record.speaker_start is not None and record.speaker_end is not None
        else None,
        cue=record.cue,
        cue_span=(record.cue_start, record.cue_end)
        if record.cue_start is not None and record.cue_end is not None
        else None,
        text=record.text,
    )


# --- IoU and article keys ---


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (0, 10), 1.0),
        ((0, 10), (0, 5), 0.5),
        ((0, 10), (5, 15), 5 / 15),
        ((0, 10), (10, 20), 0.0),  # half-open: adjacent spans share nothing
        ((0, 10), (20, 30), 0.0),
        ((3, 3), (3, 3), 0.0),
    ],
)
def test_span_iou(a: Span, b: Span, expected: float) -> None:
    assert span_iou(a, b) == pytest.approx(expected)
    assert span_iou(b, a) == span_iou(a, b)


def test_prediction_article_is_the_base_name_and_the_jsonl_line() -> None:
    assert prediction_article(claim(0, 1, article="sub/000_x.txt")) == "000_x.txt"
    assert prediction_article(claim(0, 1, article="feed.jsonl", source_line=3)) == "feed.jsonl:3"


# --- matching ---


def test_exact_needs_identical_offsets_while_overlap_accepts_a_near_span() -> None:
    report = evaluate([gold(0, 10)], [claim(0, 9)])
    exact, overlap = report.overall_untyped.exact, report.overall_untyped.overlap
    assert (exact.tp, exact.fp, exact.fn) == (0, 1, 1)
    assert (exact.precision, exact.recall, exact.f1) == (0.0, 0.0, 0.0)
    assert (overlap.tp, overlap.fp, overlap.fn) == (1, 0, 0)
    assert (overlap.precision, overlap.recall, overlap.f1) == (1.0, 1.0, 1.0)


def test_matching_is_one_to_one() -> None:
    report = evaluate([gold(0, 10)], [claim(0, 10), claim(1, 10)])
    for scores in (report.overall_untyped.exact, report.overall_untyped.overlap, report.per_type[DQ].overlap):
        assert (scores.tp, scores.fp, scores.fn) == (1, 1, 0)
    assert report.overall_untyped.overlap.precision == 0.5
    assert report.overall_untyped.overlap.f1 == pytest.approx(2 / 3)


def test_greedy_takes_the_highest_iou_first_not_the_first_listed() -> None:
    # Both predictions qualify; the exact one must win although the other is listed first.
    report = evaluate([gold(0, 10)], [claim(0, 8, IQ), claim(0, 10, DQ)])
    assert report.confusion[DQ][DQ] == 1
    assert report.confusion[DQ][IQ] == 0
    assert report.unmatched_predicted[IQ] == 1


def test_equal_iou_prefers_the_prediction_of_the_same_type() -> None:
    report = evaluate([gold(0, 10, DQ)], [claim(0, 10, IQ), claim(0, 10, DQ)])
    assert report.confusion[DQ] == {DQ: 1, IQ: 0, IA: 0, AS: 0}
    assert report.unmatched_predicted == {DQ: 0, IQ: 1, IA: 0, AS: 0}


@pytest.mark.parametrize("reverse", [False, True])
def test_equal_iou_ties_are_broken_by_offsets_not_input_order(reverse: bool) -> None:
    # Both predictions have IoU 0.8 with the gold; the one starting earlier wins, whichever is listed first.
    predictions = [claim(0, 8, speaker="Earlier"), claim(2, 10, speaker="Later")]
    report = evaluate([gold(0, 10, speaker="Earlier")], predictions[::-1] if reverse else predictions)
    assert (report.speaker_name.correct, report.speaker_name.total) == (1, 1)


@pytest.mark.parametrize(
    ("gold_span", "predicted_span", "matches"),
    [
        ((0, 10), (0, 5), True),  # IoU exactly 0.5
        ((0, 10), (5, 10), True),
        ((0, 100), (0, 50), True),
        ((0, 10), (0, 4), False),  # 0.4
        ((0, 99), (0, 49), False),  # 49/99, just under 0.5
        ((0, 10), (5, 15), False),  # 1/3
    ],
)
def test_overlap_threshold_is_inclusive(gold_span: Span, predicted_span: Span, matches: bool) -> None:
    report = evaluate([gold(*gold_span)], [claim(*predicted_span)])
    assert report.overall_untyped.overlap.tp == int(matches)
    assert report.overall_untyped.exact.tp == 0


def test_spans_are_only_compared_within_one_article() -> None:
    report = evaluate([gold(0, 10, article="a.txt"), gold(50, 60, article="b.txt")], [claim(0, 10, article="b.txt")])
    assert (report.overall_untyped.overlap.tp, report.overall_untyped.overlap.fp) == (0, 1)
    assert report.overall_untyped.overlap.fn == 2
    assert report.articles == 2


# --- typed versus type-agnostic ---


def test_a_wrong_type_is_a_span_hit_but_a_typed_miss() -> None:
    report = evaluate([gold(0, 10, DQ)], [claim(0, 10, IQ)])
    assert report.overall_untyped.exact.tp == 1
    assert report.overall_typed.exact.tp == 0
    assert (report.per_type[DQ].exact.tp, report.per_type[DQ].exact.fn, report.per_type[DQ].exact.fp) == (0, 1, 0)
    assert (report.per_type[IQ].exact.tp, report.per_type[IQ].exact.fn, report.per_type[IQ].exact.fp) == (0, 0, 1)
    assert report.confusion[DQ][IQ] == 1


def test_typed_matching_pairs_within_the_type_even_when_another_type_overlaps_more() -> None:
    # Type-agnostic matching takes the exact indirect span; typed matching must still find the direct one.
    report = evaluate([gold(0, 10, DQ)], [claim(0, 10, IQ), claim(0, 8, DQ)])
    assert report.overall_typed.overlap.tp == 1
    assert report.per_type[DQ].overlap.tp == 1
    assert report.per_type[IQ].overlap.fp == 1
    assert report.confusion[DQ][IQ] == 1
    assert report.unmatched_predicted[DQ] == 1


def test_per_type_counts_and_overall_typed_is_their_sum() -> None:
    golds = [gold(0, 10, DQ), gold(20, 30, DQ), gold(40, 50, IQ), gold(60, 70, AS)]
    predictions = [claim(0, 10, DQ), claim(20, 26, DQ), claim(40, 50, AS), claim(80, 90, IA)]
    report = evaluate(golds, predictions)
    assert {t: (s.gold, s.predicted) for t, s in report.per_type.items()} == {
        DQ: (2, 2),
        IQ: (1, 0),
        IA: (0, 1),
        AS: (1, 1),
    }
    assert report.per_type[DQ].exact.tp == 1
    assert report.per_type[DQ].overlap.tp == 2
    assert report.per_type[AS].overlap.tp == 0
    assert report.overall_typed.overlap.tp == sum(s.overlap.tp for s in report.per_type.values()) == 2
    assert report.overall_untyped.overlap.tp == 3


def test_confusion_matrix_and_unmatched_counts() -> None:
    golds = [gold(0, 10, DQ), gold(20, 30, DQ), gold(40, 50, IQ), gold(60, 70, IA), gold(80, 90, AS)]
    predictions = [claim(0, 10, DQ), claim(20, 30, IQ), claim(40, 50, IQ), claim(60, 70, AS), claim(100, 110, AS)]
    report = evaluate(golds, predictions)
    assert report.confusion == {
        DQ: {DQ: 1, IQ: 1, IA: 0, AS: 0},
        IQ: {DQ: 0, IQ: 1, IA: 0, AS: 0},
        IA: {DQ: 0, IQ: 0, IA: 0, AS: 1},
        AS: {DQ: 0, IQ: 0, IA: 0, AS: 0},
    }
    assert report.unmatched_gold == {DQ: 0, IQ: 0, IA: 0, AS: 1}
    assert report.unmatched_predicted == {DQ: 0, IQ: 0, IA: 0, AS: 1}


# --- speaker and cue ---


def test_speaker_and_cue_accuracy_over_matched_pairs() -> None:
    def said_by_stoltenberg(start: int, end: int) -> GoldClaim:
        return gold(start, end, speaker="Jens Stoltenberg", speaker_span=(100, 116), cue="said", cue_span=(120, 124))

    golds = [
        said_by_stoltenberg(0, 10),
        said_by_stoltenberg(20, 30),
        said_by_stoltenberg(40, 50),
        gold(60, 70, IQ, speaker="Jens Stoltenberg"),  # free indirect continuation: name, no mention, no cue
        gold(80, 90, AS),  # no speaker: outside every denominator
        gold(200, 210, speaker="NATO", speaker_span=(190, 192), cue="said", cue_span=(193, 197)),  # unmatched
    ]
    predictions = [
        # Right: a narrower mention still overlaps; names and cues compare case- and whitespace-insensitively.
        claim(0, 10, speaker="jens\u00a0 STOLTENBERG", speaker_span=(105, 116), cue="Said", cue_span=(120, 124)),
        # Wrong: the mention only touches the gold span's end (half-open, no shared character); another cue.
        claim(20, 30, speaker="Stoltenberg", speaker_span=(116, 120), cue="told", cue_span=(124, 128)),
        # Wrong: nothing predicted; the gold's wrong type does not matter for attribution.
        claim(40, 50, IQ),
        claim(60, 70, IQ, speaker="Jens Stoltenberg"),
        claim(80, 90, AS, speaker="Someone", speaker_span=(0, 3)),
    ]
    report = evaluate(golds, predictions)
    assert (report.speaker_span.correct, report.speaker_span.total) == (1, 3)
    assert (report.speaker_name.correct, report.speaker_name.total) == (2, 4)
    assert (report.cue_span.correct, report.cue_span.total) == (1, 3)
    assert (report.cue_text.correct, report.cue_text.total) == (1, 3)
    assert report.speaker_name.accuracy == 0.5
    assert report.cue_text.accuracy == pytest.approx(1 / 3)


def test_speaker_accuracy_per_type_takes_the_pairs_of_each_gold_type_and_adds_up_to_the_overall() -> None:
    mention = (100, 110)
    golds = [
        gold(0, 10, DQ, speaker="Anna Berg", speaker_span=mention),
        gold(20, 30, DQ, speaker="Anna Berg", speaker_span=mention),
        gold(40, 50, IQ, speaker="Port Authority", speaker_span=(120, 134)),
        gold(60, 70, IQ, speaker="Port Authority"),  # a name without a mention: in the name's denominator only
        gold(80, 90, AS),
    ]
    predictions = [
        claim(0, 10, DQ, speaker="anna berg", speaker_span=(100, 104)),  # both right
        claim(20, 30, DQ, speaker="Berg", speaker_span=(110, 114)),  # touches the end only: both wrong
        claim(40, 50, DQ, speaker="Port Authority", speaker_span=(120, 124)),  # wrong type: still judged under IQ
        claim(60, 70, IQ),  # no speaker: wrong
        claim(80, 90, AS, speaker="Someone", speaker_span=(0, 3)),  # gold has no speaker: not judged
    ]
    report = evaluate(golds, predictions)
    spans = {t: (s.speaker_span.correct, s.speaker_span.total) for t, s in report.per_type.items()}
    names = {t: (s.speaker_name.correct, s.speaker_name.total) for t, s in report.per_type.items()}
    assert spans == {DQ: (1, 2), IQ: (1, 1), IA: (0, 0), AS: (0, 0)}
    assert names == {DQ: (1, 2), IQ: (1, 2), IA: (0, 0), AS: (0, 0)}
    assert (report.speaker_span.correct, report.speaker_span.total) == (2, 3)
    assert (report.speaker_name.correct, report.speaker_name.total) == (2, 4)


def test_cue_kinds_count_gold_and_predictions_and_judge_only_where_the_gold_has_a_kind() -> None:
    speech, belief, intention = CueKind.SPEECH, CueKind.BELIEF, CueKind.INTENTION
    golds = [
        gold(0, 10, IQ, cue_kind=speech),
        gold(20, 30, IQ, cue_kind=belief),
        gold(40, 50, IQ, cue_kind=belief),
        gold(60, 70, IQ),  # no kind annotated: judges nothing
        gold(80, 90, IQ, cue_kind=intention),  # unmatched
    ]
    predictions = [
        claim(0, 10, IQ, cue_kind=speech),  # speech right
        claim(20, 30, IQ, cue_kind=speech),  # speech wrong: the gold says belief
        claim(40, 48, IQ, cue_kind=belief),  # belief right (IoU 0.8)
        claim(60, 70, IQ, cue_kind=intention),  # not judged
        claim(200, 210, IQ, cue_kind=intention),  # unmatched: counted, not judged
        claim(0, 5, IQ, article="other.txt", cue_kind=belief),  # article without gold: not counted
    ]
    rows = {row.cue_kind: row for row in evaluate(golds, predictions).quality.cue_kinds}
    assert list(rows) == [speech, belief, intention]
    counts = {kind: (row.gold, row.predicted, row.precision.correct, row.precision.total) for kind, row in rows.items()}
    assert counts == {speech: (1, 2, 1, 2), belief: (2, 1, 1, 1), intention: (1, 2, 0, 0)}
    assert (rows[speech].precision.accuracy, rows[intention].precision.accuracy) == (0.5, 0.0)


def test_the_quality_table_has_each_type_and_all_with_typed_overlap_scores_and_speakers() -> None:
    golds = [
        gold(0, 10, DQ, speaker="Anna Berg", speaker_span=(100, 109)),
        gold(20, 30, IQ, speaker="Anna Berg", speaker_span=(100, 109), cue_kind=CueKind.SPEECH),
        gold(40, 50, AS),
        gold(60, 70, AS),
    ]
    predictions = [
        claim(0, 9, DQ, speaker="Anna Berg", speaker_span=(100, 104)),  # IoU 0.9
        claim(20, 30, AS),  # a span hit, a typed miss; its speaker is missing
        claim(40, 50, AS),
        claim(120, 130, AS),
    ]
    table = evaluate(golds, predictions).quality
    rows = {row.claim_type: row for row in table.rows}
    assert list(rows) == [*(t.value for t in ClaimType), "all"]
    figures = {
        name: (row.gold, row.predicted, row.precision, row.recall, row.speaker_span.total, row.speaker_name.correct)
        for name, row in rows.items()
    }
    assert figures == {
        "direct_quote": (1, 1, 1.0, 1.0, 1, 1),
        "indirect_quote": (1, 0, 0.0, 0.0, 1, 0),
        "interview_answer": (0, 0, 0.0, 0.0, 0, 0),
        "author_statement": (2, 3, 1 / 3, 0.5, 0, 0),
        "all": (4, 4, 0.5, 0.5, 2, 1),
    }
    assert rows["author_statement"].f1 == pytest.approx(0.4) and rows["all"].f1 == 0.5
    assert render_quality_table(table).split("\n\n")[0].splitlines() == [
        "| claim type | gold | predicted | P | R | F1 | speaker span | speaker name |",
        "|---|---|---|---|---|---|---|---|",
        "| direct_quote | 1 | 1 | 1.000 | 1.000 | 1.000 | 1.000 (1/1) | 1.000 (1/1) |",
        "| indirect_quote | 1 | 0 | 0.000 | 0.000 | 0.000 | 0.000 (0/1) | 0.000 (0/1) |",
        "| interview_answer | 0 | 0 | 0.000 | 0.000 | 0.000 | – | – |",
        "| author_statement | 2 | 3 | 0.333 | 0.500 | 0.400 | – | – |",
        "| all | 4 | 4 | 0.500 | 0.500 | 0.500 | 0.500 (1/2) | 0.500 (1/2) |",
    ]


# --- quotation attribution (PolNeAR's figures) ---


@pytest.mark.parametrize(
    ("claim_type", "quoted", "expected"),
    [
        (DQ, None, True),  # no flag: the type decides
        (IQ, None, False),
        (AS, None, False),
        (IQ, True, True),  # the flag wins over the type: a mixed quote labelled indirect holds a quotation mark
        (DQ, False, False),
    ],
)
def test_a_quotation_is_the_quoted_flag_else_a_direct_quote(
    claim_type: ClaimType, quoted: bool | None, expected: bool
) -> None:
    record = gold(0, 10, claim_type, quoted=quoted)
    assert is_quotation(record) is expected
    scores = quotation_scores([record], [])
    assert (scores.gold_quotations, scores.unquoted_gold) == ((1, 0) if expected else (0, 1))


def test_pieces_of_one_quote_id_are_one_group_spanning_them_all() -> None:
    # '"A," he said. "B."': two pieces, one quotation [0, 40) in the gold.
    pieces = [claim(0, 10, quote_id="q1"), claim(30, 40, quote_id="q1")]
    grouped = quotation_scores([gold(0, 40)], pieces)
    assert (grouped.predicted_direct_groups, grouped.matched) == (1, 1)
    assert (grouped.precision, grouped.recall) == (1.0, 1.0)
    # The same pieces without a quote_id are two groups, neither near enough the whole quotation.
    apart = quotation_scores([gold(0, 40)], [claim(0, 10), claim(30, 40)])
    assert (apart.predicted_direct_groups, apart.matched) == (2, 0)


def test_groups_are_per_type_and_article_and_only_quotation_types_form_them() -> None:
    predictions = [
        claim(0, 10, DQ, quote_id="q"),
        claim(20, 30, IQ, quote_id="q"),  # same quote_id, other type: another group
        claim(0, 10, DQ, article="b.txt", quote_id="q"),  # same quote_id, other article: another group
        claim(40, 50, IA),
        claim(60, 70, AS),
    ]
    scores = quotation_scores([], predictions)
    assert (scores.predicted_direct_groups, scores.predicted_indirect_groups) == (2, 1)


def test_quotes_are_matched_one_to_one_highest_iou_first() -> None:
    golds = [gold(0, 10), gold(0, 12)]
    # The one group overlaps both gold quotations; it goes to the one it fits exactly, the other is missed.
    scores = quotation_scores(golds, [claim(0, 12, speaker_span=(20, 22))])
    assert (scores.matched, scores.recall) == (1, 0.5)
    # Had the group gone to gold(0, 10), its speaker (40, 45) would not have been the one judged.
    golds = [gold(0, 10, speaker_span=(40, 45)), gold(0, 12, speaker_span=(20, 22))]
    assert quotation_scores(golds, [claim(0, 12, speaker_span=(20, 22))]).speaker_correct == 1


def test_equal_iou_pairs_the_later_gold_as_score_py_does() -> None:
    # Two gold attributions of one content by two sources; the group names the first. score.py takes the later
    # gold first at equal IoU, so the pair is judged against the second source, and the speaker is wrong.
    golds = [gold(0, 10, speaker_span=(20, 25)), gold(0, 10, speaker_span=(30, 35))]
    scores = quotation_scores(golds, [claim(0, 10, speaker_span=(20, 25))])
    assert (scores.matched, scores.speaker_pairs, scores.speaker_correct) == (1, 1, 0)


def test_precision_counts_direct_groups_only_while_recall_takes_either_type() -> None:
    golds = [gold(0, 10), gold(20, 30), gold(40, 50)]
    predictions = [
        claim(0, 10, DQ),  # matched direct group
        claim(20, 30, IQ),  # matched indirect group: recall, not precision
        claim(60, 65, DQ),  # a scare quote called a direct quote: costs precision
        claim(80, 90, IQ),  # an unmatched indirect group costs nothing here
    ]
    scores = quotation_scores(golds, predictions)
    assert (scores.predicted_direct_groups, scores.predicted_indirect_groups) == (2, 2)
    assert (scores.matched, scores.matched_direct) == (2, 1)
    assert (scores.precision, scores.recall) == (0.5, pytest.approx(2 / 3))
    assert scores.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_direct_groups_of_articles_without_gold_count_in_precision() -> None:
    # As score.py: it walks every article of the gold and of the dataset. The span scores still ignore them.
    predictions = [claim(0, 10, article="a.txt"), claim(0, 10, article="unannotated.txt")]
    report = evaluate([gold(0, 10, article="a.txt")], predictions)
    assert report.ignored_predictions == 1
    assert report.overall_untyped.overlap.precision == 1.0
    assert (report.quotations.matched_direct, report.quotations.predicted_direct_groups) == (1, 2)
    assert report.quotations.precision == 0.5


def test_speaker_accuracy_needs_an_overlapping_mention() -> None:
    golds = [
        gold(0, 10, speaker_span=(100, 105)),
        gold(20, 30, speaker_span=(100, 105)),
        gold(40, 50, speaker_span=(100, 105)),
        gold(60, 70),  # the annotators marked no source: outside the denominator
        gold(200, 210, speaker_span=(190, 195)),  # unmatched: outside the denominator
    ]
    predictions = [
        claim(0, 10, speaker_span=(104, 110)),  # one shared character: right
        claim(20, 30, speaker_span=(105, 110)),  # touches the end only (half-open): wrong
        claim(40, 50, speaker="Resolved Name"),  # a name without a mention span: wrong
        claim(60, 70, speaker_span=(0, 3)),
    ]
    scores = quotation_scores(golds, predictions)
    assert (scores.matched, scores.speaker_pairs, scores.speaker_correct) == (4, 3, 1)
    assert scores.speaker_acc == pytest.approx(1 / 3)


def test_a_group_speaks_through_its_first_piece_with_a_mention() -> None:
    pieces = [
        claim(0, 10, quote_id="q"),  # no mention
        claim(30, 40, quote_id="q", speaker_span=(50, 55)),  # the first mention, in claim order
        claim(12, 20, quote_id="q", speaker_span=(100, 105)),
    ]
    right = quotation_scores([gold(0, 40, speaker_span=(50, 55))], pieces)
    wrong = quotation_scores([gold(0, 40, speaker_span=(100, 105))], pieces)
    assert (right.speaker_correct, wrong.speaker_correct) == (1, 0)


def test_indirect_recall_takes_any_group_of_either_type_not_one_to_one() -> None:
    golds = [
        gold(0, 10, IQ),  # a direct group overlaps it
        gold(20, 30, IQ),  # an indirect group overlaps it ...
        gold(20, 29, IQ, quoted=False),  # ... and this one too: not one to one
        gold(40, 50, IQ),  # the group is under IoU 0.5
        gold(60, 70, AS),  # unquoted as well; an author statement forms no group
        gold(20, 30, IQ, article="b.txt"),  # only groups of its own article count
        gold(80, 90, DQ),  # a quotation: outside the denominator, though matched
    ]
    predictions = [
        claim(0, 10, DQ),
        claim(20, 30, IQ),
        claim(40, 44, IQ),
        claim(60, 70, AS),
        claim(80, 90, DQ),
    ]
    scores = quotation_scores(golds, predictions)
    assert (scores.unquoted_gold, scores.unquoted_recalled) == (6, 3)
    assert scores.indirect_recall == 0.5
    assert (scores.gold_quotations, scores.matched) == (1, 1)


def test_quotation_figures_with_zero_denominators_are_zero_not_nan() -> None:
    empty = quotation_scores([], [])
    nothing_predicted = quotation_scores([gold(0, 10), gold(20, 30, IQ)], [])
    nothing_quoted = quotation_scores([gold(20, 30, IQ)], [claim(40, 50, DQ)])
    for scores in (empty, nothing_predicted, nothing_quoted):
        figures = [scores.precision, scores.recall, scores.f1, scores.speaker_acc, scores.indirect_recall]
        assert all(figure == 0.0 and not math.isnan(figure) for figure in figures)
    assert (nothing_predicted.gold_quotations, nothing_predicted.unquoted_gold) == (1, 1)
    assert (nothing_quoted.predicted_direct_groups, nothing_quoted.matched) == (1, 0)


def _quotation_figures(**figures: float) -> QuotationScores:
    counts = dict.fromkeys(
        [
            "gold_quotations",
            "predicted_direct_groups",
            "predicted_indirect_groups",
            "matched",
            "matched_direct",
            "speaker_pairs",
            "speaker_correct",
            "unquoted_gold",
            "unquoted_recalled",
        ],
        0,
    )
    return QuotationScores.model_validate({**counts, **figures})


def test_the_figure_line_prints_as_score_py_does() -> None:
    scores = _quotation_figures(precision=0.85, recall=2 / 3, f1=0.99951, speaker_acc=0.0, indirect_recall=0.41249)
    # Rounded to 3 decimals, then printed as Python prints a float: no padding zeros, so the lines diff as text.
    assert quotation_figure_line(scores) == "quotes P=0.85 R=0.667 F1=1.0 speaker_acc=0.0 indirect_R=0.412"


def test_the_rendered_report_ends_with_the_figure_line() -> None:
    golds = [gold(0, 10, speaker_span=(20, 25)), gold(30, 40, IQ), gold(50, 60, IQ)]
    predictions = [claim(0, 10, DQ, speaker_span=(20, 25)), claim(30, 40, IQ), claim(70, 80, DQ)]
    report = evaluate(golds, predictions)
    section = render_report(report).rstrip("\n").split("\n\n")[-1].splitlines()
    assert section[-1] == "quotes P=0.5 R=1.0 F1=0.667 speaker_acc=1.0 indirect_R=0.5"
    rows = {" ".join(line.split()[:2]): line.split()[2:] for line in section[1:-1]}
    assert rows == {
        "gold quotations": ["1", "matched", "1"],
        "direct groups": ["2", "matched", "1"],
        "indirect groups": ["1"],
        "speaker pairs": ["1", "correct", "1"],
        "unquoted gold": ["2", "recalled", "1"],
    }


def test_undefined_ratios_are_zero_not_nan() -> None:
    nothing_predicted = evaluate([gold(0, 10)], [])
    scores = nothing_predicted.overall_untyped.overlap
    assert (scores.tp, scores.fp, scores.fn) == (0, 0, 1)
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)
    # A type with predictions but no gold: recall has no denominator.
    only_false_positives = evaluate([gold(0, 10, DQ)], [claim(0, 10, DQ), claim(20, 30, AS)]).per_type[AS].overlap
    assert (only_false_positives.precision, only_false_positives.recall, only_false_positives.f1) == (0.0, 0.0, 0.0)
    empty = evaluate([], [])
    assert empty.speaker_span.accuracy == 0.0
    assert empty.speaker_span.total == 0
    numbers = [s.overlap.f1 for s in empty.per_type.values()] + [
        empty.overall_typed.exact.precision,
        empty.overall_untyped.overlap.recall,
    ]
    assert all(n == 0.0 and not math.isnan(n) for n in numbers)


def test_predictions_for_articles_without_gold_are_ignored() -> None:
    golds = [gold(0, 10, article="a.txt"), gold(0, 10, article="feed.jsonl:3")]
    predictions = [
        claim(0, 10, article="a.txt"),
        claim(0, 10, article="feed.jsonl", source_line=3),
        claim(0, 10, article="feed.jsonl", source_line=4),
        claim(0, 10, article="unannotated.txt"),
        claim(30, 40, article="unannotated.txt"),
    ]
    report = evaluate(golds, predictions)
    assert report.gold == 2
    assert report.predictions == 2
    assert report.ignored_predictions == 3
    assert report.articles == 2
    scores = report.overall_untyped.exact
    assert (scores.tp, scores.fp, scores.fn) == (2, 0, 0)
    assert report.unmatched_predicted == {DQ: 0, IQ: 0, IA: 0, AS: 0}


# --- properties ---

_spans = st.tuples(st.integers(0, 40), st.integers(1, 15)).map(lambda s: (s[0], s[0] + s[1]))
_records = st.lists(
    st.tuples(st.sampled_from(["a.txt", "b.txt"]), _spans, st.sampled_from(list(ClaimType))), max_size=12
)


@settings(max_examples=200, deadline=None)
@given(gold_records=_records, predicted_records=_records)
def test_counts_reconcile(
    gold_records: list[tuple[str, Span, ClaimType]], predicted_records: list[tuple[str, Span, ClaimType]]
) -> None:
    golds = [gold(*span, t, article=article) for article, span, t in gold_records]
    predictions = [claim(*span, t, article=article) for article, span, t in predicted_records]
    report = evaluate(golds, predictions)
    scored = report.predictions
    for match in (report.overall_typed, report.overall_untyped):
        for scores in (match.exact, match.overlap):
            assert scores.tp + scores.fn == len(golds)
            assert scores.tp + scores.fp == scored
        # Exact pairs have IoU 1, so greedy overlap matching takes them first and then adds more.
        assert match.exact.tp <= match.overlap.tp
    for kind in ("exact", "overlap"):
        assert getattr(report.overall_typed, kind).tp == sum(getattr(s, kind).tp for s in report.per_type.values())
    for t in ClaimType:
        assert sum(report.confusion[t].values()) + report.unmatched_gold[t] == report.per_type[t].gold
        assert sum(row[t] for row in report.confusion.values()) + report.unmatched_predicted[t] == (
            report.per_type[t].predicted
        )
    quotes = report.quotations
    assert quotes.gold_quotations + quotes.unquoted_gold == len(golds)
    assert quotes.matched <= quotes.gold_quotations
    assert quotes.matched_direct <= quotes.predicted_direct_groups
    assert quotes.matched - quotes.matched_direct <= quotes.predicted_indirect_groups
    assert quotes.speaker_correct <= quotes.speaker_pairs <= quotes.matched
    assert quotes.unquoted_recalled <= quotes.unquoted_gold


def test_the_gold_scored_against_itself_is_perfect() -> None:
    records = load_gold(SEEDS)
    report = evaluate(records, [claim_from_gold(r) for r in records])
    for match in (report.overall_typed, report.overall_untyped):
        assert (match.exact.f1, match.overlap.f1) == (1.0, 1.0)
    assert all(s.exact.f1 == 1.0 for s in report.per_type.values())
    for accuracy in (report.speaker_span, report.speaker_name, report.cue_span, report.cue_text):
        assert accuracy.accuracy == 1.0
    assert report.speaker_name.total == 80  # every record but the 12 author statements
    assert report.speaker_span.total == 79  # less the free indirect continuation in 004
    assert report.cue_span.total == report.cue_text.total == 44
    assert sum(report.confusion[t][t] for t in ClaimType) == 92
    quotes = report.quotations
    assert (quotes.precision, quotes.recall, quotes.f1, quotes.speaker_acc) == (1.0, 1.0, 1.0, 1.0)
    assert (quotes.gold_quotations, quotes.unquoted_gold) == (24, 68)
    # Only quotation types form groups: the 21 indirect quotes are recalled, answers and statements are not.
    assert quotes.unquoted_recalled == 21


def test_report_round_trips_through_json() -> None:
    golds = [gold(0, 10, speaker="X", speaker_span=(20, 21)), gold(30, 40, IQ)]
    report = evaluate(golds, [claim(0, 9, IQ, speaker="x", speaker_span=(20, 21)), claim(30, 40, DQ)])
    assert EvalReport.model_validate_json(report.model_dump_json()) == report
    assert [row["claim_type"] for row in report.model_dump(mode="json")["quality"]["rows"]][-1] == "all"
    # --json prints model_dump(mode="json"): the quotation figures are in it, by name.
    quotes = report.model_dump(mode="json")["quotations"]
    assert (quotes["matched"], quotes["speaker_correct"], quotes["unquoted_recalled"]) == (1, 1, 1)
    assert (quotes["precision"], quotes["recall"], quotes["speaker_acc"], quotes["indirect_recall"]) == (
        0.0,
        1.0,
        1.0,
        1.0,
    )


# --- gold loading ---


def test_load_gold_reads_the_seed_gold_set() -> None:
    records = load_gold(SEEDS)
    assert len(records) == 92
    assert {r.claim_type for r in records} == set(ClaimType)
    assert len({r.article for r in records}) == 5
    first = records[0]
    assert first.article == "000_441cd17370331efe.txt"
    assert (first.char_start, first.char_end, first.claim_type) == (231, 349, IQ)
    assert (first.speaker, first.cue, first.cue_start, first.cue_end) == ("Jens Stoltenberg", "told", 388, 392)


def _record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "article": "a.txt",
        "char_start": 0,
        "char_end": 4,
        "text": "abcd",
        "claim_type": "direct_quote",
        "speaker": "Jens Stoltenberg",
        "speaker_start": 10,
        "speaker_end": 26,
        "cue": "said",
        "cue_start": 27,
        "cue_end": 31,
    }
    record.update(changes)
    return record


def test_load_gold_skips_blank_lines_and_keeps_text_with_line_separators(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    odd = json.dumps(_record(text="a\u2028b\u0085", char_end=4), ensure_ascii=False)
    path.write_text(f"\n{json.dumps(_record())}\n   \n{odd}\n\n", encoding="utf-8")
    records = load_gold(path)
    assert [r.text for r in records] == ["abcd", "a\u2028b\u0085"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (json.dumps(_record(char_end="4")), "char_end"),  # strict: a string is not an offset
        (json.dumps(_record(char_end=4.0)), "char_end"),
        (json.dumps(_record(claim_type="quote")), "claim_type"),
        (json.dumps(_record(char_start=5, char_end=5, text="")), "char_end"),
        (json.dumps(_record(text="abc")), "text"),
        (json.dumps(_record(speaker_end=None)), "speaker_end"),
        (json.dumps(_record(cue_start=31, cue_end=27)), "cue_end"),
        (json.dumps(_record(cue="stated")), "cue_end"),  # the cue is longer than its span
        (json.dumps(_record(note="x")), "note"),
        (json.dumps(_record(quoted="true")), "quoted"),  # strict: only a JSON boolean
        (json.dumps(_record(quoted=1)), "quoted"),
        (json.dumps(_record(cue_kind="opinion")), "cue_kind"),
        (json.dumps({k: v for k, v in _record().items() if k != "article"}), "article"),
        ('{"article": "a.txt",', "(record)"),
        ("[1, 2]", "(record)"),
    ],
)
def test_load_gold_names_file_line_and_field(tmp_path: Path, line: str, field: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{json.dumps(_record())}\n\n{line}\n{json.dumps(_record())}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_gold(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: ")
    assert f" {field}: " in message


def test_load_gold_reads_the_optional_quoted_flag(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [_record(quoted=True), _record(claim_type="indirect_quote", quoted=False), _record()]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert [r.quoted for r in load_gold(path)] == [True, False, None]


def test_load_gold_reads_the_optional_cue_kind(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [_record(cue_kind="belief"), _record(cue_kind=None), _record()]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert [r.cue_kind for r in load_gold(path)] == [CueKind.BELIEF, None, None]


def test_load_gold_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the gold file"):
        load_gold(tmp_path / "absent.jsonl")


# --- predictions from a dataset folder or a raw folder ---


def _write_dist(dist: Path, claims: list[Claim]) -> Path:
    shard = dist / "claims" / "train-00000-of-00001.parquet"
    shard.parent.mkdir(parents=True)
    pq.write_table(to_table(Claim, claims), shard)
    (dist / "manifest.json").write_text("{}", encoding="utf-8")  # what makes a folder a dataset folder
    return shard


def _sample_claims() -> list[Claim]:
    return [
        claim(0, 10, DQ, speaker="Jens Stoltenberg", speaker_span=(20, 36), cue="said", cue_span=(37, 41)),
        claim(50, 60, IQ, article="feed.jsonl", source_line=2),
        claim(70, 80, IA).model_copy(update={"outlet": "Euronews", "published": date(2014, 10, 6)}),
        claim(90, 95, AS),
    ]


def test_predictions_from_dist_round_trips(tmp_path: Path) -> None:
    claims = _sample_claims()
    _write_dist(tmp_path, claims)
    read = predictions_from_dist(tmp_path)
    assert read == claims
    assert [c.claim_type for c in read] == [DQ, IQ, IA, AS]


def test_predictions_from_dist_without_shards_is_a_dist_error(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    with pytest.raises(DistError, match="not a dataset folder"):
        predictions_from_dist(tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(DistError, match="no claims/ parquet shards"):
        predictions_from_dist(tmp_path)


def test_evaluate_path_scores_a_dataset_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _write_dist(dist, _sample_claims())
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text(
        json.dumps(_record(article="a.txt", char_start=0, char_end=10, text="g" * 10, speaker_start=20, speaker_end=36))
        + "\n",
        encoding="utf-8",
    )
    report = evaluate_path(gold_file, dist)
    assert (report.gold, report.predictions, report.ignored_predictions) == (1, 3, 1)
    assert report.overall_typed.exact.tp == 1
    assert (report.speaker_span.correct, report.cue_span.correct, report.cue_text.correct) == (1, 0, 1)


def test_evaluate_path_extracts_from_a_raw_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    asked: list[Path] = []

    def fake_extraction(folder: Path) -> list[Claim]:
        asked.append(folder)
        return [claim(0, 10)]

    # The extractor itself is tested elsewhere; here only the choice of source matters.
    monkeypatch.setattr(evaluation, "predictions_from_raw", fake_extraction)
    report = evaluate_path(SEEDS, raw)
    assert asked == [raw]
    assert (report.gold, report.predictions, report.ignored_predictions) == (92, 0, 1)


def test_evaluate_path_refuses_a_folder_that_is_neither(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    with pytest.raises(ConfigError) as caught:
        evaluate_path(SEEDS, tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert "claims/*.parquet" in message
    assert "articles/" in message


# --- rendering ---


def test_render_report_shows_scores_attribution_and_confusion() -> None:
    golds = [gold(0, 10, DQ, speaker="X", speaker_span=(20, 21)), gold(30, 40, IQ)]
    predictions = [
        claim(0, 10, DQ, speaker="x", speaker_span=(20, 21)),
        claim(30, 38, AS),
        claim(0, 5, AS, article="z.txt"),
    ]
    report = evaluate(golds, predictions)
    rendered = render_report(report).rstrip("\n").split("\n\n")
    summary, quality, kinds, scores, attribution, confusion, quotations = rendered
    assert summary.startswith("gold 2 in 1 article(s); predictions 2 scored, 1 ignored")
    # The quality table, exactly as the card renders it, comes first.
    title, *table = quality.splitlines()
    assert title.startswith("quality table") and "\n".join(table) + "\n\n" + kinds == render_quality_table(
        report.quality
    )
    rows = {line.split("  ")[0]: line.split()[-8:] for line in scores.splitlines()[2:]}
    assert list(rows) == [*(t.value for t in ClaimType), "all, typed", "all, type ignored"]
    assert rows["direct_quote"] == ["1", "1", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000"]
    assert rows["indirect_quote"] == ["1", "0", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000"]
    assert rows["author_statement"] == ["0", "1", "0.000", "0.000", "0.000", "0.000", "0.000", "0.000"]
    assert rows["all, typed"] == ["2", "2", "0.500", "0.500", "0.500", "0.500", "0.500", "0.500"]
    assert rows["all, type ignored"] == ["2", "2", "0.500", "0.500", "0.500", "1.000", "1.000", "1.000"]
    assert ["speaker", "name", "1/1", "1.000"] in [line.split() for line in attribution.splitlines()]
    matrix = {line.split()[0]: line.split()[1:] for line in confusion.splitlines()[2:]}
    assert matrix["direct_quote"] == ["1", "0", "0", "0", "0"]
    assert matrix["indirect_quote"] == ["0", "0", "0", "1", "0"]
    assert matrix["unmatched"] == ["0", "0", "0", "0", "-"]
    blocks = (scores, attribution, confusion, quotations)
    assert all(line == line.rstrip() for block in blocks for line in block.splitlines())
    # Author statements form no quotation group: the direct quote is the only one.
    assert quotations.splitlines()[-1] == "quotes P=1.0 R=1.0 F1=1.0 speaker_acc=1.0 indirect_R=0.0"


# --- factpack eval on real files: a built dataset folder and a raw folder ---

ARTICLE = (
    'Minister backs tax cut\n\nWARSAW - "We will cut the income tax rate by two points in January," Jan Kowalski '
    "told reporters on Monday.\n\nThe finance minister said that the deficit would shrink to three percent next "
    "year.\n\n" + "The rest of the page is a long list of other news, kept here so that spans can grow. " * 6 + "\n"
)


@pytest.fixture(scope="module")
def scored_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[ClaimType, dict]]:
    """A raw folder of one article and a JSONL feed, the dataset built from it, and the article's quote and
    reported speech as built."""
    from builder.config import BuildConfig
    from builder.pipeline import build
    from conftest import rows_of

    folder = tmp_path_factory.mktemp("eval")
    raw, dist = folder / "raw", folder / "dist"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    feed = [{"text": "Port grows\n\nThe port authority said container traffic grew by 12 percent in 2021.\n"}]
    (raw / "articles" / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in feed), encoding="utf-8")
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    claims = {c["claim_type"]: c for c in rows_of(dist, "claims") if c["article_id"] == "a"}
    built = {DQ: claims[0], IQ: claims[1]}  # ClassLabel integers in the shard: 0 direct, 1 indirect
    assert built[DQ]["text"].startswith("We will cut") and built[IQ]["text"].startswith("the deficit")
    assert built[DQ]["speaker"] == "Jan Kowalski" and built[IQ]["cue"] == "said"
    return raw, dist, built


def gold_line(article: str, text: str, start: int, end: int, claim_type: ClaimType, built: dict) -> dict:
    """A gold record of ``text[start:end]`` with the speaker and cue of the claim ``built``."""
    return {
        "article": article,
        "char_start": start,
        "char_end": end,
        "text": text[start:end],
        "claim_type": claim_type.value,
        "speaker": built["speaker"],
        "speaker_start": built["speaker_start"],
        "speaker_end": built["speaker_end"],
        "cue": built["cue"],
        "cue_start": built["cue_start"],
        "cue_end": built["cue_end"],
    }


def around(built: dict, extra: int) -> tuple[int, int]:
    """A span starting with the claim and ``extra`` characters longer than twice it: IoU exactly 0.5 at 0."""
    start, end = built["char_start"], built["char_end"]
    return start, end + (end - start) + extra


def run_eval(gold_file: Path, target: Path, *options: str) -> Any:
    from typer.testing import CliRunner

    from builder.cli import app

    return CliRunner().invoke(app, ["eval", str(gold_file), str(target), *options])


@pytest.mark.parametrize("at_half", [DQ, IQ])
def test_eval_of_real_files_counts_iou_of_exactly_one_half_and_not_just_under(scored_corpus, tmp_path, at_half):
    raw, dist, built = scored_corpus
    under = IQ if at_half is DQ else DQ
    records = [
        gold_line("a.txt", ARTICLE, *around(built[at_half], 0), at_half, built[at_half]),  # IoU 0.5
        gold_line("a.txt", ARTICLE, *around(built[under], 1), under, built[under]),  # IoU L / (2L + 1)
    ]
    feed_text = "Port grows\n\nThe port authority said container traffic grew by 12 percent in 2021.\n"
    start = feed_text.index("container")
    records.append(
        {"article": "feed.jsonl:1", "char_start": start, "char_end": len(feed_text) - 2,
         "text": feed_text[start:-2], "claim_type": "indirect_quote"}
    )  # fmt: skip
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")

    reports = []
    for target in (dist, raw):
        result = run_eval(gold_file, target, "--json")
        assert result.exit_code == 0, result.output
        reports.append(json.loads(result.stdout))
    assert reports[0] == reports[1]  # a built folder and its raw folder, extracted in memory, score alike
    report = reports[0]
    assert (report["gold"], report["articles"], report["overlap_threshold"]) == (3, 2, 0.5)
    untyped, typed = report["overall_untyped"], report["overall_typed"]
    assert (untyped["exact"]["tp"], untyped["overlap"]["tp"], typed["overlap"]["tp"]) == (1, 2, 2)  # the feed's exact
    per_type = {name: scores["overlap"]["tp"] for name, scores in report["per_type"].items()}
    assert (per_type["direct_quote"], per_type["indirect_quote"]) == ((1, 1) if at_half is DQ else (0, 2))
    assert report["unmatched_gold"][under.value] == 1
    assert report["speaker_name"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    quality = {row["claim_type"]: row for row in report["quality"]["rows"]}  # the card's table
    assert (quality["all"]["gold"], quality["all"]["speaker_name"]) == (3, report["speaker_name"])
    assert report["speaker_span"]["correct"] == report["cue_span"]["correct"] == report["cue_text"]["correct"] == 1
    quotations = report["quotations"]
    assert (quotations["gold_quotations"], quotations["unquoted_gold"]) == (1, 2)
    if at_half is DQ:  # the quotation matched at 0.5; the reported speech missed just under it
        assert (quotations["matched"], quotations["speaker_correct"], quotations["unquoted_recalled"]) == (1, 1, 1)
        figures = "quotes P=1.0 R=1.0 F1=1.0 speaker_acc=1.0 indirect_R=0.5"
    else:
        assert (quotations["matched"], quotations["unquoted_recalled"]) == (0, 2)
        figures = "quotes P=0.0 R=0.0 F1=0.0 speaker_acc=0.0 indirect_R=1.0"
    text = run_eval(gold_file, dist)
    assert text.exit_code == 0 and text.stdout.rstrip("\n").splitlines()[-1] == figures


def test_eval_exits_1_on_a_gold_file_it_cannot_read_and_2_on_a_target_that_is_no_folder_it_scores(
    scored_corpus, tmp_path
):
    _, dist, _ = scored_corpus
    bad_line = tmp_path / "bad.jsonl"
    bad_line.write_text(json.dumps(_record()) + "\n" + json.dumps(_record(char_start="3")) + "\n", encoding="utf-8")
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(_record(text="caf\u00e9 society")).encode("cp1252") + b"\n")
    for unreadable, named in [(bad_line, f"{bad_line}:2"), (latin, str(latin)), (tmp_path / "none.jsonl", "none")]:
        result = run_eval(unreadable, dist)
        assert result.exit_code == 1, result.output
        assert named in result.stderr and result.stdout == "" and "Traceback" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    a_file = tmp_path / "gold-copy.jsonl"
    a_file.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    for target in (empty, a_file, tmp_path / "missing"):
        result = run_eval(SEEDS, target)
        assert result.exit_code == 2, result.output
        assert "expected a dataset folder" in result.stderr and "Traceback" not in result.output
