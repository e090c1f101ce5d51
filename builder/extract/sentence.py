"""One sentence as the attribution grammar reads it: its tokens, the words at an index, and the spans between.

:class:`Sentence` holds a sentence of the masked view (:mod:`.tokens`: a quotation is one opaque token) and answers
questions about its words alone, never about who says what: the word at an index, the raw span of a run of tokens
(:meth:`Sentence.content`, cut where an attribution of its own starts), and the index past an adverb, a noun
phrase, an addressee or a run of adjuncts. The clause-level questions are in :mod:`.clauses` and the decisions,
which cue attributes which content to which speaker, in :mod:`.attribution`.

Why apart from :mod:`.attribution`: the grammar's shapes ask these questions all the time, and kept with the
decisions they hid which state a decision reads; here a question takes its arguments and returns its answer.
"""

from __future__ import annotations

from builder.extract.lexicon import AUXILIARIES, lookup
from builder.extract.mentions import DETERMINERS, TIME_WORDS
from builder.extract.tokens import MARK, QUOTED, WORD, tokenize
from builder.extract.verbs import FINITE

# Frames of a verb that reports a clause: with a subject of its own after "and"/"but", such a verb starts a report
# of its own ("rates will fall, but Kowal thinks they will rise"); words after which it reports none.
_CLAUSE_FRAMES = frozenset({"that", "bare"})
_NOT_A_CLAUSE = frozenset({"of", "about", "for", "by", "in", "on", "at", "with", "to", "up", "out", "over"})
_SUBJECT_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
# Determiners that open a clause's subject after a prepositional phrase ("in a statement the plant …"); not "one",
# "all" or numbers, which end phrases too ("in the first of two").
_CLAUSE_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its", "their", "our"})
# Words after which a determiner or pronoun still belongs to the phrase: "in the wake of the crash", "with him".
_PHRASE_LINKS = frozenset(
    "of for in on at by with from to into about over under after before against among between than as and or amid "
    "behind beyond despite down near off through toward towards up within across around along inside outside "
    "without via per like during since until including".split()
)

__all__ = ["ADJUNCT_PREPOSITIONS", "FINAL", "MAX_ADJUNCT", "WH", "Sentence"]

WH = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", "which"})
ADJUNCT_PREPOSITIONS = frozenset(
    {"in", "on", "at", "during", "after", "before", "of", "via", "through", "with", "from", "while", "when",
     "to", "about", "over", "outside", "inside", "ahead", "following", "for", "by", "earlier", "last", "this",
     "late", "early", "again", "later", "recently", "repeatedly", "privately", "publicly", "flatly", "bluntly"}
)  # fmt: skip
FINAL = " .;:,!?…"
"""Characters trimmed off a content's end: the sentence's final punctuation and the space before it."""
MAX_ADJUNCT = 20
"""Tokens a noun phrase or an adjunct may run to: every scan is bounded, so the work per cue is constant."""
_DASHES = frozenset({"—", "–", "--", "-"})
_CONCESSIVE = frozenset({"although", "though", "whereas"})


