"""Standalone claims: a claim's references replaced by what its article says they stand for.

The references resolved, each from what the article names before it (:class:`~.speakers.People`, the same
index the speakers come from, with its :class:`~.referents.Referents`):

* a third-person personal pronoun or possessive ("he", "him", "his", "she", "her", "hers") → the person's full
  name ("his" → "Jens Stoltenberg’s"). In a claim of the build, only when there is no doubt: the subject of
  reported speech is its speaker, when no other man (or described rival, "The Argentine") stands between;
  otherwise the one person of that gender, with a full name and a gender the article tells, named in the
  pronoun's sentence or the two before (read by hand on news, a best guess among several was wrong about half
  the time). Inside a quotation never the quotation's own speaker (a speaker says "I", not "he"). A passage
  (``factpack standalone``) takes :class:`~.referents.PronounScorer`'s best guess instead;
* "she" for a country ("Russia is our neighbour, she’s not going anywhere"), when the clause before is about
  that country and no woman is named;
* "its" → the organisation or place that is the subject of its clause, with no other subject between;
* "they" opening what a group reports ("The farmers say they …") → that group;
* a person's short name ("Stoltenberg", "Mr. Stoltenberg"), at its first use in the claim → the full name the
  article gave ("Jens Stoltenberg"), when the short name is its surname or a common given name;
* a definite description: "the alliance" → the one organisation the article calls an alliance ("the NATO
  alliance", "NATO, the military alliance"); a role ("the secretary-general") → the one person the article
  gives it as their own (a "deputy mayor" is not "the mayor").

What stays as written: first person and "you" (the speaker and the interviewer say who), "it" (mostly no
reference at all: "it is likely"), other "they"/"them"/"their", reflexives, a pronoun whose antecedent the
claim names itself ("Smith said his …"), and any reference the resolver is unsure of. A third-person reference
left unresolved ("he", "she", "his", "her", "its", "they", "them", "their") sets ``needs_context``.

Grammar stays right: a possessive pronoun becomes a possessive name (with the apostrophe the article uses), a
contraction its full verb ("she’s" → "Russia is", "he’d been" → "… had been"); every replacement is a name,
so one at the start of a sentence starts with a capital as the pronoun did.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import cached_property
from typing import NamedTuple

from builder.extract.document import Document
from builder.extract.names import FEMALE_NAMES, HONORIFICS, MALE_NAMES, ROLE_WORDS
from builder.extract.referents import (
    ROLE_NOUNS,
    PronounScorer,
    Referent,
    Referents,
    both_cases,
    pronoun_role,
    sentence_spans,
    words_pattern,
)
from builder.extract.speakers import PERSON_NOUNS, People
from builder.models import Resolution, ResolutionKind
from builder.models.published import apply_resolutions
from builder.text import MASK

__all__ = ["ClaimResolutions", "ClaimSpan", "PassageResolver", "resolve_passage"]

_THIRD_PERSON_WORDS = ("he", "she", "him", "his", "her", "hers", "its", "they", "them", "their", "theirs")
_THIRD_PERSON = re.compile(
    words_pattern(both_cases(_THIRD_PERSON_WORDS), r"[\w’'-]") + r"(?:['’](?:s|d|ll|re|ve)\b)?(?![\w’'-])"
)
_PERSONAL = frozenset({"he", "she", "him", "his", "her", "hers"})
CLAIM_WINDOW = 2
"""Sentences before a claim's pronoun where its antecedent must be the only person of its gender (a passage takes
the scorer's choice instead)."""
_PLURAL_GROUPS = frozenset("pair couple both all many most some several others public majority".split())
_FLAGGED = frozenset({"he", "she", "him", "his", "her", "hers", "its", "they", "them", "their", "theirs"})
# Nouns whose tie names the organisation itself ("the NATO alliance": NATO); "the UK government" or "the
# Premiership club" do not ("the government" is not "UK").
_ORGANISATION_NOUNS = (
    "alliance bloc company firm bank party group organisation organization union agency federation coalition "
    "network corporation institute".split()
)
# "The" opens the pattern with its letter, not a look-behind, so that a search skips to the letter (see
# words_pattern); the rest is matched in any case.
_DESCRIPTION = re.compile(
    r"([Tt](?<![\w-][Tt])(?i:he)) (?i:(?:(?:new|former|current|outgoing|incoming|acting|western|military|defence|"
    r"defense|security|political|Western|Atlantic|US-led|U\.S\.-led) )?("
    + "|".join(sorted({*_ORGANISATION_NOUNS, *ROLE_WORDS}, key=len, reverse=True))
    + r"))(?![\w-])"
)
_GROUP = re.compile(r"\b[a-z]{3,}(?<!ss)(?<!us)(?<!is)(?<!as)s\b")  # a plural noun ("countries", "members")
_SPECIFIED = re.compile(r"(?: of\b| for\b| [A-Z])")
_PERSON_DESCRIBED = re.compile(
    r"\b[Tt]he (?:[A-Z][a-z]+(?:ian|ine|ese|ish|ch|i)|(?:[a-z-]+ )?(?:"
    + "|".join(sorted(PERSON_NOUNS | ROLE_NOUNS, key=len, reverse=True))
    + r"))\b(?! of\b)"
)
_APPOSED = re.compile(r"[A-Z][\w.’'-]*, $")
# A clause with a subject of its own between an organisation and "its": "the government published its".
_OTHER_SUBJECT = re.compile(
    r"[.;:!?]|\b(?:the|a|an|this|that|which|who|he|she|they|we|I|you)\b [a-z]+ (?:[a-z]+ )?its\b"
)
_PERFECT = re.compile(r" +(?:been|got|had|done|gone|seen|made|taken|said|told|become|[a-z]+ed)\b")


