"""A check-worthiness model fitted on a user's own labels (``factpack worthiness fit``): read and applied here.

A linear model (:class:`builder.learn.LinearModel`) over three kinds of features of a line of a document:

- the rule score's terms (:func:`~builder.extract.worthiness.document_features`: each cue family, who says it);
- its place in the document (:func:`~builder.extract.worthiness_context.context_features`: after a question, a
  turn starting, the speaker's share of the lines, position, length, claim type and cue kind where known);
- its word n-grams, hashed with CRC-32 into ``buckets`` slots (no vocabulary is stored) and weighted by TF-IDF with
  the idf of the training texts (a slot no training text had weighs nothing).

A line's margin is ``bias + Σ weight × feature + Σ weight × TF-IDF of each n-gram slot``; then, since the lines a
fact-checker checks come in runs (a claim and the sentences that carry its figures), each margin takes
``neighbours`` × the mean of the margins of the lines just before and after it in the same document
(:func:`with_neighbours`). The score is the logistic of that, rounded to 3 decimals like the rule score.

The file is JSON (no pickle), with its format name, the settings the cross-validation chose, the training data's
SHA-256 and size and the cross-validated quality it was fitted with; a file of another format (an older model
too) is refused with one line naming it and saying to fit it again. The learning, the hashing and the file's
envelope are :mod:`builder.learn`'s, shared with the other fitted models; this module holds what is the
worthiness model's own: its features, its file's layout and its score.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ConfigError
from builder.extract.worthiness import WORTHINESS_FEATURES
from builder.extract.worthiness_context import CONTEXT_FEATURES, ContextLine, context_features
from builder.learn import LinearModel, document_sha256, model_file_in, ngram_counts, read_model_file

__all__ = [
    "FEATURES",
    "MODEL_FORMAT",
    "WorthinessModel",
    "model_features",
    "model_in",
    "read_model",
    "with_neighbours",
]

MODEL_FORMAT = "factpack-worthiness-model/2"
_FIT_COMMAND = "factpack worthiness fit"

FEATURES = (*(feature.name for feature in WORTHINESS_FEATURES), *CONTEXT_FEATURES)
"""The dense features' names, in the order of a row's columns: the rule terms, then the context."""


def model_features(terms: Sequence[Mapping[str, float]], lines: Sequence[ContextLine]) -> list[dict[str, float]]:
    """Each line's dense features: its rule ``terms`` (as :func:`document_features` gives them for the document
    ``lines``) and its :func:`context_features`, by the names of :data:`FEATURES`."""
    return [
        {name: {**rule, **place}[name] for name in FEATURES}
        for rule, place in zip(terms, context_features(lines), strict=True)
    ]


def with_neighbours(margins: Sequence[float], weight: float) -> list[float]:
    """Each margin plus ``weight`` × the mean of the margins just before and after it (the one there is, at an
    end); the margins are one document's lines, in order."""
    margins = list(margins)
    if not weight:
        return margins
    found = []
    for index, margin in enumerate(margins):
        near = margins[max(0, index - 1) : index] + margins[index + 1 : index + 2]
        found.append(margin + weight * math.fsum(near) / len(near) if near else margin)
    return found


@dataclass(frozen=True)
class WorthinessModel:
    """A fitted model: the learner's weights (with the n-grams' idf), the n-gram sizes, the settings the
    cross-validation chose (``l2``, ``balanced``, ``neighbours``: the weight of a line's neighbours), and where it
    came from."""

    linear: LinearModel
    sizes: tuple[int, ...]
    settings: dict[str, Any]
    training: dict[str, Any]
    quality: dict[str, Any]

    @property
    def neighbours(self) -> float:
        """The share of its neighbours' mean margin each line's margin takes."""
        return float(self.settings["neighbours"])

    def scores(self, lines: Sequence[ContextLine], terms: Sequence[Mapping[str, float]]) -> list[float]:
        """The scores of one document's ``lines``, in order, whose rule terms are ``terms``."""
        margins = []
        for (text, *_), features in zip(lines, model_features(terms, lines), strict=True):
            counts = ngram_counts(text, self.linear.buckets, self.sizes)
            margins.append(self.linear.margin(features, counts.keys(), counts.values()))
        return [
            round(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))), 3)  # past ±60 it is a certainty either way
            for z in with_neighbours(margins, self.neighbours)
        ]

    def document(self) -> dict[str, Any]:
        """The JSON document of the model file."""
        linear = self.linear
        return {
            "format": MODEL_FORMAT,
            "bias": linear.bias,
            "weights": linear.weights,
            "ngrams": {"buckets": linear.buckets, "sizes": list(self.sizes)},
            "idf": {str(slot): weight for slot, weight in sorted((linear.idf or {}).items())},
            "slots": {str(slot): weight for slot, weight in sorted(linear.slots.items())},
            "settings": self.settings,
            "training": self.training,
            "quality": self.quality,
        }

    @functools.cached_property
    def sha256(self) -> str:
        """SHA-256 of the model file's canonical JSON: what the extractor id and the card name."""
        return document_sha256(self.document())


def read_model(path: Path) -> WorthinessModel:
    """The model in ``path``; :class:`ConfigError` naming the file when it is not one of this format."""
    document = read_model_file(path, MODEL_FORMAT, _FIT_COMMAND)
    try:
        ngrams, settings = document["ngrams"], document["settings"]
        checked = {"l2": float(settings["l2"]), "balanced": bool(settings["balanced"])}
        checked["neighbours"] = float(settings["neighbours"])
        if int(ngrams["buckets"]) < 1 or checked["neighbours"] < 0 or checked["l2"] <= 0:
            raise ValueError("buckets, l2 and neighbours must be positive (neighbours may be 0)")
        return WorthinessModel(
            linear=LinearModel(
                bias=float(document["bias"]),
                weights={str(name): float(weight) for name, weight in document["weights"].items()},
                slots={int(slot): float(weight) for slot, weight in document["slots"].items()},
                buckets=int(ngrams["buckets"]),
                idf={int(slot): float(weight) for slot, weight in document["idf"].items()},
            ),
            sizes=tuple(int(size) for size in ngrams["sizes"]),
            settings=checked,
            training=dict(document["training"]),
            quality=dict(document["quality"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: a damaged model file ({type(exc).__name__}: {exc}); fit it again") from None


def model_in(path: Path) -> WorthinessModel | None:
    """The model at ``path`` when the file exists (read once per process while it is unchanged), else None."""
    return model_file_in(path, read_model)
