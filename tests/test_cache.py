"""The caches never change what a build publishes: for every option and curated file that shapes the output, a
rebuild on a warm cache with it changed gives the bytes a cold build with it gives (README › Scale: Incremental).

One corpus makes every option matter: near-duplicate claims at the edges of the clustering options, a header whose
date only a deep enough search finds, a cp1252 text, a JSONL line near the size limit, a Parquet file, dates for the
temporal split. A case changes one option (or one curated file) after a build on a warm cache, and compares that
rebuild with a cold build, file by file; where the option matters on this corpus, it checks that the published rows
did change, so that a cache that ignored the change could not pass by accident.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.config import (
    BuildConfig,
    CleanConfig,
    ClusterConfig,
    ExtractConfig,
    IngestConfig,
    LabelConfig,
    LinkConfig,
    PublishConfig,
    SplitConfig,
    ValidateConfig,
)
from builder.pipeline import build
from conftest import files_of, rows_of

# Two claims (the complements of "said") at shingle-set Jaccard exactly 0.6, 9 of 12 shingles shared (3-word
# shingles; containment 0.75): one cluster at the default threshold 0.6.
NEAR = (
    "The council said the bridge over the Vistula will cost 40 million zloty and open in May.",
    "The council said the bridge over the Vistula will cost 45 million zloty and open in May.",
)
# A short claim 10/11 of whose shingles are in a longer one (Jaccard 0.4): one cluster by containment (0.8).
PART = "Ticket prices on the city trams will rise by ten percent from April."
WHOLE = (
    "Officials confirmed on Friday that ticket prices on the city trams will rise by ten percent from March, after a "
    "long dispute with the unions."
)


def article(title: str, dated: str, *body: str) -> str:
    return f"{title}\n\n{dated}\n\n" + "\n\n".join(body) + "\n"


TEXTS = {
    "bridge_a": article(
        "Bridge plan approved",
        "12 March 2021",
        f"WARSAW - {NEAR[0]}",
        '"This bridge will change the city," the mayor, Anna Nowak, told reporters on Monday.',
    ),
    "bridge_b": article(
        "Council backs bridge",
        "3 June 2022",
        NEAR[1],
        "Jan Kowalski, the opposition leader, said the cost would double before the work was done.",
    ),
    "trams_a": article("Tram fares up", "5 January 2020", PART, 'Nowak said: "Fares have not risen since 2015."'),
    "trams_b": article(
        "Unions end dispute",
        "8 January 2020",
        WHOLE,
        "The union said its members would vote on the deal next week.",
    ),
    # Its date line is the fifth line of the header: found by the default search (12 lines), not by one of 3.
    "deep_header": "Budget row deepens\nPolitics\nWarsaw desk\nBy Ewa Lis\n14 February 2019\n\n"
    "The finance minister said the deficit would reach 4 percent of output this year.\n\n"
    "Kowalski said the figures were wrong.\n",
}
LATIN = "Prices up\n\nThe shop said a loaf now costs \u00a32, up from \u00a31.50 in 2019.\n".encode("cp1252")
JSONL = [
    {
        "maintext": "Port expands\n\nThe port authority said container traffic grew by 12 percent in 2021.\n",
        "date_publish": "2022-01-10 08:00:00",
        "source_domain": "example.com",
    },
    {
        "maintext": "Rail losses\n\nThe auditors said the railway lost 3 million zloty a month.\n",
        "date_publish": "2022-02-11 09:30:00",
        "description": "A summary no claim is read from. " * 40,  # news-please's: read past
    },
]
PARQUET = {
    "text": [
        "Airport traffic recovers\n\nThe airport said passenger numbers rose to 2 million in 2022.\n",
        "Coal plant to close\n\nThe energy ministry said the plant would close in 2030, five years early.\n",
    ],
    "date": ["2023-03-01", "2023-04-02"],
}
JSONL_LONG = len(json.dumps(JSONL[1]).encode("utf-8"))  # bytes of the long line, without its newline


def write_corpus(raw: Path) -> None:
    folder = raw / "articles"
    folder.mkdir(parents=True)
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "latin.txt").write_bytes(LATIN)
    (folder / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in JSONL), encoding="utf-8")
    pq.write_table(pa.table(PARQUET), folder / "wire.parquet")
    more = raw / "more"
    more.mkdir()
    for name in ("bridge_a", "trams_b"):
        (more / f"{name}.txt").write_text(TEXTS[name], encoding="utf-8")
    (raw / "people.json").write_text(
        json.dumps([{"name": "Jan Kowalski", "aliases": ["the opposition leader"], "speaker_id": "kowalski"}]),
        encoding="utf-8",
    )
    selector = {"article": "bridge_b.txt", "exact": "the cost would double before the work was done"}
    (raw / "judgements.jsonl").write_text(json.dumps({"selector": selector, "verdict": "disputed"}) + "\n")
    (raw / "meta.json").write_text(json.dumps({"pretty_name": "Cache test corpus", "license": "cc-by-4.0"}))
    (raw / "alt-model.json").write_text((fitted_model(raw.parent)).read_text(encoding="utf-8"), encoding="utf-8")


def fitted_model(folder: Path) -> Path:
    """A check-worthiness model fitted on made-up labels: figures are worth checking, courtesies are not."""
    from builder.worthiness import fit_model

    labels = folder / "model-labels.jsonl"
    rows = [
        {
            "text": f"Unemployment fell to {i}% in 2019." if i % 4 else f"Thank you all for coming {i}.",
            "label": bool(i % 4),
            "document": f"d{i % 6}",
        }
        for i in range(80)
    ]
    labels.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    fit_model(labels, out=folder / "model.json")
    return folder / "model.json"


BASE = {"validation": ValidateConfig(skip_invalid=True)}
"""The options of the first build: with --skip-invalid, since the cp1252 text is invalid without a fallback."""


@dataclass(frozen=True)
class Case:
    """One change after a warm build: options replaced (``options``) and/or the raw folder edited (``edit``);
    ``changes`` names what the change must alter on this corpus ('' when it need not)."""

    options: dict[str, Any] = field(default_factory=dict)
    edit: Callable[[Path], None] | None = None
    changes: str = ""
    base: dict[str, Any] = field(default_factory=dict)


def _replace(name: str, text: str) -> Callable[[Path], None]:
    def edit(raw: Path) -> None:
        (raw / name).write_text(text, encoding="utf-8")

    return edit


def _copy(source: str, target: str) -> Callable[[Path], None]:
    def edit(raw: Path) -> None:
        shutil.copyfile(raw / source, raw / target)

    return edit


def _rename(source: str, target: str) -> Callable[[Path], None]:
    def edit(raw: Path) -> None:
        (raw / source).rename(raw / target)

    return edit


def _insert_line(name: str, record: dict[str, Any]) -> Callable[[Path], None]:
    def edit(raw: Path) -> None:
        path = raw / name
        path.write_text(json.dumps(record) + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

    return edit


def _reverse_rows(name: str) -> Callable[[Path], None]:
    def edit(raw: Path) -> None:
        table = pq.read_table(raw / name)
        pq.write_table(table.take(list(range(table.num_rows))[::-1]), raw / name)

    return edit


CASES = {
    # Clustering: every field of ClusterConfig.
    "cluster-threshold": Case({"cluster": ClusterConfig(threshold=0.61)}, changes="claims"),
    "cluster-containment": Case({"cluster": ClusterConfig(containment=0.95)}, changes="claims"),
    "cluster-min-containment-shingles": Case({"cluster": ClusterConfig(min_containment_shingles=12)}, changes="claims"),
    "cluster-shingle-words": Case({"cluster": ClusterConfig(shingle_words=6)}, changes="claims"),
    "cluster-bands": Case({"cluster": ClusterConfig(bands=4)}, changes="claims"),
    "cluster-num-perm": Case({"cluster": ClusterConfig(num_perm=128, bands=64)}),
    # Splits.
    "split-temporal": Case({"split": SplitConfig(mode="temporal")}, changes="articles"),
    "split-ratios": Case({"split": SplitConfig(train=0.2, validation=0.4, test=0.4)}, changes="articles"),
    # Reading, cleaning, extracting.
    "max-bytes": Case({"ingest": IngestConfig(max_bytes=JSONL_LONG - 1)}, changes="rejects"),
    "encoding-fallback-on": Case({"ingest": IngestConfig(encoding_fallback="cp1252")}, changes="articles"),
    "encoding-fallback-off": Case(
        {"ingest": IngestConfig()}, base={"ingest": IngestConfig(encoding_fallback="cp1252")}, changes="articles"
    ),
    "articles-dir": Case({"ingest": IngestConfig(articles_dir="more")}, changes="articles"),
    "header-lines": Case({"clean": CleanConfig(header_lines=3)}, changes="articles"),
    "min-chars": Case({"extract": ExtractConfig(min_chars=60)}, changes="claims"),
    "worthiness-model-option": Case({"extract": ExtractConfig(worthiness_model="alt-model.json")}, changes="claims"),
    "worthiness-model-added": Case(edit=_copy("alt-model.json", "worthiness-model.json"), changes="claims"),
    # Inputs whose bytes are unchanged but whose place moved: ids and provenance come from the place.
    "file-renamed": Case(edit=_rename("articles/trams_a.txt", "articles/fares.txt"), changes="articles"),
    "line-inserted-above": Case(
        edit=_insert_line("articles/feed.jsonl", {"text": "Fog\n\nThe airport said fog delayed 40 flights.\n"}),
        changes="articles",
    ),
    "rows-reordered": Case(edit=_reverse_rows("articles/wire.parquet"), changes="articles"),
    # Linking, labels, publishing.
    "speakers-file-option": Case({"link": LinkConfig(speakers_file="people.json")}, changes="claims"),
    "speakers-file-added": Case(edit=_copy("people.json", "speakers.json"), changes="claims"),
    "speakers-file-edited": Case(
        {"link": LinkConfig(speakers_file="people.json")},
        edit=_replace("people.json", json.dumps([{"name": "Jan Kowalski", "speaker_id": "jk", "qid": "Q42"}])),
        base={"link": LinkConfig(speakers_file="people.json")},
        changes="claims",
    ),
    "labels-file-option": Case({"labels": LabelConfig(labels_file="judgements.jsonl")}, changes="claims"),
    "labels-file-added": Case(edit=_copy("judgements.jsonl", "labels.jsonl"), changes="claims"),
    "metadata-file-option": Case({"publish": PublishConfig(metadata_file="meta.json")}, changes="card"),
    "max-shard-rows": Case({"publish": PublishConfig(max_shard_rows=3)}, changes="files"),
    # An article kept without its bad metadata fields (--drop-bad-metadata): not cached, its fields dropped afresh.
    "drop-bad-metadata": Case(
        {"validation": ValidateConfig(skip_invalid=True, drop_bad_metadata=True)},
        edit=_replace("articles/trams_b.json", json.dumps({"published": "08/01/2020", "language": "polish"})),
        changes="rejects",
    ),
}


def published(dist: Path) -> dict[str, Any]:
    """What a user reads of a dataset folder, by part: each config's rows, the rejects, the card, the file list."""
    return {
        "claims": sorted(rows_of(dist, "claims"), key=lambda row: row["claim_id"]),
        "articles": sorted(rows_of(dist, "articles"), key=lambda row: row["article_id"]),
        "speakers": rows_of(dist, "speakers"),
        "rejects": (dist / "rejects.jsonl").read_text(encoding="utf-8"),
        "card": (dist / "README.md").read_text(encoding="utf-8"),
        "files": sorted(files_of(dist)),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw folder (tests copy it before editing it)."""
    raw = tmp_path_factory.mktemp("corpus") / "raw"
    write_corpus(raw)
    return raw


@pytest.fixture(scope="module")
def warm(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The dataset of the first build with the base options, and the cache it filled (tests copy it)."""
    folder = tmp_path_factory.mktemp("warm")
    report = build(BuildConfig(raw_dir=corpus, out_dir=folder / "dist", cache_dir=folder / "cache", **BASE))
    assert report.from_cache == 0 and report.counts.articles_rejected == 1  # the cp1252 text
    return folder / "dist", folder / "cache"


def test_the_corpus_clusters_at_the_edges_of_the_options(warm):
    dist, _ = warm
    size = {row["text"]: row["cluster_size"] for row in rows_of(dist, "claims")}
    # The claims are the complements of "said" and "confirmed ... that".
    near = [text.removeprefix("The council said ").removesuffix(".") for text in NEAR]
    whole = WHOLE.removeprefix("Officials confirmed on Friday that ").removesuffix(".")
    assert size[near[0]] == size[near[1]] == 2
    assert size[PART] == size[whole] == 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_warm_rebuild_with_a_changed_option_gives_the_bytes_of_a_cold_build(name, corpus, warm, tmp_path):
    case = CASES[name]
    raw = Path(shutil.copytree(corpus, tmp_path / "raw"))
    if case.base:
        cache = tmp_path / "cache"
        before = tmp_path / "before"
        build(BuildConfig(raw_dir=raw, out_dir=before, cache_dir=cache, **(BASE | case.base)))
    else:
        before, cache = warm[0], Path(shutil.copytree(warm[1], tmp_path / "cache"))
    if case.edit is not None:
        case.edit(raw)
    options = BASE | case.base | case.options
    rebuilt = build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "warm", cache_dir=cache, **options))
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "cold", **options))
    warm_files, cold_files = files_of(tmp_path / "warm"), files_of(tmp_path / "cold")
    assert sorted(warm_files) == sorted(cold_files)
    differing = [path for path in cold_files if warm_files[path] != cold_files[path]]
    assert differing == [], f"{name}: a warm rebuild differs from a cold build in {differing}"
    if case.changes:
        old, new = published(before), published(tmp_path / "cold")
        assert old[case.changes] != new[case.changes], f"{name} should change the {case.changes} on this corpus"
    if not ({"ingest", "clean", "extract", "cluster"} & case.options.keys() or case.edit):
        # The option is not a per-article one: the rebuild took every article from the cache.
        assert rebuilt.from_cache == rebuilt.counts.articles_accepted > 0


