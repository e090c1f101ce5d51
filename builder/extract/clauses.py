"""Clause queries over one :class:`~builder.extract.sentence.Sentence`: where a clause or a predicate starts,
where a topic, a list or an opening adverbial ends, whether a run of tokens holds a clause, whether a subject
agrees with a bare verb.

Each is a question about the words, asked by the attribution grammar (:mod:`.attribution`) while it decides what a
cue attributes; none of them decides it. They are functions of the sentence and the indices they are given, with no
state of their own, so each reads alone.
"""

from __future__ import annotations

from typing import NamedTuple

from builder.extract.lexicon import ADVERBS, AUXILIARIES, Cue, lookup
from builder.extract.mentions import DETERMINERS, TIME_WORDS, Mention
from builder.extract.names import GROUP_NOUNS
from builder.extract.sentence import ADJUNCT_PREPOSITIONS, WH, Sentence
from builder.extract.tokens import MARK, PUNCT, QUOTED, WORD
from builder.extract.verbs import BASE_FORMS, CONTRACTIONS, FINITE, finite

__all__ = [
    "ADVERBIAL_OPENERS",
    "SEPARATORS",
    "VerbGroup",
    "adverbial_end",
    "agrees",
    "clause_at",
    "clause_start",
    "fronted_adverbial",
    "holds_clause",
    "opens_sentence",
    "predicate_at",
    "quoted_before",
    "reduced_relative",
    "said_clause",
    "tail_ends",
    "topic_end",
    "verb_group",
]

SEPARATORS = frozenset({",", "—", "–", "--", ":", ";", "-"})
ADVERBIAL_OPENERS = frozenset(
    "in on at for after before when while as although though because since if despite during with without by "
    "under following unlike like amid asked once until whether".split()
)
# "said" and "told" introduce a clause whatever its shape; other bare verbs need a finite verb to show one.
_SAY = frozenset({"say", "tell"})
_NO_CLAUSE = frozenset(
    "yes no nothing something anything everything so goodbye hello thanks little much otherwise sorry as things".split()
)
# Plural without an -s, or a quantity: "the women say", "42% say", "six in 10 say", "many said".
_PLURALS = frozenset(
    "people police media staff women men children public majority minority half many most some few all both "
    "others percent".split()
)
_HEAD_ENDS = frozenset({"of", "in", "at", "from", "for", "with", "on", "close", "to", "who", "that", "which"})
# Bare forms that are also past tenses: "it read", "the email read".
_PAST_AS_BARE = frozenset({"read", "put", "set", "cut", "let"})
_TOPIC_ENDS = frozenset("after before when since although though until unless whereas during amid despite".split())
_CLAUSE_LINKS = frozenset(
    "and or but so because although though while if when since as that than whether where after before until once "
    "also still then now even just only not".split()
)
_SUBORDINATING = frozenset("when while although though because if unless whereas once until".split())
_SUBORDINATORS = frozenset(
    {"after", "before", "when", "while", "as", "because", "since", "although", "though", "until", "if", "once",
     "following", "amid", "despite", "even", "just", "but", "and", "so"}
)  # fmt: skip
_BARE_REACH = 10
_TIME_LEADS = frozenset({"on", "last", "this", "next", "early", "late", "earlier", "later"})
# Not "refused" or "declined": they are cues of their own, whose content is the infinitive ("refused to say whether
# …" is one report, a refusal).
_RAISING = frozenset(
    "appear appears appeared seem seems seemed continue continues continued begin begins began start starts "
    "started try tries tried tend tends tended "
    "quick eager willing ready keen happy able unable reluctant likely unlikely careful".split()
)
_GO = frozenset({"go", "goes", "went", "going", "gone"})


def fronted_adverbial(sentence: Sentence) -> int | None:
    """The token index after which a sentence-opening adverbial stands ("For someone who conceded that …,
    Clinton had"), when the sentence opens with a preposition or a subordinator; else None."""
    opener = 0
    while opener < len(sentence.tokens) and sentence.tokens[opener].lower in {"and", "but", "so", "yet"}:
        opener += 1
    if opener >= len(sentence.tokens) or sentence.tokens[opener].lower not in ADVERBIAL_OPENERS:
        return None
    return opener


