"""One fault on disk per error code of the spec, and the exact place each is reported: (code, file, row, field).

Each test corrupts a copy of the seed dataset. Except in the manifest tests, the corruption is *sealed*: the
manifest and croissant.json are made to agree with the changed file's new bytes, so the fault is the only thing
wrong and the test can require that no unrelated code is reported (the ``also`` codes are the ones the fault
itself implies under the spec).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.models import InputFormat
from builder.verify import verify_dataset
from verify.corrupt import (
    ARTICLES_TRAIN,
    CLAIMS_SHARDS,
    CLAIMS_TEST,
    CLAIMS_TRAIN,
    CLAIMS_VALIDATION,
    SPEAKERS_TRAIN,
    Where,
    card_config,
    cast_column,
    cell,
    codes,
    column,
    dataset_info,
    edit_card_yaml,
    edit_column,
    edit_json,
    edit_shard_features,
    file_object,
    flip_byte,
    manifest_output,
    record_set,
    replace_in_card,
    seal,
    set_cell,
    where,
)

ROW = 5
"""The claim most tests corrupt: train row 5 has a speaker mention, a cue and a context (a direct quote)."""

Corruption = Callable[[Path], None]


def listing(report: Any) -> str:
    return "\n".join(str(problem) for problem in report.problems) or "(no problem)"


def expect(report: Any, expected: Iterable[Where], also: Iterable[str] = ()) -> None:
    """Every expected problem is reported, and no code other than theirs and ``also``."""
    expected = set(expected)
    assert report.ok is False
    missing = expected - where(report)
    assert not missing, f"not reported: {sorted(missing, key=str)}\nreported:\n{listing(report)}"
    unrelated = codes(report) - {code for code, *_ in expected} - set(also)
    assert not unrelated, f"unrelated codes {sorted(unrelated)}:\n{listing(report)}"


def run(dist: Path, corrupt: Corruption) -> Any:
    corrupt(dist)
    return verify_dataset(dist)


# ---------------------------------------------------------------------------------------------------------------
# manifest.json


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda d: (d / "manifest.json").unlink(), id="deleted"),
        pytest.param(lambda d: (d / "manifest.json").write_text('{"hello": 1}', encoding="utf-8"), id="not-manifest"),
        pytest.param(lambda d: (d / "manifest.json").write_text("{", encoding="utf-8"), id="not-json"),
    ],
)
def test_manifest_missing(dist, corrupt):
    report = run(dist, corrupt)
    # Then the manifest checks stop: nothing else is wrong with the folder.
    assert codes(report) == {"manifest-missing"}, listing(report)
    (problem,) = report.problems
    assert (problem.file, problem.row) == ("manifest.json", None)


def test_manifest_missing_names_no_field_when_absent(dist):
    report = run(dist, lambda d: (d / "manifest.json").unlink())
    expect(report, {("manifest-missing", "manifest.json", None, None)})


def test_file_missing(dist):
    report = run(dist, lambda d: (d / "rejects.jsonl").unlink())
    expect(report, {("file-missing", "rejects.jsonl", None, None)})


def test_file_missing_shard(dist):
    report = run(dist, lambda d: (d / SPEAKERS_TRAIN).unlink())
    # Without the speakers shard its glob matches nothing, Croissant names a missing file, the card's split size
    # is wrong and every claim's speaker_id points nowhere.
    expect(
        report,
        {("file-missing", SPEAKERS_TRAIN, None, None)},
        also={"config-glob-unmatched", "croissant-file", "split-size-mismatch", "speaker-unknown"},
    )


def test_file_unlisted(dist):
    def corrupt(d: Path) -> None:
        (d / "notes.txt").write_text("a stray file\n", encoding="utf-8")
        (d / "claims" / "notes.txt").write_text("another\n", encoding="utf-8")

    report = run(dist, corrupt)
    expect(report, {("file-unlisted", "notes.txt", None, None), ("file-unlisted", "claims/notes.txt", None, None)})


def test_file_unlisted_does_not_count_the_manifest_itself(seed_dist):
    assert "file-unlisted" not in codes(verify_dataset(seed_dist))


def test_hash_mismatch_same_size(dist):
    """One letter of the card's prose: nothing but the hash can notice."""
    report = run(dist, lambda d: replace_in_card(d, "# factpack claims:", "# factpack claimz:"))
    assert where(report) == {("hash-mismatch", "README.md", None, "sha256")}, listing(report)


def test_hash_mismatch_flipped_byte_in_a_shard(dist):
    """A flipped byte may also leave the shard unreadable, or change a value (the middle byte of a shard often lies
    in a page of claim texts, which no longer match the article); the spec names no code for the flip itself, so:
    hash-mismatch at least, no exception, and no size problem (the size did not change). Croissant's hash is off
    too, `shard-unreadable` may say the data cannot be read, and `offset-mismatch` that a text changed."""
    flip_byte(dist / CLAIMS_TRAIN)
    report = verify_dataset(dist)
    expect(
        report,
        {("hash-mismatch", CLAIMS_TRAIN, None, "sha256")},
        also={"croissant-file", "shard-unreadable", "offset-mismatch"},
    )
    assert ("size-mismatch", CLAIMS_TRAIN, None, "bytes") not in where(report)


def test_a_shard_that_is_not_parquet_is_reported_not_raised(dist):
    (dist / CLAIMS_TRAIN).write_bytes(b"not parquet at all\n")
    report = verify_dataset(dist)
    found = where(report)
    assert ("hash-mismatch", CLAIMS_TRAIN, None, "sha256") in found, listing(report)
    assert ("size-mismatch", CLAIMS_TRAIN, None, "bytes") in found, listing(report)


def _torn(path: Path) -> None:
    path.write_bytes(b"PAR1 torn")


