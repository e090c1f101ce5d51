"""Speaker mentions: the noun phrase a cue attaches to, found over the tokens of one sentence.

A mention is what ``speaker_start``/``speaker_end`` point at:

* a pronoun ("he", "they", "it"), or a relative pronoun ("who", "which", "that") whose antecedent is the noun
  phrase before it ("Trump, who said …" → mention "who", antecedent "Trump");
* a name, with its honorific ("Mr. Kelly", "Jens Stoltenberg" out of "NATO Secretary General Jens Stoltenberg",
  "Mujtaba Rahman" out of "Mujtaba Rahman of the Eurasia Group"); a possessive is no head ("Clinton's spokesman"
  is the spokesman);
* otherwise the whole noun phrase without appositions: "the company", "analysts", "another economist",
  "a spokesman for the ministry", "Chinese military commentators".

Subjects are read backwards from the cue, past appositions between commas ("Chris Weston, chief market strategist
in Melbourne at IG Ltd., said") and a parenthesis ("Sen. Chuck Schumer (D-N.Y.) said"); an inverted subject is read
forwards ("…," said Mr. Morris). Every scan is bounded, so the work per cue is constant.

Why one long module: the backward subject scan, the forward one and the noun-phrase test are one reading of a
noun phrase from either end, and share its rules (appositions, titles, possessives, groups).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from builder.extract.lexicon import ADVERBS, AUXILIARIES, CUE_FORMS
from builder.extract.names import GROUP_NOUNS, ORGANISATION_WORDS, is_title_word, name_span, person_name
from builder.extract.tokens import MARK, PUNCT, QUOTED, WORD, Token

__all__ = [
    "DETERMINERS",
    "HONORIFICS",
    "ISSUED",
    "PRONOUNS",
    "RELATIVES",
    "TIME_WORDS",
    "Mention",
    "mention_after",
    "subject_before",
]

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
RELATIVES = frozenset({"who", "which", "that"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us"})  # "according to him"
DETERMINERS = frozenset(
    "the a an this these those his her its their our my your some many most several other another both all few "
    "no each every any one two three four five six seven eight nine ten dozens hundreds thousands".split()
)
HONORIFICS = frozenset({"mr.", "mrs.", "ms.", "miss", "dr.", "mr", "mrs", "ms", "dr"})
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow earlier later "
    "january february march april may june july august september october november december jan. feb. mar. apr. "
    "jun. jul. aug. sep. sept. oct. nov. dec. morning afternoon evening night week month year weekend".split()
)
# Words inside a noun phrase that link a head to its complement ("spokesman for the ministry").
_INNER = frozenset({"of", "for", "at", "from", "with", "in", "on", "close", "to", "by"})
_STANDALONE = frozenset({"another", "others", "some", "many", "most", "several", "both", "all", "few", "one"})
_CLAUSE_WORDS = frozenset(
    "and or but nor so because although though while whereas if unless since as when where whether than then "
    "there here not n't also only just even still yet however meanwhile instead indeed now later again more most "
    "less very too about into onto over under after before during without within against between among through "
    "by on upon toward towards across behind beyond like near amid despite until up down out off according".split()
)
# Finite verbs a noun phrase never holds; "-ed" words are verbs unless right after a determiner ("the embattled").
_VERBS = frozenset(
    "grew went got made took gave came ran won lost left held kept met paid sent spent stood became began brought "
    "bought built felt fell knew led meant rose saw sold thought spoke put set let cut hit hurt quit seemed "
    "looks look seem seems appear appears appeared need needs want wants wanted get gets give gives go goes "
    "make makes take takes come comes run runs win wins lose loses keep keeps hold holds".split()
)
# Words a verb's bare form follows: modals, "to", "do".
_BARE_VERB_BEFORE = frozenset(
    "may might can could will would should must to do does did won't wouldn't can't couldn't shouldn't "
    "mustn't don't doesn't didn't".split()
)
# Participles that, with "by", name who issued a document: "a report issued by the ministry".
ISSUED = frozenset("issued released published commissioned conducted prepared written produced compiled signed".split())
_CONTRACTED = ("'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "n't", "n’t", "'m", "’m")
_MAX_NP = 10
_MAX_SUBJECT = 30
_CLAUSE_OPENING = frozenset(
    "and but or that because while when as if although though since so whether where after before once".split()
)
_MAX_APPOSITIONS = 4
_BOUNDARY_PUNCT = frozenset({",", ";", ":", "—", "–", "--", "(", ")", "[", "]", "-"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention: the span reported, its kind, the noun phrase around it and, for a relative pronoun,
    the antecedent's span. ``first`` is the token index where the subject (with its appositions) begins."""

    start: int
    end: int
    kind: str  # pronoun | relative | name | phrase
    phrase: tuple[int, int]
    antecedent: tuple[int, int] | None = None
    first: int = 0


