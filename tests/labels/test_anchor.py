from __future__ import annotations

import json

import pytest

from builder.config import BuildConfig, LabelConfig
from builder.errors import LabelError
from builder.labels import ClaimSpan, merge_labels, read_labels
from builder.models import Label, LabelSelector
from builder.pipeline import build
from conftest import RAW, rows_of

TEXT = 'Intro. The minister said "we will cut taxes by 5% next year," on Monday. Later, the minister left.'


def write_labels(raw, *lines):
    (raw / "labels.jsonl").write_text("".join(json.dumps(line) + "\n" if isinstance(line, dict) else line + "\n"
                                              for line in lines), encoding="utf-8")  # fmt: skip


def an_author_statement(dist):
    """The first author-statement claim of a built dataset: a claim a label can anchor to."""
    return next(c for c in rows_of(dist, "claims") if c["claim_type"] == 0)


def test_a_label_follows_its_claim_when_the_span_moves():
    from conftest import make_claim

    quote = "we will cut taxes by 5% next year,"
    start = TEXT.index(quote)
    old_span = TEXT[start - 1 : start + len(quote) + 1]  # an older extractor kept the quotation marks
    selector = LabelSelector(article="a", exact=old_span, prefix=TEXT[start - 30 : start - 1], suffix=" on Monday")
    label = Label(claim_id="0" * 16, selector=selector, verdict="false")
    claim = make_claim("a", quote, start=start)
    spans = [ClaimSpan(0, "1" * 16, 0, 6), ClaimSpan(1, claim.claim_id, claim.char_start, claim.char_end)]
    asked = []

    def article(name):
        asked.append(name)
        return (TEXT, spans) if name == "a" else None

    anchored, report = merge_labels([(7, label)], lambda claim_id: None, article, LabelConfig())
    assert anchored == {1: (7, label)} and asked == ["a"]
    assert (report.merged, report.reanchored, report.orphans) == (1, 1, [])


def test_orphans_and_bad_lines_are_reported_by_line(tmp_path):
    write_labels(
        tmp_path,
        {"claim_id": "0123456789abcdef", "verdict": "true"},
        "",
        "{not json",
        {"verdict": "true"},
        {"selector": {"article": "nowhere.txt", "exact": "x"}, "check_worthy": True},
        {"claim_id": "0123456789abcdef", "colour": "red"},
    )
    labels, problems = read_labels(tmp_path, LabelConfig())
    assert [line for line, _ in labels] == [1, 5]
    assert [(p.line, p.loc) for p in problems] == [(3, ""), (4, ""), (6, "colour")]
    _, report = merge_labels(labels, lambda claim_id: None, lambda name: None, LabelConfig())
    assert [(o.line, o.loc) for o in report.orphans] == [(1, "claim_id"), (5, "selector")]
    assert "--allow-orphan-labels" in report.orphans[0].reason


def test_build_merges_labels_and_fails_on_orphans_unless_allowed(tmp_path, raw_copy, seed_dist):
    raw = raw_copy
    claim = an_author_statement(seed_dist)
    write_labels(raw, {"claim_id": claim["claim_id"], "verdict": "accurate", "check_worthy": True})
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    labelled = [c for c in rows_of(tmp_path / "dist", "claims") if c["verdict"]]
    assert [(c["claim_id"], c["verdict"], c["check_worthy"]) for c in labelled] == [
        (claim["claim_id"], "accurate", True)
    ]
    write_labels(raw, {"claim_id": "ffffffffffffffff", "verdict": "false"})
    with pytest.raises(LabelError) as failure:
        build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist2"))
    assert [r.line for r in failure.value.rejections] == [1]
    report = build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist2", labels=LabelConfig(allow_orphans=True)))
    assert report.counts.labels_orphaned == 1
    rejects = (tmp_path / "dist2" / "rejects.jsonl").read_text(encoding="utf-8")
    assert '"file": "labels.jsonl", "line": 1' in rejects


