from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builder
import builder.extract
from builder.config import BuildConfig, ExtractConfig, IngestConfig
from builder.extract import claim_id, extract_claims, extractor_id
from builder.ingest import iter_raw
from builder.models import Article, Claim, ClaimType
from builder.stages import VALIDATED, run_stages
from builder.version import __version__
from conftest import RAW, extracted, raw_article, write_article


def articles(raw) -> list[Article]:
    items = [run_stages(item, BuildConfig(), until=VALIDATED) for item in iter_raw(raw, IngestConfig())]
    assert all(isinstance(item, Article) for item in items)
    return items  # type: ignore[return-value]


def claims_of(text: str) -> list[Claim]:
    return extracted(text)


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


def test_a_claim_names_the_medium_a_speaker_told_and_the_mention_its_cue_attaches_to():
    text = (
        "Title\n\nJens Stoltenberg told Polish daily Gazeta Wyborcza that the alliance would stay. "
        '"We will stay," he said. The secretary-general said the plan was ready.\n'
    )
    told, quote, said = claims_of(text)
    assert (told.text, told.cue, told.medium) == ("the alliance would stay", "told", "Polish daily Gazeta Wyborcza")
    assert quote.medium is None and said.medium is None
    mentions = [text[c.speaker_start : c.speaker_end] for c in (told, quote, said)]  # type: ignore[misc]
    assert mentions == ["Jens Stoltenberg", "he", "The secretary-general"]
    assert [c.speaker for c in (told, quote)] == ["Jens Stoltenberg", "Jens Stoltenberg"]


def test_the_seed_quote_told_to_a_polish_daily_names_it_as_its_medium():
    (seed,) = [article for article in articles(RAW) if article.article_id.startswith("000_")]
    told = [claim for claim in extract_claims(seed, ExtractConfig()) if claim.medium is not None]
    assert [(c.claim_type, c.cue, seed.text[c.cue_start : c.cue_end + 29]) for c in told] == [  # type: ignore[index]
        (ClaimType.DIRECT_QUOTE, "told", "told Polish daily Gazeta Wyborcza")
    ]
    assert told[0].medium == "Polish daily Gazeta Wyborcza"
    assert seed.text[told[0].speaker_start : told[0].speaker_end] == "Stoltenberg"  # type: ignore[index]


def test_every_claim_repeats_its_articles_provenance_and_metadata(tmp_path):
    """A claim row can be filtered by outlet, date or language without a join: its copies are its article's
    (``article_sha256`` of the raw bytes, as the article's: here a cp1252 file, whose text is other bytes)."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    record = {
        "text": "Feed title\n\nThe port handled 4 million containers in 2023, the authority said.\n",
        "title": "Feed title",
        "outlet": "Harbour Weekly",
        "url": "https://example.org/port",
        "published": "2024-02-01",
        "language": "en-GB",
    }
    (raw / "articles" / "feed.jsonl").write_text("\n" + json.dumps(record) + "\n", encoding="utf-8")
    write_article(raw, "cafe", "Café prices\n\nThe café raised its prices by £2 in 2023.\n".encode("cp1252"))
    cfg = BuildConfig(ingest=IngestConfig(encoding_fallback="cp1252"))
    seen, hashes = set(), {}
    copied = ("article_id", "source_file", "source_line", "outlet", "url", "published", "language")
    for item in iter_raw(raw, cfg.ingest):
        article = run_stages(item, cfg, until=VALIDATED)
        assert isinstance(article, Article)
        for claim in extract_claims(article, ExtractConfig()):
            assert {name: getattr(claim, name) for name in copied} == {name: getattr(article, name) for name in copied}
            assert claim.article_sha256 == article.sha256
            seen.add((claim.source_file, claim.outlet, claim.source_line, claim.language, claim.url, claim.published))
            hashes[claim.source_file] = claim.article_sha256
    assert ("articles/feed.jsonl", "Harbour Weekly", 2, "en-GB", record["url"], date(2024, 2, 1)) in seen
    assert {outlet for _, outlet, *_ in seen} >= {"The Moscow Times", "TASS", "Euronews", "RBC"}
    assert hashes["articles/cafe.txt"] == hashlib.sha256((raw / "articles" / "cafe.txt").read_bytes()).hexdigest()


def _rule_sources() -> list[str]:
    """Every file of the rules the extractor id hashes: cleaning, segmenting, text, and all of extract/."""
    package = Path(builder.__file__).parent
    extract = sorted(p.relative_to(package).as_posix() for p in (package / "extract").rglob("*") if p.is_file())
    return ["clean.py", "segment.py", "text.py", *(name for name in extract if "__pycache__" not in name)]


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the builder package the tests may edit (each restores what it changed)."""
    copy = tmp_path_factory.mktemp("package") / "builder"
    shutil.copytree(Path(builder.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize("source", _rule_sources())
def test_the_extractor_id_changes_when_any_rule_source_changes(package_copy, monkeypatch, source):
    """`extractor` tells which rules made a claim: a change to any rule file gives another id (same name and
    version, another 8-hex-digit hash)."""
    monkeypatch.setattr(builder.extract, "files", lambda package: package_copy)
    path = package_copy / source
    original = path.read_bytes()
    try:
        builder.extract._rules_id.cache_clear()
        before = extractor_id()
        builder.extract._rules_id.cache_clear()
        path.write_bytes(original + b"\n# one more line\n")
        after = extractor_id()
    finally:
        path.write_bytes(original)
        builder.extract._rules_id.cache_clear()
    assert re.fullmatch(rf"factpack-rules/{re.escape(__version__)}\+[0-9a-f]{{8}}", after)
    assert after.split("+")[0] == before.split("+")[0]
    assert after != before


def test_a_fresh_process_with_edited_rules_names_another_extractor(package_copy):
    """End to end, in a process importing the edited package: its extractor differs from the claims' here."""
    lexicon = package_copy / "extract" / "lexicon.py"
    original = lexicon.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(package_copy.parent)}
    script = "from builder.extract import extractor_id; print(extractor_id())"
    try:
        lexicon.write_bytes(original + b"\n# a rule changed\n")
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=package_copy.parent,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        lexicon.write_bytes(original)
    assert done.returncode == 0, done.stderr
    edited = done.stdout.strip()
    (claim,) = claims_of("Title\n\nTaxes rose by 5% in 2023.\n")
    assert claim.extractor == extractor_id()
    assert re.fullmatch(rf"factpack-rules/{re.escape(__version__)}\+[0-9a-f]{{8}}", edited)
    assert edited.split("+")[0] == claim.extractor.split("+")[0] and edited != claim.extractor
