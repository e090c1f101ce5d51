"""croissant.json: the type mapping and ClassLabel handling, then the real mlcroissant (1.1.1) on built datasets:
the CLI validates them, and every record it loads equals the Parquet row it came from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pydantic import BaseModel

from builder.config import BuildConfig
from builder.dataset_folder import CROISSANT_NAME
from builder.errors import OutputError
from builder.features import features_of
from builder.models import (
    Article,
    BuildManifest,
    Claim,
    ClaimMatch,
    ClaimType,
    Creator,
    DatasetMeta,
    ExcludedKind,
    FileEntry,
)
from builder.models import Speaker as SpeakerRow
from builder.pipeline import build
from builder.write.card import ConfigCard, SplitCard
from builder.write.croissant import CONFORMS_TO, croissant, data_type, license_of
from conftest import RAW, rows_of

mlc = pytest.importorskip("mlcroissant")

# mlcroissant's own dependencies warn on import and on every read; nothing else is let through.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(
        "ignore:The inplace keyword in DataFrame.reset_index is deprecated:pandas.errors.Pandas4Warning"
    ),
]

CONFIGS = ("claims", "articles", "speakers")


def config_card(name: str, model: type[BaseModel], splits: tuple[str, ...] = ("train", "test")) -> ConfigCard:
    cards = [SplitCard(split, f"{name}/{split}-*.parquet", 2, 10) for split in splits]
    return ConfigCard(name, cards, features_of(model)._to_yaml_list(), model)


def shard(path: str) -> FileEntry:
    return FileEntry(path=path, bytes=123, sha256="a" * 64)


def document(meta: DatasetMeta | None = None, configs: list[ConfigCard] | None = None, shards=None) -> dict:
    configs = configs if configs is not None else [config_card("claims", Claim), config_card("articles", Article)]
    if shards is None:
        shards = [shard(f"{c.name}/{s.name}-00000-of-00001.parquet") for c in configs for s in c.splits]
    return croissant(meta=meta or DatasetMeta(), citation="@misc{x}", languages=["en"], configs=configs, shards=shards)


def field_of(doc: dict, field_id: str) -> dict:
    record_set, *path = field_id.split("/")
    fields = next(rs for rs in doc["recordSet"] if rs["@id"] == record_set)["field"]
    for depth in range(len(path)):
        found = next(f for f in fields if f["@id"] == "/".join([record_set, *path[: depth + 1]]))
        fields = found.get("subField", [])
    return found


def record_set(doc: dict, rs_id: str) -> dict:
    return next(rs for rs in doc["recordSet"] if rs["@id"] == rs_id)


# --- the document, unit by unit -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("string", "sc:Text"),
        ("large_string", "sc:Text"),
        ("int64", "sc:Integer"),
        ("int8", "sc:Integer"),
        ("uint32", "sc:Integer"),
        ("float64", "sc:Float"),
        ("float32", "sc:Float"),
        ("bool", "sc:Boolean"),
        ("date32", "sc:Date"),
        ("timestamp[s, tz=UTC]", "sc:DateTime"),
    ],
)
def test_data_type_maps_feature_dtypes(dtype, expected):
    assert data_type(dtype) == expected


def test_an_unknown_dtype_is_refused_not_guessed():
    with pytest.raises(TypeError, match="binary"):
        data_type("binary")


def test_columns_get_their_types_and_model_descriptions():
    doc = document()
    start = field_of(doc, "claims/char_start")
    assert start["dataType"] == "sc:Integer"
    assert start["description"] == Claim.model_fields["char_start"].description
    assert start["source"] == {
        "fileSet": {"@id": "parquet-files-for-config-claims"},
        "extract": {"column": "char_start"},
    }
    assert field_of(doc, "claims/text")["dataType"] == "sc:Text"
    assert field_of(doc, "claims/check_worthiness")["dataType"] == "sc:Float"
    assert field_of(doc, "claims/check_worthy")["dataType"] == "sc:Boolean"
    assert field_of(doc, "articles/published")["dataType"] == "sc:Date"
    columns = [f["name"] for f in record_set(doc, "claims")["field"]]
    assert columns == [*Claim.model_fields, "split_of_shard"]


def test_struct_and_list_columns_read_through_json_paths():
    doc = croissant(
        meta=DatasetMeta(),
        citation="@misc{x}",
        languages=[],
        configs=[config_card("claims", Claim), config_card("articles", Article), config_card("speakers", SpeakerRow)],
        shards=[],
    )
    selector = field_of(doc, "claims/selector")
    assert "dataType" not in selector and "source" not in selector and "isArray" not in selector
    exact = field_of(doc, "claims/selector/exact")
    assert exact["dataType"] == "sc:Text"
    assert exact["source"]["extract"] == {"column": "selector"}
    assert exact["source"]["transform"] == {"jsonPath": "exact"}
    aliases = field_of(doc, "speakers/aliases")
    assert (aliases["isArray"], aliases["arrayShape"], aliases["dataType"]) == (True, "-1", "sc:Text")
    body = field_of(doc, "articles/body")
    assert (body["isArray"], body["arrayShape"]) == (True, "-1")
    assert [(f["name"], f["source"]["transform"]["jsonPath"]) for f in body["subField"]] == [
        ("start", "start"),
        ("end", "end"),
    ]
    assert exact["description"] == "The claim text."  # from the nested model


def test_class_labels_keep_their_names_in_an_enumeration_and_the_description():
    doc = document()
    claim_type = field_of(doc, "claims/claim_type")
    assert claim_type["dataType"] == "sc:Integer"
    assert claim_type["references"] == {"field": {"@id": "claims.claim_type.names/index"}}
    names = [member.value for member in ClaimType]
    listed = ", ".join(f"{i}={name}" for i, name in enumerate(names))
    assert claim_type["description"].endswith(f"Class label index: {listed}.")
    assert claim_type["description"].startswith(Claim.model_fields["claim_type"].description)
    enum = record_set(doc, "claims.claim_type.names")
    assert enum["dataType"] == "sc:Enumeration"
    assert enum["key"] == {"@id": "claims.claim_type.names/index"}
    rows = [(row["claims.claim_type.names/index"], row["claims.claim_type.names/name"]) for row in enum["data"]]
    assert rows == list(enumerate(names))


def test_a_class_label_inside_a_list_of_structs_is_an_enumeration_too():
    doc = document()
    kind = field_of(doc, "articles/excluded/kind")
    assert kind["references"] == {"field": {"@id": "articles.excluded.kind.names/index"}}
    assert kind["source"]["transform"] == {"jsonPath": "kind"}
    data = record_set(doc, "articles.excluded.kind.names")["data"]
    assert [row["articles.excluded.kind.names/name"] for row in data] == [member.value for member in ExcludedKind]


class _Inner(BaseModel):
    value: int


class _Middle(BaseModel):
    inner: _Inner


class _Nested(BaseModel):
    middle: _Middle


def test_a_struct_inside_a_struct_is_refused():
    with pytest.raises(TypeError, match="nested/middle/inner"):
        document(configs=[config_card("nested", _Nested)], shards=[])


def test_every_shard_is_a_file_object_and_every_config_a_file_set():
    doc = document()
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert objects[0] == {
        "@type": "cr:FileObject",
        "@id": "claims/train-00000-of-00001.parquet",
        "name": "claims/train-00000-of-00001.parquet",
        "contentUrl": "claims/train-00000-of-00001.parquet",
        "encodingFormat": "application/x-parquet",
        "contentSize": "123 B",
        "sha256": "a" * 64,
    }
    assert len(objects) == 4
    file_sets = {d["@id"]: d["includes"] for d in doc["distribution"] if d["@type"] == "cr:FileSet"}
    assert file_sets == {
        "parquet-files-for-config-claims": ["claims/train-*.parquet", "claims/test-*.parquet"],
        "parquet-files-for-config-articles": ["articles/train-*.parquet", "articles/test-*.parquet"],
    }


def test_a_shard_no_config_declares_is_a_bug():
    with pytest.raises(OutputError, match=r"stray/train-00000-of-00001\.parquet"):
        document(shards=[shard("stray/train-00000-of-00001.parquet")])


def test_splits_are_a_split_record_set_that_every_config_references():
    doc = document(configs=[config_card("claims", Claim, ("train", "validation")), config_card("x", SpeakerRow)])
    splits = record_set(doc, "splits")
    assert splits["dataType"] == "cr:Split"
    assert splits["data"] == [
        {"splits/name": "train", "splits/url": "cr:TrainingSplit"},
        {"splits/name": "validation", "splits/url": "cr:ValidationSplit"},
        {"splits/name": "test", "splits/url": "cr:TestSplit"},
    ]
    assert field_of(doc, "x/split_of_shard")["references"] == {"field": {"@id": "splits/name"}}


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        (DatasetMeta(license="cc-by-4.0"), "https://creativecommons.org/licenses/by/4.0/"),
        (DatasetMeta(license="cc-by-nc-sa-4.0"), "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
        (DatasetMeta(license="cc0-1.0"), "https://creativecommons.org/publicdomain/zero/1.0/"),
        (DatasetMeta(license="apache-2.0"), "https://www.apache.org/licenses/LICENSE-2.0"),
        (DatasetMeta(license="other", license_link="https://example.org/terms"), "https://example.org/terms"),
        (
            DatasetMeta(license="other", license_name="Publisher terms", license_link="https://example.org/terms"),
            "https://example.org/terms",
        ),
        (
            DatasetMeta(license="other", license_name="Publisher terms"),
            {"@type": "sc:CreativeWork", "name": "Publisher terms"},
        ),
        (DatasetMeta(), {"@type": "sc:CreativeWork", "name": "Article texts: each publisher's own terms"}),
        (DatasetMeta(license="some-new-id"), "some-new-id"),
    ],
)
def test_license_is_a_url_where_one_is_known(meta, expected):
    assert license_of(meta) == expected


def test_dataset_properties_come_from_the_curated_metadata():
    meta = DatasetMeta(
        pretty_name="Wire claims",
        description="Ten articles.",
        license="cc-by-4.0",
        creators=[Creator(name="Ana Lima", kind="person", url="https://example.org/ana"), Creator(name="Desk")],
        homepage="https://example.org/wire",
        version="2.1.0",
        date_published="2024-05-01",
    )
    doc = document(meta)
    assert doc["conformsTo"] == CONFORMS_TO == "http://mlcommons.org/croissant/1.1"
    assert (doc["@type"], doc["name"], doc["description"]) == ("sc:Dataset", "Wire claims", "Ten articles.")
    assert (doc["version"], doc["url"], doc["citeAs"]) == ("2.1.0", "https://example.org/wire", "@misc{x}")
    assert doc["creator"] == [
        {"@type": "sc:Person", "name": "Ana Lima", "url": "https://example.org/ana"},
        {"@type": "sc:Organization", "name": "Desk"},
    ]
    assert doc["datePublished"] == "2024-05-01"
    assert doc["inLanguage"] == ["en"]
    assert doc["keywords"] == ["fact-checking", "claim-detection", "news", "provenance"]


def test_no_date_unless_curated_and_no_empty_properties():
    doc = document()
    assert "datePublished" not in doc and "url" not in doc and "creator" not in doc
    assert doc["description"]  # required by Croissant: a default sentence when dataset.json gives none
    assert json.dumps(document()) == json.dumps(doc)


def test_a_future_publication_date_is_refused():
    with pytest.raises(ValueError, match="in the future"):
        DatasetMeta(date_published=(date.today() + timedelta(days=1)).isoformat())


# --- the real tool on built datasets --------------------------------------------------------------------------------


def mlcroissant_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """``mlcroissant validate --jsonld PATH``, the installed CLI's own entry point, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-c", "from mlcroissant.scripts.cli import main; main()", "validate", "--jsonld", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def validation_warnings(dist: Path) -> list[str]:
    """The warnings ``mlcroissant validate`` lists for a dataset's croissant.json, which must pass."""
    result = mlcroissant_validate(dist / CROISSANT_NAME)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("] Done."), result.stderr
    listed = [line.split("] ", 1)[1] for line in lines if line.startswith("  -  [")]
    assert len(lines) == 1 + (1 + len(listed) if listed else 0), result.stderr  # nothing else, no error
    return listed