def test_a_sidecar_that_cannot_be_read_fails_a_warm_rebuild_as_it_fails_a_cold_one(tmp_path):
    from builder.errors import InvalidArticlesError

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "a.txt").write_text(TEXTS["trams_b"], encoding="utf-8")
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "before", cache_dir=tmp_path / "cache"))
    (raw / "articles" / "a.json").mkdir()  # a sidecar that cannot be read
    for cache in (None, tmp_path / "cache"):
        with pytest.raises(InvalidArticlesError, match=r"articles/a\.json"):
            build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "after", cache_dir=cache))


def test_an_article_with_dropped_fields_is_reported_the_same_by_every_build_warm_or_cold(tmp_path):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    (raw / "articles" / "a.txt").write_text(TEXTS["trams_b"], encoding="utf-8")
    (raw / "articles" / "a.json").write_text(json.dumps({"title": "Deal", "language": "polish"}), encoding="utf-8")
    (raw / "articles" / "b.txt").write_text(TEXTS["bridge_a"], encoding="utf-8")
    options = {"validation": ValidateConfig(drop_bad_metadata=True)}
    reports, folders = [], []
    for name, cache in (("cold", None), ("first", tmp_path / "cache"), ("warm", tmp_path / "cache")):
        reports.append(build(BuildConfig(raw_dir=raw, out_dir=tmp_path / name, cache_dir=cache, **options)))
        folders.append(files_of(tmp_path / name))
    assert folders[0] == folders[1] == folders[2]
    assert [report.from_cache for report in reports] == [0, 0, 1]  # b.txt only: a.txt is never cached
    dropped = [(r.file, r.loc, r.kept) for r in reports[2].rejections]
    assert dropped == [("articles/a.json", "language", True)]
    assert all(report.rejections == reports[0].rejections for report in reports)
    assert all(report.counts.fields_dropped == 1 for report in reports)


