"""Every published field, held to what its value must be: the rows of ``claims``, ``articles`` and ``speakers``
(builder/models/published.py), each line of ``rejects.jsonl`` and ``manifest.json``, in a built dataset.

Values are computed again here from the raw files wherever they can be (a hash of the file's bytes, a slice of
the text, a count of rows), else written out by hand for small articles whose answer is plain. Two datasets: the
seed build (``seed_dist``) and the build of a small raw folder of every input shape and several kinds of bad
input (tests/mixed_raw.py), built once for this module.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from mixed_raw import (
    BERG,
    BERG_SIDECAR,
    FEED,
    INTERVIEW,
    LABEL,
    LATIN1,
    MINISTER,
    ROW,
    SPEECH,
    WYBORCZA,
    WYBORCZA_SIDECAR,
    build_mixed,
    labelled_claim_id,
)

from builder.extract import extractor_id
from builder.models import ClaimType, ExcludedKind, InputFormat, ResolutionKind, Split
from builder.version import __version__
from builder.worthiness import score_text
from conftest import RAW, REPO, rows_of

CLAIM_TYPES = [member.value for member in ClaimType]
SPLITS = [member.value for member in Split]
FORMATS = [member.value for member in InputFormat]
KINDS = [member.value for member in ExcludedKind]


@dataclass
class Built:
    """A built dataset folder and the raw folder it was built from, its outputs read once."""

    raw: Path
    dist: Path

    @cached_property
    def claims(self) -> list[dict[str, Any]]:
        return rows_of(self.dist, "claims")

    @cached_property
    def articles(self) -> dict[str, dict[str, Any]]:
        return {row["article_id"]: row for row in rows_of(self.dist, "articles")}

    @cached_property
    def speakers(self) -> list[dict[str, Any]]:
        return rows_of(self.dist, "speakers")

    @cached_property
    def rejects(self) -> list[dict[str, Any]]:
        lines = (self.dist / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.dist / "manifest.json").read_text(encoding="utf-8"))

    def claim(self, article_id: str, text: str) -> dict[str, Any]:
        (found,) = [c for c in self.claims if c["article_id"] == article_id and c["text"] == text]
        return found

    def text_of(self, claim: dict[str, Any]) -> str:
        return self.articles[claim["article_id"]]["text"]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(*build_mixed(tmp_path_factory.mktemp("mixed")))


@pytest.fixture
def seed(seed_dist: Path) -> Built:
    return Built(RAW, seed_dist)


@pytest.fixture(params=["seed", "mixed"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)


def line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def occurrence(text: str, words: str, claim: dict[str, Any]) -> tuple[int, int]:
    """The span of the first ``words`` from the start of the line the claim's context starts on."""
    start = text.index(words, line_start(text, claim["context_start"]))
    return start, start + len(words)


# The claims of the small articles, as a reader finds them: type, who (the words naming the speaker, and whom
# they name), the cue and medium, the interviewer's question, the sentence, and where the claim stands.
MIXED_CLAIMS: dict[tuple[str, str], dict[str, Any]] = {
    ("wyborcza", "taxes would rise by 2% next year"): {
        "type": "indirect_quote",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "cue": "told",
        "medium": "Polish daily Gazeta Wyborcza",
        "context": "Anna Berg told Polish daily Gazeta Wyborcza that taxes would rise by 2% next year.",
        "sentence": 0,
        "paragraph": 0,
    },
    ("wyborcza", "We have no other choice,"): {
        "type": "direct_quote",
        "speaker": "Anna Berg",
        "mention": "she",
        "cue": "said",
        "context": '"We have no other choice," she said.',
        "sentence": 1,
        "paragraph": 1,
    },
    ("wyborcza", "The ministry has 4,000 staff in Warsaw."): {
        "type": "author_statement",
        "sentence": 2,
        "paragraph": 1,
    },
    ("latin1", "tickets would cost £30 each, up from £25"): {
        "type": "indirect_quote",
        "speaker": "Tom Reed",
        "mention": "Tom Reed",
        "cue": "said",
        "context": "Tom Reed said tickets would cost £30 each, up from £25.",
        "sentence": 0,
        "paragraph": 0,
    },
    ("latin1", "The club sold 12,000 tickets in 2023."): {"type": "author_statement", "sentence": 1, "paragraph": 1},
    ("interview", "Taxes will rise by two percent next year."): {
        "type": "interview_answer",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "title": "Finance Minister",
        "question": "Will taxes rise next year?",
        "context": "Anna Berg, Finance Minister: Taxes will rise by two percent next year.",
        "sentence": 1,
        "paragraph": 1,
    },
    ("interview", "They will fall in 2026."): {
        "type": "interview_answer",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "title": "Finance Minister",
        "question": "Will taxes rise next year?",
        "sentence": 2,
        "paragraph": 1,
    },
    ("interview", "They will fall in May 2026."): {
        "type": "interview_answer",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "title": "Finance Minister",
        "question": "When will they fall?",
        "context": "Anna Berg, Finance Minister: They will fall in May 2026.",
        "sentence": 4,
        "paragraph": 3,
    },
    ("speech", "We will halve the deficit in two years,"): {
        "type": "direct_quote",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "cue": "said",
        "context": '"We will halve the deficit in two years," Anna Berg said.',
        "sentence": 0,
        "paragraph": 0,
    },
    # The later pieces of one quotation stand in the sentences from its opening: the context and sentence_index
    # are those of the quotation, the paragraph the piece's own.
    ("speech", "Every ministry will have to save, and the savings start in April."): {
        "type": "direct_quote",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "cue": "said",
        "context": SPEECH.split("\n\n")[1],
        "sentence": 0,
        "paragraph": 0,
    },
    ("speech", "Nobody will be spared, not even my own department."): {
        "type": "direct_quote",
        "speaker": "Anna Berg",
        "mention": "Anna Berg",
        "cue": "said",
        "context": SPEECH.strip().split("\n\n", 1)[1],
        "sentence": 0,
        "paragraph": 1,
    },
    ("berg", "taxes would rise by 2% next year"): {
        "type": "indirect_quote",
        "speaker": "Ms Berg",
        "mention": "Ms Berg",
        "cue": "said",
        "context": "Ms Berg said on Friday that taxes would rise by 2% next year.",
        "sentence": 0,
        "paragraph": 0,
    },
    ("minister", "The deficit will fall to 3% in 2025"): {
        "type": "indirect_quote",
        "speaker": "the finance minister",
        "mention": "the finance minister",
        "cue": "said",
        "context": "The deficit will fall to 3% in 2025, the finance minister said on Monday.",
        "sentence": 0,
        "paragraph": 0,
    },
    ("feed:1", "The harbour reopened on Tuesday after 14 months of repairs"): {
        "type": "indirect_quote",
        "speaker": "the port authority",
        "mention": "the port authority",
        "cue": "said",
        "context": FEED[0]["text"].split("\n\n")[1].strip(),
        "sentence": 0,
        "paragraph": 0,
    },
    ("feed:2", "The bridge will close for 3 weeks in June"): {
        "type": "indirect_quote",
        "speaker": "Lena Ford",
        "mention": "Lena Ford",
        "cue": "said",
        "context": "The bridge will close for 3 weeks in June, Lena Ford said.",
        "sentence": 0,
        "paragraph": 0,
    },
    ("rows:1", "Winds reached 120 km/h on Friday"): {
        "type": "indirect_quote",
        "speaker": "forecasters",
        "mention": "forecasters",
        "cue": "said",
        "context": "Winds reached 120 km/h on Friday, forecasters said.",
        "sentence": 0,
        "paragraph": 0,
    },
}


