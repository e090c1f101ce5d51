"""Build options: one typed, documented object per stage, composed in :class:`BuildConfig`.

Everything that can change the output is here, so it can be recorded in ``manifest.json`` and hashed.
Paths are not options: the same inputs built from another folder give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BuildConfig", "CleanConfig", "ExtractConfig", "IngestConfig", "PublishConfig", "ValidateConfig"]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IngestConfig(_Options):
    """Where articles are found under the raw folder, and what is too big to read."""

    articles_dir: str = Field(
        default="articles",
        description="Folder under the raw folder holding *.txt (+ *.json sidecars) and *.jsonl files.",
    )
    max_bytes: int = Field(default=5_000_000, gt=0, description="Largest raw text accepted, in bytes.")


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


class ExtractConfig(_Options):
    """Which sentences become claim candidates."""

    min_chars: int = Field(default=2, ge=1, description="Shortest sentence kept as a claim candidate.")


class PublishConfig(_Options):
    """What the published dataset folder says about itself."""

    pretty_name: str = Field(default="factpack claims", description="Human name of the dataset in the card.")
    license: str = Field(
        default="other",
        description="License identifier for the card; 'other' because the articles belong to their outlets.",
    )
    max_shard_rows: int = Field(default=100_000, gt=0, description="Most rows in one parquet shard.")


class BuildConfig(_Options):
    """Every option of ``factpack build``."""

    raw_dir: Path = Field(default=Path("raw"), description="The raw folder to read.")
    out_dir: Path = Field(default=Path("dist"), description="The dataset folder to (re)place.")
    ingest: IngestConfig = IngestConfig()
    clean: CleanConfig = CleanConfig()
    validation: ValidateConfig = ValidateConfig()
    extract: ExtractConfig = ExtractConfig()
    publish: PublishConfig = PublishConfig()

    def options(self) -> dict[str, Any]:
        """The options that shape the output, JSON-ready (paths left out)."""
        return self.model_dump(mode="json", exclude={"raw_dir", "out_dir"})