def _truncated(path: Path) -> None:
    """The first half, then the closing magic: the footer it points at is gone."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + data[-8:])


def _pages_overwritten(path: Path) -> None:
    """The footer intact (schema and rows read fine), the text column's pages garbage: fails only when read."""
    metadata = pq.read_metadata(path)
    names = [metadata.row_group(0).column(i).path_in_schema for i in range(metadata.num_columns)]
    chunk = metadata.row_group(0).column(names.index("text"))
    data = bytearray(path.read_bytes())
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data[start : start + chunk.total_compressed_size] = b"\x55" * chunk.total_compressed_size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("corrupt", [_torn, _truncated, _pages_overwritten])
def test_shard_unreadable(dist, corrupt):
    """A re-uploaded broken shard, with the manifest and Croissant resealed to match: only its code says so."""
    corrupt(dist / CLAIMS_TRAIN)
    seal(dist, CLAIMS_TRAIN)
    report = verify_dataset(dist)
    assert where(report) == {("shard-unreadable", CLAIMS_TRAIN, None, None)}, listing(report)
    (problem,) = report.problems
    assert problem.note.startswith("not readable parquet (") and problem.note.endswith("); re-download it")


def test_size_mismatch_in_the_manifest(dist):
    def corrupt(d: Path) -> None:
        edit_json(d / "manifest.json", lambda m: manifest_output(m, "README.md").update(bytes=1))

    report = run(dist, corrupt)
    assert where(report) == {("size-mismatch", "README.md", None, "bytes")}, listing(report)


def test_size_mismatch_of_a_grown_file(dist):
    def corrupt(d: Path) -> None:
        with (d / "rejects.jsonl").open("a", encoding="utf-8") as handle:
            handle.write("\n")

    report = run(dist, corrupt)
    assert where(report) == {
        ("size-mismatch", "rejects.jsonl", None, "bytes"),
        ("hash-mismatch", "rejects.jsonl", None, "sha256"),
    }, listing(report)


def test_row_count_mismatch(dist):
    def corrupt(d: Path) -> None:
        edit_json(d / "manifest.json", lambda m: manifest_output(m, CLAIMS_TRAIN).update(rows=70))

    report = run(dist, corrupt)
    assert where(report) == {("row-count-mismatch", CLAIMS_TRAIN, None, "rows")}, listing(report)


@pytest.mark.parametrize(
    "corrupt",
    [
        pytest.param(lambda m: m["schemas"].update(claims="0" * 64), id="other-hash"),
        pytest.param(lambda m: m["schemas"].pop("claims"), id="no-hash"),
    ],
)
def test_schema_hash_mismatch_in_the_manifest(dist, corrupt):
    report = run(dist, lambda d: edit_json(d / "manifest.json", corrupt))
    assert where(report) == {("schema-hash-mismatch", shard, None, "schemas.claims") for shard in CLAIMS_SHARDS}, (
        listing(report)
    )


def test_schema_hash_mismatch_of_a_shard(dist):
    """The shard's own features changed (and the card disagrees with them too)."""

    def corrupt(d: Path) -> None:
        edit_shard_features(d, CLAIMS_TRAIN, lambda features: features["char_start"].update(dtype="int32"))
        seal(d, CLAIMS_TRAIN)

    report = run(dist, corrupt)
    expect(
        report,
        {
            ("schema-hash-mismatch", CLAIMS_TRAIN, None, "schemas.claims"),
            ("features-mismatch", CLAIMS_TRAIN, None, "char_start"),
        },
    )


@pytest.mark.parametrize("tool", ["pyarrow", "datasets"])
def test_manifest_incomplete_tool_version(dist, tool):
    report = run(dist, lambda d: edit_json(d / "manifest.json", lambda m: m["versions"].pop(tool)))
    assert where(report) == {("manifest-incomplete", "manifest.json", None, f"versions.{tool}")}, listing(report)


def test_manifest_incomplete_factpack_version(dist):
    """factpack_version is a required string of the model, so only an empty one still parses as a manifest."""
    report = run(dist, lambda d: edit_json(d / "manifest.json", lambda m: m.update(factpack_version="")))
    assert where(report) == {("manifest-incomplete", "manifest.json", None, "factpack_version")}, listing(report)


# ---------------------------------------------------------------------------------------------------------------
# README.md against the data


def test_card_missing(dist):
    report = run(dist, lambda d: (d / "README.md").unlink())
    expect(report, {("card-missing", "README.md", None, None), ("file-missing", "README.md", None, None)})


def test_card_missing_front_matter(dist):
    def corrupt(d: Path) -> None:
        text = (d / "README.md").read_text(encoding="utf-8")
        (d / "README.md").write_text(text.split("\n---\n", 1)[1], encoding="utf-8")
        seal(d, "README.md")

    report = run(dist, corrupt)
    # check_card_metadata itself reports a card without front matter as card-yaml.
    expect(report, {("card-missing", "README.md", None, None)}, also={"card-yaml"})


