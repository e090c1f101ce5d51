"""The report: the limit, the order of the problems, and the JSON Schema of ``factpack verify --json``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from builder.models import VerifyReport
from builder.verify import verify_dataset
from conftest import REPO
from verify.corrupt import (
    CLAIMS_SHARDS,
    CLAIMS_TRAIN,
    CLAIMS_VALIDATION,
    SPEAKERS_TRAIN,
    dataset_info,
    edit_card_yaml,
    edit_column,
    edit_json,
    file_object,
    replace_in_card,
    seal,
    set_cell,
)

CLAIMS = 91
"""Claims of the seed dataset."""

CHECKS = [
    {
        "manifest-missing",
        "file-missing",
        "file-unlisted",
        "hash-mismatch",
        "size-mismatch",
        "row-count-mismatch",
        "schema-hash-mismatch",
        "manifest-incomplete",
    },
    {
        "card-missing",
        "config-glob-unmatched",
        "shard-unclaimed",
        "features-mismatch",
        "column-missing",
        "column-undeclared",
        "split-size-mismatch",
        "schema-inconsistent",
    },
    {"croissant-missing", "croissant-file", "croissant-field", "croissant-labels"},
    {
        "shard-unreadable",
        "label-out-of-range",
        "null-required",
        "null-mismatch",
        "offset-order",
        "id-malformed",
        "id-duplicate",
        "article-unknown",
        "speaker-unknown",
        "split-leak",
        "claim-unknown",
        "pair-order",
        "pair-duplicate",
        "match-group-mismatch",
        "match-group-unmatched",
        "match-group-id",
        "rank-sequence",
    },
    {"offset-mismatch", "standalone-mismatch", "raw-missing", "raw-hash-mismatch"},
    {"card-yaml", "card-duplicate-key", "card-license", "card-language", "card-task", "card-size", "card-configs"},
]
"""The spec's check order: manifest, card, croissant, values, provenance, card metadata."""


def check_of(code: str) -> int:
    (index,) = [i for i, codes in enumerate(CHECKS) if code in codes]
    return index