def _is_verb(tokens: list[Token], index: int) -> bool:
    if index > 0 and tokens[index].capitalised:
        return False  # "Will Estrada", "the State Department": a name inside a sentence
    low = tokens[index].lower
    if low.endswith(_CONTRACTED) and not low.endswith(("'s", "’s")):
        return True  # "you’re", "they've": a verb is in it
    before = tokens[index - 1] if index > 0 else None
    after_determiner = before is not None and (
        before.lower in DETERMINERS
        or before.lower.endswith(("'s", "’s"))
        # "the Kok report said": a cue word that is also a noun, in a compound; "Caldria left" stays a verb
        or (before.capitalised and index > 1 and low in CUE_FORMS and _noun_form(low))
    )
    if low in AUXILIARIES or low in ADVERBS:
        return True
    if low in _VERBS or low in CUE_FORMS:
        return not after_determiner  # "the email read", "his claim that": a noun after a determiner
    if low.endswith(("ed", "ing")) and not tokens[index].capitalised:
        return not after_determiner
    return False


def _noun_phrase_start(tokens: list[Token], last: int, floor: int) -> int | None:
    """The first token of the noun phrase ending at ``tokens[last]``, not before ``floor``; None if it is none."""
    end_token = tokens[last]
    low = end_token.lower
    if end_token.kind == WORD and low in _STANDALONE and (last == floor or not _noun_like(tokens[last - 1])):
        return last  # "Another tweeted", "most said", "Some argue": a quantifier standing for people
    if end_token.kind != WORD or low in DETERMINERS or low in _CLAUSE_WORDS or low in _INNER:
        return None
    if low in PRONOUNS or low in RELATIVES:
        return last
    if low.endswith(("'s", "’s")) or low in TIME_WORDS:
        return None
    if _is_verb(tokens, last) and not (last == 0 and end_token.capitalised):
        return None  # a capitalised first word before the verb is its subject: "State has told …", "Report says"
    first = last
    index = last - 1
    while index >= floor and last - index < _MAX_NP:
        token = tokens[index]
        low = token.lower
        if token.kind != WORD:
            if token.text == "." and index > floor and tokens[index - 1].kind == WORD:
                index -= 1  # "St." split from its dot by a full-stop reading: keep going
                continue
            break
        if low in DETERMINERS:
            first = index
            # "publisher of The Federalist": a determiner after an inner word belongs to the complement.
            if index - 1 >= floor and tokens[index - 1].lower in _INNER and tokens[index - 1].lower != "to":
                index -= 1
                continue
            break
        if low in _INNER:
            index -= 1
            continue
        if low in {"and", "&"} and _joins_nouns(tokens, index, floor):
            index -= 1  # "teachers and union officials", "Trump and Lewandowski"
            continue
        modifier = low.endswith("ing") and index < last  # "the tracking poll", "the ruling party"
        if low in PRONOUNS or low in RELATIVES or low in _CLAUSE_WORDS or low in TIME_WORDS:
            break
        if _is_verb(tokens, index) and not modifier:
            break
        if low.endswith("ly") and not token.capitalised:
            break
        first = index
        index -= 1
    while first < last and tokens[first].lower in _INNER:
        first += 1
    before = tokens[first - 1] if first > floor else None
    if before is not None and before.lower in _BARE_VERB_BEFORE and first < last and not tokens[first].capitalised:
        first += 1  # "may affect government plans": the word after a modal is its verb
    return first


def _joins_nouns(tokens: list[Token], index: int, floor: int) -> bool:
    """ "and" between two nouns: a name or a plural before it, a name or a noun after it."""
    if index - 1 < floor or index + 1 >= len(tokens):
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    if before.kind != WORD or after.kind != WORD or _is_verb(tokens, index - 1) or _is_verb(tokens, index + 1):
        return False
    if before.capitalised and after.capitalised:
        return True
    return before.lower in GROUP_NOUNS or (before.lower.endswith("s") and not after.capitalised)


