"""Label Studio tasks: one task per row of the ``matches`` config, to judge whether its two claims are the same.

:func:`export_label_studio_pairs` writes a folder with two files:

``tasks.json``
    A JSON array of tasks, one per matched pair, in the ``matches`` config's order (split, then row), one task per
    line. Each task is ``{"data": {…}}``: ``claim_id`` and ``other_claim_id`` (the pair, as in ``matches``),
    ``match_group`` and ``split``, ``score`` (the build's matcher) and ``shared_words`` (the content-word stems both
    hold, joined by ", "), ``summary`` (score and shared words on one line), and per claim its ``text`` /
    ``other_text`` (the claim readable on its own: its ``standalone``), ``speaker`` / ``other_speaker``,
    ``outlet`` / ``other_outlet`` and ``heading`` / ``other_heading`` (speaker, outlet, date, title on one line).
    Nothing is pre-filled: the build's own decision is "the same", and a submitted pre-fill would become a label.

``config.xml``
    The labeling config: the summary, the two claims side by side (display only), and one required single
    choice, ``same_claim``: "same claim" or "different claims".

Import both into one project; the completed JSON export is what ``factpack match fit --label-studio`` learns from
(:func:`builder.matching.fit_pairs`): the two texts, the curator's choice, and the match group, so that one
group's judgements stay in one cross-validation fold.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.dataset_folder import ArticleInfo, check_outside, iter_claims, open_dataset
from builder.errors import DistError
from builder.files import write_atomic
from builder.labels.label_studio import CONFIG_NAME, TASKS_NAME
from builder.models import Claim, ClaimMatch, LabelStudioReport

__all__ = [
    "DIFFERENT",
    "OTHER_TEXT",
    "SAME",
    "SAME_CLAIM",
    "TEXT",
    "export_label_studio_pairs",
    "labeling_config",
    "pair_task",
]

# The control and the objects of the config; ``factpack match fit --label-studio`` reads results and data by them.
SAME_CLAIM = "same_claim"
SAME, DIFFERENT = "same claim", "different claims"
TEXT, OTHER_TEXT = "text", "other_text"


def export_label_studio_pairs(dist: Path, out: Path) -> LabelStudioReport:
    """Write ``out/tasks.json`` and ``out/config.xml``: one task per matched pair of the dataset folder ``dist``.

    ``out`` is created when missing; other files in it are left alone. Raises :class:`~builder.errors.DistError`
    when ``dist`` is not a readable dataset folder or has no ``matches`` config (nothing to judge), and
    :class:`~builder.errors.ConfigError` for an unusable ``out``. The report's ``prefilled`` is always 0.
    """
    folder = open_dataset(dist)
    if "matches" not in folder.configs():
        raise DistError(
            f"{dist}: no matches config: the build paired no claims of different articles, so there is nothing to "
            "judge; build from articles that repeat each other's claims, then export again"
        )
    check_outside(dist, out, folder=True)
    pairs: list[ClaimMatch] = list(folder.records("matches"))
    wanted = {claim_id for pair in pairs for claim_id in (pair.claim_id, pair.other_claim_id)}
    claims = {claim.claim_id: (claim, article) for claim, article in iter_claims(dist) if claim.claim_id in wanted}
    for pair in pairs:
        for claim_id in (pair.claim_id, pair.other_claim_id):
            if claim_id not in claims:
                raise DistError(
                    f"{dist}: the matches config names claim {claim_id}, which is not in the claims config; rebuild "
                    "the dataset folder"
                )

    def tasks() -> Iterator[str]:
        yield "["
        for at, pair in enumerate(pairs):
            task = pair_task(pair, claims[pair.claim_id], claims[pair.other_claim_id])
            yield ("\n" if not at else ",\n") + json.dumps(task, ensure_ascii=False)
        yield "\n]\n" if pairs else "]\n"

    tasks_file, config_file = out / TASKS_NAME, out / CONFIG_NAME
    write_atomic(tasks_file, tasks())
    write_atomic(config_file, [labeling_config()])
    return LabelStudioReport(tasks_file=str(tasks_file), config_file=str(config_file), tasks=len(pairs), prefilled=0)


def pair_task(pair: ClaimMatch, first: tuple[Claim, ArticleInfo], second: tuple[Claim, ArticleInfo]) -> dict[str, Any]:
    """The Label Studio task of one matched pair (see the module docstring); ``first`` is ``pair.claim_id``'s."""
    shared = ", ".join(pair.shared_words)
    data: dict[str, Any] = {
        "claim_id": pair.claim_id,
        "other_claim_id": pair.other_claim_id,
        "match_group": pair.match_group,
        "split": pair.split.value,
        "score": pair.score,
        "shared_words": shared,
        "summary": f"matcher score {pair.score:.3f} · shared words: {shared or '(none)'}",
    }
    for prefix, (claim, article) in (("", first), ("other_", second)):
        published = article.published.isoformat() if article.published else None
        heading = [claim.speaker or "(no speaker)", article.outlet, published, article.title]
        data |= {
            f"{prefix}text": claim.standalone,
            f"{prefix}speaker": claim.speaker,
            f"{prefix}outlet": article.outlet,
            f"{prefix}heading": " · ".join(part for part in heading if part),
        }
    return {"data": data}


def labeling_config() -> str:
    """The labeling config XML the pair tasks are made for."""
    view = ET.Element("View")
    ET.SubElement(view, "Header", value="$summary", size="5")
    sides = ET.SubElement(view, "View", style="display: flex; gap: 1em")
    for name in (TEXT, OTHER_TEXT):
        side = ET.SubElement(sides, "View", style="flex: 1")
        heading = "heading" if name == TEXT else "other_heading"
        ET.SubElement(side, "Header", value=f"${heading}", size="6")
        ET.SubElement(side, "Text", name=name, value=f"${name}", selectionEnabled="false")
    ET.SubElement(view, "Header", value="Do the two state the same claim?", size="5")
    choices = ET.SubElement(
        view, "Choices", name=SAME_CLAIM, toName=TEXT, choice="single-radio", required="true", showInline="true"
    )
    for value in (SAME, DIFFERENT):
        ET.SubElement(choices, "Choice", value=value)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
