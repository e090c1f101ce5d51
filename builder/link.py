"""Link: one ``speaker_id`` per speaker across the whole corpus.

Extraction already resolved each mention within its article ("he", "Stoltenberg", "the NATO secretary
general" → "Jens Stoltenberg"). Linking joins the articles:

1. a curated ``raw/speakers.json`` entry wins: its name and every alias map to its id (and QID);
2. a person's full name is an identity; "Mr"/"Dr" and the like are dropped, and two full names with the same
   surname whose first names extend one another ("Vince Cable" / "Vincent Cable") are one person, named by the
   more frequent form;
3. a lone surname joins the one person in the corpus with that surname (none or several: it stays apart);
4. a role (a phrase ending in a role word: "the Russian president", "the NATO chief") joins the one person whose
   title holds it whole ("the finance minister": the one Finance Minister, though a Health Minister is named
   too), else the one person whose title shares a word with it (the role word or a qualifier such as "NATO");
   two such people or none: no id;
5. any other speaker (an organisation, "analysts", "a spokesman") keeps its text and gets no id.

The id is the curated one, else a slug of the canonical name, so it stays the same across rebuilds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from builder.config import LinkConfig
from builder.errors import InputError
from builder.extract.speakers import ROLE_WORDS, person_name
from builder.files import first_error, read_curated_json
from builder.models import CuratedSpeaker, Speaker, SpeakerType

__all__ = ["Identities", "link_speakers", "most_frequent_type", "read_curated_speakers", "slug", "speakers_table"]

_HONORIFICS = frozenset("mr mrs ms miss dr sir dame prof lord lady".split())
_STOP = frozenset("the a an of and for new former".split())


def slug(name: str) -> str:
    """``Jens Stoltenberg`` → ``jens-stoltenberg`` (accents folded, other characters dropped)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "speaker"


def read_curated_speakers(raw_dir: Path, cfg: LinkConfig) -> list[CuratedSpeaker]:
    """The curated speakers, or none when the file is absent. A bad entry raises, naming file, entry and field."""
    path = raw_dir / cfg.speakers_file
    if not path.is_file():
        return []
    entries = read_curated_json(path, list, "a JSON list of speakers, each with name, aliases, qid")
    curated = []
    for number, entry in enumerate(entries):
        try:
            curated.append(CuratedSpeaker.model_validate(entry))
        except ValidationError as exc:
            field, message = first_error(exc)
            raise InputError(f"{path}: entry {number}: {field}: {message}") from exc
    return curated


def _normal(name: str) -> str:
    return " ".join(name.replace("\xa0", " ").split()).casefold()


def _strip_honorific(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _same_person(first: str, second: str) -> bool:
    """Same surname, and one first name extends the other ("Vince" / "Vincent")."""
    a, b = first.split(), second.split()
    if a[-1] != b[-1] or len(a) != len(b):
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a[:-1], b[:-1], strict=True))


@dataclass(frozen=True)
class Identities:
    """Who each speaker text is: ``speaker text → (speaker_id, canonical name)`` for the texts that link."""

    ids: dict[str, tuple[str, str]]
    titles: dict[str, set[str]]  # canonical name → titles the articles give
    qids: dict[str, str | None]  # speaker_id → curated QID
    types: dict[str, SpeakerType] = field(default_factory=dict)  # speaker_id → curated type


