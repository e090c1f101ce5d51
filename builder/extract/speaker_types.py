"""Speaker types: whether a resolved speaker is a person, an organisation or a group of people.

:func:`speaker_type` reads, in this order, and the first rule that applies decides:

1. the mention as written: "he", "she", "I", "you" (the interviewee) → ``person``; "it" → ``organisation`` (the
   resolver gives them nothing else);
2. the name: a curated organisation (:data:`NAMED_ORGANISATIONS`: "the White House", "Kremlin", news agencies),
   an all-capitals acronym ("NATO", "TASS", "UN"), a head noun that is an organisation's (:data:`ORGANISATION_HEADS`:
   "… Inc.", "Acme Corp", "the Justice Department", "the company", "the administration"; the head is the word
   before "of", "for" …, so "the Bank of England" is one and "a spokesman for the ministry" is not), its plural
   ("banks"), or a document that a body issues (:data:`DOCUMENTS`: "a report", "the statement", "figures")
   → ``organisation`` (before the article's word for it: a name run such as "Blackpool Hotel Association" reads
   as a person's name to the index of people);
3. the article: a speaker it names as a person (a full name, with or without a title) or one it gives a title is
   a ``person``;
4. a plural noun for people as the head (:data:`~builder.extract.names.GROUP_NOUNS`: "analysts", "senior
   officials", "Democrats"; a person noun's plural: "ministers"; or a plural ending of people: "campaigners",
   "nationalists", "Russians") → ``group``;
5. "they"/"them" as the mention → ``group``;
6. a lone capitalised word the article does not name as a person ("Gazprom said") → ``organisation``;
7. otherwise ``person``: a name ("Mr Kelly"), a singular role ("the mayor", "a spokesman", "the
   secretary-general").

A curated ``type`` in ``raw/speakers.json`` overrides all of this for the claims linked to that speaker (see
:mod:`builder.link`).
"""

from __future__ import annotations

import re

from builder.extract.names import GROUP_NOUNS, HONORIFICS, ORGANISATION_WORDS
from builder.extract.speakers import ORGANISATION_NOUNS, PERSON_NOUNS, head_noun
from builder.models import SpeakerType

__all__ = ["DOCUMENTS", "NAMED_ORGANISATIONS", "ORGANISATION_HEADS", "speaker_type"]

NAMED_ORGANISATIONS = frozenset(
    "white house|kremlin|pentagon|downing street|number 10|no 10|elysee|élysée|vatican|whitehall|treasury|fed|"
    "federal reserve|wall street|interfax|bloomberg|xinhua|ria novosti|itar-tass|kyodo|yonhap|the economist|"
    "the guardian|the telegraph|the independent|the observer|the sun|the mirror|the scotsman|the bbc|"
    "associated press|agence france-presse|dpa|efe|ansa|al jazeera|euronews|sky news|the lancet|which?".split("|")
)
"""Organisations whose name says nothing of what they are, compared without case and without a leading "the"
(except the newspapers, whose "The" tells them from a person: "The Economist" is one, "the economist" is not)."""

ORGANISATION_HEADS = (
    ORGANISATION_WORDS
    | ORGANISATION_NOUNS
    | frozenset(
        "firm regulator watchdog authority bureau tribunal assembly cabinet embassy alliance coalition bloc "
        "airline carrier carmaker maker manufacturer retailer lender insurer exchange operator supplier producer "
        "broadcaster publisher broker brokerage consultancy charity trust organisation organization kremlin "
        "parliament inc. ltd. corp. llc. plc. co. ag sa nv gmbh".split()
    )
)
"""Head nouns of organisations: the endings of company names ("Inc.", "Ltd", "Group"), public bodies
("Ministry", "Council", "Police", "Court") and the words an article calls one by ("the company", "the firm",
"the campaign", "the administration", "the regulator")."""

