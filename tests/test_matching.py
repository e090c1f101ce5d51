"""``factpack match score`` and ``factpack match rank``: pairs scored and fact-checks ranked outside a build, with
the matcher of builder.match; bad input in one line naming the file, line and field."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import ConfigError, InputError
from builder.match.pairs import score_pair
from builder.match.rank import Bm25Index
from builder.matching import matcher_id, rank_queries, score_pairs

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