def link_speakers(
    spoken: Counter[str], titled: Iterable[tuple[str, str]], curated: Sequence[CuratedSpeaker]
) -> Identities:
    """Link every speaker text; ``spoken`` counts claims per speaker text, ``titled`` lists (speaker, title) pairs.

    Only these aggregates are needed, one entry per distinct speaker, so linking never holds the claims.
    """
    by_alias: dict[str, tuple[str, str]] = {}  # normalised form -> (speaker_id, canonical name)
    qids: dict[str, str | None] = {}
    types: dict[str, SpeakerType] = {}
    for entry in curated:
        speaker_id = entry.speaker_id or slug(entry.name)
        qids[speaker_id] = entry.qid
        if entry.type is not None:
            types[speaker_id] = entry.type
        for form in (entry.name, *entry.aliases):
            by_alias[_normal(form)] = (speaker_id, entry.name)

    # Full names, curated ones first so they name their variants ("Vince"/"Vincent" under the curated form).
    forms: Counter[str] = Counter()
    for entry in curated:
        forms[_strip_honorific(entry.name)] += 0
    for speaker, count in sorted(spoken.items()):
        bare = _strip_honorific(speaker)
        if person_name(bare) == bare:
            forms[bare] += count
    curated_names = {_strip_honorific(entry.name) for entry in curated}
    canonical: dict[str, str] = {}
    persons: dict[str, list[str]] = defaultdict(list)  # surname -> canonical names, first named first
    for form in sorted(forms, key=lambda f: (f not in curated_names, -forms[f], -len(f), f)):
        same = persons[form.split()[-1]]
        canonical[form] = next((person for person in same if _same_person(form, person)), form)
        if canonical[form] == form:
            same.append(form)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for person in sorted(set(canonical.values())):
        by_surname[person.split()[-1]].append(person)

    def named(speaker: str) -> tuple[str, str] | None:
        alias = by_alias.get(_normal(speaker))
        if alias is not None:
            return alias
        bare = _strip_honorific(speaker)
        person = canonical.get(bare)
        if person is None and " " not in bare and len(by_surname.get(bare, ())) == 1:
            person = by_surname[bare][0]
        return by_alias.get(_normal(person), (slug(person), person)) if person else None

    resolved = {speaker: named(speaker) for speaker in sorted(spoken)}
    titles: dict[str, set[str]] = defaultdict(set)
    for speaker, title in titled:
        identity = resolved.get(speaker)
        if identity is not None:
            titles[identity[1]].add(title)
    for speaker in [speaker for speaker, identity in resolved.items() if identity is None]:
        role_holder = _by_role(speaker, titles)
        if role_holder is not None:
            resolved[speaker] = by_alias.get(_normal(role_holder), (slug(role_holder), role_holder))
    ids = {speaker: identity for speaker, identity in resolved.items() if identity is not None}
    return Identities(ids=ids, titles=dict(titles), qids=qids, types=types)


def _by_role(speaker: str, titles: dict[str, set[str]]) -> str | None:
    lowered = _normal(speaker)
    spaced = lowered.replace("-", " ")
    # A role is a phrase whose head is a role word: "the Texas senator", not "the Democratic Senatorial Campaign
    # Committee", an organisation that a senator's title may well hold.
    role = next((role for role in ROLE_WORDS if spaced.endswith(" " + role.replace("-", " "))), None)
    if role is None or not lowered.startswith("the "):
        return None
    # The whole role first, as extraction does within an article: "the finance minister" is the one person titled
    # so, though another minister shares the role word.
    phrase = f" {' '.join(spaced.split()[1:])} "
    exact = [
        person
        for person, person_titles in titles.items()
        if any(phrase in f" {_normal(t).replace('-', ' ')} " for t in person_titles)
    ]
    if len(exact) == 1:
        return exact[0]
    words = set(re.findall(r"[a-z]+", lowered)) - _STOP
    matches = [
        person
        for person, person_titles in titles.items()
        if any(role in _normal(t) or words & set(re.findall(r"[a-z]+", _normal(t))) - _STOP for t in person_titles)
    ]
    return matches[0] if len(matches) == 1 else None


def speakers_table(
    identities: Identities,
    spoken: Counter[str],
    article_count: Counter[str],
    typed: Counter[tuple[str, str]] | None = None,
) -> list[Speaker]:
    """The speakers config, sorted by id; ``article_count`` counts articles per speaker_id, ``typed`` claims per
    (speaker text, speaker_type)."""
    names: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    claim_count: Counter[str] = Counter()
    types: dict[str, Counter[SpeakerType]] = defaultdict(Counter)
    texts_of: dict[str, list[str]] = defaultdict(list)
    for speaker, (speaker_id, name) in identities.ids.items():
        if not spoken[speaker]:
            continue
        names[speaker_id] = name
        aliases[speaker_id].add(" ".join(speaker.split()))
        claim_count[speaker_id] += spoken[speaker]
        texts_of[speaker].append(speaker_id)
    for (speaker, kind), count in (typed or Counter()).items():
        for speaker_id in texts_of.get(speaker, ()):
            types[speaker_id][SpeakerType(kind)] += count
    return [
        Speaker(
            speaker_id=speaker_id,
            name=names[speaker_id],
            aliases=sorted(aliases[speaker_id] - {names[speaker_id]}),
            qid=identities.qids.get(speaker_id),
            titles=sorted(identities.titles.get(names[speaker_id], set())),
            speaker_type=identities.types.get(speaker_id) or most_frequent_type(types[speaker_id]),
            claim_count=claim_count[speaker_id],
            article_count=article_count[speaker_id],
        )
        for speaker_id in sorted(names)
    ]


def most_frequent_type(counts: Counter[SpeakerType]) -> SpeakerType | None:
    """The type most claims give a speaker; a tie goes to the first in :class:`SpeakerType`'s order (person,
    organisation, group); None without claims typed."""
    order = list(SpeakerType)
    return min(counts, key=lambda kind: (-counts[kind], order.index(kind)), default=None)
