"""Check-worthiness: a transparent heuristic score of how much a sentence asserts a checkable fact.

Check-worthiness (as in ClaimBuster and CLEF CheckThat!) asks whether a sentence contains a verifiable
factual assertion that a fact-checker would want to check. Here it is a hand-weighted logistic score, not a
model: each feature below counts cue hits in the text, the count is capped, multiplied by the weight and
added to the bias; the sum ``z`` gives ``score = 1 / (1 + exp(-z))``, rounded to 3 decimals.
:func:`worthiness_features` returns the per-feature terms of ``z`` (plus ``"bias"``), so a score can always be
explained by reading its breakdown.

Bias: -1.0 (a sentence with no cue at all scores 0.269).

Two features are not read off the text but from who says it, in its document (:func:`score_document`, which
the build and ``factpack worthiness score`` use): ``attributed`` and ``questioner``.

Measured (the ranking of every line of a debate, the CLEF-2019 CheckThat! Task 1 measure, MAP over the 19
training debates and speeches; no weight was fitted to them): 0.189 for the first version of this table,
0.194 for the second on the text alone and 0.198 with the speakers, 0.207 for this one. The changes follow
failure patterns read on held-out debates: dates and figures pushed any sentence to the ceiling, short punchy
claims were buried, the penalties for hedges and first- and second-person talk carried no signal, and moderators'
set-ups ranked near the top. The two newest rows, ``first_person`` and ``pledge``, were chosen on the 10 earliest
debates (by file name) and only kept because they also raised the other 9, whose lines were not read: 0.147 -> 0.153 and
0.255 -> 0.267, 14 debates up and 5 down. Candidates that failed that check are left out on purpose: a past
tense, policy words (law, deal, plan), crime words, "he"/"she" talk and cited sources ("according to", "a
study") each mark positives more often than the average line, but they did not raise the ranking on both halves.

Features that raise the score (weight per hit, hits capped at ``cap``):

=============  ======  ===  ==================================================================================
feature        weight  cap  why / what counts
=============  ======  ===  ==================================================================================
number          +0.6    2   Figures are the most checkable content. Digit groups that are not years
                            ("55", "7.96", "464,000"); spelled numbers from two upwards, dozen, hundred,
                            thousand, million, billion ("four-decade", "two-time"). "one" is left out: it is
                            mostly a pronoun ("one of the issues").
measure         +0.5    2   A number with a unit is a quantity claim. "%", percent, per cent, a currency sign
                            next to a number ("$2", "£1,400"), currency words (dollars, euros, roubles, …),
                            a unit, magnitude or counted noun right after a number ("1.13bn", "600m", "60m",
                            "9 months", "25-year-old", "3,000 troops", "312 votes").
date            +0.3    1   Time anchors make an event checkable, but a date alone is weak evidence: a
                            schedule ("the next debate is on October 9th") or a commemoration is not what
                            gets checked, so one hit counts and little. Years 1800-2099 and decades ("2014",
                            "1990s"), capitalised month and weekday names ("in April", "on Monday"), and
                            relative anchors ("ago", "yesterday", "last year", "decade").
entity          +0.45   3   Named entities tie a claim to the world. A run of capitalised words not at the
                            start of a sentence ("Gazeta Wyborcza" is one run), or an acronym anywhere
                            ("NATO", "TASS"). Months, weekdays, honorifics and "I" are not entities.
comparative     +0.4    2   Comparisons and rankings are checkable and often checked. more/less/fewer,
                            "than", "more than", "the most", record, largest, best, worst, and any word of six
                            letters or more in "-est" that is not a plain word such as interest or protest.
change_cause    +0.5    2   Change and causation are the core of statistical and political claims.
                            because, due to, led to, caused, rose, fell, cut, doubled, increased, ended,
                            "is up", "went down", …
quantifier      +0.3    2   Quantifiers make a sweeping, testable generalisation. all, every, each, most,
                            majority, half, none, only, both, entire.
record_verb     +0.6    2   Verbs of record report an event that leaves a trace. signed, annexed, deployed,
                            suspended, agreed, voted, negotiated, elected, resigned, announced, …
economy         +0.5    1   Money and the economy are a staple of fact-checked claims, and the words mark a
                            quantity claim even when the figure is left out ("spend more money on
                            defence"): money, spending, budget, tax, costs, profits, debt, GDP, jobs, prices.
attributed      +0.4    1   Somebody's words: a direct or reported quote or an interview answer with its
                            speaker. Fact-checkers check what people in public life say more than what the
                            outlet narrates. Not read off the text: the build (or ``worthiness score``) says.
=============  ======  ===  ==================================================================================

Features that lower the score:

=============  ======  ===  ==================================================================================
feature        weight  cap  why / what counts
=============  ======  ===  ==================================================================================
question        -2.0    1   A question asserts nothing. The text ends with "?" (closing quotes and brackets
                            after it are ignored).
questioner      -1.0    1   The speaker asks rather than claims in this document (a moderator, an
                            interviewer): at least 3 of their sentences, 15% of them questions (a debate's
                            moderator asks in about a fifth of their lines, its candidates in one in twenty).
                            Their statements set up topics ("The next segment is about jobs"); they are rarely
                            what gets checked.
hedge           -0.3    1   Hedging marks a view ("I think", "probably"), but checked claims are hedged as
                            often as others (CLEF-2019 training debates), so it only breaks ties. think,
                            believe, hope, feel, guess, probably, maybe, perhaps, might, "in my view",
                            "in my opinion", "would like", "I understand", seems, wish.
first_person    -0.5    1   A speaker talking about themselves (their record, their family, their feelings,
                            their campaign) is rarely what gets checked; claims about the world and about
                            others are. "I", "me", "my", "mine", "myself". An earlier version weighed this
                            -0.3 per hit beside "you" and dropped both; "you" alone carried no signal, while
                            "I" alone raised the MAP on both halves of the debates at any weight from -0.3
                            to -0.8 (one hit counts, at the middle of that range).
pledge          -0.6    1   The speaker's own pledge or plan is about the future: nothing has happened yet to
                            check. "I" or "we" with will / 'll / am, are, 'm, 're going to / want to /
                            intend to / plan to. Somebody else's plan ("he will raise taxes") is a claim
                            about that plan and is left alone.
normative       -0.6    2   Obligation and necessity prescribe rather than describe. should, must, need,
                            ought, "have to", "has to".
evaluative      -0.4    2   Value judgements cannot be verified. important, necessary, essential, crucial,
                            difficult, easy, good, bad, right, wrong, possible.
pleasantry      -0.8    2   Courtesies carry no claim. thank, thanks, welcome, glad, nice, pleased,
                            please, dear, grateful, congratulations, …
short           -0.7    1   Fewer than 4 words rarely holds a complete claim ("Read more.", "Continue"), but
                            a punchy one is still a claim ("Murders are up.", "It's an invasion.").
imperative      -1.0    1   A call to action asserts nothing. The text opens with a bare verb or "don't" /
                            "let's" / "never" (sign up, support, subscribe, read, share, click, …).
=============  ======  ===  ==================================================================================

Multi-word cues are matched on the lower-cased token sequence, longest cue first, without overlaps within
one feature ("more than" is one comparative hit, not two). One word can still feed two features on purpose:
"most" is both a quantifier and, after "the", a superlative; "rose" is a change whether or not a figure
follows; "I will" is both first-person talk and a pledge.

Linear time: one regex pass tokenises the text (``\\d[\\d.,]*``, ``[^\\W\\d_]+`` or a single symbol; each
alternative is one greedy character class that cannot fail after it has started, so nothing backtracks);
every later step walks the token list once, looks at a window of at most four tokens ("I am going to") and
reads each gap between two tokens a bounded number of times.

Limits: English only; lexical cues, no syntax, so "Support for the plan rose 5%" is read as an imperative,
"thanks to" as a courtesy and a capitalised headline word as an entity; reported opinions ("he believes") are
hedged like first-hand ones; a company's or government's announced plan in the first person ("we will
cut 500 jobs", quoted) is a pledge all the same; a sentence-initial name is not an entity unless it is an
acronym (in "Jens Stoltenberg said" the run still counts, through "Stoltenberg").

Why one long module: most of its length is the documented feature table above and the word lists it names,
which are data, kept beside the one function that reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

__all__ = [
    "ATTRIBUTED_TYPES",
    "BIAS",
    "WORTHINESS_FEATURES",
    "WorthinessFeature",
    "check_worthiness",
    "document_features",
    "is_question",
    "questioners",
    "score_document",
    "score_of",
    "worthiness_features",
]


class WorthinessFeature(NamedTuple):
    """One row of the score: ``weight * min(hits, cap)`` is added to the logit."""

    name: str
    weight: float
    cap: int


BIAS = -1.0

WORTHINESS_FEATURES: tuple[WorthinessFeature, ...] = (
    WorthinessFeature("number", 0.6, 2),
    WorthinessFeature("measure", 0.5, 2),
    WorthinessFeature("date", 0.3, 1),
    WorthinessFeature("entity", 0.45, 3),
    WorthinessFeature("comparative", 0.4, 2),
    WorthinessFeature("change_cause", 0.5, 2),
    WorthinessFeature("quantifier", 0.3, 2),
    WorthinessFeature("record_verb", 0.6, 2),
    WorthinessFeature("economy", 0.5, 1),
    WorthinessFeature("attributed", 0.4, 1),
    WorthinessFeature("question", -2.0, 1),
    WorthinessFeature("questioner", -1.0, 1),
    WorthinessFeature("hedge", -0.3, 1),
    WorthinessFeature("first_person", -0.5, 1),
    WorthinessFeature("pledge", -0.6, 1),
    WorthinessFeature("normative", -0.6, 2),
    WorthinessFeature("evaluative", -0.4, 2),
    WorthinessFeature("pleasantry", -0.8, 2),
    WorthinessFeature("short", -0.7, 1),
    WorthinessFeature("imperative", -1.0, 1),
)

ATTRIBUTED_TYPES = frozenset({"direct_quote", "indirect_quote", "interview_answer"})
"""Claim types that are somebody's words: with a speaker, they get the ``attributed`` feature."""
QUESTIONER_LINES = 3  # a speaker with at least this many sentences in a document ...
QUESTIONER_SHARE = 0.15  # ... of which at least this share are questions asks more than they claim

