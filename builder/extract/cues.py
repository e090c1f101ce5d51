"""Attribution: the cue ("said", "told", "according to"…), the speaker mention it attaches to, and the medium.

All searches look at bounded windows around a quotation or inside one sentence, so the work per claim is
bounded whatever the article's length.

Patterns (``NP`` is a speaker mention: a pronoun, a name, or a noun phrase such as "the NATO secretary
general"; appositions between commas are skipped):

* after a quotation: ``"…," NP CUE`` · ``"…," CUE NP`` · ``"…", — NP CUE`` · ``"…," NP, apposition, CUE``;
* before a quotation: ``NP CUE: "…"`` · ``NP CUE that "…"`` · ``According to NP, "…"``;
* reported speech in a sentence: ``NP CUE (that) CLAUSE`` · ``CLAUSE, NP CUE`` · ``CLAUSE, CUE NP`` ·
  ``PART, NP CUE, PART`` · ``According to NP, CLAUSE``. "said"/"says"/"added" may take a clause without
  "that"; "told" and the other verbs ("noted", "stressed", "warned"…) need "that".
* medium: the object of "told" ("told Polish daily Gazeta Wyborcza") or "in an interview with X".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.speakers import ROLE_WORDS, is_title_word, nationality, person_name

__all__ = [
    "CUE_PHRASES",
    "Attribution",
    "Reported",
    "attribution_after",
    "attribution_before",
    "find_media",
    "find_reported",
]

# Verbs that may take a reported clause without "that" ("Stoltenberg said there was no contradiction").
_BARE_VERBS = ("said", "says", "say", "added", "adds")
# Verbs that introduce reported speech only with "that" (or a quotation).
_THAT_VERBS = (
    "was quoted as saying", "is quoted as saying", "went on to say", "goes on to say", "pointed out", "points out",
    "told", "tells", "noted", "notes", "stressed", "stresses", "warned", "warns", "explained", "explains",
    "insisted", "insists", "argued", "argues", "claimed", "claims", "announced", "announces", "stated", "states",
    "declared", "declares", "concluded", "concludes", "acknowledged", "acknowledges", "admitted", "admits",
    "emphasised", "emphasized", "emphasises", "emphasizes", "underlined", "recalled", "observed", "remarked",
    "asserted", "confirmed", "replied", "responded", "wrote", "writes", "continued", "continues", "believes",
)  # fmt: skip
CUE_PHRASES = ("according to", *_THAT_VERBS, *_BARE_VERBS)
_CUE = re.compile(r"\b(?:" + "|".join(sorted(CUE_PHRASES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_VERBISH = frozenset(
    "is are was were be been being has have had will would can could should may might must do does did "
    "and but or that which who whom whose to not if because when while said says told added there here".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your one two three some several many".split()
)
_PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "him", "her", "you", "them"])
_NP_STOP = re.compile(
    r"[,.;:!?\"“”«»()\[\]\n]|[ \xa0](?:at|in|on|during|ahead|after|before|to|with|for|from|while|when|who|which|"
    r"that|as|last|yesterday|today|earlier|later|on|about|via|through|because|and)\b",
)
_LEAD = re.compile(r"[\s\xa0,.;:!?]*(?:[—–-]+[\s\xa0]*)?")
_INTERVIEW = re.compile(r"\binterview (?:with|to|for) |\btold |\btells ", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"[A-Z][\w'’.-]*")
_MAX_NP = 90
_MAX_APPOSITION = 170


@dataclass(frozen=True, slots=True)
class Attribution:
    """A cue span, the span of the speaker mention it attaches to (if any) and the medium named (if any)."""

    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    medium: str | None


@dataclass(frozen=True, slots=True)
class Reported:
    """A piece of reported speech: its content span and its attribution."""

    start: int
    end: int
    attribution: Attribution


def _words(stretch: str) -> list[str]:
    return stretch.replace("\xa0", " ").split()


def _mention(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The speaker mention in the noun phrase ``text[start:end]``, or None if it is no noun phrase.

    Holding a name, the mention is the name ("Jens Stoltenberg" in "NATO Secretary General Jens Stoltenberg");
    otherwise the whole phrase ("the alliance's new secretary-general") or the pronoun.
    """
    while start < end and text[start] in " \xa0\t":
        start += 1
    while end > start and text[end - 1] in " \xa0\t":
        end -= 1
    stretch = text[start:end]
    words = _words(stretch)
    if not words or len(words) > 10 or end - start > _MAX_NP:
        return None
    lowered = [w.lower().strip(".,") for w in words]
    if any(w in _VERBISH for w in lowered):
        return None
    first = words[0]
    if len(words) == 1 and lowered[0] in _PRONOUNS:
        return start, end
    if not (first[:1].isupper() or lowered[0] in _DETERMINERS or first.endswith(("'s", "’s"))):
        return None
    # The last run of capitalised words that is not a title is the name, when there is one.
    runs = [m for m in _NAME_TOKEN.finditer(stretch) if not m.group().isupper() or len(m.group()) == 1]
    if lowered[0] in {"a", "an"}:
        return start, end  # "a Home Office spokesman": an unnamed person, kept whole
    for run_start, run_end in reversed(_name_runs(stretch, runs)):
        if _names_a_person(stretch, run_start, run_end):
            return start + run_start, start + run_end
    has_role = any(role in stretch.lower() for role in ROLE_WORDS)
    if lowered[0] in _DETERMINERS or first.endswith(("'s", "’s")) or has_role or first[:1].isupper():
        return start, end
    return None


