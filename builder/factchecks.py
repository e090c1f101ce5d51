"""Published fact-checks: the schema.org ClaimReview records under ``raw/factchecks/``, read into
:class:`~builder.models.FactCheck` records for claim matching, every problem a :class:`~builder.models.Rejection`.

What is read, file by file in path order (sub-folders included, hidden files skipped):

* ``*.json`` and ``*.jsonld``: JSON-LD as fact-checkers publish it: one ClaimReview object, a list of them, or an
  object with ``@graph``, of which the items whose ``@type`` is (or lists) ``ClaimReview`` are read and the other
  nodes (the ``WebPage``, the ``Organization``) passed over. A reference by ``@id`` alone to another node of the
  same graph (an ``itemReviewed`` pointing at its ``Claim``) is followed. Outside a graph, an object whose
  ``@type`` is another type is refused, since it was given as a fact-check. A syntax error refuses the whole file.
* ``*.jsonl``: one object per line with the same field names; a bad line is refused alone, the others read.

Fields are schema.org's compact names: ``claimReviewed`` and ``url`` (http or https) are required; ``headline``
(else ``name``), ``reviewRating`` (``alternateName``, else ``ratingValue`` out of ``bestRating``, between
``worstRating`` and ``bestRating`` when given), ``datePublished`` (ISO 8601, a date or a date-time whose date is
kept as written), ``author`` (an object with a ``name``, a list of them, or a name) and ``itemReviewed`` (a
``Claim`` whose ``author`` is the claimant) are read when given. Other fields are left unread, since publishers
add many (``@context``, ``sdPublisher``, ``image``); so are ``itemReviewed``'s date and appearances, which no
:class:`FactCheck` keeps. Texts are kept as written, only their surrounding white space trimmed.

A record is refused with one rejection per field at fault, each naming the file, the JSON Lines line (``None`` in
a JSON file), the field as the file names it (``reviewRating.ratingValue``; in a JSON file holding several
records, after the record's place: ``2.url``, ``@graph.1.url``) and the fix. A later record with the same URL as
one read is refused naming the first's source: each fact-check is read once.

Credentials follow the URL rule of :mod:`builder.urls`, as an article's do: the ``url`` loses its login
(``user:password@``) and its credential parameters (``?token=…``), the rest kept byte for byte, and what was
taken is counted into ``credentials`` when one is given (never a value); a text field holding such a URL (a
``claimReviewed`` quoting a link with a token) is refused, since texts are kept as written. No message quotes a
credential.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from builder.dates import read_date
from builder.files import os_reason, unencodable
from builder.models import FactCheck, HttpUrl, Rejection, Stage
from builder.models.base import in_future
from builder.urls import CredentialTally, credentials_in, mask, strip_credentials

__all__ = ["FACTCHECK_SUFFIXES", "read_factchecks"]

FACTCHECK_SUFFIXES = (".json", ".jsonld", ".jsonl")
"""The suffixes read (case-insensitively); a file of any other is refused."""

_BOM = codecs.BOM_UTF8
_HTTP_URL: TypeAdapter[str | None] = TypeAdapter(HttpUrl)
# The ISO 8601 shapes of builder.dates: a date read off one of them that is no calendar date gets that module's
# reason ("February 2024 has 29 days"); any other shape is refused for not being ISO.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_CLAIM_REVIEW = re.compile(r"(?:.*[:/#])?ClaimReview")
_ISO_FORMS = "an ISO 8601 date (2024-03-05) or date-time (2024-03-05T10:00:00Z)"


def read_factchecks(
    raw_dir: Path, folder: str = "factchecks", *, credentials: CredentialTally | None = None
) -> tuple[list[FactCheck], list[Rejection]]:
    """Every fact-check under ``raw_dir/folder`` in path order (then line, then place in the file), and every
    problem found; no folder: nothing, and no problem. ``credentials``, when given, counts what the URL rule took
    out of the URLs of the fact-checks returned."""
    root = raw_dir / folder
    if not root.exists():
        return [], []
    reader = _Reader(credentials if credentials is not None else CredentialTally())
    if not root.is_dir():
        reader.refuse(_Place(_rel(root, raw_dir)), "", f"not a folder; put the ClaimReview files in {folder}/")
        return reader.read, reader.problems
    real_root = root.resolve()
    for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue  # folders, and hidden files such as .DS_Store
        place = _Place(_rel(path, raw_dir))
        suffix = path.suffix.lower()
        if not path.resolve().is_relative_to(real_root):
            reader.refuse(place, "", f"points outside {folder}/ (a link to {path.resolve()}); copy the file in")
        elif suffix not in FACTCHECK_SUFFIXES:
            reader.refuse(place, "", f"not a fact-check file: {_read_here(folder)}")
        else:
            try:
                data = path.read_bytes()
            except OSError as exc:
                reader.refuse(place, "", f"cannot be read ({os_reason(exc)}); fix the file or remove it")
                continue
            if suffix == ".jsonl":
                reader.json_lines(place, data)
            else:
                reader.json_ld(place, data)
    return reader.read, reader.problems


def _rel(path: Path, raw_dir: Path) -> str:
    return path.relative_to(raw_dir).as_posix()


def _read_here(folder: str) -> str:
    return (
        f"{folder}/ holds schema.org ClaimReview as JSON-LD (*.json, *.jsonld) or JSON Lines (*.jsonl); "
        "rename the file if it is one, else move it out"
    )


@dataclass(frozen=True)
class _Place:
    """Where a record is: its file, its JSON Lines line, and its place in a JSON file (``2.`` or ``@graph.1.``)."""

    rel: str
    line: int | None = None
    prefix: str = ""

    @property
    def source(self) -> str:
        """The record's ``source`` and its rejections' ``article``: 'path' or 'path:line'."""
        return self.rel if self.line is None else f"{self.rel}:{self.line}"

    @property
    def named(self) -> str:
        """The record, for a message naming it: the source and, in a JSON file of several, its place."""
        return self.source + (f" (record {self.prefix.removesuffix('.')})" if self.prefix else "")


@dataclass
class _Reader:
    """What the files read so far gave: the fact-checks, the problems, and which source each URL was read from."""

    credentials: CredentialTally
    read: list[FactCheck] = field(default_factory=list)
    problems: list[Rejection] = field(default_factory=list)
    first_of_url: dict[str, _Place] = field(default_factory=dict)

    def refuse(self, place: _Place, loc: str, reason: str) -> None:
        self.problems.append(
            Rejection(
                file=place.rel,
                line=place.line,
                loc=(place.prefix + loc).removesuffix("."),
                reason=mask(reason),
                stage=Stage.FACTCHECKS,
                article=place.source,
            )
        )

    def json_ld(self, place: _Place, data: bytes) -> None:
        """A JSON-LD file: one ClaimReview, a list of them, or a graph holding some."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            reason = f"not valid UTF-8 at byte {exc.start} (line {line}); re-save the file as UTF-8"
            self.refuse(place, "", reason)
            return
        text = text.removeprefix("\ufeff")  # a byte order mark, as editors on Windows write one
        if not text.strip():
            self.refuse(place, "", "empty; put a ClaimReview in it, or remove the file")
            return
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            reason = f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; fix the file"
            self.refuse(place, "", reason)
            return
        why = unencodable(value)
        if why is not None:
            self.refuse(place, "", why)
        elif isinstance(value, list):
            if not value:
                self.refuse(place, "", "an empty list: no ClaimReview in it; add one, or remove the file")
            for index, item in enumerate(value):
                self.node(_Place(place.rel, prefix=f"{index}."), item)
        elif isinstance(value, dict):
            self.node(place, value)
        else:
            reason = f"expected a ClaimReview object, a list of them or a JSON-LD @graph, got {_kind(value)}"
            self.refuse(place, "", reason)

    def node(self, place: _Place, value: Any) -> None:
        """One top-level object (or list item) of a JSON-LD file: a graph, or a ClaimReview."""
        if not isinstance(value, dict):
            self.refuse(place, "", f"expected a ClaimReview object, got {_kind(value)}")
        elif "@graph" in value:
            self.graph(place, value["@graph"])
        else:
            self.claim_review(place, value, {})

    def graph(self, place: _Place, graph: Any) -> None:
        if not isinstance(graph, list | dict):
            self.refuse(place, "@graph", f"expected a list of nodes, got {_kind(graph)}")
            return
        inner = f"{place.prefix}@graph."
        items = graph if isinstance(graph, list) else [graph]
        nodes = {item["@id"]: item for item in items if isinstance(item, dict) and isinstance(item.get("@id"), str)}
        types: list[str] = []
        for index, item in enumerate(items):
            at = _Place(place.rel, prefix=f"{inner}{index}." if isinstance(graph, list) else inner)
            if not isinstance(item, dict):
                self.refuse(at, "", f"expected a JSON-LD node (an object), got {_kind(item)}")
            elif _is_claim_review(item.get("@type")):
                self.claim_review(at, item, nodes)
            else:
                types.extend(_types(item.get("@type")))  # the page, the publisher: not fact-checks, passed over
        if not any(isinstance(item, dict) and _is_claim_review(item.get("@type")) for item in items):
            found = ", ".join(dict.fromkeys(types)) or "none"
            reason = f"no node of @type ClaimReview (types found: {found}); add the ClaimReview, or remove the file"
            self.refuse(place, "@graph", reason)

    def json_lines(self, place: _Place, data: bytes) -> None:
        """A JSON Lines file: each non-blank line one ClaimReview object, read (or refused) alone."""
        # Lines end at b"\n" only, as the articles' JSON Lines reader counts them (builder.formats.jsonl).
        for number, line in enumerate(data.split(b"\n"), start=1):
            at = _Place(place.rel, line=number)
            record = line.removesuffix(b"\r")
            record = record[len(_BOM) :] if number == 1 and record.startswith(_BOM) else record
            if not record.strip():
                continue
            try:
                text = record.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.refuse(at, "", f"not valid UTF-8 at byte {exc.start} of the line; re-save the file as UTF-8")
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                self.refuse(at, "", f"malformed JSON at column {exc.colno}: {exc.msg}; fix the line")
                continue
            why = unencodable(value)
            if why is not None:
                self.refuse(at, "", why)
            elif not isinstance(value, dict):
                self.refuse(at, "", f"expected a ClaimReview object on the line, got {_kind(value)}")
            else:
                self.claim_review(at, value, {})

    def claim_review(self, place: _Place, record: dict[str, Any], nodes: dict[str, Any]) -> None:
        """One ClaimReview object: a :class:`FactCheck` read, or its problems (one per field at fault)."""
        fields = _Fields(place, nodes)
        if "@type" in record and not _is_claim_review(record["@type"]):
            got = ", ".join(_types(record["@type"])) or repr(record["@type"])
            fields.problem("@type", f"expected ClaimReview, got {got}; only fact-checks belong in this folder")
        url = fields.url(record.get("url"))
        claim_reviewed = fields.text(
            record.get("claimReviewed"), "claimReviewed", required="the claim the fact-check reviews"
        )
        headline_key = "headline" if record.get("headline") is not None else "name"
        headline = fields.text(record.get(headline_key), headline_key)
        rating = fields.rating(record.get("reviewRating"))
        date_published = fields.date(record.get("datePublished"), "datePublished")
        author = fields.names(record.get("author"), "author")
        claimant = fields.claimant(record.get("itemReviewed"))
        for loc, reason in fields.problems:
            self.refuse(place, loc, reason)
        if fields.problems or url is None or claim_reviewed is None:
            return
        stripped, found = strip_credentials(url)
        first = self.first_of_url.get(stripped)
        if first is not None:
            reason = f"the same url as {first.named}, read already; each fact-check is read once: remove this one"
            self.refuse(place, "url", reason)
            return
        try:
            fact_check = FactCheck(
                url=stripped,
                claim_reviewed=claim_reviewed,
                headline=headline,
                rating=rating,
                date_published=date_published,
                author=author,
                claimant=claimant,
                source=place.source,
            )
        except ValidationError as exc:  # the checks above are the model's; this is a guard, not a path
            for error in exc.errors():
                self.refuse(place, ".".join(map(str, error["loc"])), f"{error['msg']}; fix the record")
            return
        self.first_of_url[stripped] = place
        self.credentials.add(found)
        self.read.append(fact_check)


