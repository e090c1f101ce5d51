"""Evaluate: score extracted claims against a hand-annotated gold set.

The gold set is JSONL, one :class:`GoldClaim` per line, in the format of ``tests/gold/README.md``. Predictions
are :class:`builder.models.Claim` records, read from a built dataset folder or extracted from a raw folder.

Articles
    A gold record names its article by the raw file name (``000_441cd17370331efe.txt``). A prediction's article
    is the base name of its ``source_file`` (``articles/000_441cd17370331efe.txt`` → ``000_441cd17370331efe.txt``);
    for a JSONL source it is that base name, a colon and the 1-based ``source_line`` (``feed.jsonl:3``). Spans are
    only ever compared within one article. Predictions for an article that has no gold record at all are left
    out of every score but the quotation figures (the gold set may cover a subset of the articles) and counted as
    ``ignored_predictions``.

IoU
    For half-open character spans ``a = [a0, a1)`` and ``b = [b0, b1)``:
    ``IoU = |a ∩ b| / |a ∪ b| = overlap / (len(a) + len(b) - overlap)`` with
    ``overlap = max(0, min(a1, b1) - max(a0, b0))``.

Matching
    Within each article, gold and predicted claims are paired one to one, greedily: every candidate pair is
    ranked by descending IoU, then (type-agnostic matching only) same-type pairs before mixed ones, then by gold
    ``(start, end)``, predicted ``(start, end)`` and input order, and a pair is taken when neither side is taken
    yet. Two kinds of candidate:

    - ``exact``: identical ``(char_start, char_end)``;
    - ``overlap``: IoU ≥ :data:`OVERLAP_THRESHOLD` (0.5, so exactly 0.5 counts).

    *Type-agnostic* matching ignores ``claim_type`` (it scores span detection). *Typed* matching only pairs a
    gold claim of type T with a prediction of type T; its per-type scores are therefore the same as matching
    the gold of type T against the predictions of type T alone, and its overall counts are their sums.

Span scores
    tp = matched pairs, fp = predictions − tp, fn = gold − tp; precision = tp / (tp + fp), recall = tp / (tp + fn),
    F1 = 2·P·R / (P + R). A ratio whose denominator is 0 is reported as 0.0, never NaN: no predictions gives
    precision 0.0, no gold gives recall 0.0, and P = R = 0 gives F1 0.0.

Attribution (speaker and cue)
    Scored over the pairs of the type-agnostic *overlap* matching, so a wrong type or a slightly different span
    does not hide a right attribution. Each accuracy has its own denominator, the matched pairs whose gold has
    the thing being scored; a prediction lacking it counts as wrong.

    - speaker span: gold has ``speaker_start``; correct when the predicted mention span overlaps it (IoU > 0,
      that is at least one shared character; mentions are short and are often spanned a word wider or narrower);
    - speaker name: gold has ``speaker``; correct when the names are equal after case folding and collapsing
      whitespace runs (NBSP included) to one space;
    - cue span: gold has ``cue_start``; correct when the predicted cue span overlaps it (IoU > 0);
    - cue text: gold has ``cue``; correct when the cue texts are equal under the same normalisation as names.

    Per claim type, the speaker span and name accuracies take the pairs whose *gold* has that type, so the rows
    add up to the overall figures.

Quality table
    What the dataset card shows: per claim type, its typed overlap scores and its speaker accuracies; the row
    ``all``, the overall typed overlap scores and the overall speaker accuracies; and the cue kinds.

Cue kinds
    Per ``cue_kind`` (speech, belief, intention): the gold records annotated with it, the predictions (in articles
    with gold) that have it, and its precision over the type-agnostic overlap pairs whose prediction has it and
    whose gold has a kind at all: the share where the gold kind is the same. Gold without ``cue_kind`` (the field
    is optional) judges nothing, so precision is 0/0, reported 0.0 as every empty ratio.

Confusion
    Over the pairs of the type-agnostic overlap matching: gold type → predicted type → count, every type present
    with zeros. The gold and predictions left unmatched by that matching are counted per type beside it.

Quotation attribution (PolNeAR)
    The figures the maintainers compute on the PolNeAR corpus with its ``score.py``, defined as it defines them
    so that the same gold and dataset give the same printed line: ``quotes P=… R=… F1=… speaker_acc=…
    indirect_R=…``.

    - Gold *quotations* are the records whose ``quoted`` is true or, when ``quoted`` is absent, whose type is
      ``direct_quote``. Every other gold record is *unquoted* (reported speech).
    - Predictions are *groups*: within one article, the ``direct_quote`` and ``indirect_quote`` claims of one
      ``(claim_type, quote_id)``, so a quotation broken by "he said" is one; a claim without ``quote_id`` is a
      group of its own. A group spans from its least ``char_start`` to its greatest ``char_end``; its speaker
      mention is the first set ``speaker_start``/``speaker_end`` in claim order. (score.py keys a claim without
      ``quote_id`` by its span; the two agree on any built dataset, whose claim ids, hashes of the span, are
      unique within an article.)
    - Unlike every other score here, groups in articles without gold are kept, as score.py walks every article
      of the gold and of the dataset: they match nothing, but the ``direct_quote`` ones count in the precision
      denominator. Leaving them out would report a higher precision than the maintainers' for the same data.
      Articles are keyed as everywhere here; score.py keys a JSONL source by its file name alone, so the two
      agree on text-file sources (all of PolNeAR), and only this one can match gold of a JSONL line.
    - Quotes: within each article, gold quotations and groups of either type are paired one to one, greedily, by
      descending IoU, among the pairs with IoU ≥ :data:`OVERLAP_THRESHOLD`. At equal IoU the later gold record
      and then the later group (in input order) go first: score.py's order, so that a tie, and with it the gold
      speaker a group is judged against, resolves as in the maintainers' figures.
      precision = matched ``direct_quote`` groups / all ``direct_quote`` groups (a matched ``indirect_quote``
      group counts for recall only: a mixed quote may be labelled either way); recall = matched pairs / gold
      quotations; F1 = 2·P·R / (P + R).
    - speaker_acc: over the matched pairs whose gold has ``speaker_start``, the share whose group's speaker
      mention shares at least one character with the gold mention; a group without a mention is wrong.
    - indirect_recall: over the unquoted gold records, the share that some group of their article, of either
      type, overlaps at IoU ≥ :data:`OVERLAP_THRESHOLD` (any group, not one to one).
    - A ratio whose denominator is 0 is 0.0, as above. The figure line rounds each ratio to 3 decimals and prints
      it as Python prints a float (0.850 as ``0.85``, zero as ``0.0``), exactly as score.py does.

Why one long module: a fifth of it is this definition of every number, and the rest is the one matching and
scoring code it defines; apart, the definitions would drift from the code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from builder.evaluate.models import (
    Accuracy,
    EvalReport,
    GoldClaim,
    MatchScores,
    QuotationScores,
    SpanScores,
    TypeScores,
)
from builder.models import Claim, ClaimType, CueKind
from builder.write.quality import CueKindRow, QualityRow, QualityTable

__all__ = ["OVERLAP_THRESHOLD", "evaluate", "is_quotation", "prediction_article", "quotation_scores", "span_iou"]

OVERLAP_THRESHOLD = 0.5
"""The least IoU at which two claim spans count as the same claim in ``overlap`` matching."""


@dataclass(frozen=True, slots=True)
class _Item:
    """What matching needs of a gold record or a prediction."""

    article: str
    start: int
    end: int
    claim_type: ClaimType


_Pair = tuple[int, int]
"""Indices of a matched (gold, prediction) pair into the sequences given to the matcher."""


def prediction_article(claim: Claim) -> str:
    """The article key a prediction is matched under: ``name.txt``, or ``feed.jsonl:3`` for a JSONL source."""
    name = PurePosixPath(claim.source_file).name
    return name if claim.source_line is None else f"{name}:{claim.source_line}"


def span_iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """|a ∩ b| / |a ∪ b| of two half-open spans; 0.0 when both are empty."""
    overlap = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - overlap
    return overlap / union if union > 0 else 0.0


def _pair_iou(gold: _Item, predicted: _Item, *, exact: bool) -> float | None:
    """The pair's IoU if it may be matched under the criterion, else None."""
    if exact:
        return 1.0 if (gold.start, gold.end) == (predicted.start, predicted.end) else None
    iou = span_iou((gold.start, gold.end), (predicted.start, predicted.end))
    return iou if iou >= OVERLAP_THRESHOLD else None


