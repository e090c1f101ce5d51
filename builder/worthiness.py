"""``factpack worthiness score``: check-worthiness of text outside a build, with the build's own code.

The input is one document: plain text, one sentence per line, or JSONL, one object per line with ``text`` and
optionally ``speaker`` and ``claim_type`` (a file whose first non-blank line starts with ``{`` is JSONL). Every
line is scored by :func:`builder.extract.worthiness.score_document`, as the build scores an article's claims: the
text's own features, plus ``attributed`` (a line with a speaker, of a type that is somebody's words) and
``questioner`` (its speaker asks in at least 15% of their lines). Blank lines are skipped; line numbers count
them. A line that cannot be scored stops the command with its number and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.errors import InputError
from builder.extract import extractor_id
from builder.extract.worthiness import document_features, score_of
from builder.models import ClaimType, ScoredText, ScoreReport

__all__ = ["score_file", "score_text"]

_TYPES = [kind.value for kind in ClaimType]


def score_file(path: Path | None, stdin: bytes | None = None) -> ScoreReport:
    """Score the lines of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None."""
    name = "-" if path is None else str(path)
    if path is None:
        data = stdin or b""
    else:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file; give a text file, one sentence per line, or - for stdin") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror}); check the path and its rights") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None
    return score_text(text, name)


def score_text(text: str, source: str = "-") -> ScoreReport:
    """Score the lines of ``text`` (one document), read as ``source`` names it in messages."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise InputError(
            f"{source}: no lines to score; give one sentence per line, or JSONL with a 'text' field per line"
        )
    jsonl = lines[0][1].lstrip().startswith("{")
    parsed = [_jsonl_line(source, number, line) if jsonl else (line, None, None) for number, line in lines]
    found = zip(lines, parsed, document_features(parsed), strict=True)
    scored = [
        ScoredText(
            line=number, text=sentence, speaker=speaker, claim_type=claim_type, score=score_of(terms), terms=terms
        )
        for (number, _), (sentence, speaker, claim_type), terms in found
    ]
    return ScoreReport(source=source, scorer=extractor_id(), scored=scored)


def _jsonl_line(source: str, number: int, line: str) -> tuple[str, str | None, str | None]:
    where = f"{source}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not JSON ({exc.msg}); give one JSON object per line") from None
    if not isinstance(record, dict):
        raise InputError(f'{where}: a JSON {type(record).__name__}, not an object; give {{"text": ...}}')
    text, speaker, claim_type = record.get("text"), record.get("speaker"), record.get("claim_type")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' (a non-empty string) to score")
    if speaker is not None and not isinstance(speaker, str):
        raise InputError(f"{where}: 'speaker' must be a string or null")
    if claim_type is not None and claim_type not in _TYPES:
        raise InputError(f"{where}: 'claim_type' {claim_type!r} is not one of {', '.join(_TYPES)}")
    return text, speaker or None, claim_type
