"""The learner behind factpack's fitted models (``factpack worthiness fit``, and claim matching's ``match fit``).

One recipe, so that what a fitted model means, how it is measured and how it is stored are the same for each:

- features: a dense row of named numbers per example (:func:`standardised` for the learner, the weights then
  carried back to the raw numbers by :func:`unstandardised`), plus optional sparse slots, the CRC-32 hashes of the
  example's lower-cased word n-grams into ``buckets`` (:func:`ngram_slots`: no vocabulary to store), each present
  once, or counted (:func:`ngram_counts`) and weighted by TF-IDF: ``(1 + ln count) × idf``, the idf
  ``ln((1 + texts) / (1 + texts with the slot)) + 1`` from the training texts (:func:`idf_of`), the row scaled to
  unit length over the slots the training texts had (:func:`tfidf_values`): a word every text has weighs little,
  and a long text does not outweigh a short one;
- :func:`train`: an L2-regularised logistic regression, the classes weighted to balance or not, fitted by Adam over
  full batches from zero (no seed: the same examples give the same weights), returned as a :class:`LinearModel`;
- :func:`folds_by_group` and :func:`cross_validate`: every example's probability from a model that never saw its
  group (its document), when there are groups enough for the folds;
- :func:`ranking` (average precision, pooled and per group) and :func:`classification` (accuracy, precision,
  recall, F1 at a cut) of those held-out probabilities;
- the model file: JSON with its ``format`` name (:func:`write_model_file`), refused with one line naming the file
  when it is of another format or not JSON (:func:`read_model_file`). What else a model file holds is its
  command's: :mod:`builder.extract.worthiness_model` reads the worthiness model's.

It sits in the foundation band beside ``files.py`` (``tests/test_layers.py``), not beside the commands that fit:
the build's extract stage applies a fitted model through :mod:`builder.extract.worthiness_model`, and extract may
only import from the bands below it. It needs no more than :mod:`builder.errors` and :mod:`builder.files`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from builder.errors import ConfigError, InputError, OutputError
from builder.files import os_reason

T = TypeVar("T")

__all__ = [
    "L2",
    "MIN_LABELS",
    "STEPS",
    "Classification",
    "FloatArray",
    "IntArray",
    "LinearModel",
    "average_precision",
    "classification",
    "count_rows",
    "cross_validate",
    "document_sha256",
    "enough_labels",
    "folds_by_group",
    "group_precision",
    "idf_of",
    "model_file_in",
    "ngram_counts",
    "ngram_slots",
    "ranking",
    "read_model_file",
    "slot_rows",
    "standardised",
    "tfidf_values",
    "train",
    "unstandardised",
    "write_model_file",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

L2 = 1e-3
"""The default L2 penalty of :func:`train`, on every weight but the intercept."""
STEPS = 300
"""The default number of Adam steps of :func:`train`, each over all the examples."""

_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_CLIP = 60.0  # exp(60) is far from overflowing, and a margin past it is a certainty either way


def ngram_counts(text: str, buckets: int, sizes: tuple[int, ...]) -> dict[int, int]:
    """The hashed slots of the word n-grams of ``text`` (lower-cased words), each with how often it occurs."""
    words = _WORDS.findall(text.lower())
    counts: dict[int, int] = {}
    for size in sizes:
        for start in range(len(words) - size + 1):
            slot = zlib.crc32(" ".join(words[start : start + size]).encode("utf-8")) % buckets
            counts[slot] = counts.get(slot, 0) + 1
    return counts


def ngram_slots(text: str, buckets: int, sizes: tuple[int, ...]) -> set[int]:
    """The hashed slots of the word n-grams of ``text`` (lower-cased words, each n-gram once)."""
    return set(ngram_counts(text, buckets, sizes))


def slot_rows(texts: Iterable[str], buckets: int, sizes: tuple[int, ...]) -> list[IntArray]:
    """Each text's :func:`ngram_slots`, sorted, as the rows :func:`train` and :meth:`LinearModel.margins` take."""
    return [np.array(sorted(ngram_slots(text, buckets, sizes)), dtype=np.int64) for text in texts]


def count_rows(texts: Iterable[str], buckets: int, sizes: tuple[int, ...]) -> tuple[list[IntArray], list[FloatArray]]:
    """Each text's :func:`ngram_counts` as two rows: its slots, sorted, and their counts (what :func:`train` takes
    as ``slots`` and ``counts``)."""
    slots: list[IntArray] = []
    counts: list[FloatArray] = []
    for text in texts:
        found = sorted(ngram_counts(text, buckets, sizes).items())
        slots.append(np.array([slot for slot, _ in found], dtype=np.int64))
        counts.append(np.array([count for _, count in found], dtype=np.float64))
    return slots, counts


