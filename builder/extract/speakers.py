"""Who speaks: the people and organisations one article names, and what a speaker mention resolves to.

The index is read off the masked view (names inside quotations are not antecedents: in ``"Trump is wrong," he
said`` "he" is not Trump), outside the title and the media named as recipients ("told Polish daily Gazeta
Wyborcza"). It holds person names with their titles (:func:`~builder.extract.names.split_title`), surnames of
those people, honorific mentions ("Mr. Kelly") and organisations, each with where the article names it.

A mention (:mod:`.mentions`) resolves to a canonical name:

* a name: the full name of the person it names ("Mr. Clyburn", "Clyburn" → "James E. Clyburn"), else the name
  as written (an organisation, or a person named only so);
* "he"/"she": the person named most recently before the mention, skipping people of the other gender where an
  honorific tells it; "it": the organisation named most recently; "they": that organisation or the group that
  spoke last ("analysts"); "you": the interviewee; "I"/"we" (the writer) stay unresolved;
* a relative pronoun ("who", "which", "that"): its antecedent, resolved the same way;
* a role ("the senator", "the NATO secretary general"): the one person the article gives that role, by a title
  ("Tory leader Michael Howard"), an apposition ("Gordon Brown, the chancellor,") or a fronted one ("The new
  President, Viktor Yushchenko,"); a role it gives two people stays as written; one it gives no one is, for a
  leading role, the person a story is plainly about (named at least three times and twice as often as anyone
  else), else as written. "the company", "the agency" and the like:
  the organisation named most recently; any other phrase ("analysts", "another economist", "the prime minister's
  office") is its own speaker, as written.

Each resolved mention is recorded where it stands, so a chain of pronouns follows the speaker it started from.

A resolved name is always a person or organisation the article names, or the mention's own words; never a bare
pronoun.

Why one long module: the index of the article's names and the resolution of a mention are one structure read
two ways (each resolved mention is written back as an antecedent for the next), and every rule of the resolution
asks the same timelines of names, roles and organisations.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from builder.extract.document import Document
from builder.extract.mentions import ISSUED, Mention
from builder.extract.names import (
    HONORIFICS,
    INDUSTRY_WORDS,
    ORGANISATION_WORDS,
    ROLE_WORDS,
    gender_of,
    is_organisation,
    person_name,
    split_title,
)
from builder.extract.referents import Referents, sentence_spans
from builder.text import SpanSet

__all__ = [
    "ORGANISATION_NOUNS",
    "PERSON_NOUNS",
    "ROLE_WORDS",
    "People",
    "Resolved",
    "head_noun",
    "media_spans",
    "person_name",
]

_WORD = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+|['’](?!s\b)[A-Za-zà-ÿ]+)*"
_TITLE_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Prof|Rev|Sgt|Adm)\."
_PART = rf"(?:{_TITLE_ABBREVIATION}|{_WORD}|[A-Z]{{2,6}}\b|[A-Z]\.)"
_NAME_RUN = re.compile(rf"\b{_PART}(?: +(?:(?:de|van|von|bin|al|da|del|la|le|der) +)?{_PART})*")
_SURNAME = re.compile(rf"\b{_WORD}\b")
ORGANISATION_NOUNS = frozenset(
    "company firm agency bank group department ministry campaign committee party government administration "
    "network newspaper paper website outlet union club organization organisation court police board office "
    "council commission institute university school state city county team league station channel magazine "
    "paper publication report statement".split()
)
_MEDIUM_WORD = r"(?:[A-Z][\w.'’&-]*|daily|weekly|newspaper|the|of)"
_MEDIUM = re.compile(
    rf"\b(?:[Ii]nterview (?:with|to|for)|[Tt]old|[Tt]ells|[Tt]elling) +({_MEDIUM_WORD}(?: +{_MEDIUM_WORD})*)"
)
_SUBJECT_WORDS = 2  # "But Smith", "Later, Smith": a name this close to the sentence's start is its subject
PERSON_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson official analyst economist executive director lawyer attorney aide adviser "
    "advisor minister negotiator strategist trader dealer banker chairman chairwoman president secretary governor "
    "senator mayor manager chief source employee worker resident witness expert professor researcher scientist "
    "doctor officer agent diplomat".split()
)
_APPOSITION = re.compile(r", (?!who |which |whose )(?:the |a |an )?([^,.;:()\n\ue000\"“”]{3,60}?)(?:[,.;:)]|$)")
_ROLE_BEFORE = re.compile(r"(?:^|[\s(])((?:[a-z][\w-]* ){0,3}?[a-z][\w-]*) $")
_FRONTED_APPOSITION = re.compile(r"(?:^|[.;:!?] +|\n)((?:[Tt]he |[Aa]n? )?[A-Za-z'’ -]{2,60}), $")
_LEADING_ROLES = frozenset(
    {"secretary general", "prime minister", "president", "minister", "chancellor", "premier", "leader",
     "captain", "manager", "coach", "chairman", "candidate", "nominee"}
)  # fmt: skip
# A document, poll or study speaks for whoever issued it (:meth:`People._issuer`).
_DOCUMENT_NOUNS = frozenset(
    "document poll survey study report analysis memo memorandum letter filing audit review paper".split()
)
_BY = re.compile(r"\b(?:by|from)\s+(?=\S)")
_OWNER = re.compile(r"^(.+?)['’]s?\s+\S")
_DOCUMENT_LEADS = frozenset(
    "a an the this that its new latest recent fresh annual monthly weekly internal joint".split()
)
_PROTAGONIST_MENTIONS = 3
_ROLE_ENDINGS = tuple(role.replace("-", " ") for role in ROLE_WORDS)
_PRONOUN_KINDS = {"he": "person", "she": "person", "it": "organisation", "they": "group"}
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they", "me": "i", "us": "we"}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A mention resolved: canonical name (or None) and the title the article gives that person."""

    speaker: str | None
    title: str | None


