from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from builder.errors import ConfigError
from builder.labels import export_label_studio
from builder.labels.label_studio import NEEDS_CONTEXT_NOTE, VERDICTS
from builder.labels.offsets import to_utf16
from rich_dataset import EMOJI_ARTICLE, QUOTE, QUOTE_LABEL, claims_in_order


def export(dist: Path, out: Path, **options: Any) -> tuple[list[dict[str, Any]], ET.Element]:
    report = export_label_studio(dist, out, **options)
    assert (report.tasks_file, report.config_file) == (str(out / "tasks.json"), str(out / "config.xml"))
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert report.tasks == len(tasks)
    return tasks, ET.fromstring((out / "config.xml").read_text(encoding="utf-8"))


def highlighted(task: dict[str, Any]) -> str:
    """The text Label Studio highlights: the region's offsets index the context as UTF-16 code units."""
    (region,) = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    units = task["data"]["context"].encode("utf-16-le")
    return units[2 * region["value"]["start"] : 2 * region["value"]["end"]].decode("utf-16-le")


def raw_text(raw: Path, task: dict[str, Any]) -> str:
    return (raw / task["data"]["source_file"]).read_text(encoding="utf-8")


def test_one_task_per_claim_with_the_claim_highlighted_in_its_raw_context(seed_dist, tmp_path):
    from conftest import RAW

    tasks, _ = export(seed_dist, tmp_path / "ls")
    rows = claims_in_order(seed_dist)
    assert [t["data"]["claim_id"] for t in tasks] == [r["claim_id"] for r in rows]
    for task, row in zip(tasks, rows, strict=True):
        data = task["data"]
        assert data["claim_text"] == row["text"] == highlighted(task)
        start = data["context_start"]
        assert raw_text(RAW, task)[start : start + len(data["context"])] == data["context"]
        assert (data["prefix"], data["suffix"]) == (row["selector"]["prefix"], row["selector"]["suffix"])
        assert data["article_id"] == row["article_id"] and data["speaker"] == row["speaker"]
        (prediction,) = task["predictions"]
        assert prediction["score"] == row["check_worthiness"]
        # Nothing is pre-filled without a curator's label: the heuristic score must not become an answer.
        assert [r["from_name"] for r in prediction["result"]] == ["claim"]
        assert prediction["result"][0]["id"] == row["claim_id"]
    # The claim's paragraph is the context: more than the claim's sentence somewhere.
    assert any(len(t["data"]["context"]) > len(r["context"]) for t, r in zip(tasks, rows, strict=True))


def test_offsets_count_utf16_units_when_the_text_has_characters_outside_the_bmp(rich_raw, rich_dist, tmp_path):
    tasks, _ = export(rich_dist, tmp_path / "ls")
    emoji = [t for t in tasks if t["data"]["article_id"] == EMOJI_ARTICLE]
    assert len(emoji) == 3
    shifted = 0
    for task in emoji:
        data = task["data"]
        region = task["predictions"][0]["result"][0]["value"]
        assert highlighted(task) == data["claim_text"] == region["text"]
        start = data["context"].index(data["claim_text"])
        code_points = (start, start + len(data["claim_text"]))
        shifted += (region["start"], region["end"]) != code_points
        assert (region["start"], region["end"]) == tuple(to_utf16(data["context"], i) for i in code_points)
    assert shifted == 2  # "😀" inside the quote, "𝕎" and "🤝" before the reported claim


