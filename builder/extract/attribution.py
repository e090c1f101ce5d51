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

The shapes are one grammar, and its decisions stay together here: most call the others (a parenthetical is a
fronted content plus a tail; "according to" after another cue is that report's source), which is why the module
runs past 400 lines: split by shape, each part would need all the others. What they ask of the words is
elsewhere: :class:`~builder.extract.sentence.Sentence` (the tokens, spans, phrases skipped), :mod:`.clauses`
(where clauses, predicates and topics start and end) and :mod:`.naming` (the quotations a naming verb
introduces, and the one quoted "as saying"). What a decision reads is passed to it: the
attributions found so far (``found``), whether an adjunct named a topic (``topic``), and where content running
to the sentence's end must stop (``stop``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract import clauses, naming
from builder.extract.clauses import ADVERBIAL_OPENERS, SEPARATORS
from builder.extract.lexicon import Cue, cue_pattern, lookup
from builder.extract.mentions import DETERMINERS, PRONOUNS, TIME_WORDS, Mention, mention_after, subject_before
from builder.extract.sentence import ADJUNCT_PREPOSITIONS, FINAL, MAX_ADJUNCT, WH, Sentence
from builder.extract.tokens import MARK, PUNCT, WORD
from builder.extract.verbs import FINITE
from builder.text import trim

__all__ = ["Attribution", "find_attributions"]

_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})
_PARTICIPLES = frozenset({"told", "said", "known", "shown", "found", "thought", "written", "sworn", "felt"})
_CLAUSE_OPENERS = frozenset(DETERMINERS | PRONOUNS | {"there", "it's", "he's", "she's", "they're", "we're", "i'm"})
_INNER_PREPOSITIONS = frozenset({"in", "of", "by", "for", "with", "on", "at", "under", "after"})
# "Sanders: …", "Sen. Elizabeth Warren: …", "Poll: …": a short capitalised label, then a colon.
_LABEL = re.compile(r"(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?P<colon>:) +(?=\S)")
_NOT_SPEAKERS = frozenset(
    "note update correction clarification editor's note photo source sources watch listen video caption disclaimer "
    "warning abstract full text related read more also see follow us subscribe advertisement ps p.s. q a question "
    "answer bottom line why what how who where when background the latest live updates".split()
)
_NOT_TOPIC = frozenset({"to", "that", "it", "them", "him", "this", "so", "up", "out", "back", "down", "off"})
# Before a cue form and an infinitive, these make it a noun: "the plan to …" ("Some said" stays a verb).
_ARTICLES = frozenset("the a an his her its their our my your this these those".split())
_NO_CUE = Cue("", frozenset(), participle=False)


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
        while content[1] > content[0] and view[content[1] - 1] in FINAL:
            content = (content[0], content[1] - 1)
        if len(view[content[0] : content[1]].split()) >= 2:
            name = label.span("name")
            speaker = Mention(*name, "name", name)
            return [Attribution(label.span("colon"), speaker, (content,), ":")]
    if cues is None:
        cues = [found.span() for found in cue_pattern().finditer(masked, start, end)]
    if not cues:
        return []
    return _Reader(Sentence(view, masked, start, end), cues).attributions()


