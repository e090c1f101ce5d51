from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.clean import clean_article
from builder.config import BuildConfig, CleanConfig, ExtractConfig, IngestConfig
from builder.extract import claim_id, extract_claims, extractor_id
from builder.ingest import iter_raw
from builder.models import Article, Claim, ClaimType
from builder.stages import VALIDATED, run_stages
from builder.validate import validate_article
from conftest import RAW, raw_article, write_article


def articles(raw) -> list[Article]:
    items = [run_stages(item, BuildConfig(), until=VALIDATED) for item in iter_raw(raw, IngestConfig())]
    assert all(isinstance(item, Article) for item in items)
    return items  # type: ignore[return-value]


def claims_of(text: str) -> list[Claim]:
    article = validate_article(clean_article(raw_article(text), CleanConfig()))
    assert isinstance(article, Article)
    return list(extract_claims(article, ExtractConfig()))


def assert_exact(claim: Claim, raw_text: str) -> None:
    assert raw_text[claim.char_start : claim.char_end] == claim.text
    assert raw_text[claim.context_start : claim.context_end] == claim.context
    assert claim.context_start <= claim.char_start and claim.char_end <= claim.context_end
    if claim.cue is not None:
        assert raw_text[claim.cue_start : claim.cue_end] == claim.cue
    for start, end in ((claim.speaker_start, claim.speaker_end), (claim.cue_start, claim.cue_end)):
        if start is not None:
            assert end is not None and not (start < claim.char_end and claim.char_start < end)
    selector = claim.selector
    assert selector.exact == claim.text
    assert raw_text[claim.char_start - len(selector.prefix) : claim.char_start] == selector.prefix
    assert raw_text[claim.char_end : claim.char_end + len(selector.suffix)] == selector.suffix
    assert len(selector.prefix) == min(32, claim.char_start)


def test_every_seed_claim_and_attribution_is_an_exact_slice_of_the_raw_file():
    seeds = articles(RAW)
    claims = [claim for article in seeds for claim in extract_claims(article, ExtractConfig())]
    assert {c.claim_type for c in claims} == set(ClaimType)
    for claim in claims:
        assert_exact(claim, (RAW / claim.source_file).read_bytes().decode("utf-8"))
        assert claim.claim_id == claim_id(claim.article_sha256, claim.char_start, claim.char_end)
        assert 0.0 <= claim.check_worthiness <= 1.0
        assert claim.extractor == extractor_id()
    assert len({c.claim_id for c in claims}) == len(claims)


def test_quote_broken_by_an_attribution_shares_speaker_cue_and_quote_id():
    text = 'Title\n\n"We will stay," the minister said. "We will not leave."\n'
    first, second = claims_of(text)
    assert (first.text, second.text) == ("We will stay,", "We will not leave.")
    assert first.quote_id == second.quote_id == first.claim_id
    assert first.cue == second.cue == "said" and first.cue_start == second.cue_start
    assert first.context == '"We will stay," the minister said.'


def test_reported_speech_and_statements_have_one_role_per_sentence():
    text = "Title\n\nThe minister said the budget would rise by 5% next year. Taxes fell in 2019.\n"
    reported, statement = claims_of(text)
    assert (reported.claim_type, reported.text) == (ClaimType.INDIRECT_QUOTE, "the budget would rise by 5% next year")
    assert (reported.speaker, reported.cue) == ("The minister", "said")
    assert (statement.claim_type, statement.text) == (ClaimType.AUTHOR_STATEMENT, "Taxes fell in 2019.")
    assert statement.speaker is None and statement.cue is None


def test_questions_scare_quotes_and_fragments_are_no_claims():
    text = 'Title\n\nWhat happens next? The so-called "spearhead" force moved east on Monday. Very well.\n'
    (claim,) = claims_of(text)
    assert claim.claim_type is ClaimType.AUTHOR_STATEMENT
    assert claim.text == 'The so-called "spearhead" force moved east on Monday.'


def test_claim_ids_depend_on_content_and_span_only(tmp_path):
    write_article(tmp_path, "a", "Title\n\nThe council met twice in May. It agreed on a plan.\n")
    first = [c.claim_id for a in articles(tmp_path) for c in extract_claims(a, ExtractConfig())]
    (tmp_path / "articles" / "a.txt").rename(tmp_path / "articles" / "b.txt")
    assert [c.claim_id for a in articles(tmp_path) for c in extract_claims(a, ExtractConfig())] == first


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(
                [
                    "Mr. Smith said it. Then “no,” he added.",
                    "WARSAW — It rose 5%, officials said.",
                    '"Open quote never closed',
                    "Anna Berg: We will. Host: Will you?",
                    "According to him, the plan failed.",
                    "«Да», — сказал он.",
                    '"""',
                    "",
                ]
            ),
        ),
        max_size=15,
    ),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_claims_of_any_text_are_exact_raw_slices(parts, newline):
    text = newline.join(parts)
    if not text.strip() or "\x00" in text:
        return
    previous_end = -1
    for claim in claims_of(text):
        assert_exact(claim, text)
        assert claim.char_start >= previous_end or claim.claim_type is not ClaimType.AUTHOR_STATEMENT
        previous_end = max(previous_end, claim.char_end)


def test_a_few_quoted_words_inside_reported_speech_are_part_of_the_indirect_quote():
    (claim,) = claims_of(
        'Title\n\nThe police chief said last week that the plans should change because of an "epidemic".\n'
    )
    assert claim.claim_type is ClaimType.INDIRECT_QUOTE
    assert claim.text == 'the plans should change because of an "epidemic"'


def test_a_pronoun_after_a_quotation_is_not_a_name_inside_it():
    text = 'Title\n\nAnna Berg runs the agency. "I just toured Madison Avenue last week," she said.\n'
    quote = next(c for c in claims_of(text) if c.claim_type is ClaimType.DIRECT_QUOTE)
    assert quote.speaker == "Anna Berg"


def test_an_interviewer_label_is_never_part_of_a_claim():
    text = (
        "Title\n\nHost Name, Radio: Mr Berg, you said last week that the tax would rise. Will it?\n\n"
        "Anna Berg: It will rise by two percent next year.\n"
    )
    claims = claims_of(text)
    assert all("Host Name" not in claim.text for claim in claims)
    reported = next(c for c in claims if c.claim_type is ClaimType.INDIRECT_QUOTE)
    assert reported.text == "the tax would rise"


def test_a_quotation_running_over_two_paragraphs_keeps_one_cue_speaker_and_quote_id():
    text = (
        "Title\n\nThe minister spoke to reporters on Tuesday.\n\n"
        '"The budget will be cut by a tenth," Anna Berg, the finance minister, said. "Every ministry will have to '
        "save, and the savings start in spring.\n\n"
        '"Nobody will be spared, not even my own department."\n'
    )
    claims = run_stages(raw_article(text), BuildConfig(), until="extract").claims
    quoted = [claim for claim in claims if claim.claim_type is ClaimType.DIRECT_QUOTE]
    assert [claim.text for claim in quoted] == [
        "The budget will be cut by a tenth,",
        "Every ministry will have to save, and the savings start in spring.",
        "Nobody will be spared, not even my own department.",
    ]
    assert len({claim.paragraph_index for claim in quoted}) == 2  # the break is crossed
    assert {(claim.quote_id, claim.cue, claim.cue_start, claim.speaker) for claim in quoted} == {
        (quoted[0].quote_id, "said", text.index("said."), "Anna Berg")
    }
    assert quoted[0].quote_id is not None
