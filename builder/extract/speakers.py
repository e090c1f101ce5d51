"""Who speaks: person names and titles in one article, and the resolution of a mention to a canonical name.

* A person name is a run of two to four capitalised words that is not a place, an organisation or a medium
  ("Gazeta Wyborcza" named after "told"/"daily"). Leading titles ("NATO Secretary General", "Russian
  President") are split off and kept as the person's title.
* A mention resolves to a canonical full name: a full name is itself; a surname or "Mr. Surname" is the person
  with that surname; "he", "she", "him", "her" is the person named most recently before it; "you" in an
  interview is the interviewee; a role ("the NATO secretary general", "the former prime minister") is the
  person whose title shares its role word, else the person the article names most. Anything else (an
  organisation, "it", "they") is its own name as written, or unresolved.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from builder.text import SpanSet

__all__ = ["ROLE_WORDS", "Mention", "PersonIndex", "is_title_word", "nationality", "person_name"]

_WORD = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+|['’][A-Za-zà-ÿ]+)?"  # "Carl-Henric", "O'Neill"; not "Coffee-loving"
_NAME_RUN = re.compile(
    rf"\b(?:{_WORD}|[A-Z]{{2,}})(?:[ \xa0]+(?:(?:de|van|von|bin|al|da|del|la|le|der)[ \xa0]+)?(?:{_WORD}|[A-Z]{{2,}}))*"
)
_TITLE_WORDS = frozenset(
    "president prime minister secretary general chancellor chief foreign defence defense interior finance "
    "director chairman chairwoman ambassador senator governor spokesman spokeswoman spokesperson mr mrs "
    "ms dr sir king queen pope new former deputy vice acting head leader commander admiral colonel "
    "captain lieutenant sergeant mayor premier envoy executive officer nato un eu us uk".split()
)
ROLE_WORDS = (
    "captain",
    "manager",
    "coach",
    "secretary general",
    "secretary-general",
    "prime minister",
    "president",
    "minister",
    "chancellor",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "director",
    "ambassador",
    "governor",
    "senator",
    "mayor",
    "commander",
    "envoy",
    "head",
    "leader",
    "official",
    "premier",
)
LEADING_ROLES = frozenset(
    {"secretary general", "secretary-general", "prime minister", "president", "minister", "chancellor", "chief",
     "premier", "leader", "head", "captain", "manager", "coach", "chairman"}
)  # fmt: skip
_NOT_PEOPLE = frozenset(
    "war sea ocean america europe union states council plan office times policy party kingdom nations "
    "ministry embassy alliance forum summit organisation organization agency news daily post journal "
    "herald tribune street house square river mountains island islands republic federation committee "
    "commission bank group league cup club university school college institute centre center court "
    "parliament assembly congress senate government army navy force forces security service services "
    "airport station company corporation inc ltd media network radio television tv channel press review "
    "magazine gazette avenue road park hall securities international holdings capital partners associates "
    "fund trust foundation department stadium cathedral church hospital prison airlines airways motors "
    "systems technologies city united rovers wanderers athletic albion county side team banking "
    "championship championships open games olympics trophy award awards prize festival show series tour".split()
)
_STARTERS = frozenset(
    "the a an but and in on at when even so this that what how if as for our we i it he she they let just "
    "after before during while however meanwhile according since despite although though also then there "
    "his her their its my your both neither either now only all each every some many most".split()
)
_PRONOUNS = frozenset({"he", "she", "him", "her"})
# Capitalised in headlines, never part of a name: "Deal With Russia".
_FUNCTION = frozenset("with to for and or of in on at by from into over under says said must be is are will".split())


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention resolved: canonical name (or None) and the title the article gives that person."""

    speaker: str | None
    title: str | None


