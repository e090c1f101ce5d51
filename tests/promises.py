"""The promise register (``tests/PROMISES.md``) and what it must cover: every statement of the README, every
option of the command line, every published field. ``tests/test_promises.py`` holds the two to each other.

A README *statement* is one sentence of prose (a paragraph or a list item, split at sentence ends) or one row of
a table; fenced and indented code is not a statement. The register answers each statement with a row that
quotes a piece of it (the quote must occur in exactly one statement) and names the tests that fail when the
promise breaks, or says why the statement promises no behaviour (a measured figure, a pointer, an explanation).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
REGISTER = REPO / "tests" / "PROMISES.md"

NOT_A_PROMISE = "not a promise:"
"""How a register row that answers a statement without tests starts its second cell."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\w`\"“(*\[])")
_ABBREVIATIONS = ("e.g.", "i.e.", "Mr.", "Dr.", "vs.", "cf.", "etc.")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*]|\d+\.)\s+")
_TEST_REF = re.compile(r"^tests/[\w/]+\.py::\w+(?:::\w+)?$")


@dataclass(frozen=True)
class Statement:
    section: str
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the register: what it answers (a quote, an option or a field) and its tests or reason."""

    table: str
    subject: str
    tests: tuple[str, ...]
    reason: str | None


def normalise(text: str) -> str:
    return " ".join(text.split())


def sentences(paragraph: str) -> list[str]:
    pieces = _SENTENCE_END.split(normalise(paragraph))
    joined: list[str] = []
    for piece in pieces:
        if joined and joined[-1].endswith(_ABBREVIATIONS):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return [piece for piece in joined if piece]


def table_cells(line: str) -> list[str]:
    """The cells of a Markdown table row, ``\\|`` read as a literal bar."""
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def _is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\|?[\s:|-]+\|?", line.strip())) and "-" in line


def readme_statements(text: str) -> list[Statement]:
    statements: list[Statement] = []
    section = ""
    block: list[str] = []
    fenced = False
    previous_blank = True
    in_list = False

    def flush() -> None:
        if block:
            statements.extend(Statement(section, sentence) for sentence in sentences(" ".join(block)))
            block.clear()

    lines = text.splitlines()
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            fenced = not fenced
            previous_blank = False
            continue
        if fenced:
            continue
        if not stripped:
            flush()
            previous_blank = True
            continue
        if line.startswith("    ") and previous_blank and not in_list:
            continue  # an indented code block
        if stripped.startswith("#"):
            flush()
            section = stripped.lstrip("#").strip()
            in_list = False
        elif stripped.startswith("|"):
            flush()
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if not _is_separator(stripped) and not _is_separator(following):  # the header row names columns
                statements.append(Statement(section, normalise(" | ".join(table_cells(stripped)))))
        elif stripped.startswith("!["):
            flush()
        elif _LIST_ITEM.match(line):
            flush()
            in_list = True
            block.append(_LIST_ITEM.sub("", line))
        else:
            if previous_blank and not line.startswith(" "):
                in_list = False
            block.append(stripped)
        previous_blank = False
    flush()
    return statements


def register_rows(text: str) -> list[Row]:
    """Every data row of the register's tables, under the ``##`` heading it stands in."""
    rows: list[Row] = []
    table = ""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("## "):
            table = line.removeprefix("## ").strip()
        if not line.startswith("|") or _is_separator(line):
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if _is_separator(following):
            continue
        subject, answer = table_cells(line)[:2]
        subject = subject.strip("`") if table != "README" else subject
        if answer.startswith(NOT_A_PROMISE):
            rows.append(Row(table, subject, (), answer.removeprefix(NOT_A_PROMISE).strip()))
        else:
            refs = tuple(ref.strip().strip("`") for ref in answer.split(",") if ref.strip())
            rows.append(Row(table, subject, refs, None))
    return rows


@cache
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name.startswith("test_")
            )
    return frozenset(names)


def missing_test(ref: str) -> str | None:
    """Why ``ref`` (``tests/x.py::test_y``) names no test, or None when it does."""
    if not _TEST_REF.match(ref):
        return f"{ref!r} is not tests/<path>.py::<test>"
    path, name = ref.split("::", 1)
    file = REPO / path
    if not file.is_file():
        return f"{ref}: no file {path}"
    if name not in _test_names(file):
        return f"{ref}: {path} has no test {name}"
    return None


def cli_options() -> list[str]:
    """Every parameter of every command: ``factpack build --out``, ``factpack build RAW``."""
    import typer.main

    from builder.cli import app

    found: list[str] = []

    def walk(command: object, path: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is not None:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
            return
        for param in command.params:  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                found.append(" ".join([*path, param.name.upper()]))
            else:
                long = next(opt for opt in param.opts if opt.startswith("--"))
                found.append(" ".join([*path, long]))

    walk(typer.main.get_command(app), ["factpack"])
    return found


def published_fields() -> list[str]:
    """Every field a dataset folder publishes: each config's columns and their sub-fields
    (``claims.selector.exact``), each ``rejects.jsonl`` field, each top-level ``manifest.json`` field."""
    import typing

    from pydantic import BaseModel

    from builder.dataset_folder import CONFIGS
    from builder.models import BuildManifest, Rejection

    def model_in(annotation: object) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        for arg in typing.get_args(annotation):
            inner = model_in(arg)
            if inner is not None:
                return inner
        return None

    def fields(prefix: str, model: type[BaseModel], depth: int) -> list[str]:
        names: list[str] = []
        for name, info in model.model_fields.items():
            names.append(f"{prefix}.{name}")
            inner = model_in(info.annotation)
            if inner is not None and depth > 0:
                names.extend(fields(f"{prefix}.{name}", inner, depth - 1))
        return names

    found = [field for config, model in CONFIGS.items() for field in fields(config, model, 1)]
    found += fields("rejects", Rejection, 0)
    found += fields("manifest", BuildManifest, 0)
    return found
