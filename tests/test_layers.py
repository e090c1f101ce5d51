"""Imports run one way, down the layers the README draws: a module imports only from its own layer or below.

A module of ``builder`` is placed by its first name (``builder.extract.attribution`` is in ``extract``). A new
module must be given a layer here, which is the moment to decide where it stands.
"""

from __future__ import annotations

import ast

from conftest import REPO

LAYERS: list[set[str]] = [
    # 0: records, options and primitives every layer may use
    {"version", "models", "config", "errors", "text", "features", "card_metadata", "cache", "urls", "dates"},
    {"files", "segment", "schemas", "swap", "timings", "passages", "learn", "kept"},
    # per-article reading and the dataset folder's layout
    {"formats", "clean", "validate", "extract", "sketch", "cluster", "dedupe", "dataset_folder", "match", "factchecks"},
    {"ingest", "packed", "link", "split", "labels"},
    # the stages composed: per article (worker side), then corpus-wide
    {"stages", "spool"},
    {"work", "assemble", "matches"},
    {"engines", "write"},
    # what reads a written dataset folder
    {"verify", "review", "inspect", "export", "unchanged"},
    {"pipeline", "hub_upload"},
    {"evaluate", "worthiness", "standalone", "matching"},
    # the faces: the public API and the command line
    {"__init__", "cli"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def room(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) for every import of a builder module, lazy ones included."""
    found = []
    for path in sorted((REPO / "builder").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "builder":
                found.append((module, node.module, node.lineno))  # "from builder import x": the package root
            elif isinstance(node, ast.Import):
                found.extend((module, a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "builder")
    return found


def test_every_module_has_a_layer():
    rooms = {room(".".join(p.relative_to(REPO).with_suffix("").parts)) for p in (REPO / "builder").rglob("*.py")}
    assert rooms - set(RANK) == set(), "give the new module a layer in tests/test_layers.py and the README"
    assert set(RANK) - rooms == set(), "a layer names a module that no longer exists"


def test_no_import_runs_up_the_layers():
    upward = [
        f"{source}:{line} imports {target}"
        for source, target, line in imports()
        if RANK[room(target)] > RANK[room(source)]
    ]
    assert upward == []


def test_modules_of_one_layer_do_not_import_each_other_in_a_circle():
    edges: dict[str, set[str]] = {}
    for source, target, _ in imports():
        if room(source) != room(target) and RANK[room(source)] == RANK[room(target)]:
            edges.setdefault(room(source), set()).add(room(target))
    for start in edges:
        seen, frontier = set(), set(edges[start])
        while frontier:
            node = frontier.pop()
            assert node != start, f"{start} reaches itself through its own layer"
            if node not in seen:
                seen.add(node)
                frontier |= edges.get(node, set())


def test_the_package_root_is_imported_by_no_module():
    # "from builder import __version__" in a stage climbs to the top: the version has a leaf module.
    assert [f"{s}:{line}" for s, t, line in imports() if t == "builder" and s != "builder"] == []