SHORT_WORDS = 4  # a text with fewer words than this gets the "short" feature


def _cues(listing: str) -> frozenset[str]:
    """A lexicon from a comma-separated listing; a multi-word cue keeps its single spaces ("due to")."""
    return frozenset(cue.strip() for cue in listing.split(","))


# --- Lexicons. Lower-case. A cue is matched on tokens (runs of letters), so a contraction is two tokens:
# "it's" is "it s", "don't" is "don t", "I'd" is "i d".

SPELLED_NUMBERS = _cues(
    "two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen, sixteen, "
    "seventeen, eighteen, nineteen, twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety, hundred, "
    "hundreds, thousand, thousands, million, millions, billion, billions, trillion, trillions, dozen, dozens"
)

MEASURE_WORDS = _cues(
    "percent, per cent, percentage point, percentage points, dollar, dollars, euro, euros, pound, pounds, "
    "sterling, rouble, roubles, ruble, rubles, yen, yuan, francs, cents, pence, hryvnia, usd, eur, gbp"
)

# A unit or magnitude counts when it follows a number directly, after one space or after a hyphen.
UNITS_AFTER_NUMBER = _cues(
    "bn, mn, tn, m, k, km, kms, kg, cm, mm, ft, lb, lbs, oz, mph, mw, gw, kw, kwh, gb, tb, million, billion, "
    "trillion, thousand, hundred, metre, metres, meter, meters, kilometre, kilometres, kilometer, kilometers, "
    "mile, miles, tonne, tonnes, ton, tons, litre, litres, liter, liters, barrel, barrels, acre, acres, hectare, "
    "hectares, degree, degrees, second, seconds, minute, minutes, hour, hours, day, days, week, weeks, month, "
    "months, year, years, decade, decades, points, people, troops, soldiers, votes, seats"
)

