"""The card's counters, kept as articles arrive: per outlet, where metadata came from, what was excluded,
claim types, languages. Only keys pass through here, never texts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from builder.models import ClaimType, FieldSources, ResolutionKind
from builder.packed import Summary
from builder.urls import CredentialTally

__all__ = ["Tally"]


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
    standalone: list[int] = field(default_factory=lambda: [0] * (len(ResolutionKind) + 2))
    """Claims with a replacement, replacements per kind, claims that need context (as a Summary counts them)."""
    languages: set[str] = field(default_factory=set)
    credentials: CredentialTally = field(default_factory=CredentialTally)
    """What the URL rule took out of the articles' URLs (added by the build from each unit's result)."""

    def add(self, summary: Summary) -> None:
        outlet = summary["outlet"] or "(unknown)"
        self.articles_per_outlet[outlet] += 1
        self.claims_per_outlet[outlet] += sum(summary["claim_types"])
        for name, source in summary["field_sources"].items():
            self.field_origins[name][_origin(source)] += 1
        self.excluded_kinds.update(summary["excluded"])
        for kind, count in zip(ClaimType, summary["claim_types"], strict=True):
            self.claim_types[kind.value] += count
        self.standalone = [total + count for total, count in zip(self.standalone, summary["standalone"], strict=True)]
        if summary["language"]:
            self.languages.add(summary["language"])


def _origin(source: str | None) -> str:
    if source is None:
        return "unknown"
    return "text" if source.startswith("text:") else "curated"
