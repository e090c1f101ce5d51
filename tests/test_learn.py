"""The learner shared by the fitted models: folds by group, held-out probabilities, the logistic regression, the
metrics and the model file."""

from __future__ import annotations

import json
import math
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import ConfigError, OutputError
from builder.learn import (
    Classification,
    LinearModel,
    average_precision,
    classification,
    count_rows,
    cross_validate,
    folds_by_group,
    idf_of,
    ngram_counts,
    ngram_slots,
    ranking,
    read_model_file,
    slot_rows,
    standardised,
    tfidf_values,
    train,
    unstandardised,
    write_model_file,
)

GROUPS = st.lists(st.sampled_from("abcdefghij"), min_size=1, max_size=60)


@settings(deadline=None)
@given(groups=GROUPS, folds=st.integers(2, 6))
def test_folds_keep_each_group_in_one_fold_when_there_are_groups_enough(groups, folds):
    fold_of = folds_by_group(groups, folds)
    assert fold_of.dtype == np.int64 and len(fold_of) == len(groups)
    if len(set(groups)) >= folds:
        seen: dict[str, set[int]] = {}
        for group, fold in zip(groups, fold_of, strict=True):
            seen.setdefault(group, set()).add(int(fold))
        assert all(len(in_folds) == 1 for in_folds in seen.values())
        assert set(fold_of.tolist()) == set(range(folds))  # every fold holds out something
    else:
        assert fold_of.tolist() == [i % folds for i in range(len(groups))]


def test_folds_do_not_depend_on_the_order_the_groups_come_in():
    assert folds_by_group(["b", "a", "c"], 3).tolist() == [1, 0, 2]
    assert folds_by_group(["c", "b", "a", "c"], 3).tolist() == [2, 1, 0, 2]


def leaky_cross_validate(dense, labels, fold_of, **options):
    """A planted slip: the model of each fold is fitted on every example, its held-out ones included."""
    model = train(dense, labels, **options)
    return model.probabilities(dense, options.get("slots"))


def own_fold_never_counts(validate, dense, labels, fold_of, flipped, **options):
    """Whether flipping the label of example ``flipped`` leaves the held-out probabilities of its whole fold as
    they were, to the bit: they must come from models that never saw it."""
    before = validate(dense, labels, fold_of, **options)
    changed = labels.copy()
    changed[flipped] = 1.0 - changed[flipped]
    after = validate(dense, changed, fold_of, **options)
    same_fold = fold_of == fold_of[flipped]
    return bool(np.array_equal(before[same_fold], after[same_fold]))