def _match(gold: Sequence[_Item], predicted: Sequence[_Item], *, exact: bool, typed: bool) -> list[_Pair]:
    """One-to-one greedy matching by descending IoU within each article (see the module docstring)."""
    predicted_by_article: dict[str, list[int]] = {}
    for p, item in enumerate(predicted):
        predicted_by_article.setdefault(item.article, []).append(p)
    ranked: list[tuple[tuple[float, bool, int, int, int, int, int, int], _Pair]] = []
    for g, gold_item in enumerate(gold):
        for p in predicted_by_article.get(gold_item.article, []):
            pred_item = predicted[p]
            differs = gold_item.claim_type != pred_item.claim_type
            if typed and differs:
                continue
            iou = _pair_iou(gold_item, pred_item, exact=exact)
            if iou is None:
                continue
            # At equal IoU, same-type first so a tie resolves towards the agreeing type; then offsets, so the
            # pairs do not depend on input order; indices last, only to split records with identical spans.
            key = (-iou, differs, gold_item.start, gold_item.end, pred_item.start, pred_item.end, g, p)
            ranked.append((key, (g, p)))
    ranked.sort()
    taken_gold: set[int] = set()
    taken_predicted: set[int] = set()
    pairs: list[_Pair] = []
    for _, (g, p) in ranked:
        if g not in taken_gold and p not in taken_predicted:
            taken_gold.add(g)
            taken_predicted.add(p)
            pairs.append((g, p))
    return pairs


