"""A check-worthiness model fitted on a user's own labels (``factpack worthiness fit``): read and applied here.

A small linear model over two kinds of features: the rule score's terms (:func:`~builder.extract.worthiness.
worthiness_features`: each cue family, who says it) and hashed word n-grams of the text (each n-gram present
counts once, hashed with CRC-32 into ``buckets`` slots, so no vocabulary is stored). Its score is the logistic of
``bias + Σ weight × term + Σ weight of each n-gram slot present``, rounded to 3 decimals like the rule score.

The file is JSON (no pickle), with its format name, the training data's SHA-256 and size, and the
cross-validated quality it was fitted with; a file of another format is refused with one line naming it. The
learning, the hashing and the file's envelope are :mod:`builder.learn`'s, shared with the other fitted models;
this module holds what is the worthiness model's own: its fields, its file's layout and its score.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ConfigError
from builder.learn import LinearModel, document_sha256, model_file_in, ngram_slots, read_model_file

__all__ = ["MODEL_FORMAT", "WorthinessModel", "model_in", "ngram_slots", "read_model"]

MODEL_FORMAT = "factpack-worthiness-model/1"
_FIT_COMMAND = "factpack worthiness fit"


@dataclass(frozen=True)
class WorthinessModel:
    """A fitted model: weights of the rule terms and of the n-gram slots, and where it came from."""

    bias: float
    terms: dict[str, float]
    slots: dict[int, float]
    buckets: int
    sizes: tuple[int, ...]
    training: dict[str, Any]
    quality: dict[str, Any]

    def score(self, terms: dict[str, float], text: str) -> float:
        """The model's score of a text whose rule terms are ``terms``."""
        return round(self.linear.probability(terms, ngram_slots(text, self.buckets, self.sizes)), 3)

    @functools.cached_property
    def linear(self) -> LinearModel:
        """The weights as the learner's model: the rule terms are its dense features, the n-grams its slots."""
        return LinearModel(bias=self.bias, weights=self.terms, slots=self.slots, buckets=self.buckets)

    def document(self) -> dict[str, Any]:
        """The JSON document of the model file."""
        return {
            "format": MODEL_FORMAT,
            "bias": self.bias,
            "terms": self.terms,
            "ngrams": {"buckets": self.buckets, "sizes": list(self.sizes)},
            "slots": {str(slot): weight for slot, weight in sorted(self.slots.items())},
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
        ngrams = document["ngrams"]
        return WorthinessModel(
            bias=float(document["bias"]),
            terms={str(name): float(weight) for name, weight in document["terms"].items()},
            slots={int(slot): float(weight) for slot, weight in document["slots"].items()},
            buckets=int(ngrams["buckets"]),
            sizes=tuple(int(size) for size in ngrams["sizes"]),
            training=dict(document["training"]),
            quality=dict(document["quality"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: a damaged model file ({type(exc).__name__}: {exc}); fit it again") from None


def model_in(path: Path) -> WorthinessModel | None:
    """The model at ``path`` when the file exists (read once per process while it is unchanged), else None."""
    return model_file_in(path, read_model)
