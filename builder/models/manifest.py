"""The manifest: ``manifest.json`` of a dataset folder, and the file entries it and the build report list."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from builder.models.base import Record

__all__ = ["ArticleCounts", "BuildCounts", "BuildManifest", "FileEntry"]


class FileEntry(Record):
    """A file with its size and content hash (and, for a parquet shard, its row count)."""

    path: str = Field(description="Path relative to its root folder (POSIX separators).")
    bytes: int = Field(ge=0, description="Size in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content.")
    rows: int | None = Field(default=None, ge=0, description="Rows of a parquet shard; None for other files.")


class ArticleCounts(Record):
    """Counts that must reconcile: articles_seen == articles_accepted + articles_rejected."""

    articles_seen: int = Field(ge=0, description="Inputs read: text files, JSONL lines, Parquet rows, stray sidecars.")
    articles_accepted: int = Field(ge=0)
    articles_rejected: int = Field(ge=0)
    rejections: int = Field(ge=0, description="Problems found in the rejected articles; one may have several.")
    fields_dropped: int = Field(
        default=0,
        ge=0,
        description="Metadata fields dropped from accepted articles (--drop-bad-metadata), each a line of "
        "rejects.jsonl with kept true; not among the rejections.",
    )

    @model_validator(mode="after")
    def _reconciles(self) -> ArticleCounts:
        if self.articles_seen != self.articles_accepted + self.articles_rejected:
            raise ValueError("articles_seen must equal articles_accepted + articles_rejected")
        return self


class BuildCounts(ArticleCounts):
    """Article counts plus what the global stages made of them."""

    claims: int = Field(ge=0)
    speakers: int = Field(default=0, ge=0, description="Speakers with an id.")
    clusters: int = Field(default=0, ge=0, description="Claim clusters, singletons included.")
    multi_claim_clusters: int = Field(default=0, ge=0)
    cross_article_clusters: int = Field(default=0, ge=0)
    match_groups: int = Field(default=0, ge=0, description="Groups of claims stating one claim in other words.")
    claims_in_match_groups: int = Field(default=0, ge=0)
    matched_pairs: int = Field(default=0, ge=0, description="Rows of the matches config.")
    factcheck_matches: int = Field(default=0, ge=0, description="Rows of the factcheck_matches config.")
    claims_per_split: dict[str, int] = Field(default_factory=dict)
    articles_per_split: dict[str, int] = Field(default_factory=dict)
    labels_merged: int = Field(default=0, ge=0)
    labels_reanchored: int = Field(default=0, ge=0)
    labels_orphaned: int = Field(default=0, ge=0)


class BuildManifest(Record):
    """``manifest.json``: what went in, what came out, and with which tools. No wall-clock time."""

    factpack_version: str
    versions: dict[str, str] = Field(description="Versions of Python and the packages that shape the output.")
    config: dict[str, Any] = Field(description="The build options (paths excluded).")
    counts: BuildCounts
    inputs: list[FileEntry] = Field(description="Every raw file read, relative to the raw folder.")
    outputs: list[FileEntry] = Field(description="Every file written, relative to the output folder.")
    schemas: dict[str, str] = Field(
        default_factory=dict,
        description="Per config, the SHA-256 of its `datasets` features (JSON, sorted keys): what every shard holds.",
    )