def test_the_config_matches_the_tasks(seed_dist, tmp_path):
    tasks, config = export(seed_dist, tmp_path / "ls")
    controls = {element.get("name"): element for element in config.iter() if element.get("toName")}
    assert sorted(controls) == ["check_worthy", "claim", "correction", "verdict"]
    assert {element.get("toName") for element in controls.values()} == {"context"}
    texts = {text.get("name"): text for text in config.iter("Text")}
    assert sorted(texts) == ["claim_text", "context", "standalone"]
    # Only the context is for labelling; the claim's two readings are there to be read.
    assert texts["context"].get("selectionEnabled") is None
    assert [texts[name].get("selectionEnabled") for name in ("claim_text", "standalone")] == ["false", "false"]
    assert [c.get("value") for c in controls["check_worthy"]] == ["yes", "no"]
    assert controls["check_worthy"].get("required") == "true"
    assert [c.get("value") for c in controls["verdict"]] == list(VERDICTS)
    assert controls["correction"].tag == "TextArea"
    variables = {m for element in config.iter() for m in re.findall(r"\$(\w+)", element.get("value", ""))}
    assert variables == {"heading", "context", "claim_text", "standalone", "standalone_note"}
    for task in tasks:
        assert variables <= task["data"].keys()
        for result in task["predictions"][0]["result"]:
            assert result["from_name"] in controls and result["to_name"] == "context"


def test_a_curators_label_is_prefilled_and_its_verdict_offered(rich_dist, tmp_path):
    tasks, config = export(rich_dist, tmp_path / "ls")
    (task,) = [t for t in tasks if t["data"]["claim_text"] == QUOTE]
    answers = {r["from_name"]: r["value"] for r in task["predictions"][0]["result"]}
    assert answers == {
        "claim": answers["claim"],
        "check_worthy": {"choices": ["yes"]},
        "verdict": {"choices": [QUOTE_LABEL["verdict"]]},
        "correction": {"text": [QUOTE_LABEL["correction"]]},
    }
    assert task["data"]["label_source"] == "labels.jsonl:1"
    verdicts = [c.get("value") for c in config.iter("Choice")][2:]
    assert verdicts == [*VERDICTS, "accurate"]
    assert sum(len(t["predictions"][0]["result"]) > 1 for t in tasks) == 1