def _noun_form(low: str) -> bool:
    """A cue form that is also a noun: its base or "-s" form ("report", "reports", "email"), never a past."""
    cue = CUE_FORMS[low]
    return low in {cue.lemma, cue.lemma + "s", cue.lemma + "es"}


def _noun_like(token: Token) -> bool:
    return token.kind == WORD and token.lower not in _CLAUSE_WORDS and token.lower not in _INNER


def _head_end(tokens: list[Token], first: int, last: int) -> int:
    """The last token of the phrase's head: before its first complement ("Rahman of the Eurasia Group"), unless
    the complement completes an organisation's name ("the Association of Flight Attendants") or the phrase ends
    in a name after a lower-case role ("University of the Lakes political scientist Hamid Tull": all before the
    name describes it)."""
    if _described_name(tokens, first, last):
        return last
    for index in range(first + 1, last + 1):
        if tokens[index].lower in _INNER and tokens[index].kind == WORD:
            named = index + 1 <= last and tokens[index + 1].capitalised and tokens[index].lower == "of"
            if named and tokens[index - 1].lower.rstrip(".") in ORGANISATION_WORDS:
                continue
            return index - 1
    return last


def _described_name(tokens: list[Token], first: int, last: int) -> bool:
    """The phrase ``first..last`` ends in a run of capitalised words right after a lower-case word that is no
    determiner, inner word or conjunction: "oil and gas worker Mike Tarn", "senior manager Erin Kowal"."""
    index = last
    while index > first and tokens[index].capitalised and tokens[index].kind == WORD:
        index -= 1
    if index == last or index < first or tokens[index].kind != WORD or tokens[index].capitalised:
        return False
    low = tokens[index].lower
    return low not in DETERMINERS and low not in _INNER and low not in _CLAUSE_WORDS and not low.endswith(("'s", "’s"))


def _mention_in(tokens: list[Token], first: int, last: int) -> Mention:
    """The mention inside the noun phrase ``tokens[first..last]``."""
    phrase = (tokens[first].start, tokens[last].end)
    if first == last and tokens[first].lower in PRONOUNS:
        return Mention(*phrase, "pronoun", phrase, first=first)
    head_last = _head_end(tokens, first, last)
    # The last run of capitalised words in the head that is not a possessive is the name.
    run_end: int | None = None
    index = head_last
    while index >= first:
        token = tokens[index]
        if token.capitalised and not token.text.endswith(("'s", "’s")) and token.lower not in DETERMINERS:
            run_end = index
            break
        if token.text.endswith(("'s", "’s")):
            break
        index -= 1
    if run_end is not None and run_end == head_last and not (first == last and tokens[first].lower in GROUP_NOUNS):
        run_start = run_end
        while run_start - 1 >= first:
            before = tokens[run_start - 1]
            if before.capitalised and not before.text.endswith(("'s", "’s")):
                run_start -= 1
            elif (
                before.lower in {"of", "for"}
                and run_start - 2 >= first
                and tokens[run_start - 2].lower.rstrip(".") in ORGANISATION_WORDS
            ):
                run_start -= 2  # "Association of Flight Attendants", "Department of Justice"
            else:
                break
        span = name_span(tokens, run_start, run_end)
        if span is not None:
            start = span[0]
            if run_start == first + 1 and tokens[first].lower == "the" and span[0] == tokens[run_start].start:
                start = tokens[first].start  # "the Board", "The New York Post": the article is part of the name
            return Mention(start, span[1], "name", phrase, first=first)
    return Mention(*phrase, "phrase", phrase, first=first)


def _relative(tokens: list[Token], index: int, floor: int) -> Mention:
    """ "Trump, who …": the mention is "who"; its antecedent is the noun phrase before the comma."""
    token = tokens[index]
    antecedent: tuple[int, int] | None = None
    before = index - 1
    if before > floor and tokens[before].text == ",":
        before -= 1
    if before >= floor:
        start = _noun_phrase_start(tokens, before, floor)
        if start is not None:
            inner = _mention_in(tokens, start, before)
            antecedent = (inner.start, inner.end)
    return Mention(token.start, token.end, "relative", (token.start, token.end), antecedent, first=index)


