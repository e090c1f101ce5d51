"""The promise register is complete: every README statement, command-line option and published field is answered
in ``tests/PROMISES.md``, every test it names exists, and nothing it names has gone from the README or the code."""

from __future__ import annotations

from collections import Counter

import pytest

from promises import (
    README,
    REGISTER,
    Row,
    Statement,
    cli_options,
    missing_test,
    published_fields,
    readme_statements,
    register_rows,
    sentences,
)

TABLES = {"README", "Command-line options", "Published fields"}


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return register_rows(REGISTER.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def statements() -> list[Statement]:
    return readme_statements(README.read_text(encoding="utf-8"))


def test_the_register_has_only_its_three_tables(rows):
    assert {row.table for row in rows} == TABLES


def test_every_readme_statement_is_answered(rows, statements):
    quotes = [row.subject for row in rows if row.table == "README"]
    unanswered = [
        f"{statement.section}: {statement.text[:160]}"
        for statement in statements
        if not any(quote in statement.text for quote in quotes)
    ]
    assert unanswered == [], "README statements the register does not answer (add a row quoting each)"


def test_every_quote_occurs_in_exactly_one_statement(rows, statements):
    wrong = {}
    for row in rows:
        if row.table == "README":
            hits = [s.text[:80] for s in statements if row.subject in s.text]
            if len(hits) != 1:
                wrong[row.subject] = hits
    assert wrong == {}, "a quote must be a piece of one README statement (gone: []; several: make it longer)"


@pytest.mark.parametrize(
    ("table", "subjects"),
    [("Command-line options", cli_options), ("Published fields", published_fields)],
    ids=["option", "field"],
)
def test_every_option_and_published_field_is_answered_by_tests(rows, table, subjects):
    answered = {row.subject for row in rows if row.table == table and row.tests}
    listed = {row.subject for row in rows if row.table == table}
    existing = subjects()
    assert [subject for subject in existing if subject not in answered] == []
    assert sorted(listed - set(existing)) == [], f"the register's {table} names some the product no longer has"


def test_every_row_names_tests_that_exist_or_says_why_it_needs_none(rows):
    problems = [
        f"{row.table}: {row.subject}: no test and no reason" for row in rows if not row.tests and not row.reason
    ]
    problems += [
        f"{row.table}: {row.subject}: {why}" for row in rows for ref in row.tests if (why := missing_test(ref))
    ]
    assert problems == []


def test_options_and_fields_are_never_answered_without_a_test(rows):
    assert [row.subject for row in rows if row.table != "README" and not row.tests] == []


def test_each_subject_is_listed_once_in_its_table(rows):
    counts = Counter((row.table, row.subject) for row in rows)
    assert [subject for subject, n in counts.items() if n > 1] == []


README_SAMPLE = """# tool

Intro line one
goes on. Second sentence, e.g. this one, stays whole! Third?

## Use

```sh
tool run --fast    # never a statement
```

- A list item. Its second sentence
  wraps here.
- Another item.

Then code:

    indented code is not a statement

| command | what | exit |
|---|---|---|
| `tool run [--a\\|--b]` | runs | 0 |

![a picture](x.svg)
"""


def test_the_readme_is_read_as_sentences_list_items_and_table_rows():
    assert [(s.section, s.text) for s in readme_statements(README_SAMPLE)] == [
        ("tool", "Intro line one goes on."),
        ("tool", "Second sentence, e.g. this one, stays whole!"),
        ("tool", "Third?"),
        ("Use", "A list item."),
        ("Use", "Its second sentence wraps here."),
        ("Use", "Another item."),
        ("Use", "Then code:"),
        ("Use", "`tool run [--a|--b]` | runs | 0"),
    ]


def test_sentences_split_at_ends_but_not_after_abbreviations():
    assert sentences("One ends. two starts; Mr. Smith said i.e. nothing. `code` next") == [
        "One ends.",
        "two starts; Mr. Smith said i.e. nothing.",
        "`code` next",
    ]


REGISTER_SAMPLE = """# Register

## README

| promise | tests |
|---|---|
| Intro line one | `tests/test_cli.py::test_x`, tests/test_y.py::test_z |
| Third? | not a promise: a question |

## Command-line options

| option | tests |
|---|---|
| `factpack build --out` | tests/test_cli.py::test_x |
"""


def test_register_rows_are_read_with_their_table_tests_and_reasons():
    assert register_rows(REGISTER_SAMPLE) == [
        Row("README", "Intro line one", ("tests/test_cli.py::test_x", "tests/test_y.py::test_z"), None),
        Row("README", "Third?", (), "a question"),
        Row("Command-line options", "factpack build --out", ("tests/test_cli.py::test_x",), None),
    ]


def test_a_named_test_must_exist_in_its_file():
    assert missing_test("tests/test_promises.py::test_a_named_test_must_exist_in_its_file") is None
    assert "has no test" in (missing_test("tests/test_promises.py::test_nothing_of_the_kind") or "")
    assert "no file" in (missing_test("tests/test_nowhere.py::test_x") or "")
    assert "is not" in (missing_test("test_promises.py::test_x") or "")
