"""Shared fixtures. The Hugging Face stack runs offline with a private home, so nothing is fetched or reused."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hf_home import private_hf_home

# Read by huggingface_hub and datasets at import time: set before any test imports them.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = private_hf_home()
# The command line's default cache (builder.config.default_cache_dir) in the same private home, never the user's.
os.environ["XDG_CACHE_HOME"] = os.path.join(os.environ["HF_HOME"], "xdg-cache")
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"

import pytest

from builder.config import BuildConfig
from builder.extract.document import Document
from builder.models import Claim, ClaimType, InputFormat, RawArticle, TextQuoteSelector
from builder.pipeline import build

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
SEED_NAMES = sorted(p.stem for p in (RAW / "articles").glob("*.txt"))


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's raw/ folder."""
    target = tmp_path / "raw"
    shutil.copytree(RAW, target)
    return target


@pytest.fixture(scope="session")
def seed_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset built once from the repository's raw/ (tests must not modify it)."""
    out = tmp_path_factory.mktemp("seed") / "dist"
    build(BuildConfig(raw_dir=RAW, out_dir=out))
    return out


def write_article(raw: Path, name: str, text: str | bytes, sidecar: str | None = None) -> Path:
    """Write raw/articles/<name>.txt (and its sidecar when given)."""
    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    if sidecar is not None:
        (folder / f"{name}.json").write_text(sidecar, encoding="utf-8")
    return path


def raw_article(text: str) -> RawArticle:
    """An in-memory article as ingest would yield it for a text file without sidecar."""
    return RawArticle(
        article_id="a",
        source_file="articles/a.txt",
        source_line=None,
        input_format=InputFormat.TXT,
        text=text,
        sha256="0" * 64,
        metadata={},
        metadata_file=None,
    )


COLD_WAR_FACTCHECK = {
    "@type": "ClaimReview",
    "url": "https://factcheck.example.org/cold-war",
    "claimReviewed": "Even in the cold war Norway had a working relationship with Russia on many issues",
    "reviewRating": {"alternateName": "True"},
    "itemReviewed": {"author": {"name": "Jens Stoltenberg"}},
}
"""A published fact-check of the seed's cold-war claim (TASS and RBC carry it): the seed built with it in
raw/factchecks/ has a factcheck_matches config."""


def extracted(text: str) -> list[Claim]:
    """The claims of an in-memory text article, cleaned, validated and extracted with the default options."""
    from builder.clean import clean_article
    from builder.config import CleanConfig, ExtractConfig
    from builder.extract import extract_claims
    from builder.models import Article
    from builder.validate import validate_article

    article = validate_article(clean_article(raw_article(text), CleanConfig()))
    assert isinstance(article, Article)
    return list(extract_claims(article, ExtractConfig()))


def document_of(*paragraphs: str) -> Document:
    """A document whose paragraphs are the given strings joined by blank lines."""
    text = "\n\n".join(paragraphs)
    spans, at = [], 0
    for paragraph in paragraphs:
        spans.append((at, at + len(paragraph)))
        at += len(paragraph) + 2
    return Document.from_spans(text, spans)


def rows_of(dist: Path, config: str) -> list[dict]:
    """Every row of a config, all splits, as read straight from its parquet shards (ClassLabels as integers)."""
    import pyarrow.parquet as pq

    return [row for shard in sorted((dist / config).glob("*.parquet")) for row in pq.read_table(shard).to_pylist()]


def make_claim(article_id: str, text: str, start: int = 0, **fields: object) -> Claim:
    """A claim with every required field filled, for the global stages' tests."""
    sha = hashlib.sha256(article_id.encode()).hexdigest()
    values: dict[str, object] = {
        "claim_id": hashlib.sha256(f"{sha}:{start}:{text}".encode()).hexdigest()[:16],
        "article_id": article_id,
        "claim_type": ClaimType.AUTHOR_STATEMENT,
        "text": text,
        "char_start": start,
        "char_end": start + len(text),
        "context": text,
        "context_start": start,
        "context_end": start + len(text),
        "selector": TextQuoteSelector(exact=text, prefix="", suffix=""),
        "sentence_index": 0,
        "paragraph_index": 0,
        "check_worthiness": 0.5,
        "source_file": f"articles/{article_id}.txt",
        "article_sha256": sha,
        "extractor": "test",
    }
    values.update(fields)
    return Claim.model_validate(values)


