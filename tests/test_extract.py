from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_clean import raw_article

from builder.clean import clean, clean_article
from builder.config import CleanConfig, ExtractConfig, IngestConfig, ValidateConfig
from builder.extract import claim_id, extract, extract_claims
from builder.ingest import iter_raw
from builder.models import Article
from builder.validate import validate, validate_article
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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(["Mr. Smith said it. Then “no.”", "WARSAW — It rose 5%.", "- item", "", "Oct. 1, 2014"]),
        ),
        max_size=15,
    ),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_claims_of_any_text_are_exact_raw_slices(parts, newline):
    text = newline.join(parts)
    if not text.strip() or "\x00" in text:
        return
    article = validate_article(clean_article(raw_article(text), CleanConfig()))
    assert isinstance(article, Article)
    previous_end = 0
    for claim in extract_claims(article, ExtractConfig()):
        assert text[claim.char_start : claim.char_end] == claim.text
        assert claim.char_start >= previous_end
        previous_end = claim.char_end