# ---------------------------------------------------------------------------------------------------------------
# Scoring


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _span_scores(tp: int, gold: int, predicted: int) -> SpanScores:
    precision, recall = _ratio(tp, predicted), _ratio(tp, gold)
    return SpanScores(
        tp=tp, fp=predicted - tp, fn=gold - tp, precision=precision, recall=recall, f1=_f1(precision, recall)
    )


def _accuracy(outcomes: Iterable[bool]) -> Accuracy:
    results = list(outcomes)
    correct = sum(results)
    return Accuracy(correct=correct, total=len(results), accuracy=_ratio(correct, len(results)))


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same_text(gold: str | None, predicted: str | None) -> bool:
    return gold is not None and predicted is not None and _normalised(gold) == _normalised(predicted)


OptionalSpan = tuple[int | None, int | None]


def _spans_touch(gold: OptionalSpan, predicted: OptionalSpan) -> bool:
    """At least one shared character (IoU > 0); a missing span touches nothing."""
    (g0, g1), (p0, p1) = gold, predicted
    if g0 is None or g1 is None or p0 is None or p1 is None:
        return False
    return span_iou((g0, g1), (p0, p1)) > 0


def _speaker_span_correct(gold: GoldClaim, predicted: Claim) -> bool:
    return _spans_touch((gold.speaker_start, gold.speaker_end), (predicted.speaker_start, predicted.speaker_end))


def _speaker_name_correct(gold: GoldClaim, predicted: Claim) -> bool:
    return _same_text(gold.speaker, predicted.speaker)


def _cue_span_correct(gold: GoldClaim, predicted: Claim) -> bool:
    return _spans_touch((gold.cue_start, gold.cue_end), (predicted.cue_start, predicted.cue_end))


def _cue_text_correct(gold: GoldClaim, predicted: Claim) -> bool:
    return _same_text(gold.cue, predicted.cue)


def _attribution(
    pairs: Sequence[tuple[GoldClaim, Claim]],
    has: Callable[[GoldClaim], bool],
    correct: Callable[[GoldClaim, Claim], bool],
) -> Accuracy:
    """Accuracy of ``correct`` over the pairs whose gold ``has`` the attribute."""
    return _accuracy(correct(gold, predicted) for gold, predicted in pairs if has(gold))


def _cue_kinds(
    gold: Sequence[GoldClaim], scored: Sequence[Claim], pairs: Sequence[tuple[GoldClaim, Claim]]
) -> list[CueKindRow]:
    gold_kinds = Counter(record.cue_kind for record in gold)
    predicted_kinds = Counter(claim.cue_kind for claim in scored)
    return [
        CueKindRow(
            cue_kind=kind,
            gold=gold_kinds[kind],
            predicted=predicted_kinds[kind],
            precision=_accuracy(g.cue_kind is kind for g, p in pairs if p.cue_kind is kind and g.cue_kind is not None),
        )
        for kind in CueKind
    ]


def _quality_row(
    name: str, gold: int, predicted: int, scores: SpanScores, speaker_span: Accuracy, speaker_name: Accuracy
) -> QualityRow:
    """A row of the quality table: typed overlap scores and the speaker accuracies."""
    return QualityRow(
        claim_type=name,
        gold=gold,
        predicted=predicted,
        precision=scores.precision,
        recall=scores.recall,
        f1=scores.f1,
        speaker_span=speaker_span,
        speaker_name=speaker_name,
    )


def _by_type(counts: Counter[ClaimType]) -> dict[ClaimType, int]:
    return {claim_type: counts[claim_type] for claim_type in ClaimType}


# ---------------------------------------------------------------------------------------------------------------
# Quotation attribution (PolNeAR's score.py)

_QUOTATION_TYPES = frozenset({ClaimType.DIRECT_QUOTE, ClaimType.INDIRECT_QUOTE})
"""The predicted claim types that form quotation groups."""


