"""Inspect: counts of a built dataset folder, read from its parquet shards alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from builder.dataset_folder import open_dataset
from builder.errors import DistError
from builder.models import ConfigSummary, DatasetSummary

__all__ = ["inspect_dataset"]


def inspect_dataset(dist: Path) -> DatasetSummary:
    """Rows per split and per outlet, and null counts per field, of every config under ``dist``."""
    import pyarrow.compute as pc

    folder = open_dataset(dist)
    configs = []
    for name in sorted(folder.configs()):
        splits: Counter[str] = Counter()
        outlets: Counter[str] = Counter()
        nulls: Counter[str] = Counter()
        for split, shards in folder.shards(name).items():
            for shard in shards:
                table = folder.table(shard)
                splits[split] += table.num_rows
                for column in table.column_names:
                    nulls[column] += table.column(column).null_count
                if "outlet" in table.column_names:
                    counts = pc.value_counts(table.column("outlet").fill_null("(unknown)"))
                    for entry in counts.to_pylist():
                        outlets[entry["values"]] += entry["counts"]
        configs.append(
            ConfigSummary(
                name=name,
                rows_per_split=dict(sorted(splits.items())),
                rows_per_outlet=dict(sorted(outlets.items())),
                nulls_per_field=dict(nulls),
            )
        )
    if not configs:
        raise DistError(f"{dist}: no parquet shards found; build the folder with 'factpack build'")
    return DatasetSummary(path=str(dist), configs=configs)
