"""``factpack match score``, ``rank`` and ``fit``: pairs scored and fact-checks ranked outside a build, with the
matcher of builder.match or a model fitted on labelled pairs; bad input in one line naming the file, line and
field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from labels.curator import export_json
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import ConfigError, InputError
from builder.export import export_label_studio_pairs
from builder.export.label_studio_pairs import DIFFERENT, SAME, SAME_CLAIM
from builder.match.model import read_match_model
from builder.match.pairs import score_pair
from builder.match.rank import Bm25Index
from builder.match.text import match_text
from builder.matching import fit_pairs, matcher_id, rank_queries, score_pairs

runner = CliRunner()

NO_CONTRADICTION = "There is no contradiction between a strong NATO and dialogue with Russia"
A_CONTRADICTION = "There is a clear contradiction between a strong NATO and dialogue with Russia"
PARAPHRASE = {
    "a": "Unemployment fell to 4% last year, the minister said.",
    "b": "Last year unemployment dropped to 4%, said the minister.",
}
PAIRS = [
    PARAPHRASE,
    {"a": NO_CONTRADICTION, "b": A_CONTRADICTION},
    {
        "a": "NATO must stay strong to talk to Russia",
        "b": "NATO must stay strong to talk to Russia",
        "a_speaker": "Jens Stoltenberg",
        "b_speaker": "Vladimir Putin",
    },
    {"a": NO_CONTRADICTION, "b": NO_CONTRADICTION, "a_speaker": "Jens Stoltenberg", "b_speaker": "Stoltenberg"},
]
FACT_CHECKS = [
    {
        "url": "https://example.org/fc/unemployment",
        "claimReviewed": "Unemployment fell to 4% last year.",
        "headline": "Did unemployment really fall to 4%?",
    },
    {
        "url": "https://example.org/fc/nato",
        "claimReviewed": "NATO and dialogue with Russia contradict each other.",
        "headline": "Stoltenberg on NATO and Russia",
    },
    {"url": "https://example.org/fc/taxes", "claimReviewed": "Taxes were cut for 3 million families."},
]
QUERIES = [
    {"id": 1, "text": "Unemployment dropped to 4 per cent last year"},
    {"id": "nato", "text": NO_CONTRADICTION},
    {"id": 3, "text": "The weather was lovely"},
]


def jsonl(records: list[dict[str, object]]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


@pytest.fixture
def fact_checks(tmp_path):
    path = tmp_path / "factchecks.jsonl"
    path.write_text(jsonl([{"@type": "ClaimReview", **record} for record in FACT_CHECKS]), encoding="utf-8")
    return path


def test_a_paraphrase_matches_a_denial_and_another_speaker_are_ruled_out_blank_lines_counted(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(jsonl(PAIRS[:1]) + "\n" + jsonl(PAIRS[1:]), encoding="utf-8")
    report = score_pairs(path)
    assert report.source == str(path) and report.scorer == matcher_id()
    assert [(item.line, item.match, item.ruled_out) for item in report.scored] == [
        (1, True, None),
        (3, False, "polarity_differs"),
        (4, False, "speakers_differ"),
        (5, True, None),  # one surname: one speaker
    ]
    for item, pair in zip(report.scored, PAIRS, strict=True):
        found = score_pair(pair["a"], pair["b"], pair.get("a_speaker"), pair.get("b_speaker"))
        assert (item.score, item.terms) == (found.score, found.terms)
    assert report.scored[1].score >= 0.5  # the words agree; the denial alone rules it out


def test_pairs_are_read_from_standard_input_and_a_null_speaker_is_no_speaker():
    pair = {**PAIRS[2], "b_speaker": None}
    report = score_pairs(None, jsonl([pair]).encode("utf-8"))
    assert report.source == "-"
    assert [(item.line, item.match, item.ruled_out) for item in report.scored] == [(1, True, None)]


def test_the_matcher_id_names_the_version_and_the_sources():
    assert matcher_id().startswith("factpack-matcher/") and "+" in matcher_id()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "-: no pairs to score; give one JSON object per line, such as"),
        (b"  \n\t\n", "-: no pairs to score"),
        (b'{"a": "x", "b": "y"}\n\nCaf\xe9\n', "-:3: not UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b'{"a": "x", "b": "y"}\nx and y\n', "-:2: not JSON"),
        (b'["x", "y"]\n', "-:1: a JSON list, not an object"),
        (b'{"a": "x"}\n', "-:1: no 'b' (a non-empty string); give the sentence as 'b'"),
        (b'{"a": " ", "b": "y"}\n', "-:1: no 'a' (a non-empty string)"),
        (b'{"a": 1, "b": "y"}\n', "-:1: no 'a' (a non-empty string)"),
        (b'{"a": "x", "b": "y", "a_speaker": 3}\n', "-:1: 'a_speaker' must be a string or null"),
        (b'{"a": "x", "b": "y", "b_speaker": ["A"]}\n', "-:1: 'b_speaker' must be a string or null"),
    ],
)
def test_a_bad_pair_is_one_error_naming_the_line_and_field(data, message):
    with pytest.raises(InputError) as raised:
        score_pairs(None, data)
    assert str(raised.value).startswith(message)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match=r"absent\.jsonl: no such file"):
        score_pairs(tmp_path / "absent.jsonl")


def test_each_claim_lists_the_fact_checks_that_share_its_words_best_first(tmp_path, fact_checks):
    queries = tmp_path / "claims.jsonl"
    queries.write_text(jsonl(QUERIES), encoding="utf-8")
    report = rank_queries(queries, fact_checks)
    assert (report.source, report.against, report.fact_checks, report.top) == (str(queries), str(fact_checks), 3, 5)
    assert [(query.line, query.id) for query in report.ranked] == [(1, 1), (2, "nato"), (3, 3)]
    index = Bm25Index([f"{check['claimReviewed']} {check.get('headline') or ''}" for check in FACT_CHECKS])
    for query, given in zip(report.ranked, QUERIES, strict=True):
        expected = [(FACT_CHECKS[found]["url"], score) for found, score in index.top(str(given["text"]), 5)]
        assert [(match.url, match.score) for match in query.matches] == expected
    assert [match.url for match in report.ranked[0].matches][:1] == ["https://example.org/fc/unemployment"]
    assert [match.url for match in report.ranked[1].matches] == ["https://example.org/fc/nato"]
    assert report.ranked[2].matches == []


def test_ties_go_to_the_earlier_fact_check_and_top_is_respected(tmp_path):
    same = [
        {"url": f"https://example.org/fc/{name}", "claimReviewed": "Taxes were cut for 3 million families."}
        for name in ("b-first", "a-second", "c-third")
    ]
    path = tmp_path / "same.jsonl"
    path.write_text(jsonl(same), encoding="utf-8")
    stdin = jsonl([{"id": "q", "text": "taxes cut for families"}]).encode("utf-8")
    everything = rank_queries(None, path, 5, stdin).ranked[0].matches
    assert [match.url for match in everything] == [record["url"] for record in same]
    assert len({match.score for match in everything}) == 1
    assert rank_queries(None, path, 5, stdin) == rank_queries(None, path, 5, stdin)
    assert [match.url for match in rank_queries(None, path, 2, stdin).ranked[0].matches] == [
        "https://example.org/fc/b-first",
        "https://example.org/fc/a-second",
    ]


def test_a_json_ld_file_is_read_as_the_factchecks_folder_reads_it(tmp_path):
    path = tmp_path / ".page.jsonld"  # a hidden name, which the folder reader passes over: given, it is read
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": "#page"},
            {"@type": "ClaimReview", **FACT_CHECKS[1]},
        ],
    }
    path.write_text(json.dumps(graph), encoding="utf-8")
    report = rank_queries(None, path, 1, b'{"id": 7, "text": "NATO and Russia"}\n')
    assert [match.url for match in report.ranked[0].matches] == ["https://example.org/fc/nato"]


@pytest.mark.parametrize("top", [0, -3])
def test_a_top_below_one_is_refused_with_the_fix(fact_checks, top):
    with pytest.raises(ConfigError, match=f"top {top}: list at least 1 fact-check per query; give a top of 1 or more"):
        rank_queries(None, fact_checks, top, b'{"id": 1, "text": "x"}\n')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "-: no queries to rank; give one JSON object per line, such as"),
        (b'{"text": "x"}\n', "-:1: no 'id'; give each query its own, a non-empty string or an integer"),
        (b'{"id": "", "text": "x"}\n', "-:1: 'id' '' is not a non-empty string or an integer"),
        (b'{"id": true, "text": "x"}\n', "-:1: 'id' True is not a non-empty string or an integer"),
        (b'{"id": 1.5, "text": "x"}\n', "-:1: 'id' 1.5 is not a non-empty string or an integer"),
        (b'{"id": 1, "text": "x"}\n\n{"id": "1", "text": "y"}\n', "-:3: 'id' '1' is the id of line 1 already"),
        (b'{"id": 1}\n', "-:1: no 'text' (a non-empty string)"),
        (b"just a claim\n", "-:1: not JSON"),
    ],
)
def test_a_bad_query_is_one_error_naming_the_line_and_field(fact_checks, data, message):
    with pytest.raises(InputError) as raised:
        rank_queries(None, fact_checks, 5, data)
    assert str(raised.value).startswith(message)


def test_a_bad_fact_check_stops_the_ranking_naming_its_file_line_field_and_fix(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        jsonl([FACT_CHECKS[0]]) + "\n" + jsonl([{"url": "ftp://x", "claimReviewed": "y"}, {"claimReviewed": "z"}]),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        rank_queries(None, path, 5, b'{"id": 1, "text": "x"}\n')
    assert str(raised.value) == (
        f"{path}:3: url: expected an absolute http:// or https:// address, got 'ftp://x'; give the web address"
        " (1 more problem(s) in the file after this one)"
    )


def test_a_repeated_url_in_a_json_ld_file_names_the_file_and_the_record(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text(json.dumps([FACT_CHECKS[0], {**FACT_CHECKS[1], "url": FACT_CHECKS[0]["url"]}]), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        rank_queries(None, path, 5, b'{"id": 1, "text": "x"}\n')
    assert str(raised.value).startswith(f"{path}: 1.url: the same url as {path} (record 0), read already")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.jsonl", None, ": no such file; give schema.org ClaimReview"),
        ("notes.txt", "{}", ": not a fact-check file; give schema.org ClaimReview as JSON-LD"),
        ("blank.jsonl", "\n\n", ": no fact-check in it; give schema.org ClaimReview"),
        ("empty.json", "", ": (file): empty; put a ClaimReview in it, or remove the file"),
    ],
)
def test_a_fact_check_file_that_holds_none_is_named(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        rank_queries(None, path, 5, b'{"id": 1, "text": "x"}\n')
    assert str(raised.value).startswith(f"{path}{message}")


def test_the_score_command_prints_line_score_and_decision_and_json_with_the_features(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(jsonl(PAIRS[:1]) + "\n" + jsonl(PAIRS[1:3]), encoding="utf-8")
    result = runner.invoke(app, ["match", "score", str(path)])
    assert result.exit_code == 0, result.output
    scores = [item.score for item in score_pairs(path).scored]
    assert result.stdout.splitlines() == [
        f"1\t{scores[0]:.3f}\tsame",
        f"3\t{scores[1]:.3f}\tdifferent\truled out: polarity_differs",
        f"4\t{scores[2]:.3f}\tdifferent\truled out: speakers_differ",
    ]
    report = json.loads(runner.invoke(app, ["match", "score", str(path), "--json"]).stdout)
    assert report == json.loads(score_pairs(path).model_dump_json())
    assert set(report["scored"][0]) == {"line", "score", "match", "terms", "ruled_out"}
    assert "stem_jaccard" in report["scored"][0]["terms"]
    piped = runner.invoke(app, ["match", "score", "-"], input=jsonl([PARAPHRASE]))
    assert piped.stdout == f"1\t{scores[0]:.3f}\tsame\n"
    bare = runner.invoke(app, ["match", "score"], input=jsonl([PARAPHRASE]))
    assert bare.stdout == piped.stdout


def test_the_rank_command_prints_id_rank_score_and_url_and_json(tmp_path, fact_checks):
    queries = tmp_path / "claims.jsonl"
    queries.write_text(jsonl(QUERIES), encoding="utf-8")
    result = runner.invoke(app, ["match", "rank", str(queries), "--against", str(fact_checks), "--top", "1"])
    assert result.exit_code == 0, result.output
    report = rank_queries(queries, fact_checks, 1)
    first, nato = report.ranked[0].matches[0], report.ranked[1].matches[0]
    assert result.stdout.splitlines() == [
        f"1\t1\t{first.score:.4f}\thttps://example.org/fc/unemployment",
        f"nato\t1\t{nato.score:.4f}\thttps://example.org/fc/nato",
    ]
    assert result.stderr == "3: no fact-check shares a word with it\n"
    as_json = runner.invoke(app, ["match", "rank", str(queries), "--against", str(fact_checks), "--json"])
    assert json.loads(as_json.stdout) == json.loads(rank_queries(queries, fact_checks).model_dump_json())
    piped = runner.invoke(app, ["match", "rank", "-", "--against", str(fact_checks)], input=jsonl(QUERIES[1:2]))
    assert piped.stdout.splitlines()[0] == f"nato\t1\t{nato.score:.4f}\thttps://example.org/fc/nato"


def test_the_commands_answer_bad_input_with_one_line_and_their_exit_codes(tmp_path, fact_checks):
    bad = runner.invoke(app, ["match", "score", "-"], input='{"a": "x"}\n')
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == ["error: -:1: no 'b' (a non-empty string); give the sentence as 'b'"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"claimReviewed": "z"}\n', encoding="utf-8")
    unread = runner.invoke(app, ["match", "rank", "-", "--against", str(broken)], input='{"id": 1, "text": "x"}\n')
    assert unread.exit_code == 1
    assert unread.stderr.splitlines() == [f"error: {broken}:1: url: missing; give the fact-check's own http(s) address"]
    zero = runner.invoke(app, ["match", "rank", "-", "--against", str(fact_checks), "--top", "0"], input="")
    assert zero.exit_code == 2
    assert zero.stderr.splitlines() == ["error: top 0: list at least 1 fact-check per query; give a top of 1 or more"]
    without = runner.invoke(app, ["match", "rank", "-"], input="")
    assert without.exit_code == 2 and without.stderr.count("\n") == 1 and "--against" in without.stderr


def labelled_pairs(count: int) -> list[dict[str, object]]:
    """Pairs that differ in one verb: a synonym (the same claim) or an opposite (another)."""
    same = [("raised", "increased"), ("cut", "slashed"), ("closed", "shut")]
    other = [("raised", "lowered"), ("cut", "restored"), ("closed", "reopened")]
    found: list[dict[str, object]] = []
    for number in range(count):
        first, second = (same if number % 2 == 0 else other)[number // 2 % 3]
        what = ["taxes on fuel", "the northern hospital", "funding for schools", "rents downtown"][number // 6 % 4]
        found.append({"a": f"The mayor {first} {what}.", "b": f"The mayor {second} {what}.", "label": number % 2 == 0})
    return found


@pytest.fixture
def labels(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text(jsonl(labelled_pairs(60)), encoding="utf-8")
    return path


def test_fit_prints_its_quality_beside_the_defaults_and_a_dry_run_writes_nothing(tmp_path, labels):
    out = tmp_path / "raw" / "match-model.json"
    out.parent.mkdir()
    dry = runner.invoke(app, ["match", "fit", str(labels), "--out", str(out), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert not out.exists()
    report = fit_pairs(labels, None)
    assert report.out is None and (report.examples, report.positives, report.groups, report.folds) == (60, 30, 60, 10)
    assert dry.stdout.splitlines() == [
        f"{labels}: 60 labelled pairs (30 the same claim) in 60 group(s)",
        f"  10-fold cross-validation (by group), L2 {report.l2:g}, threshold 0.500: accuracy {report.cv.accuracy:.3f}, "
        f"precision {report.cv.precision:.3f}, recall {report.cv.recall:.3f}, F1 {report.cv.f1:.3f}",
        f"  the default matcher on the same pairs: accuracy {report.default.accuracy:.3f}, precision "
        f"{report.default.precision:.3f}, recall {report.default.recall:.3f}, F1 {report.default.f1:.3f}",
        "  dry run: nothing written",
    ]
    assert report.cv.accuracy > report.default.accuracy
    as_json = runner.invoke(app, ["match", "fit", str(labels), "--dry-run", "--json"])
    assert json.loads(as_json.stdout) == report.model_dump(mode="json")
    written = runner.invoke(app, ["match", "fit", str(labels), "--out", str(out)])
    assert written.exit_code == 0 and written.stdout.splitlines()[-1] == f"  wrote {out}"
    assert read_match_model(out).training["sha256"] == report.sha256


def test_fit_writes_raw_match_model_json_by_default(tmp_path, labels, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "raw").mkdir()
    result = runner.invoke(app, ["match", "fit", str(labels)])
    assert result.exit_code == 0, result.output
    assert read_match_model(tmp_path / "raw" / "match-model.json").threshold == 0.5


def test_pairs_of_one_group_stay_in_one_fold_and_fewer_groups_make_fewer_folds(tmp_path):
    records = [{**record, "group": f"story {number % 4}"} for number, record in enumerate(labelled_pairs(60))]
    path = tmp_path / "grouped.jsonl"
    path.write_text(jsonl(records), encoding="utf-8")
    report = fit_pairs(path)
    assert (report.groups, report.folds, report.by_group) == (4, 4, True)
    path.write_text(jsonl([{**record, "group": 1} for record in records]), encoding="utf-8")
    report = fit_pairs(path)
    assert (report.groups, report.folds, report.by_group) == (1, 10, False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"a": "x", "b": "y"}', "'label' must be true/false or 1/0, not None; say whether a and b match"),
        ('{"a": "x", "b": "y", "label": "yes"}', "'label' must be true/false or 1/0, not 'yes'"),
        ('{"a": "x", "b": "y", "label": 0.5}', "'label' must be true/false or 1/0, not 0.5"),
        ('{"a": "x", "label": 1}', "no 'b' (a non-empty string); give the sentence as 'b'"),
        ('{"a": "x", "b": "y", "label": 1, "group": []}', "'group' [] is not a non-empty string or an integer"),
        ('{"a": "x", "b": "y", "label": 1, "a_speaker": 3}', "'a_speaker' must be a string or null"),
        ("a, b, true", "not JSON"),
    ],
)
def test_a_bad_labelled_pair_is_one_error_naming_the_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "labelled.jsonl"
    path.write_text(jsonl(labelled_pairs(60)[:2]) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        fit_pairs(path)
    assert str(raised.value).startswith(f"{path}:4: {message}")


def test_too_few_labels_or_one_kind_only_are_refused_and_nothing_is_written(tmp_path):
    path, out = tmp_path / "labelled.jsonl", tmp_path / "model.json"
    path.write_text(jsonl(labelled_pairs(49)), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        fit_pairs(path, out)
    assert str(raised.value) == (
        f"{path}: 49 labelled pair(s); label at least 50, the same claim and not, before fitting"
    )
    path.write_text(jsonl([{**record, "label": True} for record in labelled_pairs(60)]), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        fit_pairs(path, out)
    assert str(raised.value) == f"{path}: all 60 labels say the same claim; label some of the other kind too"
    assert not out.exists()
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="no labelled pairs; give one JSON object per line"):
        fit_pairs(path, out)


def test_the_fit_command_refuses_too_few_labels_or_a_bad_line_with_exit_1_and_one_line(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text(jsonl(labelled_pairs(3)), encoding="utf-8")
    few = runner.invoke(app, ["match", "fit", str(path), "--dry-run"])
    assert few.exit_code == 1
    assert few.stderr.splitlines() == [
        f"error: {path}: 3 labelled pair(s); label at least 50, the same claim and not, before fitting"
    ]
    path.write_text('{"a": "x", "b": "y", "label": 2}\n', encoding="utf-8")
    bad = runner.invoke(app, ["match", "fit", str(path), "--dry-run"])
    assert bad.exit_code == 1 and bad.stderr.startswith(f"error: {path}:1: 'label' must be true/false or 1/0, not 2")
    absent = runner.invoke(app, ["match", "fit", str(tmp_path / "absent.jsonl"), "--dry-run"])
    assert absent.exit_code == 1 and "absent.jsonl: no such file" in absent.stderr


# -- match fit --label-studio: curators' judgements of the matched pairs, from a completed Label Studio export ------


def judged(choice: str | None, *, cancelled: bool = False) -> dict[str, Any]:
    """A curator's annotation of a pair task: the choice made (None: submitted without answering), or skipped."""
    at = "2024-05-02T10:15:01.123456Z"
    result = [] if choice is None or cancelled else [
        {"value": {"choices": [choice]}, "id": "m0", "from_name": SAME_CLAIM, "to_name": "text", "type": "choices",
         "origin": "manual"}
    ]  # fmt: skip
    return {"completed_by": 2, "result": result, "was_cancelled": cancelled, "created_at": at, "updated_at": at}


