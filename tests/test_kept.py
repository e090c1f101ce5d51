"""The kept spool: rows copied from it are the rows a spool appended afresh; a rebuild of the same folder takes
unchanged articles from it and publishes a clean build's bytes; a damaged or foreign one is not used."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder.work
from builder.config import BuildConfig
from builder.kept import KEPT_FORMAT, KeptRef, KeptSpool, KeySet, kept_folder, kept_keys
from builder.packed import Packed
from builder.pipeline import build
from builder.spool import Spool
from conftest import files_of, raw_with_variants

BANDS = BuildConfig().cluster.bands


def key_of(index: int) -> str:
    return hashlib.sha256(f"article {index}".encode()).hexdigest()


def kept_spool(seeds: list[Packed], scratch: Path) -> KeptSpool:
    spool = Spool(scratch / "first", BuildConfig())
    for index, item in enumerate(seeds):
        spool.append(item, item.summarized(), key_of(index))
    spool.close()
    spool.release()
    assert spool.keep(scratch / "kept")
    kept = KeptSpool.open(scratch / "kept", BANDS)
    assert kept is not None
    return kept


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


_order = st.lists(st.tuples(st.booleans(), st.integers(0, 4)), max_size=12)


@settings(deadline=None, max_examples=40)
@given(order=_order, whole_copies=st.booleans())
def test_rows_copied_from_the_kept_spool_are_the_rows_appended_afresh(seeds, tmp_path_factory, order, whole_copies):
    """Any order of kept articles (runs, gaps, repeats) among fresh ones gives every file a spool of the same
    articles appended afresh has, byte for byte; so do the arrays the corpus-wide stages read."""
    scratch = tmp_path_factory.mktemp("kept")
    kept = kept_spool(seeds, scratch)
    fresh, patched = Spool(scratch / "fresh", BuildConfig()), Spool(scratch / "patched", BuildConfig(), kept)
    for from_kept, index in order:
        item = seeds[index]
        key = key_of(index) if from_kept else ""
        fresh.append(item, item.summarized(), key)
        if from_kept:
            patched.append_kept(index, json.loads(kept.summary(index)))
        else:
            patched.append(item, item.summarized(), key)
    kernel_copy = os.copy_file_range
    if not whole_copies:  # the kernel's copy refused (another file system, an old kernel): read and written
        os.copy_file_range = _refused
    try:
        fresh.close()
        patched.close()
    finally:
        os.copy_file_range = kernel_copy
    fresh.release()
    patched.release()
    kept.close()
    assert folder_bytes(scratch / "patched") == folder_bytes(scratch / "fresh")
    for name in ("claim_ids", "claim_start", "article_of_claim", "outlet_of_claim", "row_digests", "speakers_of"):
        assert getattr(patched, name).tolist() == getattr(fresh, name).tolist(), name
    assert patched.content_digest == fresh.content_digest
    assert (patched.spoken, patched.titled, patched.typed) == (fresh.spoken, fresh.titled, fresh.typed)


@pytest.mark.parametrize(
    "order",
    [
        [(True, i) for i in range(5)],  # nothing changed: the kept files are taken whole
        [(True, i) for i in range(5)] + [(False, 2), (False, 0)],  # articles added after the others
        [(False, 1)] + [(True, i) for i in range(5)],  # one before them: copied
        [(True, i) for i in range(4)],  # the last one gone: copied
        [(True, i) for i in range(5)] + [(True, 2), (False, 1), (True, 3)],  # taken whole, then some again
    ],
)
@pytest.mark.parametrize("refused", ["", "record", "claims.arrows", "band-007.u64"])
def test_a_kept_spool_taken_whole_or_copied_gives_the_rows_appended_afresh(
    seeds, tmp_path, monkeypatch, order, refused
):
    """Taken whole by renaming its files, or copied: the same bytes; a rename or the record's removal refused
    (a folder this user cannot change, a bind mount) copies that file, or all of them."""
    kept = kept_spool(seeds, tmp_path)
    real_replace, real_consume = Path.replace, KeptSpool.consume

    def replace(self: Path, target: Path) -> Path:
        if self.name == refused:
            raise PermissionError(13, "Permission denied", str(self))
        return real_replace(self, target)

    def consume(self: KeptSpool) -> None:
        if refused == "record":
            raise PermissionError(13, "Permission denied", str(self.folder / "kept.json"))
        real_consume(self)

    monkeypatch.setattr(Path, "replace", replace)
    monkeypatch.setattr(KeptSpool, "consume", consume)
    fresh, patched = Spool(tmp_path / "fresh", BuildConfig()), Spool(tmp_path / "patched", BuildConfig(), kept)
    for from_kept, index in order:
        item = seeds[index]
        fresh.append(item, item.summarized(), key_of(index) if from_kept else "")
        if from_kept:
            patched.append_kept(index, json.loads(kept.summary(index)))
        else:
            patched.append(item, item.summarized())
    fresh.close()
    patched.close()
    fresh.release()
    patched.release()
    kept.close()
    monkeypatch.undo()
    assert folder_bytes(tmp_path / "patched") == folder_bytes(tmp_path / "fresh")
    taken = order[:5] == [(True, i) for i in range(5)] and refused != "record"
    assert (tmp_path / "kept" / "articles.arrows").exists() != taken
    assert KeptSpool.open(tmp_path / "kept", BANDS) is None if taken else KeptSpool.open(tmp_path / "kept", BANDS)


def _refused(*_args: object) -> int:
    raise OSError(18, "Invalid cross-device link")


def test_a_kept_spool_is_not_used_when_a_file_changed_is_missing_or_its_record_is_bad(seeds, tmp_path):
    kept = kept_spool(seeds, tmp_path)
    kept.close()
    folder = tmp_path / "kept"
    assert KeptSpool.open(folder, BANDS + 1) is None  # another band count
    keys = kept_keys(kept.ref)
    assert len(keys) == len(seeds) and all(bytes.fromhex(key_of(index)) in keys for index in range(len(seeds)))

    def copied_back() -> None:
        shutil.copytree(folder, folder.with_name("copy"))
        shutil.rmtree(folder)
        folder.with_name("copy").rename(folder)

    damages = {
        "truncated": lambda: (folder / "claims.arrows").write_bytes((folder / "claims.arrows").read_bytes()[:-8]),
        "a byte changed": lambda: _flip(folder / "sketch" / "band-007.u64"),
        "a byte changed, the time set back": lambda: _flip(folder / "summaries.bin", keep_time=True),
        "replaced by a copy": lambda: Path(shutil.copy2(folder / "claims.arrows", folder / "new")).replace(
            folder / "claims.arrows"
        ),
        "copied": copied_back,
        "missing": lambda: (folder / "sketch" / "exact.npy").unlink(),
        "record": lambda: (folder / "kept.json").write_text("{", encoding="utf-8"),
        "format": lambda: (folder / "kept.json").write_text(
            (folder / "kept.json").read_text(encoding="utf-8").replace(KEPT_FORMAT, "factpack-spool/0"),
            encoding="utf-8",
        ),
    }
    for number, (name, damage) in enumerate(damages.items()):
        scratch = tmp_path / f"damage-{number}"
        kept_spool(seeds, scratch).close()
        folder = scratch / "kept"
        assert KeptSpool.open(folder, BANDS) is not None, name
        damage()
        assert KeptSpool.open(folder, BANDS) is None, name


def _flip(path: Path, *, keep_time: bool = False) -> None:
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    if keep_time:  # as an archive or a copy keeping times would: only the change time still moves
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_worker_uses_only_the_kept_spool_the_driver_opened(seeds, tmp_path):
    """A worker's machine may hold another kept spool at the same path (a Ray node's own cache): it uses none."""
    kept = kept_spool(seeds, tmp_path)
    kept.close()
    assert len(kept_keys(kept.ref)) == len(seeds)
    another = KeptRef(kept.ref.folder, hashlib.sha256(b"another spool's keys").hexdigest())
    assert len(kept_keys(another)) == 0
    assert len(kept_keys(KeptRef(tmp_path / "nowhere", kept.ref.keys_digest))) == 0


@settings(deadline=None, max_examples=60)
@given(keys=st.lists(st.binary(min_size=32, max_size=32), max_size=40), probe=st.binary(min_size=32, max_size=32))
def test_a_key_set_finds_each_key_and_nothing_else(keys, probe):
    # keys sharing their first 8 bytes, so that the lookup must compare whole keys
    keys = keys + [key[:8] + bytes(24) for key in keys[:5]] + [probe[:8] + b"\xff" * 24]
    found = KeySet(np.frombuffer(b"".join(keys), dtype=np.uint8))
    for place, key in enumerate(keys):
        assert keys[found.index(key)] == key and key in found
        assert keys[found.index(key, hint=place)] == key and found.index(key, hint=place) == place
        assert keys[found.index(key, hint=len(keys) - 1 - place)] == key  # a wrong hint is only a first look
    assert found.index(probe) == -1 if probe not in keys else keys[found.index(probe)] == probe
    assert b"short" not in found


def test_a_kept_spool_is_kept_per_output_folder(tmp_path):
    cache = tmp_path / "cache"
    assert kept_folder(cache, tmp_path / "dist") != kept_folder(cache, tmp_path / "other")
    assert kept_folder(cache, tmp_path / "dist") == kept_folder(cache, tmp_path / "x" / ".." / "dist")


@pytest.fixture
def bigger_raw(tmp_path: Path) -> Path:
    """The seeds plus 12 variants."""
    return raw_with_variants(tmp_path, 12)


def _edits(raw: Path) -> list[tuple[str, object]]:
    articles = raw / "articles"

    def append(name: str) -> None:
        path = articles / name
        path.write_text(path.read_text(encoding="utf-8") + "\nThe mayor said the bridge would reopen.\n")

    variant = (articles / "variant_03.txt").read_text(encoding="utf-8")
    added = variant.replace("Variant 3", "Variant 99").replace("example.org/3/", "example.org/99/")
    names = sorted(path.name for path in articles.glob("*.txt"))
    return [
        ("nothing", lambda: None),
        ("one changed", lambda: append("variant_05.txt")),
        ("one removed", lambda: (articles / "variant_02.txt").unlink()),
        ("one added", lambda: (articles / "variant_99.txt").write_text(added, encoding="utf-8")),
        ("two moved in the order", lambda: (articles / "variant_09.txt").rename(articles / "a_first.txt")),
        ("first and last changed", lambda: [append(name) for name in (names[0], names[-1])]),
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_of_the_same_folder_takes_unchanged_rows_from_the_kept_spool(bigger_raw, tmp_path, workers):
    """After each edit, the rebuild reads no cached result of an unchanged article (they come from the kept spool)
    and publishes what a clean build of the same raw folder publishes."""
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache, workers=workers))
    for name, edit in _edits(bigger_raw):
        edit()
        articles = len(list((bigger_raw / "articles").glob("*.txt")))
        kept = KeptSpool.open(kept_folder(cache, out), BANDS)
        assert kept is not None
        kept.close()
        assert len(kept.keys) == articles - (name == "one added") + (name == "one removed"), name
        report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache, workers=workers))
        assert report.from_cache >= articles - 2, name
        clean = tmp_path / f"clean-{len(name)}"
        build(BuildConfig(raw_dir=bigger_raw, out_dir=clean))
        assert files_of(out) == files_of(clean), name
        shutil.rmtree(clean)


def test_an_unchanged_article_in_the_kept_spool_is_not_read_from_the_cache(bigger_raw, tmp_path, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    loaded: list[str] = []
    real = builder.work.Cache.load

    def counted(self: builder.work.Cache, key: str) -> object:
        if self.folder == cache:  # the per-article entries, not the corpus-wide stages' folders
            loaded.append(key)
        return real(self, key)

    monkeypatch.setattr(builder.work.Cache, "load", counted)
    changed = bigger_raw / "articles" / "variant_04.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe minister said taxes would fall.\n")
    report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert len(loaded) == 1  # the changed article's key, looked up and missed
    assert report.from_cache == report.counts.articles_seen - 1


def test_a_damaged_kept_spool_is_passed_over_and_replaced(bigger_raw, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    folder = kept_folder(cache, out)
    claims = folder / "claims.arrows"
    claims.write_bytes(claims.read_bytes()[: claims.stat().st_size // 2])
    assert KeptSpool.open(folder, BANDS) is None
    before = files_of(out)
    shutil.rmtree(cache / "built", ignore_errors=True)  # else the folder may be left as it is (builder/unchanged.py)
    report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert not report.unchanged
    assert report.from_cache == report.counts.articles_seen  # from the per-article cache instead
    assert files_of(out) == before
    assert KeptSpool.open(folder, BANDS) is not None  # the build kept its own in its place
    assert not [path for path in folder.parent.iterdir() if path.name.startswith(".")]  # no staging folder left


def test_another_output_folder_neither_uses_nor_replaces_a_folders_kept_spool(bigger_raw, tmp_path):
    cache = tmp_path / "cache"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "a", cache_dir=cache))
    record = (kept_folder(cache, tmp_path / "a") / "kept.json").read_bytes()
    (bigger_raw / "articles" / "variant_00.txt").unlink()
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "b", cache_dir=cache))
    assert (kept_folder(cache, tmp_path / "a") / "kept.json").read_bytes() == record
    first, second = (KeptSpool.open(kept_folder(cache, tmp_path / name), BANDS) for name in "ab")
    assert first is not None and second is not None
    assert len(second.keys) == len(first.keys) - 1
    first.close()
    second.close()


def test_a_spool_that_cannot_be_kept_does_not_fail_a_published_build(bigger_raw, tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "dist"
    cache.mkdir()
    (cache / "spool").write_text("not a folder", encoding="utf-8")  # where kept spools go cannot be made
    report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert report.counts.claims > 0 and (out / "manifest.json").is_file()
    assert (cache / "spool").read_text(encoding="utf-8") == "not a folder"


def test_a_build_that_fails_after_copying_from_the_kept_spool_discards_it(bigger_raw, tmp_path, monkeypatch):
    """A failure the kept spool may have caused leaves the next build to the checked per-article cache. (One that
    took the kept files whole has used them up whatever it fails on: its next build reads the cache too.)"""
    import builder.pipeline
    from builder.errors import InvalidArticlesError

    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    folder = kept_folder(cache, out)
    changed = bigger_raw / "articles" / "variant_06.txt"  # so that the rows are copied, not taken whole
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe mayor said the bridge would reopen.\n")
    (bigger_raw / "articles" / "broken.txt").write_bytes(b"\xff\xfe not text")
    with pytest.raises(InvalidArticlesError):  # of the raw folder's own making: the kept spool stays
        build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert (folder / "kept.json").is_file()
    (bigger_raw / "articles" / "broken.txt").unlink()

    def failing(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("a fault after the rows were copied")

    monkeypatch.setattr(builder.pipeline, "verify_timed", failing)
    with pytest.raises(RuntimeError):
        build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert not folder.exists()
    monkeypatch.undo()
    report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert report.from_cache == report.counts.articles_seen and (folder / "kept.json").is_file()
    clean = tmp_path / "clean"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=clean))
    assert files_of(out) == files_of(clean)


def test_a_build_failing_on_its_labels_after_taking_the_kept_spool_keeps_its_own(bigger_raw, tmp_path):
    """Labels only changed, with a bad line: the build took the kept files whole, then failed on the raw
    folder's own input; its spool is kept, and the next build, the line fixed, takes every article from it."""
    from builder.errors import LabelError

    cache, out = tmp_path / "cache", tmp_path / "dist"
    build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    labels = bigger_raw / "labels.jsonl"
    labels.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(LabelError):
        build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    kept = KeptSpool.open(kept_folder(cache, out), BANDS)
    assert kept is not None
    kept.close()
    labels.unlink()
    for entries in cache.glob("??"):  # the per-article cache emptied: every article can only come from the kept spool
        shutil.rmtree(entries)
    report = build(BuildConfig(raw_dir=bigger_raw, out_dir=out, cache_dir=cache))
    assert report.from_cache == report.counts.articles_seen
    build(BuildConfig(raw_dir=bigger_raw, out_dir=tmp_path / "clean"))
    assert files_of(out) == files_of(tmp_path / "clean")