def expected_claims(mixed: Built) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = {(c["article_id"], c["text"]): c for c in mixed.claims}
    assert sorted(found) == sorted(MIXED_CLAIMS), "the small articles gave other claims than those listed"
    return [(found[key], expected) for key, expected in MIXED_CLAIMS.items()]


# --- claims: identity and text -------------------------------------------------------------------------------


def test_a_claim_id_is_the_hash_of_its_articles_bytes_and_its_span(built):
    for claim in built.claims:
        sha = built.articles[claim["article_id"]]["sha256"]
        key = f"{sha}:{claim['char_start']}:{claim['char_end']}"
        assert claim["claim_id"] == hashlib.sha256(key.encode("ascii")).hexdigest()[:16]
    assert len({c["claim_id"] for c in built.claims}) == len(built.claims)


def test_a_claim_is_the_raw_text_of_its_article_at_its_offsets(built):
    assert built.claims
    for claim in built.claims:
        text = built.text_of(claim)
        assert 0 <= claim["char_start"] < claim["char_end"] <= len(text)
        assert text[claim["char_start"] : claim["char_end"]] == claim["text"]


def test_each_claim_of_small_articles_has_the_type_the_text_gives(mixed):
    for claim, expected in expected_claims(mixed):
        assert CLAIM_TYPES[claim["claim_type"]] == expected["type"], claim["text"]


# --- claims: attribution -------------------------------------------------------------------------------------


def test_the_speaker_mention_is_the_words_naming_the_speaker(mixed):
    for claim, expected in expected_claims(mixed):
        text, mention = mixed.text_of(claim), expected.get("mention")
        where = (claim["speaker_start"], claim["speaker_end"])
        assert where == (occurrence(text, mention, claim) if mention else (None, None)), claim["text"]
        assert claim["speaker"] == expected.get("speaker"), claim["text"]


def test_the_speaker_mention_covers_the_hand_annotated_one_and_whole_words(seed):
    gold = [json.loads(line) for line in (REPO / "tests" / "gold" / "seeds.jsonl").read_text().splitlines()]
    by_span = {(g["article"].removesuffix(".txt"), g["char_start"], g["char_end"]): g for g in gold}
    compared = 0
    for claim in seed.claims:
        start, end = claim["speaker_start"], claim["speaker_end"]
        annotated = by_span.get((claim["article_id"], claim["char_start"], claim["char_end"]))
        if annotated is not None and annotated.get("speaker_start") is not None:
            compared += 1
            assert start is not None and start <= annotated["speaker_start"], claim["text"]
            assert annotated["speaker_end"] <= end, claim["text"]
        if start is not None:
            text = seed.text_of(claim)
            assert text[start].isalnum() and text[end - 1].isalnum(), text[start:end]
            assert not text[start - 1 : start].isalnum() and not text[end : end + 1].isalnum(), text[start:end]
    assert compared >= 75


