from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import SplitConfig
from builder.models import Article, FieldSources, InputFormat, Split
from builder.split import SPLITS, assign_splits
from conftest import make_claim


def article(article_id: str, published: date | None = None) -> Article:
    return Article(
        article_id=article_id,
        source_file=f"articles/{article_id}.txt",
        input_format=InputFormat.TXT,
        sha256=hashlib.sha256(article_id.encode()).hexdigest(),
        published=published,
        field_sources=FieldSources(),
        text="x",
        body=[],
        excluded=[],
    )


def corpus(links: list[tuple[int, int]], articles: int):
    """Articles 0..n-1, one claim each in its own cluster, plus a claim shared by each linked pair."""
    arts = [article(f"a{i}") for i in range(articles)]
    claims = [make_claim(f"a{i}", f"own claim {i}", cluster_id=f"own{i}") for i in range(articles)]
    for number, (a, b) in enumerate(links):
        for side in (a, b):
            claims.append(make_claim(f"a{side}", f"shared {number}", start=100 + number, cluster_id=f"link{number}"))
    return arts, claims


def split(arts, claims, cfg):
    """Run the stage on records: (split of each article, split of each claim, stats)."""
    index = {a.article_id: i for i, a in enumerate(arts)}
    clusters: dict[str, int] = {}
    cluster_of = np.array([clusters.setdefault(c.cluster_id, len(clusters)) for c in claims], dtype=np.uint64)
    article_of = np.array([index[c.article_id] for c in claims], dtype=np.int64)
    splits, stats = assign_splits([a.sha256 for a in arts], [a.published for a in arts], article_of, cluster_of, cfg)
    of_article = {a.article_id: SPLITS[s] for a, s in zip(arts, splits.tolist(), strict=True)}
    return of_article, [of_article[c.article_id] for c in claims], stats


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=1, max_value=40).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=30))
    ),
    st.sampled_from(["hash", "temporal"]),
)
def test_no_article_and_no_cluster_is_in_two_splits(sized_links, mode):
    count, links = sized_links
    arts, claims = corpus(links, count)
    _, claim_splits, stats = split(arts, claims, SplitConfig(mode=mode))
    splits_of_cluster: dict[str, set[Split]] = {}
    for claim, claim_split in zip(claims, claim_splits, strict=True):
        splits_of_cluster.setdefault(claim.cluster_id, set()).add(claim_split)
    assert all(len(splits) == 1 for splits in splits_of_cluster.values())
    assert sum(stats.claims.values()) == len(claims) and sum(stats.articles.values()) == count


def test_adding_unrelated_articles_moves_no_existing_claim():
    arts, claims = corpus([(0, 1), (2, 3)], 40)
    _, before, _ = split(arts, claims, SplitConfig())
    more_arts, more_claims = corpus([(0, 1), (2, 3)], 60)
    _, after, _ = split(more_arts, more_claims, SplitConfig())
    old = {c.claim_id: s for c, s in zip(claims, before, strict=True)}
    assert {c.claim_id: s for c, s in zip(more_claims, after, strict=True) if c.claim_id in old} == old
    assert set(after) == set(Split)  # 60 articles reach every split


def test_temporal_puts_the_oldest_claims_in_train():
    arts = [article(f"a{i}", date(2020, 1, 1 + i)) for i in range(10)]
    claims = [make_claim(f"a{i}", f"claim {i}", cluster_id=f"c{i}") for i in range(10)]
    of_article, _, stats = split(arts, claims, SplitConfig(mode="temporal", train=0.6, validation=0.2, test=0.2))
    order = [of_article[a.article_id] for a in sorted(arts, key=lambda a: a.published)]
    assert order == [Split.TRAIN] * 6 + [Split.VALIDATION] * 2 + [Split.TEST] * 2
    assert stats.claims == {"train": 6, "validation": 2, "test": 2}


def test_ids_that_shift_do_not_move_claims():
    """JSONL ids are line numbers: a line inserted on top renames every article but moves none."""
    arts = [article(f"feed:{i}").model_copy(update={"sha256": f"{i:064x}"}) for i in range(1, 40)]
    claims = [make_claim(a.article_id, f"claim {a.sha256}", cluster_id=a.sha256) for a in arts]
    _, before, _ = split(arts, claims, SplitConfig())
    shifted = [a.model_copy(update={"article_id": f"feed:{i + 2}"}) for i, a in enumerate(arts)]
    moved = [c.model_copy(update={"article_id": f"feed:{int(c.article_id[5:]) + 1}"}) for c in claims]
    _, after, _ = split(shifted, moved, SplitConfig())
    assert after == before


