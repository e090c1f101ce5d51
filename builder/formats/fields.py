"""The field names of the crawlers people feed factpack, and what each becomes: one table, the README's.

A JSONL line or a Parquet row may name its fields as factpack does (``text`` and the sidecar fields) or as the
crawler that wrote it does. :data:`CRAWLERS` says, crawler by crawler, what factpack reads each of their fields as
(``None``: read past, and listed in the article's ``ignored_fields``); any other name is a problem. When a record
gives one field under several names, :data:`PRECEDENCE` decides which value is used: factpack's own name first,
then a site name before a host name (``sitename`` says "The Moscow Times", ``hostname`` only "themoscowtimes.com").
The names passed over are listed in ``ignored_fields``, so nothing a record says is dropped without a trace. The
text is the exception: two texts are a problem, since either could be the article.

A problem with a value given under a crawler's name names that name first and factpack's after it
(``date (published)``): the user looks for the field they wrote.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from builder.models import ArticleMetadata

__all__ = [
    "CRAWLERS",
    "MEANS",
    "PRECEDENCE",
    "READ_PAST",
    "did_you_mean",
    "markdown_table",
    "sidecar_hint",
    "their_loc",
]

CRAWLERS: dict[str, dict[str, str | None]] = {
    # trafilatura's JSON output (--json, extract(output_format="json")); its Python dict (bare_extraction) says
    # sitename, url and description where the JSON says source-hostname, source and excerpt.
    "trafilatura": {
        "text": "text",
        "title": "title",
        "author": "byline",
        "sitename": "outlet",
        "source-hostname": "outlet",
        "hostname": "outlet",
        "date": "published",
        "url": "url",
        "source": "url",
        "language": "language",
        "description": None,
        "excerpt": None,
        "categories": None,
        "tags": None,
        "id": None,
        "fingerprint": None,
        "license": None,
        "comments": None,
        "raw_text": None,
        "image": None,
        "pagetype": None,
        "filedate": None,
    },
    # news-please's NewsArticle as JSON (its "text" is a deprecated null beside "maintext").
    "news-please": {
        "maintext": "text",
        "text": "text",
        "title": "title",
        "authors": "byline",
        "source_domain": "outlet",
        "date_publish": "published",
        "url": "url",
        "language": "language",
        "date_download": None,
        "date_modify": None,
        "description": None,
        "filename": None,
        "image_url": None,
        "localpath": None,
        "title_page": None,
        "title_rss": None,
    },
    # newspaper4k's Article.to_json(); source_url (the site's home page) is read past: a URL is not an outlet.
    "newspaper4k": {
        "text": "text",
        "title": "title",
        "authors": "byline",
        "meta_site_name": "outlet",
        "publish_date": "published",
        "url": "url",
        "language": "language",
        "meta_lang": "language",
        "source_url": None,
        "canonical_link": None,
        "read_more_link": None,
        "top_image": None,
        "meta_img": None,
        "images": None,
        "movies": None,
        "keywords": None,
        "keyword_scores": None,
        "meta_keywords": None,
        "tags": None,
        "summary": None,
        "meta_description": None,
        "meta_favicon": None,
    },
    # CC-News as the Hugging Face Hub holds it (Parquet).
    "CC-News": {
        "text": "text",
        "title": "title",
        "domain": "outlet",
        "date": "published",
        "url": "url",
        "description": None,
        "image_url": None,
    },
}
"""Crawler → their field → factpack's field (``None``: read past, listed in ``ignored_fields``)."""

OWN = ("text", *ArticleMetadata.model_fields)
"""factpack's own names: ``text`` and the sidecar fields."""

MEANS: dict[str, str] = {name: name for name in OWN} | {
    theirs: ours for fields in CRAWLERS.values() for theirs, ours in fields.items() if ours is not None
}
"""Every name a record may give a field under → factpack's field."""

READ_PAST = frozenset(theirs for fields in CRAWLERS.values() for theirs, ours in fields.items() if ours is None)
"""The crawlers' names factpack does not use."""

PRECEDENCE: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext"),
    "title": ("title",),
    "outlet": ("outlet", "sitename", "source-hostname", "meta_site_name", "hostname", "source_domain", "domain"),
    "byline": ("byline", "author", "authors"),
    "url": ("url", "source"),
    "published": ("published", "date_publish", "publish_date", "date"),
    "language": ("language", "meta_lang"),
    "notes": ("notes",),
}
"""factpack's field → the names that give it, the one used first: a record's own name, then a site name before a
host name."""

BYLINE_JOINER = "; "
"""How a list of authors (news-please, newspaper4k) becomes one byline; trafilatura joins its own with it too."""


def their_loc(loc: str, names: Mapping[str, str]) -> str:
    """``loc`` as the user wrote it: ``date (published)`` when the record gave ``published`` as ``date``."""
    head, dot, rest = loc.partition(".")
    theirs = names.get(head)
    return loc if theirs is None or theirs == head else f"{theirs} ({head}){dot}{rest}"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``did you mean 'published'? `` when exactly one known name is close to ``name``, else an empty string."""
    close = difflib.get_close_matches(name, list(known), n=2, cutoff=0.75)
    if not close or (len(close) == 2 and _ratio(name, close[0]) == _ratio(name, close[1])):
        return ""  # nothing close, or two as close: a guess would mislead
    return f"did you mean {close[0]!r}? "


def sidecar_hint(name: str) -> str:
    """The did-you-mean of an unknown sidecar field: a crawler's name is answered with factpack's (sidecars use
    factpack's names only), a typo with the close field."""
    meant = MEANS.get(name)
    if meant is not None and meant not in {name, "text"}:
        return f"did you mean {meant!r}? {name!r} is a crawler's name, read in JSONL and Parquet only. "
    return did_you_mean(name, ArticleMetadata.model_fields)


def hinted(hint: str, rest: str) -> str:
    """``rest`` after the did-you-mean ``hint``, as a new sentence when there is one."""
    return f"{hint}{rest[:1].upper()}{rest[1:]}" if hint else rest


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def markdown_table() -> str:
    """The README's table: one row per factpack field, one column per crawler, names in precedence order."""
    crawlers = list(CRAWLERS)
    lines = [
        "| factpack's field | " + " | ".join(crawlers) + " |",
        "|---" * (len(crawlers) + 1) + "|",
    ]
    for field, names in PRECEDENCE.items():
        if not any(CRAWLERS[crawler].get(name) == field for crawler in crawlers for name in names):
            continue  # notes: no crawler writes it
        cells = []
        for crawler in crawlers:
            theirs = [f"`{name}`" for name in names if CRAWLERS[crawler].get(name) == field]
            cells.append(", then ".join(theirs) or "—")
        lines.append(f"| `{field}` | " + " | ".join(cells) + " |")
    past = [", ".join(f"`{n}`" for n, ours in CRAWLERS[crawler].items() if ours is None) for crawler in crawlers]
    lines.append("| read past (`ignored_fields`) | " + " | ".join(past) + " |")
    return "\n".join(lines) + "\n"