_APPOSITION_MARKS = frozenset({",", "—", "–", "--", "-"})
_LEADING = frozenset({"but", "and", "even", "so", "yet", "still", "also", "only", "then", "now"})


def _segments_before(tokens: list[Token], separator: int, floor: int) -> tuple[list[tuple[int, int]], bool]:
    """Stretches between commas or dashes before ``tokens[separator]``, nearest first, as (first, last) token
    indexes; and whether the farthest one opens its clause (the sentence's start, a colon, a quotation)."""
    segments: list[tuple[int, int]] = []
    end = separator
    opens = False
    while len(segments) <= _MAX_APPOSITIONS:
        index = end - 1
        while index >= floor:
            token = tokens[index]
            if token.text == ")":  # "chairman of America Rising (a Republican PAC)": the parenthesis belongs to it
                opening = _previous(tokens, index, floor, 15, lambda t: t.text == "(")
                if opening is None:
                    break
                index = opening - 1
                continue
            if token.kind == MARK:
                # A quoted title inside the apposition ("the co-author of "Going Viral,"", "titled "Unifier?"",
                # "the hacker known as "Guccifer,"") belongs to it; a quotation before it does not.
                opening = index + 1 < end and tokens[index + 1].kind == QUOTED
                opener = index if opening else _previous(tokens, index, floor, 40, lambda t: t.kind == MARK)
                if opener is None or opener - 1 < floor or tokens[opener - 1].kind != WORD:
                    break
                index = opener - 1
                continue
            if token.kind != WORD and token.text in _BOUNDARY_PUNCT:
                break
            if token.kind not in (WORD, PUNCT, QUOTED) or token.text in {".", "!", "?"}:
                break
            index -= 1
        if index + 1 > end - 1:
            break
        segments.append((index + 1, end - 1))
        if index < floor or tokens[index].text not in _APPOSITION_MARKS:
            opens = True
            break
        end = index
    return segments, opens


def _previous(tokens: list[Token], index: int, floor: int, reach: int, wanted: Callable[[Token], bool]) -> int | None:
    """The index of the nearest token before ``index`` (within ``reach``, not before ``floor``) that is ``wanted``."""
    return next((i for i in range(index - 1, max(floor, index - reach) - 1, -1) if wanted(tokens[i])), None)


def _whole_phrase(tokens: list[Token], first: int, last: int) -> int | None:
    """The first token of the noun phrase spanning ``first..last`` (a leading "But", "Even" aside), or None."""
    while first < last and tokens[first].lower in _LEADING:
        first += 1
    start = _noun_phrase_start(tokens, last, first)
    return start if start == first else None


def subject_before(tokens: list[Token], last: int, floor: int = 0) -> Mention | None:
    """The subject of a cue whose auxiliaries begin right after ``tokens[last]``; None if there is none."""
    if last < floor:
        return None
    token = tokens[last]
    if token.text == ")":
        opening = next((i for i in range(last - 1, max(floor, last - 12) - 1, -1) if tokens[i].text == "("), None)
        if opening is None:
            return None
        return subject_before(tokens, opening - 1, floor)
    if token.kind != WORD and token.text in _APPOSITION_MARKS:
        return _subject_before_appositions(tokens, last, floor)
    if token.kind == MARK and last - 1 >= floor and tokens[last - 1].text == ",":
        # "Washington, star of television's "Scandal," thanked": the comma inside the closing mark ends an apposition
        return _subject_before_appositions(tokens, last - 1, floor)
    if token.kind != WORD:
        return None
    if token.lower in RELATIVES:
        return _relative(tokens, last, floor)
    start = _noun_phrase_start(tokens, last, floor)
    if start == last and _bare_noun(tokens[last]) and not _opens_clause(tokens, start, floor):
        return None  # "may affect government plans": a bare singular noun inside a clause is no speaker
    if start is not None and _opens_clause(tokens, start, floor):
        return _mention_in(tokens, start, last)
    modified = _modified_subject(tokens, last, floor)
    if modified is not None:
        return modified
    return _mention_in(tokens, start, last) if start is not None else None


def _bare_noun(token: Token) -> bool:
    """A lower-case singular common noun standing alone ("government", "income"): it names no one."""
    low = token.lower
    return (
        token.kind == WORD
        and not token.capitalised
        and low not in PRONOUNS
        and low not in RELATIVES
        and low not in _STANDALONE
        and low not in GROUP_NOUNS
        and not low.endswith("s")
    )