def test_a_line_that_is_not_a_label_fails_the_build_even_when_orphans_are_allowed(tmp_path, raw_copy):
    raw = raw_copy
    (raw / "labels.jsonl").write_text('{not json\n{"claim_id": "ffffffffffffffff", "verdict": "false"}\n')
    for allow_orphans in (False, True):
        with pytest.raises(LabelError) as failure:
            build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist", labels=LabelConfig(allow_orphans=allow_orphans)))
        assert [r.line for r in failure.value.rejections] == [1, 2]  # the bad line, and the orphan with it
    assert not (tmp_path / "dist").exists()


def test_build_reanchors_a_label_whose_claim_id_is_gone(tmp_path, raw_copy, seed_dist):
    raw = raw_copy
    claim = an_author_statement(seed_dist)
    text = (RAW / claim["source_file"]).read_text(encoding="utf-8")
    start, end = claim["char_start"], claim["char_end"]
    selector = {"article": claim["source_file"], "exact": text[start - 1 : end + 1],
                "prefix": text[start - 21 : start - 1], "suffix": text[end + 1 : end + 21]}  # fmt: skip
    write_labels(raw, {"claim_id": "ffffffffffffffff", "selector": selector, "verdict": "misleading"})
    report = build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    assert (report.counts.labels_merged, report.counts.labels_reanchored) == (1, 1)
    labelled = [(c["claim_id"], c["verdict"]) for c in rows_of(tmp_path / "dist", "claims") if c["verdict"]]
    assert labelled == [(claim["claim_id"], "misleading")]


TWICE = "He said the tax will rise. Later she said the tax will rise. Then he left the room."


def anchored_position(selector: LabelSelector, spans: list[ClaimSpan]) -> int | None:
    label = Label(claim_id="0" * 16, selector=selector, verdict="false")
    anchored, _ = merge_labels([(1, label)], lambda claim_id: None, lambda name: (TWICE, spans), LabelConfig())
    return next(iter(anchored), None)


def test_when_the_exact_text_occurs_twice_its_context_picks_the_occurrence():
    exact = "the tax will rise."
    first, second = TWICE.index(exact), TWICE.rindex(exact)
    spans = [ClaimSpan(0, "a" * 16, first, first + len(exact)), ClaimSpan(1, "b" * 16, second, second + len(exact))]
    after_she = LabelSelector(article="x", exact=exact, prefix="Later she said ", suffix=" Then he left")
    after_he = LabelSelector(article="x", exact=exact, prefix="He said ", suffix=" Later she")
    assert anchored_position(after_she, spans) == 1  # the second occurrence: never the first by default
    assert anchored_position(after_he, spans) == 0
    by_suffix_only = LabelSelector(article="x", exact=exact, prefix="", suffix=" Then he left")
    assert anchored_position(by_suffix_only, spans) == 1


def occurrence_chosen(text: str, exact: str, prefix: str, suffix: str) -> int | None:
    """Where a label whose claim id is gone re-anchors in ``text``: each occurrence of ``exact`` is a claim."""
    spans, at = [], text.find(exact)
    while at != -1:
        spans.append(ClaimSpan(len(spans), f"{len(spans):016x}", at, at + len(exact)))
        at = text.find(exact, at + 1)
    selector = LabelSelector(article="x", exact=exact, prefix=prefix, suffix=suffix)
    anchored, _ = merge_labels([(1, Label(claim_id="0" * 16, selector=selector, verdict="false"))],
                               lambda claim_id: None, lambda name: (text, spans), LabelConfig())  # fmt: skip
    position = next(iter(anchored), None)
    return None if position is None else spans[position].char_start


