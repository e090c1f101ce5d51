"""The suite itself: warnings are errors, and tests assert behaviour, never time (README › Contributing).

A test may still guard against hanging forever: a deadline, a timeout or :func:`conftest.finishes_within` of at
least ``FLOOR`` seconds, far above what any step takes, so that only a hang (or a step gone quadratic) reaches it.
What it may not do is bound how long something took: ``assert elapsed < 2``, ``assert time.monotonic() - start < 5``,
``assert report.wall_seconds < 1``, a short ``timeout=``, or hypothesis's default 200 ms deadline per example.
The sources are read, not run, so a check here costs nothing and sees tests that only run on other machines.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO

TESTS = REPO / "tests"
FLOOR = 10.0
"""Seconds: a shorter bound on time is a timed test, not a guard against hanging."""

_CLOCKS = {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "process_time",
           "process_time_ns", "thread_time", "thread_time_ns"}  # fmt: skip
_SECONDS = re.compile(r"(^|_)(seconds|elapsed|duration|took)$")


def _test_sources() -> list[Path]:
    return sorted(path for path in TESTS.rglob("*.py") if "__pycache__" not in path.parts)


def _literal(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _constants(tree: ast.Module) -> dict[str, float]:
    """Module-level ``NAME = <number>`` assignments."""
    found = {}
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, int | float)
            and not isinstance(value.value, bool)
        ):
            for target in targets:
                if isinstance(target, ast.Name):
                    found[target.id] = float(value.value)
    return found


@dataclass
class Time:
    """What a value is, as far as time goes: a clock reading, a deadline (a reading plus ``slack`` seconds, None
    when the slack cannot be resolved to a number), or a duration."""

    kind: str
    slack: float | None = None


@dataclass
class _Module:
    path: Path
    tree: ast.Module
    constants: dict[str, float]
    modules: dict[str, dict[str, float]]  # constants of the test modules it imports, by the name it imports them as
    clocks: set[str] = field(default_factory=set)  # names bound to time's clock functions (from time import ...)
    problems: list[str] = field(default_factory=list)

    def where(self, node: ast.AST) -> str:
        name = self.path.relative_to(REPO).as_posix() if self.path.is_relative_to(REPO) else self.path.name
        return f"{name}:{getattr(node, 'lineno', 0)}"

    def number(self, node: ast.expr) -> float | None:
        if _literal(node) is not None:
            return _literal(node)
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return self.modules.get(node.value.id, {}).get(node.attr)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):
            left, right = self.number(node.left), self.number(node.right)
            if left is not None and right is not None:
                return left * right if isinstance(node.op, ast.Mult) else left + right
        return None

    def is_clock(self, node: ast.expr) -> bool:
        if not isinstance(node, ast.Call):
            return False
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in _CLOCKS:
            return isinstance(function.value, ast.Name) and function.value.id == "time"
        return isinstance(function, ast.Name) and function.id in self.clocks


def _time_of(module: _Module, node: ast.expr, names: dict[str, Time]) -> Time | None:
    if module.is_clock(node):
        return Time("clock")
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and _SECONDS.search(node.attr):
        return Time("duration")
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return Time("duration") if _SECONDS.search(node.slice.value) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min", "abs"):
        found = [t for t in (_time_of(module, arg, names) for arg in node.args) if t is not None]
        return found[0] if found else None
    if isinstance(node, ast.BinOp):
        left, right = _time_of(module, node.left, names), _time_of(module, node.right, names)
        if isinstance(node.op, ast.Add) and (left, right) != (None, None):
            if left is not None and left.kind == "clock" and right is None:
                return Time("deadline", module.number(node.right))
            if right is not None and right.kind == "clock" and left is None:
                return Time("deadline", module.number(node.left))
        if (left, right) != (None, None):
            return Time("duration")
    return None


def _bounds(test: ast.expr, failing: bool) -> Iterator[tuple[ast.expr, ast.expr]]:
    """(value, bound) for each ``value <= bound`` a condition requires: an assert's test holds; an ``if`` that
    fails the test holds its negation."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from _bounds(test.operand, not failing)
        return
    if isinstance(test, ast.BoolOp):
        for value in test.values:
            yield from _bounds(value, failing)
        return
    if not isinstance(test, ast.Compare):
        return
    operands = [test.left, *test.comparators]
    for op, left, right in zip(test.ops, operands[:-1], operands[1:], strict=True):
        below = isinstance(op, ast.Lt | ast.LtE)
        if isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE):
            yield (left, right) if below != failing else (right, left)