def _speakers_glob_to_dev(d: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        card_config(data, "speakers")["data_files"][0]["path"] = "speakers/dev-*.parquet"

    edit_card_yaml(d, change)
    seal(d, "README.md")


# Read through the card, the speakers' train split then holds no row: split-size-mismatch follows.
def test_config_glob_unmatched(dist):
    report = run(dist, _speakers_glob_to_dev)
    expect(
        report,
        {("config-glob-unmatched", "README.md", None, "configs.speakers.train")},
        also={"shard-unclaimed", "split-size-mismatch"},
    )


def test_shard_unclaimed_by_a_changed_glob(dist):
    report = run(dist, _speakers_glob_to_dev)
    expect(
        report, {("shard-unclaimed", SPEAKERS_TRAIN, None, None)}, also={"config-glob-unmatched", "split-size-mismatch"}
    )


def test_shard_unclaimed_stray_parquet(dist):
    shutil.copy(dist / SPEAKERS_TRAIN, dist / "speakers" / "extra.parquet")
    report = verify_dataset(dist)
    # Stray: not in the manifest, and no FileObject in Croissant either. It is no data of the config (load_dataset
    # never reads it), so the real shard's speaker ids are no duplicates of it.
    expect(
        report,
        {
            ("shard-unclaimed", "speakers/extra.parquet", None, None),
            ("file-unlisted", "speakers/extra.parquet", None, None),
        },
        also={"croissant-file"},
    )


def _card_feature(config: str, name: str, change: Callable[[dict[str, Any]], None]) -> Corruption:
    def corrupt(d: Path) -> None:
        def edit(data: dict[str, Any]) -> None:
            (feature,) = [f for f in dataset_info(data, config)["features"] if f["name"] == name]
            change(feature)

        edit_card_yaml(d, edit)
        seal(d, "README.md")

    return corrupt


def _rename_label(feature: dict[str, Any]) -> None:
    feature["dtype"]["class_label"]["names"]["3"] = "statement"


@pytest.mark.parametrize(
    ("corrupt", "column_name", "also"),
    [
        pytest.param(
            _card_feature("claims", "char_start", lambda f: f.update(dtype="int32")), "char_start", (), id="card-dtype"
        ),
        pytest.param(
            _card_feature("claims", "claim_type", _rename_label),
            "claim_type",
            ("croissant-labels",),
            id="card-label-names",
        ),
    ],
)
def test_features_mismatch_card_side(dist, corrupt, column_name, also):
    """The card says int32 (or other names), every claims shard says otherwise: the spec lets the problem point at the
    shard or at README.md; the field is the column either way."""
    report = run(dist, corrupt)
    expect(report, set(), also={"features-mismatch", *also})
    places = {(p.file, p.row) for p in report.problems if p.code == "features-mismatch" and p.field == column_name}
    assert places, listing(report)
    assert places <= {(file, None) for file in (*CLAIMS_SHARDS, "README.md")}, listing(report)


def test_features_mismatch_arrow_type(dist):
    """The shard's Arrow type changed under unchanged `huggingface` metadata and an unchanged card."""

    def corrupt(d: Path) -> None:
        cast_column(d, CLAIMS_TRAIN, "char_start", pa.int32())
        seal(d, CLAIMS_TRAIN)

    report = run(dist, corrupt)
    expect(report, {("features-mismatch", CLAIMS_TRAIN, None, "char_start")})


def test_column_missing_ghost_column(dist):
    def add_ghost(data: dict[str, Any]) -> None:
        dataset_info(data, "claims")["features"].append({"name": "ghost", "dtype": "string"})

    def corrupt(d: Path) -> None:
        edit_card_yaml(d, add_ghost)
        seal(d, "README.md")

    report = run(dist, corrupt)
    expect(report, {("column-missing", shard, None, "ghost") for shard in CLAIMS_SHARDS})


def test_column_undeclared(dist):
    def drop(data: dict[str, Any]) -> None:
        info = dataset_info(data, "claims")
        info["features"] = [f for f in info["features"] if f["name"] != "label_source"]

    def corrupt(d: Path) -> None:
        edit_card_yaml(d, drop)
        seal(d, "README.md")

    report = run(dist, corrupt)
    expect(report, {("column-undeclared", shard, None, "label_source") for shard in CLAIMS_SHARDS})


def test_split_size_mismatch(dist):
    def grow(data: dict[str, Any]) -> None:
        (split,) = [s for s in dataset_info(data, "claims")["splits"] if s["name"] == "train"]
        split["num_examples"] += 1

    def corrupt(d: Path) -> None:
        edit_card_yaml(d, grow)
        seal(d, "README.md")

    report = run(dist, corrupt)
    expect(report, {("split-size-mismatch", "README.md", None, "dataset_info.claims.splits.train.num_examples")})


def test_schema_inconsistent(sharded_dist, tmp_path):
    dist = Path(shutil.copytree(sharded_dist, tmp_path / "dist"))
    second = "claims/train-00001-of-00003.parquet"
    cast_column(dist, second, "char_start", pa.int32())
    seal(dist, second)
    report = verify_dataset(dist)
    expect(report, set(), also={"schema-inconsistent", "features-mismatch"})
    places = {(p.file, p.row, p.field) for p in report.problems if p.code == "schema-inconsistent"}
    # The spec names the shard only; a field, if any, can only be the column that differs.
    assert places and places <= {(second, None, None), (second, None, "char_start")}, listing(report)


# ---------------------------------------------------------------------------------------------------------------
# croissant.json


def test_croissant_missing(dist):
    report = run(dist, lambda d: (d / "croissant.json").unlink())
    expect(
        report, {("croissant-missing", "croissant.json", None, None), ("file-missing", "croissant.json", None, None)}
    )


def _croissant(change: Callable[[dict[str, Any]], None]) -> Corruption:
    def corrupt(d: Path) -> None:
        edit_json(d / "croissant.json", change)
        seal(d, "croissant.json")

    return corrupt


def _drop_file_object(url: str) -> Callable[[dict[str, Any]], None]:
    def change(c: dict[str, Any]) -> None:
        c["distribution"].remove(file_object(c, url))

    return change


def _rename_file_object(c: dict[str, Any]) -> None:
    ghost = "claims/ghost-00000-of-00001.parquet"
    file_object(c, CLAIMS_TRAIN).update({"@id": ghost, "name": ghost, "contentUrl": ghost})


@pytest.mark.parametrize(
    ("change", "url", "also"),
    [
        pytest.param(lambda c: file_object(c, CLAIMS_TRAIN).update(sha256="0" * 64), CLAIMS_TRAIN, (), id="sha256"),
        pytest.param(lambda c: file_object(c, CLAIMS_TRAIN).update(contentSize="1 B"), CLAIMS_TRAIN, (), id="size"),
        pytest.param(_drop_file_object(SPEAKERS_TRAIN), SPEAKERS_TRAIN, (), id="shard-without-file-object"),
        pytest.param(_rename_file_object, "claims/ghost-00000-of-00001.parquet", (), id="names-no-file"),
    ],
)
def test_croissant_file(dist, change, url, also):
    report = run(dist, _croissant(change))
    expect(report, {("croissant-file", "croissant.json", None, f"distribution.{url}")}, also=also)


def _claims_field(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def find(c: dict[str, Any]) -> dict[str, Any]:
        (field,) = [f for f in record_set(c, "claims")["field"] if f["@id"] == f"claims/{name}"]
        return field

    return find


def _drop_field(c: dict[str, Any]) -> None:
    record_set(c, "claims")["field"].remove(_claims_field("check_worthiness")(c))


def _extra_field(c: dict[str, Any]) -> None:
    ghost = {**_claims_field("text")(c), "@id": "claims/ghost", "name": "ghost"}
    ghost["source"] = {**ghost["source"], "extract": {"column": "ghost"}}
    record_set(c, "claims")["field"].append(ghost)


@pytest.mark.parametrize(
    ("change", "column_name"),
    [
        pytest.param(_drop_field, "check_worthiness", id="missing"),
        pytest.param(lambda c: _claims_field("char_start")(c).update(dataType="sc:Text"), "char_start", id="type"),
        pytest.param(_extra_field, "ghost", id="extra"),
    ],
)
def test_croissant_field(dist, change, column_name):
    report = run(dist, _croissant(change))
    expect(report, {("croissant-field", "croissant.json", None, f"recordSet.claims.{column_name}")})


def _names(c: dict[str, Any]) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = record_set(c, "claims.claim_type.names")["data"]
    return data


@pytest.mark.parametrize(
    ("change", "also"),
    [
        pytest.param(lambda c: _names(c)[3].update({"claims.claim_type.names/name": "statement"}), (), id="renamed"),
        pytest.param(lambda c: _names(c).pop(), (), id="one-fewer"),
        pytest.param(
            lambda c: c["recordSet"].remove(record_set(c, "claims.claim_type.names")),
            ("croissant-field",),
            id="no-enumeration",
        ),
    ],
)
def test_croissant_labels(dist, change, also):
    report = run(dist, _croissant(change))
    expect(report, {("croissant-labels", "croissant.json", None, "recordSet.claims.claim_type")}, also=also)


# ---------------------------------------------------------------------------------------------------------------
# Values


def _set(shard: str, name: str, row: int, value: Any) -> Corruption:
    def corrupt(d: Path) -> None:
        set_cell(d, shard, name, row, value)
        seal(d, shard)

    return corrupt


def _set_from(shard: str, name: str, row: int, make: Callable[[Path], Any]) -> Corruption:
    """Set a cell to a value computed from the dataset (another row's id, a shifted offset...)."""

    def corrupt(d: Path) -> None:
        set_cell(d, shard, name, row, make(d))
        seal(d, shard)

    return corrupt


def _first_excluded_kind(value: int) -> Callable[[Path], Any]:
    def make(d: Path) -> Any:
        excluded = cell(d, ARTICLES_TRAIN, "excluded", 1)
        return [{**excluded[0], "kind": value}, *excluded[1:]]

    return make


@pytest.mark.parametrize(
    ("corrupt", "place", "also"),
    [
        pytest.param(
            _set(CLAIMS_TRAIN, "claim_type", ROW, 9), (CLAIMS_TRAIN, ROW, "claim_type"), (), id="claim_type-9"
        ),
        pytest.param(
            _set(CLAIMS_TRAIN, "claim_type", ROW, -1), (CLAIMS_TRAIN, ROW, "claim_type"), (), id="claim_type--1"
        ),
        pytest.param(_set(CLAIMS_TRAIN, "split", ROW, 3), (CLAIMS_TRAIN, ROW, "split"), ("split-leak",), id="split-3"),
        pytest.param(
            # the first index past the labels (txt, jsonl, parquet: 3), whatever formats are added later
            _set(ARTICLES_TRAIN, "input_format", 1, len(InputFormat)),
            (ARTICLES_TRAIN, 1, "input_format"),
            (),
            id="input_format",
        ),
        pytest.param(
            _set_from(ARTICLES_TRAIN, "excluded", 1, _first_excluded_kind(99)),
            (ARTICLES_TRAIN, 1, "excluded.kind"),
            (),
            id="nested-excluded.kind",
        ),
    ],
)
def test_label_out_of_range(dist, corrupt, place, also):
    expect(run(dist, corrupt), {("label-out-of-range", *place)}, also=also)


def _null_exact(d: Path) -> Any:
    return {**cell(d, CLAIMS_TRAIN, "selector", ROW), "exact": None}


@pytest.mark.parametrize(
    ("corrupt", "place", "also"),
    [
        pytest.param(_set(CLAIMS_TRAIN, "extractor", ROW, None), (CLAIMS_TRAIN, ROW, "extractor"), (), id="extractor"),
        pytest.param(
            _set(CLAIMS_TRAIN, "check_worthiness", ROW, None), (CLAIMS_TRAIN, ROW, "check_worthiness"), (), id="float"
        ),
        pytest.param(_set(ARTICLES_TRAIN, "sha256", 1, None), (ARTICLES_TRAIN, 1, "sha256"), (), id="article-sha256"),
        pytest.param(
            _set_from(CLAIMS_TRAIN, "selector", ROW, _null_exact),
            (CLAIMS_TRAIN, ROW, "selector.exact"),
            ("offset-mismatch",),
            id="nested-selector.exact",
        ),
    ],
)
def test_null_required(dist, corrupt, place, also):
    expect(run(dist, corrupt), {("null-required", *place)}, also=also)


def test_null_in_an_optional_field_is_fine(dist):
    def corrupt(d: Path) -> None:
        for name in ("speaker_title", "medium", "verdict"):
            set_cell(d, CLAIMS_TRAIN, name, ROW, None)
        seal(d, CLAIMS_TRAIN)

    report = run(dist, corrupt)
    assert report.problems == [], listing(report)


def _plus(other: str, delta: int) -> Callable[[Path], Any]:
    """The value of column ``other`` at ROW, plus ``delta``."""
    return lambda d: cell(d, CLAIMS_TRAIN, other, ROW) + delta


@pytest.mark.parametrize(
    ("name", "make"),
    [
        pytest.param("char_start", _plus("char_end", 0), id="char_start-equals-end"),
        pytest.param("char_start", lambda d: -1, id="char_start-negative"),
        pytest.param("speaker_start", _plus("speaker_end", 1), id="speaker_start-after-end"),
        pytest.param("cue_start", _plus("cue_end", 1), id="cue_start-after-end"),
        pytest.param("context_start", _plus("context_end", 1), id="context_start-after-end"),
    ],
)
def test_offset_order(dist, name, make):
    # The slice is then wrong as well: offset-mismatch may come with it.
    report = run(dist, _set_from(CLAIMS_TRAIN, name, ROW, make))
    expect(report, {("offset-order", CLAIMS_TRAIN, ROW, name)}, also={"offset-mismatch"})


@pytest.mark.parametrize(
    ("shard", "name", "also"),
    [
        # Row 6 is a claim of the seed's one match pair: with its id gone, the pair names a claim that is no more,
        # and the id row 6 took is now the smallest in its match group (test_matches.py plants these alone).
        pytest.param(CLAIMS_TRAIN, "claim_id", ("claim-unknown", "match-group-id"), id="claim"),
        # Article 003 is gone (its claims point nowhere) and 001 has two texts.
        pytest.param(ARTICLES_TRAIN, "article_id", ("article-unknown", "offset-mismatch"), id="article"),
        # vladimir-putin is gone: his claim points nowhere.
        pytest.param(SPEAKERS_TRAIN, "speaker_id", ("speaker-unknown",), id="speaker"),
    ],
)
def test_id_duplicate(dist, shard, name, also):
    """Row 1 (row ROW + 1 for claims) takes the id of the row before it: the second occurrence is reported."""
    second = ROW + 1 if shard == CLAIMS_TRAIN else 1
    report = run(dist, _set_from(shard, name, second, lambda d: cell(d, shard, name, second - 1)))
    expect(report, {("id-duplicate", shard, second, name)}, also=also)


def test_article_unknown(dist):
    report = run(dist, _set(CLAIMS_TRAIN, "article_id", ROW, "no_such_article"))
    expect(report, {("article-unknown", CLAIMS_TRAIN, ROW, "article_id")})


def test_speaker_unknown(dist):
    report = run(dist, _set(CLAIMS_TRAIN, "speaker_id", ROW, "no-such-speaker"))
    expect(report, {("speaker-unknown", CLAIMS_TRAIN, ROW, "speaker_id")})


def test_split_leak_claim_split_value(dist):
    """Split 1 (validation) for a claim in the train shard whose article is in train."""
    report = run(dist, _set(CLAIMS_TRAIN, "split", ROW, 1))
    expect(report, {("split-leak", CLAIMS_TRAIN, ROW, "split")})


def test_split_leak_article_moved_to_test(dist):
    """The article's split says test; its claims in the train shard say train: each claim differs from its article."""
    article = cell(dist, ARTICLES_TRAIN, "article_id", 0)
    rows = [i for i, value in enumerate(column(dist, CLAIMS_TRAIN, "article_id")) if value == article]
    assert rows
    report = run(dist, _set(ARTICLES_TRAIN, "split", 0, 2))
    expect(report, {("split-leak", CLAIMS_TRAIN, row, "split") for row in rows})


def test_split_leak_claim_of_a_train_article_in_test(dist):
    """A claim of the test shard now belongs to an article of train: one article in two splits."""
    article = cell(dist, ARTICLES_TRAIN, "article_id", 0)
    report = run(dist, _set(CLAIMS_TEST, "article_id", 0, article))
    # The claim's offsets were into another article's text.
    expect(report, {("split-leak", CLAIMS_TEST, 0, "split")}, also={"offset-mismatch"})


def test_split_leak_cluster_in_two_splits(dist):
    cluster = cell(dist, CLAIMS_TRAIN, "cluster_id", 0)
    members = {
        (CLAIMS_TRAIN, i) for i, value in enumerate(column(dist, CLAIMS_TRAIN, "cluster_id")) if value == cluster
    }
    report = run(dist, _set(CLAIMS_VALIDATION, "cluster_id", 0, cluster))
    expect(report, set(), also={"split-leak"})
    places = {(p.file, p.row) for p in report.problems if p.code == "split-leak" and p.field == "cluster_id"}
    assert places and places <= members | {(CLAIMS_VALIDATION, 0)}, listing(report)


# ---------------------------------------------------------------------------------------------------------------
# Provenance


def test_offset_mismatch_char_start(dist):
    start = cell(dist, CLAIMS_TRAIN, "char_start", ROW)
    end = cell(dist, CLAIMS_TRAIN, "char_end", ROW)
    report = run(dist, _set(CLAIMS_TRAIN, "char_start", ROW, start + 1))
    expect(report, {("offset-mismatch", CLAIMS_TRAIN, ROW, "text")})
    # The selector's exact and prefix no longer fit the moved span: a check of them may say so too (same row).
    assert {(p.file, p.row, p.field) for p in report.problems} <= {
        (CLAIMS_TRAIN, ROW, field) for field in ("text", "selector.exact", "selector.prefix", "selector.suffix")
    }, listing(report)
    (problem,) = [p for p in report.problems if p.field == "text"]
    assert f"[{start + 1}:{end}]" in problem.note, problem.note
    assert str(problem).startswith(f"offset-mismatch {CLAIMS_TRAIN} row {ROW} field text: ")


def _shift_span(start: str, end: str) -> Corruption:
    def corrupt(d: Path) -> None:
        for name in (start, end):
            edit_column(d, CLAIMS_TRAIN, name, lambda values: [*values[:ROW], values[ROW] + 1, *values[ROW + 1 :]])
        seal(d, CLAIMS_TRAIN)

    return corrupt


def _other_exact(d: Path) -> Any:
    selector = cell(d, CLAIMS_TRAIN, "selector", ROW)
    return {**selector, "exact": selector["exact"][1:]}


@pytest.mark.parametrize(
    ("corrupt", "name"),
    [
        pytest.param(_shift_span("cue_start", "cue_end"), "cue", id="cue"),
        pytest.param(_shift_span("context_start", "context_end"), "context", id="context"),
        pytest.param(_set_from(CLAIMS_TRAIN, "selector", ROW, _other_exact), "selector.exact", id="selector.exact"),
    ],
)
def test_offset_mismatch_other_spans(dist, corrupt, name):
    expect(run(dist, corrupt), {("offset-mismatch", CLAIMS_TRAIN, ROW, name)})


def test_offset_mismatch_speaker_mention_outside_the_text(dist):
    """``speaker`` is the resolved name ("he" -> "Jens Stoltenberg"), so ``text[speaker_start:speaker_end]`` is not
    compared with it; a mention that is no span of the text at all is reported on its offsets."""

    def corrupt(d: Path) -> None:
        set_cell(d, CLAIMS_TRAIN, "speaker_start", ROW, 100_000)
        set_cell(d, CLAIMS_TRAIN, "speaker_end", ROW, 100_002)
        seal(d, CLAIMS_TRAIN)

    expect(run(dist, corrupt), {("offset-mismatch", CLAIMS_TRAIN, ROW, "speaker_start")})


def test_a_resolved_speaker_name_is_not_an_offset_mismatch(dist):
    report = run(dist, _set(CLAIMS_TRAIN, "speaker", ROW, "Somebody Else"))
    assert report.problems == [], listing(report)


# ---------------------------------------------------------------------------------------------------------------
# Standalone claims: standalone is the text with its resolutions applied, each mention the article's text at its
# offsets inside the claim, in order, each antecedent a span of the article text


def resolved_row(d: Path) -> int:
    """The first train claim whose standalone resolves a reference at the very start of its text ("He took up his
    post ..." → "Jens Stoltenberg took up his post ...")."""
    rows = zip(column(d, CLAIMS_TRAIN, "char_start"), column(d, CLAIMS_TRAIN, "resolutions"), strict=True)
    return next(row for row, (start, found) in enumerate(rows) if found and found[0]["start"] == start)


def plain_row(d: Path) -> int:
    """The first train claim with nothing resolved: its standalone is its text."""
    return column(d, CLAIMS_TRAIN, "resolutions").index([])


def _resolved(change: Callable[[Path, int, dict[str, Any]], list[dict[str, Any]]]) -> Corruption:
    """Replace the resolutions of the resolved row by ``change(d, row, its first resolution)``."""

    def corrupt(d: Path) -> None:
        row = resolved_row(d)
        set_cell(d, CLAIMS_TRAIN, "resolutions", row, change(d, row, cell(d, CLAIMS_TRAIN, "resolutions", row)[0]))
        seal(d, CLAIMS_TRAIN)

    return corrupt


def _his(d: Path, row: int) -> dict[str, Any]:
    """A second, right resolution for the resolved row: its "his" → "Jens Stoltenberg's"."""
    start = cell(d, CLAIMS_TRAIN, "char_start", row) + cell(d, CLAIMS_TRAIN, "text", row).index(" his ") + 1
    first = cell(d, CLAIMS_TRAIN, "resolutions", row)[0]
    return {**first, "start": start, "end": start + 3, "mention": "his", "replacement": "Jens Stoltenberg's"}


def test_standalone_mismatch(dist):
    """A standalone left unresolved (the text itself) where a resolution says "He" is "Jens Stoltenberg"."""
    row = resolved_row(dist)
    claim_id, text = cell(dist, CLAIMS_TRAIN, "claim_id", row), cell(dist, CLAIMS_TRAIN, "text", row)
    assert cell(dist, CLAIMS_TRAIN, "standalone", row) != text
    report = run(dist, _set(CLAIMS_TRAIN, "standalone", row, text))
    expect(report, {("standalone-mismatch", CLAIMS_TRAIN, row, "standalone")})
    assert len(report.problems) == 1 and claim_id in report.problems[0].note, listing(report)


def test_standalone_mismatch_of_a_claim_with_nothing_to_resolve(dist):
    row = plain_row(dist)
    text = cell(dist, CLAIMS_TRAIN, "text", row)
    report = run(dist, _set(CLAIMS_TRAIN, "standalone", row, "Somebody " + text))
    expect(report, {("standalone-mismatch", CLAIMS_TRAIN, row, "standalone")})


def test_offset_mismatch_resolution_mention(dist):
    """The mention is not the article's text at its offsets (the offsets, and so standalone, stay right)."""
    row = resolved_row(dist)
    report = run(dist, _resolved(lambda d, row, first: [{**first, "mention": "We"}]))
    expect(report, {("offset-mismatch", CLAIMS_TRAIN, row, "resolutions.mention")})
    assert len(report.problems) == 1, listing(report)


def test_a_moved_resolution_is_an_offset_mismatch_and_a_standalone_mismatch(dist):
    """One character on, "He" is no longer the text there, and the text with it applied is not standalone."""
    row = resolved_row(dist)
    report = run(
        dist, _resolved(lambda d, row, first: [{**first, "start": first["start"] + 1, "end": first["end"] + 1}])
    )
    expect(
        report,
        {
            ("offset-mismatch", CLAIMS_TRAIN, row, "resolutions.mention"),
            ("standalone-mismatch", CLAIMS_TRAIN, row, "standalone"),
        },
    )


def test_offset_mismatch_resolution_antecedent_outside_the_text(dist):
    outside = _resolved(lambda d, row, first: [{**first, "antecedent_start": 100_000, "antecedent_end": 100_016}])
    row = resolved_row(dist)
    expect(run(dist, outside), {("offset-mismatch", CLAIMS_TRAIN, row, "resolutions.antecedent_start")})


def _article_text(d: Path, row: int) -> str:
    article = column(d, ARTICLES_TRAIN, "article_id").index(cell(d, CLAIMS_TRAIN, "article_id", row))
    return str(cell(d, ARTICLES_TRAIN, "text", article))


def _before_the_claim(d: Path, row: int, first: dict[str, Any]) -> list[dict[str, Any]]:
    # The antecedent itself: a right slice of the article, but before the claim.
    start, end = first["antecedent_start"], first["antecedent_end"]
    assert end <= cell(d, CLAIMS_TRAIN, "char_start", row)
    return [{**first, "start": start, "end": end, "mention": _article_text(d, row)[start:end]}]


def _after_the_claim(d: Path, row: int, first: dict[str, Any]) -> list[dict[str, Any]]:
    # Two characters just past the claim: a right slice of the article, but not of the claim.
    start = cell(d, CLAIMS_TRAIN, "char_end", row) + 1
    return [first, {**first, "start": start, "end": start + 2, "mention": _article_text(d, row)[start : start + 2]}]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        pytest.param(_before_the_claim, "is not inside the claim", id="before-the-claim"),
        pytest.param(_after_the_claim, "is not inside the claim", id="after-the-claim"),
        pytest.param(lambda d, row, first: [first, first], "starts before the resolution before it", id="overlapping"),
        pytest.param(lambda d, row, first: [_his(d, row), first], "starts before the resolution before", id="reversed"),
    ],
)
def test_offset_order_resolutions(dist, change, why):
    """Each mention is a right slice of the article, but standalone cannot be the text with them applied in
    order: the spans are reported, not standalone as well."""
    row = resolved_row(dist)
    report = run(dist, _resolved(change))
    expect(report, {("offset-order", CLAIMS_TRAIN, row, "resolutions.start")})
    (problem,) = report.problems
    assert why in problem.note and cell(dist, CLAIMS_TRAIN, "claim_id", row) in problem.note, problem.note


