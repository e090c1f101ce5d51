"""Finite verbs, as far as words alone can tell: what makes a stretch of words a clause.

Without a tagger, a word is taken for a finite verb when it is an auxiliary or a modal, a contraction holding
one ("it's", "they're"), a common irregular past ("rose", "fell", "said"), a common verb in its base form after
a plural subject ("Others remain …"), or a lower-case word in "-ed". The lists are general English, not fitted to
any corpus.
"""

from __future__ import annotations

__all__ = ["BASE_FORMS", "CONTRACTIONS", "FINITE", "finite", "has_finite_verb"]

FINITE = frozenset(
    "is are was were has have had will would can could should may might must did does do am isn't aren't wasn't "
    "weren't hasn't haven't hadn't won't wouldn't can't couldn't shouldn't didn't doesn't don't 's ’s "
    "said says told made took gave went came got became saw knew thought felt found left lost won ran held kept "
    "paid sent spent stood began brought bought built led meant met rose fell sold put set let cut hit needs "
    "wants plans seems appears remains becomes comes goes gets makes takes gives uses looks knows thinks tells "
    "works feels tries leaves keeps shows hears plays runs moves lives believes holds brings happens writes "
    "provides stands loses pays meets includes continues sets changes leads understands follows creates speaks "
    "reads allows adds spends grows opens wins offers expects builds stays falls reaches raises passes sells "
    "requires decides matters exists lies sits rises".split()
)
"""Finite forms a clause may hold; with :data:`CONTRACTIONS` and "-ed" words, what :func:`finite` accepts."""

BASE_FORMS = frozenset(
    "need want plan seem appear remain become come go get make take give use look know think tell work feel try "
    "leave keep show hear play run move live believe hold bring happen write provide stand lose pay meet include "
    "continue change lead understand follow create speak read allow add spend grow open win offer expect build "
    "stay fall reach raise pass sell require decide matter exist lie sit rise say see".split()
)
"""Base forms, finite only after a plural subject ("Others remain", "they give"): alone, "use" is a noun too."""
_PLURAL_SUBJECTS = frozenset({"i", "we", "you", "they", "others", "people", "many", "some", "both", "all", "few"})

CONTRACTIONS = ("'s", "’s", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "n't", "n’t", "'m", "’m")


def finite(word: str) -> bool:
    """The word (as written) can be the finite verb of a clause."""
    low = word.lower()
    if low in FINITE or (word[:1].islower() and low.endswith("ed") and len(low) > 3):
        return True
    return low.endswith(CONTRACTIONS) and not low.endswith(("'s", "’s"))


def has_finite_verb(words: list[str]) -> bool:
    """Some word of ``words`` (in order) is a finite verb; a base form counts after a plural subject."""
    for index, word in enumerate(words):
        if finite(word):
            return True
        if word.lower() in BASE_FORMS and index > 0:
            before = words[index - 1].lower()
            if before in _PLURAL_SUBJECTS or (before.endswith("s") and not before.endswith(("'s", "’s", "ss"))):
                return True
    return False
