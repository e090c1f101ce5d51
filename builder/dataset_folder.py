"""The dataset folder: its layout, and typed readers of what it holds. Every module that names a file of a
dataset folder, or reads one, goes through here.

Layout (written by :mod:`builder.write`)::

    README.md                                   the card: YAML `configs:` + `dataset_info`, then prose
    claims/{train,validation,test}-00000-of-0000N.parquet   default config: Claim rows
    articles/{train,validation,test}-….parquet              Article rows, split as their claims
    speakers/train-00000-of-00001.parquet                   Speaker rows (absent when no speaker was linked)
    rejects.jsonl                               one Rejection per line (empty when none)
    croissant.json                              MLCommons Croissant 1.1 description
    manifest.json                               BuildManifest: inputs, outputs with hashes, versions, options

:func:`open_dataset` is the one check that a folder is a dataset folder (it is a folder and has a manifest);
the readers then raise :class:`~builder.errors.DistError` naming the file and the fix. ``factpack verify``
reads the same layout without refusing anything: it reports what is wrong instead.

ClassLabel columns are decoded with the label names each shard's own ``huggingface`` metadata declares, so a
reader never assumes a label order; a shard without that metadata is read in the order the models declare.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from builder.errors import ConfigError, DistError
from builder.features import enum_paths, from_rows
from builder.models import Article, BuildManifest, Claim, ClaimMatch, FactCheckMatch, Rejection, Speaker, Split

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CARD_NAME",
    "CONFIGS",
    "CROISSANT_NAME",
    "DEFAULT_CONFIG",
    "MANIFEST_NAME",
    "REJECTS_NAME",
    "SHARD_NAME",
    "SPLIT_NAMES",
    "ArticleInfo",
    "DatasetFolder",
    "check_outside",
    "config_shards",
    "iter_claims",
    "label_names",
    "open_dataset",
    "read_manifest",
    "read_speakers",
    "shard_name",
]

CARD_NAME = "README.md"
MANIFEST_NAME = "manifest.json"
REJECTS_NAME = "rejects.jsonl"
CROISSANT_NAME = "croissant.json"

CONFIGS: dict[str, type[BaseModel]] = {
    "claims": Claim,
    "articles": Article,
    "speakers": Speaker,
    "matches": ClaimMatch,
    "factcheck_matches": FactCheckMatch,
}
"""Every config a dataset folder may hold, the record model of its rows, default config first."""
DEFAULT_CONFIG = "claims"
SPLIT_NAMES = [split.value for split in Split]
"""The splits in order (the ClassLabel order of a ``split`` column)."""

SHARD_NAME = re.compile(r"(?P<split>[A-Za-z0-9_]+)-(?P<index>\d{5})-of-\d{5}\.parquet")
"""A Hub shard file name; ``load_dataset`` reads nothing else of a config folder."""
_SPLIT_ORDER = {name: index for index, name in enumerate(SPLIT_NAMES)}
_BATCH_ROWS = 4096


def shard_name(split: str, index: int, count: int) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def config_shards(folder: Path) -> dict[str, list[Path]]:
    """The Hub-named shards of one config folder, by split in train/validation/test order (other splits after,
    by name), each split's in shard order; empty when the folder does not exist."""
    found: dict[str, list[tuple[int, Path]]] = {}
    if folder.is_dir():
        for path in folder.iterdir():
            match = SHARD_NAME.fullmatch(path.name)
            if match and path.is_file():
                found.setdefault(match.group("split"), []).append((int(match.group("index")), path))
    order = sorted(found, key=lambda split: (_SPLIT_ORDER.get(split, len(_SPLIT_ORDER)), split))
    return {split: [path for _, path in sorted(found[split])] for split in order}


def label_names(features: dict[str, Any] | None, path: tuple[str, ...]) -> list[str] | None:
    """The ClassLabel names a ``huggingface`` features dict declares at ``path`` (as :func:`enum_paths` gives
    it: ``("claim_type",)``, ``("excluded", "*", "kind")``), or None when it declares none there."""
    feature: Any = features
    for step in path:
        if not isinstance(feature, dict):
            return None
        feature = feature.get("feature") if step == "*" else feature.get(step)
    if isinstance(feature, dict) and feature.get("_type") == "ClassLabel" and isinstance(feature.get("names"), list):
        return [str(name) for name in feature["names"]]
    return None


def _rebuild(root: Path) -> str:
    return f"build it with 'factpack build RAW --out {root}'"


def open_dataset(root: Path) -> DatasetFolder:
    """The dataset folder ``root``; a :class:`DistError` when it is missing or holds no manifest."""
    if not root.is_dir():
        raise DistError(f"{root}: no such dataset folder; {_rebuild(root)}")
    if not (root / MANIFEST_NAME).is_file():
        raise DistError(f"{root}: not a dataset folder (no {MANIFEST_NAME}); {_rebuild(root)}")
    return DatasetFolder(root)


