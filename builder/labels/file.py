"""Merging new labels into ``raw/labels.jsonl`` without disturbing what curators wrote there.

* A label for a claim that already has a line **replaces that line in place**: the build accepts one label per
  claim (a second is reported and fails it), and an imported annotation starts from the claim's current label
  (the tasks pre-fill it), so the newest judgement is the whole label. The claim's line is, in this order:
  a line with the claim's ``claim_id``; the line the dataset says the claim's label came from (``label_source``),
  if that line still holds the same judgements about the same claim or article; a line with the claim's
  selector (same exact, prefix and suffix, on the same article by id, source file or file name).
* A line that says the same as the new label (same fields, whatever its formatting) is left as it is.
* Every other line, valid or not, keeps its bytes and its place; new labels are appended in the order given,
  one compact JSON object per line, null fields left out.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from builder.errors import ConfigError
from builder.files import write_bytes_atomic
from builder.models import Label, LabelSelector

__all__ = ["Judgements", "LabelMerge", "NewLabel", "merge_labels_file", "merge_lines"]

Judgements = tuple[bool | None, str | None, str | None]
"""check_worthy, verdict, correction."""


@dataclass(frozen=True, slots=True)
class NewLabel:
    """A label to merge, with what is known of its claim's current label.

    ``article_names`` are every name of the claim's article (id, source file, file name); ``source_line`` the
    1-based line of the labels file its current label came from, and ``current`` that label's judgements.
    """

    label: Label
    article_names: frozenset[str]
    source_line: int | None = None
    current: Judgements = (None, None, None)


@dataclass(frozen=True, slots=True)
class LabelMerge:
    """The merged file's bytes and what changed; ``changed`` is False when they equal the old bytes."""

    data: bytes
    added: int
    replaced: int
    unchanged: int
    changed: bool


def merge_labels_file(path: Path, labels: Sequence[NewLabel], *, write: bool = True) -> LabelMerge:
    """Merge ``labels`` into the labels file at ``path`` (created when missing); write it only when it changes."""
    if path.exists() and not path.is_file():
        raise ConfigError(f"{path}: is not a file; the labels file must be a JSON Lines file")
    try:
        old = path.read_bytes() if path.exists() else b""
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc}); check its permissions") from exc
    merged = merge_lines(old, labels)
    if write and merged.changed:
        write_bytes_atomic(path, merged.data)
    return merged


def merge_lines(old: bytes, labels: Sequence[NewLabel]) -> LabelMerge:
    """The merge itself, on the file's bytes: see the module docstring."""
    # Split on b"\n" alone, as the build reads the file, so line numbers agree with its label_source.
    lines = list(io.BytesIO(old))
    existing = [_parse(line) for line in lines]
    by_id: dict[str, list[int]] = {}
    by_selector: dict[tuple[str, str, str], list[tuple[int, str]]] = {}  # (line index, article name)
    for index, label in enumerate(existing):
        if label is not None and label.claim_id is not None:
            by_id.setdefault(label.claim_id, []).append(index)
        if label is not None and label.selector is not None:
            by_selector.setdefault(_quote(label.selector), []).append((index, label.selector.article))
    taken: set[int] = set()
    added = replaced = unchanged = 0
    appended: list[bytes] = []
    for new in labels:
        at = _line_of(new, existing, by_id, by_selector, taken)
        text = json.dumps(new.label.model_dump(mode="json", exclude_none=True), ensure_ascii=False).encode("utf-8")
        if at is None:
            appended.append(text + b"\n")
            added += 1
            continue
        taken.add(at)
        if existing[at] == new.label:
            unchanged += 1
            continue
        ending = lines[at][len(lines[at].rstrip(b"\r\n")) :]
        lines[at] = text + ending
        replaced += 1
    if appended and lines and not lines[-1].endswith(b"\n"):
        lines[-1] += b"\n"
    data = b"".join(lines + appended)
    return LabelMerge(data=data, added=added, replaced=replaced, unchanged=unchanged, changed=data != old)


def _parse(line: bytes) -> Label | None:
    """The label a line holds, or None for a line the build would report (kept as it is, matched by nothing)."""
    try:
        return Label.model_validate(json.loads(line.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError, ValidationError):
        return None


def _quote(selector: LabelSelector) -> tuple[str, str, str]:
    return selector.exact, selector.prefix, selector.suffix


def _line_of(
    new: NewLabel,
    existing: list[Label | None],
    by_id: dict[str, list[int]],
    by_selector: dict[tuple[str, str, str], list[tuple[int, str]]],
    taken: set[int],
) -> int | None:
    """The first line not yet replaced that labels the same claim (see the module docstring for the order)."""
    label = new.label
    for index in by_id.get(label.claim_id, []) if label.claim_id else []:
        if index not in taken:
            return index
    if new.source_line is not None and 0 < new.source_line <= len(existing):
        index = new.source_line - 1
        # The file may have been edited since the build: the line must still be the label the dataset holds.
        source = existing[index]
        if index not in taken and source is not None and _judgements(source) == new.current:
            same_claim = source.claim_id is not None and source.claim_id == label.claim_id
            if same_claim or (source.selector is not None and source.selector.article in new.article_names):
                return index
    if label.selector is not None:
        for index, article in by_selector.get(_quote(label.selector), []):
            if index not in taken and article in new.article_names:
                return index
    return None


def _judgements(label: Label) -> Judgements:
    return label.check_worthy, label.verdict, label.correction
