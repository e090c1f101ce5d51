"""The cue lexicon: every word that attributes content to a source, as data, in one place.

A cue is a verb of saying, thinking or showing ("said", "tweeted", "believes", "found"), or "according to".
Each line of :data:`VERBS` lists a verb's forms (base, third person, past, participles, any order) and, after
``|``, its *frames*, the shapes of content it takes:

``quote``
    it attributes a quotation: ``"…," she said`` · ``he wrote: "…"`` · ``"…," said the mayor``;
``that``
    it takes a that-clause: ``officials noted that the plan had failed``;
``bare``
    it takes a clause without "that": ``Trump said Clinton's plan would fail`` · ``analysts expect rates to rise``
    (the clause must hold a finite verb within a few words, so ``announced his candidacy`` is no clause);
``object``
    it names its addressee first: ``told reporters (that) …`` · ``assured voters …`` · ``asked aides whether …``;
``wh``
    it takes a question: ``asked whether …`` · ``wondered why …``;
``np``
    its content may be a noun phrase, counted only when it holds quoted words: ``called the deal "a disaster"`` ·
    ``described the plan as "reckless"`` (a mixed quote; without quotation marks it is no claim);
``topic``
    a speech act whose content may be what it is about, a noun phrase: ``announced a 10 pct dividend`` ·
    ``denied any involvement`` · ``called for an inquiry`` · ``criticized the ruling as hasty``;
``to``
    it takes an infinitive, a commitment or intention: ``pledged to cut taxes`` · ``urged voters to stay home`` ·
    ``plans to run``;
``as``
    a judgement: a noun phrase followed by "as": ``sees the deal as a betrayal`` · ``regarded him as a rival``.

A verb may be preceded by auxiliaries and adverbs ("has said", "would also say", "had repeatedly warned"),
which the cue span includes, and followed by adjuncts ("said Tuesday", "said in a statement", "told reporters
at a rally") before its content. :data:`PHRASES` are multi-word cues, their forms separated by commas, with the
same frames. To add a cue, add a line here and, for each of its forms and frames, a sentence and its claims to
``tests/extract/cue_cases.tsv`` (a test fails until every form and frame has one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

__all__ = ["ADVERBS", "AUXILIARIES", "CUE_FORMS", "Cue", "cue_pattern", "cue_spans", "lookup"]

VERBS = """
say says said saying                          | quote that bare
add adds added adding                         | quote that bare
tell tells told telling                       | quote that bare object to
write writes wrote writing written            | quote that bare
tweet tweets tweeted tweeting                 | quote that bare topic
post posts posted posting                     | quote that
note notes noted noting                       | quote that bare topic
state states stated stating                   | quote that
stress stresses stressed stressing            | quote that bare topic
warn warns warned warning                     | quote that bare object np topic
explain explains explained explaining         | quote that topic wh
insist insists insisted insisting             | quote that bare
argue argues argued arguing                   | quote that bare
claim claims claimed claiming                 | quote that bare to
announce announces announced announcing       | quote that bare topic
declare declares declared declaring           | quote that bare np
conclude concludes concluded concluding       | quote that bare
acknowledge acknowledges acknowledged acknowledging | quote that bare topic
admit admits admitted admitting               | quote that bare topic
concede concedes conceded conceding           | quote that bare
emphasize emphasizes emphasized emphasizing   | quote that bare topic
emphasise emphasises emphasised emphasising   | quote that bare topic
underline underlines underlined               | quote that
underscore underscores underscored            | quote that
recall recalls recalled recalling             | quote that bare
observe observes observed observing           | quote that
remark remarks remarked remarking             | quote that
assert asserts asserted asserting             | quote that bare
confirm confirms confirmed confirming         | quote that bare topic
reply replies replied replying                | quote that
respond responds responded responding         | quote that
answer answers answered                       | quote
continue continues continued                  | quote
comment comments commented                    | quote that
charge charges charged                        | quote that
predict predicts predicted predicting         | quote that bare topic
disclose discloses disclosed                  | that topic
reveal reveals revealed revealing             | quote that bare topic
report reports reported reporting             | quote that bare topic
suggest suggests suggested suggesting         | quote that bare topic
allege alleges alleged alleging               | quote that bare
contend contends contended contending         | quote that bare
maintain maintains maintained maintaining     | quote that bare
complain complains complained complaining     | quote that bare
boast boasts boasted boasting                 | quote that bare
brag brags bragged bragging                   | quote that
joke jokes joked joking                       | quote that
quip quips quipped                            | quote
vow vows vowed vowing                         | quote that bare np topic to
promise promises promised promising           | quote that bare np topic to
pledge pledges pledged pledging               | quote that topic to
swear swears swore sworn                      | quote that bare to
assure assures assured assuring               | quote that object
remind reminds reminded reminding             | quote that object
inform informs informed                       | that object
caution cautions cautioned cautioning         | quote that
counter counters countered countering         | quote that
retort retorts retorted                       | quote that
testify testifies testified testifying        | quote that
estimate estimates estimated                  | that bare topic
deny denies denied denying                    | quote that topic
repeat repeats repeated repeating             | quote that
reiterate reiterates reiterated reiterating   | quote that
mention mentions mentioned mentioning         | quote that topic
speculate speculates speculated speculating   | quote that
recount recounts recounted                    | quote that
ask asks asked asking                         | quote wh object to
wonder wonders wondered wondering             | quote wh
shout shouts shouted shouting                 | quote
yell yells yelled yelling                     | quote
scream screams screamed                       | quote
chant chants chanted chanting                 | quote
exclaim exclaims exclaimed                    | quote
proclaim proclaims proclaimed proclaiming     | quote that
read reads reading                            | quote
urge urges urged urging                       | quote np topic to object
call calls called calling                     | np
describe describes described describing       | np topic as
dub dubs dubbed dubbing                       | np
label labels labeled labelled labeling        | np
brand brands branded branding                 | np
accuse accuses accused accusing               | np topic
blame blames blamed blaming                   | np topic
praise praises praised praising               | np topic
criticize criticizes criticized criticizing   | np topic
criticise criticises criticised criticising   | np topic
slam slams slammed slamming                   | np topic
condemn condemns condemned condemning         | np topic
defend defends defended defending             | np topic
hail hails hailed hailing                     | np topic
tout touts touted touting                     | np topic
dismiss dismisses dismissed dismissing        | np topic
deride derides derided deriding               | np
mock mocks mocked mocking                     | np topic
decry decries decried decrying                | np topic
credit credits credited crediting             | np
name names named naming                       | np
cite cites cited citing                       | np topic
quote quotes quoted quoting                   | np
thank thanks thanked thanking                 | np
herald heralds heralded heralding             | np
denounce denounces denounced denouncing       | np topic
blast blasts blasted blasting                 | np topic
assail assails assailed assailing             | np topic
lament laments lamented lamenting             | quote that np topic
echo echoes echoed echoing                    | quote that np topic
imply implies implied implying                | that bare
email emails emailed emailing                 | quote that
retweet retweets retweeted retweeting         | quote topic
remember remembers remembered remembering     | quote that bare
learn learns learned learnt                   | that bare
snipe snipes sniped sniping                   | quote that
scoff scoffs scoffed scoffing                 | quote that
grumble grumbles grumbled grumbling           | quote that
muse muses mused musing                       | quote that
rail rails railed railing                     | quote that
plead pleads pleaded pleading                 | quote that
attack attacks attacked attacking            | np topic
propose proposes proposed proposing           | that to topic
question questions questioned questioning      | wh topic
reject rejects rejected rejecting             | topic
demand demands demanded demanding             | quote that to topic
discuss discusses discussed discussing        | topic
endorse endorses endorsed endorsing           | topic
threaten threatens threatened threatening     | quote that to topic
forecast forecasts forecasted forecasting     | that bare topic
highlight highlights highlighted highlighting | topic
recommend recommends recommended recommending | that topic
refuse refuses refused refusing               | to
decline declines declined declining           | to
offer offers offered offering                 | to
plan plans planned planning                   | to
intend intends intended intending             | to
seek seeks sought seeking                     | to
want wants wanted wanting                     | to
oppose opposes opposed opposing               | topic
back backs backed                             | topic
favor favors favored favoring                 | topic
favour favours favoured favouring             | topic
accept accepts accepted accepting             | that topic
challenge challenges challenged challenging   | topic
dispute disputes disputed disputing           | topic
embrace embraces embraced embracing           | topic
champion champions championed championing    | topic
ridicule ridicules ridiculed ridiculing       | topic
debate debates debated debating               | topic wh
detail details detailed detailing             | topic
outline outlines outlined outlining           | topic
signal signals signaled signalled signaling   | that topic
consider considers considered considering     | that as topic
view views viewed viewing                     | as
portray portrays portrayed portraying         | as np
depict depicts depicted depicting             | as np
characterize characterizes characterized characterizing | as np
characterise characterises characterised characterising | as np
paint paints painted painting                 | as
regard regards regarded regarding             | as
understand understands understood             | that
prefer prefers preferred preferring           | to topic
wish wishes wished                            | that to
think thinks thought                          | that bare
believe believes believed                     | that bare
know knows knew                               | that bare
feel feels felt                               | that bare
expect expects expected                       | that bare to
fear fears feared                             | that bare topic
hope hopes hoped                              | that to bare
worry worries worried                         | that
suspect suspects suspected                    | that bare
doubt doubts doubted                          | that
agree agrees agreed                           | that to
realize realizes realized                     | that
recognize recognizes recognized               | that
show shows showed shown                       | that bare topic
find finds found                              | that bare topic
indicate indicates indicated                  | that bare topic
"""

PHRASES = """
point out, points out, pointed out, pointing out | quote that bare
go on to say, goes on to say, went on to say     | quote that bare
was quoted as saying, is quoted as saying        | quote that bare
make clear, makes clear, made clear, making clear | that bare
make it clear, makes it clear, made it clear     | that bare
put it, puts it                                  | quote
shot back, shoots back, shoot back, fired back, fires back, fire back, hit back, hits back | quote that bare
talk about, talks about, talked about, talking about      | topic
speak about, speaks about, spoke about, speaking about    | topic
speak of, speaks of, spoke of, speaking of                | topic
warn of, warns of, warned of, warning of, warn about, warned about | topic
complain about, complains about, complained about, complaining about | topic
call for, calls for, called for, calling for             | topic
call on, calls on, called on, calling on                 | object to
call upon, calls upon, called upon, calling upon         | object to
walk back, walks back, walked back, walking back         | topic
ask for, asks for, asked for, asking for                 | topic
push for, pushes for, pushed for, pushing for            | topic
refer to, refers to, referred to, referring to           | topic
point to, points to, pointed to, pointing to             | topic
argue for, argues for, argued for, arguing for           | topic
hint at, hints at, hinted at, hinting at                 | topic
talk up, talks up, talked up, talking up                 | topic
agree with, agrees with, agreed with, agreeing with      | topic
sum up, sums up, summed up, summing up                   | as np
write back, writes back, wrote back                      | quote that
express concern, expresses concern, expressed concern, expressing concern | that topic
express frustration, expressed frustration, expressing frustration | that topic
express hope, expressed hope, expressing hope            | that topic
express confidence, expressed confidence, expressing confidence | that topic
express doubt, expressed doubt, expressing doubt         | that topic
express regret, expressed regret, expressing regret      | that topic
comment on, comments on, commented on, commenting on     | topic
weigh in on, weighs in on, weighed in on, weighing in on | topic
respond to, responds to, responded to, responding to     | topic
react to, reacts to, reacted to, reacting to             | topic
ask about, asks about, asked about, asking about         | topic
apologize for, apologizes for, apologized for, apologizing for | topic
vote for, votes for, voted for, voting for               | topic
vote against, votes against, voted against, voting against | topic
push back on, pushes back on, pushed back on, push back against, pushed back against | topic
lash out at, lashes out at, lashed out at, lashing out at | topic
take aim at, takes aim at, took aim at, taking aim at    | topic
rail against, rails against, railed against, railing against | topic
speak out against, spoke out against, speaks out against | topic
"""

_AUXILIARIES = frozenset(
    "has have had is are was were be been being will would can could should may might must do does did not n't "
    "hasn't haven't hadn't isn't aren't wasn't weren't won't wouldn't can't couldn't didn't doesn't don't".split()
)
AUXILIARIES = _AUXILIARIES | frozenset(word.replace("'", "’") for word in _AUXILIARIES)
"""Auxiliaries and negation before a verb cue, with straight or typographic apostrophes; the cue span includes them
("has said", "would not say")."""

ADVERBS = frozenset(
    "also later then still repeatedly previously recently once again already often frequently publicly privately "
    "reportedly initially quickly flatly bluntly openly simply even never always just now further "
    "earlier subsequently both all each".split()
)
"""Adverbs that may stand between a speaker and a verb cue, outside the cue span ("Smith also said")."""

FRAMES = frozenset({"quote", "that", "bare", "object", "wh", "np", "topic", "to", "as"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue form: its lemma, its frames, and whether it is a participle that hangs off a clause ("saying")."""

    lemma: str
    frames: frozenset[str]
    participle: bool