def test_temporal_split_puts_undated_articles_last_whatever_their_hash():
    """Ten articles, one claim each: the seven oldest train, the eighth validation, and the two undated ones come
    after the newest dated, in the last split."""
    dated = [article(f"d{i}", date(2020, 1, 1 + i)) for i in range(8)]
    undated = [article(f"u{i}") for i in range(2)]
    arts = undated + dated  # input order must not matter
    claims = [make_claim(a.article_id, f"claim of {a.article_id}", cluster_id=a.article_id) for a in arts]
    of_article, _, _ = split(arts, claims, SplitConfig(mode="temporal", train=0.7, validation=0.1, test=0.2))
    assert [of_article[f"d{i}"] for i in range(8)] == [Split.TRAIN] * 7 + [Split.VALIDATION]
    assert of_article["u0"] == of_article["u1"] == Split.TEST


def temporal_splits(claim_counts: list[int], train: float, validation: float) -> list[Split]:
    """Articles one day apart, with these numbers of claims, split by time."""
    arts = [article(f"a{i}", date(2020, 1, 1 + i)) for i in range(len(claim_counts))]
    claims = [make_claim(f"a{i}", f"claim {i}.{k}", start=10 * k, cluster_id=f"c{i}.{k}")
              for i, count in enumerate(claim_counts) for k in range(count)]  # fmt: skip
    test = round(1 - train - validation, 6)
    of_article, _, _ = split(arts, claims, SplitConfig(mode="temporal", train=train, validation=validation, test=test))
    return [of_article[a.article_id] for a in arts]


def test_temporal_places_each_group_by_the_middle_of_its_claims():
    train, validation, test = Split.TRAIN, Split.VALIDATION, Split.TEST
    # a group whose middle falls exactly on a boundary goes to the later split
    assert temporal_splits([1, 2, 1], 0.5, 0.25) == [train, validation, test]
    assert temporal_splits([1, 4, 2, 1], 0.5, 0.25) == [train, train, test, test]
    # claims weigh, not articles; an article without claims weighs as one claim (its middle: 6.5 of 11)
    assert temporal_splits([6, 0, 2, 2], 0.59, 0.2) == [train, validation, validation, test]


# --- on real files, through the command line ---

EVENTS = [  # one reported claim each, no two alike
    ("2020-01-05", "The mayor said the Vistula bridge would reopen in May."),
    ("2020-02-11", "The union said its members would strike on Friday."),
    ("2020-03-17", "The central bank said inflation had fallen to 3 percent."),
    ("2020-04-02", "The coach said the team would play without its captain."),
    ("2020-05-23", "The airport said passenger numbers doubled in April."),
    ("2020-06-30", "The ministry said forty schools would close for repairs."),
    ("2020-07-14", "The police said the road would stay shut until noon."),
    ("2020-08-09", "The museum said its new wing cost twelve million zloty."),
]
UNDATED = "The council said the park fountain would be restored."


def write_events(raw: Path, events: list[tuple[str | None, str]]) -> None:
    import json

    folder = raw / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for number, (day, sentence) in enumerate(events):
        (folder / f"e{number:02d}.txt").write_text(f"News {number}\n\n{sentence}\n", encoding="utf-8")
        if day is not None:
            (folder / f"e{number:02d}.json").write_text(json.dumps({"published": day}), encoding="utf-8")


