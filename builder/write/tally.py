"""The card's counters, kept as articles arrive: per outlet, where metadata came from, what was excluded,
claim types, languages. Only keys pass through here, never texts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from builder.models import ClaimType, ExcludedKind, FieldSources

__all__ = ["Tally"]

_CLAIM_TYPES = tuple(ClaimType)
_EXCLUDED_KINDS = tuple(ExcludedKind)


@dataclass
class Tally:
    """Counters for the card, kept as articles arrive."""

    articles_per_outlet: Counter[str] = field(default_factory=Counter)
    claims_per_outlet: Counter[str] = field(default_factory=Counter)
    field_origins: dict[str, Counter[str]] = field(
        default_factory=lambda: {n: Counter() for n in FieldSources.model_fields}
    )
    excluded_kinds: Counter[str] = field(default_factory=Counter)
    claim_types: Counter[str] = field(default_factory=Counter)
    languages: set[str] = field(default_factory=set)

    def add(self, keys: dict[str, Any], claim_types: np.ndarray) -> None:
        outlet = keys["outlet"] or "(unknown)"
        self.articles_per_outlet[outlet] += 1
        self.claims_per_outlet[outlet] += len(claim_types)
        for name, source in keys["field_sources"].items():
            self.field_origins[name][_origin(source)] += 1
        self.excluded_kinds.update(_EXCLUDED_KINDS[span["kind"]].value for span in keys["excluded"])
        for index, count in enumerate(np.bincount(claim_types, minlength=len(_CLAIM_TYPES)).tolist()):
            self.claim_types[_CLAIM_TYPES[index].value] += count
        if keys["language"]:
            self.languages.add(keys["language"])


def _origin(source: str | None) -> str:
    if source is None:
        return "unknown"
    return "text" if source.startswith("text:") else "curated"