def _table() -> dict[str, Cue]:
    table: dict[str, Cue] = {}
    for source, multiword in ((VERBS, False), (PHRASES, True)):
        for line in source.strip().splitlines():
            forms_part, frames_part = line.split("|")
            frames = frozenset(frames_part.split())
            assert frames <= FRAMES, line
            forms = [" ".join(f.split()) for f in forms_part.split(",")] if multiword else forms_part.split()
            lemma = forms[0]
            for form in forms:
                table[form] = Cue(lemma, frames, participle=form.split()[0].endswith("ing"))
    return table


CUE_FORMS: dict[str, Cue] = _table()
"""Every cue form (lower case, words joined by one space) → its :class:`Cue`."""


def lookup(form: str) -> Cue | None:
    """The cue of a form as written ("Said", "pointed  out"), or None."""
    return CUE_FORMS.get(" ".join(form.lower().split()))


@cache
def cue_pattern() -> re.Pattern[str]:
    """A regex finding every cue form (the longest at each place) as whole words, case-insensitive; the space
    between two words of a form matches any run of spaces. The forms are compiled as a trie, so one pass over a
    text tries each letter once, not every form at every letter."""
    return re.compile(rf"\b(?:{_trie([*CUE_FORMS, 'according to'])})\b", re.IGNORECASE)


@cache
def _lower_case_pattern() -> re.Pattern[str]:
    return re.compile(cue_pattern().pattern)


def cue_spans(text: str) -> list[tuple[int, int]]:
    """The span of every cue in ``text``, as :func:`cue_pattern` finds them. One pass over the lower-cased text
    with a case-sensitive pattern is about twice as fast; where lower-casing changes the length ("İ"), the
    case-insensitive pattern runs on the text itself so that the offsets stay exact."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return [found.span() for found in _lower_case_pattern().finditer(lowered)]
    return [found.span() for found in cue_pattern().finditer(text)]


def _trie(forms: list[str]) -> str:
    """A regex alternation of ``forms`` that shares prefixes; longer continuations are tried first."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for form in forms:
        node = root
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(root)


def _branches(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [
        (" +" if char == " " else re.escape(char)) + _branches(child) for char, child in sorted(node.items()) if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body
