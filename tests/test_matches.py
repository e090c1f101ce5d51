"""Claim matching in the build: the same claim in other words across articles, groups that do not chain, match
groups kept in one split, and claims linked to published fact-checks."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig, MatchConfig
from builder.matches import _groups
from builder.pipeline import build
from conftest import COLD_WAR_FACTCHECK, rows_of, write_article

COLD_WAR = ("ad7c6064abf52ec8", "dc97bd6338c9f849")  # TASS and RBC: "Even during the cold war we had ..."


def _groups_of(dist: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in rows_of(dist, "claims"):
        if row["match_group"] is not None:
            found.setdefault(row["match_group"], set()).add(row["claim_id"])
    return found


def test_the_seeds_cold_war_claim_is_one_group_across_two_outlets_and_nothing_else_is_joined(seed_dist):
    assert list(_groups_of(seed_dist).values()) == [set(COLD_WAR)]
    (pair,) = rows_of(seed_dist, "matches")
    assert (pair["claim_id"], pair["other_claim_id"], pair["match_group"]) == (*COLD_WAR, COLD_WAR[0])
    assert {"cold", "war", "relationship", "russia"} <= set(pair["shared_words"])


def test_an_article_saying_the_opposite_is_not_joined_to_the_claim_it_denies(raw_copy, tmp_path):
    write_article(
        raw_copy,
        "denial",
        'Oslo, 4 April.\n\nJens Stoltenberg said: "Even during the cold war we never had a working relationship '
        'with Russia on many issues."\n',
    )
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=dist))
    denial = [row for row in rows_of(dist, "claims") if "never had" in row["text"]]
    assert denial and all(row["match_group"] is None for row in denial)
    assert set(COLD_WAR) in _groups_of(dist).values()


def test_matching_switched_off_leaves_no_group_and_no_matches_config(tmp_path):
    from conftest import RAW

    dist = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=RAW, out_dir=dist, matches=MatchConfig(enabled=False)))
    assert report.counts.match_groups == 0 and not (dist / "matches").exists()
    assert all(row["match_group"] is None for row in rows_of(dist, "claims"))


def test_a_claim_repeating_a_published_fact_check_is_linked_to_it_and_loads(raw_copy, tmp_path):
    folder = raw_copy / "factchecks"
    folder.mkdir()
    review = COLD_WAR_FACTCHECK
    (folder / "reviews.jsonl").write_text(json.dumps(review) + "\n", encoding="utf-8")
    dist = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=dist))
    rows = rows_of(dist, "factcheck_matches")
    assert rows and {row["factcheck_url"] for row in rows} == {review["url"]}
    assert all(row["rank"] == 1 and row["rating"] == "True" for row in rows)
    claims = {row["claim_id"]: row for row in rows_of(dist, "claims")}
    best = {row["claim_id"] for row in rows if row["score"] >= 0.8}
    assert set(COLD_WAR) <= best and all("cold war" in claims[c]["text"].lower() for c in best)
    assert report.counts.factcheck_matches == len(rows)
    assert "factchecks/reviews.jsonl" in {
        entry["path"] for entry in json.loads((dist / "manifest.json").read_text())["inputs"]
    }

    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from datasets import load_dataset

    loaded = load_dataset(str(dist), "factcheck_matches", cache_dir=str(tmp_path / "cache"))
    assert sum(len(part) for part in loaded.values()) == len(rows)
    assert set(loaded[next(iter(loaded))].features) == {
        "claim_id",
        "factcheck_url",
        "rank",
        "score",
        "claim_reviewed",
        "rating",
        "split",
    }


def test_a_bad_fact_check_is_rejected_with_file_line_and_field(raw_copy, tmp_path):
    folder = raw_copy / "factchecks"
    folder.mkdir()
    (folder / "reviews.jsonl").write_text('{"url": "https://x.example/1", "claimReviewed": ""}\n', encoding="utf-8")
    dist = tmp_path / "dist"
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=dist, validation={"skip_invalid": True}))
    (rejection,) = [r for r in report.rejections if r.file.startswith("factchecks/")]
    assert (rejection.file, rejection.line, rejection.loc) == ("factchecks/reviews.jsonl", 1, "claimReviewed")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.floats(0.5, 1.0)), max_size=30))
def test_groups_never_chain_every_member_matched_every_other(found):
    matched = sorted({(min(a, b), max(a, b)): (min(a, b), max(a, b), s, ()) for a, b, s in found if a != b}.values())
    linked = {(a, b) for a, b, _, _ in matched}
    groups = _groups(matched)
    members = [m for group in groups for m in group]
    assert len(members) == len(set(members))  # each claim in one group at most
    for group in groups:
        assert len(group) >= 2
        assert all((a, b) in linked for i, a in enumerate(group) for b in group[i + 1 :])


_SAID = [
    "Even during the cold war we had good working relationships with Russia on many issues",
    "Even in the coldest period of the cold war, we had a working relationship with Russia",
    "The finance ministry expects the budget deficit to reach 412 billion this year",
    "The budget deficit is expected by the finance ministry to reach 412 billion this year",
    "The Harbour Trust was set up by the former shipping firm Nordlys to run the old docks",
    "The old docks are run by the Harbour Trust, which the former shipping firm Nordlys set up",
]


@settings(max_examples=6, deadline=None)
@given(st.lists(st.lists(st.integers(0, len(_SAID) - 1), min_size=1, max_size=3), min_size=2, max_size=6))
def test_no_match_group_and_no_cluster_is_in_two_splits(tmp_path_factory, articles):
    raw = tmp_path_factory.mktemp("raw")
    for number, said in enumerate(articles):
        body = "\n\n".join(
            f'Minister Anna Berg said: "{_SAID[s]}." Article {number}, paragraph {p}.' for p, s in enumerate(said)
        )
        write_article(raw, f"a{number:02d}", f"Headline {number}\n\n{body}\n")
    dist = raw.parent / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    splits: dict[tuple[str, str], set[int]] = {}
    for row in rows_of(dist, "claims"):
        splits.setdefault(("cluster", row["cluster_id"]), set()).add(row["split"])
        if row["match_group"] is not None:
            splits.setdefault(("group", row["match_group"]), set()).add(row["split"])
    assert all(len(found) == 1 for found in splits.values())
    pairs = rows_of(dist, "matches") if (dist / "matches").exists() else []
    claims = {row["claim_id"]: row for row in rows_of(dist, "claims")}
    for pair in pairs:
        first, second = claims[pair["claim_id"]], claims[pair["other_claim_id"]]
        assert first["match_group"] == second["match_group"] == pair["match_group"]
        assert first["split"] == second["split"] == pair["split"]


def _article(raw: Path, name: str, said: str, published: str | None = None) -> None:
    sidecar = None if published is None else json.dumps({"published": published})
    write_article(raw, name, f'Headline {name}\n\nMinister Anna Berg said: "{said}." She spoke in Oslo.\n', sidecar)


def test_claims_of_articles_published_further_apart_than_the_window_are_not_compared(tmp_path):
    raw = tmp_path / "raw"
    _article(raw, "a", _SAID[0], "2019-01-02")
    _article(raw, "b", _SAID[1], "2019-06-02")
    apart, anytime = tmp_path / "apart", tmp_path / "anytime"
    build(BuildConfig(raw_dir=raw, out_dir=apart))
    build(BuildConfig(raw_dir=raw, out_dir=anytime, matches=MatchConfig(window_days=None)))
    assert _groups_of(apart) == {} and len(_groups_of(anytime)) == 1


def test_a_copied_claim_is_compared_once_through_its_cluster_and_the_copy_joins_the_group(tmp_path):
    raw = tmp_path / "raw"
    _article(raw, "a", _SAID[0])
    _article(raw, "b", _SAID[0])  # a copy: one cluster with a's claim
    _article(raw, "c", _SAID[1])
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw, out_dir=dist))
    claims = [row for row in rows_of(dist, "claims") if "cold war" in row["text"].lower()]
    assert len(claims) == 3 and len({row["match_group"] for row in claims}) == 1
    (pair,) = rows_of(dist, "matches")  # the copy is not compared again
    firsts = {row["cluster_id"] for row in claims}
    assert {pair["claim_id"], pair["other_claim_id"]} == firsts


def test_candidates_are_the_pairs_sharing_rare_words_counted_and_common_words_propose_none():
    import numpy as np

    from builder.matches import _shared_counts

    common = [np.array([1, 2, 3], dtype=np.uint32)] * 4  # words 1-3 in four items: too common at max 3
    rare = [np.array([7, 8, 1], dtype=np.uint32), np.array([7, 8, 9], dtype=np.uint32), np.array([9], dtype=np.uint32)]
    first, second, shared = _shared_counts(common + rare, 3)
    assert list(zip(first.tolist(), second.tolist(), shared.tolist(), strict=True)) == [(4, 5, 2), (5, 6, 1)]


def test_a_model_fitted_on_the_curators_labels_in_the_raw_folder_scores_the_build(tmp_path):
    from test_matching import jsonl, labelled_pairs

    from builder.matching import fit_pairs

    raw = tmp_path / "raw"
    _article(raw, "a", "The mayor cut funding for schools in the northern district this year")
    _article(raw, "b", "The mayor restored funding for schools in the northern district this year")
    default, fitted = tmp_path / "default", tmp_path / "fitted"
    build(BuildConfig(raw_dir=raw, out_dir=default))
    labels = tmp_path / "labelled.jsonl"
    labels.write_text(jsonl(labelled_pairs(60)), encoding="utf-8")
    fit_pairs(labels, raw / "match-model.json")
    build(BuildConfig(raw_dir=raw, out_dir=fitted))
    assert len(_groups_of(default)) == 1 and _groups_of(fitted) == {}  # the default cannot tell cut from restored
    manifest = json.loads((fitted / "manifest.json").read_text(encoding="utf-8"))
    assert "match-model.json" in {entry["path"] for entry in manifest["inputs"]}
    assert "scored by a model fitted on the curators' own labels" in (fitted / "README.md").read_text(encoding="utf-8")
