"""The cue lexicon: every word that attributes content to a source, as data, in one place.

A cue is a verb of saying, thinking or showing ("said", "tweeted", "believes", "found"), or "according to".
Each line of :data:`VERBS` lists a verb's forms (base, third person, past, participles, any order), after ``|``
its *frames*, the shapes of content it takes, and after a second ``|`` its *kind* (:class:`CueKind`).

The kinds (a claim's ``cue_kind``):

``speech``
    words said, written or published: ``said``, ``told``, ``wrote``, ``announced``, ``claimed``, ``denied``,
    ``according to``, a report that ``found`` or ``shows``;
``belief``
    what the source thinks, knows or takes a stance on, said or not: ``thinks``, ``believes``, ``feels``,
    ``expects`` (``analysts expect rates to rise``), ``fears``, ``opposes``;
``intention``
    what the source means to do or refuses to do: ``plans to``, ``wants to``, ``hopes``, ``refused to``,
    ``declined to``, ``offered to``.

A kind may be followed by ``frame:kind`` overrides: ``vow … | … to | speech to:intention`` makes ``vowed that
taxes would fall`` speech and ``vowed to cut taxes`` (content an infinitive) an intention.

The frames:

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
    ``denied any involvement`` · ``called for an inquiry`` · ``criticized the ruling as hasty``. A belief has no
    topic frame: a stance on a thing (``opposes the tax``, ``backed the plan``, ``voted for the bill``) says and
    thinks nothing that could be checked, so it is no claim;
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

from builder.models import CueKind

__all__ = ["ADVERBS", "AUXILIARIES", "CUE_FORMS", "Cue", "cue_kind", "cue_pattern", "cue_spans", "lookup"]

VERBS = """
say says said saying                          | quote that bare                 | speech
add adds added adding                         | quote that bare                 | speech
tell tells told telling                       | quote that bare object to       | speech
write writes wrote writing written            | quote that bare                 | speech
tweet tweets tweeted tweeting                 | quote that bare topic           | speech
post posts posted posting                     | quote that                      | speech
note notes noted noting                       | quote that bare topic           | speech
state states stated stating                   | quote that                      | speech
stress stresses stressed stressing            | quote that bare topic           | speech
warn warns warned warning                     | quote that bare object np topic | speech
explain explains explained explaining         | quote that topic wh             | speech
insist insists insisted insisting             | quote that bare                 | speech
argue argues argued arguing                   | quote that bare                 | speech
claim claims claimed claiming                 | quote that bare to              | speech
announce announces announced announcing       | quote that bare topic           | speech
declare declares declared declaring           | quote that bare np              | speech
conclude concludes concluded concluding       | quote that bare                 | speech
acknowledge acknowledges acknowledged acknowledging | quote that bare topic     | speech
admit admits admitted admitting               | quote that bare topic           | speech
concede concedes conceded conceding           | quote that bare                 | speech
emphasize emphasizes emphasized emphasizing   | quote that bare topic           | speech
emphasise emphasises emphasised emphasising   | quote that bare topic           | speech
underline underlines underlined               | quote that                      | speech
underscore underscores underscored            | quote that                      | speech
recall recalls recalled recalling             | quote that bare                 | speech
observe observes observed observing           | quote that                      | speech
remark remarks remarked remarking             | quote that                      | speech
assert asserts asserted asserting             | quote that bare                 | speech
confirm confirms confirmed confirming         | quote that bare topic           | speech
reply replies replied replying                | quote that                      | speech
respond responds responded responding         | quote that                      | speech
answer answers answered                       | quote                           | speech
continue continues continued                  | quote                           | speech
comment comments commented                    | quote that                      | speech
charge charges charged                        | quote that                      | speech
predict predicts predicted predicting         | quote that bare topic           | speech
disclose discloses disclosed                  | that topic                      | speech
reveal reveals revealed revealing             | quote that bare topic           | speech
report reports reported reporting             | quote that bare topic           | speech
suggest suggests suggested suggesting         | quote that bare topic           | speech
allege alleges alleged alleging               | quote that bare                 | speech
contend contends contended contending         | quote that bare                 | speech
maintain maintains maintained maintaining     | quote that bare                 | speech
complain complains complained complaining     | quote that bare                 | speech
boast boasts boasted boasting                 | quote that bare                 | speech
brag brags bragged bragging                   | quote that                      | speech
joke jokes joked joking                       | quote that                      | speech
quip quips quipped                            | quote                           | speech
vow vows vowed vowing                         | quote that bare np topic to     | speech to:intention
promise promises promised promising           | quote that bare np topic to     | speech to:intention
pledge pledges pledged pledging               | quote that topic to             | speech to:intention
swear swears swore sworn                      | quote that bare to              | speech to:intention
assure assures assured assuring               | quote that object               | speech
remind reminds reminded reminding             | quote that object               | speech
inform informs informed                       | that object                     | speech
caution cautions cautioned cautioning         | quote that                      | speech
counter counters countered countering         | quote that                      | speech
retort retorts retorted                       | quote that                      | speech
testify testifies testified testifying        | quote that                      | speech
estimate estimates estimated                  | that bare topic                 | speech
deny denies denied denying                    | quote that topic                | speech
repeat repeats repeated repeating             | quote that                      | speech
reiterate reiterates reiterated reiterating   | quote that                      | speech
mention mentions mentioned mentioning         | quote that topic                | speech
speculate speculates speculated speculating   | quote that                      | speech
recount recounts recounted                    | quote that                      | speech
ask asks asked asking                         | quote wh object to              | speech
wonder wonders wondered wondering             | quote wh                        | belief
shout shouts shouted shouting                 | quote                           | speech
yell yells yelled yelling                     | quote                           | speech
scream screams screamed                       | quote                           | speech
chant chants chanted chanting                 | quote                           | speech
exclaim exclaims exclaimed                    | quote                           | speech
proclaim proclaims proclaimed proclaiming     | quote that                      | speech
read reads reading                            | quote                           | speech
urge urges urged urging                       | quote np topic to object        | speech
call calls called calling                     | np                              | speech
describe describes described describing       | np topic as                     | speech
dub dubs dubbed dubbing                       | np                              | speech
label labels labeled labelled labeling        | np                              | speech
brand brands branded branding                 | np                              | speech
accuse accuses accused accusing               | np topic                        | speech
blame blames blamed blaming                   | np topic                        | speech
praise praises praised praising               | np topic                        | speech
criticize criticizes criticized criticizing   | np topic                        | speech
criticise criticises criticised criticising   | np topic                        | speech
slam slams slammed slamming                   | np topic                        | speech
condemn condemns condemned condemning         | np topic                        | speech
defend defends defended defending             | np topic                        | speech
hail hails hailed hailing                     | np topic                        | speech
tout touts touted touting                     | np topic                        | speech
dismiss dismisses dismissed dismissing        | np topic                        | speech
deride derides derided deriding               | np                              | speech
mock mocks mocked mocking                     | np topic                        | speech
decry decries decried decrying                | np topic                        | speech
credit credits credited crediting             | np                              | speech
name names named naming                       | np                              | speech
cite cites cited citing                       | np topic                        | speech
quote quotes quoted quoting                   | np                              | speech
thank thanks thanked thanking                 | np                              | speech
herald heralds heralded heralding             | np                              | speech
denounce denounces denounced denouncing       | np topic                        | speech
blast blasts blasted blasting                 | np topic                        | speech
assail assails assailed assailing             | np topic                        | speech
lament laments lamented lamenting             | quote that np topic             | speech
echo echoes echoed echoing                    | quote that np topic             | speech
imply implies implied implying                | that bare                       | speech
email emails emailed emailing                 | quote that                      | speech
retweet retweets retweeted retweeting         | quote topic                     | speech
remember remembers remembered remembering     | quote that bare                 | belief
learn learns learned learnt                   | that bare                       | belief
snipe snipes sniped sniping                   | quote that                      | speech
scoff scoffs scoffed scoffing                 | quote that                      | speech
grumble grumbles grumbled grumbling           | quote that                      | speech
muse muses mused musing                       | quote that                      | speech
rail rails railed railing                     | quote that                      | speech
plead pleads pleaded pleading                 | quote that                      | speech
attack attacks attacked attacking            | np topic                         | speech
propose proposes proposed proposing           | that to topic                   | speech to:intention
question questions questioned questioning      | wh topic                       | speech
reject rejects rejected rejecting             | topic                           | speech
demand demands demanded demanding             | quote that to topic             | speech to:intention
discuss discusses discussed discussing        | topic                           | speech
threaten threatens threatened threatening     | quote that to topic             | speech to:intention
forecast forecasts forecasted forecasting     | that bare topic                 | speech
highlight highlights highlighted highlighting | topic                           | speech
recommend recommends recommended recommending | that topic                      | speech
refuse refuses refused refusing               | to                              | intention
decline declines declined declining           | to                              | intention
offer offers offered offering                 | to                              | intention
plan plans planned planning                   | to                              | intention
intend intends intended intending             | to                              | intention
seek seeks sought seeking                     | to                              | intention
want wants wanted wanting                     | to                              | intention
accept accepts accepted accepting             | that                            | belief
challenge challenges challenged challenging   | topic                           | speech
dispute disputes disputed disputing           | topic                           | speech
ridicule ridicules ridiculed ridiculing       | topic                           | speech
debate debates debated debating               | topic wh                        | speech
detail details detailed detailing             | topic                           | speech
outline outlines outlined outlining           | topic                           | speech
signal signals signaled signalled signaling   | that topic                      | speech
consider considers considered considering     | that as                         | belief
view views viewed viewing                     | as                              | belief
portray portrays portrayed portraying         | as np                           | speech
depict depicts depicted depicting             | as np                           | speech
characterize characterizes characterized characterizing | as np                 | speech
characterise characterises characterised characterising | as np                 | speech
paint paints painted painting                 | as                              | speech
regard regards regarded regarding             | as                              | belief
understand understands understood             | that                            | belief
prefer prefers preferred preferring           | to                              | belief to:intention
wish wishes wished                            | that to                         | intention
think thinks thought                          | that bare                       | belief
believe believes believed                     | that bare                       | belief
know knows knew                               | that bare                       | belief
feel feels felt                               | that bare                       | belief
expect expects expected                       | that bare to                    | belief to:intention
fear fears feared                             | that bare                       | belief
hope hopes hoped                              | that to bare                    | intention
worry worries worried                         | that                            | belief
suspect suspects suspected                    | that bare                       | belief
doubt doubts doubted                          | that                            | belief
agree agrees agreed                           | that to                         | belief to:intention
realize realizes realized                     | that                            | belief
recognize recognizes recognized               | that                            | belief
show shows showed shown                       | that bare topic                 | speech
find finds found                              | that bare topic                 | speech
indicate indicates indicated                  | that bare topic                 | speech
"""

PHRASES = """
point out, points out, pointed out, pointing out | quote that bare                                           | speech
go on to say, goes on to say, went on to say     | quote that bare                                           | speech
was quoted as saying, is quoted as saying        | quote that bare                                           | speech
make clear, makes clear, made clear, making clear | that bare                                                | speech
make it clear, makes it clear, made it clear     | that bare                                                 | speech
put it, puts it                                  | quote                                                     | speech
shot back, shoots back, shoot back, fired back, fires back, fire back, hit back, hits back | quote that bare | speech
talk about, talks about, talked about, talking about      | topic                                            | speech
speak about, speaks about, spoke about, speaking about    | topic                                            | speech
speak of, speaks of, spoke of, speaking of                | topic                                            | speech
warn of, warns of, warned of, warning of, warn about, warned about | topic                                   | speech
complain about, complains about, complained about, complaining about | topic                                 | speech
call for, calls for, called for, calling for             | topic                                             | speech
call on, calls on, called on, calling on                 | object to                                         | speech
call upon, calls upon, called upon, calling upon         | object to                                         | speech
walk back, walks back, walked back, walking back         | topic                                             | speech
ask for, asks for, asked for, asking for                 | topic                                             | speech
push for, pushes for, pushed for, pushing for            | topic                                             | speech
refer to, refers to, referred to, referring to           | topic                                             | speech
point to, points to, pointed to, pointing to             | topic                                             | speech
argue for, argues for, argued for, arguing for           | topic                                             | speech
hint at, hints at, hinted at, hinting at                 | topic                                             | speech
talk up, talks up, talked up, talking up                 | topic                                             | speech
sum up, sums up, summed up, summing up                   | as np                                             | speech
write back, writes back, wrote back                      | quote that                                        | speech
express concern, expresses concern, expressed concern, expressing concern | that topic                       | speech
express frustration, expressed frustration, expressing frustration | that topic                              | speech
express hope, expressed hope, expressing hope            | that topic                                        | speech
express confidence, expressed confidence, expressing confidence | that topic                                 | speech
express doubt, expressed doubt, expressing doubt         | that topic                                        | speech
express regret, expressed regret, expressing regret      | that topic                                        | speech
comment on, comments on, commented on, commenting on     | topic                                             | speech
weigh in on, weighs in on, weighed in on, weighing in on | topic                                             | speech
respond to, responds to, responded to, responding to     | topic                                             | speech
react to, reacts to, reacted to, reacting to             | topic                                             | speech
ask about, asks about, asked about, asking about         | topic                                             | speech
apologize for, apologizes for, apologized for, apologizing for | topic                                       | speech
push back on, pushes back on, pushed back on, push back against, pushed back against | topic                 | speech
lash out at, lashes out at, lashed out at, lashing out at | topic                                            | speech
take aim at, takes aim at, took aim at, taking aim at    | topic                                             | speech
rail against, rails against, railed against, railing against | topic                                         | speech
speak out against, spoke out against, speaks out against | topic                                             | speech
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
    "earlier subsequently both all each long".split()
)
"""Adverbs that may stand between a speaker and a verb cue, outside the cue span ("Smith also said")."""