def idf_of(slots: Sequence[IntArray]) -> dict[int, float]:
    """The inverse document frequency of every slot the rows hold: ``ln((1 + rows) / (1 + rows with it)) + 1``
    (a slot twice in one row counts once)."""
    found = np.concatenate([np.unique(row) for row in slots]) if len(slots) else np.empty(0, dtype=np.int64)
    used, frequency = np.unique(found, return_counts=True)
    weights = np.log((1 + len(slots)) / (1 + frequency)) + 1
    return {int(slot): float(weight) for slot, weight in zip(used, weights, strict=True)}


def tfidf_values(slots: IntArray, counts: FloatArray, idf: Mapping[int, float]) -> FloatArray:
    """The TF-IDF weights of one row's ``slots`` seen ``counts`` times: ``(1 + ln count) × idf``, the row at unit
    length; a slot ``idf`` lacks (no training text had it) weighs 0 and adds nothing to the length."""
    weights = np.array([idf.get(int(slot), 0.0) for slot in slots], dtype=np.float64)
    values = (1.0 + np.log(np.maximum(counts, 1.0))) * weights
    length = float(np.sqrt(values @ values))
    return values / length if length > 0 else values


def _logistic(margins: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(margins, -_CLIP, _CLIP))), dtype=np.float64)


@dataclass(frozen=True)
class LinearModel:
    """A fitted logistic model: ``bias + Σ weight × feature + Σ weight × value of each slot present``.

    ``weights`` are the dense features' weights, by name, in the order of a dense row's columns; ``slots`` holds
    only the slots with a weight (any other weighs 0); ``buckets`` is how many slots the hashing has. A slot's
    value is 1 when it is only present, its count when counted, and its TF-IDF weight (:func:`tfidf_values`) when
    the model has an ``idf`` (it was trained with ``idf=True``; the counts are then what it is given).
    """

    bias: float
    weights: dict[str, float]
    slots: dict[int, float]
    buckets: int
    idf: dict[int, float] | None = None

    def margin(
        self, features: Mapping[str, float], slots: Iterable[int] = (), counts: Iterable[float] | None = None
    ) -> float:
        """The margin of one example; a feature this model has no weight for weighs 0."""
        z = self.bias + math.fsum(self.weights.get(name, 0.0) * value for name, value in features.items())
        if counts is None and self.idf is None:  # each slot present once, weighing its weight: no arrays to build
            return z + math.fsum(self.slots.get(slot, 0.0) for slot in slots)
        present = np.fromiter(slots, dtype=np.int64)
        values = _row_values(present, None if counts is None else np.fromiter(counts, dtype=np.float64), self.idf)
        z += math.fsum(self.slots.get(int(slot), 0.0) * value for slot, value in zip(present, values, strict=True))
        return z

    def probability(
        self, features: Mapping[str, float], slots: Iterable[int] = (), counts: Iterable[float] | None = None
    ) -> float:
        """The probability of one example (the logistic of its :meth:`margin`)."""
        return 1.0 / (1.0 + math.exp(-max(-_CLIP, min(_CLIP, self.margin(features, slots, counts)))))

    def margins(
        self, dense: ArrayLike, slots: Sequence[IntArray] | None = None, counts: Sequence[FloatArray] | None = None
    ) -> FloatArray:
        """The margins of a matrix of examples: ``dense`` a row each, columns in the order of ``weights``, and
        ``slots`` each row's slots (None: no slots) with their ``counts`` (None: each once). Equal to
        :meth:`margin` to rounding, not bit for bit."""
        margins = self.bias + np.asarray(dense, dtype=np.float64) @ self._dense_weights
        if slots is not None and counts is None and self.idf is None:
            margins = margins + np.array([self._slot_weights[row].sum() for row in slots], dtype=np.float64)
        elif slots is not None:
            values = _slot_values(slots, counts, self.idf)
            margins = margins + np.array(
                [self._slot_weights[row] @ found for row, found in zip(slots, values, strict=True)], dtype=np.float64
            )
        return np.asarray(margins, dtype=np.float64)

    def probabilities(
        self, dense: ArrayLike, slots: Sequence[IntArray] | None = None, counts: Sequence[FloatArray] | None = None
    ) -> FloatArray:
        """The probabilities of a matrix of examples (see :meth:`margins`)."""
        return _logistic(self.margins(dense, slots, counts))

    def rounded(self, places: int) -> LinearModel:
        """The weights (and idf) to ``places`` decimals, as a model file keeps them; a slot lighter than
        ``10**-places`` is left out (it would round to nothing or to the smallest step)."""
        smallest = float(f"1e-{places}")
        return LinearModel(
            bias=round(self.bias, places),
            weights={name: round(weight, places) for name, weight in self.weights.items()},
            slots={slot: round(weight, places) for slot, weight in self.slots.items() if abs(weight) >= smallest},
            buckets=self.buckets,
            idf=None if self.idf is None else {slot: round(weight, places) for slot, weight in self.idf.items()},
        )

    @functools.cached_property
    def _dense_weights(self) -> FloatArray:
        return np.array(list(self.weights.values()), dtype=np.float64)

    @functools.cached_property
    def _slot_weights(self) -> FloatArray:
        # Indexed by slot, so a row of slots sums in one step; only the matrix methods need it.
        weights = np.zeros(self.buckets, dtype=np.float64)
        weights[list(self.slots)] = list(self.slots.values())
        return weights


