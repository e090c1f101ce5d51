"""Dedupe: one article per id, per raw content and per URL.

Inputs arrive in path order (then line order in a JSONL file). The first article wins; a later one that repeats
its ``article_id``, its raw bytes (``sha256``) or its non-null ``url`` is rejected, naming the article it repeats,
so nothing disappears unreported. Only the keys are kept in memory, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from builder.models import Article, Rejected, Rejection, Stage

__all__ = ["dedupe"]


def dedupe(items: Iterable[Article | Rejected]) -> Iterator[Article | Rejected]:
    """Stage: pass the first article of each id, content and URL; reject the repeats."""
    seen: dict[tuple[str, str], str] = {}
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        source = item.source_file if item.source_line is None else f"{item.source_file}:{item.source_line}"
        keys = [("article_id", item.article_id), ("text", item.sha256)]
        if item.url is not None:
            keys.append(("url", item.url))
        repeated = [(field, seen[(field, value)]) for field, value in keys if (field, value) in seen]
        if not repeated:
            for key in keys:
                seen[key] = source
            yield item
            continue
        problems = tuple(
            Rejection(
                file=item.source_file,
                line=item.source_line,
                loc=field,
                reason=f"duplicate: same {_WHAT[field]} as {first}, which is kept; remove one of the two",
                stage=Stage.VALIDATE,
                article=source,
            )
            for field, first in repeated
        )
        yield Rejected(source=source, problems=problems)


_WHAT = {"article_id": "article id", "text": "raw bytes", "url": "URL"}
