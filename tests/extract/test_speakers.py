from __future__ import annotations

import pytest

from builder.config import BuildConfig
from builder.extract.mentions import Mention
from builder.extract.speakers import People, media_spans
from builder.stages import run_stages
from conftest import document_of, raw_article

TEXT = (
    "NATO Secretary General Jens Stoltenberg met Russian President Vladimir Putin. "
    "The talks, reported by Polish daily Gazeta Wyborcza, were long. Stoltenberg spoke first. "
    "He said it went well. Mrs. Clinton arrived. She said nothing. The Wall Street Journal reported it."
)


def people() -> People:
    document = document_of(TEXT)
    media_start = TEXT.index("Gazeta")
    return People.build(document.masked, document.paragraphs, [(media_start, media_start + len("Gazeta Wyborcza"))])


def mention(words: str, kind: str, after: str | None = None) -> Mention:
    start = TEXT.index(words, TEXT.index(after) if after else 0)
    return Mention(start, start + len(words), kind, (start, start + len(words)))


def test_names_and_titles_are_split():
    assert people().names == {
        "Jens Stoltenberg": "NATO Secretary General",
        "Vladimir Putin": "Russian President",
        "Mrs. Clinton": None,
    }


def test_mentions_resolve_to_canonical_names():
    index = people()

    def resolve(words: str, kind: str, after: str | None = None) -> str | None:
        return index.resolve(TEXT, mention(words, kind, after)).speaker

    assert resolve("Stoltenberg", "name", "met") == "Jens Stoltenberg"
    assert resolve("He", "pronoun") == "Jens Stoltenberg"  # the person named most recently
    assert resolve("She", "pronoun") == "Mrs. Clinton"  # gender from the honorific: not Stoltenberg
    assert resolve("it", "pronoun", "He said") is None  # no organisation named before
    assert resolve("The Wall Street Journal", "name") == "The Wall Street Journal"


def test_roles_and_phrases():
    text = "Analysts met Jens Stoltenberg, the NATO secretary general, and the spokesman; analysts agreed."
    index = People.build(text, [(0, len(text))], [])

    def resolve(words: str) -> str | None:
        start = text.index(words)
        return index.resolve(text, Mention(start, start + len(words), "phrase", (start, start + len(words)))).speaker

    assert resolve("the NATO secretary general") == "Jens Stoltenberg"  # the role the apposition gives him
    assert resolve("the spokesman") == "the spokesman"  # anyone's spokesman: as written
    assert resolve("analysts") == "analysts"


def test_a_pronoun_never_resolves_to_a_name_inside_a_quotation():
    document = document_of('"Donald Trump is wrong," he said.')
    index = People.build(document.masked, document.paragraphs, [])
    he = document.text.index("he said")
    assert index.resolve(document.view, Mention(he, he + 2, "pronoun", (he, he + 2))).speaker is None


def test_headline_words_and_places_are_no_people():
    document = document_of("NATO Must Be Strong to Deal With Russia. The Cold War ended. Prime Minister spoke.")
    assert People.build(document.masked, document.paragraphs, []).names == {}


def test_media_named_as_recipients():
    text = "He told Polish daily Gazeta Wyborcza in an interview with Euronews that it was fine, and told reporters."
    assert [text[a:b] for a, b in media_spans(text, 0, len(text))] == ["Polish daily Gazeta Wyborcza", "Euronews"]


def test_a_pronoun_prefers_the_subject_of_a_recent_sentence_to_a_later_object():
    document = document_of("Gabriele Santangelo criticised Casimir Olenko on Tuesday. He said the vote was rigged.")
    index = People.build(document.masked, document.paragraphs, [], [s.start for s in document.sentences])
    he = document.text.index("He said")
    resolved = index.resolve(document.view, Mention(he, he + 2, "pronoun", (he, he + 2)))
    assert resolved.speaker == "Gabriele Santangelo"


def test_given_names_tell_he_from_she():
    document = document_of("Hillary Clinton met Donald Trump. She said it went well.")
    index = People.build(document.masked, document.paragraphs, [], [s.start for s in document.sentences])
    she = document.text.index("She said")
    assert index.resolve(document.view, Mention(she, she + 3, "pronoun", (she, she + 3))).speaker == "Hillary Clinton"