@dataclass
class PersonIndex:
    """Names, surnames and titles of the people one article names, with where it names them."""

    names: dict[str, str | None] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    positions: list[int] = field(default_factory=list)
    people_at: list[str] = field(default_factory=list)
    interviewee: str | None = None

    @classmethod
    def build(cls, text: str, excluded: list[tuple[int, int]]) -> PersonIndex:
        """Index every person name in ``text`` except inside the ``excluded`` spans (media, etc.)."""
        index = cls()
        skip = SpanSet(excluded)
        found: list[tuple[int, str, str | None]] = []
        for run in _NAME_RUN.finditer(text):
            if skip.overlaps(run.start(), run.end()):
                continue
            split = _split_title(run.group())
            if split is not None:
                name, title, offset = split
                found.append((run.start() + offset, name, title))
        for _, name, title in found:
            if name not in index.names or (index.names[name] is None and title):
                index.names[name] = title
        # A surname alone, once the full name is known, is a mention of that person too.
        surnames = {name.split()[-1]: name for name in index.names}
        mentions = {position: name for position, name, _ in found}
        for word in re.finditer(r"\b[A-Z][a-zà-ÿ]+(?:[-'’][A-Za-zà-ÿ]+)?\b", text):
            person = surnames.get(word.group())
            if person is not None and not skip.overlaps(word.start(), word.end()):
                mentions.setdefault(word.start(), person)
        for position in sorted(mentions):
            index.positions.append(position)
            index.people_at.append(mentions[position])
            index.counts[mentions[position]] += 1
        return index

    def most_named(self) -> str | None:
        if not self.counts:
            return None
        return min(self.counts, key=lambda name: (-self.counts[name], name))

    def latest_before(self, position: int) -> str | None:
        at = bisect.bisect_left(self.positions, position) - 1
        return self.people_at[at] if at >= 0 else None

    def resolve(self, mention: str, position: int) -> Mention:
        """The canonical speaker of a mention found at ``position``."""
        words = mention.replace("\xa0", " ").split()
        lowered = mention.lower().replace("\xa0", " ")
        if lowered in _PRONOUNS:
            return self._person(self.latest_before(position) or self.most_named())
        if lowered == "you":
            return self._person(self.interviewee)
        if words and words[0].lower() in {"a", "an"}:
            return Mention(" ".join(words), None)  # "a Home Office spokesman": someone unnamed
        name = self.full_name(mention, surnames=words[0].lower() not in {"the", "this", "that"})
        if name is not None:
            return self._person(name)
        role = next((role for role in ROLE_WORDS if role in lowered), None)
        if role is not None:
            titled = [n for n, title in self.names.items() if title and role in title.lower().replace("-", " ")]
            titled += [n for n, title in self.names.items() if title and role.replace("-", " ") in title.lower()]
            # "the England captain" is most likely the person the article is about; "the spokesman" is not.
            person = titled[0] if titled else (self.most_named() if role in LEADING_ROLES else None)
            return self._person(person) if person else Mention(" ".join(words), None)
        if lowered in {"it", "they", "we", "i"} or not words:
            return Mention(None, None)
        return Mention(mention.replace("\xa0", " "), None)

    def full_name(self, mention: str, surnames: bool = True) -> str | None:
        """The known person a name-bearing mention refers to ("Mr. Stoltenberg", "NATO chief Jens Stoltenberg")."""
        cleaned = mention.replace("\xa0", " ")
        for name in sorted(self.names, key=len, reverse=True):
            if name in cleaned:
                return name
        if not surnames:
            return None
        for word in reversed(cleaned.split()):
            for name in self.names:
                if name.split()[-1] == word.strip(".,'’s"):
                    return name
        return None

    def _person(self, name: str | None) -> Mention:
        return Mention(name, self.names.get(name) if name else None)


def person_name(run: str) -> str | None:
    """The person's name in a run of capitalised words, if the run names a person."""
    split = _split_title(run)
    return split[0] if split else None


def _split_title(run: str) -> tuple[str, str | None, int] | None:
    """Split "Russian President Vladimir Putin" into ("Vladimir Putin", "Russian President", offset of the name).

    None when the run is no person's name.
    """
    spans = [(m.start(), m.group()) for m in re.finditer(r"[^ \xa0\t]+", run)]
    words = [word for _, word in spans]
    cut = 0
    # "Home Secretary Charles Clarke", "Tory leader Michael Howard": a word before a title word is the title's.
    while cut < len(words) and (is_title_word(words[cut]) or (cut + 1 < len(words) and is_title_word(words[cut + 1]))):
        cut += 1
    name_words = words[cut:]
    if not 2 <= len(name_words) <= 4:
        return None
    if name_words[0].lower() in _STARTERS or any(
        w.lower() in _NOT_PEOPLE or w.lower() in _FUNCTION for w in name_words
    ):
        return None
    if any(w.isupper() and len(w) > 1 for w in name_words):
        return None
    title_words = [w for w in words[:cut] if w.lower() not in {"new", "former", "mr", "mrs", "ms", "dr", "mr."}]
    return " ".join(name_words), (" ".join(title_words) or None), spans[cut][0]


def is_title_word(word: str) -> bool:
    return word.lower().strip(".") in _TITLE_WORDS


def nationality(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(("ian", "ish", "ese", "ean", "ic", "ch"))
