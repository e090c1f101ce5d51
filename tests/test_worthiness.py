"""``factpack worthiness score``: text scored outside a build, as the build scores it; bad input in one line."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import InputError
from builder.extract.worthiness import check_worthiness
from builder.extract.worthiness_model import MODEL_FORMAT, read_model
from builder.models import DocumentAP
from builder.worthiness import fit_model, render_document_spread, score_file, score_text

runner = CliRunner()

DEBATE = [
    {"text": "Good evening and welcome to the debate.", "speaker": "HOST"},
    {"text": "What will you do about jobs?", "speaker": "HOST"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "HOST"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "SMITH", "claim_type": "direct_quote"},
    {"text": "Unemployment fell to 4% last year.", "speaker": "SMITH", "claim_type": "author_statement"},
    {"text": "We cut taxes for 3 million families."},
]


def jsonl(records: list[dict[str, str]]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_plain_lines_score_as_the_text_alone_with_blank_lines_counted_and_skipped(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_bytes(b"Unemployment fell to 4% last year.\r\n\r\nThank you.\r\nIt is an invasion.\n")
    report = score_file(path)
    assert [(item.line, item.text) for item in report.scored] == [
        (1, "Unemployment fell to 4% last year."),
        (3, "Thank you."),
        (4, "It is an invasion."),
    ]
    assert [item.score for item in report.scored] == [check_worthiness(item.text) for item in report.scored]
    assert report.source == str(path) and report.scorer.startswith("factpack-rules/")


def test_jsonl_lines_are_scored_with_who_says_them():
    scored = score_text(jsonl(DEBATE)).scored
    host, quoted, narrated = scored[2], scored[3], scored[4]
    text = "Unemployment fell to 4% last year."
    assert quoted.score == check_worthiness(text, attributed=True) > narrated.score == check_worthiness(text)
    assert host.score == check_worthiness(text, attributed=True, questioner=True) < narrated.score
    assert host.terms["questioner"] < 0 and quoted.terms["attributed"] > 0 and narrated.terms["attributed"] == 0
    for item in scored:
        assert round(1 / (1 + math.exp(-math.fsum(item.terms.values()))), 3) == item.score
    assert scored[5].speaker is None and scored[5].claim_type is None and scored[5].cue_kind is None
    said = score_text(jsonl([{"text": "Rates will fall.", "claim_type": "indirect_quote", "cue_kind": "belief"}]))
    assert said.scored[0].cue_kind == "belief"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "-: no lines to score"),
        (b"  \n\t\n", "-: no lines to score"),
        (b"A line.\nAnother.\nCaf\xe9 au lait.\n", "-:3: not UTF-8 (byte 0xe9); save the file as UTF-8"),
        (b'{"text": "ok"}\n{"text": \n', "-:2: not JSON"),
        (b'{"text": "ok"}\n["text"]\n', "-:2: a JSON list, not an object"),
        (b'{"text": "ok"}\n{"speaker": "A"}\n', "-:2: no 'text'"),
        (b'{"text": "  "}\n', "-:1: no 'text'"),
        (b'{"text": "ok", "speaker": 7}\n', "-:1: 'speaker' must be a string or null"),
        (b'{"text": "ok", "claim_type": "rumour"}\n', "-:1: 'claim_type' 'rumour' is not one of direct_quote"),
        (b'{"text": "ok", "cue_kind": "gossip"}\n', "-:1: 'cue_kind' 'gossip' is not one of speech, belief, intention"),
    ],
)
def test_bad_input_is_one_error_naming_the_line(data, message):
    with pytest.raises(InputError) as raised:
        score_file(None, data)
    assert str(raised.value).startswith(message)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        score_file(tmp_path / "absent.txt")


def test_the_command_prints_score_and_text_per_line_and_json_with_terms(tmp_path):
    path = tmp_path / "debate.jsonl"
    path.write_text(jsonl(DEBATE), encoding="utf-8")
    result = runner.invoke(app, ["worthiness", "score", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(DEBATE)
    assert lines[3] == f"{check_worthiness(DEBATE[3]['text'], attributed=True):.3f}\t{DEBATE[3]['text']}"
    report = json.loads(runner.invoke(app, ["worthiness", "score", str(path), "--json"]).stdout)
    assert [item["line"] for item in report["scored"]] == [1, 2, 3, 4, 5, 6]
    assert set(report["scored"][0]["terms"]) >= {"bias", "number", "attributed", "questioner"}
    piped = runner.invoke(app, ["worthiness", "score", "-"], input="Prices rose 5% in May.\n")
    assert piped.stdout == f"{check_worthiness('Prices rose 5% in May.'):.3f}\tPrices rose 5% in May.\n"


def test_the_command_answers_bad_input_with_one_line_and_exit_1(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"\xff\xfe broken\n")
    result = runner.invoke(app, ["worthiness", "score", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"error: {path}:1: not UTF-8 (byte 0xff); save the file as UTF-8"]


def labelled(count: int, every: int = 4) -> list[dict[str, object]]:
    """Texts where the check-worthy ones state figures and the others are courtesies, over six documents."""
    rows: list[dict[str, object]] = []
    for i in range(count):
        worthy = i % every == 0
        text = f"Unemployment fell to {i}% in 2019 under the budget." if worthy else f"Thank you all for coming {i}."
        rows.append({"text": text, "label": worthy, "document": f"d{i % 6}"})
    return rows


def test_a_fitted_model_is_json_with_its_quality_and_scores_what_it_learned(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(labelled(120)), encoding="utf-8")
    report = fit_model(path, out=tmp_path / "model.json")
    assert (report.examples, report.positives, report.documents, report.folds) == (120, 30, 6, 5)
    assert report.cv_ap == 1.0 and report.cv_map == 1.0  # the classes are separable by their words
    document = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert document["format"] == MODEL_FORMAT and document["training"]["sha256"] == report.sha256
    chosen = {"l2": report.l2, "balanced": report.balanced, "neighbours": report.neighbours}
    assert document["settings"] == chosen and read_model(tmp_path / "model.json").neighbours == report.neighbours
    assert document["quality"]["cv_ap"] == report.cv_ap
    again = fit_model(path, out=tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == (
        tmp_path / "model.json"
    ).read_bytes() and again == report.model_copy(update={"out": str(tmp_path / "again.json")})
    scored = score_text("Unemployment fell to 3% in 2020.\nThank you all.\n", model=read_model(tmp_path / "model.json"))
    assert scored.scored[0].score > 0.5 > scored.scored[1].score
    assert scored.scorer == f"model sha256:{read_model(tmp_path / 'model.json').sha256}"
    dry = fit_model(path)
    assert dry.out is None and not (tmp_path / "none.json").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (labelled(49), "49 labelled text(s); label at least 50"),
        ([{"text": f"Fact {i}.", "label": True} for i in range(60)], "all 60 labels say check-worthy"),
        ([{"text": f"Fact {i}.", "label": "yes"} for i in range(60)], ":1: 'label' must be true/false or 1/0"),
    ],
)
def test_too_few_labels_one_class_or_bad_labels_are_refused(tmp_path, rows, message):
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(rows), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        fit_model(path, out=tmp_path / "model.json")
    assert not (tmp_path / "model.json").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "factpack-worthiness-model/0", "bias": 0}', "a model of format 'factpack-worthiness-model/0'"),
        # a model fitted by an older factpack: its features are not this one's
        ('{"format": "factpack-worthiness-model/1", "bias": 0}', "a model of format 'factpack-worthiness-model/1'"),
        ('{"format": "factpack-worthiness-model/2", "bias": 0}', "a damaged model file"),
        ("not json", "not a readable JSON model file"),
    ],
)
def test_a_model_of_another_version_or_damaged_is_one_error(tmp_path, content, message):
    model = tmp_path / "model.json"
    model.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["worthiness", "score", "-", "--model", str(model)], input="Prices rose.\n")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {model}: {message}")


def test_fit_learns_the_check_worthy_labels_a_built_dataset_carries(raw_copy, tmp_path):
    from builder.config import BuildConfig
    from builder.pipeline import build

    seeds = tmp_path / "seeds"
    build(BuildConfig(raw_dir=raw_copy, out_dir=seeds))
    from builder.dataset_folder import iter_claims

    claims = [claim for claim, _ in iter_claims(seeds)]
    judged = [
        {"claim_id": claim.claim_id, "check_worthy": any(c.isdigit() for c in claim.text)} for claim in claims[:60]
    ]
    (raw_copy / "labels.jsonl").write_text(jsonl(judged), encoding="utf-8")
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=dist))
    result = runner.invoke(app, ["worthiness", "fit", "--dist", str(dist), "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    positives = sum(row["check_worthy"] for row in judged)
    articles = len({claim.article_id for claim in claims[:60]})
    assert result.stdout.splitlines()[0] == (
        f"{dist} (claims with check_worthy): 60 labelled texts ({positives} check-worthy) from {articles} document(s)"
    )
    assert "5-fold cross-validation, chose L2 " in result.stdout and (tmp_path / "m.json").is_file()


def expected_scores(claims, model):
    """Each claim's score recomputed as the build computes it: its article's claims are one document."""
    from builder.extract.worthiness import document_features, score_of

    by_article: dict[str, list[int]] = {}
    for index, claim in enumerate(claims):
        by_article.setdefault(claim.article_id, []).append(index)
    scores = [0.0] * len(claims)
    for indices in by_article.values():
        lines = [
            (
                claims[i].text,
                claims[i].speaker,
                claims[i].claim_type.value,
                claims[i].cue_kind and claims[i].cue_kind.value,
            )
            for i in indices
        ]
        terms = document_features([line[:3] for line in lines])
        found = [score_of(term) for term in terms] if model is None else model.scores(lines, terms)
        for i, score in zip(indices, found, strict=True):
            scores[i] = score
    return scores


def test_the_next_build_scores_with_the_fitted_model_and_says_so(raw_copy, tmp_path):
    from builder.config import BuildConfig
    from builder.dataset_folder import iter_claims
    from builder.pipeline import build

    labels = tmp_path / "labels.jsonl"
    labels.write_text(jsonl(labelled(120)), encoding="utf-8")
    fit_model(labels, out=raw_copy / "worthiness-model.json")
    model = read_model(raw_copy / "worthiness-model.json")
    cache = tmp_path / "cache"
    report = build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "dist", cache_dir=cache))
    claims = [claim for claim, _ in iter_claims(tmp_path / "dist")]
    rules_id = claims[0].extractor.split("+model-")[0]
    assert {claim.extractor for claim in claims} == {f"{rules_id}+model-{model.sha256[:12]}"}
    assert [claim.check_worthiness for claim in claims] == expected_scores(claims, model)
    card = (tmp_path / "dist" / "README.md").read_text(encoding="utf-8")
    assert f"SHA-256 `{model.sha256}`" in card and "120 labelled texts" in card
    assert "worthiness-model.json" in (tmp_path / "dist" / "manifest.json").read_text(encoding="utf-8")
    (raw_copy / "worthiness-model.json").unlink()  # back to the rules: the cache does not hand the model's scores
    again = build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "rules", cache_dir=cache))
    assert again.from_cache == 0 and report.from_cache == 0
    plain = [claim for claim, _ in iter_claims(tmp_path / "rules")]
    assert {claim.extractor for claim in plain} == {rules_id}
    assert [claim.check_worthiness for claim in plain] == expected_scores(plain, None)
    assert expected_scores(plain, None) != expected_scores(plain, model)
    assert "that rule score" in (tmp_path / "rules" / "README.md").read_text(encoding="utf-8")


def test_a_bad_model_file_in_the_raw_folder_stops_the_build_at_once(raw_copy, tmp_path):
    (raw_copy / "worthiness-model.json").write_text('{"format": "something-else/9"}', encoding="utf-8")
    result = runner.invoke(app, ["build", str(raw_copy), "--out", str(tmp_path / "dist"), "--no-cache"])
    assert result.exit_code == 2 and not (tmp_path / "dist").exists()
    (line,) = result.stderr.strip().splitlines()
    assert "worthiness-model.json: a model of format 'something-else/9'" in line


def average_precision(ranked: list[bool]) -> float:
    hits, total = 0, 0.0
    for rank, hit in enumerate(ranked, start=1):
        if hit:
            hits += 1
            total += hits / rank
    return total / max(1, hits)


def test_the_annotation_loop_ranks_by_check_worthiness_and_learns_from_the_curators(raw_copy, tmp_path):
    """Export the most check-worthy claims first, label them in Label Studio (simulated), import, fit, rebuild:
    the next export ranks by what the curators judged."""
    from labels.curator import annotation, export_json

    def build(out: str) -> None:
        result = runner.invoke(app, ["build", str(raw_copy), "--out", str(tmp_path / out), "--no-cache"])
        assert result.exit_code == 0, result.output

    def export(dist: str, out: str, *more: str) -> list[dict[str, object]]:
        command = ["export", str(tmp_path / dist), "--format", "label-studio", "--out", str(tmp_path / out)]
        result = runner.invoke(app, [*command, "--order", "check-worthiness", *more])
        assert result.exit_code == 0, result.output
        tasks: list[dict[str, object]] = json.loads((tmp_path / out / "tasks.json").read_text(encoding="utf-8"))
        return tasks

    def score(task: dict[str, object]) -> float:
        return float(task["predictions"][0]["score"])  # type: ignore[index]

    build("first")
    tasks = export("first", "tasks")
    scores = [score(task) for task in tasks]
    assert scores == sorted(scores, reverse=True) and len(tasks) >= 60
    top = export("first", "top", "--limit", "10")
    assert [task["data"]["claim_id"] for task in top] == [task["data"]["claim_id"] for task in tasks[:10]]  # type: ignore[index]

    # The curators' judgement, made up for the test: what names a party or a place is check-worthy.
    def worthy(task: dict[str, object]) -> bool:
        text = str(task["data"]["claim_text"])  # type: ignore[index]
        return any(name in text for name in ("NATO", "Russia", "Moscow", "Ukraine"))

    done = {
        position: [annotation(task, check_worthy="yes" if worthy(task) else "no")]
        for position, task in enumerate(tasks)
    }
    exported = tmp_path / "project-export.json"
    exported.write_text(json.dumps(export_json(tasks, done)), encoding="utf-8")
    imported = runner.invoke(app, ["labels", "import-label-studio", str(exported), "--raw", str(raw_copy)])
    assert imported.exit_code == 0, imported.output
    build("labelled")
    model = raw_copy / "worthiness-model.json"
    fitted = runner.invoke(app, ["worthiness", "fit", "--dist", str(tmp_path / "labelled"), "--out", str(model)])
    assert fitted.exit_code == 0, fitted.output
    build("reranked")
    again = export("reranked", "again")
    assert [score(task) for task in again] == sorted((score(task) for task in again), reverse=True)
    before = average_precision([worthy(task) for task in tasks])
    after = average_precision([worthy(task) for task in again])
    assert after > before  # ranked by what the curators judged, not by the rules


def test_an_order_or_limit_the_export_does_not_know_is_refused(seed_dist, tmp_path):
    from builder.errors import ConfigError
    from builder.labels import export_label_studio

    with pytest.raises(ConfigError, match="order must be one of dataset, check-worthiness"):
        export_label_studio(seed_dist, tmp_path / "a", order="random")
    with pytest.raises(ConfigError, match="limit must be 1 or more"):
        export_label_studio(seed_dist, tmp_path / "b", limit=0)
    result = runner.invoke(app, ["export", str(seed_dist), "--out", str(tmp_path / "c.jsonl"), "--limit", "3"])
    assert result.exit_code == 2 and "--limit does not apply to --format claimreview" in result.output
    first = export_label_studio(seed_dist, tmp_path / "d", limit=3)
    assert first.tasks == 3


def test_fit_on_a_labels_file_prints_its_quality_and_a_dry_run_writes_nothing(tmp_path):
    path, model = tmp_path / "labels.jsonl", tmp_path / "model.json"
    path.write_text(jsonl(labelled(120)), encoding="utf-8")
    command = ["worthiness", "fit", str(path), "--out", str(model), "--dist", str(tmp_path / "unused")]
    dry = runner.invoke(app, [*command, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines() == [
        f"{path}: 120 labelled texts (30 check-worthy) from 6 document(s)",
        # a tie everywhere keeps the first setting tried: the strongest penalty, balanced, each line alone
        "  5-fold cross-validation, chose L2 0.0001, classes balanced, neighbours 0: AP 1.000 (rules 1.000), "
        "MAP 1.000 (rules 1.000)",
        "  per document, held out: AP min · median · max 1.000 · 1.000 · 1.000 (rules 1.000 · 1.000 · 1.000); "
        "above the rules on 0 of 3",
        "  dry run: nothing written",
    ]
    assert not model.exists()
    as_json = runner.invoke(app, [*command, "--dry-run", "--json"])
    assert as_json.exit_code == 0 and not model.exists()
    assert json.loads(as_json.stdout) == fit_model(path).model_dump(mode="json")
    assert json.loads(as_json.stdout)["out"] is None
    wrote = runner.invoke(app, command)
    assert wrote.exit_code == 0 and wrote.stdout.splitlines()[-1] == f"  wrote {model}"
    written = json.loads(runner.invoke(app, [*command, "--json"]).stdout)
    assert written["out"] == str(model) and written["examples"] == 120
    assert read_model(model).training["sha256"] == written["sha256"]


def test_cross_validation_holds_out_whole_documents(tmp_path):
    """Each document repeats one sentence of its own, labelled as the document is; the rules see no difference.
    Held out by document, the model cannot know the unseen sentences: it ranks no better than chance. Folds of
    examples would put copies of each sentence on both sides and report a perfect ranking."""
    words = ["apple", "brick", "cloud", "dune", "ember", "fjord"]
    rows = [
        {"text": f"the {words[i % 6]} committee met on a quiet day.", "label": i % 6 < 3, "document": f"d{i % 6}"}
        for i in range(60)
    ]
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(rows), encoding="utf-8")
    report = fit_model(path)
    assert (report.documents, report.folds) == (6, 5)
    assert report.cv_ap < 0.8


def test_folds_keep_a_document_whole_when_there_are_enough_documents():
    from builder.worthiness import _folds

    documents = [f"d{i % 6}" for i in range(30)]
    folds = _folds(documents, 5)
    by_document: dict[str, set[int]] = {}
    for document, fold in zip(documents, folds, strict=True):
        by_document.setdefault(document, set()).add(int(fold))
    assert all(len(seen) == 1 for seen in by_document.values())
    assert set().union(*by_document.values()) == {0, 1, 2, 3, 4}
    # four documents for five folds: runs of consecutive lines, so a line and its neighbours share a fold
    few = [f"d{i % 4}" for i in range(12)]
    assert [int(fold) for fold in _folds(few, 5)] == [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4]


def ranked_precision(scores: list[float], truth: list[bool]) -> float:
    """Average precision of ``scores`` (ties in input order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    return average_precision([truth[i] for i in order])


def test_the_rules_quality_is_measured_on_the_same_texts_and_printed_beside_the_models(tmp_path):
    texts = [
        "Unemployment fell to {}% in 2019.",
        "Thank you all for coming, {}.",
        "The minister said taxes would rise by {} points.",
        "What will you do about jobs, caller {}?",
        "We must act now, {} times over.",
        "Prices rose in May by {} cents, the bank said.",
        "It is a disgrace, said voter {}.",
    ]
    worthy = [i % 5 in (0, 3) or i % 7 == 0 for i in range(80)]  # not what the rules see
    rows = [{"text": texts[i % 7].format(i), "label": worthy[i], "document": f"d{i % 8}"} for i in range(80)]
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(rows), encoding="utf-8")
    scores = [0.0] * len(rows)
    per_document: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        per_document.setdefault(str(row["document"]), []).append(index)
    for indices in per_document.values():  # the rules score a document's texts together, as the build does
        scored = score_text(jsonl([{"text": rows[i]["text"]} for i in indices])).scored
        for i, item in zip(indices, scored, strict=True):
            scores[i] = item.score
    rules_ap = ranked_precision(scores, worthy)
    rules_map = sum(
        ranked_precision([scores[i] for i in indices], [worthy[i] for i in indices])
        for indices in per_document.values()
    ) / len(per_document)  # every document has a check-worthy text
    assert all(any(worthy[i] for i in indices) for indices in per_document.values())

    report = fit_model(path)
    assert (report.rules_ap, report.rules_map) == (round(rules_ap, 4), round(rules_map, 4))
    assert report.cv_ap != report.rules_ap  # two measures, not one printed twice
    result = runner.invoke(app, ["worthiness", "fit", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    balanced = "balanced" if report.balanced else "as they come"
    assert result.stdout.splitlines()[1] == (
        f"  5-fold cross-validation, chose L2 {report.l2:g}, classes {balanced}, neighbours {report.neighbours:g}: "
        f"AP {report.cv_ap:.3f} (rules {rules_ap:.3f}), MAP {report.cv_map:.3f} (rules {rules_map:.3f})"
    )


def test_the_model_carries_the_hash_of_its_training_data_not_of_where_it_came_from(tmp_path):
    rows = labelled(120)

    def fitted(name: str, records: list[dict[str, object]]) -> str:
        path = tmp_path / name
        path.write_text(jsonl(records), encoding="utf-8")
        report = fit_model(path, out=tmp_path / f"{name}.model.json")
        assert read_model(tmp_path / f"{name}.model.json").training["sha256"] == report.sha256
        return report.sha256

    first = fitted("a.jsonl", rows)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert fitted("renamed.jsonl", rows) == first
    flipped = [dict(row) for row in rows]
    flipped[1]["label"] = not flipped[1]["label"]
    assert fitted("flipped.jsonl", flipped) != first
    regrouped = [dict(row) for row in rows]
    regrouped[1]["document"] = "elsewhere"
    assert fitted("regrouped.jsonl", regrouped) != first
    spoken = [dict(row) for row in rows]
    spoken[1]["speaker"] = "Smith"
    assert fitted("spoken.jsonl", spoken) != first


def test_the_fit_command_refuses_too_few_labels_or_a_bad_line_with_exit_1_and_one_line(tmp_path):
    path, model = tmp_path / "labels.jsonl", tmp_path / "model.json"
    for rows, message in [
        (labelled(49), f"error: {path}: 49 labelled text(s); label at least 50"),
        ([*labelled(60), {"text": "Fine.", "label": "maybe"}], f"error: {path}:61: 'label' must be true/false"),
    ]:
        path.write_text(jsonl(rows), encoding="utf-8")
        result = runner.invoke(app, ["worthiness", "fit", str(path), "--out", str(model)])
        assert result.exit_code == 1 and result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith(message)
    assert not model.exists()


def test_the_fit_reports_each_held_out_documents_average_precision_beside_the_rules(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(labelled(120)), encoding="utf-8")
    report = fit_model(path)
    with_positive = sorted({row["document"] for row in labelled(120) if row["label"]})
    assert [entry.document for entry in report.document_ap] == with_positive
    assert report.cv_map == round(sum(entry.model for entry in report.document_ap) / len(report.document_ap), 4)


def test_the_spread_line_gives_min_median_max_and_the_documents_above_the_rules():
    spread = [
        DocumentAP(document="a", model=0.5, rules=0.25),
        DocumentAP(document="b", model=0.1, rules=0.2),
        DocumentAP(document="c", model=0.9, rules=0.9),
    ]
    assert render_document_spread(spread) == (
        "per document, held out: AP min · median · max 0.100 · 0.500 · 0.900 (rules 0.200 · 0.250 · 0.900); "
        "above the rules on 1 of 3"
    )


def write_labels(path, documents: list[list[tuple[str, bool]]]) -> None:
    rows = [
        {"text": text, "label": label, "document": f"d{number}"}
        for number, lines in enumerate(documents)
        for text, label in lines
    ]
    path.write_text(jsonl(rows), encoding="utf-8")


def test_the_fit_learns_from_a_lines_place_when_its_words_say_nothing(tmp_path):
    """The line after a question is the check-worthy one, in words no different from the others': only the
    context (the line before ends in "?") tells them apart, and the fitted model ranks by it."""
    documents = [
        [("We spoke about it.", False), (f"What about item {k}?", False), ("We spoke about it.", True)] * 4
        for k in range(8)
    ]
    write_labels(tmp_path / "labels.jsonl", documents)
    report = fit_model(tmp_path / "labels.jsonl")
    assert report.cv_map == 1.0 and report.rules_map is not None and report.rules_map <= 0.5


def test_the_fit_chooses_to_weigh_the_neighbours_when_check_worthy_lines_come_in_runs(tmp_path):
    """The same neutral line is check-worthy between two claims with figures and not between two courtesies: only
    its neighbours tell, so the cross-validation chooses a share for them, and the ranking is right."""
    documents = [
        [
            (f"Taxes rose {k}% in 2019.", True),
            ("And that is so.", True),
            (f"Prices fell {k}% in 2020.", True),
            (f"Thank you, friend {k}.", False),
            ("And that is so.", False),
            (f"Good night, friend {k}.", False),
        ]
        * 3
        for k in range(8)
    ]
    write_labels(tmp_path / "labels.jsonl", documents)
    report = fit_model(tmp_path / "labels.jsonl", out=tmp_path / "model.json")
    assert report.neighbours > 0 and report.cv_map == 1.0
    model = read_model(tmp_path / "model.json")
    scored = score_text("\n".join(text for text, _ in documents[0][:6]) + "\n", model=model).scored
    assert scored[1].score > scored[4].score  # the same words, ranked by the lines around them


def test_with_few_documents_the_folds_keep_neighbours_together_so_labels_do_not_leak(tmp_path):
    """Random labels, each line sharing a made-up word with the line before and after: nothing to learn. Lines
    dealt to the folds in turn would give each line neighbours scored by models that learnt its label through the
    shared words, and the neighbours' share would report a ranking far above chance."""
    draw = random.Random(7)
    labels = [draw.random() < 0.25 for _ in range(200)]
    rows = [{"text": f"zq{i // 2}x and zq{(i + 1) // 2}y", "label": label} for i, label in enumerate(labels)]
    path = tmp_path / "labels.jsonl"
    path.write_text(jsonl(rows), encoding="utf-8")
    report = fit_model(path)
    chance = sum(labels) / len(labels)
    assert report.documents == 1 and report.cv_ap < chance + 0.1


def test_a_judged_claims_context_is_its_whole_article_not_the_judged_claims_alone(monkeypatch):
    """In each article a host asks four questions nobody judged, then states a figure a guest states too: only
    with the unjudged questions in view is the host a questioner, ranked below the guest, as a build ranks them."""
    import builder.worthiness as fitting
    from builder.worthiness import Example

    claims = []
    for k in range(10):
        asked = [Example(f"What about rates, part {q}?", "HOST", "direct_quote", None, None, f"a{k}") for q in range(4)]
        judged = [
            Example("Taxes rose 5% in 2019.", "HOST", "direct_quote", "speech", False, f"a{k}"),
            Example("Taxes rose 5% in 2019.", "GUEST", "direct_quote", "speech", True, f"a{k}"),
            *(Example(f"Thanks, {n}.", "GUEST", "direct_quote", "speech", False, f"a{k}") for n in range(3)),
        ]
        claims += asked + judged
    monkeypatch.setattr(fitting, "_labelled_claims", lambda dist: claims)
    report = fit_model(dist=Path("dist"))
    assert (report.examples, report.positives, report.documents) == (50, 10, 10)
    assert report.rules_map == 1.0  # judged alone, the host's line would tie the guest's and come first: 0.5
