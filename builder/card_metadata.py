"""Offline checks of a dataset card's YAML metadata, where the Hub would check it only online, after upload.

``DatasetCard.validate()`` posts the card to the Hub; offline, factpack checks what the Hub checks against its
vocabularies: the license is a Hub license id, every language a known code, every task category a Hub task, the
size category the one the row count gives, and no key repeated (YAML keeps the last and says nothing). The
``configs`` and ``dataset_info`` blocks are then parsed by the parsers ``load_dataset`` itself uses.

Language codes and size categories come from the vocabulary files ``datasets`` ships
(``datasets/utils/resources``); the Hub's license ids and task categories are listed here, as the Hub's
documentation gives them (2026), because neither package ships them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "HUB_LICENSES",
    "HUB_TASK_CATEGORIES",
    "MetadataProblem",
    "check_card_metadata",
    "front_matter",
    "listed",
    "size_category",
]

_SIZES = tuple(
    zip(
        (10**exponent for exponent in range(3, 13)),
        "n<1K 1K<n<10K 10K<n<100K 100K<n<1M 1M<n<10M 10M<n<100M 100M<n<1B 1B<n<10B 10B<n<100B 100B<n<1T".split(),
        strict=True,
    )
)
"""The Hub's size categories, each with the row count it stops before (its vocabulary, ``n>1T`` last)."""


