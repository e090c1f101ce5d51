"""A check-worthiness model fitted on a user's own labels (``factpack worthiness fit``): read and applied here.

A small linear model over two kinds of features: the rule score's terms (:func:`~builder.extract.worthiness.
worthiness_features`: each cue family, who says it) and hashed word n-grams of the text (each n-gram present
counts once, hashed with CRC-32 into ``buckets`` slots, so no vocabulary is stored). Its score is the logistic of
``bias + Σ weight × term + Σ weight of each n-gram slot present``, rounded to 3 decimals like the rule score.

The file is JSON (no pickle), with its format name, the training data's SHA-256 and size, and the
cross-validated quality it was fitted with; a file of another format is refused with one line naming it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import ConfigError
from builder.files import os_reason

__all__ = ["MODEL_FORMAT", "WorthinessModel", "model_in", "ngram_slots", "read_model"]

MODEL_FORMAT = "factpack-worthiness-model/1"
_WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def ngram_slots(text: str, buckets: int, sizes: tuple[int, ...]) -> set[int]:
    """The hashed slots of the word n-grams of ``text`` (lower-cased words, each n-gram once)."""
    words = _WORDS.findall(text.lower())
    slots = set()
    for size in sizes:
        for start in range(len(words) - size + 1):
            slots.add(zlib.crc32(" ".join(words[start : start + size]).encode("utf-8")) % buckets)
    return slots


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
        z = self.bias + math.fsum(self.terms.get(name, 0.0) * value for name, value in terms.items())
        z += math.fsum(self.slots.get(slot, 0.0) for slot in ngram_slots(text, self.buckets, self.sizes))
        return round(1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))), 3)

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
        return hashlib.sha256(json.dumps(self.document(), sort_keys=True).encode("utf-8")).hexdigest()


def read_model(path: Path) -> WorthinessModel:
    """The model in ``path``; :class:`ConfigError` naming the file when it is not one of this format."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such model file; fit one with 'factpack worthiness fit'") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable JSON model file ({exc}); fit it again") from None
    found = document.get("format") if isinstance(document, dict) else None
    if found != MODEL_FORMAT:
        raise ConfigError(
            f"{path}: a model of format {found!r}, this factpack reads {MODEL_FORMAT!r}; fit it again with "
            "'factpack worthiness fit'"
        )
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
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({os_reason(exc)}); check its rights") from exc
    return _cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime_ns: int, size: int) -> WorthinessModel:
    return read_model(Path(path))
