"""Where an export may be written: never inside the dataset folder (its manifest hashes every file there)."""

from __future__ import annotations

from pathlib import Path

from builder.errors import ConfigError

__all__ = ["check_target"]


def check_target(dist: Path, out: Path, *, folder: bool = False) -> None:
    """Refuse an output inside the dataset folder (its manifest hashes every file there, so one more breaks it),
    and a file where a folder is meant or the other way round."""
    if out.resolve().is_relative_to(dist.resolve()):
        raise ConfigError(f"{out}: inside the dataset folder {dist}; write the export somewhere else")
    if folder and out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: is a file; give a folder for the tasks and the labeling config")
    if not folder and out.is_dir():
        raise ConfigError(f"{out}: is a folder; give a file path")