def resolve_in(text: str, words: str, kind: str = "phrase") -> str | None:
    """The speaker the last occurrence of ``words`` in ``text`` resolves to."""
    document = document_of(text)
    index = People.build(document.masked, document.paragraphs, [], [s.start for s in document.sentences])
    start = text.rindex(words)
    return index.resolve(document.view, Mention(start, start + len(words), kind, (start, start + len(words)))).speaker


def test_a_role_resolves_to_the_person_the_article_gives_it():
    two = "Tory leader Michael Howard met Tony Blair. The Tory leader spoke."
    assert resolve_in(two, "The Tory leader") == "Michael Howard"  # the role right before the name
    fronted = "The new President, Viktor Yushchenko, met Leonid Kuchma. Leonid Kuchma left. The new President spoke."
    assert resolve_in(fronted, "The new President") == "Viktor Yushchenko"


def test_a_role_no_one_is_given_stays_as_written():
    # The article is about two people and calls neither "the prime minister": guessing would name the wrong one.
    text = "Gordon Brown met Mr Blair. Mr Brown and Mr Blair spoke. The prime minister left."
    assert resolve_in(text, "The prime minister") == "The prime minister"
    assert resolve_in(text + " The prime minister's office said so.", "The prime minister's office") == (
        "The prime minister's office"
    )  # an office is no person


def test_a_leading_role_in_a_story_about_one_person_is_that_person():
    text = "Jens Stoltenberg spoke. Stoltenberg met Vladimir Putin. Stoltenberg left. Then the secretary general spoke."
    assert resolve_in(text, "the secretary general") == "Jens Stoltenberg"


def test_the_person_a_story_is_about_takes_no_leading_role_the_article_gives_them_another():
    story = "{who} spoke. Merkel met voters. Merkel left. Then the president spoke."
    assert resolve_in(story.format(who="Chancellor Angela Merkel"), "the president") == "the president"
    assert resolve_in(story.format(who="Angela Merkel, an economist,"), "the president") == "Angela Merkel"


def test_a_resolved_pronoun_carries_the_chain_on():
    text = (
        "Mr Blair said he was pleased with Mr Brown's management of the economy. And he pledged more. "
        "He also predicted a fight."
    )
    document = document_of(text)
    index = People.build(document.masked, document.paragraphs, [], [s.start for s in document.sentences])
    second = text.index("he pledged")
    found = index.resolve(document.view, Mention(second, second + 2, "pronoun", (second, second + 2)))
    assert found.speaker == "Mr Blair"
    index.note(second, found.speaker or "", Mention(second, second + 2, "pronoun", (second, second + 2)))
    third = text.index("He also")
    chained = index.resolve(document.view, Mention(third, third + 2, "pronoun", (third, third + 2)))
    assert chained.speaker == "Mr Blair"  # not Mr Brown, named last


def test_he_is_the_person_named_last_not_the_one_named_most():
    text = (
        "Title\n\nAnna Berg, the finance minister, said the budget was fair. Berg added that taxes would fall. "
        "Berg also said the deficit would shrink.\n\n"
        "Jan Kowalski, the opposition leader, disagreed. He said the plan would fail.\n"
    )
    claims = run_stages(raw_article(text), BuildConfig(), until="extract").claims
    speakers = {claim.text: claim.speaker for claim in claims if claim.cue is not None}
    assert speakers["the plan would fail"] == "Jan Kowalski"  # named once, after Berg's three mentions
    assert speakers["the deficit would shrink"] == "Anna Berg"


def he_after(phrase: str) -> str | None:
    """What "he" in the next sentence resolves to after ``phrase`` was noted as a speaker."""
    text = f"Prices rose. {phrase} said it. He said more."
    document = document_of(text)
    index = People.build(document.masked, document.paragraphs, [], [s.start for s in document.sentences])
    start = text.index(phrase)
    index.note(start, phrase, Mention(start, start + len(phrase), "phrase", (start, start + len(phrase))))
    he = text.index("He said")
    return index.resolve(document.view, Mention(he, he + 2, "pronoun", (he, he + 2))).speaker


@pytest.mark.parametrize(
    "phrase",
    ["A spokesman", "An official", "The chairman", "Its chief", "His lawyer", "Her adviser", "Their attorney",
     "One analyst"],
)  # fmt: skip
def test_a_phrase_naming_one_person_is_who_he_then_is(phrase):
    assert he_after(phrase) == phrase


