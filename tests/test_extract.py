from __future__ import annotations

from builder.clean import clean
from builder.config import CleanConfig, ExtractConfig, IngestConfig, ValidateConfig
from builder.extract import claim_id, extract
from builder.ingest import iter_raw
from builder.models import Article
from builder.validate import validate
from conftest import RAW, write_article


def articles(raw) -> list[Article]:
    items = list(validate(clean(iter_raw(raw, IngestConfig()), CleanConfig()), ValidateConfig()))
    assert all(isinstance(item, Article) for item in items)
    return items  # type: ignore[return-value]


def test_every_seed_claim_is_an_exact_slice_of_the_raw_file():
    seeds = articles(RAW)
    claims = list(extract(seeds, ExtractConfig()))
    assert len(claims) > 100
    by_id = {a.article_id: a for a in seeds}
    for claim in claims:
        raw_text = (RAW / claim.source_file).read_bytes().decode("utf-8")
        assert raw_text[claim.char_start : claim.char_end] == claim.text
        assert claim.article_sha256 == by_id[claim.article_id].sha256
        assert claim.claim_id == claim_id(claim.article_sha256, claim.char_start, claim.char_end)
    assert len({c.claim_id for c in claims}) == len(claims)


def test_indices_count_sentences_and_paragraphs_of_the_body(tmp_path):
    write_article(tmp_path, "a", "Title\n\nOne. Two.\n\nThree.\n\n( … )\n")
    claims = list(extract(articles(tmp_path), ExtractConfig()))
    assert [(c.text, c.sentence_index, c.paragraph_index) for c in claims] == [
        ("One.", 0, 0),
        ("Two.", 1, 0),
        ("Three.", 2, 1),
    ]


def test_claim_ids_depend_on_content_and_span_only(tmp_path):
    write_article(tmp_path, "a", "Title\n\nOne. Two.\n")
    first = [c.claim_id for c in extract(articles(tmp_path), ExtractConfig())]
    (tmp_path / "articles" / "a.txt").rename(tmp_path / "articles" / "b.txt")
    assert [c.claim_id for c in extract(articles(tmp_path), ExtractConfig())] == first
