from __future__ import annotations

import pytest

from builder.extract.cues import attribution_after, attribution_before, find_reported


def after(text: str) -> tuple[str | None, str | None, str | None]:
    close = text.index("@")
    found = attribution_after(text, close + 1, len(text))
    if found is None:
        return None, None, None
    speaker = text[found.speaker[0] : found.speaker[1]] if found.speaker else None
    return text[found.cue[0] : found.cue[1]], speaker, found.medium


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@, he said.", ("said", "he", None)),
        ("@, said the Secretary General of NATO.", ("said", "the Secretary General of NATO", None)),
        ("@, — he said.", ("said", "he", None)),
        ("@ Stoltenberg, a former prime minister, told Polish daily Gazeta Wyborcza in an interview.",
         ("told", "Stoltenberg", "Polish daily Gazeta Wyborcza")),
        ("@, NATO Secretary General Jens Stoltenberg said.", ("said", "Jens Stoltenberg", None)),
        ("@, he was quoted as saying.", ("was quoted as saying", "he", None)),
        ("@, the alliance's new chief pointed out.", ("pointed out", "the alliance's new chief", None)),
        ("@ The minister left.", (None, None, None)),
    ],
)  # fmt: skip
def test_attribution_after_a_quotation(text, expected):
    assert after(text) == expected


def test_attribution_after_a_finished_sentence_needs_nothing_but_adjuncts_after_it():
    text = '"It was fine." Ferguson said Milan would win.'
    assert attribution_after(text, text.index('" ') + 1, len(text)) is None
    text = '"It was fine." Ferguson said on Monday.'
    assert attribution_after(text, text.index('" ') + 1, len(text)) is not None


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        ("According to him, ", "According to", "him"),
        ("When speaking of it, he noted that ", "noted", "he"),
        ("NATO Secretary General Jens Stoltenberg said: ", "said", "Jens Stoltenberg"),
        ("Just three years ago, you said in Oslo, that the correct response is ", "said", "you"),
    ],
)
def test_attribution_before_a_quotation(text, cue, speaker):
    found = attribution_before(text, len(text), 0)
    assert found is not None
    assert (text[found.cue[0] : found.cue[1]], text[found.speaker[0] : found.speaker[1]]) == (cue, speaker)


def reported(sentence: str) -> list[tuple[str, str, str]]:
    return [
        (sentence[p.start : p.end], sentence[p.attribution.cue[0] : p.attribution.cue[1]],
         sentence[p.attribution.speaker[0] : p.attribution.speaker[1]] if p.attribution.speaker else "")
        for p in find_reported(sentence, 0, len(sentence))
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Stoltenberg said there was no contradiction between the two.",
         [("there was no contradiction between the two", "said", "Stoltenberg")]),
        ("Jens Stoltenberg, who is visiting Poland, said NATO would respect its commitments.",
         [("NATO would respect its commitments", "said", "Jens Stoltenberg")]),
        ("NATO wants good relations with Russia, the alliance's chief told a Polish newspaper on Monday.",
         [("NATO wants good relations with Russia", "told", "the alliance's chief")]),
        ("The members see no threat, said the Secretary General at the forum.",
         [("The members see no threat", "said", "the Secretary General")]),
        ("Norway's status as a member, Stoltenberg said, meant that it could deal with Moscow.",
         [("Norway's status as a member", "said", "Stoltenberg"),
          ("meant that it could deal with Moscow", "said", "Stoltenberg")]),
        ("But last December, the Board confirmed that he could play for England.",
         [("he could play for England", "confirmed", "the Board")]),
        ("After the long meeting in Brussels, the minister said on Monday that the trade deal was dead.",
         [("the trade deal was dead", "said", "the minister")]),
        ("Stoltenberg earlier called for dialogue and stressed that the Alliance does not seek isolation.",
         [("the Alliance does not seek isolation", "stressed", "Stoltenberg")]),
        ("According to the ministry, prices rose by 5% in May.",
         [("prices rose by 5% in May", "According to", "the ministry")]),
        ("He said in a interview last spring that you even had a relationship.",
         [("you even had a relationship", "said", "He")]),
        ("The firm said on Monday.", []),
        ("Sales rose in May and said goodbye to losses.", []),
    ],
)  # fmt: skip
def test_reported_speech(sentence, expected):
    assert reported(sentence) == expected


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("@, said a Home Office spokesman.", "a Home Office spokesman"),
        ("@, the Muslim Council of Britain said.", "the Muslim Council of Britain"),
        ("@, Mr Cable said.", "Cable"),
        ("@, said Race director Matthew Turnbull.", "Matthew Turnbull"),
    ],
)
def test_names_stand_for_people_and_organisations_stay_whole(text, speaker):
    assert after(text)[1] == speaker


def test_an_apposition_before_said_colon_is_skipped():
    text = "Paul Boateng MP, Labour's Chief Secretary to the Treasury, said: "
    found = attribution_before(text, len(text), 0)
    assert found is not None and text[found.speaker[0] : found.speaker[1]] == "Paul Boateng"


def test_a_quoted_sentence_followed_by_new_reported_speech_is_not_attributed_by_it():
    text = '"We lost a lot." Shaheed noted that investment had fallen.'
    assert attribution_after(text, text.index('" ') + 1, len(text)) is None