LABELLED = st.integers(6, 30).flatmap(
    lambda n: st.tuples(
        st.lists(st.lists(st.floats(-3, 3), min_size=2, max_size=2), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
        st.integers(0, n - 1),
    )
)


@settings(deadline=None, max_examples=40)
@given(LABELLED)
def test_cross_validation_never_uses_an_examples_own_label(case):
    rows, truth, folds, flipped = case
    dense, labels, fold_of = np.array(rows), np.array(truth, dtype=np.float64), np.array(folds)
    options = {"names": ["x", "y"], "steps": 40}
    assert own_fold_never_counts(cross_validate, dense, labels, fold_of, flipped, **options)


def test_the_leak_check_catches_a_model_that_saw_its_held_out_examples():
    dense = np.array([[float(i % 3), float(i % 5)] for i in range(20)])
    labels = np.array([float(i % 2) for i in range(20)])
    fold_of = folds_by_group([f"g{i % 4}" for i in range(20)], 4)
    options = {"names": ["x", "y"], "steps": 40}
    assert own_fold_never_counts(cross_validate, dense, labels, fold_of, 3, **options)
    assert not own_fold_never_counts(leaky_cross_validate, dense, labels, fold_of, 3, **options)


def test_every_held_out_probability_comes_from_the_model_of_the_other_folds():
    rows = 18
    dense = np.array([[float(i % 4), float(i % 3 == 0)] for i in range(rows)])
    labels = np.array([float(i % 4 >= 2) for i in range(rows)])
    slots = [np.array(sorted({i % 5, 5 + i % 2}), dtype=np.int64) for i in range(rows)]
    fold_of = np.array([i % 3 for i in range(rows)])
    options = {"names": ["a", "b"], "slots": slots, "buckets": 8}
    held_out = cross_validate(dense, labels, fold_of, **options)
    for fold in range(3):
        test = fold_of == fold
        others = train(
            dense[~test],
            labels[~test],
            names=["a", "b"],
            slots=[s for s, t in zip(slots, test, strict=True) if not t],
            buckets=8,
        )
        expected = others.probabilities(dense[test], [s for s, t in zip(slots, test, strict=True) if t])
        assert np.array_equal(held_out[test], expected)


def test_a_group_held_out_whole_is_not_recognised_by_its_own_marks():
    """Each group has a feature of its own and one label: held out by group, that feature was never seen, so its
    weight stays exactly 0 and the group's examples all get one probability; held out in turn, it is learned."""
    groups = [f"g{i % 6}" for i in range(36)]
    dense = np.array([[float(g == f"g{k}") for k in range(6)] for g in groups])
    labels = np.array([float(int(g[1]) % 2) for g in groups])
    names = [f"is_g{k}" for k in range(6)]
    by_group = cross_validate(dense, labels, folds_by_group(groups, 6), names=names)
    for k in range(6):
        assert len(set(by_group[np.array(groups) == f"g{k}"].tolist())) == 1
    assert ranking(by_group, labels, groups)[0] < 0.5  # half the examples are positive: no better than chance
    in_turn = cross_validate(dense, labels, np.arange(36) % 5, names=names)  # each group on both sides
    assert ranking(in_turn, labels, groups)[0] == 1.0


def test_logistic_regression_separates_a_separable_set_and_gives_the_same_weights_every_time():
    dense = np.array([[x, 1.0 - x] for x in np.linspace(0, 1, 40)])
    labels = (dense[:, 0] > 0.5).astype(np.float64)
    model = train(dense, labels, names=["up", "down"])
    probabilities = model.probabilities(dense)
    assert np.all((probabilities > 0.5) == (labels > 0))
    assert train(dense, labels, names=["up", "down"]) == model
    assert list(model.weights) == ["up", "down"] and model.weights["up"] > 0 > model.weights["down"]


def test_logistic_regression_learns_from_slots_alone():
    texts = [f"prices rose by {i} points" for i in range(10)] + [f"thank you all, friend {i}" for i in range(10)]
    labels = np.array([1.0] * 10 + [0.0] * 10)
    slots = slot_rows(texts, 1 << 12, (1, 2))
    model = train(np.zeros((20, 0)), labels, names=[], slots=slots, buckets=1 << 12)
    assert np.all((model.probabilities(np.zeros((20, 0)), slots) > 0.5) == (labels > 0))
    assert model.weights == {} and all(0 <= slot < 1 << 12 for slot in model.slots)
    worthy = ngram_slots("prices rose", 1 << 12, (1, 2))
    assert model.probability({}, worthy) > 0.5 > model.probability({}, ngram_slots("thank you", 1 << 12, (1, 2)))


def test_the_classes_are_weighted_to_balance():
    """With nothing to tell the classes apart, one positive in ten is still an even chance, not one in ten."""
    labels = np.array([1.0] * 10 + [0.0] * 90)
    model = train(np.zeros((100, 1)), labels, names=["nothing"])
    assert model.probability({}) == pytest.approx(0.5, abs=1e-3)


def test_a_stronger_penalty_keeps_the_weights_smaller():
    dense = np.array([[x] for x in np.linspace(-1, 1, 30)])
    labels = (dense[:, 0] > 0).astype(np.float64)
    loose, tight = (train(dense, labels, names=["x"], l2=l2) for l2 in (1e-3, 1.0))
    assert abs(tight.weights["x"]) < abs(loose.weights["x"])


def test_training_refuses_rows_that_do_not_fit():
    with pytest.raises(ValueError, match="a column per name"):
        train(np.zeros((4, 2)), np.zeros(4), names=["one"])
    with pytest.raises(ValueError, match="rows of slots for 4 labels"):
        train(np.zeros((4, 1)), np.zeros(4), names=["x"], slots=[np.array([1])], buckets=8)
    with pytest.raises(ValueError, match="outside 0 to 7"):
        train(np.zeros((1, 1)), np.zeros(1), names=["x"], slots=[np.array([8])], buckets=8)


def test_the_margin_is_the_bias_plus_the_weighted_features_plus_the_slots_present():
    model = LinearModel(bias=-0.5, weights={"number": 0.75, "hedge": -2.0}, slots={3: 1.25, 7: -0.5}, buckets=8)
    assert model.margin({"number": 2.0}) == -0.5 + 1.5
    assert model.margin({"number": 2.0, "unknown": 9.0}, [3, 5]) == -0.5 + 1.5 + 1.25
    assert model.probability({"hedge": 1.0}, [7]) == pytest.approx(1 / (1 + math.exp(0.5 + 2.0 + 0.5)))
    # a margin past ±60 is clipped there: a certainty either way, and no overflow in exp
    assert LinearModel(1e6, {}, {}, 0).probability({}) == 1.0
    assert LinearModel(-1e6, {}, {}, 0).probability({}) == 1 / (1 + math.exp(60.0))


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.sets(st.integers(0, 7), max_size=8)), min_size=1, max_size=20
    )
)
def test_the_matrix_methods_give_what_the_one_example_methods_give(examples):
    model = LinearModel(bias=0.25, weights={"a": 1.5, "b": -0.75}, slots={1: 0.5, 4: -2.0, 6: 3.0}, buckets=8)
    dense = np.array([[a, b] for a, b, _ in examples])
    slots = [np.array(sorted(found), dtype=np.int64) for _, _, found in examples]
    single = [model.margin({"a": a, "b": b}, found) for a, b, found in examples]
    assert model.margins(dense, slots) == pytest.approx(single, abs=1e-9)
    assert model.probabilities(dense, slots) == pytest.approx(
        [model.probability({"a": a, "b": b}, found) for a, b, found in examples], abs=1e-12
    )
    assert model.margins(dense) == pytest.approx([0.25 + 1.5 * a - 0.75 * b for a, b, _ in examples], abs=1e-9)