def test_two_resolutions_in_order_with_standalone_applying_both_verify(dist):
    def corrupt(d: Path) -> None:
        row = resolved_row(d)
        first, his = cell(d, CLAIMS_TRAIN, "resolutions", row)[0], _his(d, row)
        set_cell(d, CLAIMS_TRAIN, "resolutions", row, [first, his])
        standalone = cell(d, CLAIMS_TRAIN, "standalone", row)
        set_cell(d, CLAIMS_TRAIN, "standalone", row, standalone.replace(" his ", " Jens Stoltenberg's ", 1))
        seal(d, CLAIMS_TRAIN)

    report = run(dist, corrupt)
    assert report.ok and report.problems == [], listing(report)


def test_label_out_of_range_resolution_kind(dist):
    row = resolved_row(dist)
    report = run(dist, _resolved(lambda d, row, first: [{**first, "kind": 7}]))
    expect(report, {("label-out-of-range", CLAIMS_TRAIN, row, "resolutions.kind")})


# ---------------------------------------------------------------------------------------------------------------
# Card metadata (builder.card_metadata's codes and fields, file README.md)


def _insert_duplicate_pretty_name(d: Path) -> None:
    replace_in_card(d, "\npretty_name: ", "\npretty_name: again\npretty_name: ")
    seal(d, "README.md")


