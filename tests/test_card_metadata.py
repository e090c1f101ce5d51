"""The card's YAML metadata, checked offline: huggingface_hub's own card tooling, then the Hub's vocabularies."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from huggingface_hub import DatasetCard, DatasetCardData

from builder.card_metadata import HUB_LICENSES, HUB_TASK_CATEGORIES, check_card_metadata, front_matter, size_category
from conftest import REPO, rows_of


def card_text(old: str = "", new: str = "") -> str:
    """The committed card with its first line that starts with ``old`` replaced by ``new``."""
    text = (REPO / "DATASET_CARD.md").read_text(encoding="utf-8")
    if old:
        text, count = re.subn(rf"(?m)^{re.escape(old)}.*$", lambda _: new, text, count=1)
        assert count == 1, old
    return text


def codes(text: str, rows: int | None = 91) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in check_card_metadata(text, rows)]


def test_built_card_loads_with_huggingface_hub_and_round_trips(seed_dist):
    path = seed_dist / "README.md"
    card = DatasetCard.load(path)  # a file path: read locally (a folder would be taken for a repo id)
    data = card.data.to_dict()
    assert DatasetCardData(**data).to_dict() == data
    assert DatasetCard(str(card)).data.to_dict() == data
    assert data["license"] == "other" and data["license_name"]
    assert data["pretty_name"] == "factpack claims: NATO and Russia"
    assert [c["config_name"] for c in data["configs"]] == ["claims", "articles", "speakers", "matches"]
    assert card.text.lstrip().startswith("# factpack claims: NATO and Russia")


def test_built_card_has_no_metadata_problem(seed_dist):
    rows = len(rows_of(seed_dist, "claims"))
    assert check_card_metadata((seed_dist / "README.md").read_text(encoding="utf-8"), rows) == []


def test_built_card_configs_parse_as_load_dataset_parses_them(seed_dist):
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs

    data = DatasetCard.load(seed_dist / "README.md").data
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert configs.get_default_config_name() == "claims"
    infos = DatasetInfosDict.from_dataset_card_data(data)
    for name, info in infos.items():
        assert sum(split.num_examples for split in info.splits.values()) == len(rows_of(seed_dist, name))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("license:", "license: cc-by-4", ("card-license", "license")),
        ("license_name:", "license_name: ''", ("card-license", "license_name")),
        ("- en", "- english", ("card-language", "language")),
        ("- text-classification", "- claim-detection", ("card-task", "task_categories")),
        ("- n<1K", "- 1K<n<10K", ("card-size", "size_categories")),
        ("- n<1K", "- n<2K", ("card-size", "size_categories")),
        ("pretty_name:", "pretty_name: a\npretty_name: b", ("card-duplicate-key", "pretty_name")),
    ],
)
def test_each_metadata_fault_is_named(old, new, expected):
    assert codes(card_text(old, new)) == [expected]


def test_duplicate_key_gives_its_line():
    text = card_text("pretty_name:", "pretty_name: a\npretty_name: b")
    problems = check_card_metadata(text, 91)
    line = text.splitlines().index("pretty_name: b") + 1
    assert problems[0].note == f"repeated at README.md line {line}"


def test_size_is_checked_against_the_rows_when_known():
    assert codes(card_text(), rows=5_000) == [("card-size", "size_categories")]
    assert codes(card_text(), rows=None) == []


def test_malformed_configs_are_caught_by_the_loader_parser():
    text = card_text().replace("    path: claims/train-*.parquet", "    paths: claims/train-*.parquet", 1)
    assert ("card-configs", "configs") in codes(text)


def test_no_front_matter_or_broken_yaml():
    assert codes("# just a title\n") == [("card-yaml", "(front matter)")]
    assert codes("---\nlicense: [mit\n---\n") == [("card-yaml", "(front matter)")]
    assert front_matter("---\n- a\n---\n")[0] is None


def test_vocabularies_hold_what_the_card_uses():
    assert {"other", "cc-by-4.0", "mit", "apache-2.0"} <= HUB_LICENSES
    assert {"text-classification", "token-classification", "text-ranking"} <= HUB_TASK_CATEGORIES


def test_load_dataset_snippet_in_the_card_works(seed_dist, tmp_path):
    """The card's Python snippet, run as written with only the folder path filled in, offline."""
    card = (seed_dist / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(.*?)```", card, re.DOTALL)
    assert snippet is not None
    code = snippet.group(1).replace("path/to/this/folder", str(seed_dist))
    code += (
        "\nfirst = claims[0]\n"
        "text = articles.filter(lambda a: a['article_id'] == first['article_id'])[0]['text']\n"
        "print(len(claims), len(articles), text[first['char_start'] : first['char_end']] == first['text'])\n"
    )
    env = {**os.environ, "HF_HOME": str(tmp_path / "hf"), "HF_DATASETS_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    counts = json.loads((seed_dist / "manifest.json").read_text(encoding="utf-8"))["counts"]
    train = (counts["claims_per_split"]["train"], counts["articles_per_split"]["train"])
    assert done.stdout.split() == [str(train[0]), str(train[1]), "True"]


def test_committed_card_is_checked_too():
    assert check_card_metadata((REPO / "DATASET_CARD.md").read_text(encoding="utf-8"), None) == []


@pytest.mark.parametrize(
    ("yaml_block", "expected"),
    [
        ("license:\n  id: other\n", ("card-license", "license")),
        ("license: mit\nlanguage:\n- [en]\n", ("card-language", "language")),
        ("license: mit\ntask_categories:\n- {a: b}\n", ("card-task", "task_categories")),
        ("license: mit\nsize_categories:\n- [n<1K]\n", ("card-size", "size_categories")),
        ("license: mit\n1: x\n", ("card-yaml", "1")),
    ],
)
def test_values_of_the_wrong_shape_are_problems_not_crashes(yaml_block, expected):
    assert expected in codes(f"---\n{yaml_block}---\n", rows=None)


def test_size_category_bounds():
    assert [size_category(n) for n in (0, 999, 1000, 99_999, 100_000, 2_985_785, 10**9, 10**12)] == [
        "n<1K",
        "n<1K",
        "1K<n<10K",
        "10K<n<100K",
        "100K<n<1M",
        "1M<n<10M",  # a 100,000-article build: a category the Hub knows, not "n>1M", which it does not
        "1B<n<10B",
        "n>1T",
    ]


def test_every_size_category_is_in_the_hubs_vocabulary():
    from importlib import resources

    vocabulary = json.loads(resources.files("datasets").joinpath("utils/resources/size_categories.json").read_text())
    assert {size_category(10**exponent) for exponent in range(14)} <= set(vocabulary)
