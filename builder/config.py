"""Build options: one typed, documented object per stage, composed in :class:`BuildConfig`.

Everything that can change the output is here, so it can be recorded in ``manifest.json`` and hashed.
Paths are not options: the same inputs built from another folder give the same bytes.
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "BuildConfig",
    "CleanConfig",
    "ClusterConfig",
    "ExtractConfig",
    "IngestConfig",
    "LabelConfig",
    "LinkConfig",
    "MatchConfig",
    "PublishConfig",
    "SplitConfig",
    "ValidateConfig",
    "default_cache_dir",
]


def default_cache_dir() -> Path:
    """Where the command line caches per-article results unless told: ``factpack`` under the user's cache folder
    (``$XDG_CACHE_HOME``, else ``~/.cache``), shared by every raw folder, since an entry is keyed by the code,
    the options and the article's bytes. Not the current folder: a cache there lands wherever a build is run."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"  # a relative one is ignored
    return base / "factpack"


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestConfig(_Options):
    """Where articles are found under the raw folder, and what is too big to read."""

    articles_dir: str = Field(
        default="articles",
        description="Folder under the raw folder holding *.txt (+ *.json sidecars), *.jsonl and *.parquet files.",
    )
    max_bytes: int = Field(default=5_000_000, gt=0, description="Largest raw text accepted, in bytes.")
    encoding_fallback: str | None = Field(
        default=None,
        description="Codec to decode a text that is not valid UTF-8 with (e.g. cp1252), recorded in the article's "
        "provenance; without it such a text is rejected with the offset of its first bad byte.",
    )

    @field_validator("encoding_fallback")
    @classmethod
    def _known_codec(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                return codecs.lookup(value).name
            except LookupError as exc:
                raise ValueError(f"unknown encoding {value!r}; use a Python codec name such as cp1252") from exc
        return value


class CleanConfig(_Options):
    """How the body is told apart from the page furniture around it."""

    header_lines: int = Field(
        default=12,
        ge=1,
        description="Non-blank lines at the top searched for title, date, byline and dateline.",
    )


class ValidateConfig(_Options):
    """What happens to invalid articles."""

    skip_invalid: bool = Field(
        default=False,
        description="Build without invalid articles (recorded in rejects.jsonl and the card) instead of failing.",
    )
    drop_bad_metadata: bool = Field(
        default=False,
        description="Keep an article whose only problems are invalid values of metadata fields (title, outlet, "
        "byline, url, published, language, notes): those fields are treated as absent (read off the text when they "
        "can be) and each is recorded in rejects.jsonl and the card with kept true. A problem in the text, a "
        "credential, an unreadable sidecar or an unknown field still rejects the article.",
    )


class ExtractConfig(_Options):
    """Which sentences become claim candidates."""

    min_chars: int = Field(default=2, ge=1, description="Shortest sentence kept as a claim candidate.")
    worthiness_model: str = Field(
        default="worthiness-model.json",
        description="A model from 'factpack worthiness fit' under the raw folder; when present, it gives "
        "check_worthiness instead of the rule score (optional).",
    )


class LinkConfig(_Options):
    """How speakers are linked across articles."""

    speakers_file: str = Field(
        default="speakers.json",
        description="Curated speakers under the raw folder (name, aliases, qid); optional, overrides inference.",
    )


class ClusterConfig(_Options):
    """How near-duplicate claims are grouped (MinHash over word shingles, banded LSH, verified Jaccard)."""

    shingle_words: int = Field(default=3, ge=1, le=8, description="Words per shingle.")
    num_perm: int = Field(default=64, ge=8, le=512, description="MinHash permutations per claim.")
    bands: int = Field(default=32, ge=1, description="LSH bands; num_perm must be a multiple of it.")
    threshold: float = Field(
        default=0.6, gt=0.0, le=1.0, description="Shingle-set Jaccard at or above which two claims are one cluster."
    )
    containment: float = Field(
        default=0.8,
        gt=0.0,
        le=1.0,
        description="Share of the shorter claim's shingles found in the longer at or above which they are one "
        "cluster (a quotation reused in part), for claims of at least min_containment_shingles shingles.",
    )
    min_containment_shingles: int = Field(default=5, ge=1)
    seed: int = Field(default=20141006, description="Seed of the MinHash permutations (fixed: ids must be stable).")

    @model_validator(mode="after")
    def _whole_bands(self) -> ClusterConfig:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        return self


class MatchConfig(_Options):
    """How the same claim is found in other words across articles, and linked to published fact-checks."""

    enabled: bool = Field(default=True, description="Run claim matching (False: no match_group, no matches).")
    max_word_claims: int = Field(
        default=20,
        ge=2,
        description="A content word in more of the compared sentences (and their parts) than this is too common to "
        "propose a pair.",
    )
    min_shared_words: int = Field(
        default=2,
        ge=1,
        description="Rare content words two claims must share to be compared; one when the linked speaker is the same.",
    )
    window_days: int | None = Field(
        default=31,
        ge=0,
        description="Claims of articles published further apart than this are not compared (undated ones always "
        "are); null: no window.",
    )
    threshold: float = Field(
        default=0.5, gt=0.0, le=1.0, description="Matcher score at or above which a compared pair is one claim."
    )
    statement_threshold: float = Field(
        default=0.75,
        gt=0.0,
        le=1.0,
        description="The same for two outlets' own statements (author_statement), which share an event's names "
        "and figures whatever each asserts.",
    )
    factchecks_dir: str = Field(
        default="factchecks",
        description="Folder under the raw folder of published fact-checks (ClaimReview JSON-LD or JSON lines).",
    )
    factcheck_top: int = Field(default=3, ge=1, description="Best fact-check matches kept per claim.")
    model_file: str = Field(
        default="match-model.json",
        description="A model from 'factpack match fit' under the raw folder; when present, it scores the pairs "
        "instead of the default matcher (optional).",
    )


class SplitConfig(_Options):
    """How articles (with their claims and clusters) are assigned to train / validation / test."""

    mode: Literal["hash", "temporal"] = Field(
        default="hash",
        description="hash: by a stable hash of the group; temporal: by publication date, oldest to train.",
    )
    train: float = Field(default=0.8, ge=0.0, le=1.0)
    validation: float = Field(default=0.1, ge=0.0, le=1.0)
    test: float = Field(default=0.1, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _sums_to_one(self) -> SplitConfig:
        if abs(self.train + self.validation + self.test - 1.0) > 1e-9:
            raise ValueError("train + validation + test must be 1")
        return self


class LabelConfig(_Options):
    """Where curators' labels are and what an unanchored one does."""

    labels_file: str = Field(default="labels.jsonl", description="Labels under the raw folder; optional.")
    allow_orphans: bool = Field(
        default=False, description="Build even when a label can no longer be anchored (it is still reported)."
    )


class PublishConfig(_Options):
    """What the published dataset folder says about itself."""

    metadata_file: str = Field(
        default="dataset.json",
        description="Curated dataset metadata under the raw folder (name, license, creators, citation); optional.",
    )
    max_shard_rows: int = Field(default=100_000, gt=0, description="Most rows in one parquet shard.")


class BuildConfig(_Options):
    """Every option of ``factpack build``."""

    raw_dir: Path = Field(default=Path("raw"), description="The raw folder to read.")
    out_dir: Path = Field(default=Path("dist"), description="The dataset folder to (re)place.")
    workers: int = Field(default=1, ge=1, description="Processes for the per-article stages (1: this process).")
    engine: Literal["local", "ray"] = Field(
        default="local", description="Where the per-article stages run: local processes, or Ray Data (factpack[ray])."
    )
    ray_address: str | None = Field(
        default=None, description="Ray cluster to join ('ray://head:10001', 'auto'); None: start Ray locally."
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Per-article result cache (the CLI uses default_cache_dir() unless told); None: no cache.",
    )
    wait: bool = Field(
        default=False,
        description="When another build is writing the same output folder: wait for it instead of failing at once.",
    )
    ingest: IngestConfig = IngestConfig()
    clean: CleanConfig = CleanConfig()
    validation: ValidateConfig = ValidateConfig()
    extract: ExtractConfig = ExtractConfig()
    link: LinkConfig = LinkConfig()
    cluster: ClusterConfig = ClusterConfig()
    matches: MatchConfig = MatchConfig()
    split: SplitConfig = SplitConfig()
    labels: LabelConfig = LabelConfig()
    publish: PublishConfig = PublishConfig()

    def options(self) -> dict[str, Any]:
        """The options that shape the output, JSON-ready (paths, engine, workers, cache and waiting left out: they do
        not)."""
        return self.model_dump(
            mode="json", exclude={"raw_dir", "out_dir", "workers", "engine", "ray_address", "cache_dir", "wait"}
        )