@pytest.mark.parametrize("phrase", ["Analysts", "A storm", "Some officials", "Spokesman", "The company"])
def test_a_phrase_naming_no_one_person_is_never_he(phrase):
    assert he_after(phrase) is None


def said_by(text: str) -> dict[str, str | None]:
    """The speaker of each attributed claim of an article, by the claim's text."""
    claims = run_stages(raw_article(text), BuildConfig(), until="extract").claims
    return {claim.text: claim.speaker for claim in claims if claim.cue is not None}


ROLE_CLAIM = "taxes would rise next year"


@pytest.mark.parametrize(
    "people",
    [
        "Finance Minister Anna Berg met Health Minister Jan Nowak on Monday.",  # two titles
        "Anna Berg, the finance minister, met Jan Nowak, the health minister, on Monday.",  # two appositions
        "Finance Minister Anna Berg met Jan Nowak, the health minister, on Monday.",  # one of each
        "Union leaders met on Monday.",  # nobody at all
    ],
    ids=["two-titles", "two-appositions", "title-and-apposition", "nobody"],
)
def test_a_role_the_article_gives_two_people_or_nobody_stays_as_written(people):
    speakers = said_by(f"Budget talks\n\n{people}\n\nThe minister said {ROLE_CLAIM}.\n")
    assert speakers[ROLE_CLAIM] == "The minister"


@pytest.mark.parametrize(
    ("people", "role"),
    [
        ("Finance Minister Anna Berg met union leaders on Monday.", "The minister"),
        ("Anna Berg, the finance minister, met union leaders on Monday.", "The minister"),
        ("Finance Minister Anna Berg met Health Minister Jan Nowak on Monday.", "The finance minister"),
        ("Anna Berg, the finance minister, met Jan Nowak, the health minister, on Monday.", "The finance minister"),
    ],
    ids=["title", "apposition", "qualified-title", "qualified-apposition"],
)
def test_a_role_the_article_gives_one_person_is_that_person(people, role):
    speakers = said_by(f"Budget talks\n\n{people}\n\n{role} said {ROLE_CLAIM}.\n")
    assert speakers[ROLE_CLAIM] == "Anna Berg"


@pytest.mark.parametrize(
    "story",
    [
        "Anna Berg spoke. Berg met voters. Jan Nowak spoke. Nowak met voters. Berg left. Then the president spoke.",
        "Anna Berg spoke. Berg left. Then the president spoke.",  # named twice: no story about her yet
        "Anna Berg spoke. Berg met voters. Berg left. Then the spokesman spoke.",  # no leading role
    ],
    ids=["named-less-than-twice-as-often-as-another", "named-twice", "not-a-leading-role"],
)
def test_a_role_no_one_is_given_in_a_story_not_plainly_about_one_person_stays_as_written(story):
    role = story[story.rindex("the ") : story.rindex(" spoke")]
    assert resolve_in(story, role) == role


def test_a_story_naming_one_person_three_times_and_twice_as_often_as_anyone_is_about_that_person():
    story = "Anna Berg spoke. Berg met voters. Jan Nowak spoke. Berg left. Then the president spoke."
    assert resolve_in(story, "the president") == "Anna Berg"
    twice = "Anna Berg spoke. Berg met voters. Jan Nowak spoke. Nowak left. Berg left. Berg came. The president spoke."
    assert resolve_in(twice, "The president") == "Anna Berg"  # 4 against 2: exactly twice as often


def test_a_role_the_article_gives_two_people_stays_as_written_even_in_a_story_about_one_of_them():
    story = (
        "Finance Minister Anna Berg spoke. Berg met voters. Berg met Health Minister Jan Nowak. Berg left. "
        "Then the minister spoke."
    )
    assert resolve_in(story, "the minister") == "the minister"
    alone = story.replace("Health Minister Jan Nowak", "Jan Nowak")  # the role is hers alone: hers
    assert resolve_in(alone, "the minister") == "Anna Berg"


@pytest.mark.parametrize("text", ["It ended.   , Tom Hale said no.", "Hi.  - , Tom Hale said no."])
def test_an_apposition_of_blanks_before_a_name_is_no_role(text):
    """A scrape's stray comma after a sentence ("It ended.   , Tom Hale said") once crashed the role reader."""
    people = People.of(document_of(text))
    assert people.canonical("Hale") == "Tom Hale"
    assert people.role_holder("said") is None
