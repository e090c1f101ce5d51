from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig
from builder.errors import ConfigError
from builder.labels import export_label_studio, import_label_studio, read_label_studio_export
from builder.pipeline import build
from conftest import rows_of
from labels.curator import annotation, export_json

OLDER, NEWER, NEWEST = "2024-05-02T09:00:00Z", "2024-05-02T10:15:01.123456Z", "2024-05-03T08:00:00+00:00"
ALICE = {"id": 7, "email": "alice@example.org", "first_name": "Alice", "last_name": ""}


def write_export(path: Path, export: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def labelled(dist: Path) -> dict[str, tuple[Any, ...]]:
    return {
        row["claim_id"]: (row["verdict"], row["check_worthy"], row["correction"], row["label_source"])
        for row in rows_of(dist, "claims")
        if row["label_source"]
    }


def test_curators_labels_round_trip_into_the_next_build(seed_dist, raw_copy, tmp_path):
    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    a, b, c, d, e, f, g = (tasks[i] for i in (0, 5, 12, 20, 30, 40, 50))
    claim = {name: task["data"]["claim_id"] for name, task in zip("abcdefg", (a, b, c, d, e, f, g), strict=True)}
    # The extractor changed since the export: f's claim id is gone, its selector still finds the claim.
    f["data"]["claim_id"] = "ffffffffffffffff"
    # Lines written since the export: b's is replaced whole by the newer annotation, g's is another claim's.
    existing = [
        json.dumps({"claim_id": claim["b"], "verdict": "true", "check_worthy": True}),
        json.dumps({"claim_id": claim["g"], "verdict": "unverifiable"}, indent=None, separators=(", ", ": ")),
    ]
    labels_file = raw_copy / "labels.jsonl"
    labels_file.write_text("\n".join(existing) + "\n", encoding="utf-8")
    curated = export_json(
        tasks,
        {
            0: [annotation(a, check_worthy="yes", verdict="false", correction="🇷🇺 said 2016, not 2017")],
            5: [annotation(b, check_worthy="yes", at=OLDER), annotation(b, check_worthy="no", at=NEWER, user=ALICE)],
            12: [
                annotation(c, check_worthy="yes", verdict="misleading", at=NEWER),
                annotation(c, at=NEWEST, cancelled=True),
            ],
            20: [annotation(d, cancelled=True)],
            40: [annotation(f, check_worthy="no")],
        },
    )
    report = import_label_studio(write_export(tmp_path / "export.json", curated), raw_copy)

    assert (report.tasks, report.labels, report.unannotated, report.problems) == (len(tasks), 4, len(tasks) - 4, [])
    assert (report.superseded, report.invalid) == (0, 0)
    assert (report.added, report.replaced, report.unchanged, report.written) == (3, 1, 0, True)
    lines = labels_file.read_text(encoding="utf-8").splitlines()
    assert lines[1] == existing[1]  # another claim's line keeps its bytes
    assert json.loads(lines[0]) == {
        "claim_id": claim["b"],
        "selector": {"article": b["data"]["article_id"], "exact": b["data"]["claim_text"],
                     "prefix": b["data"]["prefix"], "suffix": b["data"]["suffix"]},
        "check_worthy": False,
    }  # fmt: skip
    assert [json.loads(line)["claim_id"] for line in lines[2:]] == [claim["a"], claim["c"], "ffffffffffffffff"]

    result = build(BuildConfig(raw_dir=raw_copy, out_dir=tmp_path / "dist"))
    assert (result.counts.labels_merged, result.counts.labels_reanchored, result.counts.labels_orphaned) == (5, 1, 0)
    assert labelled(tmp_path / "dist") == {
        claim["b"]: (None, False, None, "labels.jsonl:1"),
        claim["g"]: ("unverifiable", None, None, "labels.jsonl:2"),
        claim["a"]: ("false", True, "🇷🇺 said 2016, not 2017", "labels.jsonl:3"),
        claim["c"]: ("misleading", True, None, "labels.jsonl:4"),
        claim["f"]: (None, False, None, "labels.jsonl:5"),
    }


def test_importing_the_same_export_again_changes_nothing(seed_dist, raw_copy, tmp_path):
    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    curated = export_json(tasks, {1: [annotation(tasks[1], check_worthy="yes", verdict="true")]})
    path = write_export(tmp_path / "export.json", curated)
    first = import_label_studio(path, raw_copy)
    before = (raw_copy / "labels.jsonl").read_bytes()
    again = import_label_studio(path, raw_copy)
    assert (first.added, again.added, again.unchanged, again.written) == (1, 0, 1, False)
    assert (raw_copy / "labels.jsonl").read_bytes() == before


def test_tasks_imported_twice_pool_their_annotations_and_the_newest_wins(seed_dist, raw_copy, tmp_path):
    export_label_studio(seed_dist, tmp_path / "ls")
    (task,) = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))[:1]
    curated = export_json(
        [task, task, task],
        {
            0: [annotation(task, check_worthy="no", verdict="true", at=NEWER)],
            1: [annotation(task, check_worthy="yes", at=NEWEST)],
            2: [annotation(task, check_worthy="no", at=OLDER, user=ALICE)],
        },
    )
    report = import_label_studio(write_export(tmp_path / "export.json", curated), raw_copy)
    assert (report.tasks, report.labels, report.superseded, report.added) == (3, 1, 2, 1)
    (line,) = (raw_copy / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    assert (json.loads(line)["check_worthy"], "verdict" in json.loads(line)) == (True, False)


def test_an_annotation_starting_from_a_prefilled_label_replaces_it_whole(rich_raw, rich_dist, tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(rich_raw, raw)
    export_label_studio(rich_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    position, task = next((i, t) for i, t in enumerate(tasks) if t["data"]["label_source"])
    old = (raw / "labels.jsonl").read_text(encoding="utf-8")
    # The curator keeps the pre-filled answers and changes only the verdict.
    curated = export_json(tasks, {position: [annotation(task, verdict="misleading")]})
    report = import_label_studio(write_export(tmp_path / "export.json", curated), raw)
    assert (report.added, report.replaced) == (0, 1)  # found by its selector: the old line has no claim id
    (line,) = (raw / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    label = json.loads(line)
    assert (label["verdict"], label["check_worthy"]) == ("misleading", True)
    assert label["correction"] == json.loads(old)["correction"]
    build(BuildConfig(raw_dir=raw, out_dir=tmp_path / "dist"))
    (merged,) = labelled(tmp_path / "dist").values()
    assert merged == ("misleading", True, json.loads(old)["correction"], "labels.jsonl:1")


def test_bad_tasks_are_reported_with_position_id_and_field(seed_dist, raw_copy, tmp_path):
    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    good = {0: [annotation(tasks[0], check_worthy="yes")]}
    curated = export_json(tasks[:6], good | {i: [annotation(tasks[i], check_worthy="yes")] for i in range(1, 6)})
    curated[1]["annotations"][0]["result"][-1]["value"]["choices"] = ["maybe"]
    curated[2]["annotations"][0]["completed_by"] = "alice"
    curated[3]["annotations"][0]["updated_at"] = "yesterday"
    del curated[4]["data"]["claim_id"]
    curated[5]["annotations"][0]["result"].append(
        {"id": "x", "from_name": "correction", "to_name": "context", "type": "textarea", "value": {"text": ["\ud800"]}}
    )
    curated.append("not a task")  # type: ignore[arg-type]
    curated.append(None)  # type: ignore[arg-type]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(curated), encoding="utf-8")  # ASCII escapes: the lone surrogate survives as \ud800

    report = import_label_studio(path, raw_copy)
    found = [(p.index, p.task_id, p.loc) for p in report.problems]
    assert found == [
        (1, 102, "annotations[0].result[1].value.choices"),
        (2, 103, "annotations[0].completed_by"),
        (3, 104, "annotations[0].updated_at"),
        (4, 105, "data.claim_id"),
        (5, 106, ""),
        (6, None, ""),
        (7, None, ""),
    ]
    assert "['yes'] or ['no']" in report.problems[0].reason and "surrogate" in report.problems[4].reason
    assert [p.reason for p in report.problems[5:]] == [
        "a task must be a JSON object, not a string",
        "a task must be a JSON object, not null",
    ]
    assert str(report.problems[0]) == f"{path}: task 102 (#1): {found[0][2]}: {report.problems[0].reason}"
    assert (report.labels, report.invalid, report.written) == (1, 7, False)
    assert not (raw_copy / "labels.jsonl").exists()

    skipped = import_label_studio(path, raw_copy, skip_invalid=True)
    assert (skipped.added, skipped.written, len(skipped.problems)) == (1, True, 7)
    (line,) = (raw_copy / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["claim_id"] == tasks[0]["data"]["claim_id"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "not JSON"),
        (b'{"id": 1, "data": {}}', "not a JSON array of tasks"),
        (b"\xff\xfe[]", "not JSON"),
    ],
)
def test_an_export_that_is_no_task_list_is_one_problem(raw_copy, tmp_path, content, reason):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    report = import_label_studio(path, raw_copy)
    ((problem),) = report.problems
    assert (problem.file, problem.index, problem.loc) == (str(path), None, "")
    assert reason in problem.reason and str(problem).startswith(f"{path}: (file): ")
    assert (report.tasks, report.written) == (0, False)


def test_missing_export_or_raw_folder_is_a_config_error(raw_copy, tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        import_label_studio(tmp_path / "nowhere.json", raw_copy)
    (tmp_path / "export.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a folder"):
        import_label_studio(tmp_path / "export.json", tmp_path / "no-raw")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
ANNOTATION_FIELDS = ("completed_by", "was_cancelled", "updated_at", "created_at", "id", "result")
RESULT_FIELDS = ("from_name", "value", "type")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_json_in_any_field_is_a_problem_or_a_label_never_an_exception(data):
    import tempfile

    task = {"id": 1, "data": {"claim_id": "0123456789abcdef", "article_id": "a", "claim_text": "x"}}
    task["annotations"] = [{"id": 9, "completed_by": 2, "was_cancelled": False, "result": [
        {"from_name": "check_worthy", "to_name": "context", "type": "choices", "value": {"choices": ["yes"]}},
        {"from_name": "verdict", "to_name": "context", "type": "choices", "value": {"choices": ["false"]}},
        {"from_name": "correction", "to_name": "context", "type": "textarea", "value": {"text": ["y"]}},
    ]}]  # fmt: skip
    where = data.draw(st.sampled_from(["task", "data", "annotation", "result", "value"]))
    if where == "task":
        task[data.draw(st.sampled_from(["data", "annotations", "id"]))] = data.draw(JSON)
    elif where == "data":
        task["data"][data.draw(st.sampled_from(["claim_id", "article_id", "claim_text", "prefix"]))] = data.draw(JSON)
    elif where == "annotation":
        task["annotations"][0][data.draw(st.sampled_from(ANNOTATION_FIELDS))] = data.draw(JSON)
    else:
        result = task["annotations"][0]["result"][data.draw(st.integers(0, 2))]
        target = result if where == "result" else result["value"]
        target[data.draw(st.sampled_from([*RESULT_FIELDS, "choices", "text"]))] = data.draw(JSON)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.json"
        path.write_text(json.dumps([task, data.draw(JSON)]), encoding="utf-8")
        reading = read_label_studio_export(path)
    assert reading.tasks == 2
    assert reading.tasks == len(reading.labels) + reading.superseded + reading.unannotated + reading.invalid
    assert all(p.index in (0, 1) and p.reason for p in reading.problems)


@pytest.mark.parametrize("choice", ["", 1, None])
def test_a_verdict_must_be_one_non_empty_string(seed_dist, raw_copy, tmp_path, choice):
    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    curated = export_json(tasks[:1], {0: [annotation(tasks[0], verdict="false")]})
    curated[0]["annotations"][0]["result"][-1]["value"]["choices"] = [choice]
    report = import_label_studio(write_export(tmp_path / "export.json", curated), raw_copy)
    ((problem),) = report.problems
    assert problem.loc.endswith(".value.choices") and "expected one verdict such as ['false']" in problem.reason


def test_moving_resizing_or_deleting_the_highlight_changes_nothing_the_label_keeps_the_exported_claim(
    seed_dist, tmp_path
):
    import shutil

    from conftest import RAW

    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    position, task = next((i, t) for i, t in enumerate(tasks) if t["data"]["context"] != t["data"]["claim_text"])
    answers = {"check_worthy": "yes", "verdict": "misleading", "correction": "the figure was 4%"}

    def region_moved(result: dict[str, Any]) -> None:
        value = result["value"]
        context = task["data"]["context"]
        start, end = (value["start"] + 5, value["end"] + 5) if value["end"] + 5 <= len(context) else (0, 5)
        value.update(start=start, end=end, text=context[start:end])

    def region_shrunk(result: dict[str, Any]) -> None:
        value = result["value"]
        value.update(end=value["start"] + 3, text=value["text"][:3])

    edits = {"moved": region_moved, "shrunk": region_shrunk}
    written = {}
    for name in ("left alone", "moved", "shrunk", "deleted"):
        raw = Path(shutil.copytree(RAW, tmp_path / name / "raw"))
        curated = export_json(tasks, {position: [annotation(task, **answers)]})
        results = curated[position]["annotations"][0]["result"]
        (highlight,) = [result for result in results if result["from_name"] == "claim"]
        if name == "deleted":
            results.remove(highlight)
        elif name in edits:
            edits[name](highlight)
            assert highlight["value"]["text"] != task["data"]["claim_text"]
        report = import_label_studio(write_export(tmp_path / name / "export.json", curated), raw)
        assert (report.added, report.problems) == (1, [])
        written[name] = (raw / "labels.jsonl").read_bytes()
    assert written["moved"] == written["shrunk"] == written["deleted"] == written["left alone"]
    (label,) = [json.loads(line) for line in written["left alone"].decode("utf-8").splitlines()]
    data = task["data"]
    assert label["claim_id"] == data["claim_id"]
    assert label["selector"] == {
        "article": data["article_id"], "exact": data["claim_text"], "prefix": data["prefix"], "suffix": data["suffix"]
    }  # fmt: skip
    assert (label["check_worthy"], label["verdict"], label["correction"]) == (True, "misleading", "the figure was 4%")


def test_the_newest_submitted_annotation_counts_by_update_time_then_creation_then_id(seed_dist, raw_copy, tmp_path):
    export_label_studio(seed_dist, tmp_path / "ls")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))[:5]
    made = {
        # Created first but edited last: its update makes it the newest.
        0: [annotation(tasks[0], check_worthy="no", at=OLDER), annotation(tasks[0], check_worthy="yes", at=NEWER)],
        # Without updated_at, created_at decides.
        1: [annotation(tasks[1], check_worthy="yes", at=NEWER), annotation(tasks[1], check_worthy="no", at=OLDER)],
        # The same time: the higher annotation id is the newer, wherever the export lists it.
        2: [annotation(tasks[2], check_worthy="yes", at=NEWER), annotation(tasks[2], check_worthy="no", at=NEWER)],
        # A skipped annotation counts for nothing, even with answers in it and newer than the rest.
        3: [annotation(tasks[3], check_worthy="no", at=OLDER), annotation(tasks[3], check_worthy="yes", at=NEWEST)],
        # A correction of blanks only is no judgement: no label.
        4: [annotation(tasks[4], correction=" \n ", at=NEWER)],
    }
    curated = export_json(tasks, made)
    curated[0]["annotations"][0]["updated_at"] = NEWEST
    for annotated in curated[1]["annotations"]:
        del annotated["updated_at"]
    tied = curated[2]["annotations"]
    tied[0]["id"], tied[1]["id"] = 2002, 2001
    curated[3]["annotations"][1]["was_cancelled"] = True

    report = import_label_studio(write_export(tmp_path / "export.json", curated), raw_copy)
    assert (report.labels, report.unannotated, report.problems) == (4, 1, [])
    lines = [json.loads(line) for line in (raw_copy / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(label["claim_id"], label["check_worthy"]) for label in lines] == [
        (tasks[0]["data"]["claim_id"], False),
        (tasks[1]["data"]["claim_id"], True),
        (tasks[2]["data"]["claim_id"], True),
        (tasks[3]["data"]["claim_id"], False),
    ]
