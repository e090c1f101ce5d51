"""Dedupe: one article per id, per raw content and per URL.

Inputs arrive in path order (then line order in a JSONL file). The first article wins; a later one that repeats
its ``article_id``, its raw bytes (``sha256``) or its non-null ``url`` is rejected, naming the article it repeats,
so nothing disappears unreported. Only the keys are kept in memory, never the texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from builder.models import Rejected, Rejection, Stage

__all__ = ["DEDUPE_KEYS", "Deduplicator"]


class Deduplicator:
    """Remembers the keys of the articles admitted so far."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], str] = {}

    def admit(self, article: Mapping[str, Any]) -> Rejected | None:
        """None if the article (its ``article_id``, ``sha256``, ``url``, ``source_file``, ``source_line``)
        repeats nothing admitted before, else its rejection."""
        line = article["source_line"]
        source = article["source_file"] if line is None else f"{article['source_file']}:{line}"
        keys = [("article_id", article["article_id"]), ("text", article["sha256"])]
        if article["url"] is not None:
            keys.append(("url", str(article["url"])))
        repeated = [(field, self.seen[(field, value)]) for field, value in keys if (field, value) in self.seen]
        if not repeated:
            for key in keys:
                self.seen[key] = source
            return None
        problems = tuple(
            Rejection(
                file=article["source_file"],
                line=line,
                loc=field,
                reason=f"duplicate: same {_WHAT[field]} as {first}, which is kept; remove one of the two",
                stage=Stage.VALIDATE,
                article=source,
            )
            for field, first in repeated
        )
        return Rejected(source=source, problems=problems)


DEDUPE_KEYS = ("article_id", "sha256", "url", "source_file", "source_line")
"""The fields of an article :meth:`Deduplicator.admit` reads."""
_WHAT = {"article_id": "article id", "text": "raw bytes", "url": "URL"}
