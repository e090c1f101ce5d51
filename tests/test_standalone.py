"""``factpack standalone``: passages in, each passage's references resolved by the build's resolver, out."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import InputError
from builder.extract.standalone import resolve_passage
from builder.standalone import standalone_file, standalone_text

runner = CliRunner()

PASSAGE = (
    "Jens Stoltenberg leads NATO. He met Mr. Putin in Oslo on Monday. Stoltenberg called the talks with him frank."
)


def test_the_command_prints_each_passages_standalone_text(tmp_path):
    path = tmp_path / "passages.txt"
    path.write_text(f"{PASSAGE}\n\nNothing to resolve here.\n", encoding="utf-8")
    result = runner.invoke(app, ["standalone", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Jens Stoltenberg leads NATO. Jens Stoltenberg met Mr. Putin in Oslo on Monday. Stoltenberg called the talks "
        "with Mr. Putin frank.",
        "Nothing to resolve here.",
    ]


def test_json_is_one_document_with_every_passage_and_its_resolutions_as_the_issue_names_them():
    result = runner.invoke(app, ["standalone", "-", "--json"], input=json.dumps({"text": PASSAGE}) + "\n")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["resolved"]
    (passage,) = document["resolved"]
    assert list(passage) == ["line", "text", "standalone", "resolutions"]
    assert passage["line"] == 1 and passage["text"] == PASSAGE
    first = passage["resolutions"][0]
    assert list(first) == ["start", "end", "mention", "replacement", "antecedent_start", "antecedent_end", "kind"]
    assert first == {
        "start": PASSAGE.index("He"),
        "end": PASSAGE.index("He") + 2,
        "mention": "He",
        "replacement": "Jens Stoltenberg",
        "antecedent_start": 0,
        "antecedent_end": len("Jens Stoltenberg"),
        "kind": "pronoun",
    }
    for resolution in passage["resolutions"]:
        assert PASSAGE[resolution["start"] : resolution["end"]] == resolution["mention"]


def test_the_command_gives_what_the_build_gives():
    (passage,) = standalone_text(PASSAGE + "\n").resolved
    assert (passage.standalone, tuple(passage.resolutions)) == resolve_passage(PASSAGE)


def test_a_passage_resolves_a_pronoun_whose_antecedent_is_in_its_own_sentence():
    """A passage is context, not a claim: GAP-style input, where the name and the pronoun share a sentence."""
    (passage,) = standalone_text("Anna Berg said her budget was too small.\n").resolved
    assert passage.standalone == "Anna Berg said Anna Berg's budget was too small."


def test_blank_lines_are_skipped_and_counted():
    report = standalone_text("\nFirst line.\n\n  \nSecond line.\n")
    assert [(p.line, p.text) for p in report.resolved] == [(2, "First line."), (5, "Second line.")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "-: no passages"),
        (b"A line.\nCaf\xe9.\n", "-:2: not UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b'{"text": "ok"}\n{"text": \n', "-:2: not JSON"),
        (b'{"text": "ok"}\n{"speaker": "A"}\n', "-:2: no 'text' (a non-empty string) to resolve"),
    ],
)
def test_bad_input_is_one_error_naming_the_line(data, message):
    with pytest.raises(InputError) as raised:
        standalone_file(None, data)
    assert str(raised.value).startswith(message)


def test_the_command_answers_bad_input_with_one_line_and_exit_1(tmp_path):
    result = runner.invoke(app, ["standalone", str(tmp_path / "absent.txt")])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'absent.txt'}: no such file; give a text file, one passage per line, or -"
    ]