def _row_values(slots: IntArray, counts: FloatArray | None, idf: Mapping[int, float] | None) -> FloatArray:
    """The value of each slot of one row: its TF-IDF weight with an ``idf``, else its count (1 when not counted)."""
    found = np.ones(len(slots)) if counts is None else counts
    return found if idf is None else tfidf_values(slots, found, idf)


def _slot_values(
    slots: Sequence[IntArray], counts: Sequence[FloatArray] | None, idf: Mapping[int, float] | None
) -> list[FloatArray]:
    if counts is not None and (
        len(counts) != len(slots) or any(len(found) != len(row) for found, row in zip(counts, slots, strict=True))
    ):
        raise ValueError("give a count for every slot of every row, or no counts")
    return [_row_values(row, None if counts is None else counts[k], idf) for k, row in enumerate(slots)]


def train(
    dense: ArrayLike,
    labels: ArrayLike,
    *,
    names: Sequence[str],
    slots: Sequence[IntArray] | None = None,
    counts: Sequence[FloatArray] | None = None,
    buckets: int = 0,
    l2: float = L2,
    steps: int = STEPS,
    balanced: bool = True,
    idf: bool = False,
) -> LinearModel:
    """Fit a :class:`LinearModel` to ``dense`` (a row per example, a column per name of ``names``), each row's
    ``slots`` (sorted slot numbers below ``buckets``; None: no slots) with their ``counts`` (None: each once) and
    ``labels`` (1 or 0 per example). With ``idf``, the slots are weighted by TF-IDF, the idf from these rows.

    L2-regularised logistic regression by Adam over full batches, the classes weighted to balance when
    ``balanced`` (else every example alike); seedless: it starts at zero, so the same examples give the same
    weights."""
    terms = np.asarray(dense, dtype=np.float64)
    truth = np.asarray(labels, dtype=np.float64)
    n = len(truth)
    if terms.ndim != 2 or terms.shape != (n, len(names)):
        raise ValueError(f"dense is {terms.shape}, not a row per label ({n}) and a column per name ({len(names)})")
    rows = [np.empty(0, dtype=np.int64)] * n if slots is None else list(slots)
    if len(rows) != n:
        raise ValueError(f"{len(rows)} rows of slots for {n} labels")
    found = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    if found.size and (found.min() < 0 or found.max() >= buckets):
        raise ValueError(f"slots run from {found.min()} to {found.max()}, outside 0 to {buckets - 1}")
    weights_of = idf_of(rows) if idf else None
    values = _slot_values(rows, counts, weights_of)
    flat = np.concatenate(values) if values else np.empty(0, dtype=np.float64)
    if balanced:
        positives = max(1.0, float(truth.sum()))
        weight = np.where(truth > 0, n / (2 * positives), n / (2 * max(1.0, n - positives))) / n
    else:
        weight = np.full(n, 1.0 / max(1, n))
    used, indices = np.unique(found, return_inverse=True)  # only the slots the texts fill have a weight to learn
    owners = np.repeat(np.arange(n), [len(row) for row in rows])
    params = [np.zeros(1), np.zeros(terms.shape[1]), np.zeros(len(used))]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for step in range(1, steps + 1):
        bias, term_weights, slot_weights = params
        margins = bias[0] + terms @ term_weights + np.bincount(owners, flat * slot_weights[indices], minlength=n)
        residual = weight * (1.0 / (1.0 + np.exp(-np.clip(margins, -_CLIP, _CLIP))) - truth)
        grads = [
            np.array([residual.sum()]),
            terms.T @ residual + l2 * term_weights,
            np.bincount(indices, flat * residual[owners], minlength=len(used)) + l2 * slot_weights,
        ]
        for k, grad in enumerate(grads):
            first[k] = 0.9 * first[k] + 0.1 * grad
            second[k] = 0.999 * second[k] + 0.001 * grad * grad
            params[k] = params[k] - 0.05 * (first[k] / (1 - 0.9**step)) / (
                np.sqrt(second[k] / (1 - 0.999**step)) + 1e-8
            )
    return LinearModel(
        bias=float(params[0][0]),
        weights={name: float(w) for name, w in zip(names, params[1], strict=True)},
        slots={int(slot): float(w) for slot, w in zip(used, params[2], strict=True) if w != 0.0},
        buckets=buckets,
        idf=weights_of,
    )