def finishes_within(seconds: float, *functions: Callable[[], object]) -> None:
    """Run each of ``functions`` in a forked child process, side by side, and fail if one raises or uses more than
    ``seconds`` of CPU: a linear-time guard whose code turned quadratic then fails the suite instead of hanging it.

    CPU time, not time on the clock: a busy machine (other builds, other tests) stretches the second and not the
    first, so the bound holds on any machine. A function that waits instead of computing (a sleep, a lock) is
    stopped once ten times ``seconds`` have passed on the clock."""
    import math
    import multiprocessing
    import resource
    import signal
    import time
    import traceback

    def run(function: Callable[[], object], sender: Any) -> None:
        limit = math.ceil(seconds)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # ended by its CPU limit: no core file left behind
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))  # SIGXCPU at the limit, SIGKILL a second on
        try:
            function()
        except BaseException:  # the child reports any failure, then exits
            sender.send(traceback.format_exc())
        else:
            sender.send(None)

    fork = multiprocessing.get_context("fork")
    children = []
    for function in functions:
        receiver, sender = fork.Pipe(duplex=False)
        child = fork.Process(target=run, args=(function, sender))
        child.start()
        sender.close()  # the child's end alone: its pipe reads as closed once it is gone
        children.append((child, receiver))
    deadline = time.monotonic() + 10 * seconds
    failures = []
    too_long = f"still running after {seconds} s of CPU: a linear step has become super-linear"
    for child, receiver in children:
        if not receiver.poll(max(0.0, deadline - time.monotonic())):
            for late, _ in children:
                late.kill()
                late.join()
            pytest.fail(f"{too_long} (or waiting: {10 * seconds} s on the clock)")
        try:
            failures.append(receiver.recv())
        except EOFError:  # ended without a word: by its CPU limit, or a crash
            child.join()
            over = child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL)
            failures.append(too_long if over else f"the child process ended with {child.exitcode}")
        child.join()
    for failure in failures:
        if failure is not None:
            pytest.fail(failure)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by POSIX path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_dataset(folder: Path, *, then_change: bool = True) -> tuple[Path, Path, dict[str, bytes]]:
    """A copy of raw/ in ``folder``, the dataset built from it in ``folder/dist`` and its files; with
    ``then_change``, the raw copy then loses an article, so that the next build would change the dataset."""
    raw, out = folder / "raw", folder / "dist"
    shutil.copytree(RAW, raw)
    build(BuildConfig(raw_dir=raw, out_dir=out))
    if then_change:
        for stale in (raw / "articles").glob("004_*"):
            stale.unlink()
    return raw, out, files_of(out)


@pytest.fixture(scope="module")
def seeds() -> list[Any]:
    """The seed articles as their workers hand them over (:class:`builder.packed.Packed`), in path order."""
    from builder.ingest import iter_raw
    from builder.packed import Packed
    from builder.stages import run_stages

    cfg = BuildConfig()
    packed = [run_stages(raw, cfg) for raw in iter_raw(RAW, cfg.ingest)]
    assert all(isinstance(item, Packed) for item in packed)
    return packed


def raw_with_variants(tmp_path: Path, count: int) -> Path:
    """A copy of the seeds' raw folder plus ``count`` variants of them (a first line of their own, their URLs
    made unique), so that builds have several batches and rebuilds articles to change."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    seeds = sorted((RAW / "articles").glob("*.txt"))
    for number in range(count):
        text = seeds[number % len(seeds)].read_text(encoding="utf-8")
        text = text.replace("https://www.themoscowtimes.com/", f"https://example.org/{number}/")  # URLs stay unique
        (raw / "articles" / f"variant_{number:02d}.txt").write_text(f"Variant {number}\n\n{text}", encoding="utf-8")
    return raw