def test_context_is_clipped_and_the_export_is_deterministic(seed_dist, tmp_path):
    tasks, _ = export(seed_dist, tmp_path / "a", context_chars=10)
    for task in tasks:
        data = task["data"]
        assert data["claim_text"] in data["context"]
        assert len(data["context"]) <= len(data["claim_text"]) + 20
        assert highlighted(task) == data["claim_text"]
    export(seed_dist, tmp_path / "b", context_chars=10)
    for name in ("tasks.json", "config.xml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_unusable_options_are_refused(seed_dist, tmp_path):
    with pytest.raises(ConfigError, match="inside the dataset folder"):
        export_label_studio(seed_dist, seed_dist / "ls")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file"):
        export_label_studio(seed_dist, tmp_path / "file")
    with pytest.raises(ConfigError, match="context_chars"):
        export_label_studio(seed_dist, tmp_path / "ls", context_chars=-1)
    with pytest.raises(ConfigError, match="verdicts"):
        export_label_studio(seed_dist, tmp_path / "ls", verdicts=["true", "true"])
    assert not (tmp_path / "ls").exists()


def test_check_worthiness_order_breaks_ties_in_the_datasets_order_and_limit_keeps_its_first_tasks(seed_dist, tmp_path):
    from typer.testing import CliRunner

    from builder.cli import app

    def exported(name: str, *options: str) -> list[tuple[str, float]]:
        out = tmp_path / name
        argv = ["export", str(seed_dist), "--format", "label-studio", "--out", str(out), *options]
        result = CliRunner().invoke(app, argv)
        assert result.exit_code == 0, result.output
        tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
        return [(task["data"]["claim_id"], task["data"]["check_worthiness"]) for task in tasks]

    in_dataset_order = exported("dataset", "--order", "dataset")
    ranked = exported("ranked", "--order", "check-worthiness")
    # Python's sort is stable: tied scores keep the dataset's order (split, shard, row).
    assert ranked == sorted(in_dataset_order, key=lambda task: -task[1])
    # The seed has ties where that order is not the claim ids' order, so another tie-breaker would show.
    assert ranked != sorted(in_dataset_order, key=lambda task: (-task[1], task[0]))
    # A limit whose last kept task ties with the first left out keeps exactly the ranking's first tasks.
    edges = [n for n in range(1, len(ranked)) if ranked[n - 1][1] == ranked[n][1]]
    by_id = sorted(in_dataset_order, key=lambda task: (-task[1], task[0]))
    limit = next(n for n in edges if {t for t, _ in ranked[:n]} != {t for t, _ in by_id[:n]})
    assert exported("limited", "--order", "check-worthiness", "--limit", str(limit)) == ranked[:limit]


def test_each_tasks_data_carries_its_claims_ids_metadata_and_label_and_its_articles(rich_dist, tmp_path):
    from builder.models import ClaimType, Split
    from conftest import rows_of

    tasks, _ = export(rich_dist, tmp_path / "ls")
    claims = {row["claim_id"]: row for row in claims_in_order(rich_dist)}
    articles = {row["article_id"]: row for row in rows_of(rich_dist, "articles")}
    assert len(tasks) == len(claims)
    for task in tasks:
        data = task["data"]
        claim, article = claims[data["claim_id"]], articles[data["article_id"]]
        claim_type, split = list(ClaimType)[claim["claim_type"]].value, list(Split)[claim["split"]].value
        published = article["published"].isoformat() if article["published"] else None
        assert claim["article_id"] == data["article_id"]
        assert {key: data[key] for key in ("source_file", "claim_text", "claim_type", "split")} == {
            "source_file": claim["source_file"], "claim_text": claim["text"], "claim_type": claim_type, "split": split
        }  # fmt: skip
        for key in ("speaker", "speaker_title", "cue", "check_worthiness", "label_source"):
            assert data[key] == claim[key], key
        for key in ("check_worthy", "verdict", "correction"):
            assert data[f"current_{key}"] == claim[key], key
        for key in ("outlet", "title", "url"):
            assert data[key] == article[key], key
        assert data["published"] == published
        parts = [claim["speaker"] or "(no speaker)", claim_type.replace("_", " "), article["outlet"], published]
        assert data["heading"] == " · ".join(part for part in [*parts, article["title"]] if part)
    # The corpus gives each of these a value somewhere, so a field left empty would show.
    for key in ("speaker", "speaker_title", "cue", "outlet", "title", "url", "published", "label_source"):
        assert any(task["data"][key] for task in tasks), key
    assert {task["data"]["split"] for task in tasks} == {split.value for split in Split}


def test_each_task_shows_the_claim_as_written_beside_it_readable_on_its_own(seed_dist, tmp_path):
    tasks, config = export(seed_dist, tmp_path / "ls")
    rows = {row["claim_id"]: row for row in claims_in_order(seed_dist)}
    for task in tasks:
        data, row = task["data"], rows[task["data"]["claim_id"]]
        assert (data["claim_text"], data["standalone"]) == (row["text"], row["standalone"])
        assert data["needs_context"] is row["needs_context"]
        assert data["standalone_note"] == (NEEDS_CONTEXT_NOTE if row["needs_context"] else "")
    by_text = {task["data"]["claim_text"]: task["data"] for task in tasks}
    took_up = by_text["He took up his post as secretary-general on October the 1st."]
    assert took_up["standalone"] == "Jens Stoltenberg took up his post as secretary-general on October the 1st."
    assert took_up["needs_context"] is False and took_up["standalone_note"] == ""
    # The seed has claims of every kind: resolved, unresolved (needs context) and plain.
    assert (
        sum(t["data"]["standalone"] != t["data"]["claim_text"] for t in tasks)
        == sum(bool(row["resolutions"]) for row in rows.values())
        > 0
    )
    assert any(t["data"]["needs_context"] for t in tasks) and not all(t["data"]["needs_context"] for t in tasks)
    # Side by side: the two texts are the children of one row of the layout, the exact words first, each under a
    # caption, and the note under the standalone text.
    (row_view,) = [view for view in config.iter("View") if "display: flex" in view.get("style", "")]
    sides = [[(child.tag, child.get("value")) for child in side] for side in row_view]
    assert sides == [
        [("Header", "The claim as written"), ("Text", "$claim_text")],
        [
            ("Header", "Readable on its own (references resolved)"),
            ("Text", "$standalone"),
            ("Header", "$standalone_note"),
        ],
    ]
