"""A fitted check-worthiness model: a logistic function of the rule terms and the hashed n-grams of a text."""

from __future__ import annotations

import math
import zlib

from builder.extract.worthiness_model import WorthinessModel, ngram_slots


def model(bias: float, terms: dict[str, float], slots: dict[int, float] | None = None) -> WorthinessModel:
    return WorthinessModel(bias, terms, slots or {}, buckets=1 << 18, sizes=(1, 2), training={}, quality={})


def sigmoid(z: float) -> float:
    return round(1 / (1 + math.exp(-z)), 3)


def test_the_score_is_the_logistic_of_bias_plus_weighted_terms_plus_ngram_weights():
    slot = zlib.crc32(b"unemployment fell") % (1 << 18)
    fitted = model(-0.5, {"number": 0.75, "hedge": -2.0}, {slot: 1.25})
    assert fitted.score({"number": 2.0}, "Prices rose.") == sigmoid(-0.5 + 1.5) == 0.731
    assert fitted.score({"number": 2.0, "hedge": 1.0}, "Prices rose.") == sigmoid(-0.5 + 1.5 - 2.0) == 0.269
    assert fitted.score({"unknown": 5.0}, "Unemployment fell.") == sigmoid(-0.5 + 1.25) == 0.679


def test_the_score_saturates_without_overflow():
    assert model(1e6, {}).score({}, "x") == 1.0 and model(-1e6, {}).score({}, "x") == 0.0


def test_ngram_slots_are_the_lower_cased_words_and_word_pairs_each_once():
    expected = {zlib.crc32(gram.encode()) % 1000 for gram in ("we", "won", "we won", "won we")}
    assert ngram_slots("We won, we WON", 1000, (1, 2)) == expected
    assert ngram_slots("it's", 1000, (1,)) == {zlib.crc32(b"it's") % 1000}
    assert ngram_slots("one", 1000, (2,)) == set()
