"""Quality floor on the PolNeAR dev split: the quotation attribution figures of a real build must reach the targets.

PolNeAR is research-use only and never part of this repository: the data is looked up outside it (the
``FACTPACK_POLNEAR`` folder, else ``../shared/polnear`` beside the checkout) and the test skips without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.config import BuildConfig, ValidateConfig
from builder.evaluate import load_gold, predictions_from_dist, quotation_figure_line, quotation_scores
from builder.pipeline import build
from conftest import REPO

POLNEAR = Path(os.environ.get("FACTPACK_POLNEAR", REPO.parent / "shared" / "polnear"))
DEV = POLNEAR / "dev"

TARGETS = {"precision": 0.85, "f1": 0.85, "speaker_acc": 0.88, "indirect_recall": 0.43}
"""Issue 13's "Done when": the dev figures the extractor must reach (as PolNeAR's score.py defines them). Reported
speech was 0.45 until stances on a thing ("opposes the tax") and denied reports ("did not say …") stopped being
claims by design (issue 27): PolNeAR annotates both, so its recall lost about 0.02 for them."""

TOLERANCE = 0.02
"""How far under its target a figure may fall: dev is small (84 articles), so a few contents move it a point."""


def test_polnear_dev_quotation_figures_reach_the_targets(tmp_path: Path) -> None:
    if not (DEV / "raw" / "articles").is_dir() or not (DEV / "gold.jsonl").is_file():
        pytest.skip(
            f"PolNeAR dev data not found under {DEV} (needs raw/articles/ and gold.jsonl); it is research-use only "
            "and never in the repository: set FACTPACK_POLNEAR to the folder holding dev/"
        )
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=DEV / "raw", out_dir=dist, validation=ValidateConfig(skip_invalid=True)))
    scores = quotation_scores(load_gold(DEV / "gold.jsonl"), predictions_from_dist(dist))
    figures = scores.model_dump()
    short = {name: round(figures[name], 3) for name in TARGETS if figures[name] < TARGETS[name] - TOLERANCE}
    assert not short, (
        f"below target minus {TOLERANCE}: {short}; targets {TARGETS}\n{quotation_figure_line(scores)}\n"
        f"counts: {scores.model_dump(exclude={'precision', 'recall', 'f1', 'speaker_acc', 'indirect_recall'})}"
    )