CURRENCY_SIGNS = frozenset("$£€¥₽₹")

MONTHS = _cues(
    "january, february, march, april, may, june, july, august, september, october, november, december, "
    "jan, feb, mar, apr, jun, jul, aug, sep, sept, oct, nov, dec"
)
WEEKDAYS = _cues("monday, tuesday, wednesday, thursday, friday, saturday, sunday")
# Capitalised month names that are also common words are a date only when they do not open a sentence or when
# a number follows ("May 25").
AMBIGUOUS_MONTHS = _cues("may, march, jan, mar, dec, sep, sept")

RELATIVE_DATES = _cues("ago, yesterday, decade, decades, century, centuries") | frozenset(
    f"{when} {period}"
    for when in ("last", "next", "this", "past")
    for period in ("week", "weekend", "month", "year", "years", "spring", "summer", "autumn", "fall", "winter")
)

HONORIFICS = _cues("mr, mrs, ms, dr, prof, sir, lord, lady, st")
# Lower-cased words before a "." that does not end a sentence.
ABBREVIATIONS = HONORIFICS | _cues("gen, col, lt, sgt, capt, maj, gov, sen, rep, rev, no, vs, jr, sr, inc, ltd, co")

COMPARATIVES = _cues(
    "more, less, fewer, than, more than, less than, fewer than, at least, at most, as many as, as much as, "
    "the most, the least, compared with, compared to, record, records, best, worst, least, largest, biggest, "
    "highest, lowest"
)

