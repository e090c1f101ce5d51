"""A claim matcher fitted on a user's own labelled pairs (``factpack match fit``): its terms, its file, its score.

A linear model (:class:`builder.learn.LinearModel`) over two kinds of features of a pair:

* dense: the default matcher's terms, :func:`~builder.match.pairs.pair_features` and their pairwise products
  (:func:`~builder.match.pairs.expanded`), in the order of :data:`TERMS`;
* slots: the content-word stems the two sentences share (``s:`` and the stem) and the stems only one of them has
  (``d:`` and the stem), each hashed with CRC-32 into ``buckets`` slots (no vocabulary is stored). These are word
  weights learned from the user's labels: they live in the user's model file, never in what factpack ships (the
  default matcher has feature weights only, :mod:`builder.match.default_weights`).

Its score is the logistic of ``bias + Σ weight × term + Σ weight of each slot present``, rounded to 3 decimals like
the default's; a pair is a match at or above its ``threshold`` (the rules of :func:`~builder.match.pairs.score_pair`
apply as they do to the default). The file is JSON (no pickle) with its format name, the training data's SHA-256
and size and the cross-validated quality it was fitted with; a file of another format is refused with one line
naming it. The learning and the file's envelope are :mod:`builder.learn`'s, shared with ``worthiness fit``.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from builder.errors import ConfigError
from builder.learn import FloatArray, IntArray, LinearModel, document_sha256, model_file_in, read_model_file
from builder.match.pairs import FEATURES, expanded, pair_features
from builder.match.text import MatchText

__all__ = [
    "BUCKETS",
    "MATCH_MODEL_FORMAT",
    "TERMS",
    "MatchModel",
    "match_model_in",
    "pair_design",
    "pair_slots",
    "pair_terms",
    "read_match_model",
]

MATCH_MODEL_FORMAT = "factpack-match-model/1"
BUCKETS = 1 << 18
"""Slots of the hashed stems: enough that two stems of a few thousand labelled pairs seldom share one."""
TERMS = tuple(expanded(dict.fromkeys(FEATURES, 0.0)))
"""The dense terms' names, in the order of a row's columns."""
_FIT_COMMAND = "factpack match fit"


def pair_terms(first: MatchText, second: MatchText) -> dict[str, float]:
    """The dense terms of a pair: its features and their pairwise products, by name."""
    return expanded(pair_features(first, second))


def pair_slots(first: MatchText, second: MatchText, buckets: int) -> set[int]:
    """The hashed slots of the stems the two share (``s:``) and of those only one of them has (``d:``)."""
    keys = [f"s:{found}" for found in first.stems & second.stems]
    keys += [f"d:{found}" for found in first.stems ^ second.stems]
    return {zlib.crc32(key.encode("utf-8")) % buckets for key in keys}


def pair_design(pairs: Iterable[tuple[MatchText, MatchText]], buckets: int) -> tuple[FloatArray, list[IntArray]]:
    """The dense rows (columns in the order of :data:`TERMS`) and the sorted slot rows of ``pairs``, as
    :func:`builder.learn.train` takes them."""
    dense: list[list[float]] = []
    slots: list[IntArray] = []
    for first, second in pairs:
        terms = pair_terms(first, second)
        dense.append([terms[name] for name in TERMS])
        slots.append(np.array(sorted(pair_slots(first, second, buckets)), dtype=np.int64))
    return np.array(dense, dtype=np.float64).reshape(len(dense), len(TERMS)), slots


@dataclass(frozen=True)
class MatchModel:
    """A fitted matcher: the learner's weights, the threshold of its decision, and where it came from.

    ``statement_threshold``: the score at which two outlets' own statements match; None (what ``match fit``
    writes, its labels saying nothing of statements) leaves that decision at the caller's statement threshold.
    """

    linear: LinearModel
    threshold: float
    training: dict[str, Any]
    quality: dict[str, Any]
    statement_threshold: float | None = None

    def score(self, first: MatchText, second: MatchText) -> float:
        """The probability that the two state the same claim, rounded to 3 decimals."""
        found = self.linear.probability(pair_terms(first, second), pair_slots(first, second, self.linear.buckets))
        return round(found, 3)

    def document(self) -> dict[str, Any]:
        """The JSON document of the model file."""
        return {
            "format": MATCH_MODEL_FORMAT,
            "bias": self.linear.bias,
            "terms": self.linear.weights,
            "buckets": self.linear.buckets,
            "slots": {str(slot): weight for slot, weight in sorted(self.linear.slots.items())},
            "threshold": self.threshold,
            "statement_threshold": self.statement_threshold,
            "training": self.training,
            "quality": self.quality,
        }

    @functools.cached_property
    def sha256(self) -> str:
        """SHA-256 of the model file's canonical JSON: how the reports name the scorer."""
        return document_sha256(self.document())


def read_match_model(path: Path) -> MatchModel:
    """The model in ``path``; :class:`ConfigError`, one line naming the file, when it is not one of this format."""
    document = read_model_file(path, MATCH_MODEL_FORMAT, _FIT_COMMAND)
    try:
        statement = document["statement_threshold"]
        model = MatchModel(
            linear=LinearModel(
                bias=float(document["bias"]),
                weights={str(name): float(weight) for name, weight in document["terms"].items()},
                slots={int(slot): float(weight) for slot, weight in document["slots"].items()},
                buckets=int(document["buckets"]),
            ),
            threshold=float(document["threshold"]),
            training=dict(document["training"]),
            quality=dict(document["quality"]),
            statement_threshold=None if statement is None else float(statement),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: a damaged model file ({type(exc).__name__}: {exc}); fit it again") from None
    buckets = model.linear.buckets
    if buckets < 1 or any(not 0 <= slot < buckets for slot in model.linear.slots):
        raise ConfigError(f"{path}: a damaged model file (slots outside its {buckets} buckets); fit it again")
    return model


def match_model_in(path: Path) -> MatchModel | None:
    """The model at ``path`` when the file exists (read once per process while it is unchanged), else None."""
    return model_file_in(path, read_match_model)