class ClaimSpan(NamedTuple):
    """A stretch to resolve: its raw span and who speaks in it (a quotation's speaker is no antecedent of its
    own "he"); ``spoken`` when the whole stretch is a quotation or an answer; ``reporter``, for reported speech,
    the span of the noun phrase (not a name, not a pronoun) that says it. A claim leaves a pronoun whose
    antecedent it names itself ("Smith said his …"); a passage (``every``) resolves every reference. A named
    tuple, made once per claim: cheaper than a frozen dataclass."""

    start: int
    end: int
    speaker: str | None = None
    spoken: bool = False
    every: bool = False
    reporter: tuple[int, int] | None = None  # the phrase that reports it: "The farmers" (said they …)
    reported: bool = False  # reported speech: its subject "he" is, first of all, the speaker


class ClaimResolutions(NamedTuple):
    """The resolutions of one stretch, and whether a third-person reference in it stayed unresolved."""

    resolutions: tuple[Resolution, ...]
    needs_context: bool


class PassageResolver:
    """Resolves the references of stretches of one article's view against what the article names."""

    def __init__(self, document: Document, people: People) -> None:
        view = self.view = document.view
        self.masked = document.masked
        self.people = people
        self.referents = people.referents or Referents(view, sentence_spans(view, document.paragraphs))
        self.apostrophe = "’" if view.count("’") > view.count("'") else "'"
        self._full_names = _full_name_spans(self.referents.items)
        self._starts = [referent.start for referent in self.referents.items]
        # A name's canonical form and a speaker's names are asked for again and again (each pronoun, each claim):
        # each is worked out once.
        self._canonical_names: dict[tuple[str, str], str] = {}
        self._speaker_names: dict[str, frozenset[str]] = {}
        self._gendered = {self._canonical(r) for r in self.referents.items if r.kind == "person" and r.gender}
        self._words: list[tuple[int, int, str]] | None = None
        self._word_starts: list[int] = []
        self._ties: dict[str, dict[str, tuple[int, int]]] = {}

    @cached_property
    def scorer(self) -> PronounScorer:
        """The scorer a passage's pronouns take their best guess from (a claim's never ask it)."""
        return PronounScorer(self.referents)

    def _canonical(self, referent: Referent) -> str:
        """The full name of a person the article names ("Mr. Putin" → "Vladimir Putin"), else the name. A full
        name is taken as the passage writes it: the speakers' index may hold it with a word before it ("Actress
        Patsy Rowlands", "Swede Joachim Johansson"), which no replacement should carry."""
        key = (referent.name, referent.kind)
        if key not in self._canonical_names:
            words = referent.name.split()
            canonical = referent.name
            if referent.kind == "person" and (len(words) == 1 or words[0].lower() in HONORIFICS):
                found = self.people.canonical(referent.name)
                canonical = found if found in self._full_names else referent.name
            self._canonical_names[key] = canonical
        return self._canonical_names[key]

    def _between(self, start: int, end: int) -> list[Referent]:
        items = self.referents.items
        low, high = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [referent for referent in items[low:high] if referent.end <= end]

    def resolve(self, span: ClaimSpan) -> ClaimResolutions:
        found: list[Resolution] = []
        unresolved = False
        named: set[str] = set()
        for reference in self._references(span):
            start, end, kind = reference
            resolution: Resolution | None
            if kind == "pronoun" and (reported := self._reported(start, end, span)) is not None:
                found.append(reported)
                continue
            if kind == "pronoun":
                referent = self._antecedent(start, end, span)
                word = self.view[start:end].lower().replace("’", "'").split("'")[0]
                personified = referent is not None and referent.kind == "place" and word in {"she", "her", "hers"}
                if (
                    referent is not None
                    and not span.every
                    and not personified
                    and self._named(referent, named, span.start, start)
                ):
                    continue  # "Smith said his …": the claim names him already (a country's "she" it does not)
                resolution = None if referent is None else self._pronoun(start, end, referent)
                if resolution is None and word in _FLAGGED and not self._group_named(word, span.start, start):
                    unresolved = True
            elif kind == "name":
                resolution = self._name(start, end, named)
            else:
                resolution = self._description(start, end)
            if resolution is not None:
                found.append(resolution)
                named.add(resolution.replacement.removesuffix(f"{self.apostrophe}s"))
            if kind == "name" or resolution is not None:
                named.update(self._canonical(referent) for referent in self._between(start, end))
        return ClaimResolutions(tuple(found), unresolved)

    def _named(self, referent: Referent, named: set[str], start: int, end: int) -> bool:
        """Whether the claim names ``referent`` before ``end``, itself or by a replacement made."""
        name = self._canonical(referent)
        return name in named or any(self._canonical(r) == name for r in self._between(start, end))

    def _references(self, span: ClaimSpan) -> list[tuple[int, int, str]]:
        if self._words is None:
            # Pronouns and descriptions found once in the whole view, each claim taking its stretch by bisection:
            # claims nest and overlap, and scanning each claim again cost more than the rest of the resolver.
            words = [(m.start(), m.end(), "pronoun") for m in _THIRD_PERSON.finditer(self.view)]
            words += [(m.start(), m.end(), "description") for m in _DESCRIPTION.finditer(self.view)]
            self._words = sorted(words)
            self._word_starts = [start for start, _, _ in self._words]
        low = bisect.bisect_left(self._word_starts, span.start)
        high = bisect.bisect_left(self._word_starts, span.end)
        references = [word for word in self._words[low:high] if word[1] <= span.end]
        references += [(r.start, r.end, "name") for r in self._between(span.start, span.end) if r.kind == "person"]
        references.sort()
        kept: list[tuple[int, int, str]] = []
        for reference in references:
            if kept and reference[0] < kept[-1][1]:
                continue
            kept.append(reference)
        return kept

    def _group_named(self, word: str, start: int, end: int) -> bool:
        """ "Russia has to change their actions": a plural pronoun after something the claim names itself."""
        return word in {"they", "them", "their", "theirs"} and (
            bool(self._between(start, end)) or _GROUP.search(self.view, start, end) is not None
        )

    def _reported(self, start: int, end: int, span: ClaimSpan) -> Resolution | None:
        """ "The farmers say they will keep protesting": "they" opening what a group reports is that group."""
        if span.reporter is None or start != span.start:
            return None
        word, _, contraction = self.view[start:end].replace("’", "'").partition("'")
        if word.lower() != "they":
            return None
        phrase = self.view[span.reporter[0] : span.reporter[1]]
        head = phrase.split()[-1].lower()
        if head not in _PLURAL_GROUPS and not (head.endswith("s") and not head.endswith("ss")):
            return None  # "The blocking began … saying they are": no group of people
        if word.islower() and phrase.split(" ", 1)[0] in {"The", "Many", "Some", "Most", "Several"}:
            phrase = phrase[0].lower() + phrase[1:]
        replacement = f"{phrase} {_verb(contraction.lower(), self.view, end)}" if contraction else phrase
        return self._resolution(start, end, replacement, *span.reporter, ResolutionKind.PRONOUN)

    def _antecedent(self, start: int, end: int, span: ClaimSpan) -> Referent | None:
        word = self.view[start:end].replace("’", "'").partition("'")[0]
        lower = word.lower()
        quoted = span.spoken or self.masked[start] == MASK
        if lower in _PERSONAL:
            gender = "m" if lower in {"he", "him", "his"} else "f"
            role = pronoun_role(self.view, start, start + len(word))
            if span.reported and not quoted and span.speaker and role == "subject" and not span.every:
                # "Fox told the Post that after visiting the theatre he was surprised": the speaker, or, when that
                # cannot be told for sure, no one (a reported "he" is seldom anyone else named nearby)
                return self._speaker(span.speaker, gender, start)
            exclude = self._names_of(span.speaker) if quoted and span.speaker else frozenset()
            if span.every:
                referent = self.scorer.antecedent(start, start + len(word), exclude)
            else:
                referent = self._only_one(start, gender, exclude)
            if referent is None and gender == "f":
                referent = self._country(start)
            return referent
        return self._organisation(start) if lower == "its" else None

    def _only_one(self, start: int, gender: str, exclude: frozenset[str]) -> Referent | None:
        """A claim's pronoun: the one person of its gender named in its sentence and the two before, when there is
        only one. Read by hand on news, the scorer's best guess among two or more was wrong about half the time
        ("Tony Martin was jailed for shooting a burglar as he ran away"), and a wrong replacement is worse than
        none. The person must carry a full name ("Arsenal", "England" act like people in sport) and a gender the
        article tells."""
        found: dict[str, Referent] = {}
        window = self.referents.before(start, CLAIM_WINDOW)
        if window and _PERSON_DESCRIBED.search(self.view, window[0].start, start):
            return None  # "The Argentine had stoked it up … And he had words with Hewitt": a rival with no name
        for referent in window:
            if referent.kind != "person" or referent.name in exclude:
                continue
            if referent.gender != gender:
                if referent.gender is None:
                    return None  # "Ronan Keating" of no known gender may well be the "he"
                continue
            name = self._canonical(referent)
            if (" " in name and name.split()[0].lower() not in HONORIFICS) or name in self._full_names:
                found[name] = referent
            else:
                return None  # a man named only "Arsenal" or "Mr Smith": who else he is, the claim cannot say
        return next(iter(found.values())) if len(found) == 1 else None

    def _names_of(self, speaker: str) -> frozenset[str]:
        """Every name the article gives the person ``speaker`` ("Mr Blair", "Blair", "Tony Blair")."""
        if speaker not in self._speaker_names:
            names = {r.name for r in self.referents.items if self._canonical(r) == speaker}
            self._speaker_names[speaker] = frozenset({speaker} | names)
        return self._speaker_names[speaker]

    def _speaker(self, speaker: str, gender: str, before: int) -> Referent | None:
        """The latest naming of the reporting speaker before ``before``, when its gender is the pronoun's."""
        names = self._names_of(speaker)
        at = bisect.bisect_left(self._starts, before)
        others = False  # "Lord X challenged Mr Brown to deny that he …": another man between, so either
        for referent in reversed(self.referents.items[max(0, at - 40) : at]):
            if referent.kind != "person":
                continue
            if referent.name in names:
                rival = _PERSON_DESCRIBED.search(self.view, referent.end, before)  # "…past Ancic. The Russian"
                return referent if referent.gender == gender and not others and rival is None else None
            others = others or referent.gender in {gender, None}
        return None

    def _pronoun(self, start: int, end: int, referent: Referent) -> Resolution:
        word, _, contraction = self.view[start:end].replace("’", "'").partition("'")
        lower = word.lower()
        name = self._canonical(referent)
        role = pronoun_role(self.view, start, start + len(word))
        if role == "possessive" or lower == "hers":
            replacement = f"{name}{self.apostrophe}s"
        elif contraction:
            replacement = f"{name} {_verb(contraction.lower(), self.view, end)}"
        else:
            replacement = name
        return self._resolution(start, end, replacement, referent.start, referent.end, ResolutionKind.PRONOUN)

    def _country(self, start: int) -> Referent | None:
        """ "Russia is our neighbour, she’s …": the place the clause before is about, when no woman is named."""
        earlier = [r for r in self.referents.in_sentence(start) if r.end <= start]
        if not earlier or any(r.kind == "person" and r.gender != "m" for r in earlier):
            return None
        last = earlier[-1]
        return last if last.kind == "place" and last.subject else None

    def _organisation(self, start: int) -> Referent | None:
        """ "its": the organisation or place that is the subject of its clause ("NATO wants … as it increases its
        presence"); anything else ("the government published its …") stays."""
        sentence = self.referents.sentence_of(start)
        here = [r for r in self.referents.before(start, 0) if r.subject and r.sentence == sentence]
        if not here or here[-1].kind not in {"organisation", "place"}:
            return None
        subject = here[-1]
        return None if _OTHER_SUBJECT.search(self.view, subject.end, start + 3) else subject

    def _name(self, start: int, end: int, named: set[str]) -> Resolution | None:
        """A short name's first use in the claim → the full name, when the article gave it before."""
        referent = next((r for r in self._between(start, end) if r.start == start), None)
        if referent is None:
            return None
        name = self._canonical(referent)
        if name in named or name == self.view[start:end] or not _short_form(self.view[start:end], name):
            return None
        full = self._full_names.get(name)
        if full is None or full[0] >= start or name not in self._gendered:
            # A full name of no known gender ("Real Betis", "Apple Powerbook") is as often a club or a product.
            return None
        return self._resolution(start, end, name, full[0], full[1], ResolutionKind.NAME)

    def _description(self, start: int, end: int) -> Resolution | None:
        """ "the alliance" → the one organisation the article calls so; "the secretary-general" → the one person
        the article gives that role."""
        found = _DESCRIPTION.match(self.view, start, end)
        if found is None or _SPECIFIED.match(self.view, end) or _APPOSED.search(self.view, max(0, start - 40), start):
            # "the President of the United States", "the secretary general Jens Stoltenberg", "NATO, the alliance":
            # the words say who already
            return None
        noun = found.group(2).lower()
        if noun in _ORGANISATION_NOUNS:
            tied = {
                name: span for name, span in self._tied(noun, start).items() if self._kind_of(span) == "organisation"
            }
            if len(tied) != 1:
                return None  # none, or two: "the club" beside "the Premiership club" and "United"
            ((name, (tie_start, tie_end)),) = tied.items()
            return self._resolution(start, end, name, tie_start, tie_end, ResolutionKind.DESCRIPTION)
        holder = self.people.role_holder(noun.replace("-", " "))
        named = self._full_names.get(holder) if holder else None
        if holder is None or named is None or named[0] >= start:
            return None
        return self._resolution(start, end, holder, named[0], named[1], ResolutionKind.DESCRIPTION)

    def _tied(self, noun: str, before: int) -> dict[str, tuple[int, int]]:
        """The organisations the article calls ``noun`` before ``before`` (read once per noun)."""
        if noun not in self._ties:
            self._ties[noun] = _organisations_called(self.view, noun, len(self.view))
        return {name: span for name, span in self._ties[noun].items() if span[1] <= before}

    def _kind_of(self, span: tuple[int, int]) -> str | None:
        """The kind of the referent at ``span`` ("NATO": organisation), None when it names none."""
        return next((r.kind for r in self._between(*span) if (r.start, r.end) == span), None)

    def _resolution(
        self, start: int, end: int, replacement: str, antecedent_start: int, antecedent_end: int, kind: ResolutionKind
    ) -> Resolution:
        return Resolution(
            start=start,
            end=end,
            mention=self.view[start:end],
            replacement=replacement,
            antecedent_start=antecedent_start,
            antecedent_end=antecedent_end,
            kind=kind,
        )