def _why(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@dataclass(frozen=True)
class DatasetFolder:
    """A dataset folder, opened by :func:`open_dataset`; every read names the file at fault when it fails."""

    root: Path

    def shards(self, config: str) -> dict[str, list[Path]]:
        """The config's shards by split (see :func:`config_shards`)."""
        return config_shards(self.root / config)

    def configs(self) -> list[str]:
        """The configs that have shards: the known ones in :data:`CONFIGS` order, then any other by name."""
        folders = sorted(p.name for p in self.root.iterdir() if p.is_dir() and config_shards(p))
        return [name for name in CONFIGS if name in folders] + [name for name in folders if name not in CONFIGS]

    def table(self, shard: Path, columns: list[str] | None = None) -> pa.Table:
        """One shard as an Arrow table (``columns``: only these)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            return pq.read_table(shard, columns=columns)
        except (OSError, pa.ArrowException) as exc:
            raise DistError(
                f"{shard}: not a readable parquet shard ({_why(exc)}); rebuild or re-download the dataset folder"
            ) from exc

    def records(self, config: str, split: str | None = None, columns: list[str] | None = None) -> Iterator[Any]:
        """The config's rows as records of its model, split by split (or one ``split``), shard by shard, in
        batches; ``columns`` leaves the others out (the model must then give them defaults)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        model = CONFIGS[config]
        for name, shards in self.shards(config).items():
            if split is not None and name != split:
                continue
            for shard in shards:
                try:
                    parquet = pq.ParquetFile(shard)
                    labels = self._labels(model, parquet.schema_arrow)
                    for batch in parquet.iter_batches(batch_size=_BATCH_ROWS, columns=columns):
                        yield from from_rows(model, batch, labels)
                except (OSError, pa.ArrowException) as exc:
                    raise DistError(
                        f"{shard}: not a readable parquet shard ({_why(exc)}); rebuild or re-download the dataset "
                        "folder"
                    ) from exc
                except (ValidationError, KeyError, IndexError, TypeError, ValueError) as exc:
                    raise DistError(
                        f"{shard}: rows are not factpack {config} records ({_why(exc)}); rebuild the dataset folder"
                    ) from exc

    @staticmethod
    def _labels(model: type[BaseModel], schema: pa.Schema) -> dict[tuple[str, ...], list[str]]:
        """Per ClassLabel position of ``model``, the names the shard declares (when it declares them)."""
        metadata = schema.metadata or {}
        try:
            features = json.loads(metadata[b"huggingface"])["info"]["features"] if b"huggingface" in metadata else None
        except (ValueError, KeyError, TypeError):
            features = None
        found = {}
        for path, _ in enum_paths(model):
            names = label_names(features, path)
            if names is not None:
                found[path] = names
        return found

    def manifest(self) -> BuildManifest:
        path = self.root / MANIFEST_NAME
        return read_manifest(path)

    def rejects(self) -> list[Rejection]:
        """``rejects.jsonl``, every line a :class:`Rejection`."""
        path = self.root / REJECTS_NAME
        if not path.is_file():
            raise DistError(f"{self.root}: no {REJECTS_NAME}; {_rebuild(self.root)}")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise DistError(f"{path}: not UTF-8 ({exc.reason}); rebuild the dataset folder") from exc
        rejects = []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                rejects.append(Rejection.model_validate_json(line))
            except ValidationError as exc:
                raise DistError(f"{path}:{number}: not a rejection record; rebuild the dataset folder") from exc
        return rejects


def read_manifest(path: Path) -> BuildManifest:
    """A ``manifest.json`` (a dataset folder's, or one given on its own); a :class:`DistError` naming the file
    when it is missing or not a manifest."""
    try:
        return BuildManifest.model_validate_json(path.read_bytes())
    except FileNotFoundError as exc:
        raise DistError(f"{path}: no manifest; build the folder with 'factpack build'") from exc
    except ValidationError as exc:
        raise DistError(f"{path}: not a factpack manifest ({exc.errors()[0]['msg']}); rebuild the folder") from exc


# -- for the exports: claims with their articles, speakers by id, and where an export may be written ------------

_ARTICLE_INFO_FIELDS = ["article_id", "source_file", "title", "outlet", "url", "published", "language"]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the exports need of an article; ``text`` and ``body`` are empty unless asked for."""

    article_id: str
    source_file: str
    title: str | None
    outlet: str | None
    url: str | None
    published: date | None
    language: str | None
    text: str = ""
    body: tuple[tuple[int, int], ...] = ()


def iter_claims(dist: Path, *, with_text: bool = False) -> Iterator[tuple[Claim, ArticleInfo]]:
    """Every claim of the dataset folder ``dist`` with its article, in published order (split, shard, row)."""
    folder = open_dataset(dist)
    for split in folder.shards("claims"):
        articles = _read_articles(folder, split, with_text)
        for claim in folder.records("claims", split):
            article = articles.get(claim.article_id)
            if article is None:
                raise DistError(
                    f"{dist}: claim {claim.claim_id} belongs to article {claim.article_id!r}, which is not in "
                    f"articles/{split}-*.parquet; rebuild the dataset folder"
                )
            yield claim, article


def read_speakers(dist: Path) -> dict[str, Speaker]:
    """The speakers config by ``speaker_id``; empty when the dataset has no speakers."""
    return {speaker.speaker_id: speaker for speaker in open_dataset(dist).records("speakers")}


def _read_articles(folder: DatasetFolder, split: str, with_text: bool) -> dict[str, ArticleInfo]:
    columns = _ARTICLE_INFO_FIELDS + (["text", "body"] if with_text else [])
    articles: dict[str, ArticleInfo] = {}
    for shard in folder.shards("articles").get(split, []):
        rows: list[dict[str, Any]] = folder.table(shard, columns).to_pylist()
        for row in rows:
            body = tuple((span["start"], span["end"]) for span in row.pop("body", None) or ())
            articles[row["article_id"]] = ArticleInfo(**row, body=body)
    return articles


def check_outside(dist: Path, out: Path, *, folder: bool = False) -> None:
    """Refuse an output inside the dataset folder (its manifest hashes every file there, so one more breaks it),
    and a file where a folder is meant or the other way round."""
    if out.resolve().is_relative_to(dist.resolve()):
        raise ConfigError(f"{out}: inside the dataset folder {dist}; write the export somewhere else")
    if folder and out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: is a file; give a folder for the tasks and the labeling config")
    if not folder and out.is_dir():
        raise ConfigError(f"{out}: is a folder; give a file path")