def standardised(dense: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The columns of ``dense`` centred and scaled to unit spread (a constant column only centred), with the means
    and spreads used. Terms of many scales (0-1 similarities, counts, products of counts) suit the learner's steps,
    the same size for every weight, and its one L2 penalty once they are of one scale."""
    mean = dense.mean(axis=0) if len(dense) else np.zeros(dense.shape[1])
    spread = dense.std(axis=0) if len(dense) else np.ones(dense.shape[1])
    spread = np.where(spread > 0, spread, 1.0)
    return (dense - mean) / spread, mean, spread


def unstandardised(fitted: LinearModel, mean: FloatArray, spread: FloatArray) -> LinearModel:
    """The model ``fitted`` on :func:`standardised` terms, as weights of the raw terms (the same margins)."""
    raw = np.array(list(fitted.weights.values())) / spread
    return LinearModel(
        bias=float(fitted.bias - raw @ mean),
        weights={name: float(weight) for name, weight in zip(fitted.weights, raw, strict=True)},
        slots=fitted.slots,
        buckets=fitted.buckets,
        idf=fitted.idf,
    )


def folds_by_group(groups: Sequence[str], folds: int) -> IntArray:
    """A fold per example: whole groups (documents) to a fold when there are ``folds`` groups or more, so no
    group is on both sides of a split; else the examples in turn."""
    names = sorted(set(groups))
    if len(names) >= folds:
        fold_of = {name: index % folds for index, name in enumerate(names)}
        return np.array([fold_of[group] for group in groups], dtype=np.int64)
    return np.arange(len(groups), dtype=np.int64) % folds


def cross_validate(
    dense: ArrayLike,
    labels: ArrayLike,
    fold_of: ArrayLike,
    *,
    names: Sequence[str],
    slots: Sequence[IntArray] | None = None,
    counts: Sequence[FloatArray] | None = None,
    buckets: int = 0,
    l2: float = L2,
    steps: int = STEPS,
    balanced: bool = True,
    idf: bool = False,
) -> FloatArray:
    """Every example's probability from the model :func:`train` fits on the examples of the other folds
    (``fold_of``: a fold number per example, as :func:`folds_by_group` gives); with ``idf``, each fold's idf is
    its training examples'."""
    terms = np.asarray(dense, dtype=np.float64)
    truth = np.asarray(labels, dtype=np.float64)
    fold_array = np.asarray(fold_of)
    if fold_array.shape != truth.shape:
        raise ValueError(f"folds of shape {fold_array.shape} for {len(truth)} labels: give one fold per example")

    def rows(found: Sequence[T] | None, kept: NDArray[np.bool_]) -> list[T] | None:
        return None if found is None else [row for row, keep in zip(found, kept, strict=True) if keep]

    held_out = np.zeros(len(truth))
    for fold in np.unique(fold_array):
        test = fold_array == fold
        model = train(
            terms[~test],
            truth[~test],
            names=names,
            slots=rows(slots, ~test),
            counts=rows(counts, ~test),
            buckets=buckets,
            l2=l2,
            steps=steps,
            balanced=balanced,
            idf=idf,
        )
        held_out[test] = model.probabilities(terms[test], rows(slots, test), rows(counts, test))
    return held_out


def average_precision(scores: ArrayLike, labels: ArrayLike) -> float:
    """The mean of the precision at each positive, ranked by ``scores`` (highest first; ties in input order);
    0.0 with no positive."""
    values = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(labels)
    order = np.lexsort((np.arange(len(values)), -values))
    hits = truth[order] > 0
    if not hits.any():
        return 0.0
    precision = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision[hits].mean())


