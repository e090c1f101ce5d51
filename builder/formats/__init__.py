"""Input formats: one reader module per kind of file under ``raw/articles/``, found by its suffix.

===========  ==========================================================================================
``.txt``     :mod:`.txt`: the text as scraped, with an optional curated ``.json`` sidecar
``.jsonl``   :mod:`.jsonl`: one article per line (trafilatura, news-please, newspaper4k)
``.parquet`` :mod:`.parquet`: one article per row (news corpora on the Hugging Face Hub), read by row groups
===========  ==========================================================================================

A record's field names, factpack's or a crawler's, are read by :mod:`.fields`, the one table of them.

A format module builds one :class:`~builder.formats.base.InputReader`: how a file of its kind is listed into
units, how a unit is read into a :class:`~builder.models.RawArticle` (or every problem found), and how
``factpack verify --raw`` checks a published article against the file. A unit's cache key is its place and
the bytes it read (see :mod:`builder.work`), so a format says nothing of caching. To add a format: a module
here, its line in :data:`FORMATS`, and its member in :class:`~builder.models.InputFormat` (the published
``input_format`` label; append, never reorder).
"""

from __future__ import annotations

from builder.formats import jsonl, parquet, txt
from builder.formats.base import REFUSED, InputReader, Unit

__all__ = ["FORMATS", "FORMAT_NAMES", "REFUSED", "InputReader", "Unit", "accepted", "companion_of", "reader"]

FORMATS: dict[str, InputReader] = {module.READER.suffix: module.READER for module in (txt, jsonl, parquet)}
"""Every input format by file suffix, in the order their names are listed to users."""

_BY_NAME = {format_.name.value: format_ for format_ in FORMATS.values()}
FORMAT_NAMES = tuple(_BY_NAME)
"""The ``input_format`` names of the registered formats."""


def reader(name: str) -> InputReader:
    """The format of a unit (by its ``format``) or of a published article (by its ``input_format``)."""
    return _BY_NAME[name]


def companion_of(suffix: str) -> InputReader | None:
    """The format a file with ``suffix`` is read with (``.json`` → ``.txt``), if it is a companion file."""
    return next((format_ for format_ in FORMATS.values() if suffix in format_.companions), None)


def accepted(joiner: str = " and ") -> str:
    """The shapes of file factpack reads, for messages: ``*.txt (+ *.json sidecars), *.jsonl and *.parquet``."""
    shapes = [format_.shape for format_ in FORMATS.values()]
    return shapes[0] if len(shapes) == 1 else ", ".join(shapes[:-1]) + joiner + shapes[-1]