def adverbial_end(sentence: Sentence, subject_first: int, cue_last: int) -> int | None:
    """When the cue and its subject stand inside the opening adverbial (no comma between the adverbial's opener
    and the subject), the raw offset where the adverbial ends: the first comma after the cue."""
    opener = fronted_adverbial(sentence)
    if opener is None or subject_first < opener:
        return None
    # "When the director, James Comey, said …,": a subordinator's clause runs to its verb, whatever commas
    # stand in its subject; a preposition's phrase ("In an interview, he said") ends at its first comma.
    subordinate = sentence.low(opener) in _SUBORDINATING
    depth = 0
    for index in range(opener + 1, len(sentence.tokens)):
        token = sentence.tokens[index]
        if token.kind == MARK:
            depth ^= 1
        elif token.text == "," and depth == 0:
            if index < subject_first and not subordinate:
                return None
            if index > cue_last:
                return token.start
    return None


def holds_clause(sentence: Sentence, first: int, last: int, quotes: bool = True) -> bool:
    """Tokens ``first..last`` hold a finite verb, or (``quotes``) a quotation."""
    for index in range(first, last + 1):
        token = sentence.tokens[index]
        if token.kind in (MARK, QUOTED):
            if quotes:
                return True
            continue
        low = token.lower
        if token.kind == WORD and (
            low in FINITE or low.endswith(CONTRACTIONS) or (low.endswith("ed") and not token.capitalised)
        ):
            return True
        # "the economy grows", a present tense; a plural after a determiner is a noun
        if (
            token.kind == WORD
            and low.endswith("s")
            and index > first
            and not token.capitalised
            and sentence.low(index - 1) not in DETERMINERS
            and not sentence.low(index - 1).endswith(("'s", "’s"))
        ):
            return True
    return False


def clause_start(sentence: Sentence, end_index: int) -> int:
    """Where fronted content begins: after the last colon, semicolon or opening bracket before it, when the
    content is a quotation (``… the code of conduct: "…," he said`` · ``members ("…," wrote Nelson)``)."""
    if sentence.tokens[end_index].kind != MARK:
        return 0
    for index in range(end_index - 1, 0, -1):
        if sentence.tokens[index].kind == MARK and sentence.text(index - 1) in {":", ";", "(", "—", "–", "--"}:
            return index
    return 0


def opens_sentence(sentence: Sentence, index: int) -> bool:
    """Only a conjunction or "As" stands before token ``index`` in the sentence."""
    return all(sentence.tokens[i].kind != WORD or sentence.low(i) in {"as", "but", "and", "so"} for i in range(index))


def topic_end(sentence: Sentence, index: int) -> int | None:
    """The last token of what a speech act is about ("endorsed Ted Cruz during a call with reporters",
    "attacked Fiorina by reminding voters that …"): the noun phrase ends before a comma, a subordinate or
    coordinate clause, or a manner or setting adjunct. Holding quoted words it runs on (a mixed quote is the
    whole clause); None: to the sentence's end."""
    if any(token.kind == MARK for token in sentence.tokens[index:]):
        return None
    probe = index + 1
    while probe < len(sentence.tokens):
        token = sentence.tokens[probe]
        if token.text == ",":
            listed = list_end(sentence, probe)
            if listed is not None:
                probe = listed + 1  # "voters in Texas, Virginia and Georgia": one noun phrase
                continue
        if token.kind == PUNCT and token.text in {",", ";", ":", "(", "—", "–", "--"}:
            return probe - 1
        manner = token.lower == "by" and sentence.low(probe + 1).endswith("ing")  # "by reminding voters …"
        if token.kind == WORD and (token.lower in _TOPIC_ENDS or manner):
            return probe - 1
        if token.lower in {"and", "but"} and probe + 1 < len(sentence.tokens) and predicate_at(sentence, probe + 1):
            return probe - 1  # "defended his mother and refused to …": the speaker's next act
        probe += 1
    return None