def _names_a_person(stretch: str, run_start: int, run_end: int) -> bool:
    """A run names a person when it is a full name, the whole phrase, or a surname after a title ("Mr Cable")."""
    run = stretch[run_start:run_end]
    if " " in run.replace("\xa0", " ").strip():
        return person_name(run) is not None
    if stretch.strip(" \xa0") == run:
        return True
    before = stretch[:run_start].split()
    return bool(before) and is_title_word(before[-1])


def _name_runs(stretch: str, tokens: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Runs of adjacent capitalised tokens that are not title words (Secretary, General, President…)."""
    runs: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for token in tokens:
        word = token.group().rstrip(".,")
        if is_title_word(word) or nationality(word) or word.lower() in _DETERMINERS or word.endswith(("'s", "’s")):
            current = None
            continue
        if current is not None and stretch[current[1] : token.start()].strip(" \xa0") == "":
            current = (current[0], token.start() + len(word))
            runs[-1] = current
        else:
            current = (token.start(), token.start() + len(word))
            runs.append(current)
    return runs


def _np_after(text: str, start: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase starting at ``start`` (inverted "said the Secretary General of NATO")."""
    stop = _NP_STOP.search(text, start, min(limit, start + _MAX_NP + 1))
    end = stop.start() if stop else min(limit, start + _MAX_NP)
    return _mention(text, start, end)


def _medium(text: str, cue: re.Match[str], limit: int) -> str | None:
    window_end = min(limit, cue.end() + 160)
    found = _INTERVIEW.search(text, cue.start(), window_end)
    if found is None:
        return None
    stop = _NP_STOP.search(text, found.end(), window_end)
    end = stop.start() if stop else window_end
    medium = text[found.end() : end].strip(" \xa0")
    if not medium or medium.lower() in _PRONOUNS or any(w.lower() in _VERBISH for w in _words(medium)):
        return None
    return medium.replace("\xa0", " ")


def attribution_after(text: str, position: int, limit: int) -> Attribution | None:
    """An attribution right after a closing quotation mark at ``position`` (``"…," he said``).

    After a quotation that ends its own sentence (``."``), "NP said" counts only when nothing but adjuncts
    follows: ``"…night." Ferguson said Milan's front line …`` is a new sentence, not an attribution.
    """
    found = _attribution_after(text, position, limit)
    if found is None or position < 2 or text[position - 2] not in ".!?…":
        return found
    tail = max(found.cue[1], found.speaker[1] if found.speaker else 0)
    return found if _ends_attribution(text, found, tail, limit, strict=True) else None


def _attribution_after(text: str, position: int, limit: int) -> Attribution | None:
    lead = _LEAD.match(text, position, limit)
    start = lead.end() if lead else position
    cue = _CUE.search(text, start, min(limit, start + _MAX_APPOSITION))
    if cue is None:
        return None
    if cue.start() == start:  # inverted: said Stoltenberg
        speaker = _np_after(text, cue.end(), limit)
        return Attribution((cue.start(), cue.end()), speaker, _medium(text, cue, limit)) if speaker else None
    before = text[start : cue.start()]
    if any(mark in before for mark in '"“”«».!?'):
        return None
    subject_end = cue.start()
    if "," in before:
        # "Stoltenberg, a former Norwegian prime minister who took up his new job last week, told …"
        if not before.rstrip(" \xa0").endswith(","):
            return None
        subject_end = start + before.index(",")
    speaker = _mention(text, start, subject_end)
    if speaker is None:
        return None
    return Attribution((cue.start(), cue.end()), speaker, _medium(text, cue, limit))


_BEFORE = re.compile(
    r"(?P<cue>"
    + _CUE.pattern[2:-2]
    + r")(?:[ \xa0]+that|[ \xa0]+(?:in|to|at|on|during)[^,\"“«.]{0,60})?[ \xa0]*[,:]?[ \xa0]*$",
    re.IGNORECASE,
)


_ACCORDING_BEFORE = re.compile(r"(?P<cue>\b[Aa]ccording to)[ \xa0]+(?P<np>[^,.;:\"“”«»]{1,80}?)[ \xa0]*,[ \xa0]*$")


def attribution_before(text: str, position: int, floor: int) -> Attribution | None:
    """An attribution right before an opening quotation mark at ``position`` (``he noted that "…``)."""
    window_start = max(floor, position - 200)
    according = _ACCORDING_BEFORE.search(text, window_start, position)
    if according is not None:
        speaker = _mention(text, *according.span("np"))
        if speaker is not None:
            return Attribution(according.span("cue"), speaker, None)
    cue = _BEFORE.search(text, window_start, position)
    if cue is None:
        return _that_clause_holding(text, window_start, position)
    cue_start, cue_end = cue.span("cue")
    if cue.group("cue").lower() == "according to":
        speaker = _np_after(text, cue_end, position)
        return Attribution((cue_start, cue_end), speaker, None) if speaker else None
    sentence_start = window_start
    for mark in re.finditer(r"[.;!?\"“”«»]", text[window_start:cue_start]):
        sentence_start = window_start + mark.end()
    speaker = _subject_before(text, sentence_start, cue_start)
    if speaker is None:
        return None
    return Attribution((cue_start, cue_end), speaker, _medium(text, cue, position))


def _that_clause_holding(text: str, start: int, position: int) -> Attribution | None:
    """``you said in Oslo, that the correct response is “…``: a cue whose that-clause holds the quotation."""
    clause_start = start
    for mark in re.finditer(r"[.;!?\"“”«»]", text[start:position]):
        clause_start = start + mark.end()
    for cue in _CUE.finditer(text, clause_start, position):
        that = _THAT_AFTER.match(text, cue.end(), position)
        subject = _subject_before(text, clause_start, cue.start())
        if that is not None and subject is not None:
            return Attribution((cue.start(), cue.end()), subject, _medium(text, cue, position))
    return None


def find_media(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of media named as the recipient of a statement ("told TASS", "interview with Euronews")."""
    spans = []
    for found in _INTERVIEW.finditer(text, start, end):
        stop = _NP_STOP.search(text, found.end(), min(end, found.end() + _MAX_NP))
        media_end = stop.start() if stop else min(end, found.end() + _MAX_NP)
        if media_end > found.end():
            spans.append((found.end(), media_end))
    return spans


def _clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A reported clause: "that" dropped, edge punctuation trimmed, at least three words."""
    while start < end and text[start] in " \xa0,:;—–-":
        start += 1
    if text.startswith("that ", start) or text.startswith("that\xa0", start):
        start += 5
    while end > start and text[end - 1] in " \xa0.,;:!?…":
        end -= 1
    if len(_words(text[start : min(end, start + 120)])) < 3:  # three words show within the first 120 characters
        return None
    return start, end


_ADJUNCT = (
    r"(?:in|at|on|during|ahead|after|before|last|earlier|later|yesterday|today|recently|this|when|while|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)
# "said (in an interview last week,) that …": a short adjunct may stand between the cue and "that".
_THAT_AFTER = re.compile(rf"[ \xa0]+(?:{_ADJUNCT}[^.;:\"“”«»]{{0,60}}?,?[ \xa0])?that[ \xa0]", re.IGNORECASE)
_STRICT_TAIL = re.compile(rf"[ \xa0]*(?:$|[,;.!?—–-]|{_ADJUNCT}|to\b)", re.IGNORECASE)
_ATTRIBUTION_TAIL = re.compile(rf"[ \xa0]*(?:$|[,:;.!?—–-]|that\b|{_ADJUNCT})", re.IGNORECASE)


def _ends_attribution(text: str, attribution: Attribution, tail_start: int, end: int, strict: bool = False) -> bool:
    """After "NP said" (or "said NP") only adjuncts, punctuation or a parenthetical's rest may follow.

    ``strict``: not even "that …" (after ``."``, "Shaheed noted that …" starts a sentence of its own).
    """
    cue = text[attribution.cue[0] : attribution.cue[1]].lower()
    if cue in {"told", "tells"}:
        return not strict or _STRICT_TAIL.match(text, attribution.cue[1], end) is not None
    pattern = _STRICT_TAIL if strict else _ATTRIBUTION_TAIL
    return pattern.match(text, tail_start, end) is not None


def _complement(text: str, cue: re.Match[str], end: int) -> tuple[int, int] | None:
    """The clause a cue introduces, per the verb's rule."""
    verb = cue.group().lower()
    rest = text[cue.end() : min(end, cue.end() + _MAX_APPOSITION)]
    that = _THAT_AFTER.match(rest)
    if that:
        return _clause(text, cue.end() + that.end(), end)
    if verb in _BARE_VERBS and re.match(rf"[ \xa0]+(?!{_ADJUNCT}|to\b)\w", rest, re.IGNORECASE):
        return _clause(text, cue.end(), end)
    return None


def find_reported(text: str, start: int, end: int) -> list[Reported]:
    """Reported speech in the sentence ``text[start:end]``: one piece, or two around a parenthetical cue."""
    for comma in re.finditer(r",[ \xa0]+(?:[—–-][ \xa0]*)?", text[start:end]):
        attribution = attribution_after(text, start + comma.start() + 1, end)
        if attribution is None:
            continue
        tail_start = max(attribution.cue[1], attribution.speaker[1] if attribution.speaker else 0)
        if not _ends_attribution(text, attribution, tail_start, end):
            continue  # "…, Stoltenberg said there was…": the clause follows the cue; see below
        before = _clause(text, start, start + comma.start())
        tail = re.match(r"[ \xa0]*(?:[,:]|(?=that\b))[ \xa0]*", text[tail_start:end])
        after = _clause(text, tail_start + tail.end(), end) if tail else None
        inverted = attribution.cue[0] < (attribution.speaker or attribution.cue)[0]
        that = _THAT_AFTER.match(text, tail_start, end)
        if that is not None and not inverted:
            # "After the meeting, the minister said on Monday that …": a fronted adverbial, then the cue's clause.
            clause = _clause(text, that.end(), end)
            if clause is not None:
                return [Reported(*clause, attribution)]
        if before is None:
            continue
        pieces = [Reported(*before, attribution)]
        if after is not None:
            pieces.append(Reported(*after, attribution))
        return pieces
    according = re.match(r"[Aa]ccording to ", text[start:end])
    if according:
        speaker = _np_after(text, start + according.end(), end)
        clause = _clause(text, speaker[1], end) if speaker else None
        if speaker and clause:
            return [Reported(*clause, Attribution((start, start + according.end() - 1), speaker, None))]
    for cue in _CUE.finditer(text, start, end):
        that_verb = _THAT_AFTER.match(text, cue.end(), end) is not None
        subject = _subject_before(text, start, cue.start(), that_verb)
        if subject is None:
            continue
        clause = _complement(text, cue, end)
        if clause is not None:
            return [Reported(*clause, Attribution((cue.start(), cue.end()), subject, _medium(text, cue, end)))]
    return []


def _subject_before(text: str, sentence_start: int, cue_start: int, that_verb: bool = False) -> tuple[int, int] | None:
    """The subject of a cue: the phrase since the last comma, or before an apposition that ends at the cue."""
    sentence_start = max(sentence_start, cue_start - _MAX_APPOSITION)  # a subject stands close to its verb
    before = text[sentence_start:cue_start]
    stripped = before.rstrip(" \xa0")
    adverb = re.search(r"[ \xa0](?:\w+ly|also|earlier|later|then|again|once)$", stripped)
    if adverb:
        stripped = stripped[: adverb.start()]
    commas = [m.start() for m in re.finditer(",", stripped)]
    if stripped.endswith(",") and len(commas) >= 2:
        # "Jens Stoltenberg, who is visiting Poland, said": the subject stands before the apposition.
        head_start = commas[-3] + 1 if len(commas) >= 3 else 0
        return _mention(text, sentence_start + head_start, sentence_start + commas[-2])
    head_start = commas[-1] + 1 if commas else 0
    mention = _mention(text, sentence_start + head_start, sentence_start + len(stripped))
    if mention is None and that_verb and " and" in stripped[head_start:]:
        # "Stoltenberg earlier called for dialogue and stressed that…": the subject of the first verb.
        first = re.match(r"[ \xa0]*((?:[A-Z][\w'’-]*[ \xa0]?){1,4}|he|she|they)\b", stripped[head_start:])
        if first:
            return _mention(
                text, sentence_start + head_start + first.start(1), sentence_start + head_start + first.end(1)
            )
    return mention