def _fails(body: list[ast.stmt]) -> bool:
    """Whether a block raises or calls pytest.fail."""
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "fail":
            return True
    return False


def _visit(module: _Module, node: ast.AST, names: dict[str, Time], in_raises: bool = False) -> None:
    """Walk ``node`` in source order, following which names hold times; a function gets a copy of its
    enclosing names."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        inner = dict(names)
        for statement in node.body:
            _visit(module, statement, inner)
        return
    if isinstance(node, ast.With) and any(_is_raises(item.context_expr) for item in node.items):
        for statement in node.body:
            _visit(module, statement, names, in_raises=True)
        return
    if isinstance(node, ast.Assert):
        _check_condition(module, node, node.test, names, failing=False)
    elif isinstance(node, ast.If) and _fails(node.body):
        _check_condition(module, node, node.test, names, failing=True)
    elif isinstance(node, ast.Call):
        _check_call(module, node, in_raises)
    for child in ast.iter_child_nodes(node):
        _visit(module, child, names, in_raises)
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value is not None:
        value = _time_of(module, node.value, names)
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            if isinstance(target, ast.Name):
                if value is None:
                    names.pop(target.id, None)
                else:
                    names[target.id] = value


def _is_raises(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "raises"


def _check_condition(module: _Module, node: ast.stmt, test: ast.expr, names: dict[str, Time], failing: bool) -> None:
    for value, bound in _bounds(test, failing):
        timed = _time_of(module, value, names)
        if timed is None:
            continue
        limit = _time_of(module, bound, names)
        slack = limit.slack if limit is not None and limit.kind == "deadline" else None
        if timed.kind == "duration" and limit is None:
            slack = module.number(bound)
        if slack is None or slack < FLOOR:
            module.problems.append(f"{module.where(node)}: bounds a time ({ast.unparse(test)})")


def _check_call(module: _Module, node: ast.Call, in_raises: bool) -> None:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if name == "finishes_within" and node.args and not in_raises:
        seconds = module.number(node.args[0])
        if seconds is None or seconds < FLOOR:
            module.problems.append(f"{module.where(node)}: finishes_within({ast.unparse(node.args[0])}) times a test")
    for keyword in node.keywords:
        if keyword.arg == "timeout" and name != "join":  # a join that times out returns; it fails nothing
            seconds = module.number(keyword.value)
            if seconds is not None and seconds < FLOOR:
                module.problems.append(f"{module.where(node)}: timeout={ast.unparse(keyword.value)} times a test")


def _module(path: Path) -> _Module:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = TESTS / f"{alias.name.replace('.', '/')}.py"
                if local.is_file():
                    modules[alias.asname or alias.name] = _constants(ast.parse(local.read_text(encoding="utf-8")))
    module = _Module(path, tree, _constants(tree), modules)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "time":
            module.clocks |= {alias.asname or alias.name for alias in node.names if alias.name in _CLOCKS}
    return module


def timed_assertions(path: Path) -> list[str]:
    """Every place in ``path`` where a test bounds how long something took."""
    module = _module(path)
    _visit(module, module.tree, {})
    return module.problems


def test_warnings_are_errors():
    options = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    filters = options["filterwarnings"]
    assert filters[0] == "error"
    # Each exception names the one message it lets through (never a whole category, never everything) ...
    assert all(re.fullmatch(r"ignore:[^:]+:\w+", entry) for entry in filters[1:]), filters
    # ... and nothing switches the filters off: the warnings plugin, or a -W given on every run.
    assert not re.search(r"(^|\s)(-p\s*no:warnings|-W|--pythonwarnings)", options["addopts"]), options["addopts"]


def test_no_test_ignores_a_whole_category_of_warnings():
    broad = []
    for path in _test_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("filterwarnings", "simplefilter"):
                first = node.args[0] if node.args else None
                text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
                if text is None or (text.startswith("ignore") and not re.fullmatch(r"ignore:[^:]+:.*", text)):
                    broad.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    assert broad == []


def test_no_test_bounds_how_long_something_took():
    found = [problem for path in _test_sources() for problem in timed_assertions(path)]
    assert found == [], "\n".join(found)


def test_every_hypothesis_test_has_no_deadline():
    """hypothesis fails an example that runs over 200 ms unless told otherwise: a test of time on a busy machine."""
    timed = []
    for path in _test_sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            calls = [d for d in node.decorator_list if isinstance(d, ast.Call) and isinstance(d.func, ast.Name)]
            if not any(call.func.id == "given" for call in calls):  # type: ignore[union-attr]
                continue
            settings = [call for call in calls if call.func.id == "settings"]  # type: ignore[union-attr]
            deadline = [k.value for call in settings for k in call.keywords if k.arg == "deadline"]
            if not (deadline and isinstance(deadline[0], ast.Constant) and deadline[0].value is None):
                timed.append(f"{path.relative_to(REPO).as_posix()}::{node.name}")
    assert timed == []


# The check itself, on made-up tests: what it flags and what it lets through.

TIMED = {
    "elapsed": "import time\ndef test_x():\n    t0 = time.monotonic()\n    run()\n    elapsed = time.monotonic() - t0\n"
    "    assert elapsed < 2\n",
    "inline": "import time\ndef test_x():\n    start = time.perf_counter()\n    run()\n"
    "    assert time.perf_counter() - start <= 5, 'slow'\n",
    "from-import": "from time import monotonic as now\ndef test_x():\n    t = now()\n    run()\n"
    "    assert now() - t < 1\n",
    "short deadline": "import time\ndef test_x():\n    deadline = time.monotonic() + 2\n    run()\n"
    "    assert time.monotonic() < deadline\n",
    "report seconds": "def test_x(report):\n    assert report.timings[0].wall_seconds < 1.5\n",
    "json seconds": "def test_x(data):\n    assert 0 <= data['cpu_seconds'] < 3\n",
    "if-fail": "import time\nimport pytest\ndef test_x():\n    t0 = time.time()\n    run()\n"
    "    if time.time() - t0 > 3:\n        pytest.fail('too slow')\n",
    "reversed": "import time\ndef test_x():\n    t0 = time.monotonic()\n    run()\n"
    "    assert 4 > time.monotonic() - t0\n",
    "short guard": "def test_x():\n    finishes_within(2, run)\n",
    "short timeout": "import subprocess\ndef test_x():\n    subprocess.run(['factpack'], timeout=3)\n",
}
GUARDS = {
    "hang deadline": "import time\nHANG = 600.0\ndef test_x():\n    deadline = time.monotonic() + HANG\n"
    "    while not done():\n        assert time.monotonic() < deadline, 'never stopped'\n",
    "if-raise deadline": "import time\ndef test_x():\n    deadline = time.monotonic() + 60\n    while True:\n"
    "        if time.monotonic() > deadline:\n            raise AssertionError('hung')\n",
    "lower bound": "def test_x(report):\n"
    "    assert all(t.wall_seconds >= 0 and t.cpu_seconds >= 0 for t in report.timings)\n",
    "long guard": "def test_x():\n    finishes_within(60, run)\n",
    "the guard's own test": "import pytest\ndef test_x():\n    with pytest.raises(pytest.fail.Exception):\n"
    "        finishes_within(0.5, slow)\n",
    "long timeout": "import subprocess\ndef test_x():\n    subprocess.run(['factpack'], timeout=300)\n",
    "join": "def test_x(thread):\n    thread.join(timeout=5)\n",
    "no time": "def test_x(report):\n    assert report.counts.claims < 100\n",
}


@pytest.mark.parametrize("source", TIMED.values(), ids=TIMED.keys())
def test_the_check_flags_a_bound_on_how_long_something_took(tmp_path, source):
    path = tmp_path / "test_made_up.py"
    path.write_text(source, encoding="utf-8")
    assert len(timed_assertions(path)) == 1


@pytest.mark.parametrize("source", GUARDS.values(), ids=GUARDS.keys())
def test_the_check_lets_a_guard_against_hanging_through(tmp_path, source):
    path = tmp_path / "test_made_up.py"
    path.write_text(source, encoding="utf-8")
    assert timed_assertions(path) == []