class _Timeline:
    """Entries in text order: each one's (position, number added) and name."""

    __slots__ = ("names", "orders")

    def __init__(self) -> None:
        self.orders: list[tuple[int, int]] = []
        self.names: list[str] = []

    def add(self, order: tuple[int, int], name: str) -> None:
        at = bisect.bisect_right(self.orders, order)
        self.orders.insert(at, order)
        self.names.insert(at, name)

    def latest(self, position: int) -> tuple[tuple[int, int], str] | None:
        """The last entry before ``position``, or None."""
        at = bisect.bisect_left(self.orders, (position, -1)) - 1
        return (self.orders[at], self.names[at]) if at >= 0 else None


@dataclass
class People:
    """Names, surnames, titles and organisations of one article, with where it names them."""

    names: dict[str, str | None] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    interviewee: str | None = None
    _surnames: dict[str, str | None] = field(default_factory=dict)
    # Where the article names each kind of antecedent, one timeline per filter a pronoun applies (kind, gender,
    # subject of its sentence) and one per name, so that finding the latest is a bisection, never a walk back
    # over every name before it: a long article full of "he said" with no man named stays linear.
    _by_class: dict[tuple[str, str | None, bool], _Timeline] = field(default_factory=dict)
    _by_name: dict[tuple[str, str], _Timeline] = field(default_factory=dict)
    _added: int = 0
    _genders: dict[str, str] = field(default_factory=dict)
    _speaking: set[str] = field(default_factory=set)
    _roles: dict[str, set[str]] = field(default_factory=dict)  # lower-case titles and appositions of each person
    _sentence_starts: list[int] = field(default_factory=list)
    _masked: str = ""
    referents: Referents | None = None  # every naming, quotations included, for the claims' own references

    @classmethod
    def of(cls, document: Document) -> People:
        """The people of a document's body, outside the media it names as recipients."""
        excluded = [span for start, end in document.paragraphs for span in media_spans(document.view, start, end)]
        starts = [sentence.start for sentence in document.sentences]
        return cls.build(document.masked, document.paragraphs, excluded, starts, document.view)

    @classmethod
    def build(
        cls,
        masked: str,
        paragraphs: list[tuple[int, int]],
        excluded: list[tuple[int, int]],
        sentence_starts: list[int] | None = None,
        view: str | None = None,
    ) -> People:
        """Index the names in the ``paragraphs`` of the masked view, except inside ``excluded`` spans; a name within
        the first two words of a sentence (``sentence_starts``) is that sentence's subject. With the unmasked
        ``view``, also every naming of the view (:attr:`referents`), which the claims' pronouns resolve to."""
        people = cls()
        if view is not None:
            people.referents = Referents(view, sentence_spans(view, paragraphs))
        people._sentence_starts = sentence_starts or []
        people._masked = masked
        skip = SpanSet(excluded)
        found: list[tuple[int, str, str]] = []
        others: list[tuple[int, str]] = []  # runs that name no one yet: a surname may stand in them
        for start, end in paragraphs:
            for run in _NAME_RUN.finditer(masked, start, end):
                if skip.overlaps(run.start(), run.end()):
                    continue
                split = split_title(run.group())
                if split is not None:
                    name, title, offset = split
                    found.append((run.start() + offset, "person", name))
                    if name not in people.names or (people.names[name] is None and title):
                        people.names[name] = title
                    people._note_roles(name, title, run.start(), run.end())
                elif is_organisation(run.group()):
                    found.append((run.start(), "organisation", run.group()))
                else:
                    others.append((run.start(), run.group()))
        # A surname alone ("Obama" out of "President Obama") is no full name: it neither owns a surname nor blocks
        # one ("Mrs. Obama" → "Michelle Obama").
        full = [name for name in people.names if name.split()[0].lower() not in HONORIFICS and " " in name]
        for name in full:
            surname = name.split()[-1]
            people._surnames[surname] = None if surname in people._surnames else name
        for name in people.names:
            gender = gender_of(name)
            if gender is not None:
                people._genders[people.canonical(name)] = gender
        if people._surnames:
            for run_start, words in others:
                for word in _SURNAME.finditer(words):
                    person = people._surnames.get(word.group())
                    if person is not None:
                        found.append((run_start + word.start(), "person", person))
        for position, kind, name in sorted(found):
            people._add(position, kind, people.canonical(name) if kind == "person" else name)
        for name, roles in list(people._roles.items()):
            people._roles.setdefault(people.canonical(name), set()).update(roles)
        return people

    def _note_roles(self, name: str, title: str | None, start: int, end: int) -> None:
        """What the article calls the person named at ``start..end``: the title, an apposition ("Gordon Brown,
        the chancellor,") and lower-case words right before ("Tory leader Michael Howard")."""
        roles = self._roles.setdefault(name, set())
        if title:
            roles.add(title.lower().replace("-", " "))
        masked = self._masked
        around = []
        if masked.startswith(", ", end):
            around.append(_APPOSITION.match(masked, end))
        if masked.endswith(", ", 0, start):
            around.append(_FRONTED_APPOSITION.search(masked, max(0, start - 64), start))  # "The new President, …,"
        elif start > 1 and masked[start - 1] == " " and masked[start - 2].islower():
            around.append(_ROLE_BEFORE.search(masked, max(0, start - 40), start))  # "Tory leader Michael Howard"
        for found in around:
            if found is not None:
                phrase = found.group(1).lower().replace("-", " ")
                words = phrase.split()  # ",  , Anna Berg": an apposition of blanks is no role
                if words and (words[-1] in PERSON_NOUNS or phrase.endswith(_ROLE_ENDINGS)):
                    roles.add(phrase)

    def _add(self, position: int, kind: str, name: str, subject: bool | None = None, counted: bool = True) -> None:
        # Of two entries at one position the one added later counts as the later: the number added breaks the tie.
        order = (position, self._added)
        self._added += 1
        is_subject = self._opens_sentence(position) if subject is None else subject
        self._by_class.setdefault((kind, self._genders.get(name), is_subject), _Timeline()).add(order, name)
        self._by_name.setdefault((kind, name), _Timeline()).add(order, name)
        if kind == "person" and counted:
            self.counts[name] += 1

    def _since_previous(self, position: int) -> int:
        """Characters from the start of the sentence before the one holding ``position``."""
        at = bisect.bisect_right(self._sentence_starts, position) - 1
        return position - self._sentence_starts[at - 1] if at >= 1 else 0

    def _opens_sentence(self, position: int) -> bool:
        at = bisect.bisect_right(self._sentence_starts, position) - 1
        return at >= 0 and len(self._masked[self._sentence_starts[at] : position].split()) <= _SUBJECT_WORDS

    def note(self, position: int, speaker: str, mention: Mention) -> None:
        """Record a resolved speaker at its mention, as an antecedent for later pronouns."""
        if speaker in self.names:
            kind = "person"  # "Mr Blair", "the prime minister" or "he", resolved: the chain goes on from here
        elif mention.kind == "phrase":
            kind = "organisation" if _organisation_phrase(speaker) else "person" if _one_person(speaker) else "group"
        elif mention.kind == "name":
            kind = "organisation"
        else:
            return
        self._add(position, kind, speaker, subject=True, counted=False)
        if kind == "organisation":
            self._speaking.add(speaker)

    def canonical(self, name: str) -> str:
        """The full name of the person a name mentions, or the name itself."""
        words = name.split()
        surname_only = len(words) == 1 and self._surnames.get(name) is not None
        if name in self.names and words[0].lower() not in HONORIFICS and not surname_only:
            return name
        bare = words[1:] if words and words[0].lower() in HONORIFICS else words
        if not bare:
            return name
        candidate = " ".join(bare)
        if candidate in self.names and (len(bare) > 1 or not self._surnames.get(candidate)):
            return candidate
        person = self._surnames.get(bare[-1])
        if person is not None and (len(bare) == 1 or person.endswith(candidate)):
            return person
        return name

    def _latest(
        self,
        position: int,
        kinds: set[str],
        gender: str | None = None,
        speaking: bool = False,
        subject_within: int | None = None,
    ) -> str | None:
        """The latest entry of ``kinds`` before ``position``; only a speaking organisation (``speaking``), or only a
        sentence's subject named at most ``subject_within`` characters before (``subject_within``). A name of no
        known gender agrees with either."""
        if speaking:
            timelines = [self._by_name.get((kind, name)) for kind in kinds for name in self._speaking]
        else:
            genders = (None, "m", "f") if gender is None else (gender, None)
            subjects = (True,) if subject_within is not None else (True, False)
            timelines = [self._by_class.get((k, g, s)) for k in kinds for g in genders for s in subjects]
        found = max((entry for t in timelines if t is not None and (entry := t.latest(position))), default=None)
        if found is None or (subject_within is not None and position - found[0][0] > subject_within):
            return None
        return found[1]

    def _issuer(self, text: str, position: int) -> Resolved | None:
        """Who a document speaks for: "a document issued by the Farmers Party" → "the Farmers Party", "the
        ministry's report" → "the ministry", "a new Gallup poll" → "Gallup"; None when the phrase names no one.
        Then "A new poll shows …" has no speaker (a poll is nobody's words until the article says whose), and "the
        report said" is read as "the company said" is."""
        by = _BY.search(text)
        if by is not None:
            return self._words(text[by.end() :], position)
        owner = _OWNER.match(text)
        if owner is not None:
            return self._words(owner.group(1), position)
        words = text.split()
        while words and words[0].lower() in _DOCUMENT_LEADS:
            words = words[1:]
        named = list(itertools.takewhile(lambda word: word[:1].isupper(), words[:-1]))
        return self._words(" ".join(named), position) if named else None

    def most_named_before(self, position: int) -> str | None:
        """The person the article names most often before ``position`` (of two as often, the one named later):
        who an interview introduced before its first "A:"."""
        best: tuple[int, tuple[int, int], str] | None = None
        for (kind, name), timeline in self._by_name.items():
            if kind != "person":
                continue
            count = bisect.bisect_left(timeline.orders, (position, -1))
            if count and (best is None or (count, timeline.orders[count - 1]) > best[:2]):
                best = (count, timeline.orders[count - 1], name)
        return best[2] if best else None

    def _named_in_full(self, short: str, position: int) -> str | None:
        """The business named before ``position`` whose full name is ``short`` and a company ending or an industry
        word: "Zentrix Inc." for "Zentrix", "Peabody Energy" for "Peabody"; not "Trump University"."""
        if short in self._surnames:
            return None  # "Clinton" is a person before it is the Clinton Foundation

        def business(name: str) -> bool:
            rest = name[len(short) + 1 :].lower().split() if name.startswith(short + " ") else []
            return len(rest) == 1 and (rest[0] in _BUSINESS_ENDINGS or rest[0] in INDUSTRY_WORDS)

        return self._latest_organisation(position, business)

    def _latest_kind(self, position: int, noun: str, speaking: bool = False) -> str | None:
        """The latest organisation before ``position`` that a "the ``noun``" can stand for (:func:`_fits`)."""
        return self._latest_organisation(
            position, lambda name: (not speaking or name in self._speaking) and _fits(name, noun)
        )

    def _latest_organisation(self, position: int, wanted: Callable[[str], bool]) -> str | None:
        """The organisation named last before ``position`` among those whose name is ``wanted``."""
        found: tuple[tuple[int, int], str] | None = None
        for (kind, name), timeline in self._by_name.items():
            if kind != "organisation" or not wanted(name):
                continue
            entry = timeline.latest(position)
            if entry is not None and (found is None or entry[0] > found[0]):
                found = entry
        return found[1] if found else None

    def resolve(self, view: str, mention: Mention) -> Resolved:
        """The canonical speaker of a mention in the article's view."""
        text = " ".join(view[mention.start : mention.end].split())
        lowered = text.lower()
        if mention.kind == "pronoun":
            return self._pronoun(lowered, mention.start)
        if mention.kind == "relative":
            if mention.antecedent is None:
                return Resolved(None, None)
            start, end = mention.antecedent
            return self._words(" ".join(view[start:end].split()), start)
        return self._words(text, mention.start)

    def _pronoun(self, pronoun: str, position: int) -> Resolved:
        pronoun = _SUBJECT_FORM.get(pronoun, pronoun)
        if pronoun in {"he", "she"}:
            # The subject of this sentence or the one before first ("Santangelo accused Olenko of … She told …"),
            # then anyone named before.
            gender = "m" if pronoun == "he" else "f"
            subject = self._latest(position, {"person"}, gender, subject_within=self._since_previous(position))
            return self._person(subject or self._latest(position, {"person"}, gender))
        if pronoun == "you":
            return self._person(self.interviewee)
        if pronoun == "it":
            return Resolved(self._latest(position, {"organisation"}), None)
        if pronoun == "they":
            return Resolved(self._latest(position, {"organisation", "group"}), None)
        return Resolved(None, None)

    def _words(self, text: str, position: int) -> Resolved:
        """A name or a noun phrase as written."""
        lowered = text.lower()
        words = lowered.split()
        if not words:
            return Resolved(None, None)
        if head_noun(words) in _DOCUMENT_NOUNS:
            issuer = self._issuer(text, position)
            if issuer is not None or words[0] in {"a", "an"}:
                return issuer or Resolved(None, None)
        if words[0] in {"a", "an"} or lowered in _PRONOUN_KINDS:
            return Resolved(text, None)
        canonical = self.canonical(text)
        if canonical in self.names:
            return self._person(canonical)
        longer = self._named_in_full(canonical, position) if canonical[:1].isupper() else None
        if longer is not None:
            return Resolved(longer, None)  # "Zentrix" after "Zentrix Inc.", "Voltra" after "Voltra AG"
        if words[0] in {"the", "its", "his", "her", "their"} and words[-1] in ORGANISATION_NOUNS and len(words) <= 3:
            # "the company said": the organisation of that kind that spoke last, else the one named last; "the
            # ministry" is never a university or a company named before it
            organisation = self._latest_kind(position, words[-1], speaking=True) or self._latest_kind(
                position, words[-1]
            )
            return Resolved(organisation or text, None)
        role = next((role for role in ROLE_WORDS if role in lowered), None)
        if (
            role is not None
            and head_noun(words) not in ORGANISATION_NOUNS
            and (words[0] in {"the", "this", "that"} or words[0].endswith(("'s", "’s")))
        ):
            # "the chancellor": the person the article gives that role; when it gives it to no one, guessing the
            # most named person is wrong more often than right ("the prime minister" → his rival), so as written.
            role = role.replace("-", " ")
            qualified = self._role_holders(" ".join(words[1:]).replace("-", " "))
            holders = qualified if len(qualified) == 1 else self._role_holders(role)
            person = next(iter(holders)) if len(holders) == 1 else None
            if not holders and role in _LEADING_ROLES:
                # Only a role given to no one is the protagonist's: one the article gives two people stays ambiguous,
                # even when the story is about one of them.
                person = self._protagonist(role)
            return self._person(person) if person else Resolved(text, None)
        return Resolved(canonical, self.names.get(canonical))

    def _protagonist(self, role: str) -> str | None:
        """The person an article is about, if it is about one: named at least three times and twice as often as
        anyone else, given no other role. "the alliance's new secretary-general" in a story about Stoltenberg."""
        ranked = self.counts.most_common(2)
        if not ranked or ranked[0][1] < _PROTAGONIST_MENTIONS:
            return None
        name, count = ranked[0]
        if len(ranked) > 1 and count < 2 * ranked[1][1]:
            return None
        roles = self._roles.get(name, set())
        return name if not any(known for known in roles if role not in known and _names_role(known)) else None

    def role_holder(self, role: str) -> str | None:
        """The one person the article gives ``role`` (lower case, "secretary general") as their own, or None: a
        "deputy mayor" or "shadow chancellor" is not "the mayor" or "the chancellor"."""
        holders = {
            self.canonical(name) for name, roles in self._roles.items() if any(_holds(known, role) for known in roles)
        }
        return next(iter(holders)) if len(holders) == 1 else None

    def _role_holders(self, role: str) -> set[str]:
        """The people the article gives ``role`` (lower case)."""
        return {self.canonical(name) for name, roles in self._roles.items() if any(role in known for known in roles)}

    def _person(self, name: str | None) -> Resolved:
        return Resolved(name, self.names.get(name) if name else None)