def test_the_speaker_mention_sits_on_the_side_of_the_claim_its_cue_is_on(built):
    sides = Counter()
    for claim in built.claims:
        start, end, text = claim["speaker_start"], claim["speaker_end"], built.text_of(claim)
        if start is None:
            continue
        assert end <= claim["char_start"] or start >= claim["char_end"], "the mention overlaps the claim"
        if claim["cue_start"] is None:
            # An interview answer: the mention is the name opening the answer's turn.
            assert CLAIM_TYPES[claim["claim_type"]] == "interview_answer"
            assert start == line_start(text, start) and "\n" not in text[start : claim["char_start"]]
            continue
        cue_before = claim["cue_end"] <= claim["char_start"]
        assert (end <= claim["char_start"]) == cue_before, claim["text"]
        assert claim["context_start"] <= start and end <= claim["context_end"], claim["text"]
        sides[cue_before] += 1
    if built.raw == RAW:
        assert sides[True] and sides[False], "the seed has cues before and after their claims"


def test_a_speaker_title_is_the_one_the_article_gives(built, mixed):
    for claim in built.claims:
        if claim["speaker_title"] is not None:
            assert claim["speaker"] is not None and claim["speaker_title"] in built.text_of(claim)
    for claim, expected in expected_claims(mixed):
        assert claim["speaker_title"] == expected.get("title"), claim["text"]


def test_the_cue_is_the_raw_text_at_its_offsets(built, mixed):
    for claim in built.claims:
        if claim["cue"] is None:
            assert claim["cue_start"] is None and claim["cue_end"] is None
        else:
            assert built.text_of(claim)[claim["cue_start"] : claim["cue_end"]] == claim["cue"]
            assert claim["context_start"] <= claim["cue_start"] < claim["cue_end"] <= claim["context_end"]
    for claim, expected in expected_claims(mixed):
        cue = expected.get("cue")
        assert claim["cue"] == cue, claim["text"]
        where = occurrence(mixed.text_of(claim), cue, claim) if cue else (None, None)
        assert (claim["cue_start"], claim["cue_end"]) == where, claim["text"]


def test_the_medium_is_the_outlet_named_as_told_after_the_cue(seed, mixed):
    (told,) = [c for c in seed.claims if c["medium"] is not None]
    assert told["article_id"] == "000_441cd17370331efe" and told["cue"] == "told"
    assert told["medium"] == "Polish daily Gazeta Wyborcza"
    for built in (seed, mixed):
        for claim in built.claims:
            if claim["medium"] is not None:
                after = " ".join(built.text_of(claim)[claim["cue_end"] :].split())
                assert after.startswith(claim["medium"] + " ")
    for claim, expected in expected_claims(mixed):
        assert claim["medium"] == expected.get("medium"), claim["text"]


def interviewer_turn_before(text: str, at: int, interviewer: str) -> str:
    """The words of the last turn of ``interviewer`` before offset ``at``, without the name that opens it."""
    turns = [line for line in text[:at].splitlines() if interviewer in line.partition(": ")[0].lower()]
    return turns[-1].partition(": ")[2]


def test_an_interview_answer_carries_the_interviewers_turn_before_it(seed, mixed):
    text = seed.articles["003_440fd8f644ac4721"]["text"]
    answers = [c for c in seed.claims if CLAIM_TYPES[c["claim_type"]] == "interview_answer"]
    assert len(answers) == 35 and len({c["question"] for c in answers}) == 9
    for claim in answers:
        assert claim["question"] == interviewer_turn_before(text, claim["char_start"], "euronews"), claim["text"]
    for built in (seed, mixed):
        for claim in built.claims:
            if CLAIM_TYPES[claim["claim_type"]] != "interview_answer":
                assert claim["question"] is None, claim["text"]
    for claim, expected in expected_claims(mixed):
        assert claim["question"] == expected.get("question"), claim["text"]


def test_the_pieces_of_one_quotation_share_a_quote_id_the_id_of_the_first(built):
    pieces: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in built.claims:
        if CLAIM_TYPES[claim["claim_type"]] in ("direct_quote", "indirect_quote"):
            pieces[claim["quote_id"]].append(claim)
        else:
            assert claim["quote_id"] is None, claim["text"]
    assert None not in pieces
    for quote_id, group in pieces.items():
        group.sort(key=lambda c: c["char_start"])
        assert group[0]["claim_id"] == quote_id
        assert len({(c["article_id"], c["speaker"], c["speaker_start"]) for c in group}) == 1
    sizes = sorted(len(group) for group in pieces.values() if len(group) > 1)
    assert sizes == ([2] * 6 if built.raw == RAW else [3])  # the mixed folder's quotation over two paragraphs


# --- claims: where it stands ---------------------------------------------------------------------------------


def test_the_context_is_the_raw_text_at_its_offsets_around_the_claim(built, mixed):
    for claim in built.claims:
        start, end = claim["context_start"], claim["context_end"]
        assert built.text_of(claim)[start:end] == claim["context"]
        assert start <= claim["char_start"] < claim["char_end"] <= end
    for claim, expected in expected_claims(mixed):
        assert claim["context"] == expected.get("context", claim["text"]), claim["text"]


def test_the_selector_is_the_claim_with_the_32_characters_on_each_side(built):
    for claim in built.claims:
        text, start, end = built.text_of(claim), claim["char_start"], claim["char_end"]
        selector = claim["selector"]
        assert selector == {
            "exact": claim["text"],
            "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32],
        }
    assert any(len(c["selector"]["prefix"]) == 32 and len(c["selector"]["suffix"]) == 32 for c in built.claims)