FRAMES = frozenset({"quote", "that", "bare", "object", "wh", "np", "topic", "to", "as"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue form: its lemma, its frames, whether it is a participle that hangs off a clause ("saying"), its kind,
    and its kind when its content is an infinitive ("vowed to cut taxes")."""

    lemma: str
    frames: frozenset[str]
    participle: bool
    kind: CueKind = CueKind.SPEECH
    infinitive_kind: CueKind = CueKind.SPEECH


def _table() -> dict[str, Cue]:
    table: dict[str, Cue] = {}
    for source, multiword in ((VERBS, False), (PHRASES, True)):
        for line in source.strip().splitlines():
            forms_part, frames_part, kinds_part = line.split("|")
            frames = frozenset(frames_part.split())
            assert frames <= FRAMES, line
            kind, *overrides = kinds_part.split()
            infinitive_kind = dict(o.split(":") for o in overrides).get("to", kind)
            forms = [" ".join(f.split()) for f in forms_part.split(",")] if multiword else forms_part.split()
            lemma = forms[0]
            for form in forms:
                participle = form.split()[0].endswith("ing")
                table[form] = Cue(lemma, frames, participle, CueKind(kind), CueKind(infinitive_kind))
    return table


CUE_FORMS: dict[str, Cue] = _table()
"""Every cue form (lower case, words joined by one space) → its :class:`Cue`."""


def lookup(form: str) -> Cue | None:
    """The cue of a form as written ("Said", "pointed  out"), or None."""
    return CUE_FORMS.get(" ".join(form.lower().split()))


def cue_kind(cue: str | None, content: str) -> CueKind | None:
    """The kind of what the cue ``cue`` (as written: "has repeatedly said", "according to", ":") reports of
    ``content``: its last lexicon form's kind, or the infinitive kind when the content opens with "to ". None
    without a cue; a cue that is no lexicon form (a label's colon, an interview's turn) reports speech."""
    if cue is None:
        return None
    words = cue.lower().split()
    for first in range(len(words)):
        found = CUE_FORMS.get(" ".join(words[first:]))
        if found is not None:
            infinitive = content[:3].lower() == "to " and "to" in found.frames
            return found.infinitive_kind if infinitive else found.kind
    return CueKind.SPEECH


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
