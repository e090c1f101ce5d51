"""Dedupe: one article per id, per raw content and per URL.

Inputs arrive in path order (then line order in a JSONL file). The first article wins; a later one that repeats
its ``article_id``, its raw bytes (``sha256``) or its non-null ``url`` is rejected, naming the article it repeats,
so nothing disappears unreported. Only the keys are kept in memory, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from builder.models import Article, Rejected, Rejection, Stage

__all__ = ["Deduplicator", "dedupe"]


class Deduplicator:
    """Remembers the keys of the articles admitted so far."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def admit(self, item: Article | Rejected) -> Article | Rejected:
        """The article if it repeats nothing admitted before, else its rejection."""
        if isinstance(item, Rejected):
            return item
        source = item.source_file if item.source_line is None else f"{item.source_file}:{item.source_line}"
        keys = [("article_id", item.article_id), ("text", item.sha256)]
        if item.url is not None:
            keys.append(("url", item.url))
        repeated = [(field, self.seen[(field, value)]) for field, value in keys if (field, value) in self.seen]
        if not repeated:
            for key in keys:
                self.seen[key] = source
            return item
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
        return Rejected(source=source, problems=problems)


def dedupe(items: Iterable[Article | Rejected]) -> Iterator[Article | Rejected]:
    """Stage: pass the first article of each id, content and URL; reject the repeats."""
    deduplicator = Deduplicator()
    for item in items:
        yield deduplicator.admit(item)


_WHAT = {"article_id": "article id", "text": "raw bytes", "url": "URL"}