# Words in "-est" of six letters or more that are not superlatives.
NOT_SUPERLATIVES = _cues(
    "interest, honest, dishonest, protest, request, suggest, arrest, invest, forest, modest, immodest, contest, "
    "harvest, digest, conquest, manifest, earnest, detest, unrest, behest, tempest, inquest, divest, ingest, "
    "attest, pretest, midwest, northwest, southwest, bequest, congest, infest, molest"
)

CHANGE_CAUSE = _cues(
    "because, due to, led to, lead to, leads to, leading to, caused, causes, cause, owing to, as a result, "
    "result of, resulted, therefore, rose, risen, rise, rises, fell, fallen, falls, cut, cuts, cutting, doubled, "
    "is up, are up, was up, were up, went up, gone up, is down, are down, was down, were down, went down, "
    "gone down, "
    "tripled, halved, increase, increased, increases, increasing, decrease, decreased, decreases, declined, "
    "decline, dropped, jumped, slumped, slump, surged, soared, plunged, grew, grown, growth, boosted, reduced, "
    "raised, lowered, expanded, shrank, climbed, gained, lost, ended, removed, reversed"
)

QUANTIFIERS = _cues("all, every, each, most, majority, minority, half, none, only, both, entire")

RECORD_VERBS = _cues(
    "signed, annexed, deployed, suspended, agreed, voted, approved, announced, launched, negotiated, elected, "
    "appointed, resigned, invaded, ratified, banned, imposed, withdrew, withdrawn, adopted, passed, met, visited, "
    "won, killed, arrested, sentenced, charged, fined, convicted, acquired, bought, sold, founded, established, "
    "reached, ruled, vetoed, sanctioned, expelled, attacked, captured, reported, published, recognised, "
    "recognized, joined, hosted, paid, spent, owns, owned, restate, restated, occupied, seized, fired"
)

ECONOMY = _cues(
    "money, spend, spending, budget, budgets, tax, taxes, taxpayers, cost, costs, funding, revenue, revenues, "
    "profit, profits, loss, losses, debt, deficit, gdp, economy, inflation, unemployment, jobs, wages, salaries, "
    "prices, price, sales, investment, investments, subsidies, pension, pensions"
)

HEDGES = _cues(
    "think, believe, hope, hopes, hoping, feel, guess, suppose, probably, maybe, perhaps, might, apparently, "
    "seems, seem, wish, in my view, in my opinion, would like, i d like, i understand"
)