def _card(old: str, new: str) -> Corruption:
    def corrupt(d: Path) -> None:
        replace_in_card(d, old, new)
        seal(d, "README.md")

    return corrupt


@pytest.mark.parametrize(
    ("corrupt", "code", "field", "also"),
    [
        pytest.param(
            _card("\nlicense: other\n", "\nlicense: not-a-hub-license\n"), "card-license", "license", (), id="license"
        ),
        pytest.param(
            _card("language:\n- en\n", "language:\n- english\n"), "card-language", "language", (), id="language"
        ),
        pytest.param(
            _card("- text-classification\n", "- claim-detection\n"), "card-task", "task_categories", (), id="task"
        ),
        pytest.param(_card("- n<1K\n", "- 1K<n<10K\n"), "card-size", "size_categories", (), id="size"),
        pytest.param(_insert_duplicate_pretty_name, "card-duplicate-key", "pretty_name", (), id="duplicate-key"),
        # Front matter that is no YAML at all: the card check may call it missing too.
        pytest.param(
            _card("\nlicense: other\n", "\nlicense: [other\n"),
            "card-yaml",
            "(front matter)",
            ("card-missing",),
            id="yaml",
        ),
        # No data_files path for claims/train: that split's shard is then claimed by no glob.
        pytest.param(
            _card("    path: claims/train-*.parquet\n", "    paths: claims/train-*.parquet\n"),
            "card-configs",
            "configs",
            ("config-glob-unmatched", "shard-unclaimed", "split-size-mismatch"),
            id="configs",
        ),
    ],
)
def test_card_metadata(dist, corrupt, code, field, also):
    expect(run(dist, corrupt), {(code, "README.md", None, field)}, also=also)


