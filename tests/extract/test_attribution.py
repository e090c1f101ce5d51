"""Attribution grammar: cue, speaker mention and content in one sentence, over the masked view."""

from __future__ import annotations

import pytest

from builder.extract.attribution import find_attributions
from conftest import document_of


def attributions(text: str) -> list[tuple[list[str], str, str]]:
    """(content pieces, cue, speaker mention) of every attribution in every sentence of one paragraph."""
    document = document_of(text)
    found = []
    for sentence in document.sentences:
        for attribution in find_attributions(document.view, document.masked, sentence.start, sentence.end):
            speaker = attribution.speaker
            found.append(
                (
                    [text[start:end] for start, end in attribution.content],
                    text[attribution.cue[0] : attribution.cue[1]],
                    text[speaker.start : speaker.end] if speaker else "",
                )
            )
    return found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Stoltenberg said there was no contradiction between the two.",
         [(["there was no contradiction between the two"], "said", "Stoltenberg")]),
        ("Jens Stoltenberg, who is visiting Poland, said NATO would respect its commitments.",
         [(["NATO would respect its commitments"], "said", "Jens Stoltenberg")]),
        ("NATO wants good relations with Russia, the alliance's chief told a Polish newspaper on Monday.",
         [(["NATO wants good relations with Russia"], "told", "the alliance's chief")]),
        ("The members see no threat, said the Secretary General at the forum.",
         [(["The members see no threat"], "said", "the Secretary General")]),
        ("Norway's status as a member, Stoltenberg said, meant that it could deal with Moscow.",
         [(["Norway's status as a member", "meant that it could deal with Moscow"], "said", "Stoltenberg")]),
        ("But last December, the Board confirmed that he could play for England.",
         [(["he could play for England"], "confirmed", "the Board")]),
        ("After the long meeting in Brussels, the minister said on Monday that the trade deal was dead.",
         [(["the trade deal was dead"], "said", "the minister")]),
        ("Stoltenberg earlier called for dialogue and stressed that the Alliance does not seek isolation.",
         [(["dialogue"], "called for", "Stoltenberg"),
          (["the Alliance does not seek isolation"], "stressed", "Stoltenberg")]),
        ("According to the ministry, prices rose by 5% in May.",
         [(["prices rose by 5% in May"], "According to", "the ministry")]),
        ("Prices rose by 5% in May, according to the ministry.",
         [(["Prices rose by 5% in May"], "according to", "the ministry")]),
        ("He said in a interview last spring that you even had a relationship.",
         [(["you even had a relationship"], "said", "He")]),
        ("Rubio has previously said that mothers should not be punished.",
         [(["mothers should not be punished"], "has previously said", "Rubio")]),
        ("Dealers said rates would rise.", [(["rates would rise"], "said", "Dealers")]),
        ("Rates would rise this year, dealers told reporters.", [(["Rates would rise this year"], "told", "dealers")]),
        ("Mr. Clyburn said Tuesday the vote was close.", [(["the vote was close"], "said", "Mr. Clyburn")]),
        ("Chris Weston, chief market strategist in Melbourne at IG Ltd., said the dollar would fall.",
         [(["the dollar would fall"], "said", "Chris Weston")]),
        ("Sen. Chuck Schumer (D-N.Y.) said the bill would pass.", [(["the bill would pass"], "said", "Chuck Schumer")]),
        ("The company said it would cut 500 jobs, according to Reuters.",
         [(["it would cut 500 jobs"], "said", "The company")]),
        ("Trump argued that the wall would work, saying it was cheap.",
         [(["the wall would work"], "argued", "Trump"), (["it was cheap"], "saying", "Trump")]),
        ("Blair said he took nothing for granted - warning that the Tories would win.",
         [(["he took nothing for granted"], "said", "Blair"), (["the Tories would win"], "warning", "Blair")]),
        ("The firm announced a 10 pct dividend increase on Tuesday.",
         [(["a 10 pct dividend increase on Tuesday"], "announced", "The firm")]),
        ("The governor pledged to cut taxes by 2020.", [(["to cut taxes by 2020"], "pledged", "The governor")]),
        ("A poll showed support in Texas, Virginia and Georgia.",
         [(["support in Texas, Virginia and Georgia"], "showed", "A poll")]),
        # a list after a comma is one noun phrase: "or", the serial comma, a last item of several words; it ends
        # where the list does (an adjunct, "but", a predicate of the subject, a clause after a comma)
        ("A poll showed support in Texas, Virginia or Georgia.",
         [(["support in Texas, Virginia or Georgia"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia, and Georgia.",
         [(["support in Texas, Virginia, and Georgia"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia and New York City.",
         [(["support in Texas, Virginia and New York City"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia and Georgia during May.",
         [(["support in Texas, Virginia and Georgia"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia and Georgia but not Ohio.",
         [(["support in Texas, Virginia and Georgia"], "showed", "A poll")]),
        ("A poll showed support among men, women and children and pleased the firm.",
         [(["support among men, women and children"], "showed", "A poll")]),
        ("A poll showed support in Texas, which surprised many.", [(["support in Texas"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia and.", [(["support in Texas"], "showed", "A poll")]),
        ("A poll showed support in Texas, Virginia, or Georgia.",
         [(["support in Texas, Virginia, or Georgia"], "showed", "A poll")]),
        # an item of five words is no list item; nor is a clause after ", and"
        ("A poll showed support in Texas, the big southern oil state and Georgia.",
         [(["support in Texas"], "showed", "A poll")]),
        ("The senator praised the plan, and the governor agreed.", [(["the plan"], "praised", "The senator")]),
        ("The senator praised the plan, or at least its aims.", [(["the plan"], "praised", "The senator")]),
        ("A poll showed support in Texas, Virginia or the rest, and it rose.",
         [(["support in Texas, Virginia or the rest"], "showed", "A poll")]),
        ("The senator defended the plan and then visited the farms.", [(["the plan"], "defended", "The senator")]),
        ("The senator defended the plans and needs of farmers.",
         [(["the plans and needs of farmers"], "defended", "The senator")]),
        ("The firm said on Monday.", [([], "said", "The firm")]),  # its content is the quotation before it
        ("Sales rose in May and said goodbye to losses.", []),
        ("US firms added only 146,000 jobs in January.", []),  # "add" reports only a clause, a quote or a that
        ("The first attack was treated as a crime.", []),
        ("It is the target it pledged to reach in Paris.", []),
        ("In an interview on CBS, Ryan said.", []),
    ],
)  # fmt: skip
def test_reported_speech(sentence, expected):
    assert attributions(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('"We will stay," the minister said.', (['"We will stay,"'], "said", "the minister")),
        ('"We will stay," said Mr. Kelly.', (['"We will stay,"'], "said", "Mr. Kelly")),
        ("''It is over,'' Mr. Welch said.", (["''It is over,''"], "said", "Mr. Welch")),
        ('"A," he said, "B."', (['"A,"', '"B."'], "said", "he")),
        ('"A lot of people were upset," said former Rep. George Miller (D-Calif.), one of the negotiators.',
         (['"A lot of people were upset,"'], "said", "George Miller")),
        ('Trump said Clinton\'s plan would "lead to World War Three," because she is weak.',
         (['Clinton\'s plan would "lead to World War Three," because she is weak'], "said", "Trump")),
        ('NATO Secretary General Jens Stoltenberg said: "We are ready."',
         (['"We are ready."'], "said", "Jens Stoltenberg")),
        ('He noted that "there has been a good atmosphere."', (['"there has been a good atmosphere."'], "noted", "He")),
        ('"Quiet," he demanded of the crowd, "now."', (['"Quiet,"', '"now."'], "demanded", "he")),
        ('The gathering, which the group called "a celebration," drew 500 people.', None),
    ],
)  # fmt: skip
def test_quotations_are_the_content_of_their_cue(sentence, expected):
    found = attributions(sentence)
    if expected is None:
        assert all('"' not in "".join(pieces) for pieces, _, _ in found)
    else:
        assert found[0] == expected


def test_a_colon_closing_the_sentence_leaves_the_content_open():
    document = document_of("Caddell continued:")
    (attribution,) = find_attributions(document.view, document.masked, 0, len(document.text))
    assert attribution.open and attribution.content == ()


def test_a_line_wrap_inside_a_paragraph_reads_as_a_space():
    text = "The Treasury\nsaid on Monday that the\ndeficit had narrowed."
    assert attributions(text) == [(["the\ndeficit had narrowed"], "said", "The Treasury")]


def test_words_inside_a_quotation_are_never_cues_or_speakers():
    assert attributions('"Officials said it would rain," he added.') == [
        (['"Officials said it would rain,"'], "added", "he")
    ]
