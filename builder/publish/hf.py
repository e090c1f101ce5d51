"""The ``save_to_disk`` copy of each config under ``hf/<config>/``, for ``datasets.load_from_disk``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datasets
    import pyarrow as pa

__all__ = ["save_dataset_dict"]


def save_dataset_dict(tables: dict[str, tuple[pa.Table, str]], features: datasets.Features, folder: Path) -> None:
    """Save ``{split: (table, fingerprint)}`` as a DatasetDict at ``folder``.

    The caller gives each split a fingerprint derived from its content (``datasets`` would draw a random
    one), so the folder is byte-identical across builds of the same input.
    """
    from datasets import Dataset, DatasetDict, DatasetInfo, NamedSplit
    from datasets.table import InMemoryTable
    from datasets.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars

    splits = {
        split: Dataset(
            InMemoryTable(table),
            info=DatasetInfo(features=features),
            split=NamedSplit(split),
            fingerprint=fingerprint,
        )
        for split, (table, fingerprint) in tables.items()
    }
    bars_were_off = are_progress_bars_disabled()
    disable_progress_bars()  # factpack shows its own progress; datasets' bars would interleave with it
    try:
        DatasetDict(splits).save_to_disk(str(folder))
    finally:
        if not bars_were_off:
            enable_progress_bars()