def test_every_occurrence_is_weighed_and_a_tie_keeps_the_first():
    # overlapping occurrences are both candidates
    assert occurrence_chosen("aaaa said it.", "aaa", prefix="a", suffix=" said") == 1
    # the middle one of three
    assert occurrence_chosen("b aaa c aaa d aaa", "aaa", prefix="c ", suffix=" d") == 8
    # the text's first character counts as context, and a tie (5 and 5 here) keeps the first occurrence
    assert occurrence_chosen("xaaa sai. yaaa said.", "aaa", prefix="x", suffix=" said") == 1
    # nothing before the text's start matches a prefix
    assert occurrence_chosen("ab xab", "ab", prefix="x", suffix="") == 4
    # no context at all, and a claim of one character, still anchor
    assert occurrence_chosen("x y x", "y", prefix="", suffix="") == 2


def test_a_label_reanchors_only_onto_a_claim_overlapping_it_enough():
    exact = "the tax will rise."
    second = TWICE.rindex(exact)
    selector = LabelSelector(article="x", exact=exact, prefix="Later she said ", suffix=" Then")
    half = len(exact) // 2
    # intersection over union: exactly 0.5 anchors, just under it does not
    at_floor = [ClaimSpan(0, "c" * 16, second, second + half)]
    assert len(exact) % 2 == 0 and anchored_position(selector, at_floor) == 0
    under = [ClaimSpan(0, "d" * 16, second, second + half - 1)]
    assert anchored_position(selector, under) is None


# --- on real files, through the command line: an edited article, orphans, a labels-only rebuild ---

STORY = (
    "Tax plan\n\nFinance Minister Anna Berg said taxes would fall by two points next year.\n\n"
    '"We will balance the budget by 2026," she told reporters on Monday.\n'
)


def build_cli(raw, dist, *options):
    from typer.testing import CliRunner

    from builder.cli import app

    return CliRunner().invoke(app, ["build", str(raw), "--out", str(dist), "--json", "--workers", "1", *options])


def story_raw(tmp_path, text=STORY):
    raw = tmp_path / "raw"
    (raw / "articles").mkdir(parents=True, exist_ok=True)
    (raw / "articles" / "berg.txt").write_text(text, encoding="utf-8")
    return raw


def label_of(dist, text):
    """The claim of ``text`` in a dataset, with its label fields."""
    (claim,) = [c for c in rows_of(dist, "claims") if c["text"] == text]
    return claim


def test_a_label_follows_its_claim_when_the_article_is_edited_above_it(tmp_path):
    raw, cache = story_raw(tmp_path), str(tmp_path / "cache")
    assert build_cli(raw, tmp_path / "first", "--cache-dir", cache).exit_code == 0
    quote = "We will balance the budget by 2026,"
    claim = label_of(tmp_path / "first", quote)
    start, end = claim["char_start"], claim["char_end"]
    selector = {"article": "berg.txt", "exact": STORY[start:end], "prefix": STORY[start - 32 : start],
                "suffix": STORY[end : end + 32]}  # fmt: skip
    write_labels(raw, {"claim_id": claim["claim_id"], "selector": selector, "verdict": "misleading"})
    # A correction above the quote: every offset, the article's hash and so every claim id change.
    story_raw(tmp_path, STORY.replace("Tax plan\n\n", "Tax plan\n\nUpdated on Tuesday.\n\n"))
    result = build_cli(raw, tmp_path / "second", "--cache-dir", cache)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)["counts"]
    assert (counts["labels_merged"], counts["labels_reanchored"], counts["labels_orphaned"]) == (1, 1, 0)
    moved = label_of(tmp_path / "second", quote)
    assert moved["claim_id"] != claim["claim_id"] and moved["char_start"] > start
    assert (moved["verdict"], moved["label_source"]) == ("misleading", "labels.jsonl:1")
    assert [c["text"] for c in rows_of(tmp_path / "second", "claims") if c["verdict"]] == [quote]


