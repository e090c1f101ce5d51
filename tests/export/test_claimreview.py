from __future__ import annotations

import json
import shutil
from collections import Counter
from typing import Any

import pytest

from builder.errors import ConfigError, DistError
from builder.export import export_claimreview
from builder.export.claimreview import claim_document
from builder.models import ClaimType
from conftest import rows_of
from rich_dataset import EMOJI_ARTICLE, STOLTENBERG_QID, claims_in_order

CLAIM_TYPES = list(ClaimType)


def nodes(value: Any) -> list[dict[str, Any]]:
    """Every JSON-LD node (an object with an @type) in a document, nested ones included."""
    found = []
    if isinstance(value, dict):
        if "@type" in value:
            found.append(value)
        for item in value.values():
            found += nodes(item)
    return found


def test_one_claim_document_per_claim_row_in_parquet_order(seed_dist, tmp_path):
    out = tmp_path / "claims.jsonl"
    report = export_claimreview(seed_dist, out)
    lines = out.read_text(encoding="utf-8").splitlines()
    documents = [json.loads(line) for line in lines]
    rows = claims_in_order(seed_dist)
    assert report.claims == len(documents) == len(rows) > 0
    assert [d["identifier"] for d in documents] == [r["claim_id"] for r in rows]
    articles = {a["article_id"]: a for a in rows_of(seed_dist, "articles")}
    speakers = {s["speaker_id"]: s for s in rows_of(seed_dist, "speakers")}
    for document, row in zip(documents, rows, strict=True):
        article = articles[row["article_id"]]
        assert document["@context"] == "https://schema.org"
        assert document["@type"] == "Claim"
        assert document["@id"] == f"urn:factpack:claim:{row['claim_id']}"
        assert document["text"] == row["text"]
        assert document["claimReviewed"] == row["standalone"]
        published = article["published"].isoformat() if article["published"] else None
        assert document.get("datePublished") == published  # absent, not null, when the article has no date
        assert document.get("inLanguage") == article["language"]
        appearance = document["appearance"]
        assert appearance["@type"] == "NewsArticle"
        assert appearance.get("headline") == article["title"]
        assert appearance.get("datePublished") == published
        assert appearance.get("url") == article["url"]
        assert appearance["@id"] == article["url"] or appearance["@id"].startswith("urn:factpack:article:")
        assert appearance["publisher"] == {
            "@type": "Organization",
            "@id": appearance["publisher"]["@id"],
            "name": article["outlet"],
        }
        author = document.get("author")
        if row["speaker"] is not None and row["speaker_id"] is not None:
            assert author["@type"] == "Person"
            assert author["name"] == speakers[row["speaker_id"]]["name"]
            assert author["@id"] == f"urn:factpack:speaker:{row['speaker_id']}"
            # Linked speakers share one node across lines, so it carries no per-article title.
            assert "jobTitle" not in author
            assert "sameAs" not in author  # the seed curates no QID
        elif row["speaker"] is not None:
            # Not linked across articles (the seed's "NATO"): a node of this article's own, named as resolved.
            assert author["name"] == row["speaker"]
            assert author["@id"].startswith(f"urn:factpack:article:{row['article_id']}:speaker:")
        elif CLAIM_TYPES[row["claim_type"]] is ClaimType.AUTHOR_STATEMENT:
            assert author == appearance["publisher"]
        else:
            assert author is None
        assert all("@id" in node for node in nodes(document))
    assert sum(report.authors.values()) == report.claims
    assert report.authors["Organization"] == sum(1 for d in documents if d["author"]["@type"] == "Organization")


