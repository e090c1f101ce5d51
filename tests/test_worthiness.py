"""``factpack worthiness score``: text scored outside a build, as the build scores it; bad input in one line."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import InputError
from builder.extract.worthiness import check_worthiness
from builder.worthiness import score_file, score_text

runner = CliRunner()

DEBATE = [
    {"text": "Good evening and welcome to the debate.", "speaker": "HOST"},
    {"text": "What will you do about jobs?", "speaker": "HOST"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "HOST"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "SMITH", "claim_type": "direct_quote"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "SMITH", "claim_type": "author_statement"},
    {"text": "We cut taxes for 3 million families."},
]


def jsonl(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_plain_lines_score_as_the_text_alone_with_blank_lines_counted_and_skipped(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_bytes(b"Unemployment fell to 4% last year.\r\n\r\nThank you.\r\nIt is an invasion.\n")
    report = score_file(path)
    assert [(item.line, item.text) for item in report.scored] == [
        (1, "Unemployment fell to 4% last year."),
        (3, "Thank you."),
        (4, "It is an invasion."),
    ]
    assert [item.score for item in report.scored] == [check_worthiness(item.text) for item in report.scored]
    assert report.source == str(path) and report.scorer.startswith("factpack-rules/")


def test_jsonl_lines_are_scored_with_who_says_them():
    scored = score_text(jsonl(DEBATE)).scored
    host, quoted, narrated = scored[2], scored[3], scored[4]
    text = "Unemployment fell to 4% last year."
    assert quoted.score == check_worthiness(text, attributed=True) > narrated.score == check_worthiness(text)
    assert host.score == check_worthiness(text, attributed=True, questioner=True) < narrated.score
    assert host.terms["questioner"] < 0 and quoted.terms["attributed"] > 0 and narrated.terms["attributed"] == 0
    for item in scored:
        assert round(1 / (1 + math.exp(-math.fsum(item.terms.values()))), 3) == item.score
    assert scored[5].speaker is None and scored[5].claim_type is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "-: no lines to score"),
        (b"  \n\t\n", "-: no lines to score"),
        (b"A line.\nAnother.\nCaf\xe9 au lait.\n", "-:3: not UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b'{"text": "ok"}\n{"text": \n', "-:2: not JSON"),
        (b'{"text": "ok"}\n["text"]\n', "-:2: a JSON list, not an object"),
        (b'{"text": "ok"}\n{"speaker": "A"}\n', "-:2: no 'text'"),
        (b'{"text": "  "}\n', "-:1: no 'text'"),
        (b'{"text": "ok", "speaker": 7}\n', "-:1: 'speaker' must be a string or null"),
        (b'{"text": "ok", "claim_type": "rumour"}\n', "-:1: 'claim_type' 'rumour' is not one of direct_quote"),
    ],
)
def test_bad_input_is_one_error_naming_the_line(data, message):
    with pytest.raises(InputError) as raised:
        score_file(None, data)
    assert str(raised.value).startswith(message)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        score_file(tmp_path / "absent.txt")


def test_the_command_prints_score_and_text_per_line_and_json_with_terms(tmp_path):
    path = tmp_path / "debate.jsonl"
    path.write_text(jsonl(DEBATE), encoding="utf-8")
    result = runner.invoke(app, ["worthiness", "score", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(DEBATE)
    assert lines[3] == f"{check_worthiness(DEBATE[3]['text'], attributed=True):.3f}\t{DEBATE[3]['text']}"
    report = json.loads(runner.invoke(app, ["worthiness", "score", str(path), "--json"]).stdout)
    assert [item["line"] for item in report["scored"]] == [1, 2, 3, 4, 5, 6]
    assert set(report["scored"][0]["terms"]) >= {"bias", "number", "attributed", "questioner"}
    piped = runner.invoke(app, ["worthiness", "score", "-"], input="Prices rose 5% in May.\n")
    assert piped.stdout == f"{check_worthiness('Prices rose 5% in May.'):.3f}\tPrices rose 5% in May.\n"


def test_the_command_answers_bad_input_with_one_line_and_exit_1(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff\xfe broken\n")
    result = runner.invoke(app, ["worthiness", "score", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {path}:1: not UTF-8 (byte 0xff); save the file as UTF-8"]
