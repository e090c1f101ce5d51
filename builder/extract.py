"""Extract: claim candidates from an article's body, one per sentence, each an exact slice of the raw text.

A candidate is a body sentence (see :mod:`builder.segment`) of at least ``min_chars`` characters holding a
letter or digit. Sentence-level candidates are what claim-detection datasets such as ClaimBuster and
CheckThat! label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from builder.config import ExtractConfig
from builder.models import Article, Claim
from builder.segment import iter_sentences

__all__ = ["claim_id", "extract", "extract_claims"]


def claim_id(article_sha256: str, start: int, end: int) -> str:
    """Stable id of a span: the same raw text and offsets give the same id in every build."""
    return hashlib.sha256(f"{article_sha256}:{start}:{end}".encode("ascii")).hexdigest()[:16]


def extract(articles: Iterable[Article], cfg: ExtractConfig) -> Iterator[Claim]:
    """Stage: every claim candidate of every article, in article then text order."""
    for article in articles:
        yield from extract_claims(article, cfg)


def extract_claims(article: Article, cfg: ExtractConfig) -> Iterator[Claim]:
    text = article.text
    sentence_index = 0
    for paragraph_index, paragraph in enumerate(article.body):
        for start, end in iter_sentences(text, paragraph.start, paragraph.end):
            sentence = text[start:end]
            if end - start < cfg.min_chars or not any(ch.isalnum() for ch in sentence):
                continue
            yield Claim(
                claim_id=claim_id(article.sha256, start, end),
                article_id=article.article_id,
                source_file=article.source_file,
                source_line=article.source_line,
                article_sha256=article.sha256,
                text=sentence,
                char_start=start,
                char_end=end,
                sentence_index=sentence_index,
                paragraph_index=paragraph_index,
                outlet=article.outlet,
                url=article.url,
                published=article.published,
                language=article.language,
            )
            sentence_index += 1
