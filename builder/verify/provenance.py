"""Provenance: every claim, context, cue and selector is the article's text at its offsets, and so is each
resolution's mention; each antecedent is a span of the article text, and ``standalone`` is the claim's text with
its resolutions applied; with the raw folder, every article's text is the raw file it names, byte for byte.

Each claims shard is checked on its own, against the texts of the articles it names, read from its split's
article shards (claims never point into another split unless the data leaks, which the values check reports), only
the row groups that hold them: memory holds one shard's articles, and shards can be checked by processes of
their own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.dataset_folder import label_names
from builder.files import Stamp, stamp
from builder.formats import FORMAT_NAMES, reader
from builder.models import InputFormat
from builder.verify.dataset import Dataset, Problems, Shard
from builder.verify.values import misplaced_resolutions

__all__ = ["check_provenance", "check_raw", "check_shard_provenance", "check_shard_raw", "provenance_order"]

_PREFIX = 32  # characters of context a TextQuoteSelector keeps on each side

# (field, start, end) of every value that must equal text[start:end]; a None value is not checked.
_SLICES = (
    ("text", "char_start", "char_end"),
    ("context", "context_start", "context_end"),
    ("cue", "cue_start", "cue_end"),
)


_CLAIM_COLUMNS = [
    "article_id", "text", "char_start", "char_end", "context", "context_start", "context_end",
    "cue", "cue_start", "cue_end", "speaker_start", "speaker_end", "selector",
    "claim_id", "standalone", "resolutions",
]  # fmt: skip


def check_provenance(dataset: Dataset, problems: Problems) -> int:
    """Check every claims shard against the article texts; returns the claims checked."""
    return sum(check_shard_provenance(dataset, shard, problems) for shard in provenance_order(dataset))


def provenance_order(dataset: Dataset) -> list[Shard]:
    """The claims shards, split by split."""
    splits = sorted({shard.split for shard in dataset.of("claims")}, key=str)
    return [shard for split in splits for shard in dataset.of("claims", split)]


def check_shard_provenance(
    dataset: Dataset, shard: Shard, problems: Problems, read_from: set[str] | None = None
) -> int:
    """Check one claims shard against the texts of the articles it names, read from its split's article shards
    (only the row groups that hold them); returns the claims checked. ``read_from`` gets the names of the article
    shards that held them."""
    if problems.full:
        return 0
    named: set[str] = set()
    for _, batch in shard.batches(["article_id"]):
        if "article_id" in batch.column_names:
            named.update(batch["article_id"].to_pylist())
    texts = _texts(dataset, shard.split, named, read_from if read_from is not None else set())
    checked = 0
    for first, batch in shard.batches(_CLAIM_COLUMNS):
        try:
            claims = batch.to_pylist()
        except UnicodeDecodeError as error:  # a flipped byte in a page of strings: the shard's hash says so too
            problems.add("shard-unreadable", shard.name, f"a string is not UTF-8 ({error}); re-download it")
            return checked
        for row, claim in enumerate(claims, start=first):
            text = texts.get(claim.get("article_id"))
            if text is not None:
                _check_claim(shard.name, row, claim, text, problems)
                checked += 1
    return checked


def _texts(dataset: Dataset, split: str | None, named: set[str], read_from: set[str]) -> dict[str, str]:
    """The texts of the ``named`` articles of ``split``; the shards that held them are added to ``read_from``."""
    texts: dict[str, str] = {}
    for shard in dataset.of("articles", split):
        rows: set[int] = set()
        for first, batch in shard.batches(["article_id"]):
            if "article_id" in batch.column_names:
                ids = batch["article_id"].to_pylist()
                rows.update(first + row for row, article in enumerate(ids) if article in named)
        if not rows:
            continue
        read_from.add(shard.name)
        for _, batch in shard.batches(["article_id", "text"], rows):
            if {"article_id", "text"} <= set(batch.column_names):
                pairs = zip(batch["article_id"].to_pylist(), batch["text"].to_pylist(), strict=True)
                texts.update((article, text) for article, text in pairs if article in named)
    return texts


def _differs(value: Any, text: str, start: Any, end: Any) -> str | None:
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return f"[{start}:{end}] is outside the article text of {len(text)} characters"
    if text[start:end] != value:
        return f"raw[{start}:{end}] differs"
    return None


def _check_claim(shard: str, row: int, claim: dict[str, Any], text: str, problems: Problems) -> None:
    for name, start, end in _SLICES:
        value = claim.get(name)
        if value is not None or name == "text":
            why = _differs(value, text, claim.get(start), claim.get(end))
            if why is not None:
                problems.add("offset-mismatch", shard, why, row=row, field=name)
    first, last = claim.get("speaker_start"), claim.get("speaker_end")
    # The speaker is the resolved name ("he" → "Jens Stoltenberg"), not a slice: only the mention's place is checked.
    if (first, last) != (None, None) and not (
        isinstance(first, int) and isinstance(last, int) and 0 <= first < last <= len(text)
    ):
        note = f"mention [{first}:{last}] is not a span of the article text of {len(text)} characters"
        problems.add("offset-mismatch", shard, note, row=row, field="speaker_start")
    _check_resolutions(shard, row, claim, text, problems)
    selector = claim.get("selector") or {}
    begin, finish = claim.get("char_start"), claim.get("char_end")
    if isinstance(begin, int) and isinstance(finish, int):
        expected = {
            "exact": text[begin:finish],
            "prefix": text[max(0, begin - _PREFIX) : begin],
            "suffix": text[finish : finish + _PREFIX],
        }
        for part, value in expected.items():
            if selector.get(part) != value:
                problems.add(
                    "offset-mismatch",
                    shard,
                    f"selector.{part} is not the raw text there",
                    row=row,
                    field=f"selector.{part}",
                )


def _check_resolutions(shard: str, row: int, claim: dict[str, Any], text: str, problems: Problems) -> None:
    """Each mention is the article text at its offsets and each antecedent a span of it; standalone is the text
    with the resolutions applied (checked only when their spans are in order: the values check reports them)."""
    resolutions: list[dict[str, Any]] = [r or {} for r in claim.get("resolutions") or []]
    named = f"claim {claim.get('claim_id')}: resolution"
    for at, resolution in enumerate(resolutions):
        start, end = resolution.get("start"), resolution.get("end")
        why = _differs(resolution.get("mention"), text, start, end)
        if why is not None:
            problems.add(
                "offset-mismatch", shard, f"{named} {at}'s mention: {why}", row=row, field="resolutions.mention"
            )
        first, last = resolution.get("antecedent_start"), resolution.get("antecedent_end")
        if not (isinstance(first, int) and isinstance(last, int) and 0 <= first < last <= len(text)):
            note = (
                f"{named} {at}'s antecedent [{first}:{last}] is not a span of the article text ({len(text)} characters)"
            )
            problems.add("offset-mismatch", shard, note, row=row, field="resolutions.antecedent_start")
    exact, standalone, begin = claim.get("text"), claim.get("standalone"), claim.get("char_start")
    if not isinstance(standalone, str) or not isinstance(exact, str) or not isinstance(begin, int):
        return  # a null is the values check's to report; a dataset from before standalone has no column
    # Standalone is judged against a text that is the article's, with spans in order; else what is wrong is the
    # text or the spans, which their own checks report, and one fault stays one problem.
    if _differs(exact, text, begin, claim.get("char_end")) or misplaced_resolutions(
        begin, claim.get("char_end"), resolutions
    ):
        return
    parts, done = [], 0
    for at, resolution in enumerate(resolutions):
        replacement = resolution.get("replacement")
        if not isinstance(replacement, str):
            note = f"{named} {at} has no replacement, so standalone cannot be the text with it applied"
            problems.add("standalone-mismatch", shard, note, row=row, field="standalone")
            return
        parts += [exact[done : resolution["start"] - begin], replacement]
        done = resolution["end"] - begin
    if standalone != "".join(parts) + exact[done:]:
        note = f"claim {claim.get('claim_id')}: standalone is not its text with its resolutions applied"
        problems.add("standalone-mismatch", shard, note, row=row, field="standalone")


def check_raw(dataset: Dataset, raw: Path, problems: Problems) -> int:
    """Each article's raw file exists and still holds the article (its format says how: the file's hash, or
    the hash of the text a line or row holds); returns the files checked."""
    checked: set[str] = set()
    for shard in dataset.of("articles"):
        checked |= check_shard_raw(shard, raw, problems)
    return len(checked)


def check_shard_raw(shard: Shard, raw: Path, problems: Problems, stamps: dict[str, Stamp] | None = None) -> set[str]:
    """:func:`check_raw` for the articles of one shard; the raw files it checked. ``stamps``, when given, gets
    each of them stamped before it is read."""
    checked: set[str] = set()
    wanted = ["source_file", "source_line", "sha256", "text", "encoding", "input_format"]
    formats = label_names(shard.features, ("input_format",)) or [name.value for name in InputFormat]
    for first, batch in shard.batches(wanted):
        if not {"source_file", "sha256", "text"} <= set(batch.column_names):
            continue
        for row, article in enumerate(batch.to_pylist(), start=first):
            source = article["source_file"]
            path = raw / str(source)
            if not path.is_file():
                problems.add("raw-missing", shard.name, f"{path} does not exist", row=row, field="source_file")
                continue
            checked.add(str(source))
            if stamps is not None and str(source) not in stamps:
                try:
                    stamps[str(source)] = stamp(path.stat())
                except OSError:
                    stamps[str(source)] = (-1, -1, -1, -1)  # no file has it: the record is never taken
            if not _holds(path, article, formats):
                note = f"{path} is not the article's raw text"
                problems.add("raw-hash-mismatch", shard.name, note, row=row, field="sha256")
    return checked


def _holds(path: Path, article: dict[str, Any], formats: list[str]) -> bool:
    label = article.get("input_format")
    name = formats[label] if isinstance(label, int) and 0 <= label < len(formats) else None
    if name not in FORMAT_NAMES:
        return False  # the values check reports the label; no format can say what the file should hold
    text, sha256, encoding = article["text"], article["sha256"], article.get("encoding") or "utf-8"
    try:
        return reader(name).holds(path, article.get("source_line"), text, sha256, encoding)
    except (OSError, ValueError):
        return False
