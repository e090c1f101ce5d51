"""Reading what an evaluation compares: the gold JSONL, and the predictions of a dataset folder or a raw folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from builder.dataset_folder import open_dataset
from builder.errors import ConfigError, DistError, InputError
from builder.evaluate.models import EvalReport, GoldClaim
from builder.evaluate.score import evaluate
from builder.models import Claim

__all__ = ["evaluate_path", "load_gold", "predictions_from_dist", "predictions_from_raw"]


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(record)"


def _describe(error: ValidationError) -> str:
    return "; ".join(f"{_field(detail['loc'])}: {detail['msg']}" for detail in error.errors())


def load_gold(path: Path) -> list[GoldClaim]:
    """Read a gold JSONL file; blank lines are skipped, and the first bad line raises :class:`InputError`.

    Values are validated strictly (``"12"`` or ``12.0`` is not an offset). The error names the file, the
    1-based line and every field at fault.
    """
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the gold file: {exc}") from exc
    records: list[GoldClaim] = []
    # Split on "\n" only: str.splitlines would also break inside JSON strings holding U+2028 or U+0085,
    # which a raw news text can contain and JSON need not escape.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append(GoldClaim.model_validate_json(line, strict=True))
        except ValidationError as exc:
            raise InputError(f"{path}:{number}: {_describe(exc)}") from exc
    return records


def predictions_from_dist(dist: Path) -> list[Claim]:
    """Every claim of a built dataset folder, in published order (split, shard, row).

    The ``claim_type`` column is stored as ClassLabel integers; the names come from the ``datasets`` features
    kept in each shard's schema metadata, so no label order is assumed here.
    """
    folder = open_dataset(dist)
    if not folder.shards("claims"):
        raise DistError(f"{dist}: no claims/ parquet shards; build it with 'factpack build RAW --out {dist}'")
    return list(folder.records("claims"))


def predictions_from_raw(raw: Path) -> list[Claim]:
    """Extract the claims of a raw folder in memory, with the default build options; nothing is written."""
    from builder.config import BuildConfig
    from builder.pipeline import extract_all

    return extract_all(BuildConfig(raw_dir=raw)).claims


def evaluate_path(gold: Path, target: Path) -> EvalReport:
    """Score a dataset folder (has ``claims/*.parquet``) or a raw folder (has ``articles/``) against a gold file."""
    load_predictions: Callable[[Path], list[Claim]]
    if any((target / "claims").glob("*.parquet")):
        load_predictions = predictions_from_dist
    elif (target / "articles").is_dir():
        load_predictions = predictions_from_raw
    else:
        raise ConfigError(
            f"{target}: expected a dataset folder with claims/*.parquet or a raw folder with articles/, found neither"
        )
    gold_claims = load_gold(gold)
    return evaluate(gold_claims, load_predictions(target))