def build_cli(raw: Path, dist: Path, *options: str) -> dict:
    import json

    from typer.testing import CliRunner

    from builder.cli import app

    result = CliRunner().invoke(
        app, ["build", str(raw), "--out", str(dist), "--no-cache", "--json", "--workers", "1", *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def splits_by_article(dist: Path) -> dict[str, Split]:
    from conftest import rows_of

    articles = {row["article_id"]: SPLITS[row["split"]] for row in rows_of(dist, "articles")}
    for claim in rows_of(dist, "claims"):
        assert SPLITS[claim["split"]] is articles[claim["article_id"]]  # a claim is where its article is
    return articles


def test_a_temporal_build_puts_the_oldest_claims_in_train_at_the_shares_given(tmp_path):
    raw = tmp_path / "raw"
    write_events(raw, [*EVENTS[::-1], (None, UNDATED)])  # file order is newest first: only dates may order them
    report = build_cli(raw, tmp_path / "dist", "--split", "temporal", "--ratios", "0.5", "0.3", "0.2")
    assert report["counts"]["claims"] == 9
    # The middles of the nine claims fall at 1/18, 3/18 ... 17/18 of the corpus: four under 0.5 (the fifth is on
    # the boundary, so in validation), three under 0.8; the newest and the undated one last.
    assert report["counts"]["claims_per_split"] == {"train": 4, "validation": 3, "test": 2}
    splits = splits_by_article(tmp_path / "dist")
    by_date = [splits[f"e{number:02d}"] for number in range(7, -1, -1)]  # oldest first
    train, validation, test = Split.TRAIN, Split.VALIDATION, Split.TEST
    assert by_date == [train] * 4 + [validation] * 3 + [test]
    assert splits["e08"] is test


def test_a_temporal_build_keeps_a_cluster_in_the_split_of_its_oldest_article(tmp_path):
    raw = tmp_path / "raw"
    shared = "The minister said taxes would fall by two points next year."
    write_events(raw, [*EVENTS, ("2020-09-01", shared), ("2020-01-02", shared)])  # the same words, republished
    build_cli(raw, tmp_path / "dist", "--split", "temporal", "--ratios", "0.5", "0.25", "0.25")
    splits = splits_by_article(tmp_path / "dist")
    assert splits["e08"] is splits["e09"] is Split.TRAIN  # the newest article goes with the oldest it repeats


def test_hash_split_of_real_files_moves_no_claim_when_unrelated_articles_are_added(tmp_path):
    from conftest import rows_of

    raw = tmp_path / "raw"
    write_events(raw, EVENTS)
    build_cli(raw, tmp_path / "before", "--ratios", "0.4", "0.3", "0.3")
    before = {row["claim_id"]: row["split"] for row in rows_of(tmp_path / "before", "claims")}
    more = [
        ("2021-01-04", "The theatre said ticket sales rose by a third."),
        ("2021-02-08", "The zoo said two tiger cubs were born in March."),
        ("2021-03-15", "The library said it would open on Sundays."),
        ("2021-04-19", "The stadium said the roof repairs were finished."),
        ("2021-05-24", "The harbour master said ferries would run hourly."),
        ("2021-06-28", "The orchestra said its conductor had resigned."),
        ("2021-07-05", "The gallery said a stolen painting was found."),
    ]
    write_events(raw, EVENTS + more)
    build_cli(raw, tmp_path / "after", "--ratios", "0.4", "0.3", "0.3")
    after = {row["claim_id"]: row["split"] for row in rows_of(tmp_path / "after", "claims")}
    assert len(after) == len(before) + len(more)
    assert {claim_id: after[claim_id] for claim_id in before} == before
    assert set(after.values()) == {0, 1, 2}


def test_hash_split_of_a_jsonl_feed_moves_no_claim_when_lines_are_inserted_above(tmp_path):
    """A JSONL article's id is its line: lines inserted on top rename every article of the feed, and move none."""
    import json

    from conftest import rows_of

    def write_feed(events: list[tuple[str | None, str]]) -> None:
        lines = [json.dumps({"text": f"News\n\n{sentence}\n", "published": day}) for day, sentence in events]
        (raw / "articles" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True)
    write_feed(EVENTS)
    build_cli(raw, tmp_path / "before", "--ratios", "0.4", "0.3", "0.3")
    before = {row["claim_id"]: (row["article_id"], row["split"]) for row in rows_of(tmp_path / "before", "claims")}
    assert {split for _, split in before.values()} == {0, 1, 2}
    write_feed([(None, UNDATED), ("2021-01-04", "The theatre said ticket sales rose by a third."), *EVENTS])
    build_cli(raw, tmp_path / "after", "--ratios", "0.4", "0.3", "0.3")
    after = {row["claim_id"]: (row["article_id"], row["split"]) for row in rows_of(tmp_path / "after", "claims")}
    for claim_id, (article_id, split) in before.items():
        line = int(article_id.removeprefix("feed:"))
        assert after[claim_id] == (f"feed:{line + 2}", split)
