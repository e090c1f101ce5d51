"""Attribution: in one sentence, who says (or thinks, or shows) what; the cue, the speaker mention, the content.

Read over the tokens of the masked view (a quotation is one opaque token), for every cue of the lexicon
(:mod:`.lexicon`), in these shapes (``S`` a speaker mention, :mod:`.mentions`; ``…`` the content):

* content after the cue: ``S CUE (that) …`` · ``S CUE: …`` · ``S CUE, "…"`` · ``S told NP (that) …`` ·
  ``S CUE whether …`` · ``S called NP "…"`` (a noun phrase counts only with quoted words in it); adjuncts may
  stand before the content ("said in a statement on Monday that", "said Tuesday the …");
* content before the cue (fronted): ``…, S CUE.`` · ``…, CUE S.`` · ``"…" S CUE.``; only adjuncts, an
  addressee or appositions may follow the speaker;
* parenthetical: ``…, S CUE, …`` (two pieces of one content);
* hanging off a clause: ``S did X, saying (that) …`` · ``S did X and said …``: the speaker is the clause's subject;
* ``According to NP, …`` · ``…, according to NP.`` · ``…, according to NP, …``;
* ``S CUE:`` closing a paragraph: the content is the quotation opening the next one (``open`` is True).

The content runs to the end of the sentence, without the final punctuation (a closing quotation mark stays), and
never holds the speaker or the cue. A cue inside an earlier attribution's content is not read again.

Why one long module: these shapes are one grammar over one sentence's tokens; its methods share the tokens, the
cues found so far and the content limits, and most shapes call the others (a parenthetical is a fronted content
plus a tail, a tail ends where another attribution starts). Split by shape, every part would need all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.lexicon import ADVERBS, AUXILIARIES, Cue, cue_pattern, lookup
from builder.extract.mentions import (
    DETERMINERS,
    PRONOUNS,
    TIME_WORDS,
    Mention,
    mention_after,
    subject_before,
)
from builder.extract.names import GROUP_NOUNS
from builder.extract.tokens import MARK, PUNCT, QUOTED, WORD, tokenize
from builder.extract.verbs import BASE_FORMS, CONTRACTIONS, FINITE, finite
from builder.text import trim

__all__ = ["Attribution", "find_attributions"]

_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})
_PARTICIPLES = frozenset({"told", "said", "known", "shown", "found", "thought", "written", "sworn", "felt"})
_WH = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", "which"})
_ADJUNCT_PREPOSITIONS = frozenset(
    {"in", "on", "at", "during", "after", "before", "of", "via", "through", "with", "from", "while", "when",
     "to", "about", "over", "outside", "inside", "ahead", "following", "for", "by", "earlier", "last", "this",
     "late", "early", "again", "later", "recently", "repeatedly", "privately", "publicly", "flatly", "bluntly"}
)  # fmt: skip
_CLAUSE_OPENERS = frozenset(DETERMINERS | PRONOUNS | {"there", "it's", "he's", "she's", "they're", "we're", "i'm"})
_SEPARATORS = frozenset({",", "—", "–", "--", ":", ";", "-"})
_DASHES = frozenset({"—", "–", "--", "-"})
_FINAL = " .;:,!?…"
_TIME_LEADS = frozenset({"on", "last", "this", "next", "early", "late", "earlier", "later"})
# "said" and "told" introduce a clause whatever its shape; other bare verbs need a finite verb to show one.
_SAY = frozenset({"say", "tell"})
_NO_CLAUSE = frozenset(
    "yes no nothing something anything everything so goodbye hello thanks little much otherwise sorry as things".split()
)
# Plural without an -s, or a quantity: "the women say", "42% say", "six in 10 say", "many said".
_PLURALS = frozenset(
    "people police media staff women men children public majority minority half many most some few all both "
    "others percent".split()
)
_CONCESSIVE = frozenset({"although", "though", "whereas"})
_HEAD_ENDS = frozenset({"of", "in", "at", "from", "for", "with", "on", "close", "to", "who", "that", "which"})
_INNER_PREPOSITIONS = frozenset({"in", "of", "by", "for", "with", "on", "at", "under", "after"})
_RAISING = frozenset(
    "appear appears appeared seem seems seemed continue continues continued begin begins began start starts "
    "started try tries tried tend tends tended refuse refuses refused decline declines declined "
    "quick eager willing ready keen happy able unable reluctant likely unlikely careful".split()
)
# "Sanders: …", "Sen. Elizabeth Warren: …", "Poll: …": a short capitalised label, then a colon.
_LABEL = re.compile(r"(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?P<colon>:) +(?=\S)")
_NOT_SPEAKERS = frozenset(
    "note update correction clarification editor's note photo source sources watch listen video caption disclaimer "
    "warning abstract full text related read more also see follow us subscribe advertisement ps p.s. q a question "
    "answer bottom line why what how who where when background the latest live updates".split()
)
_GO = frozenset({"go", "goes", "went", "going", "gone"})
# Bare forms that are also past tenses: "it read", "the email read".
_PAST_AS_BARE = frozenset({"read", "put", "set", "cut", "let"})
_TOPIC_ENDS = frozenset("after before when since although though until unless whereas during amid despite".split())
_CLAUSE_LINKS = frozenset(
    "and or but so because although though while if when since as that than whether where after before until once "
    "also still then now even just only not".split()
)
_SUBORDINATING = frozenset("when while although though because if unless whereas once until".split())
_ADVERBIAL_OPENERS = frozenset(
    "in on at for after before when while as although though because since if despite during with without by "
    "under following unlike like amid asked once until whether".split()
)
_NOT_TOPIC = frozenset({"to", "that", "it", "them", "him", "this", "so", "up", "out", "back", "down", "off"})
_NO_CUE = Cue("", frozenset(), participle=False)
_SUBORDINATORS = frozenset(
    {"after", "before", "when", "while", "as", "because", "since", "although", "though", "until", "if", "once",
     "following", "amid", "despite", "even", "just", "but", "and", "so"}
)  # fmt: skip
_MAX_ADJUNCT = 20
_BARE_REACH = 10


@dataclass(frozen=True, slots=True)
class Attribution:
    """A cue span, the speaker mention it attaches to (if any), and the content: one piece, two around a
    parenthetical attribution, or none: ``open`` (``S said:`` ending a paragraph: the content opens the next)
    or a sentence that is only ``S said.`` (its content is the quotation before it)."""

    cue: tuple[int, int]
    speaker: Mention | None
    content: tuple[tuple[int, int], ...]
    lemma: str
    medium: str | None = None
    open: bool = False


def find_attributions(
    view: str,
    masked: str,
    start: int,
    end: int,
    opens_paragraph: bool = False,
    cues: list[tuple[int, int]] | None = None,
) -> list[Attribution]:
    """Every attribution of the sentence ``[start, end)`` (raw offsets, masked view), in text order; ``cues``: the
    spans of the lexicon's cues in it, when the caller found them already (:meth:`Document.cues_between`).

    A question ("Can you tell us what is at stake?") attributes nothing; a quoted question still has its cue. A
    paragraph opening with a speaker's label ("Sanders: Clinton needs to …", "Poll: Clinton leads") attributes
    the rest of its sentence to that speaker, the colon being the cue.
    """
    if masked[start:end].rstrip(" )]").endswith("?"):
        return []
    label = _LABEL.match(masked, start, end) if opens_paragraph else None
    if label is not None and label.group("name").lower() not in _NOT_SPEAKERS:
        content = trim(view, label.end(), end)
        while content[1] > content[0] and view[content[1] - 1] in _FINAL:
            content = (content[0], content[1] - 1)
        if len(view[content[0] : content[1]].split()) >= 2:
            name = label.span("name")
            speaker = Mention(*name, "name", name)
            return [Attribution(label.span("colon"), speaker, (content,), ":")]
    if cues is None:
        cues = [found.span() for found in cue_pattern().finditer(masked, start, end)]
    if not cues:
        return []
    return _Sentence(view, masked, start, end, cues).attributions()


class _Sentence:
    def __init__(self, view: str, masked: str, start: int, end: int, cues: list[tuple[int, int]]) -> None:
        self.view = view
        self.start = start
        self.end = end
        self.tokens = tokenize(masked, start, end)
        self.count = len(self.tokens)
        self._tails: dict[int, int | None] = {}
        self.at = {token.start: index for index, token in enumerate(self.tokens)}
        self.masked = masked
        self.cues = cues
        self.found: list[Attribution] = []
        self.topic = False
        self.adverbial = self.fronted_adverbial()
        self.limit: int | None = None

    def fronted_adverbial(self) -> int | None:
        """The token index after which a sentence-opening adverbial stands ("For someone who conceded that …,
        Clinton had"), when the sentence opens with a preposition or a subordinator; else None."""
        opener = 0
        while opener < len(self.tokens) and self.tokens[opener].lower in {"and", "but", "so", "yet"}:
            opener += 1
        if opener >= len(self.tokens) or self.tokens[opener].lower not in _ADVERBIAL_OPENERS:
            return None
        return opener

    def adverbial_end(self, subject_first: int, cue_last: int) -> int | None:
        """When the cue and its subject stand inside the opening adverbial (no comma between the adverbial's opener
        and the subject), the raw offset where the adverbial ends: the first comma after the cue."""
        if self.adverbial is None or subject_first < self.adverbial:
            return None
        # "When the director, James Comey, said …,": a subordinator's clause runs to its verb, whatever commas
        # stand in its subject; a preposition's phrase ("In an interview, he said") ends at its first comma.
        subordinate = self.low(self.adverbial) in _SUBORDINATING
        depth = 0
        for index in range(self.adverbial + 1, len(self.tokens)):
            token = self.tokens[index]
            if token.kind == MARK:
                depth ^= 1
            elif token.text == "," and depth == 0:
                if index < subject_first and not subordinate:
                    return None
                if index > cue_last:
                    return token.start
        return None

    # -- helpers over tokens ---------------------------------------------------------------------------------
    def low(self, index: int) -> str:
        return self.tokens[index].lower if 0 <= index < self.count else ""

    def text(self, index: int) -> str:
        return self.tokens[index].text if 0 <= index < len(self.tokens) else ""

    def index_at(self, position: int) -> int:
        return self.at[position]

    def content(self, first: int, last: int | None = None) -> tuple[int, int] | None:
        """The raw span of tokens ``first..last`` (to the sentence end when ``last`` is None), edges trimmed.

        Running to the sentence end, it stops before a final ", according to …" (the source of the whole report).
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
            if self.limit is not None:
                bound = next((i for i in range(first, len(self.tokens)) if self.tokens[i].start >= self.limit), None)
                if bound is not None and bound > first and (last is None or bound - 1 < last):
                    last = bound - 1
        end = self.tokens[last].end if last is not None else self.end
        while end > start and self.view[end - 1] in _FINAL:
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
            return any(self.tokens[i].kind == WORD and self.is_verb_cue(i) for i in reach)
        if self.text(index - 1) in _DASHES:
            cue = lookup(self.text(index))
            return cue is not None and cue.participle  # "… nothing for granted - warning that …"
        if self.text(index - 1) != ",":
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

    def is_verb_cue(self, index: int) -> bool:
        """A past or present verb of saying ("said", "called", "adds"), not a participle or a base form."""
        cue = lookup(self.text(index))
        low = self.low(index)
        return cue is not None and not cue.participle and low != cue.lemma and bool(cue.frames & {"quote", "np"})

    def inside_found(self, position: int) -> bool:
        return any(s <= position < e for found in self.found for s, e in found.content)

    # -- the attributions -------------------------------------------------------------------------------------
    def attributions(self) -> list[Attribution]:
        # An attribution closing the sentence ("…, he said.") holds everything before it, so read those first,
        # from the right; then the others from the left, skipping cues inside content already found.
        done: set[int] = set()
        for span in reversed(self.cues):
            found = self.parse(span)
            if found is not None and found.content and found.content[-1][1] <= found.cue[0]:
                self.found.append(found)
                done.add(span[0])
        for span in self.cues:
            if span[0] in done:
                continue
            found = self.parse(span)
            if found is not None:
                self.found.append(found)
                done.add(span[0])
        # A report inside a report ("X said officials told him the plan had failed") is an attribution too.
        outer = list(self.found)
        for span in self.cues:
            if span[0] in done or span[0] not in self.at:
                continue
            self.found, kept = [], self.found
            found = self.parse(span)
            self.found = kept
            hosted = (lookup(self.masked[span[0] : span[1]]) or _NO_CUE).participle
            # Only with a subject of its own: a nested "wanting to" or a subjectless "accept" is no report.
            subject = found is not None and found.speaker is not None and found.speaker.start < found.cue[0]
            after = found is not None and bool(found.content) and found.content[0][0] > found.cue[0]
            if (
                found is not None
                and subject
                and not hosted
                and after
                and any(s <= found.cue[0] < e for attribution in outer for s, e in attribution.content)
            ):
                self.found.append(found)
        self.found.sort(key=lambda found: found.cue)
        return self.found

    def parse(self, span: tuple[int, int]) -> Attribution | None:
        self.limit = None
        if span[0] not in self.at or self.inside_found(span[0]):
            return None
        form = self.masked[span[0] : span[1]]
        first = self.index_at(span[0])
        last = first + len(form.split()) - 1
        if self.low(first) == "according":
            return self.according(first, last)
        cue = lookup(form)
        return self.verb(cue, first, last) if cue is not None else None

    def according(self, first: int, last: int) -> Attribution | None:
        speaker = mention_after(self.tokens, last + 1, noun_phrase=True)
        if speaker is None:
            return None
        cue = (self.tokens[first].start, self.tokens[last].end)
        after = self.skip_phrase(last + 1)
        if first == 0 or (first == 1 and self.tokens[0].kind == WORD):
            if self.text(after) == ",":
                piece = self.content(after + 1)
                return Attribution(cue, speaker, (piece,), "according to") if piece else None
            return None
        if self.text(first - 1) not in _SEPARATORS:
            return None
        start = self.tokens[first].start
        if any(span[0] < start and self.parse(span) is not None for span in self.cues):
            return None  # after another attribution, "according to" names the report's source, not a claim
        self.limit = None
        before = self.content(0, first - 2)
        if before is None:
            return None
        if self.text(after) == "," and after + 1 < len(self.tokens):
            rest = self.content(after + 1)
            pieces = (before, rest) if rest else (before,)
            return Attribution(cue, speaker, pieces, "according to")
        return Attribution(cue, speaker, (before,), "according to")

    def skip_phrase(self, index: int) -> int:
        """Past a noun phrase starting at ``index`` (determiners, words, inner "of"/"for"…), bounded."""
        limit = min(len(self.tokens), index + _MAX_ADJUNCT)
        while index < limit and self.tokens[index].kind == WORD:
            if self.low(index) in {"that", "who", "which", "whether", "if"}:
                break
            index += 1
        return index

    def skip_object(self, index: int) -> int:
        """Past an addressee ("reporters", "Bloomberg News", "the New York Times"): it ends before an adjunct."""
        limit = min(len(self.tokens), index + _MAX_ADJUNCT)
        start = index
        while index < limit and self.tokens[index].kind == WORD:
            low = self.low(index)
            if low in {"that", "who", "which", "whom"} or low in _WH or low in TIME_WORDS:
                break
            if index > start and low in _ADJUNCT_PREPOSITIONS and low != "of":
                break
            if index > start and (low in DETERMINERS or low in FINITE or low in AUXILIARIES):
                break  # "told Reuters the 10 had agreed": a new noun phrase, or a verb, is the clause
            index += 1
        return index

    def quoted_before(self, subject_first: int) -> bool:
        """The subject follows a quotation that opens the clause, or a clause holding one (``"…," S CUE`` ·
        ``The deal "looks out for Wall Street," S CUE``); not a phrase that merely holds one ("Walking in to
        chants of "Marco!," the senator said …")."""
        separator = subject_first - 1
        if separator < 1:
            return False
        closing = separator if self.tokens[separator].kind == MARK else separator - 1
        if self.tokens[closing].kind != MARK or (closing != separator and self.text(separator) not in _SEPARATORS):
            return False
        begin = self.clause_start(closing)
        return self.tokens[begin].kind == MARK or self.holds_clause(begin, closing - 1, quotes=False)

    def verb(self, cue: Cue, first: int, last: int) -> Attribution | None:
        # Walk back over the verb group: auxiliaries (inside the cue span), adverbs and times ("has previously
        # said", "on Tuesday said", "last week said"); "to say" is an infinitive, no cue.
        index = first - 1
        earliest = first
        while index >= 0:
            low = self.low(index)
            if low in AUXILIARIES and not (index > 0 and self.tokens[index].capitalised):  # "Will wrote"
                earliest = index
            elif not (low in ADVERBS or self.adverb(index) or low in TIME_WORDS) and not (
                (low in _TIME_LEADS or low in {"a", "an", "one", "two", "three", "several", "few"} or low.isdigit())
                and self.low(index + 1) in TIME_WORDS  # "last week said", "a month later announced"
            ):
                break
            index -= 1
        raised = self.low(index) == "to" and self.low(index - 1) in _RAISING
        if self.low(index) == "to" and self.low(index - 1) == "on" and self.low(index - 2) in _GO:
            raised, index = True, index - 1  # "went on to call"
        if raised:
            # "appeared to suggest", "refused to say": the verb group runs on to its head
            index -= 2
            while index >= 0 and (self.low(index) in AUXILIARIES or self.low(index) in ADVERBS):
                index -= 1
        adverb = index
        auxiliaries = {self.low(i) for i in range(earliest, first)}
        if self.low(adverb) == "to" and cue.lemma not in {"go on to say"}:
            return None
        form = self.low(last)
        if auxiliaries & _BE and (form.endswith("ed") or form in _PARTICIPLES) and cue.lemma != "was quoted as saying":
            return None  # passive: "was told", "is expected"
        if (form.endswith("ed") or form in _PARTICIPLES) and self.low(last + 1) == "by":
            return None  # "the figure announced by the president": a participle, no report
        head = earliest - 1
        cue_span = (self.tokens[earliest].start, self.tokens[last].end)

        speaker: Mention | None
        hosted = cue.participle and not auxiliaries
        opening = adverb >= 0 and self.low(adverb) in _ADVERBIAL_OPENERS and self.opens_sentence(adverb)
        if hosted and opening and not cue.frames & {"that", "bare", "quote"}:
            return None  # "When speaking of the meetings, he noted …": an opening adverbial, not a report
        coordinated = self.low(adverb) in {"and", "but"} and not hosted
        if hosted or coordinated:
            speaker = self.main_subject(adverb)
            self.limit = self.adverbial_end(first, last)
            return self.after(cue, cue_span, speaker, last, subject_first=None)
        speaker = subject_before(self.tokens, adverb, 0) if adverb >= 0 else None
        if speaker is not None:
            relative = self.low(speaker.first - 1) in {"which", "that", "whom"}
            if (relative and self.low(speaker.first - 2) not in _INNER_PREPOSITIONS) or self.reduced_relative(speaker):
                return None  # "a system which advocates say disadvantages …": the content is the antecedent
            if not auxiliaries and not raised and not self.agrees(form, cue, speaker):
                return None  # "the first attack was …": a noun, not a verb
            # A relative pronoun's clause has no fronted content: what precedes it is its antecedent's clause.
            fronting = speaker.first if speaker.kind != "relative" else None
            self.limit = self.adverbial_end(speaker.first, last)
            return self.after(cue, cue_span, speaker, last, subject_first=fronting)
        # Inverted: "…," said Mr. Morris / …, says the report.
        if "quote" in cue.frames and (
            adverb < 0 or self.tokens[adverb].kind == MARK or self.text(adverb) in _SEPARATORS
        ):
            speaker = mention_after(self.tokens, last + 1)
            if speaker is not None:
                return self.inverted(cue, cue_span, speaker, head)
        return None

    def reduced_relative(self, speaker: Mention) -> bool:
        """ "the target it pledged to reach": a pronoun subject right after a noun opens a relative clause."""
        if speaker.kind != "pronoun" or speaker.first == 0:
            return False
        before = self.tokens[speaker.first - 1]
        low = before.lower
        return (
            before.kind == WORD
            and not before.capitalised
            and not low[:1].isdigit()
            and low not in _CLAUSE_LINKS
            and low not in TIME_WORDS
            and low not in _ADJUNCT_PREPOSITIONS
            and low not in ADVERBS
            and low not in {"which", "who", "whom", "that"}
            and not low.endswith(("ed", "ly"))
            and lookup(before.text) is None
        )

    def agrees(self, form: str, cue: Cue, speaker: Mention) -> bool:
        """A bare verb form ("attack", "say") needs a plural subject: "officials say", never "the first attack"."""
        if form != cue.lemma.split()[0] or form.endswith("ed") or form in _PAST_AS_BARE:
            return True
        words = self.view[speaker.phrase[0] : speaker.phrase[1]].lower().split()
        head = next((i for i, word in enumerate(words) if i and word in _HEAD_ENDS), len(words))
        words = words[:head]  # "Friends of Mr. Clinton's", "observers in Virginia": the head is before "of"/"in"
        if not words:
            return False
        if speaker.kind == "pronoun":
            return words[0] in {"i", "we", "you", "they"}
        if speaker.kind == "relative":
            return True
        last_word = words[-1]
        return (
            (last_word.endswith("s") and not last_word.endswith(("'s", "’s", "ss")))
            or "and" in words
            or last_word in GROUP_NOUNS
            or last_word in _PLURALS
            or last_word[:1].isdigit()
            or words[0] in _PLURALS
        )

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

    def main_subject(self, before: int) -> Mention | None:
        """The subject of the clause a participle or a coordinated verb hangs off."""
        for found in reversed(self.found):
            if found.speaker is not None:
                return found.speaker
        index = 0
        while index < before and self.tokens[index].kind != WORD:
            index += 1
        subject = mention_after(self.tokens, index)
        if subject is not None:
            return subject
        comma = next((i for i in range(index, before) if self.text(i) == ","), None)
        return mention_after(self.tokens, comma + 1) if comma is not None else None

    def skip_adjuncts(self, index: int, infinitive: bool = False) -> int:
        """Past adjuncts after a cue: times ("Tuesday", "last week"), prepositional phrases, adverbs; not the "to"
        of an ``infinitive``."""
        self.topic = False
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
                return index + 1  # "said in Oslo, that …"
            if self.text(index) == "," and self.low(index + 1) in _ADJUNCT_PREPOSITIONS:
                closing = next(
                    (i for i in range(index + 2, min(len(self.tokens), index + 14)) if self.text(i) == ","), None
                )
                if closing is not None and self.low(closing + 1) in {"that", "whether", "if"}:
                    index = closing + 1  # "said, with the benefit of hindsight, that …"
                    continue
            if low in _ADJUNCT_PREPOSITIONS and self.tokens[index].kind == WORD and not (low == "to" and infinitive):
                nxt = index + 1
                if self.low(nxt) in {"that", "whether", "if"} or self.text(nxt) in {",", ":"}:
                    return nxt if low in {"earlier", "later", "again", "recently"} else index
                index = self.skip_phrase(nxt)
                if low in {"of", "about"}:
                    self.topic = True  # "said of the plan": what follows is no bare clause
                continue
            break
        return index

    def after(
        self, cue: Cue, cue_span: tuple[int, int], speaker: Mention | None, last: int, subject_first: int | None
    ) -> Attribution | None:
        """Content after the cue, else (with a subject before it) content fronted before the subject."""
        index = last + 1
        medium: str | None = None
        if "object" in cue.frames and index < len(self.tokens) and self.tokens[index].kind == WORD:
            low = self.low(index)
            if low not in {"that", "whether", "if"} and low not in _ADJUNCT_PREPOSITIONS:
                object_end = self.skip_object(index)
                object_text = " ".join(self.view[self.tokens[index].start : self.tokens[object_end - 1].end].split())
                if self.tokens[index].capitalised and object_text.lower() not in PRONOUNS:
                    medium = object_text
                index = object_end
        if cue.frames & {"np", "topic"} and not cue.frames & {"that", "bare", "quote"}:
            while self.low(index) in TIME_WORDS:
                index += 1
        else:
            index = self.skip_adjuncts(index, "to" in cue.frames)
        if subject_first is not None and self.quoted_before(subject_first):
            # "…," S CUE …: the quotation before is the content, whatever adjuncts follow the cue.
            return self.fronted(cue_span, speaker, cue.lemma, subject_first, index, medium)
        piece = self.complement(cue, index)
        if piece is not None:
            if isinstance(piece, str):
                return Attribution(cue_span, speaker, (), cue.lemma, medium, open=True)
            return Attribution(cue_span, speaker, (piece,), cue.lemma, medium)
        if subject_first is None or not self.tail_ends(index) or not cue.frames & {"quote", "that", "bare"}:
            return None  # only a verb reporting a clause follows its content ("…, he said"; not "…, border disputes")
        if self.text(index) == "," and self.opens_sentence(subject_first) and "quote" in cue.frames:
            rest = self.content(index + 1)  # "As Ruth Marcus puts it, Obama is …" · "He added, the plan …"
            return Attribution(cue_span, speaker, (rest,), cue.lemma, medium) if rest else None
        return self.fronted(cue_span, speaker, cue.lemma, subject_first, index, medium)

    def holds_clause(self, first: int, last: int, quotes: bool = True) -> bool:
        """Tokens ``first..last`` hold a finite verb, or (``quotes``) a quotation."""
        for index in range(first, last + 1):
            token = self.tokens[index]
            if token.kind in (MARK, QUOTED):
                if quotes:
                    return True
                continue
            low = token.lower
            if token.kind == WORD and (
                low in FINITE or low.endswith(CONTRACTIONS) or (low.endswith("ed") and not token.capitalised)
            ):
                return True
            # "the economy grows", a present tense; a plural after a determiner is a noun
            if (
                token.kind == WORD
                and low.endswith("s")
                and index > first
                and not token.capitalised
                and self.low(index - 1) not in DETERMINERS
                and not self.low(index - 1).endswith(("'s", "’s"))
            ):
                return True
        return False

    def clause_start(self, end_index: int) -> int:
        """Where fronted content begins: after the last colon, semicolon or opening bracket before it, when the
        content is a quotation (``… the code of conduct: "…," he said`` · ``members ("…," wrote Nelson)``)."""
        if self.tokens[end_index].kind != MARK:
            return 0
        for index in range(end_index - 1, 0, -1):
            if self.tokens[index].kind == MARK and self.text(index - 1) in {":", ";", "(", "—", "–", "--"}:
                return index
        return 0

    def opens_sentence(self, index: int) -> bool:
        """Only a conjunction or "As" stands before token ``index`` in the sentence."""
        return all(self.tokens[i].kind != WORD or self.low(i) in {"as", "but", "and", "so"} for i in range(index))

    def complement(self, cue: Cue, index: int) -> tuple[int, int] | str | None:
        """The content after the cue at ``index``, "open" for a colon closing the sentence, or None."""
        if index >= len(self.tokens):
            return None
        token = self.tokens[index]
        low = token.lower
        if low == "that" and "that" in cue.frames:
            return self.content(index + 1)
        if token.text == ":":
            if index + 1 >= len(self.tokens):
                return "open" if "quote" in cue.frames else None
            return self.content(index + 1)
        if token.text == "," and index + 1 < len(self.tokens) and self.tokens[index + 1].kind == MARK:
            return self.content(index + 1) if "quote" in cue.frames else None
        if token.kind == MARK and "quote" in cue.frames:
            return self.content(index)
        if low in _WH and "wh" in cue.frames:
            return self.content(index)
        if "bare" in cue.frames and not self.topic and (self.clause_at(index) or self.said_clause(cue, index)):
            return self.content(index)
        if "to" in cue.frames and low == "to" and index + 1 < len(self.tokens) and self.tokens[index + 1].kind != PUNCT:
            return self.content(index)
        noun_phrase = low not in _NOT_TOPIC and low not in FINITE and low not in _ADJUNCT_PREPOSITIONS
        if "topic" in cue.frames and token.kind == WORD and noun_phrase:
            end = self.topic_end(index)
            if self.text(len(self.tokens) - 1) == ":" and (end is None or end >= len(self.tokens) - 2):
                return None  # "… showed the following readings:": a lead-in to a list, no claim
            return self.content(index, end)
        if "as" in cue.frames and token.kind == WORD and (low not in _NOT_TOPIC or low in {"him", "them", "it"}):
            reach = range(index + 1, min(len(self.tokens), index + _MAX_ADJUNCT))
            if any(self.low(i) == "as" for i in reach):
                return self.content(index)  # "sees the deal as a betrayal"
        if token.kind == PUNCT and token.text in "$£€" and "topic" in cue.frames:
            return self.content(index)  # "calls for $1 trillion in new spending"
        named = index + 1 < self.count and (self.low(index + 1) in DETERMINERS or self.tokens[index + 1].kind == MARK)
        if cue.lemma == "call" and low in {"it", "him", "her", "them", "this", "that"} and named:
            return self.content(index)  # "Critics call it the enforcement of political correctness"
        if "np" in cue.frames and token.kind == WORD:
            rest = self.tokens[index:]
            if any(t.kind == MARK for t in rest):
                return self.content(index)
        return None

    def topic_end(self, index: int) -> int | None:
        """The last token of what a speech act is about ("endorsed Ted Cruz during a call with reporters",
        "attacked Fiorina by reminding voters that …"): the noun phrase ends before a comma, a subordinate or
        coordinate clause, or a manner or setting adjunct. Holding quoted words it runs on (a mixed quote is the
        whole clause); None: to the sentence's end."""
        if any(token.kind == MARK for token in self.tokens[index:]):
            return None
        probe = index + 1
        while probe < len(self.tokens):
            token = self.tokens[probe]
            if token.text == ",":
                listed = self.list_end(probe)
                if listed is not None:
                    probe = listed + 1  # "voters in Texas, Virginia and Georgia": one noun phrase
                    continue
            if token.kind == PUNCT and token.text in {",", ";", ":", "(", "—", "–", "--"}:
                return probe - 1
            manner = token.lower == "by" and self.low(probe + 1).endswith("ing")  # "by reminding voters …"
            if token.kind == WORD and (token.lower in _TOPIC_ENDS or manner):
                return probe - 1
            if token.lower in {"and", "but"} and probe + 1 < len(self.tokens) and self.predicate_at(probe + 1):
                return probe - 1  # "defended his mother and refused to …": the speaker's next act
            probe += 1
        return None

    def list_end(self, comma: int) -> int | None:
        """The last token of a list the comma at ``comma`` continues ("Indiana, Michigan, Ohio and Pennsylvania",
        "my judgment, my honesty"), or None: items of at most four words, no verb, the last after "and"/"or"."""
        probe, words = comma + 1, 0
        while probe < len(self.tokens):
            token = self.tokens[probe]
            if token.kind == WORD and token.lower in {"and", "or"} and words:
                last = probe + 1
                while last + 1 < len(self.tokens) and self.tokens[last + 1].kind == WORD and last - probe < 4:
                    if finite(self.text(last + 1)) or self.low(last + 1) in _TOPIC_ENDS | {"and", "or", "but"}:
                        break
                    last += 1
                return last if last < len(self.tokens) and self.tokens[last].kind == WORD else None
            if token.text == ",":
                if not words or self.low(probe + 1) in {"and", "or"}:
                    probe += 1
                    words = 1 if words else 0
                    continue
                words = 0
            elif token.kind != WORD or finite(token.text) or token.lower in _TOPIC_ENDS or words >= 4:
                return None
            else:
                words += 1
            probe += 1
        return None

    def predicate_at(self, index: int) -> bool:
        """A verb with no subject of its own starts at ``index`` ("refused to …", "also questioned …")."""
        while index < len(self.tokens) and (self.low(index) in ADVERBS or self.adverb(index)):
            index += 1
        if index >= len(self.tokens) or self.tokens[index].kind != WORD or self.tokens[index].capitalised:
            return False
        low = self.low(index)
        if low in AUXILIARIES or (low.endswith("ed") and len(low) > 4):
            return True
        if low not in FINITE:
            return False
        # "plans", "needs" are nouns too: a present form counts before what only a verb takes
        following = self.low(index + 1) if index + 1 < len(self.tokens) else ""
        return not low.endswith("s") or following in DETERMINERS or following in {"to", "that", "it", "him", "her"}

    def said_clause(self, cue: Cue, index: int) -> bool:
        """After "said"/"told NP", any word but a preposition or a word like "yes" opens the reported clause."""
        token = self.tokens[index]
        if cue.lemma not in _SAY or token.kind != WORD:
            return False
        low = token.lower
        return low not in _ADJUNCT_PREPOSITIONS and low not in _NO_CLAUSE and low not in TIME_WORDS and low != "to"

    def clause_at(self, index: int) -> bool:
        """A finite clause starts at ``index``: a subject-like word, then a finite verb within a few words."""
        token = self.tokens[index]
        if token.kind == MARK:
            return True
        if token.kind != WORD:
            return False
        low = token.lower
        quantity = low == "at" and self.low(index + 1) in {"least", "most"}  # "at least six planes filled …"
        if (low in _ADJUNCT_PREPOSITIONS and not quantity) or low in _WH or low == "to":
            return False
        if low.endswith("ly") and not token.capitalised:
            return False
        if low.endswith(CONTRACTIONS):
            return True  # "that's really important", "it’s been evident": the verb is in the first word
        reach = min(len(self.tokens), index + _BARE_REACH)
        for probe in range(index + 1 if token.lower not in {"it's", "he's", "she's", "they're", "there"} else index,
                           reach):  # fmt: skip
            candidate = self.tokens[probe]
            if candidate.kind == PUNCT and candidate.text in {",", ";", ":", "(", ")"}:
                return False
            low = candidate.lower
            if (
                low in FINITE
                or low in BASE_FORMS
                or (low.endswith("ed") and not candidate.capitalised and probe > index)
            ):
                return True
            if low.endswith(CONTRACTIONS) and not low.endswith(("'s", "’s")):
                return True
            if low in {"it's", "it’s", "he's", "he’s", "she's", "she’s", "that's", "that’s", "there's", "there’s"}:
                return True
            if candidate.kind == MARK and probe > index:
                return True  # the verb is among the quoted words: "he still "prays that …""
            if low in {"that", "who", "which", "whom"} and probe > index:
                return False  # a noun phrase with a relative clause, not a clause
            if low.endswith(("'s", "’s")) and probe == index:
                continue
        return token.lower in {"there"}

    def tail_ends(self, index: int) -> bool:
        """Nothing but the sentence's end, a parenthetical's comma or an adverbial clause follows."""
        if index >= len(self.tokens) or self.text(index) in {",", ".", "!", "?", ";", "—", "–", "--", ")", "("}:
            return True
        return self.low(index) in _SUBORDINATORS and self.tokens[index].kind == WORD

    def fronted(
        self,
        cue_span: tuple[int, int],
        speaker: Mention | None,
        lemma: str,
        subject_first: int,
        tail: int,
        medium: str | None,
    ) -> Attribution | None:
        """``…, S CUE.`` / ``"…" S CUE, "…"``: the content is before the subject (and after the tail's comma)."""
        separator = subject_first - 1
        if separator < 0:
            # "He said." alone: the content is the quotation before it (the direct finder links them).
            return Attribution(cue_span, speaker, (), lemma, medium) if self.tail_ends(tail) else None
        if self.low(separator) == "as" and separator >= 1 and self.text(separator - 1) == ",":
            separator -= 1  # "The numbers changed over the summer, as Sanders has acknowledged."
        separating = self.tokens[separator]
        if not (separating.text in _SEPARATORS or separating.kind == MARK):
            return None
        end_index = separator - 1 if separating.text in _SEPARATORS else separator
        begin = self.clause_start(end_index)
        before = self.content(begin, end_index)
        if before is None:
            return None
        pieces: tuple[tuple[int, int], ...] = (before,)
        clause = self.holds_clause(begin, end_index)
        if self.text(tail) == "," and tail + 1 < len(self.tokens):
            following = self.tokens[tail + 1]
            hosted = following.kind == WORD and (lookup(following.text) or _NO_CUE).participle
            quoted = self.tokens[end_index].kind == MARK
            if not hosted and (following.kind == MARK or not quoted):
                rest = self.content(tail + 1)
                if rest is not None:
                    pieces = (before, rest)
                    # "Democrats, Frank notes, applaud …": what follows the parenthesis is the predicate
                    predicate = following.kind == WORD and following.text[:1].islower()
                    clause = clause or predicate or self.holds_clause(tail + 1, len(self.tokens) - 1)
        if not clause:
            return None  # "In an interview on CBS, Ryan said …": an adverbial is no content
        return Attribution(cue_span, speaker, pieces, lemma, medium)

    def inverted(self, cue: Cue, cue_span: tuple[int, int], speaker: Mention, head: int) -> Attribution | None:
        """``…," said Mr. Morris.`` · ``…, said Ben Domenech, publisher of The Federalist.``"""
        after = self.index_after(speaker.end)
        if self.text(after) == "(":
            closing = next((i for i in range(after, min(len(self.tokens), after + 12)) if self.text(i) == ")"), None)
            after = closing + 1 if closing is not None else after
        after = self.skip_adjuncts(after)
        pieces: list[tuple[int, int]] = []
        if head < 0:
            return None
        separator = self.tokens[head]
        end_index = head - 1 if separator.text in _SEPARATORS else head
        before = self.content(self.clause_start(end_index), end_index)
        if before is None:
            return None
        pieces.append(before)
        if after < len(self.tokens) and self.text(after) == ",":
            if after + 1 < len(self.tokens) and self.tokens[after + 1].kind == MARK:
                rest = self.content(after + 1)
                if rest is not None:
                    pieces.append(rest)
        elif self.text(after) == ":" or self.low(after) == "that":
            # "…, says Stoltenberg: the unity bloc …" · "But this does not mean, said the Secretary General that …"
            rest = self.content(after + 1 if self.text(after) == ":" else after)
            if rest is not None:
                pieces.append(rest)
        elif not self.tail_ends(after):
            return None
        return Attribution(cue_span, speaker, tuple(pieces), cue.lemma)

    def index_after(self, position: int) -> int:
        for index, token in enumerate(self.tokens):
            if token.start >= position:
                return index
        return len(self.tokens)