# ---------------------------------------------------------------------------------------------------------------
# Credentials

SECRET_URL = "https://jdoe:s3cretpass@www.example.com/news/a?token=abc123&id=7"


def _credential_in_text(d: Path) -> str:
    """The article text with a credential URL appended: the claims' offsets still hold."""
    return cell(d, ARTICLES_TRAIN, "text", 1) + "\n\nMore at " + SECRET_URL + "\n"


def _credential_in_selector(d: Path) -> Any:
    return {**cell(d, CLAIMS_TRAIN, "selector", ROW), "suffix": "see " + SECRET_URL}


def _credential_in_list(d: Path) -> Any:
    return [*cell(d, SPEAKERS_TRAIN, "aliases", 0), SECRET_URL]


@pytest.mark.parametrize(
    ("corrupt", "place", "also"),
    [
        pytest.param(_set(ARTICLES_TRAIN, "url", 1, SECRET_URL), (ARTICLES_TRAIN, 1, "url"), (), id="articles.url"),
        pytest.param(_set(CLAIMS_TRAIN, "url", ROW, SECRET_URL), (CLAIMS_TRAIN, ROW, "url"), (), id="claims.url"),
        pytest.param(
            _set_from(ARTICLES_TRAIN, "text", 1, _credential_in_text),
            (ARTICLES_TRAIN, 1, "text"),
            ("offset-mismatch",),  # a claim near the end sees another suffix
            id="articles.text",
        ),
        pytest.param(
            _set(CLAIMS_TRAIN, "correction", ROW, "See " + SECRET_URL),
            (CLAIMS_TRAIN, ROW, "correction"),
            (),
            id="claims.correction",
        ),
        pytest.param(
            _set_from(CLAIMS_TRAIN, "selector", ROW, _credential_in_selector),
            (CLAIMS_TRAIN, ROW, "selector.suffix"),
            ("offset-mismatch",),
            id="struct-field",
        ),
        pytest.param(
            _set_from(SPEAKERS_TRAIN, "aliases", 0, _credential_in_list),
            (SPEAKERS_TRAIN, 0, "aliases"),
            (),
            id="list-item",
        ),
        pytest.param(
            _set(ARTICLES_TRAIN, "notes", 1, "Mirror: http://mirror.example/a?X-Goog-Signature=abc123"),
            (ARTICLES_TRAIN, 1, "notes"),
            (),
            id="no-www",
        ),
        pytest.param(
            _set(ARTICLES_TRAIN, "url", 1, "https://www.example.com/a;jsessionid=abc123?x=1"),
            (ARTICLES_TRAIN, 1, "url"),
            (),
            id="path-parameter",
        ),
    ],
)
def test_url_credential_in_a_value(dist, corrupt, place, also):
    report = run(dist, corrupt)
    expect(report, {("url-credential", *place)}, also=also)
    shown = listing(report) + report.model_dump_json()
    assert "s3cretpass" not in shown and "abc123" not in shown and "jdoe" not in shown