def _verb(contraction: str, view: str, end: int) -> str:
    """The verb a contraction stands for: "’s" is "has" before a participle ("she’s been"), else "is"."""
    perfect = _PERFECT.match(view, end) is not None
    if contraction == "s":
        return "has" if perfect else "is"
    if contraction == "d":
        return "had" if perfect else "would"
    return {"ll": "will", "re": "are", "ve": "have"}[contraction]


def _short_form(surface: str, name: str) -> bool:
    """Whether ``surface`` is how an article shortens a person's ``name``: the surname, with or without an
    honorific ("Glazer", "Mr Glazer" for "Malcolm Glazer"), or a common given name ("Jens" for "Jens Lehmann").
    A name's first word that is no given name ("England" of "England XV", "Windows" of "Windows Genuine
    Advantage", "Labour" of "Labour MPs") names something else."""
    words = surface.split()
    bare = words[1:] if len(words) > 1 and words[0].lower() in HONORIFICS else words
    parts = name.split()
    if bare == parts[-len(bare) :]:
        return True
    return len(bare) == 1 and bare[0] == parts[0] and (bare[0].lower() in FEMALE_NAMES or bare[0].lower() in MALE_NAMES)


def _full_name_spans(referents: Iterable[Referent]) -> dict[str, tuple[int, int]]:
    """Where the article first writes each person's full name."""
    spans: dict[str, tuple[int, int]] = {}
    for referent in referents:
        written_in_full = referent.end - referent.start == len(referent.name)
        if referent.kind == "person" and " " in referent.name and referent.name not in spans and written_in_full:
            spans[referent.name] = (referent.start, referent.end)
    return spans