@pytest.fixture(scope="module")
def curated_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles with every optional dataset property curated, a publication date included."""
    raw = tmp_path_factory.mktemp("curated") / "raw"
    shutil.copytree(RAW, raw)
    meta = json.loads((raw / "dataset.json").read_text(encoding="utf-8"))
    meta |= {
        "license": "cc-by-4.0",
        "creators": [{"name": "Ana Lima", "kind": "person", "url": "https://example.org/ana"}, *meta["creators"]],
        "homepage": "https://example.org/factpack",
        "date_published": "2024-05-01",
    }
    (raw / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    out = raw.parent / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=out))
    return out


@pytest.fixture(scope="module")
def loaded(seed_dist):
    return mlc.Dataset(jsonld=str(seed_dist / CROISSANT_NAME))


def test_the_build_writes_croissant_json_and_the_manifest_lists_it(seed_dist):
    import hashlib

    manifest = BuildManifest.model_validate_json((seed_dist / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest.outputs if e.path == CROISSANT_NAME)
    assert entry.sha256 == hashlib.sha256((seed_dist / CROISSANT_NAME).read_bytes()).hexdigest()
    doc = json.loads((seed_dist / CROISSANT_NAME).read_text(encoding="utf-8"))
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert sorted(o["contentUrl"] for o in objects) == sorted(
        p.relative_to(seed_dist).as_posix() for p in seed_dist.glob("*/*.parquet")
    )
    for o in objects:
        data = (seed_dist / o["contentUrl"]).read_bytes()
        assert (o["sha256"], o["contentSize"]) == (hashlib.sha256(data).hexdigest(), f"{len(data)} B")


def test_mlcroissant_validates_the_curated_build_without_a_warning(curated_dist):
    assert validation_warnings(curated_dist) == []
    issues = mlc.Dataset(jsonld=str(curated_dist / CROISSANT_NAME)).metadata.ctx.issues
    assert (issues.errors, issues.warnings) == (set(), set())


def test_mlcroissant_validates_the_seed_build(seed_dist):
    """The repository's raw/dataset.json gives no publication date, and mlcroissant recommends one: that warning
    is the only one allowed, and only while the date is missing."""
    dated = "date_published" in json.loads((RAW / "dataset.json").read_text(encoding="utf-8"))
    missing_date = 'Property "https://schema.org/datePublished" is recommended, but does not exist.'
    assert validation_warnings(seed_dist) == ([] if dated else [missing_date])


def plain(value):
    """An mlcroissant value as pyarrow's ``to_pylist`` gives it: text is bytes there, dates Timestamps, struct keys
    field ids."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key.rsplit("/", 1)[-1]: plain(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("config", CONFIGS)