_SECOND_TO = frozenset("deputy vice former assistant shadow ex junior acting associate".split())


def _holds(known: str, role: str) -> bool:
    """Whether the role an article gives ("nato secretary general", "deputy mayor") is ``role`` itself."""
    words, wanted = known.split(), role.split()
    if len(words) < len(wanted) or words[len(words) - len(wanted) :] != wanted:
        return False
    before = words[len(words) - len(wanted) - 1] if len(words) > len(wanted) else ""
    return before not in _SECOND_TO


_HEAD_ENDS = frozenset({"of", "for", "at", "from", "with", "by"})


def head_noun(words: list[str]) -> str:
    """The head noun of a noun phrase's words: the last before "of", "for", … ("the Secretary General of NATO")."""
    head = next((i for i, word in enumerate(words) if i and word in _HEAD_ENDS), len(words))
    if head > 1 and words[head - 1] in ISSUED:
        head -= 1  # "a document issued by the party": the document
    return words[head - 1] if words else ""


def _one_person(phrase: str) -> bool:
    """ "a spokesman for the ministry", "the company's chief executive": one person, an antecedent for "he"."""
    words = phrase.lower().split()
    return (
        bool(words)
        and words[0] in {"a", "an", "the", "its", "his", "her", "their", "one"}
        and head_noun(words) in PERSON_NOUNS
    )