def test_rounding_keeps_places_and_leaves_out_the_slots_lighter_than_the_last_place():
    model = LinearModel(
        bias=0.12345678, weights={"x": -1.23456789}, slots={1: 0.0000015, 2: 0.0000009, 3: -0.5}, buckets=4
    )
    assert model.rounded(6) == LinearModel(0.123457, {"x": -1.234568}, {1: 0.000002, 3: -0.5}, 4)


def average_precision_by_hand(ranked_truth: list[bool]) -> float:
    hits, total = 0, 0.0
    for rank, hit in enumerate(ranked_truth, start=1):
        if hit:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def test_average_precision_matches_the_hand_computed_values():
    assert average_precision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]) == pytest.approx((1 / 1 + 2 / 3) / 2)
    assert average_precision([0.1, 0.8, 0.7, 0.6], [1, 0, 1, 0]) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert average_precision([0.5, 0.5], [0, 1]) == 0.5  # a tie ranks in input order
    assert average_precision([0.5, 0.5], [1, 0]) == 1.0
    assert average_precision([0.3, 0.2], [0, 0]) == 0.0


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.booleans(), st.sampled_from("xyz")), min_size=1, max_size=40))
def test_ranking_is_the_pooled_average_precision_and_its_mean_over_groups_with_a_positive(rows):
    scores, truth, groups = [s / 5 for s, _, _ in rows], [t for _, t, _ in rows], [g for _, _, g in rows]

    def by_hand(indices: list[int]) -> float:
        order = sorted(indices, key=lambda i: -scores[i])  # stable: ties in input order
        return average_precision_by_hand([truth[i] for i in order])

    pooled, mean = ranking(scores, truth, groups)
    assert pooled == pytest.approx(by_hand(list(range(len(rows)))))
    members = {g: [i for i in range(len(rows)) if groups[i] == g] for g in set(groups)}
    counted = [by_hand(indices) for indices in members.values() if any(truth[i] for i in indices)]
    if len(members) < 2 or not counted:
        assert mean is None
    else:
        assert mean == pytest.approx(sum(counted) / len(counted))