def list_end(sentence: Sentence, comma: int) -> int | None:
    """The last token of a list the comma at ``comma`` continues ("Indiana, Michigan, Ohio and Pennsylvania",
    "my judgment, my honesty"), or None: items of at most four words, no verb, the last after "and"/"or"."""
    probe, words = comma + 1, 0
    while probe < len(sentence.tokens):
        token = sentence.tokens[probe]
        if token.kind == WORD and token.lower in {"and", "or"} and words:
            last = probe + 1
            while last + 1 < len(sentence.tokens) and sentence.tokens[last + 1].kind == WORD and last - probe < 4:
                if finite(sentence.text(last + 1)) or sentence.low(last + 1) in _TOPIC_ENDS | {"and", "or", "but"}:
                    break
                last += 1
            return last if last < len(sentence.tokens) and sentence.tokens[last].kind == WORD else None
        if token.text == ",":
            if not words or sentence.low(probe + 1) in {"and", "or"}:
                probe += 1
                words = 1 if words else 0
                continue
            words = 0
        elif token.kind != WORD or finite(token.text) or token.lower in _TOPIC_ENDS or words >= 4:
            return None
        else:
            words += 1
        probe += 1
    return None


def predicate_at(sentence: Sentence, index: int) -> bool:
    """A verb with no subject of its own starts at ``index`` ("refused to …", "also questioned …")."""
    while index < len(sentence.tokens) and (sentence.low(index) in ADVERBS or sentence.adverb(index)):
        index += 1
    if index >= len(sentence.tokens) or sentence.tokens[index].kind != WORD or sentence.tokens[index].capitalised:
        return False
    low = sentence.low(index)
    if low in AUXILIARIES or (low.endswith("ed") and len(low) > 4):
        return True
    if low not in FINITE:
        return False
    # "plans", "needs" are nouns too: a present form counts before what only a verb takes
    following = sentence.low(index + 1) if index + 1 < len(sentence.tokens) else ""
    return not low.endswith("s") or following in DETERMINERS or following in {"to", "that", "it", "him", "her"}


def said_clause(sentence: Sentence, cue: Cue, index: int) -> bool:
    """After "said"/"told NP", any word but a preposition or a word like "yes" opens the reported clause."""
    token = sentence.tokens[index]
    if cue.lemma not in _SAY or token.kind != WORD:
        return False
    low = token.lower
    return low not in ADJUNCT_PREPOSITIONS and low not in _NO_CLAUSE and low not in TIME_WORDS and low != "to"


def clause_at(sentence: Sentence, index: int) -> bool:
    """A finite clause starts at ``index``: a subject-like word, then a finite verb within a few words."""
    token = sentence.tokens[index]
    if token.kind == MARK:
        return True
    if token.kind != WORD:
        return False
    low = token.lower
    quantity = low == "at" and sentence.low(index + 1) in {"least", "most"}  # "at least six planes filled …"
    if (low in ADJUNCT_PREPOSITIONS and not quantity) or low in WH or low == "to":
        return False
    if low.endswith("ly") and not token.capitalised:
        return False
    if low.endswith(CONTRACTIONS):
        return True  # "that's really important", "it’s been evident": the verb is in the first word
    reach = min(len(sentence.tokens), index + _BARE_REACH)
    for probe in range(index + 1 if token.lower not in {"it's", "he's", "she's", "they're", "there"} else index,
                       reach):  # fmt: skip
        candidate = sentence.tokens[probe]
        if candidate.kind == PUNCT and candidate.text in {",", ";", ":", "(", ")"}:
            return False
        low = candidate.lower
        if low in FINITE or low in BASE_FORMS or (low.endswith("ed") and not candidate.capitalised and probe > index):
            return True
        if low.endswith(CONTRACTIONS) and not low.endswith(("'s", "’s")):
            return True
        if low in {"it's", "it’s", "he's", "he’s", "she's", "she’s", "that's", "that’s", "there's", "there’s"}:
            return True
        if candidate.kind == MARK and probe > index:
            return True  # the verb is among the quoted words: "he still "prays that …""
        if low in {"that", "who", "which", "whom"} and probe > index:
            return False  # a noun phrase with a relative clause, not a clause
        if low.endswith(("'s", "’s")) and probe == index:
            continue
    return token.lower in {"there"}


def tail_ends(sentence: Sentence, index: int) -> bool:
    """Nothing but the sentence's end, a parenthetical's comma or an adverbial clause follows."""
    if index >= len(sentence.tokens) or sentence.text(index) in {",", ".", "!", "?", ";", "—", "–", "--", ")", "("}:
        return True
    return sentence.low(index) in _SUBORDINATORS and sentence.tokens[index].kind == WORD


