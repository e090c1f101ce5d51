"""``factpack standalone``: each passage with its references resolved, by the resolver the build uses.

The input is plain text, one passage per line, or JSONL, one object per line with ``text`` (a file whose
first non-blank line starts with ``{`` is JSONL). Each passage is read on its own, as an article of one
paragraph: every third-person pronoun, short name and description it can resolve from the passage's own names
is resolved, even one whose antecedent is in the same sentence (a passage is context, not a claim: a build's
claim keeps "Smith said his …" as written). Offsets are into the passage. Blank lines are skipped; line numbers
count them.
"""

from __future__ import annotations

from pathlib import Path

from builder.errors import InputError
from builder.extract.standalone import resolve_passage
from builder.models import ResolvedPassage, StandaloneReport
from builder.passages import json_object, numbered_lines, read_source

__all__ = ["standalone_file", "standalone_text"]


def standalone_file(path: Path | None, stdin: bytes | None = None) -> StandaloneReport:
    """Resolve the passages of ``path``, or of ``stdin`` (the bytes of standard input) when ``path`` is None."""
    name, text = read_source(path, stdin, "a text file, one passage per line, or -")
    return standalone_text(text, name)


def standalone_text(text: str, source: str = "-") -> StandaloneReport:
    """Resolve the passages on the lines of ``text``, read as ``source`` names it in messages."""
    lines, jsonl = numbered_lines(text, source, "no passages", "passage")
    resolved = []
    for number, line in lines:
        passage = _passage(f"{source}:{number}", line) if jsonl else line
        standalone, resolutions = resolve_passage(passage)
        resolved.append(
            ResolvedPassage(line=number, text=passage, standalone=standalone, resolutions=list(resolutions))
        )
    return StandaloneReport(resolved=resolved)


def _passage(where: str, line: str) -> str:
    text = json_object(where, line).get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: no 'text' (a non-empty string) to resolve")
    return text