class _Reader:
    """The attribution grammar over one sentence: each cue read in turn, the attributions found before it
    deciding what it may still attribute."""

    def __init__(self, sentence: Sentence, cues: list[tuple[int, int]]) -> None:
        self.sentence = sentence
        self.cues = cues

    def attributions(self) -> list[Attribution]:
        """Every attribution of the sentence, in text order."""
        sentence = self.sentence
        # An attribution closing the sentence ("…, he said.") holds everything before it, so read those first,
        # from the right; then the others from the left, skipping cues inside content already found.
        found: list[Attribution] = []
        done: set[int] = set()
        for span in reversed(self.cues):
            parsed = self.parse(span, found)
            if parsed is not None and parsed.content and parsed.content[-1][1] <= parsed.cue[0]:
                found.append(parsed)
                done.add(span[0])
        for span in self.cues:
            if span[0] in done:
                continue
            parsed = self.parse(span, found)
            if parsed is not None:
                found.append(parsed)
                done.add(span[0])
        # A report inside a report ("X said officials told him the plan had failed") is an attribution too: each
        # cue left is read again as if nothing were found yet, and kept if it stands inside an outer content.
        outer = list(found)
        for span in self.cues:
            if span[0] in done or span[0] not in sentence.token_index:
                continue
            parsed = self.parse(span, [])
            hosted = (lookup(sentence.masked[span[0] : span[1]]) or _NO_CUE).participle
            # Only with a subject of its own: a nested "wanting to" or a subjectless "accept" is no report.
            subject = parsed is not None and parsed.speaker is not None and parsed.speaker.start < parsed.cue[0]
            after = parsed is not None and bool(parsed.content) and parsed.content[0][0] > parsed.cue[0]
            if (
                parsed is not None
                and subject
                and not hosted
                and after
                and any(s <= parsed.cue[0] < e for attribution in outer for s, e in attribution.content)
            ):
                found.append(parsed)
        found.sort(key=lambda attribution: attribution.cue)
        return found

    def parse(self, span: tuple[int, int], found: list[Attribution]) -> Attribution | None:
        """The attribution of the cue at ``span``, given the attributions ``found`` so far (a cue inside their
        content is not read again; a participle's speaker is the last one found)."""
        sentence = self.sentence
        if span[0] not in sentence.token_index or any(
            start <= span[0] < end for earlier in found for start, end in earlier.content
        ):
            return None
        form = sentence.masked[span[0] : span[1]]
        first = sentence.index_at(span[0])
        last = first + len(form.split()) - 1
        if sentence.low(first) == "according":
            return self.according(first, last, found)
        cue = lookup(form)
        return self.verb(cue, first, last, found) if cue is not None else None

    def according(self, first: int, last: int, found: list[Attribution]) -> Attribution | None:
        sentence = self.sentence
        speaker = mention_after(sentence.tokens, last + 1, noun_phrase=True)
        if speaker is None:
            return None
        cue = (sentence.tokens[first].start, sentence.tokens[last].end)
        after = sentence.skip_phrase(last + 1)
        if first == 0 or (first == 1 and sentence.tokens[0].kind == WORD):
            if sentence.text(after) == ",":
                piece = sentence.content(after + 1)
                return Attribution(cue, speaker, (piece,), "according to") if piece else None
            return None
        if sentence.text(first - 1) not in SEPARATORS:
            return None
        start = sentence.tokens[first].start
        if any(span[0] < start and self.parse(span, found) is not None for span in self.cues):
            return None  # after another attribution, "according to" names the report's source, not a claim
        before = sentence.content(0, first - 2)
        if before is None:
            return None
        if sentence.text(after) == "," and after + 1 < len(sentence.tokens):
            rest = sentence.content(after + 1)
            pieces = (before, rest) if rest else (before,)
            return Attribution(cue, speaker, pieces, "according to")
        return Attribution(cue, speaker, (before,), "according to")

    def verb(self, cue: Cue, first: int, last: int, found: list[Attribution]) -> Attribution | None:
        sentence = self.sentence
        quoted = naming.quoted_as(sentence, cue, first, last)
        if quoted is not None:  # "The Herald quoted him as saying …"
            return self.after(cue, quoted[0], quoted[1], last, subject_first=None, stop=None)
        # "to say" is an infinitive, no cue (a raising verb's "to" is inside the group: "refused to say")
        earliest, adverb, raised = clauses.verb_group(sentence, first)
        auxiliaries = {sentence.low(i) for i in range(earliest, first)}
        if sentence.low(adverb) == "to" and cue.lemma not in {"go on to say"}:
            return None
        after_article = sentence.low(adverb) in _ARTICLES or sentence.low(adverb).endswith(("'s", "’s"))
        if earliest == first and after_article and sentence.low(last + 1) == "to":
            return None  # "the plan to cut jobs": a noun after a determiner, no verb ("his claim that …" reports)
        form = sentence.low(last)
        described = auxiliaries & _BE or sentence.low(last + 1) == "as"  # not a name: "a group called "…""
        if (form.endswith("ed") or form in _PARTICIPLES) and "np" in cue.frames and described:
            named = naming.passive_naming(sentence, earliest, last)
            passive = Attribution(named[0], named[1], (named[2],), cue.lemma) if named else None
            quoting = sentence.tokens[min(last + 2, sentence.count - 1)].kind == MARK
            labelled = sentence.low(last + 1) == "as" and quoting
            if passive is not None or labelled:
                return passive  # "The plan, described as "reckless," passed": a label, no report
        if auxiliaries & _BE and (form.endswith("ed") or form in _PARTICIPLES) and cue.lemma != "was quoted as saying":
            return None  # passive: "was told", "is expected"
        if (form.endswith("ed") or form in _PARTICIPLES) and sentence.low(last + 1) == "by":
            return None  # "the figure announced by the president": a participle, no report
        head = earliest - 1
        cue_span = (sentence.tokens[earliest].start, sentence.tokens[last].end)

        speaker: Mention | None
        hosted = cue.participle and not auxiliaries
        opening = adverb >= 0 and sentence.low(adverb) in ADVERBIAL_OPENERS and clauses.opens_sentence(sentence, adverb)
        if hosted and opening and not cue.frames & {"that", "bare", "quote"}:
            return None  # "When speaking of the meetings, he noted …": an opening adverbial, not a report
        coordinated = sentence.low(adverb) in {"and", "but"} and not hosted
        if hosted or coordinated:
            speaker = self.main_subject(adverb, found)
            stop = clauses.adverbial_end(sentence, first, last)
            return self.after(cue, cue_span, speaker, last, subject_first=None, stop=stop)
        speaker = subject_before(sentence.tokens, adverb, 0) if adverb >= 0 else None
        if speaker is not None:
            relative = sentence.low(speaker.first - 1) in {"which", "that", "whom"}
            names_what = sentence.low(speaker.first - 1) == "what" and "np" in cue.frames  # "in what he called "…""
            if not names_what and (
                (relative and sentence.low(speaker.first - 2) not in _INNER_PREPOSITIONS)
                or clauses.reduced_relative(sentence, speaker)
            ):
                return None  # "a system which advocates say disadvantages …": the content is the antecedent
            if not auxiliaries and not raised and not clauses.agrees(sentence, form, cue, speaker):
                return None  # "the first attack was …": a noun, not a verb
            # A relative pronoun's clause has no fronted content: what precedes it is its antecedent's clause.
            fronting = speaker.first if speaker.kind != "relative" else None
            stop = clauses.adverbial_end(sentence, speaker.first, last)
            return self.after(cue, cue_span, speaker, last, subject_first=fronting, stop=stop)
        # Inverted: "…," said Mr. Morris / …, says the report.
        if "quote" in cue.frames and (
            adverb < 0 or sentence.tokens[adverb].kind == MARK or sentence.text(adverb) in SEPARATORS
        ):
            speaker = mention_after(sentence.tokens, last + 1)
            if speaker is not None:
                return self.inverted(cue, cue_span, speaker, head)
        return None

    def main_subject(self, before: int, found: list[Attribution]) -> Mention | None:
        """The subject of the clause a participle or a coordinated verb hangs off."""
        sentence = self.sentence
        for earlier in reversed(found):
            if earlier.speaker is not None:
                return earlier.speaker
        index = 0
        while index < before and sentence.tokens[index].kind != WORD:
            index += 1
        subject = mention_after(sentence.tokens, index)
        if subject is not None:
            return subject
        comma = next((i for i in range(index, before) if sentence.text(i) == ","), None)
        return mention_after(sentence.tokens, comma + 1) if comma is not None else None

    def after(
        self,
        cue: Cue,
        cue_span: tuple[int, int],
        speaker: Mention | None,
        last: int,
        subject_first: int | None,
        stop: int | None,
    ) -> Attribution | None:
        """Content after the cue, else (with a subject before it) content fronted before the subject; content
        running to the sentence's end stops before ``stop`` (see :meth:`Sentence.content`)."""
        sentence = self.sentence
        index = last + 1
        medium: str | None = None
        if "object" in cue.frames and index < len(sentence.tokens) and sentence.tokens[index].kind == WORD:
            low = sentence.low(index)
            if low not in {"that", "whether", "if"} and low not in ADJUNCT_PREPOSITIONS:
                object_end = sentence.skip_object(index)
                object_text = " ".join(
                    sentence.view[sentence.tokens[index].start : sentence.tokens[object_end - 1].end].split()
                )
                if sentence.tokens[index].capitalised and object_text.lower() not in PRONOUNS:
                    medium = object_text
                index = object_end
        topic = False
        if cue.frames & {"np", "topic"} and not cue.frames & {"that", "bare", "quote"}:
            while sentence.low(index) in TIME_WORDS:
                index += 1
        else:
            index, topic = sentence.skip_adjuncts(index, "to" in cue.frames)
        quotation = naming.named_quotation(sentence, cue, index, subject_first)
        if quotation is not None:
            return Attribution(cue_span, speaker, (quotation,), cue.lemma, medium)
        if subject_first is not None and clauses.quoted_before(sentence, subject_first):
            # "…," S CUE …: the quotation before is the content, whatever adjuncts follow the cue.
            return self.fronted(cue_span, speaker, cue.lemma, subject_first, index, medium, stop)
        piece = self.complement(cue, index, topic, stop)
        if piece is not None:
            if isinstance(piece, str):
                return Attribution(cue_span, speaker, (), cue.lemma, medium, open=True)
            return Attribution(cue_span, speaker, (piece,), cue.lemma, medium)
        if (
            subject_first is None
            or not clauses.tail_ends(sentence, index)
            or not cue.frames & {"quote", "that", "bare"}
        ):
            return None  # only a verb reporting a clause follows its content ("…, he said"; not "…, border disputes")
        if sentence.text(index) == "," and clauses.opens_sentence(sentence, subject_first) and "quote" in cue.frames:
            rest = sentence.content(
                index + 1, stop=stop
            )  # "As Ruth Marcus puts it, Obama is …" · "He added, the plan …"
            return Attribution(cue_span, speaker, (rest,), cue.lemma, medium) if rest else None
        return self.fronted(cue_span, speaker, cue.lemma, subject_first, index, medium, stop)

    def complement(self, cue: Cue, index: int, topic: bool, stop: int | None) -> tuple[int, int] | str | None:
        """The content after the cue at ``index``, "open" for a colon closing the sentence, or None."""
        sentence = self.sentence
        if index >= len(sentence.tokens):
            return None
        token = sentence.tokens[index]
        low = token.lower
        if low == "that" and "that" in cue.frames:
            return sentence.content(index + 1, stop=stop)
        if token.text == ":":
            if index + 1 >= len(sentence.tokens):
                return "open" if "quote" in cue.frames else None
            return sentence.content(index + 1, stop=stop)
        if token.text == "," and index + 1 < len(sentence.tokens) and sentence.tokens[index + 1].kind == MARK:
            return sentence.content(index + 1, stop=stop) if "quote" in cue.frames else None
        if token.kind == MARK and "quote" in cue.frames:
            return sentence.content(index, stop=stop)
        if low in WH and "wh" in cue.frames:
            return sentence.content(index, stop=stop)
        if (
            "bare" in cue.frames
            and not topic
            and (clauses.clause_at(sentence, index) or clauses.said_clause(sentence, cue, index))
        ):
            return sentence.content(index, stop=stop)
        if (
            "to" in cue.frames
            and low == "to"
            and index + 1 < len(sentence.tokens)
            and sentence.tokens[index + 1].kind != PUNCT
        ):
            return sentence.content(index, stop=stop)
        noun_phrase = low not in _NOT_TOPIC and low not in FINITE and low not in ADJUNCT_PREPOSITIONS
        if "topic" in cue.frames and token.kind == WORD and noun_phrase:
            end = clauses.topic_end(sentence, index)
            if sentence.text(len(sentence.tokens) - 1) == ":" and (end is None or end >= len(sentence.tokens) - 2):
                return None  # "… showed the following readings:": a lead-in to a list, no claim
            return naming.to_quotation_end(sentence, sentence.content(index, end, stop=stop))
        if "as" in cue.frames and token.kind == WORD and (low not in _NOT_TOPIC or low in {"him", "them", "it"}):
            reach = range(index + 1, min(len(sentence.tokens), index + MAX_ADJUNCT))
            if any(sentence.low(i) == "as" for i in reach):
                return naming.to_quotation_end(
                    sentence, sentence.content(index, stop=stop)
                )  # "sees the deal as a betrayal"
        if token.kind == PUNCT and token.text in "$£€" and "topic" in cue.frames:
            return sentence.content(index, stop=stop)  # "calls for $1 trillion in new spending"
        named = index + 1 < sentence.count and (
            sentence.low(index + 1) in DETERMINERS or sentence.tokens[index + 1].kind == MARK
        )
        if cue.lemma == "call" and low in {"it", "him", "her", "them", "this", "that"} and named:
            return naming.to_quotation_end(
                sentence, sentence.content(index, stop=stop)
            )  # "Critics call it the enforcement …"
        if "np" in cue.frames and token.kind == WORD:
            rest = sentence.tokens[index:]
            if any(t.kind == MARK for t in rest):
                return naming.to_quotation_end(sentence, sentence.content(index, stop=stop))
        return None

    def fronted(
        self,
        cue_span: tuple[int, int],
        speaker: Mention | None,
        lemma: str,
        subject_first: int,
        tail: int,
        medium: str | None,
        stop: int | None,
    ) -> Attribution | None:
        """``…, S CUE.`` / ``"…" S CUE, "…"``: the content is before the subject (and after the tail's comma,
        stopping before ``stop``)."""
        sentence = self.sentence
        separator = subject_first - 1
        if separator < 0:
            # "He said." alone: the content is the quotation before it (the direct finder links them).
            return Attribution(cue_span, speaker, (), lemma, medium) if clauses.tail_ends(sentence, tail) else None
        if sentence.low(separator) == "as" and separator >= 1 and sentence.text(separator - 1) == ",":
            separator -= 1  # "The numbers changed over the summer, as Sanders has acknowledged."
        separating = sentence.tokens[separator]
        if not (separating.text in SEPARATORS or separating.kind == MARK):
            return None
        end_index = separator - 1 if separating.text in SEPARATORS else separator
        begin = clauses.clause_start(sentence, end_index)
        before = sentence.content(begin, end_index)
        if before is None:
            return None
        pieces: tuple[tuple[int, int], ...] = (before,)
        clause = clauses.holds_clause(sentence, begin, end_index)
        if sentence.text(tail) == "," and tail + 1 < len(sentence.tokens):
            following = sentence.tokens[tail + 1]
            hosted = following.kind == WORD and (lookup(following.text) or _NO_CUE).participle
            quoted = sentence.tokens[end_index].kind == MARK
            if not hosted and (following.kind == MARK or not quoted):
                rest = sentence.content(tail + 1, stop=stop)
                if rest is not None:
                    pieces = (before, rest)
                    # "Democrats, Frank notes, applaud …": what follows the parenthesis is the predicate
                    predicate = following.kind == WORD and following.text[:1].islower()
                    clause = clause or predicate or clauses.holds_clause(sentence, tail + 1, len(sentence.tokens) - 1)
        if not clause:
            return None  # "In an interview on CBS, Ryan said …": an adverbial is no content
        return Attribution(cue_span, speaker, pieces, lemma, medium)

    def inverted(self, cue: Cue, cue_span: tuple[int, int], speaker: Mention, head: int) -> Attribution | None:
        """``…," said Mr. Morris.`` · ``…, said Ben Domenech, publisher of The Federalist.``"""
        sentence = self.sentence
        after = sentence.index_after(speaker.end)
        if sentence.text(after) == "(":
            closing = next(
                (i for i in range(after, min(len(sentence.tokens), after + 12)) if sentence.text(i) == ")"), None
            )
            after = closing + 1 if closing is not None else after
        after, _ = sentence.skip_adjuncts(after)
        pieces: list[tuple[int, int]] = []
        if head < 0:
            return None
        separator = sentence.tokens[head]
        end_index = head - 1 if separator.text in SEPARATORS else head
        before = sentence.content(clauses.clause_start(sentence, end_index), end_index)
        if before is None:
            return None
        pieces.append(before)
        if after < len(sentence.tokens) and sentence.text(after) == ",":
            if after + 1 < len(sentence.tokens) and sentence.tokens[after + 1].kind == MARK:
                rest = sentence.content(after + 1)
                if rest is not None:
                    pieces.append(rest)
        elif sentence.text(after) == ":" or sentence.low(after) == "that":
            # "…, says Stoltenberg: the unity bloc …" · "But this does not mean, said the Secretary General that …"
            rest = sentence.content(after + 1 if sentence.text(after) == ":" else after)
            if rest is not None:
                pieces.append(rest)
        elif not clauses.tail_ends(sentence, after):
            return None
        return Attribution(cue_span, speaker, tuple(pieces), cue.lemma)
