"""Validate: check an article's metadata against the schema and settle every field's value and provenance.

A field's value is the curated one (sidecar or JSONL field) when given; else the one read off the text by
:mod:`builder.clean`, if that guess validates on its own (a guess never rejects an article); else null.
:class:`FieldSources` records which. Every problem of an article is reported together, each naming the file at
fault (the sidecar for metadata, the text file for the text), the field (pydantic's ``loc``) and the reason.

Every input format's article passes here before anything of it is cached or written, so this is where the URL
rule of :mod:`builder.urls` acts: the ``url`` loses its login and credential parameters (curated or read off the
text alike), and a text or a curated string holding such a URL is a problem, since neither is ever edited.
No message quotes a credential: pydantic's, which may echo the value, are masked.

With ``--drop-bad-metadata``, :func:`drop_bad_metadata` first takes out of an article the curated fields whose
values do not validate, when those are its only metadata problems: the article is then validated without them, as
if they were never given, and each becomes a problem marked ``kept``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import TypeAdapter, ValidationError

from builder.dates import read_date
from builder.formats.fields import hinted, sidecar_hint, their_loc
from builder.models import (
    Article,
    ArticleMetadata,
    CleanArticle,
    FieldSources,
    HttpUrl,
    RawArticle,
    Rejected,
    Rejection,
    Stage,
)
from builder.models.base import PublishedDate, in_future
from builder.urls import NOTHING, Found, credentials_in, find_credentials, mask, strip_credentials

__all__ = ["curated_metadata", "drop_bad_metadata", "validate_article"]

_EXPECTED = ", ".join(ArticleMetadata.model_fields)


def validate_article(clean: CleanArticle) -> Article | Rejected:
    raw = clean.raw
    problems = list(raw.problems)
    metadata_file = raw.metadata_file or raw.source_file

    def report(error_loc: tuple[int | str, ...], reason: str, file: str) -> None:
        problems.append(_problem(raw, error_loc, reason, file))

    for where in credentials_in(raw.text):
        reason = f"{where}; the text is published byte for byte, never edited"
        report(("text",), reason + ", so remove the credential from the raw file", raw.source_file)
    metadata, _ = curated_metadata(raw)
    for name, value in metadata.items():
        if name != "url" and isinstance(value, str):
            for where in credentials_in(value):
                report((name,), f"{where}; remove the credential", metadata_file)
    curated = ArticleMetadata()
    try:
        curated = ArticleMetadata.model_validate(metadata)
    except ValidationError as exc:
        for error in exc.errors():
            report(error["loc"], _reason(error), metadata_file)

    given = raw.metadata_source
    values: dict[str, Any] = {}
    sources: dict[str, str | None] = {}
    known_from: date | None = None
    for name in FieldSources.model_fields:
        curated_value = getattr(curated, name, None)
        inferred = clean.inferred.get(name)
        # Judged before the date's other rules and once: a build running across midnight must not refuse the
        # date as future and then find it is not, and cache the unknown.
        held = None if curated_value is not None or inferred is None else _later_than_today(name, inferred.value)
        if curated_value is not None:
            values[name], sources[name] = curated_value, _source(given, name, metadata.get(name))
        elif held is not None:
            values[name], sources[name], known_from = None, None, held
        elif inferred is not None and _plausible(name, inferred.value):
            # A URL read off the text is stripped too (a text holding a credential is rejected above anyway); a
            # date is read off the text as written, and published as YYYY-MM-DD.
            read: Any = inferred.value
            if name == "url":
                read = strip_credentials(inferred.value)[0]
            elif name == "published":
                read = _INFERRED_TYPES[name].validate_python(inferred.value)
            values[name], sources[name] = read, _source(f"text:{inferred.line}", name, inferred.value)
        else:
            values[name], sources[name] = None, None
    if problems:
        return Rejected(source=raw.source, problems=tuple(problems))
    try:
        article = Article(
            article_id=raw.article_id,
            source_file=raw.source_file,
            source_line=raw.source_line,
            input_format=raw.input_format,
            sha256=raw.sha256,
            encoding=raw.encoding,
            notes=curated.notes,
            field_sources=FieldSources(**sources),
            ignored_fields=list(raw.ignored_fields),
            text=raw.text,
            body=list(clean.body),
            excluded=list(clean.excluded),
            **values,
        )
    except ValidationError as exc:
        for error in exc.errors():
            report(error["loc"], _reason(error), raw.source_file)
        return Rejected(source=raw.source, problems=tuple(problems))
    article._published_known_from = known_from
    return article


def drop_bad_metadata(raw: RawArticle) -> tuple[RawArticle, tuple[Rejection, ...]]:
    """``raw`` without the curated fields whose values do not validate, and one problem for each (marked
    ``kept``), when those are all the curated metadata's problems; else ``raw`` as it is and no problem.

    Only a value is dropped: a read problem (an unreadable or malformed sidecar, an unknown field: a typo is not a
    value), a credential in a curated string or a problem not of one field leaves the article to be rejected whole.
    The text is not judged here: the caller runs the stages on what this returns and, when the article is rejected
    all the same, runs them again on ``raw`` so that every problem is reported as without the option."""
    if raw.problems:
        return raw, ()
    metadata, _ = curated_metadata(raw)
    if any(
        name != "url" and isinstance(value, str) and next(find_credentials(value), None)
        for name, value in metadata.items()
    ):
        return raw, ()
    try:
        ArticleMetadata.model_validate(metadata)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return raw, ()
    # pydantic's own loc, before it is written as the user named the field (``date (published)``); an unknown
    # field's is its own name, never one of the fields.
    if any(not error["loc"] or error["loc"][0] not in _DROPPABLE for error in errors):
        return raw, ()
    file = raw.metadata_file or raw.source_file
    dropped = tuple(_problem(raw, error["loc"], _reason(error), file, kept=True) for error in errors)
    bad = {str(error["loc"][0]) for error in errors}
    kept = {name: value for name, value in raw.metadata.items() if name not in bad}
    return replace(raw, metadata=kept), dropped


_DROPPABLE = frozenset(ArticleMetadata.model_fields)


def _problem(
    raw: RawArticle, error_loc: tuple[int | str, ...], reason: str, file: str, *, kept: bool = False
) -> Rejection:
    """A problem of ``raw`` at pydantic's ``error_loc``, named as the input names the field; nothing quoted in it
    shows a credential."""
    return Rejection(
        file=file,
        line=raw.source_line,
        loc=mask(their_loc(".".join(str(part) for part in error_loc), raw.field_names)),
        reason=mask(reason),
        stage=Stage.VALIDATE,
        article=raw.source,
        kept=kept,
    )


def curated_metadata(raw: RawArticle) -> tuple[dict[str, Any], Found]:
    """The article's curated metadata with the URL rule applied to its ``url`` (:mod:`builder.urls`), and what
    the rule took out of it: the one place an input's URL is stripped, whatever its format."""
    url = raw.metadata.get("url")
    if not isinstance(url, str):
        return raw.metadata, NOTHING
    stripped, found = strip_credentials(url)
    return ({**raw.metadata, "url": stripped}, found) if found else (raw.metadata, NOTHING)