def _opens_clause(tokens: list[Token], index: int, floor: int, coordinated: bool = True) -> bool:
    """Token ``index`` starts a clause: the sentence's start, or after punctuation, a quotation or a conjunction
    (``coordinated``: "and" and "or" too)."""
    if index <= floor:
        return True
    before = tokens[index - 1]
    if before.lower in _LEADING and before.kind == WORD:
        return _opens_clause(tokens, index - 1, floor, coordinated)  # ", even a top strategist said"
    if before.kind != WORD or before.text in _BOUNDARY_PUNCT:
        return True
    return before.lower in _CLAUSE_OPENING and (coordinated or before.lower not in {"and", "or"})


def _modified_subject(tokens: list[Token], last: int, floor: int) -> Mention | None:
    """A subject whose head is followed by a modifier before the verb: "Friends of Mr. Clinton's who have seen
    him on the trail say" · "all the experts I interviewed said" · "Political observers in Virginia and around
    the country say": the head is the noun phrase opening the clause."""
    index = last
    while index > floor and last - index < _MAX_SUBJECT and not _opens_clause(tokens, index, floor, False):
        index -= 1
    if index == last or not _opens_clause(tokens, index, floor, False):
        return None
    while index < last and tokens[index].lower in _LEADING:
        index += 1
    head = mention_after(tokens, index)
    if head is None:
        return None
    after = next((i for i, t in enumerate(tokens) if t.start >= head.phrase[1]), len(tokens))
    if after > last:
        return None
    if _modifier_at(tokens, after):
        return head
    plain = all(tokens[i].lower not in _VERBS and tokens[i].lower not in AUXILIARIES for i in range(after, last + 1))
    return head if plain and tokens[after].lower in {"and", "or"} else None


def _modifier_at(tokens: list[Token], index: int) -> bool:
    """A relative clause, a participle, a reduced relative ("the experts I interviewed") or a prepositional
    phrase starts at ``index``."""
    token = tokens[index]
    low = token.lower
    if token.kind != WORD:
        return token.text in {",", "(", "—", "–", "--"}
    if low in RELATIVES or low in {"whose", "whom"} or low in PRONOUNS or low in _INNER | {"around", "across"}:
        return True
    return low.endswith(("ing", "ed")) and not token.capitalised


def _subject_before_appositions(tokens: list[Token], separator: int, floor: int) -> Mention | None:
    """``Smith, an analyst at X, said`` · ``Reynolds - Santilli's girlfriend - told``: the head before the
    appositions. The clause's first phrase wins when it is one ("Sandy Phillips, who lost …, in Aurora,
    Colorado, said"); else the nearest name ("Prices fell, Smith, an analyst, said")."""
    segments, opens = _segments_before(tokens, separator, floor)
    candidates: list[tuple[int, Mention]] = []
    for number in range(len(segments)):
        first, last = segments[number]
        start = _whole_phrase(tokens, first, last)
        if start is None or not all(_apposition(tokens, a, b) for a, b in segments[:number]):
            continue
        candidates.append((number, _mention_in(tokens, start, last)))
    if not candidates:
        return None
    number, farthest = candidates[-1]
    if opens and number == len(segments) - 1:
        if farthest.kind == "phrase" and len(candidates) > 1 and candidates[-2][0] == number - 1:
            # "Campbell's partner, Jason Louth, said" · "The economist at Bank North, Laura Chen, said": a
            # description opening the clause, then the person's name in apposition: the name speaks.
            nearer = candidates[-2][1]
            if nearer.kind == "name" and _describes_one(tokens, farthest) and _is_person(tokens, nearer):
                return replace(nearer, first=farthest.first)  # the subject, appositions and all, starts there
        return farthest
    named = [mention for _, mention in candidates if mention.kind in ("name", "pronoun")]
    return named[0] if named else candidates[0][1]


def _describes_one(tokens: list[Token], mention: Mention) -> bool:
    """The phrase's head is a singular lower-case noun: "Campbell's partner", "the economist at Bank North"."""
    words = [t for t in tokens if mention.phrase[0] <= t.start and t.end <= mention.phrase[1] and t.kind == WORD]
    head = next((t for t in reversed(words) if t.lower not in _INNER), None)
    cut = next((i for i, t in enumerate(words) if i and t.lower in _INNER), len(words))
    head = words[cut - 1] if cut else head
    if head is None or head.lower.endswith("s") or head.lower in GROUP_NOUNS:
        return False
    return not head.capitalised or is_title_word(head.text)  # "The U.S. Treasury Secretary, Colin Arbery, said"