def _readme_codes() -> list[tuple[str, set[str]]]:
    """The README's table of codes: (check, its codes), in its order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| check | codes |") :].split("\n\n")[0].splitlines()[2:]
    rows = [line.strip("|").split("|", 1) for line in table]
    return [(check.strip(), set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", cell))) for check, cell in rows]


def test_the_readme_names_every_code_verify_reports_and_no_other():
    sources = [*(REPO / "builder" / "verify").glob("*.py"), REPO / "builder" / "card_metadata.py"]
    reported = {code for path in sources for code in re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text("utf-8"))}
    documented = _readme_codes()
    assert set().union(*(codes for _, codes in documented)) == reported
    # CHECKS is the README's order, the credential code aside (it is found by the folder and the values checks).
    assert [codes for check, codes in documented if check != "credentials"] == CHECKS


@pytest.fixture
def every_text_changed(dist: Path) -> Path:
    """Every claim's text one character longer than its span, sealed: one offset-mismatch per claim, nothing else
    (the offsets and the selector stay right)."""
    for shard in CLAIMS_SHARDS:
        edit_column(dist, shard, "text", lambda values: [value + "!" for value in values])
    seal(dist, *CLAIMS_SHARDS)
    return dist


def test_every_problem_is_listed_under_the_limit(every_text_changed):
    report = verify_dataset(every_text_changed, limit=1000)
    assert [p.code for p in report.problems] == ["offset-mismatch"] * CLAIMS
    assert report.truncated is False
    assert verify_dataset(every_text_changed, limit=CLAIMS).truncated is False


def test_the_limit_truncates(every_text_changed):
    report = verify_dataset(every_text_changed, limit=3)
    assert len(report.problems) == 3
    assert report.truncated is True
    assert report.ok is False
    assert verify_dataset(every_text_changed, limit=CLAIMS - 1).truncated is True


def test_the_default_limit_is_100(every_text_changed):
    report = verify_dataset(every_text_changed)
    assert len(report.problems) == CLAIMS and report.truncated is False  # 91 < 100
    articles = "articles/train-00000-of-00001.parquet"
    edit_column(every_text_changed, articles, "source_file", lambda values: [None] * len(values))
    seal(every_text_changed, articles)
    report = verify_dataset(every_text_changed)  # and a null source_file in each of the 3 train articles
    assert len(report.problems) == CLAIMS + 3 and report.truncated is False
    for name in ("extractor", "check_worthiness"):
        edit_column(every_text_changed, CLAIMS_TRAIN, name, lambda values: [None] * len(values))
    seal(every_text_changed, CLAIMS_TRAIN)
    report = verify_dataset(every_text_changed)
    assert len(report.problems) == 100 and report.truncated is True


def test_the_first_problems_are_the_first_of_the_whole_list(every_text_changed):
    whole = verify_dataset(every_text_changed, limit=1000).problems
    assert verify_dataset(every_text_changed, limit=3).problems == whole[:3]


def test_problems_come_in_check_order_then_file_then_row(dist):
    set_cell(dist, CLAIMS_TRAIN, "claim_type", 7, 9)  # values
    for row in (5, 2):
        set_cell(dist, CLAIMS_TRAIN, "char_start", row, 0)  # provenance (0 < char_end: still ordered)
    set_cell(dist, CLAIMS_VALIDATION, "char_start", 0, 0)
    edit_json(dist / "croissant.json", lambda c: file_object(c, SPEAKERS_TRAIN).update(sha256="0" * 64))  # croissant
    replace_in_card(dist, "\nlicense: other\n", "\nlicense: not-a-hub-license\n")  # card metadata
    # and, unsealed: hash problems of README.md, croissant.json and both claims shards (manifest)
    report = verify_dataset(dist, limit=1000)
    order = [check_of(p.code) for p in report.problems]
    assert order == sorted(order), "\n".join(str(p) for p in report.problems)
    assert {0, 2, 3, 4, 5} <= set(order)
    for code in {p.code for p in report.problems}:
        places = [(p.file, -1 if p.row is None else p.row) for p in report.problems if p.code == code]
        assert places == sorted(places), code
    offsets = [(p.file, p.row) for p in report.problems if p.code == "offset-mismatch" and p.field == "text"]
    assert offsets == [(CLAIMS_TRAIN, 2), (CLAIMS_TRAIN, 5), (CLAIMS_VALIDATION, 0)]


def _card_char_start_int32(dist: Path) -> None:
    def change(data: dict) -> None:
        (feature,) = [f for f in dataset_info(data, "claims")["features"] if f["name"] == "char_start"]
        feature["dtype"] = "int32"

    edit_card_yaml(dist, change)


def _null_name_and_extractor(dist: Path) -> None:
    set_cell(dist, SPEAKERS_TRAIN, "name", 0, None)
    set_cell(dist, CLAIMS_TRAIN, "extractor", 5, None)


@pytest.mark.parametrize(
    ("corrupt", "code"),
    [
        # One problem per claims shard: test, train, validation by file (not train, validation, test by split).
        pytest.param(_card_char_start_int32, "features-mismatch", id="card-check"),
        # One in speakers, one in claims: claims/ before speakers/ (not in the order the configs are read).
        pytest.param(_null_name_and_extractor, "null-required", id="values-check"),
    ],
)
def test_within_a_check_problems_go_by_file_then_row(dist, corrupt, code):
    corrupt(dist)
    places = [(p.file, -1 if p.row is None else p.row) for p in verify_dataset(dist).problems if p.code == code]
    assert len(places) >= 2
    assert places == sorted(places)


# JSON


def test_the_committed_schema_is_the_generated_one():
    from builder.schemas import SCHEMA_MODELS, render_schemas

    assert SCHEMA_MODELS.get("verify_report") is VerifyReport
    path = REPO / "schema" / "verify_report.schema.json"
    assert path.is_file(), "run 'factpack schema'"
    assert path.read_text(encoding="utf-8") == render_schemas()["verify_report.schema.json"]


def _validate(report: VerifyReport) -> None:
    schema = json.loads((REPO / "schema" / "verify_report.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    validator.validate(json.loads(report.model_dump_json()))


def test_a_clean_report_validates_against_the_schema(seed_dist):
    _validate(verify_dataset(seed_dist))


def test_a_report_full_of_problems_validates_against_the_schema(dist):
    (dist / "croissant.json").unlink()
    (dist / "notes.txt").write_text("stray\n", encoding="utf-8")
    set_cell(dist, CLAIMS_TRAIN, "claim_type", 5, 9)
    report = verify_dataset(dist)
    assert {p.row for p in report.problems} >= {None, 5}
    _validate(report)
    assert VerifyReport.model_validate_json(report.model_dump_json()) == report


def test_the_schema_rejects_what_is_no_report():
    schema = json.loads((REPO / "schema" / "verify_report.schema.json").read_text(encoding="utf-8"))
    bad = {"dist": "d", "ok": True, "problems": [{"code": "Not A Code", "file": "x", "note": "n"}], "truncated": False}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**bad, "checked": {}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"dist": "d", "ok": True})
