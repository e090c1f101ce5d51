from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import SplitConfig
from builder.models import Article, FieldSources, InputFormat, Split
from builder.split import SPLITS, SplitStats, assign_splits, is_far, uneven_splits
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


# --- splits that whole groups cannot fill: named, with why, in the warnings, the report and the card ---

BREAD = '"We will not raise the price of bread this year," the baker said.'
TRAMS = '"The trams will run every ten minutes from June," the mayor said.'


def build_warned(raw: Path, dist: Path, *options: str) -> tuple[dict, list[str]]:
    """Build through the command line with --json: the report, and the warning lines on stderr."""
    import json

    from typer.testing import CliRunner

    from builder.cli import app

    result = CliRunner().invoke(
        app, ["build", str(raw), "--out", str(dist), "--no-cache", "--json", "--workers", "1", *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


def test_a_build_whose_articles_all_repeat_one_quote_names_each_split_it_could_not_fill_and_why(tmp_path):
    raw = tmp_path / "raw"
    # every article repeats the baker's words, the first four the mayor's too: one group of all eight
    write_events(
        raw, [(day, f"{text}\n\n{BREAD}" + (f"\n\n{TRAMS}" if n < 4 else "")) for n, (day, text) in enumerate(EVENTS)]
    )
    report, warnings = build_warned(raw, tmp_path / "dist")
    assert report["counts"]["claims_per_split"] == {"train": 0, "validation": 0, "test": 20}  # where its hash fell
    why = "the 8 articles form 1 group linked by 2 cross-article clusters, and a group never spans splits"
    fix = "add articles that share no claim with these"
    assert warnings == [
        f"warning: split 'train' is empty (asked 80%): {why}; {fix}",
        f"warning: split 'validation' is empty (asked 10%): {why}; {fix}",
        f"warning: split 'test' holds 100% of the claims (asked 10%): {why}; {fix}",
    ]
    assert report["warnings"] == [line.removeprefix("warning: ") for line in warnings]
    common = {"groups": 1, "largest_group": 8, "cross_article_clusters": 2, "why": why, "fix": fix}
    assert report["uneven_splits"] == [
        {"split": "train", "asked": 0.8, "share": 0.0, "claims": 0, "articles": 0, **common},
        {"split": "validation", "asked": 0.1, "share": 0.0, "claims": 0, "articles": 0, **common},
        {"split": "test", "asked": 0.1, "share": 1.0, "claims": 20, "articles": 8, **common},
    ]
    card = (tmp_path / "dist" / "README.md").read_text(encoding="utf-8")
    assert (
        f"- `train` is empty (asked 80%): {why}.\n- `validation` is empty (asked 10%): {why}.\n"
        f"- `test` holds 100% of the claims (asked 10%): {why}.\n"
    ) in card


def test_a_temporal_build_names_the_dates_of_the_group_that_fills_train(tmp_path):
    raw = tmp_path / "raw"
    old, later, newest = EVENTS[:4], EVENTS[4:7], EVENTS[7]
    grouped = [(day, f"{text}\n\n{BREAD}") for day, text in later] + [
        ("2020-07-20", f"The guild said flour cost a fifth more.\n\n{BREAD}")
    ]
    write_events(raw, [*old, *grouped, newest])
    report, warnings = build_warned(raw, tmp_path / "dist", "--split", "temporal")
    # 4 old claims, then 8 in one group (its middle at 8/13 of the claims: train), then the newest (test)
    assert report["counts"]["claims_per_split"] == {"train": 12, "validation": 0, "test": 1}
    assert warnings == [
        "warning: split 'validation' is empty (asked 10%): the largest of the 6 groups holds 4 of the 9 articles "
        "(61.5% of the claims, published 2020-05-23 to 2020-07-20, placed by its first date), linked by 1 "
        "cross-article cluster, and a group never spans splits; add articles that share no claim with that group"
    ]


def test_the_seed_raw_folder_builds_with_no_split_warning(tmp_path, seed_dist):
    from conftest import RAW

    report, warnings = build_warned(RAW, tmp_path / "dist")
    assert report["counts"]["claims_per_split"] == {"train": 69, "validation": 11, "test": 11}  # 76%, 12%, 12%
    assert warnings == [] and report["uneven_splits"] == [] and report["warnings"] == []
    assert "Uneven splits" not in (seed_dist / "README.md").read_text(encoding="utf-8")


def stats_of(
    claims: tuple[int, int, int],
    articles: tuple[int, int, int] | None = None,
    groups: tuple[int, int, int] | None = None,
    **grouping,
) -> SplitStats:
    """Split sizes as the stage reports them: by default one article and one group a claim, no cluster linking."""
    articles = articles or claims
    groups = groups or articles
    names = [split.value for split in SPLITS]
    base = {
        "cross_article_clusters": 0,
        "largest_group": 1,
        "largest_group_claims": 1,
        "largest_group_clusters": 0,
        "largest_group_dates": None,
    }
    return SplitStats(
        claims=dict(zip(names, claims, strict=True)),
        articles=dict(zip(names, articles, strict=True)),
        groups=dict(zip(names, groups, strict=True)),
        **{**base, **grouping},
    )


def test_far_means_off_by_more_than_ten_points_and_more_than_half_the_share_asked():
    assert not is_far(0.1, 0.2) and is_far(0.1, 0.2001)  # 10% asked: over 20% (under 0% is impossible)
    assert not is_far(0.1, 0.0)  # an empty split is reported on its own
    assert not is_far(0.8, 0.4) and is_far(0.8, 0.3999) and not is_far(0.8, 1.0)  # 80%: under 40%
    assert not is_far(0.3, 0.45) and not is_far(0.3, 0.15) and is_far(0.3, 0.46) and is_far(0.3, 0.14)  # 15 points
    assert not is_far(0.0, 0.1) and is_far(0.0, 0.1001)


def test_a_split_is_reported_at_the_edges_of_far_and_when_empty_with_a_share_asked():
    cfg = SplitConfig()

    def reported(claims: tuple[int, int, int], cfg: SplitConfig = cfg) -> list[str]:
        return [split.split.value for split in uneven_splits(stats_of(claims), cfg)]

    assert reported((70, 10, 20)) == []  # test holds 20%: 10 points over, not more
    assert reported((69, 10, 21)) == ["test"]
    assert reported((40, 30, 30)) == ["validation", "test"]  # train at exactly 40% is not far
    assert reported((39, 30, 31)) == ["train", "validation", "test"]
    assert reported((90, 10, 0)) == ["test"]  # empty, though only 10 points off
    assert reported((90, 10, 0), SplitConfig(train=0.9, validation=0.1, test=0.0)) == []  # none asked, none given


def test_why_names_few_groups_the_largest_group_or_a_lone_article():
    few = uneven_splits(stats_of((3, 0, 2)), SplitConfig())
    reason = "the 5 articles share no claim, so each is placed whole by its hash, and 5 are too few to meet the ratios"
    assert [str(split) for split in few] == [
        f"split 'validation' is empty (asked 10%): {reason}; add articles",
        f"split 'test' holds 40% of the claims (asked 10%): {reason}; add articles",
    ]  # time would not help: 5 groups cannot fill 10% each of three splits in any order
    ten = uneven_splits(stats_of((8, 0, 2)), SplitConfig())  # ten groups could: one for each tenth
    assert [split.fix for split in ten] == [
        "add articles, or use --split temporal, which fills the splits as closely as whole groups allow"
    ]
    assert uneven_splits(stats_of((8, 0, 2)), SplitConfig(mode="temporal"))[0].fix == "add articles"
    linked = stats_of((60, 0, 20), (4, 0, 2), cross_article_clusters=3, largest_group=2, largest_group_claims=7)
    assert uneven_splits(linked, SplitConfig(mode="temporal"))[0].why == (
        "the 6 articles form 6 groups (linked by 3 cross-article clusters), each placed whole in date order, and 6 "
        "are too few to meet the ratios"
    )  # its largest group (7 claims of 80) is smaller than the 10 points validation misses by: not the reason
    big = stats_of(
        (0, 0, 9), (0, 0, 3), (0, 0, 2), cross_article_clusters=1, largest_group=2, largest_group_claims=6,
        largest_group_clusters=1,
    )  # fmt: skip
    train, validation, _ = uneven_splits(big, SplitConfig())
    assert validation.why == (
        "the largest of the 2 groups holds 2 of the 3 articles (66.7% of the claims), linked by 1 cross-article "
        "cluster, and a group never spans splits"
    )
    assert train.why == (  # 80 points missing: more than that group holds
        "the 3 articles form 2 groups (linked by 1 cross-article cluster), each placed whole by its hash, and 2 are "
        "too few to meet the ratios"
    )
    lone = uneven_splits(stats_of((5, 0, 0), (1, 0, 0)), SplitConfig())
    assert [(str(split.split), split.why, split.fix) for split in lone] == [
        (name, "the build has 1 article, and an article never spans splits", "add articles")
        for name in ("validation", "test")
    ]
    silent = uneven_splits(stats_of((8, 0, 1), (8, 1, 1)), SplitConfig())
    assert [split.outcome() for split in silent] == ["has articles but no claim (asked 10%)"]


def test_the_stage_counts_the_groups_that_decide_the_shares():
    # groups {0,1,2} (7 claims) {3,4} (10 claims: four quotes shared) {5} {6}, six linking clusters
    arts, claims = corpus([(0, 1), (1, 2), *[(3, 4)] * 4], 7)
    arts = [a.model_copy(update={"published": date(2020, 1, 3 - i)}) if i < 3 else a for i, a in enumerate(arts)]
    _, _, stats = split(arts, claims, SplitConfig())
    assert sum(stats.groups.values()) == 4 and stats.cross_article_clusters == 6
    # the largest group is the one of most articles, not of most claims
    assert (stats.largest_group, stats.largest_group_claims, stats.largest_group_clusters) == (3, 7, 2)
    assert stats.largest_group_dates == (date(2020, 1, 1), date(2020, 1, 3))