def test_classification_metrics_match_the_hand_computed_values():
    probabilities, labels = [0.9, 0.6, 0.4, 0.2, 0.7], [1, 0, 1, 0, 1]
    # at 0.5: called 1, 1, 0, 0, 1 -> 2 true positives, 1 false positive, 1 false negative, 1 true negative
    at_half = classification(probabilities, labels)
    assert at_half == pytest.approx(Classification(accuracy=0.6, precision=2 / 3, recall=2 / 3, f1=2 / 3))
    # at 0.65: called 1, 0, 0, 0, 1 -> 2 true positives, 0 false positives, 1 false negative, 2 true negatives
    higher = classification(probabilities, labels, cut=0.65)
    assert higher == pytest.approx(Classification(accuracy=0.8, precision=1.0, recall=2 / 3, f1=0.8))
    assert classification([0.5], [1]) == Classification(1.0, 1.0, 1.0, 1.0)  # the cut itself is called positive
    assert classification([0.1, 0.2], [1, 0]) == Classification(0.5, 0.0, 0.0, 0.0)  # nothing called positive
    assert classification([0.9, 0.2], [0, 0]) == Classification(0.5, 0.0, 0.0, 0.0)  # no positive to recall
    with pytest.raises(ValueError, match="one each"):
        classification([0.1, 0.2], [1])


DOCUMENT = {"format": "factpack-test-model/1", "bias": -0.25, "weights": {"b": 1.0, "a": 2.5}, "slots": {"7": 0.5}}


def test_a_model_file_is_sorted_indented_json_that_reads_back(tmp_path):
    path = tmp_path / "model.json"
    write_model_file(path, DOCUMENT)
    assert path.read_text(encoding="utf-8") == json.dumps(DOCUMENT, indent=1, sort_keys=True) + "\n"
    assert path.read_text(encoding="utf-8").startswith('{\n "bias": -0.25,\n "format": ')
    assert read_model_file(path, "factpack-test-model/1", "factpack test fit") == DOCUMENT


def test_a_model_file_of_another_format_or_not_json_is_refused_in_one_line_naming_it(tmp_path):
    path = tmp_path / "model.json"
    write_model_file(path, DOCUMENT)
    with pytest.raises(ConfigError) as wrong:
        read_model_file(path, "factpack-match-model/1", "factpack match fit")
    assert str(wrong.value) == (
        f"{path}: a model of format 'factpack-test-model/1', this factpack reads 'factpack-match-model/1'; fit it "
        "again with 'factpack match fit'"
    )
    for content, says in [("[1, 2]", "a model of format None"), ("{not json", "not a readable JSON model file")]:
        path.write_text(content, encoding="utf-8")
        with pytest.raises(ConfigError, match=says) as refused:
            read_model_file(path, "factpack-test-model/1", "factpack test fit")
        assert str(refused.value).startswith(f"{path}: ") and "\n" not in str(refused.value)
    with pytest.raises(ConfigError, match="no such model file; fit one with 'factpack test fit'"):
        read_model_file(tmp_path / "missing.json", "factpack-test-model/1", "factpack test fit")


def test_a_model_file_that_cannot_be_written_names_the_file_and_the_fix(tmp_path):
    path = tmp_path / "no-such-folder" / "model.json"
    with pytest.raises(OutputError, match=r"cannot write the model \(.*\); check the path and its rights") as failed:
        write_model_file(path, DOCUMENT)
    assert str(failed.value).startswith(f"{path}: ")
    with pytest.raises(ValueError, match="names its format"):
        write_model_file(tmp_path / "m.json", {"bias": 0.0})


def test_ngrams_are_the_lower_cased_words_and_word_pairs_counted_or_each_once():
    expected = {zlib.crc32(gram.encode()) % 1000: count for gram, count in (("we", 2), ("won", 2), ("we won", 2))}
    expected[zlib.crc32(b"won we") % 1000] = expected.get(zlib.crc32(b"won we") % 1000, 0) + 1
    assert ngram_counts("We won, we WON", 1000, (1, 2)) == expected
    assert ngram_slots("We won, we WON", 1000, (1, 2)) == set(expected)
    assert ngram_counts("it's", 1000, (1,)) == {zlib.crc32(b"it's") % 1000: 1}
    assert ngram_slots("one", 1000, (2,)) == set()
    (row,) = slot_rows(["We won, we WON"], 1000, (1, 2))
    assert row.dtype == np.int64 and row.tolist() == sorted(expected)
    (slots,), (counts,) = count_rows(["We won, we WON"], 1000, (1, 2))
    assert slots.tolist() == sorted(expected) and counts.tolist() == [expected[slot] for slot in sorted(expected)]


