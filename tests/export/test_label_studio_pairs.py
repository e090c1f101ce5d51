"""The ``label-studio-pairs`` export: a task per ``matches`` row, to judge whether its two claims are the same."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from builder.cli import app
from builder.errors import ConfigError, DistError
from builder.export import EXPORTS, export_label_studio_pairs
from builder.export.label_studio_pairs import DIFFERENT, OTHER_TEXT, SAME, SAME_CLAIM, TEXT
from conftest import rows_of


def test_one_task_per_matched_pair_shows_both_claims_and_carries_their_ids(seed_dist, tmp_path):
    report = export_label_studio_pairs(seed_dist, tmp_path / "pairs")
    (match,) = rows_of(seed_dist, "matches")
    claims = {row["claim_id"]: row for row in rows_of(seed_dist, "claims")}
    first, second = claims[match["claim_id"]], claims[match["other_claim_id"]]
    articles = {row["article_id"]: row for row in rows_of(seed_dist, "articles")}

    (task,) = json.loads((tmp_path / "pairs" / "tasks.json").read_text(encoding="utf-8"))
    data = task["data"]
    assert (report.tasks, report.prefilled, report.tasks_file) == (1, 0, str(tmp_path / "pairs" / "tasks.json"))
    assert set(task) == {"data"}  # nothing pre-filled: the build's own "same" would become a label
    assert (data["claim_id"], data["other_claim_id"], data["match_group"]) == (
        match["claim_id"],
        match["other_claim_id"],
        match["match_group"],
    )
    assert (data[TEXT], data[OTHER_TEXT]) == (first["standalone"], second["standalone"])
    assert (data["speaker"], data["other_speaker"]) == (first["speaker"], second["speaker"])
    outlets = articles[first["article_id"]]["outlet"], articles[second["article_id"]]["outlet"]
    assert (data["outlet"], data["other_outlet"]) == outlets
    assert data["score"] == match["score"] and data["shared_words"] == ", ".join(match["shared_words"])
    assert data["summary"] == f"matcher score {match['score']:.3f} · shared words: {data['shared_words']}"
    assert data["heading"].startswith(f"{first['speaker'] or '(no speaker)'} · {outlets[0]}")


def test_the_config_offers_one_required_choice_and_shows_every_variable_the_tasks_carry(seed_dist, tmp_path):
    export_label_studio_pairs(seed_dist, tmp_path / "pairs")
    config = ET.fromstring((tmp_path / "pairs" / "config.xml").read_text(encoding="utf-8"))
    (choices,) = config.iter("Choices")
    assert (choices.get("name"), choices.get("required"), choices.get("choice")) == (SAME_CLAIM, "true", "single-radio")
    assert [choice.get("value") for choice in choices] == [SAME, DIFFERENT]
    texts = {text.get("name"): text.get("value") for text in config.iter("Text")}
    assert texts == {TEXT: f"${TEXT}", OTHER_TEXT: f"${OTHER_TEXT}"}
    (task,) = json.loads((tmp_path / "pairs" / "tasks.json").read_text(encoding="utf-8"))
    shown = {element.get("value", "")[1:] for element in config.iter() if element.get("value", "").startswith("$")}
    assert shown == {"summary", "heading", "other_heading", TEXT, OTHER_TEXT} and shown <= set(task["data"])


def test_the_command_writes_the_folder_and_sums_it_up(seed_dist, tmp_path):
    out = tmp_path / "pairs"
    result = CliRunner().invoke(app, ["export", str(seed_dist), "--format", "label-studio-pairs", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out / 'tasks.json'}: 1 matched pairs to judge; labeling config {out / 'config.xml'}\n"
    assert sorted(path.name for path in out.iterdir()) == ["config.xml", "tasks.json"]
    assert EXPORTS["label-studio-pairs"].default_out == "label-studio-pairs"


def test_a_dataset_without_matches_is_refused_in_one_line_and_nothing_is_written(seed_dist, tmp_path):
    unmatched = tmp_path / "unmatched"
    shutil.copytree(seed_dist, unmatched)
    shutil.rmtree(unmatched / "matches")
    out = tmp_path / "pairs"
    with pytest.raises(DistError) as raised:
        export_label_studio_pairs(unmatched, out)
    assert str(raised.value).startswith(
        f"{unmatched}: no matches config: the build paired no claims of different articles, so there is nothing to "
        "judge"
    )
    assert not out.exists()
    result = CliRunner().invoke(app, ["export", str(unmatched), "--format", "label-studio-pairs", "--out", str(out)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: {raised.value}\n" and not out.exists()


def test_an_out_inside_the_dataset_or_a_file_is_refused(seed_dist, tmp_path):
    with pytest.raises(ConfigError, match="inside the dataset folder"):
        export_label_studio_pairs(seed_dist, seed_dist / "pairs")
    afile = tmp_path / "a-file"
    afile.write_text("", encoding="utf-8")
    with pytest.raises(ConfigError, match="is a file; give a folder"):
        export_label_studio_pairs(seed_dist, afile)