def _source(where: str, name: str, written: Any) -> str:
    """``field_sources``' value: where the value came from and, for a date not written in ISO 8601, the form it was
    read in (``sidecar:rfc2822``, ``text:3:month-day-year``), so a user sees how their date was understood."""
    if name == "published" and isinstance(written, str):
        form = read_date(written)[1]
        if form is not None:
            return f"{where}:{form}"
    return where


_INFERRED_TYPES: dict[str, TypeAdapter[Any]] = {
    "url": TypeAdapter(HttpUrl),
    "published": TypeAdapter(PublishedDate),
}


def _plausible(name: str, value: str) -> bool:
    """A value read off the text is a guess: one that would not validate is not used (the field stays unknown)."""
    adapter = _INFERRED_TYPES.get(name)
    if adapter is None:
        return True
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def _later_than_today(name: str, written: str) -> date | None:
    """The day a ``published`` date read off the text names, when it is later than today (else None): the one
    guess whose refusal depends on the day the build runs."""
    if name != "published":
        return None
    try:
        day = read_date(written)[0]
    except ValueError:
        return None
    return day if in_future(day) else None


def _reason(error: Any) -> str:
    """pydantic's message, made to say how to fix the field."""
    if error["type"] == "extra_forbidden":
        hint = sidecar_hint(str(error["loc"][-1])) if error["loc"] else ""
        return f"unknown field; {hinted(hint, f'the fields are {_EXPECTED} (see schema/article_metadata.schema.json)')}"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    if error["type"] in {"string_type", "date_type", "date_from_datetime_parsing", "date_parsing"}:
        message += f" (got {error.get('input')!r})"
    return message
