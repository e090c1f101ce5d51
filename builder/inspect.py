"""Inspect: counts of a built dataset folder, read from its parquet shards alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from builder.errors import DistError
from builder.models import ConfigSummary, DatasetSummary
from builder.publish.parquet import config_shards

__all__ = ["inspect_dataset"]


def inspect_dataset(dist: Path) -> DatasetSummary:
    """Rows per split and per outlet, and null counts per field, of every config under ``dist``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not (dist / "README.md").is_file():
        raise DistError(f"{dist}: not a dataset folder (no README.md); build one with 'factpack build'")
    configs = []
    for folder in sorted(p for p in dist.iterdir() if p.is_dir()):
        shards = [(split, shard) for split, paths in config_shards(folder).items() for shard in paths]
        if not shards:
            continue
        splits: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        nulls: Counter[str] = Counter()
        for split, shard in shards:
            try:
                table = pq.read_table(shard)
            except (OSError, pa.ArrowException) as exc:
                raise DistError(f"{shard}: not a readable parquet shard ({exc}); rebuild or re-download it") from exc
            splits[split] += table.num_rows
            for name in table.column_names:
                nulls[name] += table.column(name).null_count
            if "outlet" in table.column_names:
                counts = pc.value_counts(table.column("outlet").fill_null("(unknown)"))
                for entry in counts.to_pylist():
                    outlets[entry["values"]] += entry["counts"]
        configs.append(
            ConfigSummary(
                name=folder.name,
                rows_per_split=dict(sorted(splits.items())),
                rows_per_outlet=dict(sorted(outlets.items())),
                nulls_per_field=dict(nulls),
            )
        )
    if not configs:
        raise DistError(f"{dist}: no parquet shards found; build the folder with 'factpack build'")
    return DatasetSummary(path=str(dist), configs=configs)