# "I", "me", "my": the speaker talks about themselves (their record, their family, their feelings).
FIRST_PERSON = _cues("i, me, my, mine, myself")

# The speaker's own pledge or plan, "I" or "we" and the future: nothing has happened yet to check.
PLEDGES = frozenset(
    f"{who} {future}"
    for who, futures in (
        ("i", ("will", "ll", "am going to", "m going to")),
        ("we", ("will", "ll", "are going to", "re going to")),
    )
    for future in (*futures, "want to", "intend to", "plan to")
)

NORMATIVES = _cues("should, must, need, needs, ought, have to, has to")

EVALUATIVES = _cues(
    "important, necessary, essential, crucial, vital, difficult, easy, good, bad, right, wrong, possible"
)

PLEASANTRIES = _cues(
    "thank, thanks, welcome, glad, nice, pleased, please, dear, grateful, congratulations, congratulate, "
    "delighted, pleasure, appreciate, honoured, honored"
)

IMPERATIVE_OPENERS = _cues(
    "sign up, subscribe, support, donate, join, click, read, share, follow, visit, contact, leave, remind, "
    "continue, register, download, watch, listen, buy, get, help, imagine, consider, remember, check, try, tell, "
    "let s, let us, don t, do not, never, please"
)

# The lexicon behind each lexical feature.
LEXICONS: dict[str, frozenset[str]] = {
    "number": SPELLED_NUMBERS,
    "measure": MEASURE_WORDS,
    "date": RELATIVE_DATES,
    "comparative": COMPARATIVES,
    "change_cause": CHANGE_CAUSE,
    "quantifier": QUANTIFIERS,
    "record_verb": RECORD_VERBS,
    "economy": ECONOMY,
    "hedge": HEDGES,
    "first_person": FIRST_PERSON,
    "pledge": PLEDGES,
    "normative": NORMATIVES,
    "evaluative": EVALUATIVES,
    "pleasantry": PLEASANTRIES,
}

# --- Tokenisation.

# A number (digits with inner dots and commas), a run of letters, or one currency or percent sign. Each branch
# is a single greedy character class with nothing after it, so a match never backtracks.
_TOKEN_RE = re.compile(r"(\d[\d.,]*)|([^\W\d_]+)|([%$£€¥₽₹])")
# A character in the gap before a word that makes the word open a sentence.
_SENTENCE_BREAK_RE = re.compile(r"[.!?:;\n“«‘]")
_SPACE_RE = re.compile(r"\s")
# Closing material stripped before testing for a final "?".
_TRAILING = " \t\r\n\u00a0\"'”’»)]}"
# Gaps that join two entity words into one name ("Gazeta Wyborcza", "Russia-NATO", "U.S.").
_NAME_JOINS = frozenset(["", " ", "-", ".", "\u00a0"])
# Gaps between a number and its unit, or a currency sign and its number ("$2", "60m", "9 months", "25-year").
_UNIT_JOINS = frozenset(["", " ", "-", "\u00a0"])

_NUM, _WORD, _SYM = 0, 1, 2


class _Tokens(NamedTuple):
    """The tokens of a text as parallel lists (no object per token: this loop runs for every claim)."""

    kinds: list[int]
    texts: list[str]
    starts: list[int]
    ends: list[int]


def _tokens(text: str) -> _Tokens:
    kinds: list[int] = []
    texts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastindex - 1  # type: ignore[operator]  # the branch that matched: _NUM, _WORD or _SYM
        value = match.group()
        start = match.start()
        if kind == _NUM:
            value = value.rstrip(".,")
        kinds.append(kind)
        texts.append(value)
        starts.append(start)
        ends.append(start + len(value))
    return _Tokens(kinds, texts, starts, ends)