_WATCHED_BUILD = """
import json, os, sys
from pathlib import Path

cache = Path(sys.argv[3]).resolve()
events = []


def watch(event, args):
    # Every file opened for writing, and every rename, under the cache folder.
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path, mode, flags = os.fsdecode(args[0]), args[1], args[2] or 0
        writing = any(c in (mode or "") for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)
        if writing and Path(path).resolve().is_relative_to(cache):
            events.append(["write", str(Path(path).resolve())])
    elif event == "os.link":  # a file created whole under a temporary name, as writing one does
        events.append(["write", str(Path(os.fsdecode(args[1])).resolve())])
    elif event == "os.rename":
        events.append(["rename", str(Path(os.fsdecode(args[0])).resolve()), str(Path(os.fsdecode(args[1])).resolve())])


sys.addaudithook(watch)
import builder.unchanged
import builder.verify
from builder.config import BuildConfig

# The raw files copied a moment ago count as settled: the build is recorded, and so is verify's raw-file check.
builder.unchanged.FRESH_NS = builder.verify.FRESH_NS = 0
from builder.pipeline import build

build(BuildConfig(raw_dir=Path(sys.argv[1]), out_dir=Path(sys.argv[2]), cache_dir=cache, workers=1))
print(json.dumps(events))
"""