# Nouns that stand for any business ("the company" after "Zentrix Inc.", "the firm" after "Halverson Tool Co"),
# and the last words of a business's name.
_BUSINESS_NOUNS = frozenset("company firm group business carmaker maker bank lender insurer retailer airline".split())
_BUSINESS_ENDINGS = frozenset(
    "inc inc. corp corp. co co. ltd ltd. llc plc ag sa nv gmbh group holdings company corporation bank".split()
)


def _fits(name: str, noun: str) -> bool:
    """An organisation named ``name`` can be "the ``noun``": its name holds the noun ("the ministry" → "Health
    Ministry"); a business noun fits a name ending like a business or in an industry word; a noun for a body of
    members fits an acronym ("the alliance" → "NATO"); a noun that ends organisations' names ("agency",
    "union") fits no other name ("the agency" after "VW" is another organisation); any other noun ("the
    newspaper", "the team") fits any organisation."""
    words = name.lower().replace("’s", "").split()
    if noun in words or noun.rstrip("s") in words:
        return True
    if noun in _BUSINESS_NOUNS:
        return bool(words) and (words[-1] in _BUSINESS_ENDINGS or words[-1] in INDUSTRY_WORDS)
    if noun in _BODY_NOUNS:
        return len(words) == 1 and name.isupper()
    return noun not in ORGANISATION_WORDS  # "the newspaper", "the team": no name need hold them


_BODY_NOUNS = frozenset("alliance bloc body".split())


def _names_role(phrase: str) -> bool:
    return any(role in phrase for role in ROLE_WORDS)


def _organisation_phrase(phrase: str) -> bool:
    """The phrase's head is an organisation noun: "the union", "the ministry of health"; not "a new ad from the
    campaign"."""
    return head_noun(phrase.lower().split()) in ORGANISATION_NOUNS


def media_spans(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of media named as the recipient of a statement ("told Polish daily Gazeta Wyborcza", "interview with
    Euronews"): names there are outlets, not people."""
    paragraph = view[start:end]
    if "old" not in paragraph and "ell" not in paragraph and "nterview" not in paragraph:
        return []  # no "told", "tells", "telling" or "interview": most paragraphs, skipped without the regex
    return [found.span(1) for found in _MEDIUM.finditer(view, start, end)]
