"""The fitted matcher (``factpack match fit``): its file round trip, its refusals, and what it learns."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from builder.errors import ConfigError
from builder.learn import (
    LinearModel,
    classification,
    cross_validate,
    folds_by_group,
    standardised,
    unstandardised,
    write_model_file,
)
from builder.match.model import (
    BUCKETS,
    MATCH_MODEL_FORMAT,
    TERMS,
    MatchModel,
    match_model_in,
    pair_design,
    read_match_model,
)
from builder.match.pairs import MIN_SHARED, score_pair
from builder.match.text import match_text
from builder.matching import fit_pairs

SAME = [("raised", "increased"), ("cut", "slashed"), ("closed", "shut"), ("bought", "purchased")]
OTHER = [("raised", "lowered"), ("cut", "restored"), ("closed", "reopened"), ("bought", "sold")]
WHO = ["The mayor", "The minister", "The senator", "The governor", "The council", "The union"]
WHAT = ["taxes on fuel", "the northern hospital", "funding for schools", "the state airline", "rents downtown"]


def word_pairs(count: int, seed: int = 7) -> list[dict[str, object]]:
    """Pairs that differ in one verb: the same claim when it is a synonym, another when it is an opposite. Their
    words overlap alike, so only word weights learned from the labels tell the two kinds apart."""
    draw = random.Random(seed)
    found: list[dict[str, object]] = []
    for number in range(count):
        same = number % 2 == 0
        first, second = draw.choice(SAME if same else OTHER)
        who, what = draw.choice(WHO), draw.choice(WHAT)
        found.append(
            {
                "a": f"{who} {first} {what}.",
                "b": f"{who} {second} {what}.",
                "label": same,
                "group": f"story {number // 3}",
            }
        )
    return found


def write_jsonl(path, records) -> None:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


def a_model() -> MatchModel:
    return MatchModel(
        linear=LinearModel(bias=-1.25, weights=dict.fromkeys(TERMS, 0.5), slots={3: 0.75, 17: -2.0}, buckets=64),
        threshold=0.42,
        training={"source": "pairs.jsonl", "sha256": "0" * 64, "examples": 60, "positives": 30},
        quality={"folds": 10, "l2": 0.001},
    )


def test_a_model_file_round_trips_byte_for_byte(tmp_path):
    path, again = tmp_path / "model.json", tmp_path / "again.json"
    write_model_file(path, a_model().document())
    read = read_match_model(path)
    assert read == a_model()
    write_model_file(again, read.document())
    assert again.read_bytes() == path.read_bytes()
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == MATCH_MODEL_FORMAT
    assert read.sha256 == a_model().sha256


def test_a_model_of_another_format_or_damaged_is_refused_naming_the_file(tmp_path):
    other = tmp_path / "worthiness.json"
    write_model_file(other, {**a_model().document(), "format": "factpack-worthiness-model/1"})
    with pytest.raises(ConfigError) as raised:
        read_match_model(other)
    assert str(raised.value) == (
        f"{other}: a model of format 'factpack-worthiness-model/1', this factpack reads 'factpack-match-model/1'; "
        "fit it again with 'factpack match fit'"
    )
    damaged = tmp_path / "damaged.json"
    write_model_file(damaged, {key: value for key, value in a_model().document().items() if key != "threshold"})
    with pytest.raises(ConfigError, match=r"damaged\.json: a damaged model file \(KeyError"):
        read_match_model(damaged)
    outside = tmp_path / "outside.json"
    write_model_file(outside, {**a_model().document(), "slots": {"64": 1.0}})
    with pytest.raises(ConfigError, match=r"outside\.json: a damaged model file \(slots outside its 64 buckets\)"):
        read_match_model(outside)


def test_a_model_is_found_only_where_its_file_is(tmp_path):
    path = tmp_path / "match-model.json"
    assert match_model_in(path) is None
    write_model_file(path, a_model().document())
    assert match_model_in(path) == a_model()


def test_weights_fitted_on_standardised_terms_give_the_same_margins_on_the_raw_terms():
    dense = np.array([[0.0, 12.0, 1.0], [1.0, 0.0, 1.0], [0.5, 144.0, 1.0]])
    scaled, mean, spread = standardised(dense)
    assert np.allclose(scaled.mean(axis=0), 0.0) and np.allclose(scaled[:, :2].std(axis=0), 1.0)
    fitted = LinearModel(bias=0.3, weights={"x": 1.5, "y": -0.5, "one": 2.0}, slots={}, buckets=0)
    assert np.allclose(unstandardised(fitted, mean, spread).margins(dense), fitted.margins(scaled))


def test_a_fitted_model_learns_word_weights_the_default_lacks_and_reports_the_learners_figures(tmp_path):
    records = word_pairs(120)
    labels = tmp_path / "pairs.jsonl"
    write_jsonl(labels, records)
    report = fit_pairs(labels, tmp_path / "model.json")
    assert (report.examples, report.positives, report.groups, report.folds, report.by_group) == (120, 60, 40, 10, True)
    assert report.threshold == 0.5  # half the pairs are the same: as likely the same as not at 0.5
    assert report.cv.accuracy >= 0.9 > 0.6 >= report.default.accuracy  # chance is 0.5
    # the figures are learn.classification's of the held-out decisions of learn.cross_validate
    texts = [(match_text(str(record["a"])), match_text(str(record["b"]))) for record in records]
    dense, slots = pair_design(texts, BUCKETS)
    scaled, _, _ = standardised(dense)
    truth = np.array([record["label"] for record in records], dtype=np.float64)
    fold_of = folds_by_group([f"group:{record['group']}" for record in records], 10)
    held_out = cross_validate(scaled, truth, fold_of, names=TERMS, slots=slots, buckets=BUCKETS, l2=report.l2)
    defaults = [score_pair(a, b) for a, b in texts]
    allowed = np.array([found.ruled_out is None and found.terms["stem_jaccard"] >= MIN_SHARED for found in defaults])
    cv = classification(np.where(allowed, held_out.round(3), 0.0), truth, report.threshold)
    assert report.cv.model_dump() == {
        name: round(getattr(cv, name), 4) for name in ("accuracy", "precision", "recall", "f1")
    }
    default = classification(np.array([found.match for found in defaults], dtype=np.float64), truth)
    assert report.default.f1 == round(default.f1, 4) and report.default.accuracy == round(default.accuracy, 4)
    # the model written decides unseen pairs of the kind it learned, through score_pair
    model = read_match_model(tmp_path / "model.json")
    assert model.training["sha256"] == report.sha256 and model.quality["cv"] == report.cv.model_dump()
    assert score_pair("The mayor raised taxes on fuel.", "The mayor increased taxes on fuel.", model=model).match
    assert not score_pair("The mayor raised taxes on fuel.", "The mayor lowered taxes on fuel.", model=model).match


def test_with_a_model_the_rules_still_rule_out_and_statements_keep_their_threshold():
    always = MatchModel(
        linear=LinearModel(bias=0.0, weights={}, slots={}, buckets=8), threshold=0.4, training={}, quality={}
    )  # every pair scores 0.5
    paraphrase = (
        "Unemployment fell last year, the minister said.",
        "Last year unemployment dropped, said the minister.",
    )
    assert score_pair(*paraphrase, model=always) == score_pair(*paraphrase, model=always)._replace(
        score=0.5, match=True
    )
    assert score_pair(*paraphrase, model=always).terms == score_pair(*paraphrase).terms
    strict = MatchModel(always.linear, threshold=0.6, training={}, quality={})
    assert not score_pair(*paraphrase, model=strict).match  # its own threshold, not THRESHOLD
    assert not score_pair(*paraphrase, statements=True, model=always).match  # 0.5 is below STATEMENT_THRESHOLD
    own = MatchModel(always.linear, threshold=0.4, training={}, quality={}, statement_threshold=0.45)
    assert score_pair(*paraphrase, statements=True, model=own).match
    denial = score_pair("There is no contradiction here", "There is a clear contradiction here", model=always)
    assert (denial.match, denial.ruled_out) == (False, "polarity_differs")
    assert not score_pair("Taxes rose", "The weather was lovely today", model=always).match  # too little shared
    assert not score_pair(*paraphrase, "Smith", "Jones", model=always).match