def test_url_credential_names_the_character_and_the_kind(dist):
    report = run(dist, _set(ARTICLES_TRAIN, "url", 1, SECRET_URL))
    (problem,) = report.problems
    assert str(problem) == (
        f"url-credential {ARTICLES_TRAIN} row 1 field url: character 0: a URL holds a login (user:password@) and "
        "the parameter 'token'; take it out of the raw input and build again (factpack strips it from URLs and "
        "rejects such texts)"
    )


@pytest.mark.parametrize("name", ["README.md", "rejects.jsonl", "croissant.json", "manifest.json"])
def test_url_credential_in_a_file_of_the_folder(dist, name):
    path = dist / name
    path.write_bytes(path.read_bytes().rstrip(b"\n") + f"\n{SECRET_URL}\n".encode())
    if name != "manifest.json":
        seal(dist, name)
    report = verify_dataset(dist)
    lines = path.read_text(encoding="utf-8").count("\n")
    also = {"card-yaml"} if name == "README.md" else {"croissant-missing"} if name == "croissant.json" else set()
    also |= {"manifest-missing"} if name in ("manifest.json", "croissant.json") else set()
    expect(report, {("url-credential", name, None, None)}, also=also)
    (problem,) = [p for p in report.problems if p.code == "url-credential"]
    assert problem.note.startswith(f"line {lines}, character 0: a URL holds a login (user:password@)")
    assert "s3cretpass" not in listing(report)