def _cue_index() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """First word -> the (feature, cue words) starting with it, longest cue first."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for feature, lexicon in LEXICONS.items():
        for cue in lexicon:
            words = tuple(cue.split(" "))
            index.setdefault(words[0], []).append((feature, words))
    return {first: tuple(sorted(cues, key=lambda cue: (-len(cue[1]), cue[0], cue[1]))) for first, cues in index.items()}


_CUE_INDEX = _cue_index()
_OPENERS = tuple(sorted(tuple(cue.split(" ")) for cue in IMPERATIVE_OPENERS))
_OPENERS_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _opener in _OPENERS:
    _OPENERS_BY_FIRST[_opener[0]] = (*_OPENERS_BY_FIRST.get(_opener[0], ()), _opener)
_CALENDAR = WEEKDAYS | MONTHS


def _count_cues(lower: list[str]) -> dict[str, int]:
    """Hits per lexical feature: left to right, longest cue first, no two hits of one feature overlapping."""
    hits = dict.fromkeys(LEXICONS, 0)
    free = dict.fromkeys(LEXICONS, 0)  # the first token a new hit of the feature may start at
    index = _CUE_INDEX
    for i, word in enumerate(lower):
        cues = index.get(word)
        if cues is None:
            continue
        for feature, words in cues:
            size = len(words)
            if i >= free[feature] and (size == 1 or tuple(lower[i : i + size]) == words):
                hits[feature] += 1
                free[feature] = i + size
    return hits


def _opens_sentence(text: str, tokens: _Tokens, k: int, gap: str) -> bool:
    """Whether token ``k`` starts a sentence; ``gap`` is the text between it and the token before."""
    if k == 0:
        return True
    if gap and gap[-1] in "\"'":  # an opening straight quote right before the word
        return True
    if not _SENTENCE_BREAK_RE.search(gap):
        return False
    # "Mr. Putin", "U.S. Navy": a dot after an abbreviation or a single letter does not end a sentence.
    prev = tokens.texts[k - 1]
    after_abbreviation = tokens.kinds[k - 1] == _WORD and (prev.lower() in ABBREVIATIONS or len(prev) == 1)
    return not (after_abbreviation and gap.strip() == ".")


def _is_year(value: str) -> bool:
    return len(value) == 4 and value.isdecimal() and 1800 <= int(value) <= 2099


def _has_space(gap: str) -> bool:
    return gap == " " or (gap != "" and _SPACE_RE.search(gap) is not None)


def _feature_counts(text: str) -> dict[str, int]:
    """Raw hit counts of every feature (before caps and weights)."""
    tokens = _tokens(text)
    kinds, texts, starts, ends = tokens
    lower = [value.lower() for value in texts]
    counts = _count_cues(lower)
    entity_runs = 0
    words = 0
    prev_entity = False
    last = len(texts) - 1
    for k, kind in enumerate(kinds):
        value = texts[k]
        gap = text[ends[k - 1] : starts[k]] if k else ""
        if kind != _SYM and (k == 0 or _has_space(gap)):
            words += 1
        entity = False
        if kind == _NUM:
            if _is_year(value):
                counts["date"] += 1  # "2014", and "1990s" (the "s" is a separate word token)
            else:
                counts["number"] += 1
                if k < last and kinds[k + 1] == _WORD and text[ends[k] : starts[k + 1]] in _UNIT_JOINS:
                    counts["measure"] += int(lower[k + 1] in UNITS_AFTER_NUMBER)
        elif kind == _SYM:
            if value == "%" or (k < last and kinds[k + 1] == _NUM and text[ends[k] : starts[k + 1]] in _UNIT_JOINS):
                counts["measure"] += 1
        else:
            word = lower[k]
            capitalised = value[0].isupper()
            if len(word) >= 6 and word.endswith("est") and word not in NOT_SUPERLATIVES and word not in COMPARATIVES:
                counts["comparative"] += 1
            if capitalised and word in _CALENDAR:
                ambiguous = word in AMBIGUOUS_MONTHS and _opens_sentence(text, tokens, k, gap)
                if not ambiguous or (k < last and kinds[k + 1] == _NUM):
                    counts["date"] += 1
            elif len(value) >= 2 and value.isupper():
                entity = True  # an acronym, wherever it stands: NATO, TASS, AOL
            elif len(value) == 1:
                # an initial such as the U and S of "U.S.", never "I" or "A"
                entity = capitalised and word not in ("i", "a") and text[ends[k] : ends[k] + 1] == "."
            elif capitalised and word not in HONORIFICS:
                entity = not _opens_sentence(text, tokens, k, gap)
        if entity and not (prev_entity and gap in _NAME_JOINS):
            entity_runs += 1
        prev_entity = entity
    counts["entity"] = entity_runs
    counts["short"] = int(words < SHORT_WORDS)
    counts["question"] = int(is_question(text))
    opens_with_verb = bool(kinds) and kinds[0] == _WORD
    openers = _OPENERS_BY_FIRST.get(lower[0], ()) if opens_with_verb else ()
    counts["imperative"] = int(any(tuple(lower[: len(cue)]) == cue for cue in openers))
    return counts


def worthiness_features(text: str, *, attributed: bool = False, questioner: bool = False) -> dict[str, float]:
    """The terms of the logit: ``"bias"``, then one entry per row of :data:`WORTHINESS_FEATURES`, in order.

    Each entry is ``weight * min(hits, cap)``; a feature with no hit contributes ``0.0``. The score is the
    logistic of the sum of all entries (see :func:`check_worthiness`). ``attributed``: the text is somebody's
    words (a quote, reported speech or an answer with its speaker); ``questioner``: its speaker mostly asks in
    this document (see :func:`questioners`).
    """
    counts = _feature_counts(text)
    counts["attributed"], counts["questioner"] = int(attributed), int(questioner)
    terms = {"bias": BIAS}
    for feature in WORTHINESS_FEATURES:
        hits = min(counts[feature.name], feature.cap)
        terms[feature.name] = feature.weight * hits if hits else 0.0
    return terms


def check_worthiness(text: str, *, attributed: bool = False, questioner: bool = False) -> float:
    """Check-worthiness of ``text`` in [0, 1], rounded to 3 decimals: the logistic of the sum of
    :func:`worthiness_features`.

    Pure and deterministic; time is linear in ``len(text)``.
    """
    return score_of(worthiness_features(text, attributed=attributed, questioner=questioner))


def score_of(terms: dict[str, float]) -> float:
    """The score the terms of :func:`worthiness_features` give: the logistic of their sum, to 3 decimals."""
    return round(1.0 / (1.0 + math.exp(-math.fsum(terms.values()))), 3)


def is_question(text: str) -> bool:
    """Whether ``text`` ends with a question mark (closing quotes and brackets after it ignored)."""
    return text.rstrip(_TRAILING).endswith("?")


def questioners(lines: Iterable[tuple[str | None, str]]) -> frozenset[str]:
    """The speakers of one document (``(speaker, text)`` of each sentence or claim) who ask more than they claim:
    at least :data:`QUESTIONER_LINES` of their lines, :data:`QUESTIONER_SHARE` of them questions (a moderator,
    an interviewer)."""
    asked: dict[str, list[int]] = {}
    for speaker, text in lines:
        if speaker is not None:
            tally = asked.setdefault(speaker, [0, 0])
            tally[0] += is_question(text)
            tally[1] += 1
    return frozenset(
        speaker
        for speaker, (questions, total) in asked.items()
        if total >= QUESTIONER_LINES and questions >= QUESTIONER_SHARE * total
    )


def document_features(lines: Sequence[tuple[str, str | None, str | None]]) -> list[dict[str, float]]:
    """The :func:`worthiness_features` of one document's sentences or claims, ``(text, speaker, claim_type)``
    each: the text's own, plus who says it (``attributed`` when a speaker is given and the type, if given, is
    somebody's words; ``questioner`` from :func:`questioners` over the document)."""
    asking = questioners((speaker, text) for text, speaker, _ in lines)
    return [
        worthiness_features(
            text,
            attributed=speaker is not None and (claim_type is None or claim_type in ATTRIBUTED_TYPES),
            questioner=speaker is not None and speaker in asking,
        )
        for text, speaker, claim_type in lines
    ]


def score_document(lines: Sequence[tuple[str, str | None, str | None]]) -> list[float]:
    """The scores of one document's sentences or claims (see :func:`document_features`)."""
    return [score_of(terms) for terms in document_features(lines)]
