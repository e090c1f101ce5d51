from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest
from datasets import ClassLabel, Features, List, Value
from pydantic import BaseModel

from builder.features import arrow_schema, features_of, from_rows, plain_schema, to_batch, to_row, to_table
from builder.models import Article, Claim, ExcludedKind, Speaker


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Inner(BaseModel):
    n: int
    colour: Colour


class Sample(BaseModel):
    colours: list[Colour] = []
    name: str
    maybe: float | None
    flag: bool
    day: date
    tags: list[str]
    items: list[Inner]


def test_types_map_one_to_one():
    assert features_of(Sample) == Features(
        {
            "colours": List(ClassLabel(names=["red", "blue"])),
            "name": Value("string"),
            "maybe": Value("float64"),
            "flag": Value("bool"),
            "day": Value("date32"),
            "tags": List(Value("string")),
            "items": List({"n": Value("int64"), "colour": ClassLabel(names=["red", "blue"])}),
        }
    )


def test_enums_become_class_labels_in_declaration_order():
    kind = features_of(Article)["excluded"].feature["kind"]
    assert isinstance(kind, ClassLabel) and kind.names == [k.value for k in ExcludedKind]


def test_rows_hold_label_indices_and_tables_carry_features_metadata():
    record = Sample(
        name="x", maybe=None, flag=True, day=date(2020, 1, 2), tags=["a"], items=[Inner(n=1, colour="blue")]
    )
    assert to_row(record)["items"] == [{"n": 1, "colour": 1}]
    assert to_row(record.model_copy(update={"colours": [Colour.BLUE, Colour.RED]}))["colours"] == [1, 0]
    table = to_table(Sample, [record])
    assert Features.from_arrow_schema(table.schema) == features_of(Sample)
    assert table.to_pylist()[0]["day"] == date(2020, 1, 2)


def test_claim_columns_follow_the_model():
    assert list(features_of(Claim)) == list(Claim.model_fields)


def test_an_unsupported_type_fails_loudly():
    class Bad(BaseModel):
        mapping: dict[str, int]

    with pytest.raises(TypeError, match="no published type"):
        features_of(Bad)


@pytest.mark.parametrize("model", [Claim, Article, Speaker])
def test_the_plain_schema_workers_use_is_the_published_one_without_metadata(model):
    assert plain_schema(model) == arrow_schema(model).remove_metadata()


def test_records_survive_a_trip_through_arrow():
    from builder.config import BuildConfig
    from builder.pipeline import extract_all
    from conftest import RAW

    extraction = extract_all(BuildConfig(raw_dir=RAW))
    for model, records in ((Article, extraction.articles), (Claim, extraction.claims)):
        assert from_rows(model, to_batch(model, records)) == records
