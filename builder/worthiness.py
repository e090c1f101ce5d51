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

from builder.errors import ConfigError, InputError, OutputError
from builder.extract import extractor_id
from builder.extract.worthiness import WORTHINESS_FEATURES, document_features, score_of
from builder.extract.worthiness_model import WorthinessModel, ngram_slots, read_model
from builder.files import os_reason
from builder.models import ClaimType, FitReport, ScoredText, ScoreReport
from builder.passages import json_object, numbered_lines, read_bytes, read_source, utf8_text

__all__ = ["fit_model", "score_file", "score_text"]

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


MIN_LABELS = 50
"""Fewer labelled texts than this are refused: a model fitted on them would rank by chance."""
BUCKETS = 1 << 18
NGRAMS = (1, 2)
FOLDS = 5
_L2 = 1e-3
_STEPS = 300

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
    if len(examples) < MIN_LABELS:
        raise InputError(
            f"{source}: {len(examples)} labelled text(s); label at least {MIN_LABELS}, check-worthy and not, "
            "before fitting"
        )
    if positives in (0, len(examples)):
        judged = "check-worthy" if positives else "not check-worthy"
        raise InputError(f"{source}: all {len(examples)} labels say {judged}; label some of the other kind too")
    import numpy as np

    terms, slots = _features(examples)
    labels_array = np.array([example[3] for example in examples], dtype=np.float64)
    documents = [example[4] for example in examples]
    folds = _folds(documents, FOLDS)
    held_out = np.zeros(len(examples))
    for fold in range(FOLDS):
        test = folds == fold
        trained = _train(terms[~test], [s for s, keep in zip(slots, ~test, strict=True) if keep], labels_array[~test])
        held_out[test] = _predict(trained, terms[test], [s for s, keep in zip(slots, test, strict=True) if keep])
    rules = np.array([score_of(dict(zip(_TERM_NAMES, row, strict=True))) for row in terms])
    cv_ap, cv_map = _ranking(held_out, labels_array, documents)
    rules_ap, rules_map = _ranking(rules, labels_array, documents)
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
        sha256=digest,
        out=None if out is None else str(out),
    )
    if out is not None:
        bias, term_weights, slot_weights = _train(terms, slots, labels_array)
        model = WorthinessModel(
            bias=round(float(bias), 6),
            terms={name: round(float(w), 6) for name, w in zip(_TERM_NAMES, term_weights, strict=True)},
            slots={int(i): round(float(slot_weights[i]), 6) for i in np.flatnonzero(np.abs(slot_weights) >= 1e-6)},
            buckets=BUCKETS,
            sizes=NGRAMS,
            training={"source": source, "sha256": digest, "examples": len(examples), "positives": positives},
            quality=report.model_dump(include={"folds", "cv_ap", "cv_map", "rules_ap", "rules_map"}),
        )
        try:
            out.write_text(json.dumps(model.document(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        except OSError as exc:
            raise OutputError(
                f"{out}: cannot write the model ({os_reason(exc)}); check the path and its rights"
            ) from exc
    return report


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


def _features(examples: list[Example]) -> tuple[Any, list[Any]]:
    """The rule terms (a row per example, bias column first) and each example's n-gram slots."""
    import numpy as np

    by_document: dict[str, list[int]] = {}
    for index, example in enumerate(examples):
        by_document.setdefault(example[4], []).append(index)
    rows: list[list[float]] = [[] for _ in examples]
    for indices in by_document.values():
        found = document_features([(examples[i][0], examples[i][1], examples[i][2]) for i in indices])
        for index, terms in zip(indices, found, strict=True):
            rows[index] = [terms[name] for name in _TERM_NAMES]
    slots = [np.array(sorted(ngram_slots(example[0], BUCKETS, NGRAMS)), dtype=np.int64) for example in examples]
    return np.array(rows, dtype=np.float64), slots


def _folds(documents: list[str], folds: int) -> Any:
    """A fold per example: whole documents to a fold when there are enough of them, else examples in turn."""
    import numpy as np

    names = sorted(set(documents))
    if len(names) >= folds:
        fold_of = {name: index % folds for index, name in enumerate(names)}
        return np.array([fold_of[document] for document in documents])
    return np.arange(len(documents)) % folds


def _margins(model: tuple[Any, Any, Any], terms: Any, slots: list[Any]) -> Any:
    import numpy as np

    bias, term_weights, slot_weights = model
    sparse = np.array([slot_weights[row].sum() for row in slots])
    return bias + terms @ term_weights + sparse


def _predict(model: tuple[Any, Any, Any], terms: Any, slots: list[Any]) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-np.clip(_margins(model, terms, slots), -60, 60)))


def _train(terms: Any, slots: list[Any], labels: Any) -> tuple[Any, Any, Any]:
    """L2-regularised logistic regression, classes weighted to balance, by Adam over full batches (seedless:
    it starts at zero, so the same examples give the same weights)."""
    import numpy as np

    n = len(labels)
    positives = max(1.0, float(labels.sum()))
    weight = np.where(labels > 0, n / (2 * positives), n / (2 * max(1.0, n - positives))) / n
    found = np.concatenate(slots) if slots else np.empty(0, dtype=np.int64)
    used, indices = np.unique(found, return_inverse=True)  # only the slots the texts fill have a weight to learn
    owners = np.repeat(np.arange(n), [len(row) for row in slots])
    params = [np.zeros(1), np.zeros(terms.shape[1]), np.zeros(len(used))]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, _STEPS + 1):
        bias, term_weights, slot_weights = params
        margins = bias[0] + terms @ term_weights + np.bincount(owners, slot_weights[indices], minlength=n)
        residual = weight * (1.0 / (1.0 + np.exp(-np.clip(margins, -60, 60))) - labels)
        grads = [
            np.array([residual.sum()]),
            terms.T @ residual + _L2 * term_weights,
            np.bincount(indices, residual[owners], minlength=len(used)) + _L2 * slot_weights,
        ]
        for k, grad in enumerate(grads):
            first[k] = 0.9 * first[k] + 0.1 * grad
            second[k] = 0.999 * second[k] + 0.001 * grad * grad
            params[k] = params[k] - 0.05 * (first[k] / (1 - 0.9**step)) / (
                np.sqrt(second[k] / (1 - 0.999**step)) + 1e-8
            )
    slot_weights = np.zeros(BUCKETS)
    slot_weights[used] = params[2]
    return float(params[0][0]), params[1], slot_weights


def _ranking(scores: Any, labels: Any, documents: list[str]) -> tuple[float, float | None]:
    """Average precision over all texts, and the mean over documents with a positive (None with one document)."""
    import numpy as np

    def average_precision(values: Any, truth: Any) -> float:
        order = np.lexsort((np.arange(len(values)), -values))
        hits = truth[order] > 0
        if not hits.any():
            return 0.0
        precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        return float(precision[hits].mean())

    pooled = average_precision(scores, labels)
    names = sorted(set(documents))
    if len(names) < 2:
        return pooled, None
    docs = np.array(documents)
    per_document = [average_precision(scores[docs == name], labels[docs == name]) for name in names]
    with_positive = [ap for ap, name in zip(per_document, names, strict=True) if labels[docs == name].any()]
    return pooled, float(np.mean(with_positive)) if with_positive else None