def ranking(scores: ArrayLike, labels: ArrayLike, groups: Sequence[str]) -> tuple[float, float | None]:
    """Average precision over all examples, and its mean over the groups that hold a positive (None with fewer
    than two groups, or when none holds a positive)."""
    values = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(labels)
    pooled = average_precision(values, truth)
    if len(set(groups)) < 2:
        return pooled, None
    per_group = group_precision(values, truth, groups)
    return pooled, float(np.mean(list(per_group.values()))) if per_group else None


def group_precision(scores: ArrayLike, labels: ArrayLike, groups: Sequence[str]) -> dict[str, float]:
    """The average precision of each group (document) that holds a positive, by group name, sorted."""
    values = np.asarray(scores, dtype=np.float64)
    truth = np.asarray(labels)
    group_of = np.array(groups)
    found: dict[str, float] = {}
    for name in sorted(set(groups)):
        member = group_of == name
        if truth[member].any():
            found[name] = average_precision(values[member], truth[member])
    return found


@dataclass(frozen=True)
class Classification:
    """How the examples fare when those at or above a cut are called positive. A ratio with nothing to divide
    is 0.0 (precision with nothing called positive, recall with no positive)."""

    accuracy: float
    precision: float
    recall: float
    f1: float


def classification(probabilities: ArrayLike, labels: ArrayLike, cut: float = 0.5) -> Classification:
    """Accuracy, precision, recall and F1 of calling positive the examples whose probability is ``cut`` or more."""
    called = np.asarray(probabilities, dtype=np.float64) >= cut
    truth = np.asarray(labels) > 0
    if called.shape != truth.shape or not truth.size:
        raise ValueError(f"{called.size} probabilities for {truth.size} labels: give one each, and at least one")
    hits = int((called & truth).sum())
    precision = hits / int(called.sum()) if called.any() else 0.0
    recall = hits / int(truth.sum()) if truth.any() else 0.0
    return Classification(
        accuracy=float((called == truth).mean()),
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if hits else 0.0,
    )


def document_sha256(document: Mapping[str, Any]) -> str:
    """SHA-256 of a model document's canonical JSON (sorted keys): the name a report or a card gives a model."""
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()


def write_model_file(path: Path, document: Mapping[str, Any]) -> None:
    """Write a model's JSON ``document`` (its ``format`` name included) to ``path``: keys sorted, one space of
    indent, a newline at the end; :class:`OutputError` naming the file when it cannot be written."""
    if not isinstance(document.get("format"), str):
        raise ValueError("a model document names its format (a string under 'format')")
    try:
        path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the model ({os_reason(exc)}); check the path and its rights") from exc


def read_model_file(path: Path, model_format: str, fit_command: str) -> dict[str, Any]:
    """The JSON document in ``path`` when it is a model of ``model_format``; else :class:`ConfigError`, one line
    naming the file and saying to fit it (again) with ``fit_command``. Its other keys are the caller's to check."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such model file; fit one with '{fit_command}'") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable JSON model file ({exc}); fit it again") from None
    if not isinstance(document, dict) or document.get("format") != model_format:
        found = document.get("format") if isinstance(document, dict) else None
        raise ConfigError(
            f"{path}: a model of format {found!r}, this factpack reads {model_format!r}; fit it again with "
            f"'{fit_command}'"
        )
    return document


def model_file_in(path: Path, read: Callable[[Path], T]) -> T | None:
    """The model ``read`` reads from ``path`` when the file exists, else None; read once per process while the file
    is unchanged (its size and modification time), since a build asks for it for every article or task."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({os_reason(exc)}); check its rights") from exc
    found: T = _cached_model(read, str(path), stat.st_mtime_ns, stat.st_size)
    return found


@functools.lru_cache(maxsize=8)
def _cached_model(read: Callable[[Path], Any], path: str, mtime_ns: int, size: int) -> Any:
    return read(Path(path))


def enough_labels(source: str, labelled: int, positives: int, unit: str, kinds: tuple[str, str]) -> None:
    """Refuse (:class:`InputError`) fewer than :data:`MIN_LABELS` labelled examples, or labels of one of the two
    ``kinds`` only (the positive's name, the negative's): a model fitted on them would decide by chance. ``unit``
    names an example in the message ("text", "pair")."""
    if labelled < MIN_LABELS:
        raise InputError(
            f"{source}: {labelled} labelled {unit}(s); label at least {MIN_LABELS}, {kinds[0]} and not, before fitting"
        )
    if positives in (0, labelled):
        judged = kinds[0] if positives else kinds[1]
        raise InputError(f"{source}: all {labelled} labels say {judged}; label some of the other kind too")


MIN_LABELS = 50
"""Fewer labelled examples than this are refused (:func:`enough_labels`)."""