@dataclass
class _Fields:
    """The fields of one ClaimReview, read one by one; each problem is kept as (field, reason)."""

    place: _Place
    nodes: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, loc: str, reason: str) -> None:
        self.problems.append((loc, reason))

    def follow(self, value: Any) -> Any:
        """The graph node an ``{"@id": …}`` reference names, when the graph holds it; else ``value`` itself."""
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in self.nodes:
            return self.nodes[value["@id"]]
        return value

    def text(self, value: Any, loc: str, *, required: str | None = None) -> str | None:
        """A text field, trimmed; absent or blank: None, and a problem when ``required`` (what to give). A text
        holding a URL with a credential is a problem: texts are kept as written."""
        text = self.string(value, loc, required)
        for where in credentials_in(text or ""):
            self.problem(loc, f"{where}; texts are kept as written, never edited, so remove the credential")
        return text

    def string(self, value: Any, loc: str, required: str | None) -> str | None:
        if not isinstance(value, str):
            if value is not None:
                self.problem(loc, f"expected text, got {_kind(value)}; write it as a string")
            elif required is not None:
                self.problem(loc, f"missing; give {required}")
            return None
        trimmed = value.strip()
        if not trimmed and required is not None:
            self.problem(loc, f"empty; give {required}")
        return trimmed or None

    def url(self, value: Any) -> str | None:
        """The ``url``, trimmed and checked; its credentials are taken out once the record is read whole."""
        url = self.string(value, "url", "the fact-check's own http(s) address")
        if url is None:
            return None
        try:
            _HTTP_URL.validate_python(url)
        except ValidationError:
            self.problem("url", f"expected an absolute http:// or https:// address, got {url!r}; give the web address")
            return None
        return url

    def date(self, value: Any, loc: str) -> date | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem(loc, f"expected {_ISO_FORMS} as a string, got {_kind(value)}")
            return None
        written = value.strip()
        try:
            day, form = read_date(written)
        except ValueError as exc:
            reason = str(exc) if _ISO.fullmatch(written) else f"expected {_ISO_FORMS}, got {written!r}; write it so"
            self.problem(loc, reason)
            return None
        if form is not None:
            self.problem(loc, f"{written!r} is not ISO 8601, as schema.org dates are: write {day.isoformat()}")
            return None
        if in_future(day):
            self.problem(loc, f"{day.isoformat()} is in the future; check the date")
            return None
        return day

    def names(self, value: Any, loc: str) -> str | None:
        """A person or an organisation (an object with a ``name``, or a name), or a list of them: the names
        joined by '; ', as a byline credits several."""
        value = self.follow(value)
        if value is None:
            return None
        if isinstance(value, list):
            names = [self.names(item, f"{loc}.{index}") for index, item in enumerate(value)]
            return "; ".join(name for name in names if name is not None) or None
        if isinstance(value, str):
            return self.text(value, loc)
        if isinstance(value, dict):
            return self.text(value.get("name"), f"{loc}.name", required="the person's or organisation's name")
        self.problem(loc, f"expected an object with a name, a list of them or a name, got {_kind(value)}")
        return None

    def claimant(self, value: Any) -> str | None:
        """``itemReviewed``: the Claim checked; only its author is kept."""
        value = self.follow(value)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("itemReviewed", f"expected a Claim object, got {_kind(value)}")
            return None
        return self.names(value.get("author"), "itemReviewed.author")

    def rating(self, value: Any) -> str | None:
        """``reviewRating``: its ``alternateName`` as written, else ``ratingValue/bestRating``, else the
        ``ratingValue`` alone; the numbers are checked either way."""
        value = self.follow(value)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("reviewRating", f"expected a Rating object, got {_kind(value)}")
            return None
        name = self.text(value.get("alternateName"), "reviewRating.alternateName")
        score = self.number(value.get("ratingValue"), "reviewRating.ratingValue")
        best = self.number(value.get("bestRating"), "reviewRating.bestRating")
        worst = self.number(value.get("worstRating"), "reviewRating.worstRating")
        if score is not None:
            if best is not None and score[1] > best[1]:
                self.problem("reviewRating.ratingValue", f"{score[0]} is above the bestRating, {best[0]}; fix either")
            if worst is not None and score[1] < worst[1]:
                self.problem("reviewRating.ratingValue", f"{score[0]} is below the worstRating, {worst[0]}; fix either")
        if name is not None:
            return name
        if score is not None:
            return score[0] if best is None else f"{score[0]}/{best[0]}"
        if not any(key in value for key in ("alternateName", "ratingValue")):
            self.problem("reviewRating", "gives no verdict: add alternateName or ratingValue, or leave it out")
        return None

    def number(self, value: Any, loc: str) -> tuple[str, float] | None:
        """A rating number as written (a JSON number or a numeric string) and its value."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(loc, f"expected a number, got {_kind(value)}")
            return None
        written = value.strip() if isinstance(value, str) else json.dumps(value)
        try:
            number = float(written)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.problem(loc, f"expected a number, got {written!r}; write the rating as digits, such as 4 or 2.5")
            return None
        return written, number


def _kind(value: Any) -> str:
    """A JSON value's kind, for a message: 'a string', 'a number', 'a list', …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _types(value: Any) -> Iterator[str]:
    """The names a ``@type`` gives: one string, or a list of them."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            yield item


def _is_claim_review(value: Any) -> bool:
    """``@type`` is ClaimReview, or lists it: as the compact name, a prefixed one (``schema:ClaimReview``) or the
    full IRI (``https://schema.org/ClaimReview``)."""
    return any(_CLAIM_REVIEW.fullmatch(name) for name in _types(value))