def test_an_orphan_label_fails_the_build_unless_allowed_and_is_then_listed(tmp_path):
    raw = story_raw(tmp_path)
    selector = {"article": "berg.txt", "exact": "We will cut spending on roads", "prefix": "", "suffix": ""}
    write_labels(raw, {"selector": selector, "verdict": "false"})
    failed = build_cli(raw, tmp_path / "dist")
    assert failed.exit_code == 1 and not (tmp_path / "dist").exists()
    assert "labels.jsonl" in failed.stderr and "--allow-orphan-labels" in failed.stderr
    allowed = build_cli(raw, tmp_path / "dist", "--allow-orphan-labels")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["counts"]["labels_orphaned"] == 1
    (reject,) = [json.loads(line) for line in (tmp_path / "dist" / "rejects.jsonl").read_text().splitlines()]
    assert (reject["file"], reject["line"], reject["loc"]) == ("labels.jsonl", 1, "selector")
    assert not any(c["verdict"] for c in rows_of(tmp_path / "dist", "claims"))


def test_a_labels_only_rebuild_reuses_every_article_and_changes_only_the_labels(tmp_path):
    raw, cache = story_raw(tmp_path), str(tmp_path / "cache")
    assert build_cli(raw, tmp_path / "before", "--cache-dir", cache).exit_code == 0
    claim = label_of(tmp_path / "before", "taxes would fall by two points next year")
    write_labels(raw, {"claim_id": claim["claim_id"], "verdict": "false", "check_worthy": True, "correction": "No."})
    result = build_cli(raw, tmp_path / "after", "--cache-dir", cache)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["from_cache"] == report["counts"]["articles_accepted"] == 1
    assert build_cli(raw, tmp_path / "cold", "--no-cache").exit_code == 0
    after, cold = rows_of(tmp_path / "after", "claims"), rows_of(tmp_path / "cold", "claims")
    assert after == cold
    labelled = {"verdict": "false", "check_worthy": True, "correction": "No.", "label_source": "labels.jsonl:1"}
    before = {c["claim_id"]: c for c in rows_of(tmp_path / "before", "claims")}
    for row in after:
        expected = before[row["claim_id"]] | (labelled if row["claim_id"] == claim["claim_id"] else {})
        assert row == expected


def test_a_second_label_for_a_claim_already_labelled_fails_the_build_naming_both_lines(tmp_path, raw_copy, seed_dist):
    raw = raw_copy
    claim = an_author_statement(seed_dist)
    text = (RAW / claim["source_file"]).read_text(encoding="utf-8")
    start, end = claim["char_start"], claim["char_end"]
    selector = {"article": claim["source_file"], "exact": text[start:end],
                "prefix": text[start - 20 : start], "suffix": text[end : end + 20]}  # fmt: skip
    # The second line names the same claim through its selector only: a later judgement must not win silently.
    write_labels(raw, {"claim_id": claim["claim_id"], "verdict": "true"}, {"selector": selector, "verdict": "false"})
    for allow_orphans in (False, True):
        with pytest.raises(LabelError) as failure:
            build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist", labels=LabelConfig(allow_orphans=allow_orphans)))
        (problem,) = failure.value.rejections
        assert (problem.file, problem.line, problem.loc) == ("labels.jsonl", 2, "claim_id")
        assert problem.reason == f"claim {claim['claim_id']} is already labelled at line 1"
    assert not (tmp_path / "dist").exists()


def test_a_correction_holding_a_credential_url_fails_the_build_naming_the_line_never_the_value(
    tmp_path, raw_copy, seed_dist
):
    """A correction is published with its claim as written: a login or token in it is refused where it is read,
    not found later by the build's verify in a parquet shard."""
    raw = raw_copy
    claim = an_author_statement(seed_dist)
    secret = "https://jdoe:s3cretpass@factcheck.example/x?token=abc123"
    write_labels(raw, {"claim_id": claim["claim_id"], "verdict": "false", "correction": f"See {secret}."})
    with pytest.raises(LabelError) as failure:
        build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    (problem,) = failure.value.rejections
    assert (problem.file, problem.line, problem.loc) == ("labels.jsonl", 1, "correction")
    assert problem.reason == (
        "character 4: a URL here holds a login (user:password@) and the parameter 'token'; take the credential out"
    )
    assert "s3cretpass" not in str(failure.value) and "abc123" not in str(failure.value)
    assert not (tmp_path / "dist").exists()