def _is_person(tokens: list[Token], mention: Mention) -> bool:
    text = " ".join(t.text for t in tokens if mention.start <= t.start and t.end <= mention.end)
    return person_name(text) is not None


def _apposition(tokens: list[Token], first: int, last: int) -> bool:
    """A stretch between commas that can qualify a name: a relative clause, or words without a finite verb
    ("an analyst at Goldman", "33%", "Colorado", "in July 2012", "meanwhile")."""
    if tokens[first].lower in RELATIVES or tokens[first].lower in {"whose", "whom"}:
        return True
    if tokens[first].lower.endswith(("ing", "ed")) and not tokens[first].capitalised:
        return True  # "Larry David, playing Sanders on SNL, explained" · "Trump, asked about it, said"
    for index in range(first, last + 1):
        if tokens[index].lower in RELATIVES and index > first:
            return True  # "a former prime minister who took up his job last week"
        low = tokens[index].lower
        if tokens[index].kind == WORD and _is_verb(tokens, index) and not low.endswith(("ing", "ed")):
            return False  # a finite verb; "senior associate for education organizing" holds none
    return True


def _name_ahead(tokens: list[Token], index: int) -> bool:
    """Within a few plain words from ``index``, a capitalised word: the name a descriptor leads to."""
    for ahead in range(index, min(len(tokens), index + 5)):
        token = tokens[ahead]
        low = token.lower
        if token.kind != WORD or low in _CLAUSE_WORDS or low in RELATIVES or low in _INNER or _is_verb(tokens, ahead):
            return False
        if token.capitalised:
            return True
    return False


def mention_after(tokens: list[Token], first: int, noun_phrase: bool = False) -> Mention | None:
    """An inverted subject starting at ``tokens[first]`` ("said Mr. Morris", "said one owner of a shop"); with
    ``noun_phrase`` no verb is expected there, so a cue word is a noun ("according to the bureau's field notes")."""
    if first >= len(tokens) or tokens[first].kind != WORD:
        return None
    token = tokens[first]
    low = token.lower
    if low in PRONOUNS or low in _OBJECT_PRONOUNS:
        return Mention(token.start, token.end, "pronoun", (token.start, token.end), first=first)
    if low in _INNER or low in _CLAUSE_WORDS or low in TIME_WORDS or low in RELATIVES or _is_verb(tokens, first):
        return None
    last = first
    index = first + 1
    while index < len(tokens) and index - first < _MAX_NP:
        token = tokens[index]
        low = token.lower
        if token.kind != WORD:
            break
        if low in _INNER and low != "to":
            # "the Secretary General of NATO", "a spokesman for the ministry"; after a bare name, an adjunct.
            if low != "of" and tokens[last].capitalised:
                break
            index += 1
            continue
        verb = _is_verb(tokens, index) and not (noun_phrase and low in CUE_FORMS and not low.endswith("ed"))
        descriptor = index + 1 < len(tokens) and tokens[index + 1].kind == WORD and not tokens[index + 1].capitalised
        plain = not tokens[last].capitalised and not _is_verb(tokens, last)
        if verb and low.endswith(("ing", "ed")) and plain and descriptor and _name_ahead(tokens, index + 1):
            verb = False  # "chief operating officer Farah Lindqvist": a modifier in the descriptor of a name
        if low in ISSUED and index + 1 < len(tokens) and tokens[index + 1].lower == "by":
            index += 2  # "said a document issued by the Farmers Party": the issuer completes the phrase
            continue
        if low in {"and", "&"} and not tokens[last].capitalised and _name_ahead(tokens, index + 1):
            index += 1  # "said oil and gas worker Mike Tarn": a conjunction inside the descriptor of a name
            continue
        if low in RELATIVES or low in _CLAUSE_WORDS or low in TIME_WORDS or low in PRONOUNS or verb:
            break
        if low.endswith("ly") and not token.capitalised and len(low) > 4:
            break  # "Mr. Schultz generally supported …"
        last = index
        index += 1
    if tokens[last].lower in DETERMINERS and not (last == first and tokens[last].lower in _STANDALONE):
        return None
    return _mention_in(tokens, first, last)
