from __future__ import annotations

from builder.extract.speakers import PersonIndex

TEXT = (
    "NATO Secretary General Jens Stoltenberg met Russian President Vladimir Putin. "
    "The talks, reported by Polish daily Gazeta Wyborcza, were long. Stoltenberg spoke first. "
    "He said it went well."
)


def index() -> PersonIndex:
    media_start = TEXT.index("Gazeta")
    return PersonIndex.build(TEXT, [(media_start, media_start + len("Gazeta Wyborcza"))])


def test_names_and_titles_are_split():
    assert index().names == {"Jens Stoltenberg": "NATO Secretary General", "Vladimir Putin": "Russian President"}


def test_mentions_resolve_to_canonical_names():
    people = index()
    he = TEXT.index("He said")
    assert people.resolve("Stoltenberg", 0).speaker == "Jens Stoltenberg"
    assert people.resolve("Mr. Putin", 0).speaker == "Vladimir Putin"
    assert people.resolve("He", he).speaker == "Jens Stoltenberg"  # the person named most recently
    assert people.resolve("the NATO secretary general", he).speaker == "Jens Stoltenberg"
    assert people.resolve("the Russian president", he).title == "Russian President"
    assert people.resolve("the ministry", he).speaker == "the ministry"
    assert people.resolve("it", he).speaker is None


def test_headline_words_and_places_are_no_people():
    people = PersonIndex.build("NATO Must Be Strong to Deal With Russia. The Cold War ended. Prime Minister spoke.", [])
    assert people.names == {}
