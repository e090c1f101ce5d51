"""The input format registry: one reader per suffix, named as the published ``input_format`` labels."""

from __future__ import annotations

from builder.formats import FORMAT_NAMES, FORMATS, accepted, companion_of, reader
from builder.models import InputFormat


def test_every_format_is_a_published_label_in_label_order():
    # input_format is a ClassLabel: a format's label index must never move, so the registry follows the enum.
    assert list(FORMAT_NAMES) == [member.value for member in InputFormat]
    for suffix, format_ in FORMATS.items():
        assert suffix == format_.suffix and suffix.startswith(".") and suffix == suffix.lower()
        assert reader(format_.name.value) is format_


def test_companions_belong_to_their_format():
    assert companion_of(".json") is FORMATS[".txt"]
    assert companion_of(".csv") is None


def test_the_accepted_shapes_read_as_a_list():
    assert accepted().startswith("*.txt (+ *.json sidecars)")
    last = list(FORMATS.values())[-1]
    assert accepted(" or ").endswith(f" or {last.shape}")
    assert all(format_.shape in accepted() for format_ in FORMATS.values())
