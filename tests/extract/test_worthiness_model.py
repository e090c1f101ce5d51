"""A fitted check-worthiness model: a logistic function of the rule terms, the line's place in its document and the
TF-IDF of its hashed n-grams, each margin taking a share of its neighbours'."""

from __future__ import annotations

import json
import math
import zlib

import pytest

from builder.errors import ConfigError
from builder.extract.worthiness import document_features
from builder.extract.worthiness_model import FEATURES, WorthinessModel, model_features, read_model, with_neighbours
from builder.learn import LinearModel

BUCKETS = 1 << 18


def slot(gram: str) -> int:
    return zlib.crc32(gram.encode()) % BUCKETS


def model(
    bias: float,
    weights: dict[str, float],
    slots: dict[int, float] | None = None,
    idf: dict[int, float] | None = None,
    neighbours: float = 0.0,
) -> WorthinessModel:
    linear = LinearModel(bias, weights, slots or {}, BUCKETS, idf if idf is not None else {})
    settings = {"l2": 1e-4, "balanced": True, "neighbours": neighbours}
    return WorthinessModel(linear, sizes=(1, 2), settings=settings, training={}, quality={})


def sigmoid(z: float) -> float:
    return round(1 / (1 + math.exp(-z)), 3)


def scores(fitted: WorthinessModel, *texts: str) -> list[float]:
    lines = [(text, None, None, None) for text in texts]
    return fitted.scores(lines, document_features([line[:3] for line in lines]))


def test_the_score_is_the_logistic_of_bias_plus_weighted_features():
    fitted = model(-0.5, {"number": 0.75, "length": 3.0})
    # "Prices rose by 7 percent." has one number (rule term 0.6) and five words (length 5/30)
    assert scores(fitted, "Prices rose by 7 percent.") == [sigmoid(-0.5 + 0.75 * 0.6 + 3.0 * 5 / 30)]


def test_an_ngram_weighs_its_tfidf_share_of_a_unit_length_row():
    # two known words, idf 1 and 3: their weights (1, 3) scaled to unit length are 1/√10 and 3/√10
    fitted = model(0.0, {}, {slot("unemployment"): 2.0}, {slot("unemployment"): 1.0, slot("fell"): 3.0})
    assert scores(fitted, "Unemployment fell") == [sigmoid(2.0 / math.sqrt(10))]
    # a word no training text had neither weighs nor lengthens the row
    assert scores(fitted, "Unemployment fell sharply") == [sigmoid(2.0 / math.sqrt(10))]
    # counted twice, an n-gram weighs 1 + ln 2 times as much before the scaling
    twice = (1 + math.log(2)) * 1.0
    assert scores(fitted, "unemployment unemployment fell") == [sigmoid(2.0 * twice / math.sqrt(twice**2 + 9))]


def test_each_margin_takes_its_share_of_the_mean_of_its_neighbours():
    assert with_neighbours([1.0, 2.0, 4.0], 0.5) == [1.0 + 0.5 * 2.0, 2.0 + 0.5 * 2.5, 4.0 + 0.5 * 2.0]
    assert with_neighbours([1.0, 2.0], 0.0) == [1.0, 2.0]
    assert with_neighbours([3.0], 0.5) == [3.0]
    fitted = model(0.0, {"number": 1.0}, neighbours=0.5)
    # the middle line has no number, its neighbours each one (0.6): its margin is 0.5 × 0.6
    assert scores(fitted, "It cost 5 dollars.", "That is all.", "It cost 9 dollars.")[1] == sigmoid(0.3)


def test_the_score_saturates_without_overflow():
    assert scores(model(1e6, {}), "x") == [1.0] and scores(model(-1e6, {}), "x") == [0.0]


def test_the_features_are_the_rule_terms_then_the_place_in_the_document_by_name():
    lines = [("Why?", "A", None, None), ("Taxes rose 5%.", "B", "direct_quote", "speech")]
    found = model_features(document_features([line[:3] for line in lines]), lines)
    assert [list(features) for features in found] == [list(FEATURES)] * 2
    assert found[1]["after_question"] == 1.0 and found[1]["type:direct_quote"] == 1.0
    assert found[1]["number"] == pytest.approx(0.6) and found[0]["question"] < 0


def test_the_document_keeps_what_scoring_needs_and_the_sha256_names_it():
    fitted = model(0.25, {"number": 1.5}, {slot("tax"): 0.5}, {slot("tax"): 2.0}, neighbours=0.3)
    document = fitted.document()
    assert document["format"] == "factpack-worthiness-model/2" and document["settings"]["neighbours"] == 0.3
    assert document["idf"] == {str(slot("tax")): 2.0} and document["slots"] == {str(slot("tax")): 0.5}
    assert fitted.sha256 != model(0.25, {"number": 1.5}, {slot("tax"): 0.5}, {slot("tax"): 2.0}).sha256


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: d["settings"].pop("neighbours"), "KeyError"),
        (lambda d: d["ngrams"].update(buckets=0), "must be positive"),
        (lambda d: d["settings"].update(neighbours=-0.5), "must be positive"),
        (lambda d: d["settings"].update(l2="strong"), "ValueError"),
    ],
)
def test_a_model_file_whose_settings_or_hashing_cannot_score_is_refused_naming_it(tmp_path, damage, reason):
    document = model(0.1, {"number": 1.0}, {slot("tax"): 0.5}, {slot("tax"): 2.0}, neighbours=0.3).document()
    path = tmp_path / "model.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_model(path).neighbours == 0.3 and read_model(path).linear.idf == {slot("tax"): 2.0}
    damage(document)
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{path}: a damaged model file .*{reason}.*fit it again"):
        read_model(path)