def test_a_clean_folder_has_no_url_credential(seed_dist):
    assert "url-credential" not in codes(verify_dataset(seed_dist))


def _null_pair_row(d: Path, present: str, claim_type: int | None = None) -> int:
    """A train claim with ``present`` set (and of ``claim_type`` when given)."""
    values, types = column(d, CLAIMS_TRAIN, present), column(d, CLAIMS_TRAIN, "claim_type")
    return next(row for row, value in enumerate(values) if value is not None and claim_type in (None, types[row]))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("speaker_type", None, id="speaker-without-type"),
        pytest.param("cue_kind", None, id="cue-without-kind"),
    ],
)
def test_null_mismatch_a_type_missing_beside_its_field(dist, name, value):
    present = "speaker" if name == "speaker_type" else "cue"
    row = _null_pair_row(dist, present)
    report = run(dist, _set(CLAIMS_TRAIN, name, row, value))
    expect(report, {("null-mismatch", CLAIMS_TRAIN, row, name)})


def test_null_mismatch_a_type_without_its_field(dist):
    """An author statement (no speaker, no cue) given a speaker type and a cue kind: both reported."""
    row = column(dist, CLAIMS_TRAIN, "claim_type").index(3)

    def corrupt(d: Path) -> None:
        set_cell(d, CLAIMS_TRAIN, "speaker_type", row, 0)
        set_cell(d, CLAIMS_TRAIN, "cue_kind", row, 1)
        seal(d, CLAIMS_TRAIN)

    report = run(dist, corrupt)
    expected = {("null-mismatch", CLAIMS_TRAIN, row, "speaker_type"), ("null-mismatch", CLAIMS_TRAIN, row, "cue_kind")}
    expect(report, expected)


def test_an_interview_answer_has_a_cue_kind_without_a_cue(dist):
    row = _null_pair_row(dist, "cue_kind", claim_type=2)
    assert cell(dist, CLAIMS_TRAIN, "cue", row) is None
    report = run(dist, _set(CLAIMS_TRAIN, "cue_kind", row, None))
    expect(report, {("null-mismatch", CLAIMS_TRAIN, row, "cue_kind")})
