from __future__ import annotations

import json

import pytest

from builder.config import LabelConfig
from builder.errors import ConfigError
from builder.labels import read_labels
from builder.labels.file import NewLabel, merge_labels_file, merge_lines
from builder.models import Label, LabelSelector

X, Y, Z = "0123456789abcdef", "fedcba9876543210", "00000000000000aa"
NAMES = frozenset({"000_x", "articles/000_x.txt", "000_x.txt"})


def new(claim_id: str, exact: str, **judgements: object) -> NewLabel:
    selector = LabelSelector(article="000_x", exact=exact, prefix="before ", suffix=" after")
    return NewLabel(label=Label(claim_id=claim_id, selector=selector, **judgements), article_names=NAMES)


def test_other_lines_keep_their_bytes_and_replaced_lines_their_place():
    old = (
        b'{"claim_id": "' + X.encode() + b'", "verdict": "true"}\r\n'
        b"{not json at all\n"
        b'\n'
        b'{"selector": {"article": "000_x.txt", "exact": "y said", "prefix": "before ", "suffix": " after"},'
        b' "verdict": "false"}\n'
        b'{"claim_id": "1111111111111111", "correction": "caf\xc3\xa9"}'
    )  # fmt: skip
    merged = merge_lines(old, [new(X, "x said", verdict="false"), new(Y, "y said", check_worthy=True), new(Z, "z")])
    lines = merged.data.split(b"\n")
    assert (merged.added, merged.replaced, merged.unchanged, merged.changed) == (1, 2, 0, True)
    assert json.loads(lines[0])["verdict"] == "false" and lines[0].endswith(b"\r")  # its CRLF kept
    assert lines[1:3] == [b"{not json at all", b""]
    assert json.loads(lines[3]) == {  # found by its selector: same quote, the article named by its file name
        "claim_id": Y,
        "selector": {"article": "000_x", "exact": "y said", "prefix": "before ", "suffix": " after"},
        "check_worthy": True,
    }
    assert lines[4] == b'{"claim_id": "1111111111111111", "correction": "caf\xc3\xa9"}'  # a newline added after it
    assert json.loads(lines[5])["claim_id"] == Z and lines[6:] == [b""]


def test_a_line_saying_the_same_is_left_alone_whatever_its_formatting():
    label = new(X, "x said", verdict="false")
    old = json.dumps(label.label.model_dump(), indent=1).replace("\n", " ").encode() + b"\n"
    merged = merge_lines(old, [label])
    assert (merged.unchanged, merged.changed, merged.data) == (1, False, old)


def test_the_line_a_label_came_from_is_found_only_while_it_still_says_so():
    # A curator's line anchored by a short selector: only the build's label_source ties it to the claim.
    old = b'{"selector": {"article": "000_x.txt", "exact": "x said"}, "verdict": "true"}\n'
    relabel = new(X, "x said", verdict="false")
    hinted = NewLabel(relabel.label, NAMES, source_line=1, current=(None, "true", None))
    assert (merge_lines(old, [hinted]).replaced, merge_lines(old, [hinted]).added) == (1, 0)
    edited = NewLabel(relabel.label, NAMES, source_line=1, current=(None, "misleading", None))
    assert (merge_lines(old, [edited]).replaced, merge_lines(old, [edited]).added) == (0, 1)
    elsewhere = NewLabel(relabel.label, frozenset({"001_y"}), source_line=1, current=(None, "true", None))
    assert merge_lines(old, [elsewhere]).added == 1
    beyond = NewLabel(relabel.label, NAMES, source_line=2, current=(None, "true", None))
    assert merge_lines(old, [beyond]).added == 1


def test_the_merged_file_reads_back_as_the_build_reads_it(tmp_path):
    path = tmp_path / "labels.jsonl"
    merge_labels_file(path, [new(X, "x said 😀", verdict="false", correction="é"), new(Y, "y", check_worthy=False)])
    labels, problems = read_labels(tmp_path, LabelConfig())
    assert problems == [] and [(line, label.claim_id) for line, label in labels] == [(1, X), (2, Y)]
    assert labels[0][1].selector.exact == "x said 😀"
    (tmp_path / "folder.jsonl").mkdir()
    with pytest.raises(ConfigError, match="not a file"):
        merge_labels_file(tmp_path / "folder.jsonl", [])