def test_sentence_and_paragraph_indexes_count_the_body_from_zero(built, mixed):
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in built.claims:
        body = built.articles[claim["article_id"]]["body"]
        assert body[claim["paragraph_index"]]["start"] <= claim["char_start"] < body[claim["paragraph_index"]]["end"]
        # The sentence is the first of the context: no earlier than the paragraph the context opens in.
        opens_in = max(i for i, span in enumerate(body) if span["start"] <= claim["context_start"])
        assert claim["sentence_index"] >= opens_in, claim["text"]
        by_article[claim["article_id"]].append(claim)
    for claims in by_article.values():
        for one in claims:
            for other in claims:
                if other["context_start"] == one["context_start"]:
                    assert other["sentence_index"] == one["sentence_index"], (one["text"], other["text"])
                elif other["context_start"] >= one["context_end"]:
                    assert other["sentence_index"] > one["sentence_index"], (one["text"], other["text"])
    for claim, expected in expected_claims(mixed):
        assert (claim["sentence_index"], claim["paragraph_index"]) == (expected["sentence"], expected["paragraph"])


def test_check_worthiness_is_what_worthiness_score_gives_the_articles_claims(built):
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in built.claims:
        by_article[claim["article_id"]].append(claim)
    for claims in by_article.values():
        claims.sort(key=lambda c: (c["char_start"], c["char_end"]))
        lines = [
            {"text": c["text"], "speaker": c["speaker"], "claim_type": CLAIM_TYPES[c["claim_type"]]} for c in claims
        ]
        report = score_text("".join(json.dumps(line) + "\n" for line in lines))
        assert [c["check_worthiness"] for c in claims] == [scored.score for scored in report.scored]
    assert len({c["check_worthiness"] for c in built.claims}) > 3


# --- claims: provenance and the article's metadata ----------------------------------------------------------


def test_a_claim_repeats_its_articles_source_hash_and_metadata(built):
    pairs = (("source_file",) * 2, ("source_line",) * 2, ("article_sha256", "sha256"))
    pairs += (("outlet",) * 2, ("url",) * 2, ("published",) * 2, ("language",) * 2, ("split",) * 2)
    for claim in built.claims:
        article = built.articles[claim["article_id"]]
        assert {mine: claim[mine] for mine, _ in pairs} == {mine: article[theirs] for mine, theirs in pairs}
    for field in ("outlet", "url", "published", "language"):
        assert any(c[field] is not None for c in built.claims), field


def test_the_claims_of_jsonl_and_parquet_records_name_the_line_or_row(mixed):
    assert {(c["source_file"], c["source_line"]) for c in mixed.claims if c["source_line"] is not None} == {
        ("articles/feed.jsonl", 1),
        ("articles/feed.jsonl", 2),
        ("articles/rows.parquet", 1),
    }


def test_article_sha256_is_the_hash_of_the_raw_file_bytes_not_of_the_decoded_text(built):
    for article in built.articles.values():
        if FORMATS[article["input_format"]] == "txt":
            data = (built.raw / article["source_file"]).read_bytes()
            assert article["sha256"] == hashlib.sha256(data).hexdigest()
        else:  # a JSONL line or a Parquet row: the UTF-8 bytes of its text value, the raw bytes it adds
            assert article["sha256"] == hashlib.sha256(article["text"].encode("utf-8")).hexdigest()
    for claim in built.claims:
        assert claim["article_sha256"] == built.articles[claim["article_id"]]["sha256"]


