from __future__ import annotations

from builder.extract.verbs import finite, has_finite_verb


def test_finite_forms():
    assert all(finite(word) for word in ["is", "rose", "jumped", "they're", "said", "uses"])
    assert not any(finite(word) for word in ["Ed", "red", "pct", "use", "it's"[:2]])


def test_a_base_form_is_finite_after_a_plural_subject_only():
    assert has_finite_verb("Others remain sceptical".split())
    assert has_finite_verb("they give reasons".split())
    assert not has_finite_verb("Great use of colour".split())