def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` value for a row count."""
    for bound, label in _SIZES:
        if rows < bound:
            return label
    return "n>1T"


HUB_LICENSES = frozenset(
    """
    apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m
    afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0
    cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0
    cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
    cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0
    gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl
    apple-amlr mpl-2.0 odc-by odbl openmdw-1.0 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl
    lgpl-lr deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3
    llama4 gemma unknown other
    """.split()
)
HUB_TASK_CATEGORIES = frozenset(
    """
    text-classification token-classification table-question-answering question-answering zero-shot-classification
    translation summarization feature-extraction text-generation fill-mask sentence-similarity text-to-speech
    text-to-audio automatic-speech-recognition audio-to-audio audio-classification audio-text-to-text
    voice-activity-detection depth-estimation image-classification object-detection image-segmentation
    text-to-image image-to-text image-to-image image-to-video unconditional-image-generation video-classification
    reinforcement-learning robotics tabular-classification tabular-regression tabular-to-text table-to-text
    multiple-choice text-ranking text-retrieval time-series-forecasting text-to-video image-text-to-text
    visual-question-answering document-question-answering zero-shot-image-classification graph-ml mask-generation
    zero-shot-object-detection text-to-3d image-to-3d image-feature-extraction video-text-to-text
    keypoint-detection visual-document-retrieval any-to-any video-to-video other
    """.split()
)
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
# When datasets no longer ships its language list: a well-formed BCP 47 primary tag with an optional region.
_LANGUAGE_SHAPE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True)
class MetadataProblem:
    """One problem of the card's metadata: a stable code, the YAML field, and what is wrong."""

    code: str
    field: str
    note: str


@cache
def _vocabulary(name: str) -> Any:
    try:
        return json.loads(resources.files("datasets.utils.resources").joinpath(name).read_text(encoding="utf-8"))
    except (FileNotFoundError, ModuleNotFoundError):
        return None


def front_matter(text: str) -> tuple[dict[str, Any] | None, list[MetadataProblem]]:
    """The YAML block of a card as a dict, and any key repeated in one mapping (YAML keeps the last silently)."""
    import yaml

    # the safe loader on libyaml's parser when PyYAML has it (its wheels do): the pure-Python parser took most of a
    # small build's time
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None, [MetadataProblem("card-yaml", "(front matter)", "no YAML block between '---' lines at the top")]
    try:
        root = yaml.compose(match.group(1), Loader=_SafeLoader)  # nodes only: no object is constructed
        data = yaml.load(match.group(1), Loader=_SafeLoader)  # noqa: S506 - the safe loader
    except yaml.YAMLError as exc:
        return None, [MetadataProblem("card-yaml", "(front matter)", f"not valid YAML: {exc}".splitlines()[0])]
    if not isinstance(data, dict):
        return None, [MetadataProblem("card-yaml", "(front matter)", "the YAML block is not a mapping")]
    return data, _repeated_keys(root)


def _repeated_keys(root: Any) -> list[MetadataProblem]:
    import yaml

    problems = []
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if key.value in seen:
                    line = key.start_mark.line + 2  # +1 for the opening '---', +1 for 1-based lines
                    problems.append(
                        MetadataProblem("card-duplicate-key", str(key.value), f"repeated at README.md line {line}")
                    )
                seen.add(key.value)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return sorted(problems, key=lambda problem: problem.note)


def listed(value: Any) -> list[Any]:
    """A YAML value that may be one item or a list of them, as a list."""
    return [] if value is None else value if isinstance(value, list) else [value]


def check_card_metadata(text: str, rows: int | None = None) -> list[MetadataProblem]:
    """Every problem of the card ``text``'s metadata; ``rows``: the default config's row count, when known."""
    data, problems = front_matter(text)
    if data is None:
        return problems
    licenses = listed(data.get("license"))
    if not licenses:
        problems.append(MetadataProblem("card-license", "license", "missing; give a Hub license id"))
    for value in licenses:
        if not isinstance(value, str) or value not in HUB_LICENSES:
            problems.append(MetadataProblem("card-license", "license", f"{value!r} is not a Hub license id"))
    if "other" in licenses and not data.get("license_name"):
        problems.append(MetadataProblem("card-license", "license_name", "license 'other' needs a license_name"))
    languages = _vocabulary("languages.json")
    for value in listed(data.get("language")):
        if not isinstance(value, str):
            known = False
        elif languages is not None:
            known = value in languages
        else:
            known = bool(_LANGUAGE_SHAPE.fullmatch(value))
        if not known:
            problems.append(MetadataProblem("card-language", "language", f"{value!r} is not a known language code"))
    for value in listed(data.get("task_categories")):
        if not isinstance(value, str) or value not in HUB_TASK_CATEGORIES:
            problems.append(MetadataProblem("card-task", "task_categories", f"{value!r} is not a Hub task category"))
    sizes = _vocabulary("size_categories.json") or [*(label for _, label in _SIZES), "n>1T"]
    for value in listed(data.get("size_categories")):
        if not isinstance(value, str) or value not in sizes:
            problems.append(MetadataProblem("card-size", "size_categories", f"{value!r} is not a size category"))
        elif rows is not None and value != size_category(rows):
            expected = size_category(rows)
            problems.append(MetadataProblem("card-size", "size_categories", f"{value!r} for {rows} rows: {expected}"))
    problems.extend(_structure(data))
    return problems


def _structure(data: dict[str, Any]) -> list[MetadataProblem]:
    """``configs`` and ``dataset_info`` through the parsers ``load_dataset`` uses."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    strange = sorted(str(key) for key in data if not isinstance(key, str))
    if strange:
        return [MetadataProblem("card-yaml", str(key), "a top-level key that is not text") for key in strange]
    try:
        card_data = DatasetCardData(**data)
        configs = MetadataConfigs.from_dataset_card_data(card_data)
        infos = DatasetInfosDict.from_dataset_card_data(card_data)
    except (ValueError, TypeError, KeyError) as exc:
        return [MetadataProblem("card-configs", "configs", f"load_dataset cannot read it: {exc}")]
    problems = []
    if len(configs) > 1 and configs.get_default_config_name() is None:
        problems.append(MetadataProblem("card-configs", "configs", "several configs and none is 'default: true'"))
    for name in sorted(set(infos) - set(configs)):
        problems.append(MetadataProblem("card-configs", "dataset_info", f"config {name!r} has no data_files"))
    return problems