def pair_tasks(seed_dist: Path, tmp_path: Path, count: int) -> list[dict[str, Any]]:
    """The seed's exported pair task, then ``count`` tasks like it holding :func:`labelled_pairs`' sentences, in
    six match groups."""
    export_label_studio_pairs(seed_dist, tmp_path / "pairs")
    (real,) = json.loads((tmp_path / "pairs" / "tasks.json").read_text(encoding="utf-8"))
    tasks = [real]
    for number, pair in enumerate(labelled_pairs(count)):
        task = copy.deepcopy(real)
        task["data"] |= {"text": pair["a"], "other_text": pair["b"], "speaker": None, "other_speaker": None}
        task["data"]["match_group"] = f"{number % 6:016x}"
        tasks.append(task)
    return tasks


def write_export(path: Path, export: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_fit_learns_from_curators_judgements_of_exported_pairs_as_from_the_same_pairs_in_jsonl(seed_dist, tmp_path):
    tasks = pair_tasks(seed_dist, tmp_path, 60)
    answers = {0: [judged(DIFFERENT, cancelled=True), judged(SAME)]}  # skipped once, then judged
    for position, pair in enumerate(labelled_pairs(60), start=1):
        if position not in (7, 8):  # two tasks nobody annotated, and one only skipped
            answers[position] = [judged(SAME if pair["label"] else DIFFERENT, cancelled=position == 9)]
    export = write_export(tmp_path / "export.json", export_json(tasks, answers))
    result = runner.invoke(app, ["match", "fit", "--label-studio", str(export), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    report = fit_pairs(None, label_studio=export)
    assert json.loads(result.stdout) == report.model_dump(mode="json")
    assert (report.source, report.examples, report.positives, report.unannotated) == (str(export), 58, 29, 3)
    assert (report.groups, report.folds, report.by_group) == (7, 7, True)  # the seed's group and the six

    real = tasks[0]["data"]
    same_pairs = [
        {"a": real["text"], "b": real["other_text"], "label": True, "a_speaker": real["speaker"],
         "b_speaker": real["other_speaker"], "group": real["match_group"]},
        *(
            {**pair, "a_speaker": None, "b_speaker": None, "group": f"{number % 6:016x}"}
            for number, pair in enumerate(labelled_pairs(60))
            if number + 1 not in (7, 8, 9)
        ),
    ]  # fmt: skip
    path = tmp_path / "labelled.jsonl"
    path.write_text(jsonl(same_pairs), encoding="utf-8")
    from_jsonl = fit_pairs(path)
    apart = {"source", "unannotated"}  # all else alike: the same pairs, labels, speakers and groups
    assert report.model_dump(exclude=apart) == from_jsonl.model_dump(exclude=apart)
    printed = runner.invoke(app, ["match", "fit", "--label-studio", str(export), "--dry-run"])
    assert printed.stdout.splitlines()[0] == (
        f"{export}: 58 labelled pairs (29 the same claim) in 7 group(s); 3 task(s) without an annotation skipped"
    )


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            lambda task: task["annotations"][0].update(result=[]),
            "task 102 (#1): annotations[0].result: no 'same_claim' choice; answer ['same claim'] or "
            "['different claims'] in Label Studio, or skip the task",
        ),
        (
            lambda task: task["annotations"][0]["result"][0]["value"].update(choices=["maybe"]),
            "task 102 (#1): annotations[0].result[0].value.choices: expected ['same claim'] or ['different claims'], "
            "got ['maybe']",
        ),
        (
            lambda task: task["data"].pop("other_text"),
            "task 102 (#1): data.other_text: expected the claim's text, got null; keep the data factpack exported in "
            "the task",
        ),
        (
            lambda task: task.pop("data"),
            "task 102 (#1): data: missing; a JSON-MIN export flattens it away: export the project as JSON",
        ),
        (
            lambda task: task["annotations"][0].update(updated_at="yesterday"),
            "task 102 (#1): annotations[0].updated_at: expected an ISO 8601 timestamp, got 'yesterday'",
        ),
    ],
)
def test_a_bad_task_stops_the_fit_naming_the_task_its_field_and_the_fix(seed_dist, tmp_path, spoil, message):
    tasks = pair_tasks(seed_dist, tmp_path, 60)
    export = export_json(tasks, {at: [judged(SAME if at % 2 else DIFFERENT)] for at in range(len(tasks))})
    spoil(export[1])
    spoil(export[5])
    path = write_export(tmp_path / "export.json", export)
    with pytest.raises(InputError) as raised:
        fit_pairs(None, label_studio=path)
    assert str(raised.value).startswith(f"{path}: {message}")
    assert str(raised.value).endswith(" (1 more problem(s) in the export after this one)")
    result = runner.invoke(app, ["match", "fit", "--label-studio", str(path), "--dry-run"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: {raised.value}\n"


def test_an_export_that_is_no_array_of_tasks_is_named_with_the_fix(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"id": 1, "data": {}}), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        fit_pairs(None, label_studio=path)
    assert str(raised.value) == (
        f"{path}: (file): not a JSON array of tasks; use Label Studio's JSON export (not JSON-MIN, CSV or a single "
        "task)"
    )


def test_labels_and_a_label_studio_export_are_one_or_the_other(tmp_path, labels):
    for given in ({"labels": labels, "label_studio": labels}, {"labels": None}):
        with pytest.raises(ConfigError, match="give the labelled pairs as a JSONL file or as --label-studio"):
            fit_pairs(**given)
    both = runner.invoke(app, ["match", "fit", str(labels), "--label-studio", str(labels), "--dry-run"])
    neither = runner.invoke(app, ["match", "fit", "--dry-run"])
    for result in (both, neither):
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith("error: give the labelled pairs") and result.stderr.count("\n") == 1


@pytest.fixture
def model(tmp_path, labels):
    out = tmp_path / "match-model.json"
    fit_pairs(labels, out)
    return out


def test_score_with_a_model_decides_by_it_and_names_it(tmp_path, model):
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        jsonl(
            [
                {"a": "The mayor slashed funding for schools.", "b": "The mayor cut funding for schools."},
                {"a": "The mayor cut funding for schools.", "b": "The mayor restored funding for schools."},
                {"a": NO_CONTRADICTION, "b": A_CONTRADICTION},
            ]
        ),
        encoding="utf-8",
    )
    fitted = read_match_model(model)
    report = score_pairs(path, model=model)
    assert report.scorer == f"model sha256:{fitted.sha256}"
    assert [(item.match, item.ruled_out) for item in report.scored] == [
        (True, None),
        (False, None),
        (False, "polarity_differs"),
    ]
    assert [item.score for item in report.scored][:2] == [
        fitted.score(
            match_text("The mayor slashed funding for schools."), match_text("The mayor cut funding for schools.")
        ),
        fitted.score(
            match_text("The mayor cut funding for schools."), match_text("The mayor restored funding for schools.")
        ),
    ]
    assert [item.match for item in score_pairs(path).scored][:2] == [True, True]  # the default cannot tell them apart
    result = runner.invoke(app, ["match", "score", str(path), "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        f"1\t{report.scored[0].score:.3f}\tsame",
        f"2\t{report.scored[1].score:.3f}\tdifferent",
    ]


def test_rank_with_a_model_reranks_bm25s_best_by_the_models_score(tmp_path, model):
    checks = tmp_path / "factchecks.jsonl"
    records = [
        {"url": "https://example.org/fc/restored", "claimReviewed": "The mayor restored funding for schools."},
        {"url": "https://example.org/fc/cut", "claimReviewed": "The mayor cut funding for schools and parks."},
        {"url": "https://example.org/fc/taxes", "claimReviewed": "Taxes were cut for 3 million families."},
    ]
    checks.write_text(jsonl([{"@type": "ClaimReview", **record} for record in records]), encoding="utf-8")
    stdin = jsonl([{"id": "q", "text": "The mayor slashed funding for schools."}]).encode("utf-8")
    bm25 = rank_queries(None, checks, 1, stdin).ranked[0].matches
    assert [match.url for match in bm25] == ["https://example.org/fc/restored"]
    reranked = rank_queries(None, checks, 3, stdin, model)
    fitted = read_match_model(model)
    asked = match_text("The mayor slashed funding for schools.")
    index = Bm25Index([str(record["claimReviewed"]) + " " for record in records])  # no headlines: claim + " "
    retrieved = index.top("The mayor slashed funding for schools.", 20)
    strongest = retrieved[0][1]
    expected = sorted(
        (
            (
                round(fitted.score(asked, match_text(str(records[found]["claimReviewed"]))) + bm25 / strongest, 4),
                str(records[found]["url"]),
            )
            for found, bm25 in retrieved
        ),
        key=lambda found: -found[0],
    )
    assert len(expected) == 2  # the taxes check shares no word with the query
    assert [(match.score, match.url) for match in reranked.ranked[0].matches] == expected
    assert expected[0][1] == "https://example.org/fc/cut"  # the model's best, not BM25's
    assert reranked.scorer == f"model sha256:{fitted.sha256}"
    result = runner.invoke(
        app, ["match", "rank", "-", "--against", str(checks), "--top", "1", "--model", str(model)], input=stdin.decode()
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"q\t1\t{expected[0][0]:.4f}\thttps://example.org/fc/cut\n"


def test_a_model_of_another_format_stops_score_and_rank_with_exit_2(tmp_path, fact_checks):
    other = tmp_path / "worthiness-model.json"
    other.write_text('{"format": "factpack-worthiness-model/1"}\n', encoding="utf-8")
    for command in (["match", "score", "-"], ["match", "rank", "-", "--against", str(fact_checks)]):
        result = runner.invoke(app, [*command, "--model", str(other)], input=jsonl([PARAPHRASE]))
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [
            f"error: {other}: a model of format 'factpack-worthiness-model/1', this factpack reads "
            "'factpack-match-model/1'; fit it again with 'factpack match fit'"
        ]