def test_a_cp1252_articles_hash_is_of_its_bytes_on_disk(mixed):
    data = LATIN1.encode("cp1252")
    assert data != LATIN1.encode("utf-8")
    (claim, *_) = [c for c in mixed.claims if c["article_id"] == "latin1"]
    assert claim["article_sha256"] == mixed.articles["latin1"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_extractor_names_the_rules_and_their_version(built):
    assert {c["extractor"] for c in built.claims} == {extractor_id()}
    assert re.fullmatch(rf"factpack-rules/{re.escape(__version__)}\+[0-9a-f]{{8}}", extractor_id())


# --- claims: across articles ---------------------------------------------------------------------------------


def test_a_speaker_id_is_the_id_of_the_speakers_row_naming_the_speaker(built, mixed):
    ids = {row["speaker_id"]: row for row in built.speakers}
    for claim in built.claims:
        if claim["speaker_id"] is not None:
            row = ids[claim["speaker_id"]]
            assert " ".join(claim["speaker"].split()) in [row["name"], *row["aliases"]]
        elif claim["speaker"] is not None:
            assert all(" ".join(claim["speaker"].split()) not in [r["name"], *r["aliases"]] for r in built.speakers)
    ford = mixed.claim("feed:2", "The bridge will close for 3 weeks in June")
    # A role the interview gives Anna Berg, in an article that does not name her, links to her.
    wanted = {"Anna Berg": "anna-berg", "Ms Berg": "anna-berg", "the finance minister": "anna-berg"}
    wanted |= {"Tom Reed": "tom-reed", ford["speaker"]: "lena-ford"}
    wanted |= {"the port authority": None, "forecasters": None, None: None}
    for claim in mixed.claims:
        assert claim["speaker_id"] == wanted[claim["speaker"]], claim["text"]


def test_cluster_size_counts_the_claims_of_the_cluster_and_its_id_is_the_smallest(built):
    members: dict[str, list[str]] = defaultdict(list)
    for claim in built.claims:
        members[claim["cluster_id"]].append(claim["claim_id"])
    for claim in built.claims:
        assert claim["cluster_size"] == len(members[claim["cluster_id"]])
        assert claim["cluster_id"] == min(members[claim["cluster_id"]])
    assert any(len(ids) == 2 for ids in members.values())


def test_a_claim_repeated_in_another_article_is_one_cluster_of_two(mixed):
    told = mixed.claim("wyborcza", "taxes would rise by 2% next year")
    said = mixed.claim("berg", "taxes would rise by 2% next year")
    assert told["cluster_id"] == said["cluster_id"] == min(told["claim_id"], said["claim_id"])
    assert told["cluster_size"] == said["cluster_size"] == 2
    assert [c["cluster_size"] for c in mixed.claims].count(1) == len(mixed.claims) - 2


def test_no_cluster_or_article_is_in_two_splits_and_the_oldest_are_in_train(built, mixed):
    splits: dict[str, set[int]] = defaultdict(set)
    for claim in built.claims:
        splits[claim["cluster_id"]].add(claim["split"])
        assert claim["split"] == built.articles[claim["article_id"]]["split"]
    assert all(len(found) == 1 for found in splits.values())
    # Temporal: the oldest to train, then validation, then test; an undated article after every dated one.
    ages: dict[int, list[tuple[bool, date]]] = defaultdict(list)
    for article in mixed.articles.values():
        published = article["published"]
        ages[article["split"]].append((published is None, published or date.min))
    assert sorted(ages) == [0, 1, 2]
    for earlier, later in pairwise(sorted(ages)):
        assert max(ages[earlier]) <= min(ages[later])


def test_a_curators_label_lands_on_its_claim_and_no_other(built, mixed):
    labelled = mixed.claim("wyborcza", "taxes would rise by 2% next year")
    assert labelled["claim_id"] == labelled_claim_id()
    found = {key: labelled[key] for key in ("verdict", "check_worthy", "correction", "label_source")}
    assert found == {**LABEL, "label_source": "labels.jsonl:2"}
    for claim in built.claims:
        if claim is not labelled:
            assert [claim[key] for key in found] == [None] * 4, claim["text"]


# --- articles ------------------------------------------------------------------------------------------------


MIXED_ARTICLES: dict[str, dict[str, Any]] = {
    "wyborcza": {
        "source_file": "articles/wyborcza.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "utf-8",
        "title": "Berg says taxes will rise",
        **{key: WYBORCZA_SIDECAR[key] for key in ("outlet", "url", "language", "notes")},
        "published": date.fromisoformat(WYBORCZA_SIDECAR["published"]),
        "byline": "Jan Nowak",
        "dateline": "WARSAW",
        "field_sources": {"title": "text:1", "byline": "text:2", "dateline": "text:4"}
        | dict.fromkeys(("outlet", "url", "published", "language"), "sidecar"),
        "ignored_fields": [],
        "text": WYBORCZA,
    },
    "latin1": {
        "source_file": "articles/latin1.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "cp1252",
        "title": "Prices",
        "field_sources": {"title": "text:1"},
        "ignored_fields": [],
        "text": LATIN1,
    },
    "interview": {
        "source_file": "articles/interview.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "utf-8",
        "title": "Taxes: an interview",
        "field_sources": {"title": "text:1"},
        "ignored_fields": [],
        "text": INTERVIEW,
    },
    "speech": {
        "source_file": "articles/speech.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "utf-8",
        "title": "Budget speech",
        "field_sources": {"title": "text:1"},
        "ignored_fields": [],
        "text": SPEECH,
    },
    "berg": {
        "source_file": "articles/berg.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "utf-8",
        "title": "Budget day",
        "outlet": BERG_SIDECAR["outlet"],
        "published": date.fromisoformat(BERG_SIDECAR["published"]),
        "language": "en",
        "field_sources": {"title": "text:1"} | dict.fromkeys(("outlet", "published", "language"), "sidecar"),
        "ignored_fields": [],
        "text": BERG,
    },
    "minister": {
        "source_file": "articles/minister.txt",
        "source_line": None,
        "input_format": "txt",
        "encoding": "utf-8",
        "title": "Deficit",
        "field_sources": {"title": "text:1"},
        "ignored_fields": [],
        "text": MINISTER,
    },
    "feed:1": {
        "source_file": "articles/feed.jsonl",
        "source_line": 1,
        "input_format": "jsonl",
        "encoding": "utf-8",
        "title": "Harbour reopens",
        **{key: FEED[0][key] for key in ("outlet", "url", "language")},
        "published": date.fromisoformat(FEED[0]["published"]),
        "byline": "A. Writer",
        "field_sources": {"title": "text:1"}
        | dict.fromkeys(("outlet", "url", "published", "language", "byline"), "jsonl"),
        "ignored_fields": ["source_domain"],
        "text": FEED[0]["text"],
    },
    "feed:2": {
        "source_file": "articles/feed.jsonl",
        "source_line": 2,
        "input_format": "jsonl",
        "encoding": "utf-8",
        "title": "Bridge closes",
        "published": date.fromisoformat(FEED[1]["date_publish"]),
        "outlet": "Coast News",
        "field_sources": {"title": "jsonl", "published": "jsonl", "outlet": "jsonl"},
        "ignored_fields": ["hostname"],
        "text": FEED[1]["maintext"],
    },
    "rows:1": {
        "source_file": "articles/rows.parquet",
        "source_line": 1,
        "input_format": "parquet",
        "encoding": "utf-8",
        "title": "Wind",
        "url": ROW["url"],
        "published": date.fromisoformat(ROW["published"]),
        "field_sources": {"title": "text:1", "url": "parquet", "published": "parquet"},
        "ignored_fields": ["image_url"],
        "text": ROW["text"],
    },
}
METADATA = ("title", "outlet", "url", "published", "language", "byline", "dateline")


def test_each_article_says_where_it_was_read_and_what_it_says_of_itself(mixed):
    assert sorted(mixed.articles) == sorted(MIXED_ARTICLES)
    for article_id, expected in MIXED_ARTICLES.items():
        article = dict(mixed.articles[article_id])
        article["input_format"] = FORMATS[article["input_format"]]
        wanted = dict.fromkeys((*METADATA, "notes"), None) | expected
        wanted["field_sources"] = dict.fromkeys(METADATA, None) | expected["field_sources"]
        assert {key: article[key] for key in wanted} == wanted, article_id


def test_an_articles_text_is_its_raw_file_decoded_with_the_encoding_it_names(built):
    for article in built.articles.values():
        if FORMATS[article["input_format"]] == "txt":
            data = (built.raw / article["source_file"]).read_bytes()
            assert article["text"] == data.decode(article["encoding"])
            assert article["article_id"] == article["source_file"].removeprefix("articles/").removesuffix(".txt")
        else:
            stem = article["source_file"].removeprefix("articles/").rsplit(".", 1)[0]
            assert article["article_id"] == f"{stem}:{article['source_line']}"


def spans_in_order(spans: list[dict[str, Any]], length: int) -> None:
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= length
    for earlier, later in pairwise(spans):
        assert earlier["end"] <= later["start"]


def test_the_body_and_the_excluded_stretches_are_ordered_disjoint_raw_spans(built, mixed):
    for article in built.articles.values():
        text, body, excluded = article["text"], article["body"], article["excluded"]
        spans_in_order(body, len(text))
        spans_in_order(excluded, len(text))
        for kept in body:
            assert text[kept["start"] : kept["end"]].strip()
            assert all(kept["end"] <= out["start"] or out["end"] <= kept["start"] for out in excluded)
        assert all(KINDS[out["kind"]] in KINDS for out in excluded)
    wyborcza = mixed.articles["wyborcza"]
    pieces = [(KINDS[s["kind"]], WYBORCZA[s["start"] : s["end"]]) for s in wyborcza["excluded"]]
    assert pieces == [("title", "Berg says taxes will rise"), ("byline", "By Jan Nowak"), ("dateline", "WARSAW — ")]
    assert [WYBORCZA[s["start"] : s["end"]] for s in wyborcza["body"]] == [
        "Anna Berg told Polish daily Gazeta Wyborcza that taxes would rise by 2% next year.",
        '"We have no other choice," she said. The ministry has 4,000 staff in Warsaw.',
    ]
    turns = [INTERVIEW[s["start"] : s["end"]] for s in mixed.articles["interview"]["body"]]
    assert turns == INTERVIEW.strip().split("\n\n")[1:] and turns[-1].endswith("May 2026.")


# --- speakers ------------------------------------------------------------------------------------------------


def test_a_speaker_row_names_and_counts_the_claims_linked_to_it(built, mixed):
    linked: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in built.claims:
        if claim["speaker_id"] is not None:
            linked[claim["speaker_id"]].append(claim)
    assert [row["speaker_id"] for row in built.speakers] == sorted(linked)
    for row in built.speakers:
        claims = linked[row["speaker_id"]]
        names = {" ".join(c["speaker"].split()) for c in claims}
        assert row["name"] in names or row["qid"] is not None
        assert row["aliases"] == sorted(names - {row["name"]})
        assert row["titles"] == sorted({c["speaker_title"] for c in claims} - {None})
        assert row["claim_count"] == len(claims)
        assert row["article_count"] == len({c["article_id"] for c in claims})
    berg = {row["speaker_id"]: row for row in mixed.speakers}["anna-berg"]
    assert berg == {
        "speaker_id": "anna-berg",
        "name": "Anna Berg",
        "aliases": ["Ms Berg", "the finance minister"],
        "qid": "Q4115189",
        "titles": ["Finance Minister"],
        "speaker_type": 0,  # person
        "claim_count": 10,
        "article_count": 5,
    }
    assert all(row["qid"] is None for row in built.speakers if row["speaker_id"] != "anna-berg")


# --- rejects.jsonl -------------------------------------------------------------------------------------------


def test_each_kind_of_bad_input_is_one_line_naming_file_line_field_stage_and_article(mixed):
    expected = [
        ("articles/binary.txt", None, "text", "ingest", "articles/binary.txt", "only text articles are read"),
        ("articles/broken.json", 1, "", "ingest", "articles/broken.txt", "malformed JSON at line 1"),
        ("articles/empty.txt", None, "text", "ingest", "articles/empty.txt", "remove the file or fill it"),
        ("articles/feed.jsonl", 3, "", "ingest", "articles/feed.jsonl:3", "malformed JSON"),
        ("articles/feed.jsonl", 4, "colour", "ingest", "articles/feed.jsonl:4", "unknown field"),
        ("articles/feed.jsonl", 5, "url", "validate", "articles/feed.jsonl:5", "got 'not a url'"),
        ("articles/future.json", None, "published", "validate", "articles/future.txt", "is in the future"),
        ("articles/stray.json", None, "", "ingest", "articles/stray.json", "no stray.txt beside it"),
        ("articles/wyborcza_again.txt", None, "text", "validate", "articles/wyborcza_again.txt", "same raw"),
        ("labels.jsonl", 1, "claim_id", "labels", "labels.jsonl", "matches no claim"),
    ]
    assert [list(row) for row in mixed.rejects] == [["file", "line", "loc", "reason", "stage", "article", "kept"]] * 10
    assert not any(row["kept"] for row in mixed.rejects)  # built without --drop-bad-metadata: every one rejected
    found = [(r["file"], r["line"], r["loc"], r["stage"], r["article"]) for r in mixed.rejects]
    assert found == [row[:5] for row in expected]
    for row, (*_, phrase) in zip(mixed.rejects, expected, strict=True):
        assert phrase in row["reason"], row


# --- manifest.json -------------------------------------------------------------------------------------------


def test_the_manifest_names_the_factpack_and_tools_that_built_the_folder(built):
    assert built.manifest["factpack_version"] == __version__
    tools = {name: version(name) for name in ("datasets", "pyarrow", "pydantic", "huggingface_hub")}
    assert built.manifest["versions"] == {"python": platform.python_version(), **tools}


def test_the_manifest_records_every_option_that_shaped_the_output(mixed):
    assert mixed.manifest["config"] == {
        "ingest": {"articles_dir": "articles", "max_bytes": 100_000, "encoding_fallback": "cp1252"},
        "clean": {"header_lines": 12},
        "validation": {"skip_invalid": True, "drop_bad_metadata": False},
        "extract": {"min_chars": 2, "worthiness_model": "worthiness-model.json"},
        "link": {"speakers_file": "speakers.json"},
        "cluster": {
            "shingle_words": 3,
            "num_perm": 64,
            "bands": 32,
            "threshold": 0.6,
            "containment": 0.8,
            "min_containment_shingles": 5,
            "seed": 20141006,
        },
        "matches": {
            "enabled": True,
            "max_word_claims": 20,
            "min_shared_words": 2,
            "window_days": 31,
            "threshold": 0.5,
            "statement_threshold": 0.75,
            "factchecks_dir": "factchecks",
            "factcheck_top": 3,
            "model_file": "match-model.json",
        },
        "split": {"mode": "temporal", "train": 0.6, "validation": 0.2, "test": 0.2},
        "labels": {"labels_file": "labels.jsonl", "allow_orphans": True},
        "publish": {"metadata_file": "dataset.json", "max_shard_rows": 4},
    }


def test_the_manifest_counts_what_the_folder_holds(built):
    claims, articles, counts = built.claims, built.articles.values(), built.manifest["counts"]
    clusters: dict[str, set[str]] = defaultdict(set)
    sizes = Counter(c["cluster_id"] for c in claims)
    for claim in claims:
        clusters[claim["cluster_id"]].add(claim["article_id"])
    refused = [r for r in built.rejects if r["stage"] != "labels" and not r["kept"]]
    assert counts == {
        "articles_seen": len(built.articles) + len({r["article"] for r in refused}),
        "articles_accepted": len(built.articles),
        "articles_rejected": len({r["article"] for r in refused}),
        "rejections": len(refused),
        "fields_dropped": sum(r["kept"] for r in built.rejects),
        "claims": len(claims),
        "speakers": len(built.speakers),
        "clusters": len(clusters),
        "multi_claim_clusters": sum(size > 1 for size in sizes.values()),
        "cross_article_clusters": sum(len(found) > 1 for found in clusters.values()),
        "match_groups": len({c["match_group"] for c in claims} - {None}),
        "claims_in_match_groups": sum(c["match_group"] is not None for c in claims),
        "matched_pairs": len(rows_of(built.dist, "matches")),
        "factcheck_matches": len(rows_of(built.dist, "factcheck_matches")),
        "claims_per_split": {s: n for s in SPLITS if (n := sum(SPLITS[c["split"]] == s for c in claims))},
        "articles_per_split": {s: n for s in SPLITS if (n := sum(SPLITS[a["split"]] == s for a in articles))},
        "labels_merged": sum(c["label_source"] is not None for c in claims),
        "labels_reanchored": 0,
        "labels_orphaned": sum(r["stage"] == "labels" for r in built.rejects),
    }


def entries_on_disk(root: Path, paths: list[str], *, shards: bool) -> list[dict[str, Any]]:
    """Each file's entry as read from disk; with ``shards``, a Parquet file's rows too (an input's are not counted)."""
    entries = []
    for path in paths:
        data = (root / path).read_bytes()
        rows = pq.read_metadata(root / path).num_rows if shards and path.endswith(".parquet") else None
        entries.append({"path": path, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "rows": rows})
    return entries


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_manifest_inputs_are_every_raw_file_read_with_its_hash_and_size(built):
    # A sidecar without its text is refused by its name alone: it is never read, so it is no input.
    read = [path for path in files_under(built.raw) if path != "articles/stray.json"]
    assert built.manifest["inputs"] == entries_on_disk(built.raw, read, shards=False)


def test_the_manifest_outputs_are_every_file_written_with_its_hash_size_and_rows(built):
    written = [path for path in files_under(built.dist) if path != "manifest.json"]
    assert built.manifest["outputs"] == entries_on_disk(built.dist, written, shards=True)
    if built.raw != RAW:  # at most 4 rows a shard (max_shard_rows), named as the Hub names them
        for config, rows in (("claims", built.claims), ("articles", built.articles.values())):
            expected = []
            for split, count in sorted(Counter(SPLITS[row["split"]] for row in rows).items()):
                names = [path for path in written if path.startswith(f"{config}/{split}-")]
                shards = len(names)
                assert shards >= -(-count // 4)  # buckets by article: some shards hold fewer than 4
                sizes = [pq.read_metadata(built.dist / name).num_rows for name in names]
                assert sum(sizes) == count and max(sizes) <= 4
                expected += [f"{config}/{split}-{i:05d}-of-{shards:05d}.parquet" for i in range(shards)]
            assert [path for path in written if path.startswith(f"{config}/")] == expected


def test_the_manifest_schemas_are_the_hash_of_each_configs_features(built):
    schemas = {}
    for shard in sorted(built.dist.glob("*/*.parquet")):
        metadata = json.loads(pq.read_schema(shard).metadata[b"huggingface"])
        canonical = json.dumps(metadata["info"]["features"], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        assert schemas.setdefault(shard.parent.name, digest) == digest, f"{shard} holds other features"
    assert built.manifest["schemas"] == schemas
    assert set(schemas) == {"claims", "articles", "speakers", "matches"}


# Standalone claims: every published row carries its text with its references resolved.

RESOLUTION_KINDS = [member.value for member in ResolutionKind]


def test_standalone_is_the_text_with_each_resolution_applied_at_its_raw_offsets(built):
    for claim in built.claims:
        text = built.text_of(claim)
        rebuilt, done = [], claim["char_start"]
        for resolution in claim["resolutions"]:
            assert text[resolution["start"] : resolution["end"]] == resolution["mention"]
            assert claim["char_start"] <= done <= resolution["start"] < resolution["end"] <= claim["char_end"]
            assert 0 <= resolution["antecedent_start"] < resolution["antecedent_end"] <= len(text)
            assert RESOLUTION_KINDS[resolution["kind"]] in {"pronoun", "name", "description"}
            rebuilt += [text[done : resolution["start"]], resolution["replacement"]]
            done = resolution["end"]
        rebuilt.append(text[done : claim["char_end"]])
        assert claim["standalone"] == "".join(rebuilt)
        if not claim["resolutions"]:
            assert claim["standalone"] == claim["text"]


# (article file prefix, claim text start) -> (mention, replacement) of every resolution, read by hand: all right.
SEED_RESOLUTIONS = {
    ("000", "Aiming to reassure allies"): [("the alliance", "NATO")],
    ("000", "Stoltenberg, 55, who"): [("Stoltenberg", "Jens Stoltenberg")],
    ("003", "And I met him"): [("him", "Vladimir Putin")],
    ("004", "Russia is our neighbour, she’s not going anywhere,"): [("she’s", "Russia is")],
}


@pytest.mark.parametrize(("where", "expected"), sorted(SEED_RESOLUTIONS.items()))
def test_the_seed_claims_the_issue_names_stand_alone(seed, where, expected):
    prefix, start = where
    found = [
        c for c in seed.claims if c["source_file"].startswith(f"articles/{prefix}") and c["text"].startswith(start)
    ]
    assert found, where
    for claim in found:
        assert [(r["mention"], r["replacement"]) for r in claim["resolutions"]][: len(expected)] == expected


def test_a_resolution_points_at_a_naming_of_its_replacement(seed):
    for claim in seed.claims:
        text = seed.text_of(claim)
        for resolution in claim["resolutions"]:
            named = text[resolution["antecedent_start"] : resolution["antecedent_end"]]
            assert named.split()[-1] in resolution["replacement"], (named, resolution)


def test_needs_context_marks_a_claim_whose_third_person_reference_stayed(seed):
    flagged = [c for c in seed.claims if c["needs_context"]]
    assert flagged
    words = {"he", "she", "him", "his", "her", "hers", "its", "they", "them", "their", "theirs"}
    for claim in flagged:
        left = claim["standalone"].lower().replace("’", "'").replace(",", " ").replace(".", " ").split()
        assert words & {word.split("'")[0] for word in left}, claim["standalone"]


def test_a_claim_refuses_a_standalone_its_resolutions_do_not_give():
    from pydantic import ValidationError

    from builder.models import Resolution
    from conftest import make_claim

    he = Resolution(
        start=10, end=12, mention="He", replacement="Anna Berg", antecedent_start=0, antecedent_end=9, kind="pronoun"
    )
    claim = make_claim("a", "He is right.", 10, standalone="Anna Berg is right.", resolutions=[he])
    assert claim.standalone == "Anna Berg is right."
    assert make_claim("a", "He is right.", 10).standalone == "He is right."  # nothing resolved: the text
    with pytest.raises(ValidationError, match="standalone must be text with the resolutions applied"):
        make_claim("a", "He is right.", 10, standalone="Tom Hale is right.", resolutions=[he])
    with pytest.raises(ValidationError, match="is not in the text"):
        make_claim("a", "He is right.", 11, standalone="Anna Berg is right.", resolutions=[he])
    with pytest.raises(ValidationError, match="end - start must equal len"):
        Resolution(start=0, end=3, mention="He", replacement="X", antecedent_start=0, antecedent_end=1, kind="name")
    with pytest.raises(ValidationError, match="antecedent_start must be before"):
        Resolution(start=0, end=2, mention="He", replacement="X", antecedent_start=4, antecedent_end=4, kind="name")
