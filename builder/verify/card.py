"""Card against data: what ``load_dataset`` will believe (the README's YAML) against what the shards hold.

``datasets`` trusts the card: a feature declared ``string`` over an int column is cast, a declared column the data
lacks is filled with None. Here every config glob must match shards, every shard must be claimed by a glob, the
declared features must equal each shard's own ``huggingface`` features and Arrow types column for column, and the
declared split sizes must equal the rows.
"""

from __future__ import annotations

from typing import Any

from builder.card_metadata import front_matter, listed
from builder.dataset_folder import CARD_NAME
from builder.verify.dataset import Dataset, Problems, Shard

__all__ = ["check_card", "read_card"]


def read_card(dataset: Dataset, problems: Problems) -> dict[str, Any] | None:
    path = dataset.root / CARD_NAME
    if not path.is_file():
        problems.add("card-missing", CARD_NAME, "no dataset card; rebuild the folder with 'factpack build'")
        return None
    data, found = front_matter(path.read_text(encoding="utf-8", errors="replace"))
    if data is None and any("no YAML block" in problem.note for problem in found):
        problems.add("card-missing", CARD_NAME, "no YAML metadata block at the top of the card")
    return data  # YAML that does not parse is reported by the card-metadata check (card-yaml)


def check_card(dataset: Dataset, card: dict[str, Any], problems: Problems) -> None:
    claimed: set[str] = set()
    split_shards: dict[tuple[str, str], list[Shard]] = {}
    by_name = {shard.name: shard for shard in dataset.shards}
    for config in listed(card.get("configs")):
        name = str(config.get("config_name", "default")) if isinstance(config, dict) else "?"
        for data_file in listed(config.get("data_files")) if isinstance(config, dict) else []:
            if not isinstance(data_file, dict):
                continue
            split = str(data_file.get("split", "train"))
            matched: list[Shard] = []
            for pattern in listed(data_file.get("path")):
                found = sorted(p.relative_to(dataset.root).as_posix() for p in dataset.root.glob(str(pattern)))
                matched += [by_name[f] for f in found if f in by_name]
            if not matched:
                problems.add(
                    "config-glob-unmatched",
                    CARD_NAME,
                    f"{data_file.get('path')!r} matches no parquet file",
                    field=f"configs.{name}.{split}",
                )
            claimed.update(shard.name for shard in matched)
            split_shards[(name, split)] = matched
    for shard in dataset.shards:
        if shard.name not in claimed:
            problems.add(
                "shard-unclaimed", shard.name, "no config of the card reads this file; load_dataset ignores it"
            )
    _check_schemas_per_split(split_shards, problems)
    for info in listed(card.get("dataset_info")):
        if isinstance(info, dict):
            _check_info(info, split_shards, problems)


def _check_schemas_per_split(split_shards: dict[tuple[str, str], list[Shard]], problems: Problems) -> None:
    for shards in split_shards.values():
        readable = [shard for shard in shards if shard.schema is not None]
        for shard in readable[1:]:
            if not shard.schema.equals(readable[0].schema, check_metadata=True):  # type: ignore[union-attr]
                problems.add("schema-inconsistent", shard.name, f"Arrow schema differs from {readable[0].name}'s")


def _check_info(info: dict[str, Any], split_shards: dict[tuple[str, str], list[Shard]], problems: Problems) -> None:
    from datasets import Features

    config = str(info.get("config_name", "default"))
    features_yaml = info.get("features")
    declared: Features | None = None
    if features_yaml is not None:
        try:
            declared = Features._from_yaml_list(features_yaml)
        except (ValueError, TypeError, KeyError) as exc:
            problems.add("features-mismatch", CARD_NAME, f"unreadable features: {exc}", field=f"dataset_info.{config}")
    for shard in [s for (name, _), shards in split_shards.items() if name == config for s in shards]:
        if declared is not None:
            _check_columns(shard, declared, problems)
    for split_info in listed(info.get("splits")):
        if not isinstance(split_info, dict):
            continue
        split = str(split_info.get("name"))
        shards = split_shards.get((config, split), [])
        if any(shard.rows is None for shard in shards):
            continue  # an unreadable shard is reported on its own
        rows = sum(shard.rows or 0 for shard in shards)
        if split_info.get("num_examples") != rows:
            problems.add(
                "split-size-mismatch",
                CARD_NAME,
                f"num_examples {split_info.get('num_examples')} but the {split} shards hold {rows} rows",
                field=f"dataset_info.{config}.splits.{split}.num_examples",
            )


def _check_columns(shard: Shard, declared: Any, problems: Problems) -> None:
    """The card's features against the shard's stored features and Arrow schema, column by column."""
    from datasets import Features

    schema = shard.schema
    if schema is None:
        return
    stored = Features.from_dict(shard.features) if shard.features is not None else None
    columns = list(schema.names)
    for name in declared:
        if name not in columns:
            problems.add(
                "column-missing",
                shard.name,
                "declared in the card, absent from the data (load_dataset would fill it with None)",
                field=name,
            )
    arrow = declared.arrow_schema
    for name in columns:
        if name not in declared:
            problems.add("column-undeclared", shard.name, "in the data, not declared in the card", field=name)
            continue
        if stored is not None and stored.get(name) != declared[name]:
            problems.add(
                "features-mismatch",
                shard.name,
                f"card says {declared[name]!r}, the shard's features say {stored.get(name)!r}",
                field=name,
            )
        elif arrow.field(name).type != schema.field(name).type:
            problems.add(
                "features-mismatch",
                shard.name,
                f"card gives Arrow type {arrow.field(name).type}, the shard holds {schema.field(name).type}",
                field=name,
            )