def quoted_before(sentence: Sentence, subject_first: int) -> bool:
    """The subject follows a quotation that opens the clause, or a clause holding one (``"…," S CUE`` ·
    ``The deal "looks out for Wall Street," S CUE``); not a phrase that merely holds one ("Walking in to
    chants of "Marco!," the senator said …")."""
    separator = subject_first - 1
    if separator < 1:
        return False
    closing = separator if sentence.tokens[separator].kind == MARK else separator - 1
    if sentence.tokens[closing].kind != MARK or (closing != separator and sentence.text(separator) not in SEPARATORS):
        return False
    begin = clause_start(sentence, closing)
    return sentence.tokens[begin].kind == MARK or holds_clause(sentence, begin, closing - 1, quotes=False)


def reduced_relative(sentence: Sentence, speaker: Mention) -> bool:
    """ "the target it pledged to reach": a pronoun subject right after a noun opens a relative clause."""
    if speaker.kind != "pronoun" or speaker.first == 0:
        return False
    before = sentence.tokens[speaker.first - 1]
    low = before.lower
    return (
        before.kind == WORD
        and not before.capitalised
        and not low[:1].isdigit()
        and low not in _CLAUSE_LINKS
        and low not in TIME_WORDS
        and low not in ADJUNCT_PREPOSITIONS
        and low not in ADVERBS
        and low not in {"which", "who", "whom", "that"}
        and not low.endswith(("ed", "ly"))
        and lookup(before.text) is None
    )


def agrees(sentence: Sentence, form: str, cue: Cue, speaker: Mention) -> bool:
    """A bare verb form ("attack", "say") needs a plural subject: "officials say", never "the first attack"."""
    if form != cue.lemma.split()[0] or form.endswith("ed") or form in _PAST_AS_BARE:
        return True
    words = sentence.view[speaker.phrase[0] : speaker.phrase[1]].lower().split()
    head = next((i for i, word in enumerate(words) if i and word in _HEAD_ENDS), len(words))
    words = words[:head]  # "Friends of Mr. Clinton's", "observers in Virginia": the head is before "of"/"in"
    if not words:
        return False
    if speaker.kind == "pronoun":
        return words[0] in {"i", "we", "you", "they"}
    if speaker.kind == "relative":
        return True
    last_word = words[-1]
    return (
        (last_word.endswith("s") and not last_word.endswith(("'s", "’s", "ss")))
        or "and" in words
        or last_word in GROUP_NOUNS
        or last_word in _PLURALS
        or last_word[:1].isdigit()
        or words[0] in _PLURALS
    )


class VerbGroup(NamedTuple):
    """A cue's verb group, read back from its verb: its first auxiliary, where it begins and whether it is raised."""

    earliest: int
    """The group's first auxiliary, inside the cue span ("has said"); the verb's own index when there is none."""
    before: int
    """The index before the group's adverbs, times and raising verb: the subject ends here, or "to", "and", a
    separator or an opening adverbial's preposition stands here (-1: nothing before the group)."""
    raised: bool
    """The verb is the infinitive of a raising verb ("appeared to suggest", "refused to say", "went on to call")."""


def verb_group(sentence: Sentence, first: int) -> VerbGroup:
    """The verb group of the cue whose first token is ``first``: auxiliaries, adverbs and times ("has previously
    said", "on Tuesday said", "last week said"), and a raising verb before its "to"."""
    index = first - 1
    earliest = first
    while index >= 0:
        low = sentence.low(index)
        if low in AUXILIARIES and not (index > 0 and sentence.tokens[index].capitalised):  # "Will wrote"
            earliest = index
        elif not (low in ADVERBS or sentence.adverb(index) or low in TIME_WORDS) and not (
            (low in _TIME_LEADS or low in {"a", "an", "one", "two", "three", "several", "few"} or low.isdigit())
            and sentence.low(index + 1) in TIME_WORDS  # "last week said", "a month later announced"
        ):
            break
        index -= 1
    raised = sentence.low(index) == "to" and sentence.low(index - 1) in _RAISING
    if sentence.low(index) == "to" and sentence.low(index - 1) == "on" and sentence.low(index - 2) in _GO:
        raised, index = True, index - 1  # "went on to call"
    if raised:
        # "appeared to suggest", "refused to say": the verb group runs on to its head
        index -= 2
        while index >= 0 and (sentence.low(index) in AUXILIARIES or sentence.low(index) in ADVERBS):
            index -= 1
    return VerbGroup(earliest, index, raised)
