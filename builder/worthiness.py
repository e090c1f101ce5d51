"""``factpack worthiness score``: check-worthiness of text outside a build, with the build's own code.

The input is one document: plain text, one sentence per line, or JSONL, one object per line with ``text`` and
optionally ``speaker`` and ``claim_type`` (a file whose first non-blank line starts with ``{`` is JSONL). Every
line is scored by :func:`builder.extract.worthiness.score_document`, as the build scores an article's claims: the
text's own features, plus ``attributed`` (a line with a speaker, of a type that is somebody's words) and
``questioner`` (its speaker asks in at least 15% of their lines). Blank lines are skipped; line numbers count
them. A line that cannot be scored stops the command with its number and the fix.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from builder.errors import ConfigError, InputError
from builder.extract import extractor_id
from builder.extract.worthiness import WORTHINESS_FEATURES, document_features, score_of
from builder.extract.worthiness_model import WorthinessModel, read_model
from builder.learn import (
    FloatArray,
    cross_validate,
    enough_labels,
    folds_by_group,
    group_precision,
    ranking,
    slot_rows,
    train,
    write_model_file,
)
from builder.models import ClaimType, DocumentAP, FitReport, ScoredText, ScoreReport
from builder.passages import json_object, numbered_lines, read_bytes, read_source, utf8_text

__all__ = ["fit_model", "render_document_spread", "score_file", "score_text"]

_TYPES = [kind.value for kind in ClaimType]


def score_file(path: Path | None, stdin: bytes | None = None, model: Path | None = None) -> ScoreReport:
    """Score the lines of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None; with the
    fitted ``model`` file when one is given, else with the rules."""
    name, text = read_source(path, stdin, "a text file, one sentence per line, or -")
    return score_text(text, name, read_model(model) if model is not None else None)


def score_text(text: str, source: str = "-", model: WorthinessModel | None = None) -> ScoreReport:
    """Score the lines of ``text`` (one document), read as ``source`` names it in messages; by ``model`` when
    given (its terms then are the rule terms it weighs, its n-grams not listed)."""
    lines, jsonl = numbered_lines(text, source, "no lines to score", "sentence")
    parsed = [_jsonl_line(source, number, line) if jsonl else (line, None, None) for number, line in lines]
    found = zip(lines, parsed, document_features(parsed), strict=True)
    scored = [
        ScoredText(
            line=number,
            text=sentence,
            speaker=speaker,
            claim_type=claim_type,
            score=score_of(terms) if model is None else model.score(terms, sentence),
            terms=terms,
        )
        for (number, _), (sentence, speaker, claim_type), terms in found
    ]
    scorer = extractor_id() if model is None else f"model sha256:{model.sha256}"
    return ScoreReport(source=source, scorer=scorer, scored=scored)


def _jsonl_line(source: str, number: int, line: str) -> tuple[str, str | None, str | None]:
    return _scored(f"{source}:{number}", json_object(f"{source}:{number}", line))


def _scored(where: str, record: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """The text, speaker and claim type of one JSONL record, checked."""
    text, speaker, claim_type = record.get("text"), record.get("speaker"), record.get("claim_type")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' (a non-empty string) to score")
    if speaker is not None and not isinstance(speaker, str):
        raise InputError(f"{where}: 'speaker' must be a string or null")
    if claim_type is not None and claim_type not in _TYPES:
        raise InputError(f"{where}: 'claim_type' {claim_type!r} is not one of {', '.join(_TYPES)}")
    return text, speaker or None, claim_type


BUCKETS = 1 << 18
NGRAMS = (1, 2)
FOLDS = 5

Example = tuple[str, str | None, str | None, bool, str]
"""(text, speaker, claim type, check-worthy, document) of one labelled text."""


def fit_model(labels: Path | None = None, *, dist: Path | None = None, out: Path | None = None) -> FitReport:
    """Fit a model on ``labels`` (JSONL: ``text``, ``label``, optionally ``speaker``, ``claim_type``,
    ``document``) or on the ``check_worthy`` judgements the dataset folder ``dist`` carries (give one of them);
    cross-validate it, and write it to ``out`` (None: a dry run, nothing written)."""
    if labels is not None and dist is None:
        examples, source = _labelled_file(labels), str(labels)
    elif dist is not None and labels is None:
        examples, source = _labelled_claims(dist), f"{dist} (claims with check_worthy)"
    else:
        raise ConfigError("give the labels to fit on: a JSONL file, or a dataset folder (dist), not both")
    positives = sum(example[3] for example in examples)
    enough_labels(source, len(examples), positives, "text", ("check-worthy", "not check-worthy"))
    terms = _terms(examples)
    slots = slot_rows((example[0] for example in examples), BUCKETS, NGRAMS)
    labels_array = np.array([example[3] for example in examples], dtype=np.float64)
    documents = [example[4] for example in examples]
    folds = folds_by_group(documents, FOLDS)
    held_out = cross_validate(terms, labels_array, folds, names=_TERM_NAMES, slots=slots, buckets=BUCKETS)
    rules = np.array([score_of(dict(zip(_TERM_NAMES, row, strict=True))) for row in terms])
    cv_ap, cv_map = ranking(held_out, labels_array, documents)
    rules_ap, rules_map = ranking(rules, labels_array, documents)
    by_document = group_precision(held_out, labels_array, documents)
    rules_by_document = group_precision(rules, labels_array, documents)
    spread = [
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
        cv_ap=round(cv_ap, 4),
        cv_map=None if cv_map is None else round(cv_map, 4),
        rules_ap=round(rules_ap, 4),
        rules_map=None if rules_map is None else round(rules_map, 4),
        document_ap=spread if len(spread) >= 2 else [],
        sha256=digest,
        out=None if out is None else str(out),
    )
    if out is not None:
        fitted = train(terms, labels_array, names=_TERM_NAMES, slots=slots, buckets=BUCKETS).rounded(6)
        model = WorthinessModel(
            bias=fitted.bias,
            terms=fitted.weights,
            slots=fitted.slots,
            buckets=BUCKETS,
            sizes=NGRAMS,
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


_TERM_NAMES = ["bias", *(feature.name for feature in WORTHINESS_FEATURES)]


def _labelled_file(path: Path) -> list[Example]:
    text = utf8_text(str(path), read_bytes(path, "JSONL with 'text' and 'label' per line"))
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        record = json_object(where, line)
        sentence, speaker, claim_type = _scored(where, record)
        label = record.get("label")
        if label not in (True, False, 0, 1):
            raise InputError(f"{where}: 'label' must be true/false or 1/0, not {label!r}")
        document = record.get("document")
        examples.append((sentence, speaker, claim_type, bool(label), "" if document is None else str(document)))
    return examples


def _labelled_claims(dist: Path) -> list[Example]:
    from builder.dataset_folder import iter_claims

    return [
        (claim.text, claim.speaker, claim.claim_type.value, bool(claim.check_worthy), claim.article_id)
        for claim, _ in iter_claims(dist)
        if claim.check_worthy is not None
    ]


def _terms(examples: list[Example]) -> FloatArray:
    """The rule terms of each example, a row each (bias column first), found with its document's other texts."""
    by_document: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        by_document.setdefault(example[4], []).append(index)
    rows: list[list[float]] = [[] for _ in examples]
    for indices in by_document.values():
        found = document_features([(examples[i][0], examples[i][1], examples[i][2]) for i in indices])
        for index, terms in zip(indices, found, strict=True):
            rows[index] = [terms[name] for name in _TERM_NAMES]
    return np.array(rows, dtype=np.float64)


_folds = folds_by_group  # the name tests/test_worthiness.py knows the folds by