def test_every_record_mlcroissant_loads_equals_its_parquet_row(seed_dist, loaded, config):
    records = [{key.split("/", 1)[1]: plain(v) for key, v in record.items()} for record in loaded.records(config)]
    shards = sorted((seed_dist / config).glob("*.parquet"))
    expected = rows_of(seed_dist, config)  # all shards in path order, as mlcroissant reads them
    assert len(records) == len(expected) == sum(pq.read_metadata(p).num_rows for p in shards) > 0
    split_of_row = [p.name.split("-")[0] for p in shards for _ in range(pq.read_metadata(p).num_rows)]
    split_names = features_of(Claim)["split"].names
    for record, row, split in zip(records, expected, split_of_row, strict=True):
        assert record.pop("split_of_shard") == split
        assert record == row
        if "split" in row:
            assert split_names[row["split"]] == split


def test_class_label_names_and_splits_load_as_records(loaded):
    for rs in loaded.metadata.record_sets:
        if rs.uuid.endswith(".names"):
            config, *path, _ = rs.uuid.split(".")
            models = {"claims": Claim, "articles": Article, "matches": ClaimMatch, "speakers": SpeakerRow}
            feature = features_of(models[config])[path[0]]
            feature = feature.feature[path[1]] if len(path) > 1 else feature
            rows = [(r[f"{rs.uuid}/index"], r[f"{rs.uuid}/name"]) for r in loaded.records(rs.uuid)]
            assert rows == list(enumerate(feature.names)), rs.uuid
    splits = [(r["splits/name"], r["splits/url"]) for r in loaded.records("splits")]
    assert splits == [("train", "cr:TrainingSplit"), ("validation", "cr:ValidationSplit"), ("test", "cr:TestSplit")]


def test_a_column_renamed_in_the_shards_fails_loading(seed_dist, tmp_path):
    broken = tmp_path / "dist"
    shutil.copytree(seed_dist, broken)
    for path in (broken / "claims").glob("*.parquet"):
        table = pq.read_table(path)
        pq.write_table(table.rename_columns(["words" if n == "text" else n for n in table.column_names]), path)
    with pytest.raises(mlc.GenerationError):
        list(mlc.Dataset(jsonld=str(broken / CROISSANT_NAME)).records("claims"))