DOCUMENTS = frozenset(
    "report reports study studies survey surveys poll polls statement statements document documents data figures "
    "estimates statistics research analysis records review paper letter filing release forecast census audit "
    "inquiry index memo note minutes".split()
)
"""A document speaks for the body that issued it ("a report issued by the ministry found …"): an organisation."""

_PERSON_PRONOUNS = frozenset("he she him i me you".split())
_ORGANISATION_PRONOUNS = frozenset({"it"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_PEOPLE_PLURALS = ("ers", "ists", "ians", "ans", "ants", "ents", "tories", "families", "citizens", "fans", "locals")
"""Endings of plural nouns for people that GROUP_NOUNS does not list: "campaigners", "nationalists", "Russians",
"consultants", "parents", "Tories"."""
_ACRONYM = re.compile(r"[A-Z][A-Z&.-]{1,7}")
_PERSON_ACRONYMS = frozenset("MP MSP MEP MLA AM QC KC CEO CFO COO".split())
"""All-capitals words that name a person's office, not an organisation: "Paul Smith MP"; their plurals ("MPs")
are groups."""
_WORD = re.compile(r"[\w.&?'’-]+")


def speaker_type(
    speaker: str | None, mention: str | None = None, title: str | None = None, *, named_person: bool = False
) -> SpeakerType | None:
    """The type of a resolved ``speaker`` (None without one), given the ``mention`` as written ("he", "the
    company"), the ``title`` the article gives, and whether the article names the speaker as a person
    (``named_person``)."""
    if speaker is None:
        return None
    written = " ".join(mention.lower().split()) if mention else ""
    if written in _PERSON_PRONOUNS:
        return SpeakerType.PERSON
    if written in _ORGANISATION_PRONOUNS or _organisation(speaker):
        return SpeakerType.ORGANISATION
    if named_person or title:
        return SpeakerType.PERSON
    words = _words(speaker)
    head = head_noun(words)
    plural_office = speaker.split()[-1].removesuffix("s") in _PERSON_ACRONYMS and speaker.endswith("s")
    if head in GROUP_NOUNS or _plural_of(head, PERSON_NOUNS) or head.endswith(_PEOPLE_PLURALS) or plural_office:
        return SpeakerType.GROUP
    if written in _GROUP_PRONOUNS:
        return SpeakerType.GROUP
    if len(words) == 1 and speaker[:1].isupper() and words[0] not in HONORIFICS:
        return SpeakerType.ORGANISATION
    return SpeakerType.PERSON


def _words(name: str) -> list[str]:
    return [word.lower().removesuffix("'s").removesuffix("’s") for word in _WORD.findall(name)]


def _organisation(speaker: str) -> bool:
    name = " ".join(speaker.split())
    lowered = name.lower()
    bare = lowered.removeprefix("the ")
    if bare in NAMED_ORGANISATIONS or (lowered in NAMED_ORGANISATIONS and name[:1].isupper()):
        return True
    last = name.split()[-1:]
    if any(_ACRONYM.fullmatch(w) and sum(c.isalpha() for c in w) >= 2 and w not in _PERSON_ACRONYMS for w in last):
        return True  # "NATO", "the UN", "Greek newspaper Kathimerini's TASS": the acronym that ends a name
    words = _words(name)
    head = head_noun(words)
    plural = head not in GROUP_NOUNS and _plural_of(head, ORGANISATION_HEADS)  # "banks", not "authorities"
    return head in ORGANISATION_HEADS or head in DOCUMENTS or plural


def _plural_of(word: str, nouns: frozenset[str]) -> bool:
    """ "banks" of "bank", "agencies" of "agency", "chairmen" of "chairman"."""
    if word.endswith("ies") and word[:-3] + "y" in nouns:
        return True
    if word.endswith("men") and word[:-3] + "man" in nouns:
        return True
    return word.endswith("s") and (word[:-1] in nouns or (word.endswith("es") and word[:-2] in nouns))
