"""Write the review site of a dataset folder: ``index.html``, ``articles/<name>.html`` and ``static/``.

The site is written into a staging folder beside ``out`` and swapped in whole, as a build is, and it replaces
only a folder that is empty or a site written here before. The same dataset gives the same bytes: pages are
rendered from sorted records, with no timestamps and no absolute paths.
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from builder.errors import ConfigError, OutputError
from builder.files import os_reason
from builder.models import SiteReport
from builder.review.read import Dataset, read_dataset
from builder.review.related import related_claims
from builder.review.render import GENERATOR, Neighbours, article_page, index_page
from builder.swap import check_replaceable, recover, staging_folder, swap_in

__all__ = ["SiteReport", "page_names", "write_site"]

STATIC_FILES = ("site.css", "site.js")
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
# Well under the 255-byte file-name limit once a hash and ".html" are added.
_MAX_NAME = 160


def write_site(dist: Path, out: Path) -> SiteReport:
    """Write the static review site of the dataset folder ``dist`` into ``out`` (replacing an earlier site)."""
    _check_out(dist, out)
    dataset = read_dataset(dist)
    names = page_names(article.article_id for article in dataset.articles)
    recover(out)
    try:
        staging = staging_folder(out, "review-")
    except OSError as exc:
        raise OutputError(f"{out}: cannot create a folder beside it ({os_reason(exc)}); check the path") from exc
    try:
        claims = _write_pages(staging, dataset, names)
        swap_in(staging, out)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the site ({os_reason(exc)}); check space and rights") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return SiteReport(
        out=out,
        index=out / "index.html",
        pages=len(dataset.articles) + 1,
        articles=len(dataset.articles),
        claims=claims,
        rejects=len(dataset.rejects),
    )


def _write_pages(folder: Path, dataset: Dataset, names: dict[str, str]) -> int:
    """Write the assets, the article pages and the index into ``folder``; the number of claims shown."""
    (folder / "static").mkdir()
    for name in STATIC_FILES:
        asset = resources.files("builder.review").joinpath("static", name)
        (folder / "static" / name).write_bytes(asset.read_bytes())
    (folder / "articles").mkdir()
    order = [names[article.article_id] for article in dataset.articles]
    related = related_claims(dataset, names)
    for at, (article, name) in enumerate(zip(dataset.articles, order, strict=True)):
        neighbours = Neighbours(order[at - 1] if at else None, order[at + 1] if at + 1 < len(order) else None)
        page = article_page(article, dataset.claims[article.article_id], neighbours, related)
        (folder / "articles" / f"{name}.html").write_bytes(page.encode("utf-8"))
    listed = [(article, dataset.claims[article.article_id], names[article.article_id]) for article in dataset.articles]
    claims = sum(len(listed_claims) for _, listed_claims, _ in listed)
    (folder / "index.html").write_bytes(index_page(listed, dataset.rejects, claims, related).encode("utf-8"))
    return claims


def page_names(article_ids: Iterable[str]) -> dict[str, str]:
    """A file name (without ``.html``) per article id: the id itself when it is a plain portable name.

    Other characters become ``~XX`` per UTF-8 byte (``~`` included, so the escaping is reversible). A name
    that is too long, or equal to another one but for case (one file on macOS and Windows), is cut and given
    ``~~`` and a hash of the id, which no escaped name contains.
    """
    escaped = {article_id: _escape(article_id) for article_id in article_ids}
    folded = Counter(name.casefold() for name in escaped.values())
    names = {}
    for article_id, name in escaped.items():
        if len(name) > _MAX_NAME or folded[name.casefold()] > 1:
            name = f"{name[:_MAX_NAME]}~~{hashlib.sha256(article_id.encode('utf-8')).hexdigest()[:16]}"
        names[article_id] = name
    return names


def _escape(article_id: str) -> str:
    # A leading dot would make a hidden file.
    return "".join(
        char if char in _SAFE and not (at == 0 and char == ".") else "".join(f"~{b:02X}" for b in char.encode("utf-8"))
        for at, char in enumerate(article_id)
    )


def _check_out(dist: Path, out: Path) -> None:
    """Refuse an ``out`` whose replacement would destroy something this module did not write."""
    where, data = out.resolve(), dist.resolve()
    if where == data or where in data.parents or data in where.parents:
        raise ConfigError(f"{out}: the site folder must not be, contain or lie inside the dataset folder {dist}")
    check_replaceable(out, _is_site, "review site")


def _is_site(folder: Path) -> bool:
    index = folder / "index.html"
    if not index.is_file():
        return False
    with index.open("rb") as stream:
        return f'<meta name="generator" content="{GENERATOR}">'.encode() in stream.read(2048)