def test_cache_entries_appear_under_their_names_only_whole_by_a_rename_of_a_written_temporary_file(tmp_path):
    """Entries are never written in place: a build sharing the cache could otherwise read one half-written. (A torn
    entry is recomputed, so comparing outputs cannot tell the two apart; the build's own file calls can.)"""
    import subprocess
    import sys

    from conftest import RAW, REPO

    raw, cache = tmp_path / "raw", tmp_path / "cache"
    shutil.copytree(RAW / "articles", raw / "articles")
    result = subprocess.run(
        [sys.executable, "-c", _WATCHED_BUILD, str(raw), str(tmp_path / "dist"), str(cache)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout.splitlines()[-1])
    # The kept spool is whole by another rename: its folder's, swapped in (tests/test_kept.py).
    kept = {str(path.resolve()) for path in (cache / "spool").rglob("*") if path.is_file()}
    assert any(entry.endswith("kept.json") for entry in kept)
    files = {str(path.resolve()) for path in cache.rglob("*") if path.is_file()}
    entries = sorted(files - kept)
    # five articles; the clusters, matches and split
    assert len([entry for entry in entries if entry.endswith(".arrows")]) == 8
    shards = [entry for entry in entries if Path(entry).parent.parent.name == "shard"]
    assert len(shards) == 12  # six shards (claims and articles, a shard a split), each its bytes and its record
    verified = [entry for entry in entries if Path(entry).parent.parent.name == "verify"]
    # each shard's own values found clean (six shards and the speakers'), each claims shard's texts, and each
    # articles shard's raw files
    assert len(verified) == 7 + 3 + 3
    built = [entry for entry in entries if Path(entry).parent.name == "built"]
    assert len(built) == 1  # the record of what the build was made from (builder/unchanged.py)
    assert len(entries) == 8 + 12 + 13 + 1  # and no temporary left
    written = {event[1] for event in events if event[0] == "write"}
    renamed = {event[2]: event[1] for event in events if event[0] == "rename"}
    for entry in entries:
        assert entry not in written, f"{entry} was written under its own name"
        temporary = renamed[entry]
        assert temporary in written and Path(temporary).parent == Path(entry).parent


def test_the_code_fingerprint_covers_every_file_of_the_package_but_bytecode(tmp_path):
    """The card's template and the quality figures shape the output as the code does (a change to either alone
    must not be served from a cache)."""
    from builder.cache import package_fingerprint
    from conftest import REPO

    package = tmp_path / "builder"
    shutil.copytree(REPO / "builder", package, ignore=shutil.ignore_patterns("__pycache__"))
    before = package_fingerprint(package)
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    assert package_fingerprint(package) == before
    for name in ("write/card.md", "write/quality.json"):
        (package / name).write_bytes((package / name).read_bytes() + b"\n")
        assert package_fingerprint(package) != before, name
        before = package_fingerprint(package)