def test_claim_reviewed_is_the_claim_readable_on_its_own_and_text_stays_the_exact_words(seed_dist, tmp_path):
    out = tmp_path / "claims.jsonl"
    export_claimreview(seed_dist, out)
    documents = {d["identifier"]: d for d in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    rows = {row["claim_id"]: row for row in rows_of(seed_dist, "claims")}
    articles = {a["article_id"]: a["text"] for a in rows_of(seed_dist, "articles")}
    resolved = [row for row in rows.values() if row["resolutions"]]
    assert resolved, "the seed has claims whose references are resolved"
    for row in resolved:
        document = documents[row["claim_id"]]
        assert document["claimReviewed"] == row["standalone"] != row["text"]
        assert document["text"] == articles[row["article_id"]][row["char_start"] : row["char_end"]]
        for resolution in row["resolutions"]:
            assert resolution["replacement"] in document["claimReviewed"]
    (took_up,) = [d for d in documents.values() if d["text"].startswith("He took up his post")]
    assert took_up["claimReviewed"] == "Jens Stoltenberg took up his post as secretary-general on October the 1st."
    # Nothing to resolve: the claim reviewed is the text itself, never left out.
    plain = [row for row in rows.values() if not row["resolutions"]]
    assert plain and all(documents[row["claim_id"]]["claimReviewed"] == row["text"] for row in plain)


def test_shared_nodes_are_the_same_in_every_line(seed_dist, tmp_path):
    out = tmp_path / "claims.jsonl"
    export_claimreview(seed_dist, out)
    seen: dict[str, dict[str, Any]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        for node in nodes(json.loads(line)):
            if node["@type"] == "Claim":
                continue
            assert seen.setdefault(node["@id"], node) == node
    assert {node["@type"] for node in seen.values()} == {"Person", "NewsArticle", "Organization"}


def test_a_curated_qid_becomes_same_as_and_odd_characters_stay_valid(rich_dist, tmp_path):
    out = tmp_path / "claims.jsonl"
    export_claimreview(rich_dist, out)
    documents = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stoltenberg = [d["author"] for d in documents if d.get("author", {}).get("name") == "Jens Stoltenberg"]
    assert stoltenberg and all(a["sameAs"] == f"https://www.wikidata.org/wiki/{STOLTENBERG_QID}" for a in stoltenberg)
    emoji = [d for d in documents if d["appearance"]["headline"].startswith("Ukraine 🇺🇦")]
    assert {d["author"]["name"] for d in emoji} == {"Dmytro Kuleba", "Example Wire"}
    wire = next(d["author"] for d in emoji if d["author"]["@type"] == "Organization")
    assert wire["@id"] == "urn:factpack:outlet:Example%20Wire"
    assert "😀" in "".join(d["text"] for d in emoji)
    assert all(d["appearance"]["@id"] == "https://example.org/wire/005" for d in emoji)
    assert EMOJI_ARTICLE not in out.read_text(encoding="utf-8")  # the article has a URL: no urn for it


def test_the_export_is_deterministic_and_stays_out_of_the_dataset(seed_dist, tmp_path):
    export_claimreview(seed_dist, tmp_path / "a.jsonl")
    export_claimreview(seed_dist, tmp_path / "b.jsonl")
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    with pytest.raises(ConfigError, match="inside the dataset folder"):
        export_claimreview(seed_dist, seed_dist / "claims.jsonl")
    assert not (seed_dist / "claims.jsonl").exists()
    with pytest.raises(ConfigError, match="is a folder"):
        export_claimreview(seed_dist, tmp_path)


def test_a_folder_that_is_no_dataset_is_refused_and_nothing_is_written(seed_dist, tmp_path):
    with pytest.raises(DistError, match="not a dataset folder"):
        export_claimreview(tmp_path, tmp_path.parent / "out.jsonl")
    broken = tmp_path / "broken"
    shutil.copytree(seed_dist, broken)
    next((broken / "claims").glob("train-*.parquet")).write_bytes(b"PAR1 torn")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    with pytest.raises(DistError, match="not a readable parquet shard"):
        export_claimreview(broken, out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "out.jsonl"]  # no partial file left


def test_a_person_is_a_person_and_an_organisation_or_a_group_an_organization():
    from builder.dataset_folder import ArticleInfo
    from builder.models import SpeakerType
    from conftest import make_claim

    article = ArticleInfo("a", "articles/a.txt", "t", "Example Wire", None, None, "en")
    for kind, expected in [
        (SpeakerType.PERSON, "Person"),
        (SpeakerType.ORGANISATION, "Organization"),
        (SpeakerType.GROUP, "Organization"),
        (None, "Person"),
    ]:
        claim = make_claim(
            "a", "Prices will rise.", speaker="Analysts at Velmont", speaker_type=kind, speaker_title="x"
        )
        author = claim_document(claim, article, {})["author"]
        assert author["@type"] == expected and author["name"] == "Analysts at Velmont"
        assert ("jobTitle" in author) == (expected == "Person")  # schema.org gives only a Person a jobTitle


def test_the_report_counts_authors_by_type_and_claims_by_speaker_type(seed_dist, tmp_path):
    report = export_claimreview(seed_dist, tmp_path / "claims.jsonl")
    rows = claims_in_order(seed_dist)
    names = ["person", "organisation", "group"]
    expected = Counter(names[r["speaker_type"]] if r["speaker_type"] is not None else "none" for r in rows)
    assert report.speaker_types == dict(sorted(expected.items()))
    assert report.speaker_types["organisation"] == 1  # NATO
