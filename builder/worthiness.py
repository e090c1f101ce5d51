"""``factpack worthiness score``: check-worthiness of text outside a build, with the build's own code.

The input is one document: plain text, one sentence per line, or JSONL, one object per line with ``text`` and
optionally ``speaker``, ``claim_type`` and ``cue_kind`` (a file whose first non-blank line starts with ``{`` is
JSONL). Every line is scored by :func:`builder.extract.worthiness.score_document`, as the build scores an
article's claims: the text's own features, plus ``attributed`` (a line with a speaker, of a type that is
somebody's words) and ``questioner`` (its speaker asks in at least 15% of their lines); or, with a fitted model, by
the model, which also weighs the line's place in the document. Blank lines are skipped; line numbers count them.
A line that cannot be scored stops the command with its number and the fix.

``factpack worthiness fit`` (:func:`fit_model`) learns such a model with :mod:`builder.learn`, choosing its L2
penalty (:data:`L2_GRID`), whether the classes are weighted to balance, and the weight of a line's neighbours
(:data:`NEIGHBOURS_GRID`) by the cross-validation it reports: the setting whose held-out documents are ranked best
(MAP over documents, or the pooled AP with one document). The choice is made on the same folds it reports, so the
reported figure is a little optimistic; ``bench/worthiness_baseline.py`` measures the whole fit held out.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from builder.errors import ConfigError, InputError
from builder.extract import extractor_id
from builder.extract.worthiness import document_features, score_of
from builder.extract.worthiness_context import ContextLine
from builder.extract.worthiness_model import FEATURES, WorthinessModel, model_features, read_model, with_neighbours
from builder.learn import (
    FloatArray,
    IntArray,
    count_rows,
    cross_validate,
    enough_labels,
    folds_by_group,
    group_precision,
    ranking,
    standardised,
    train,
    unstandardised,
    write_model_file,
)
from builder.models import ClaimType, CueKind, DocumentAP, FitReport, ScoredText, ScoreReport
from builder.passages import json_object, numbered_lines, read_bytes, read_source, utf8_text

__all__ = ["L2_GRID", "NEIGHBOURS_GRID", "fit_model", "render_document_spread", "score_file", "score_text"]

_TYPES = [kind.value for kind in ClaimType]
_KINDS = [kind.value for kind in CueKind]


def score_file(path: Path | None, stdin: bytes | None = None, model: Path | None = None) -> ScoreReport:
    """Score the lines of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None; with the
    fitted ``model`` file when one is given, else with the rules."""
    name, text = read_source(path, stdin, "a text file, one sentence per line, or -")
    return score_text(text, name, read_model(model) if model is not None else None)


def score_text(text: str, source: str = "-", model: WorthinessModel | None = None) -> ScoreReport:
    """Score the lines of ``text`` (one document), read as ``source`` names it in messages; by ``model`` when
    given (its terms then are the rule terms it weighs among its features, its other features not listed)."""
    lines, jsonl = numbered_lines(text, source, "no lines to score", "sentence")
    parsed = [_jsonl_line(source, number, line) if jsonl else (line, None, None, None) for number, line in lines]
    terms = document_features([line[:3] for line in parsed])
    scores = [score_of(found) for found in terms] if model is None else model.scores(parsed, terms)
    scored = [
        ScoredText(
            line=number,
            text=sentence,
            speaker=speaker,
            claim_type=claim_type,
            cue_kind=kind,
            score=score,
            terms=found,
        )
        for (number, _), (sentence, speaker, claim_type, kind), found, score in zip(
            lines, parsed, terms, scores, strict=True
        )
    ]
    scorer = extractor_id() if model is None else f"model sha256:{model.sha256}"
    return ScoreReport(source=source, scorer=scorer, scored=scored)


def _jsonl_line(source: str, number: int, line: str) -> ContextLine:
    return _scored(f"{source}:{number}", json_object(f"{source}:{number}", line))


def _scored(where: str, record: dict[str, Any]) -> ContextLine:
    """The text, speaker, claim type and cue kind of one JSONL record, checked."""
    text, speaker = record.get("text"), record.get("speaker")
    claim_type, kind = record.get("claim_type"), record.get("cue_kind")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' (a non-empty string) to score")
    if speaker is not None and not isinstance(speaker, str):
        raise InputError(f"{where}: 'speaker' must be a string or null")
    if claim_type is not None and claim_type not in _TYPES:
        raise InputError(f"{where}: 'claim_type' {claim_type!r} is not one of {', '.join(_TYPES)}")
    if kind is not None and kind not in _KINDS:
        raise InputError(f"{where}: 'cue_kind' {kind!r} is not one of {', '.join(_KINDS)}")
    return text, speaker or None, claim_type, kind


BUCKETS = 1 << 18
NGRAMS = (1, 2)
FOLDS = 5
L2_GRID = (1e-4, 3e-5)
"""The L2 penalties the cross-validation tries (on standardised features and unit-length TF-IDF rows)."""
NEIGHBOURS_GRID = (0.0, 0.15, 0.3)
"""The weights of a line's neighbours' margins the cross-validation tries (0: each line alone)."""
_PLACES = 6


class Example(NamedTuple):
    """One text: what it says, who says it, its type and cue kind where known, its label (None: not judged, there
    only as the context of the judged texts of its document), its document."""

    text: str
    speaker: str | None
    claim_type: str | None
    cue_kind: str | None
    label: bool | None
    document: str


def fit_model(labels: Path | None = None, *, dist: Path | None = None, out: Path | None = None) -> FitReport:
    """Fit a model on ``labels`` (JSONL: ``text``, ``label``, optionally ``speaker``, ``claim_type``,
    ``cue_kind``, ``document``) or on the ``check_worthy`` judgements the dataset folder ``dist`` carries (give
    one of them); cross-validate it, choosing its settings, and write it to ``out`` (None: a dry run, nothing
    written)."""
    if labels is not None and dist is None:
        found, source = _labelled_file(labels), str(labels)
    elif dist is not None and labels is None:
        found, source = _labelled_claims(dist), f"{dist} (claims with check_worthy)"
    else:
        raise ConfigError("give the labels to fit on: a JSONL file, or a dataset folder (dist), not both")
    # The context of a judged claim is its whole article, as when a build scores it, not the judged claims alone.
    design_found, rules_found = _design(found)
    judged = [index for index, example in enumerate(found) if example.label is not None]
    examples = [found[index] for index in judged]
    design, rules = design_found[judged], rules_found[judged]
    positives = sum(bool(example.label) for example in examples)
    enough_labels(source, len(examples), positives, "text", ("check-worthy", "not check-worthy"))
    scaled, mean, spread = standardised(design)
    slots, counts = count_rows((example.text for example in examples), BUCKETS, NGRAMS)
    truth = np.array([bool(example.label) for example in examples], dtype=np.float64)
    documents = [example.document for example in examples]
    folds = _folds(documents, FOLDS)
    lines_of = _lines_by_document(documents)
    best: tuple[float, float, bool, float, FloatArray] | None = None
    for l2 in L2_GRID:  # the strongest penalty first, the classes balanced, each line alone: they keep a tie
        for balanced in (True, False):
            held_out = cross_validate(
                scaled, truth, folds, names=FEATURES, slots=slots, counts=counts, buckets=BUCKETS, l2=l2,
                balanced=balanced, idf=True,
            )  # fmt: skip
            margins = np.log(np.clip(held_out, 1e-12, 1.0)) - np.log(np.clip(1.0 - held_out, 1e-12, 1.0))
            for weight in NEIGHBOURS_GRID:
                ranked = _neighbours_by_document(margins, lines_of, weight)
                pooled, document_map = ranking(ranked, truth, documents)
                quality = pooled if document_map is None else document_map
                if best is None or quality > best[0]:
                    best = (quality, l2, balanced, weight, ranked)
    assert best is not None  # the grids are not empty
    _, l2, balanced, weight, held = best
    settings = {"l2": l2, "balanced": balanced, "neighbours": weight}
    cv_ap, cv_map = ranking(held, truth, documents)
    rules_ap, rules_map = ranking(rules, truth, documents)
    by_document = group_precision(held, truth, documents)
    rules_by_document = group_precision(rules, truth, documents)
    spread_found = [
        DocumentAP(document=name, model=round(ap, 4), rules=round(rules_by_document[name], 4))
        for name, ap in by_document.items()
    ]
    digest = hashlib.sha256(json.dumps(examples, ensure_ascii=False).encode("utf-8")).hexdigest()
    report = FitReport(
        source=source,
        examples=len(examples),
        positives=positives,
        documents=len(set(documents)),
        folds=FOLDS,
        l2=l2,
        balanced=balanced,
        neighbours=weight,
        cv_ap=round(cv_ap, 4),
        cv_map=None if cv_map is None else round(cv_map, 4),
        rules_ap=round(rules_ap, 4),
        rules_map=None if rules_map is None else round(rules_map, 4),
        document_ap=spread_found if len(spread_found) >= 2 else [],
        sha256=digest,
        out=None if out is None else str(out),
    )
    if out is not None:
        fitted = train(
            scaled, truth, names=FEATURES, slots=slots, counts=counts, buckets=BUCKETS, l2=l2, balanced=balanced,
            idf=True,
        )  # fmt: skip
        model = WorthinessModel(
            linear=unstandardised(fitted, mean, spread).rounded(_PLACES),
            sizes=NGRAMS,
            settings=settings,
            training={"source": source, "sha256": digest, "examples": len(examples), "positives": positives},
            quality=report.model_dump(include={"folds", "cv_ap", "cv_map", "rules_ap", "rules_map"}),
        )
        write_model_file(out, model.document())
    return report


def render_document_spread(spread: list[DocumentAP]) -> str:
    """One line on how the held-out documents' average precision spreads, the model's beside the rules', and on
    how many documents the model ranks above the rules: whether a mean hides a model that fails some documents."""

    def three(values: list[float]) -> str:
        return f"{min(values):.3f} · {float(np.median(values)):.3f} · {max(values):.3f}"

    above = sum(entry.model > entry.rules for entry in spread)
    return (
        f"per document, held out: AP min · median · max {three([e.model for e in spread])} "
        f"(rules {three([e.rules for e in spread])}); above the rules on {above} of {len(spread)}"
    )


def _labelled_file(path: Path) -> list[Example]:
    text = utf8_text(str(path), read_bytes(path, "JSONL with 'text' and 'label' per line"))
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        record = json_object(where, line)
        sentence, speaker, claim_type, kind = _scored(where, record)
        label = record.get("label")
        if label not in (True, False, 0, 1):
            raise InputError(f"{where}: 'label' must be true/false or 1/0, not {label!r}")
        document = record.get("document")
        examples.append(
            Example(sentence, speaker, claim_type, kind, bool(label), "" if document is None else str(document))
        )
    return examples


def _labelled_claims(dist: Path) -> list[Example]:
    """Every claim of ``dist``, in order, its label None when it has no ``check_worthy`` judgement."""
    from builder.dataset_folder import iter_claims

    return [
        Example(
            claim.text,
            claim.speaker,
            claim.claim_type.value,
            None if claim.cue_kind is None else claim.cue_kind.value,
            None if claim.check_worthy is None else bool(claim.check_worthy),
            claim.article_id,
        )
        for claim, _ in iter_claims(dist)
    ]


def _design(examples: list[Example]) -> tuple[FloatArray, FloatArray]:
    """Each example's model features (a row, columns in the order of :data:`FEATURES`) and its rule score, found
    with its document's other texts, in their order."""
    rows: list[list[float]] = [[] for _ in examples]
    rules = np.zeros(len(examples))
    for indices in _lines_by_document([example.document for example in examples]):
        lines = [examples[i][:4] for i in indices]
        terms = document_features([line[:3] for line in lines])
        for index, found, features in zip(indices, terms, model_features(terms, lines), strict=True):
            rows[index] = [features[name] for name in FEATURES]
            rules[index] = score_of(found)
    return np.array(rows, dtype=np.float64).reshape(len(examples), len(FEATURES)), rules


def _lines_by_document(documents: list[str]) -> list[list[int]]:
    """The positions of each document's lines, in their order, the documents in order of first appearance."""
    by_document: dict[str, list[int]] = {}
    for index, document in enumerate(documents):
        by_document.setdefault(document, []).append(index)
    return list(by_document.values())


def _neighbours_by_document(margins: FloatArray, lines_of: list[list[int]], weight: float) -> FloatArray:
    """The margins with their neighbours' (:func:`with_neighbours`), within each document of ``lines_of``
    (:func:`_lines_by_document`)."""
    found = margins.copy()
    for indices in lines_of:
        found[indices] = with_neighbours([float(margins[i]) for i in indices], weight)
    return found


def _folds(documents: list[str], folds: int) -> IntArray:
    """A fold per example: whole documents when there are ``folds`` of them or more; else runs of consecutive
    lines, not lines dealt in turn: a line's neighbours (whose margins its score takes a share of) would then be
    held-out predictions of models that learnt the line's own label."""
    if len(set(documents)) >= folds:
        return folds_by_group(documents, folds)
    return np.arange(len(documents), dtype=np.int64) * folds // max(1, len(documents))