class Sentence:
    """The tokens of the sentence ``[start, end)`` of the masked view (raw offsets into ``view``)."""

    def __init__(self, view: str, masked: str, start: int, end: int) -> None:
        self.view = view
        self.masked = masked
        self.start = start
        self.end = end
        self.tokens = tokenize(masked, start, end)
        self.count = len(self.tokens)
        self.token_index = {token.start: index for index, token in enumerate(self.tokens)}  # raw offset → index
        # tail_after's answers by first token: content() asks the same of every piece it cuts.
        self._tails: dict[int, int | None] = {}

    def low(self, index: int) -> str:
        return self.tokens[index].lower if 0 <= index < self.count else ""

    def text(self, index: int) -> str:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else ""

    def index_at(self, position: int) -> int:
        return self.token_index[position]

    def index_after(self, position: int) -> int:
        for index, token in enumerate(self.tokens):
            if token.start >= position:
                return index
        return len(self.tokens)

    def content(self, first: int, last: int | None = None, stop: int | None = None) -> tuple[int, int] | None:
        """The raw span of tokens ``first..last`` (to the sentence end when ``last`` is None), edges trimmed.

        Running to the sentence end, it stops before a final ", according to …" (the source of the whole report),
        and before the raw offset ``stop`` if one is given (where an opening adverbial holding the cue ends:
        :func:`~builder.extract.clauses.adverbial_end`).
        """
        if first >= len(self.tokens) or (last is not None and last < first):
            return None
        start = self.tokens[first].start
        if last is None:
            tail = self.tail_after(first)
            if tail is not None:
                last = tail - 1
                while last > first and (self.text(last) == "," or self.text(last) in _DASHES):
                    last -= 1
            if stop is not None:
                bound = next((i for i in range(first, len(self.tokens)) if self.tokens[i].start >= stop), None)
                if bound is not None and bound > first and (last is None or bound - 1 < last):
                    last = bound - 1
        end = self.tokens[last].end if last is not None else self.end
        while end > start and self.view[end - 1] in FINAL:
            end -= 1
        while start < end and self.view[start] in " ,:;":
            start += 1
        if start >= end:
            return None
        span_tokens = [t for t in self.tokens if start <= t.start < end]
        if not any(t.kind in (WORD, QUOTED) for t in span_tokens):
            return None
        return start, end

    def tail_after(self, first: int) -> int | None:
        """The first index after ``first`` where an attribution of its own starts (see :meth:`attribution_tail`)."""
        if first not in self._tails:
            self._tails[first] = next((i for i in range(first + 1, self.count - 1) if self.attribution_tail(i)), None)
        return self._tails[first]

    def attribution_tail(self, index: int) -> bool:
        """Content ends before ``index``: ``, according to …`` · ``, saying …`` · ``and called it …`` ·
        ``, but Trump said …``: an attribution of its own starts there."""
        if self.tokens[index].kind != WORD:
            return False
        if self.text(index - 1) == "," and self.low(index) in _CONCESSIVE:
            return True  # "…was its biggest yet, although it may take days": the report ends at the concession
        if self.low(index) in {"and", "but", "while", "whereas"}:
            next_cue = lookup(self.text(index + 1)) if self.tokens[index + 1].kind == WORD else None
            if next_cue is not None and next_cue.participle:
                return True  # "…, but suggesting that …", "while emphasizing …": another report hangs off the clause
            reach = range(index + 1, min(len(self.tokens), index + 7))
            return any(self.tokens[i].kind == WORD and self.is_verb_cue(i) for i in reach) or any(
                self.reports_clause(i) for i in range(index + 2, min(len(self.tokens), index + 6))
            )
        if self.text(index - 1) in _DASHES:
            cue = lookup(self.text(index))
            return cue is not None and cue.participle  # "… nothing for granted - warning that …"
        comma_in_quote = self.tokens[index - 1].kind == MARK and self.text(index - 2) == ","  # 'ever made," adding'
        if self.text(index - 1) != "," and not comma_in_quote:
            return False
        if self.low(index) == "according" and self.low(index + 1) == "to":
            return True
        cue = lookup(self.text(index))
        if cue is None:
            return False
        if cue.participle:
            return True
        # "Graham, who says …, tweeted that …": the main verb of the sentence ends the relative clause's content.
        after = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        return after is not None and (after.kind == MARK or after.lower == "that" or after.text == ":")

    def reports_clause(self, index: int) -> bool:
        """A verb of thinking or saying with a subject of its own before it, reporting a clause after it: "(but
        Kowal) thinks they will rise"; not "was found nearby" or "thought of the days"."""
        cue = lookup(self.text(index))
        if cue is None or cue.participle or self.low(index) == cue.lemma or not cue.frames & _CLAUSE_FRAMES:
            return False
        before, after = self.low(index - 1), self.low(index + 1)
        return self.tokens[index - 1].kind == WORD and before not in AUXILIARIES and after not in _NOT_A_CLAUSE

    def is_verb_cue(self, index: int) -> bool:
        """A past or present verb of saying ("said", "called", "adds"), not a participle or a base form."""
        cue = lookup(self.text(index))
        low = self.low(index)
        return cue is not None and not cue.participle and low != cue.lemma and bool(cue.frames & {"quote", "np"})

    def adverb(self, index: int) -> bool:
        """An "-ly" adverb ("repeatedly"), not a noun ("the family", "a rally")."""
        token = self.tokens[index]
        return (
            token.kind == WORD
            and token.lower.endswith("ly")
            and not token.capitalised
            and len(token.text) > 4
            and self.low(index - 1) not in DETERMINERS
            and not self.low(index - 1).endswith(("'s", "’s"))
        )

    def skip_phrase(self, index: int) -> int:
        """Past a noun phrase starting at ``index`` (determiners, words, inner "of"/"for"…), bounded. It ends where
        a clause's subject starts: a subject pronoun, or a determiner not right after a preposition ("said in a
        statement the plant would close", "said on Tuesday it would close")."""
        start = index
        limit = min(len(self.tokens), index + MAX_ADJUNCT)
        while index < limit and self.tokens[index].kind == WORD:
            low = self.low(index)
            if low in {"that", "who", "which", "whether", "if"}:
                break
            subject = low in _SUBJECT_PRONOUNS or low in _CLAUSE_DETERMINERS
            if index > start and subject and self.low(index - 1) not in _PHRASE_LINKS:
                break
            index += 1
        return index

    def skip_object(self, index: int) -> int:
        """Past an addressee ("reporters", "Bloomberg News", "the New York Times"): it ends before an adjunct."""
        limit = min(len(self.tokens), index + MAX_ADJUNCT)
        start = index
        while index < limit and self.tokens[index].kind == WORD:
            low = self.low(index)
            if low in {"that", "who", "which", "whom"} or low in WH or low in TIME_WORDS:
                break
            if index > start and low in ADJUNCT_PREPOSITIONS and low != "of":
                break
            if index > start and low in DETERMINERS:
                break  # "told Reuters the 10 had agreed": a new noun phrase is the clause
            if index > start and (low in FINITE or low in AUXILIARIES or low in _SUBJECT_PRONOUNS):
                # "told a news conference inflation was easing" · "told the AP he was": the verb's subject is the
                # last word before it, or the pronoun
                kept = range(start, index - 1)
                if low in _SUBJECT_PRONOUNS or not any(self.low(i) not in DETERMINERS for i in kept):
                    return index
                return index - 1
            index += 1
        return index

    def skip_adjuncts(self, index: int, infinitive: bool = False) -> tuple[int, bool]:
        """Past adjuncts after a cue: times ("Tuesday", "last week"), prepositional phrases, adverbs; not the "to"
        of an ``infinitive``. Also whether one of them names a topic ("said of the plan"): then what follows is
        no bare clause."""
        topic = False
        guard = 0
        while index < len(self.tokens) and guard < 8:
            guard += 1
            low = self.low(index)
            if low in TIME_WORDS or (low.endswith("ly") and self.tokens[index].kind == WORD and low not in {"only"}):
                index += 1
                if self.text(index)[:1].isdigit() and len(self.text(index)) <= 4:
                    index += 1  # "on May 25", "Dec. 3"
                continue
            if self.text(index) == "," and self.low(index + 1) == "that":
                return index + 1, topic  # "said in Oslo, that …"
            if self.text(index) == "," and self.low(index + 1) in ADJUNCT_PREPOSITIONS:
                closing = next(
                    (i for i in range(index + 2, min(len(self.tokens), index + 14)) if self.text(i) == ","), None
                )
                if closing is not None and self.low(closing + 1) in {"that", "whether", "if"}:
                    index = closing + 1  # "said, with the benefit of hindsight, that …"
                    continue
            if low in ADJUNCT_PREPOSITIONS and self.tokens[index].kind == WORD and not (low == "to" and infinitive):
                nxt = index + 1
                if self.low(nxt) in {"that", "whether", "if"} or self.text(nxt) in {",", ":"}:
                    return (nxt if low in {"earlier", "later", "again", "recently"} else index), topic
                index = self.skip_phrase(nxt)
                if low in {"of", "about"}:
                    topic = True  # "said of the plan": what follows is no bare clause
                continue
            break
        return index, topic