def is_quotation(record: GoldClaim) -> bool:
    """A gold quotation: ``quoted`` when the record says, else whether its type is ``direct_quote``."""
    return record.quoted if record.quoted is not None else record.claim_type is ClaimType.DIRECT_QUOTE


@dataclass(frozen=True, slots=True)
class _QuoteGroup:
    """The pieces of one predicted quotation merged into one span, as the quotation figures see a prediction."""

    article: str
    claim_type: ClaimType
    start: int
    end: int
    speaker: OptionalSpan


def _merged(article: str, claim_type: ClaimType, pieces: Sequence[Claim]) -> _QuoteGroup:
    speaker = next(((c.speaker_start, c.speaker_end) for c in pieces if c.speaker_start is not None), (None, None))
    start, end = min(c.char_start for c in pieces), max(c.char_end for c in pieces)
    return _QuoteGroup(article, claim_type, start, end, speaker)


def _quote_groups(predicted: Sequence[Claim]) -> list[_QuoteGroup]:
    """The quotation groups of ``predicted``, in the order of their first piece."""
    pieces: dict[tuple[str, ClaimType, str | int], list[Claim]] = {}
    for index, claim in enumerate(predicted):
        if claim.claim_type not in _QUOTATION_TYPES:
            continue
        # Without a quote_id (score.py reads an empty one as none) the claim's index keeps it a group of its own.
        key = (prediction_article(claim), claim.claim_type, claim.quote_id or index)
        pieces.setdefault(key, []).append(claim)
    return [_merged(article, claim_type, claims) for (article, claim_type, _), claims in pieces.items()]


def _groups_by_article(groups: Sequence[_QuoteGroup]) -> dict[str, list[int]]:
    by_article: dict[str, list[int]] = {}
    for index, group in enumerate(groups):
        by_article.setdefault(group.article, []).append(index)
    return by_article


def _group_overlaps(record: GoldClaim, group: _QuoteGroup) -> float | None:
    """The IoU of a gold content and a group's span if it reaches the threshold, else None."""
    iou = span_iou((record.char_start, record.char_end), (group.start, group.end))
    return iou if iou >= OVERLAP_THRESHOLD else None


def _match_quotations(quotations: Sequence[GoldClaim], groups: Sequence[_QuoteGroup]) -> list[_Pair]:
    """One-to-one greedy matching of gold quotations and groups per article (see the module docstring)."""
    by_article = _groups_by_article(groups)
    ranked: list[tuple[float, int, int]] = []
    for g, record in enumerate(quotations):
        for p in by_article.get(record.article, []):
            iou = _group_overlaps(record, groups[p])
            if iou is not None:
                ranked.append((iou, g, p))
    # Descending on all three: at equal IoU the later gold record, then the later group, is taken first. That is
    # score.py's order; any other would be as deterministic but could pair a tie differently from its figures.
    # Indices are global, not per article, which orders the pairs of one article the same way.
    ranked.sort(reverse=True)
    taken_gold: set[int] = set()
    taken_groups: set[int] = set()
    pairs: list[_Pair] = []
    for _, g, p in ranked:
        if g not in taken_gold and p not in taken_groups:
            taken_gold.add(g)
            taken_groups.add(p)
            pairs.append((g, p))
    return pairs


def quotation_scores(gold: Sequence[GoldClaim], predicted: Sequence[Claim]) -> QuotationScores:
    """PolNeAR's quotation attribution figures of ``predicted`` against ``gold``; pure.

    Every prediction counts, in articles with gold or not (the module docstring defines every number).
    """
    groups = _quote_groups(predicted)
    quotations = [record for record in gold if is_quotation(record)]
    unquoted = [record for record in gold if not is_quotation(record)]
    pairs = [(quotations[g], groups[p]) for g, p in _match_quotations(quotations, groups)]
    direct_groups = sum(group.claim_type is ClaimType.DIRECT_QUOTE for group in groups)
    matched_direct = sum(group.claim_type is ClaimType.DIRECT_QUOTE for _, group in pairs)
    speaker = _accuracy(
        _spans_touch((record.speaker_start, record.speaker_end), group.speaker)
        for record, group in pairs
        if record.speaker_start is not None
    )
    by_article = _groups_by_article(groups)
    recalled = _accuracy(
        any(_group_overlaps(record, groups[p]) is not None for p in by_article.get(record.article, []))
        for record in unquoted
    )
    precision, recall = _ratio(matched_direct, direct_groups), _ratio(len(pairs), len(quotations))
    return QuotationScores(
        gold_quotations=len(quotations),
        predicted_direct_groups=direct_groups,
        predicted_indirect_groups=len(groups) - direct_groups,
        matched=len(pairs),
        matched_direct=matched_direct,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        speaker_pairs=speaker.total,
        speaker_correct=speaker.correct,
        speaker_acc=speaker.accuracy,
        unquoted_gold=recalled.total,
        unquoted_recalled=recalled.correct,
        indirect_recall=recalled.accuracy,
    )