def test_idf_is_smoothed_and_lowest_for_the_slots_every_row_has():
    rows = [np.array([1, 2]), np.array([1]), np.array([1, 3])]
    assert idf_of(rows) == pytest.approx({1: math.log(4 / 4) + 1, 2: math.log(4 / 2) + 1, 3: math.log(4 / 2) + 1})
    assert idf_of([]) == {}


@settings(deadline=None)
@given(
    counts=st.lists(st.integers(1, 9), min_size=1, max_size=8),
    known=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_a_tfidf_row_has_unit_length_over_the_slots_the_idf_knows(counts, known):
    slots = np.arange(len(counts), dtype=np.int64)
    idf = {int(slot): 1.0 + slot for slot in slots if known[slot]}
    values = tfidf_values(slots, np.array(counts, dtype=np.float64), idf)
    assert all(values[slot] == 0.0 for slot in slots if not known[slot])
    if idf:
        assert float(np.sqrt(values @ values)) == pytest.approx(1.0)
        weights = [(1 + math.log(counts[s])) * (1.0 + s) for s in idf]
        assert [values[s] / values[next(iter(idf))] for s in idf] == pytest.approx([w / weights[0] for w in weights])


def test_with_idf_the_model_keeps_its_training_rows_idf_and_weighs_the_counts_by_it():
    texts = ["prices rose", "prices rose prices", "thank you", "thank you all"]
    slots, counts = count_rows(texts, 1 << 10, (1,))
    labels = np.array([1.0, 1.0, 0.0, 0.0])
    model = train(np.zeros((4, 0)), labels, names=[], slots=slots, counts=counts, buckets=1 << 10, idf=True)
    assert model.idf == idf_of(slots)
    margin = model.margin({}, slots[1], counts[1])
    values = tfidf_values(slots[1], counts[1], model.idf)
    assert margin == pytest.approx(
        model.bias + sum(model.slots[int(s)] * v for s, v in zip(slots[1], values, strict=True))
    )
    assert model.margins(np.zeros((4, 0)), slots, counts) == pytest.approx(
        [model.margin({}, row, found) for row, found in zip(slots, counts, strict=True)]
    )
    assert unstandardised(model, np.zeros(0), np.ones(0)).idf == model.idf
    assert model.rounded(2).idf == {slot: round(weight, 2) for slot, weight in model.idf.items()}


def test_a_held_out_fold_gets_its_idf_from_the_other_folds_only():
    """A word only the held-out fold has weighs nothing to its model: it is not in the training rows' idf, so it
    neither counts nor shortens the other words' weights."""
    texts = ["taxes rose", "taxes rose", "thank you", "thank you", "taxes rose zebra", "thank you zebra"]
    slots, counts = count_rows(texts, 1 << 10, (1,))
    labels = np.array([1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
    fold_of = np.array([0, 0, 0, 0, 1, 1])
    held_out = cross_validate(
        np.zeros((6, 0)), labels, fold_of, names=[], slots=slots, counts=counts, buckets=1 << 10, idf=True
    )
    trained = train(
        np.zeros((4, 0)), labels[:4], names=[], slots=slots[:4], counts=counts[:4], buckets=1 << 10, idf=True
    )
    without = count_rows(["taxes rose", "thank you"], 1 << 10, (1,))
    assert held_out[4:] == pytest.approx(trained.probabilities(np.zeros((2, 0)), *without))


def test_without_balancing_the_classes_the_rarer_one_is_less_likely():
    labels = np.array([1.0] * 10 + [0.0] * 90)
    model = train(np.zeros((100, 1)), labels, names=["nothing"], balanced=False, steps=1000)
    assert model.probability({}) == pytest.approx(0.1, abs=0.01)


def test_standardised_columns_have_zero_mean_and_unit_spread_and_the_weights_carry_back():
    dense = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, 4.0], [5.0, 5.0, 9.0]])
    scaled, mean, spread = standardised(dense)
    assert scaled.mean(axis=0) == pytest.approx([0.0, 0.0, 0.0]) and scaled[:, 1].tolist() == [0.0, 0.0, 0.0]
    fitted = train(scaled, np.array([0.0, 1.0, 1.0]), names=["a", "b", "c"])
    assert unstandardised(fitted, mean, spread).margins(dense) == pytest.approx(fitted.margins(scaled))