def _organisations_called(view: str, noun: str, before: int) -> dict[str, tuple[int, int]]:
    """Organisations the article calls ``noun`` before ``before``: "the NATO alliance", "NATO, the Western military
    alliance", "NATO is the strongest alliance"."""
    tied: dict[str, tuple[int, int]] = {}
    # Each pattern opens with a letter, its word boundary checked behind it, so that a search skips to those
    # letters (see words_pattern): "NATO" is [A-Z] then [A-Z]{1,5}.
    organisation = r"([A-Z](?<!\w[A-Z])(?:[A-Z]{1,5}|[a-z]+(?: [A-Z][a-z]+)*))"
    patterns = (
        rf"[Tt](?<!\w[Tt])he ((?:[A-Z][\w&-]*(?:\.\w+)*|of)(?: (?:[A-Z][\w&-]*(?:\.\w+)*|of))*) {noun}\b",
        rf"{organisation}, (?:the|a|an) (?:[\w-]+ ){{0,4}}{noun}(?=[,.;)])",
        rf"{organisation} (?:is|was|remains) (?:the|a|an) (?:[\w-]+ ){{0,4}}{noun}\b",
    )
    for pattern in patterns:
        for found in re.finditer(pattern, view[:before]):
            name = found.group(1)
            if name.split()[0] in {"The", "A", "An", "This", "That"} or name.lower() == "of":
                continue
            tied.setdefault(name, found.span(1))
    return tied


def resolve_passage(text: str) -> tuple[str, tuple[Resolution, ...]]:
    """The standalone text of a passage read on its own (one paragraph, no speaker), and its resolutions."""
    document = Document.from_spans(text, [(0, len(text))] if text.strip() else [])
    resolved = PassageResolver(document, People.of(document)).resolve(ClaimSpan(0, len(text), every=True))
    return apply_resolutions(text, 0, list(resolved.resolutions)), resolved.resolutions