# ---------------------------------------------------------------------------------------------------------------
# The report


def evaluate(gold: Sequence[GoldClaim], predicted: Sequence[Claim]) -> EvalReport:
    """Score ``predicted`` against ``gold``; pure. The module docstring defines every number."""
    gold_articles = {record.article for record in gold}
    scored = [claim for claim in predicted if prediction_article(claim) in gold_articles]
    gold_items = [_Item(r.article, r.char_start, r.char_end, r.claim_type) for r in gold]
    pred_items = [_Item(prediction_article(c), c.char_start, c.char_end, c.claim_type) for c in scored]
    gold_types = Counter(item.claim_type for item in gold_items)
    pred_types = Counter(item.claim_type for item in pred_items)

    def matched(*, exact: bool, typed: bool) -> list[_Pair]:
        return _match(gold_items, pred_items, exact=exact, typed=typed)

    typed_exact, typed_overlap = matched(exact=True, typed=True), matched(exact=False, typed=True)
    untyped_exact, untyped_overlap = matched(exact=True, typed=False), matched(exact=False, typed=False)

    def typed_tp(pairs: list[_Pair]) -> Counter[ClaimType]:
        return Counter(gold_items[g].claim_type for g, _ in pairs)

    exact_tp, overlap_tp = typed_tp(typed_exact), typed_tp(typed_overlap)
    pairs = [(gold[g], scored[p]) for g, p in untyped_overlap]

    def speakers(of_type: Sequence[tuple[GoldClaim, Claim]]) -> dict[str, Accuracy]:
        return {
            "speaker_span": _attribution(of_type, lambda g: g.speaker_start is not None, _speaker_span_correct),
            "speaker_name": _attribution(of_type, lambda g: g.speaker is not None, _speaker_name_correct),
        }

    per_type = {
        t: TypeScores(
            gold=gold_types[t],
            predicted=pred_types[t],
            exact=_span_scores(exact_tp[t], gold_types[t], pred_types[t]),
            overlap=_span_scores(overlap_tp[t], gold_types[t], pred_types[t]),
            **speakers([pair for pair in pairs if pair[0].claim_type is t]),
        )
        for t in ClaimType
    }

    def overall(exact_pairs: list[_Pair], overlap_pairs: list[_Pair]) -> MatchScores:
        return MatchScores(
            exact=_span_scores(len(exact_pairs), len(gold_items), len(pred_items)),
            overlap=_span_scores(len(overlap_pairs), len(gold_items), len(pred_items)),
        )

    overall_typed, all_speakers = overall(typed_exact, typed_overlap), speakers(pairs)
    rows = [
        _quality_row(t.value, s.gold, s.predicted, s.overlap, s.speaker_span, s.speaker_name)
        for t, s in per_type.items()
    ]
    rows.append(_quality_row("all", len(gold), len(scored), overall_typed.overlap, **all_speakers))
    confusion = {t: _by_type(Counter(p.claim_type for g, p in pairs if g.claim_type == t)) for t in ClaimType}
    matched_gold = {g for g, _ in untyped_overlap}
    matched_pred = {p for _, p in untyped_overlap}
    return EvalReport(
        gold=len(gold),
        predictions=len(scored),
        ignored_predictions=len(predicted) - len(scored),
        articles=len(gold_articles),
        overlap_threshold=OVERLAP_THRESHOLD,
        per_type=per_type,
        overall_typed=overall_typed,
        overall_untyped=overall(untyped_exact, untyped_overlap),
        **all_speakers,
        cue_span=_attribution(pairs, lambda g: g.cue_start is not None, _cue_span_correct),
        cue_text=_attribution(pairs, lambda g: g.cue is not None, _cue_text_correct),
        confusion=confusion,
        unmatched_gold=_by_type(Counter(r.claim_type for i, r in enumerate(gold) if i not in matched_gold)),
        unmatched_predicted=_by_type(Counter(c.claim_type for i, c in enumerate(scored) if i not in matched_pred)),
        quotations=quotation_scores(gold, predicted),
        quality=QualityTable(rows=rows, cue_kinds=_cue_kinds(gold, scored, pairs)),
    )


# ---------------------------------------------------------------------------------------------------------------
# Loading
