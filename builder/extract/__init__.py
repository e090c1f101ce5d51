"""Extract: typed, attributed claims from an article's body, each an exact slice of the raw text.

Per article, in this order (each step sees what the earlier ones claimed, so a sentence has one role):

1. **direct quotes** (:mod:`.quotes`): the content between quotation marks, attributed by the cue and speaker
   mention next to it (:mod:`.cues`). Pieces of one quotation broken by "he said" share a ``quote_id`` and an
   attribution. A quotation with no attribution and fewer than four words is a scare quote, not a claim.
2. **interview answers** (:mod:`.interview`): each sentence of an answer turn, spoken by the label's name;
   the interviewer's turn before it is kept as ``question``.
3. **indirect quotes**: reported speech in a sentence that holds no direct quote ("Stoltenberg said there was
   no contradiction …" → "there was no contradiction …").
4. **author statements**: the remaining body sentences outside interview turns, except questions and
   fragments of fewer than four words.

Speakers are resolved within the article (:mod:`.speakers`); ``check_worthiness`` is a heuristic
(:mod:`.worthiness`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from builder.config import ExtractConfig
from builder.extract.cues import Attribution, attribution_after, attribution_before, find_media, find_reported
from builder.extract.document import Document, Sentence
from builder.extract.interview import Turn, find_turns, interviewers
from builder.extract.quotes import QuotePiece, find_quotes
from builder.extract.speakers import PersonIndex
from builder.extract.worthiness import check_worthiness
from builder.models import Article, Claim, ClaimType, ExcludedKind, TextQuoteSelector
from builder.text import SpanSet

__all__ = ["claim_id", "extract", "extract_claims", "extractor_id"]

EXTRACTOR_NAME = "factpack-rules"
SELECTOR_CONTEXT = 32
MAX_CONTEXT = 1_000
_MIN_UNATTRIBUTED_QUOTE_WORDS = 4
_MIN_STATEMENT_WORDS = 4
_RULE_MODULES = ("clean.py", "segment.py", "text.py")


def claim_id(article_sha256: str, start: int, end: int) -> str:
    """Stable id of a span: the same raw text and offsets give the same id in every build."""
    return hashlib.sha256(f"{article_sha256}:{start}:{end}".encode("ascii")).hexdigest()[:16]


@cache
def extractor_id() -> str:
    """``factpack-rules/<version>+<hash of the rule sources>``: changes whenever a rule does."""
    from builder import __version__

    digest = hashlib.sha256()
    package = files("builder")
    for name in _RULE_MODULES:
        digest.update(package.joinpath(name).read_bytes())
    extract = package.joinpath("extract")
    for entry in sorted(extract.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + entry.read_bytes())
    return f"{EXTRACTOR_NAME}/{__version__}+{digest.hexdigest()[:8]}"


@dataclass
class _Draft:
    claim_type: ClaimType
    start: int
    end: int
    attribution: Attribution | None = None
    speaker: str | None = None
    speaker_span: tuple[int, int] | None = None
    speaker_title: str | None = None
    group: int | None = None
    question: str | None = None
    reach: tuple[int, int] = field(default=(0, 0))


def extract(articles: Iterable[Article], cfg: ExtractConfig) -> Iterator[Claim]:
    """Stage: every claim of every article, in article then text order."""
    for article in articles:
        yield from extract_claims(article, cfg)


def extract_claims(article: Article, cfg: ExtractConfig) -> Iterator[Claim]:
    text = article.text
    document = Document.of(article)
    media = [span for start, end in document.paragraphs for span in find_media(text, start, end)]
    titles = [(span.start, span.end) for span in article.excluded if span.kind is ExcludedKind.TITLE]
    people = PersonIndex.build(text, media + titles)
    turns = find_turns(document)
    asking = interviewers(turns)
    answering = [turn for turn in turns.values() if turn.name not in asking]
    if answering:
        people.interviewee = people.full_name(answering[0].name) or answering[0].name

    drafts = _direct_quotes(document, turns, asking)
    drafts += _interview_answers(document, turns, asking, people)
    taken = SpanSet(d.reach for d in drafts)
    answer_paragraphs = {turn.paragraph for turn in answering}
    for sentence in document.sentences:
        if sentence.paragraph in answer_paragraphs or taken.overlaps(sentence.start, sentence.end):
            continue
        turn = turns.get(sentence.paragraph)  # an interviewer's turn: its label is no part of any claim
        start = max(sentence.start, turn.content_start) if turn else sentence.start
        for piece in find_reported(text, start, sentence.end):
            drafts.append(_reported_draft(piece.start, piece.end, piece.attribution))
    taken = SpanSet(d.reach for d in drafts)
    for sentence in document.sentences:
        if sentence.paragraph in turns or taken.overlaps(sentence.start, sentence.end):
            continue
        if _statement_like(text, sentence):
            drafts.append(
                _Draft(ClaimType.AUTHOR_STATEMENT, sentence.start, sentence.end, reach=(sentence.start, sentence.end))
            )

    drafts.sort(key=lambda d: (d.start, d.end))
    last_speaker: str | None = None
    for draft in drafts:
        _resolve(draft, people, text, last_speaker)
        if draft.speaker is not None:
            last_speaker = draft.speaker
    groups = {d.group: claim_id(article.sha256, d.start, d.end) for d in reversed(drafts) if d.group is not None}
    for draft in drafts:
        if draft.end - draft.start >= cfg.min_chars:
            yield _claim(article, document, draft, groups.get(draft.group) if draft.group is not None else None)


def _statement_like(text: str, sentence: Sentence) -> bool:
    content = text[sentence.start : sentence.end].rstrip("\"'”’»)] \xa0")
    words = content.split()
    return (
        len(words) >= _MIN_STATEMENT_WORDS
        and not content.endswith("?")
        and any(ch.islower() for ch in content)
        and any(ch.isalpha() for ch in content)
    )


def _reach(start: int, end: int, attribution: Attribution | None) -> tuple[int, int]:
    points = [start, end]
    if attribution is not None:
        points += list(attribution.cue)
        if attribution.speaker is not None:
            points += list(attribution.speaker)
    return min(points), max(points)


def _reported_draft(start: int, end: int, attribution: Attribution) -> _Draft:
    return _Draft(
        ClaimType.INDIRECT_QUOTE,
        start,
        end,
        attribution=attribution,
        group=attribution.cue[0] if attribution else None,
        reach=_reach(start, end, attribution),
    )


def _direct_quotes(document: Document, turns: dict[int, Turn], asking: set[str]) -> list[_Draft]:
    text = document.text
    pieces = find_quotes(document)
    own: list[Attribution | None] = []
    after: list[Attribution | None] = []
    for index, piece in enumerate(pieces):
        paragraph_start, paragraph_end = document.paragraphs[piece.paragraph]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        preceding = pieces[index - 1] if index > 0 else None
        limit = following.open_at if following and following.paragraph == piece.paragraph else paragraph_end
        floor = (
            preceding.close_at + 1
            if preceding and preceding.paragraph == piece.paragraph and preceding.close_at
            else paragraph_start
        )
        found_after = attribution_after(text, piece.close_at + 1, limit) if piece.close_at is not None else None
        after.append(found_after)
        own.append(found_after or attribution_before(text, piece.open_at, floor))

    drafts: list[_Draft] = []
    groups: list[int] = list(range(len(pieces)))
    for index, piece in enumerate(pieces):
        attribution = own[index]
        previous = index - 1
        if attribution is None and previous >= 0 and pieces[previous].paragraph == piece.paragraph and after[previous]:
            attribution, groups[index] = after[previous], groups[previous]
        elif attribution is None and piece.continued and previous >= 0:
            attribution, groups[index] = own[previous], groups[previous]
        elif previous >= 0 and attribution is not None and attribution == after[previous]:
            groups[index] = groups[previous]
        turn = turns.get(piece.paragraph)
        words = len(text[piece.start : piece.end].split())
        if turn is not None and turn.name not in asking:
            continue  # an answer's own words are interview answers
        adjacent = attribution is not None and _adjacent(text, piece, attribution)
        if not adjacent and (words < _MIN_UNATTRIBUTED_QUOTE_WORDS or (attribution is None and turn is not None)):
            continue  # scare quotes, a few quoted words inside reported speech, unattributed words in a question
        close = piece.close_at + 1 if piece.close_at is not None else piece.end
        reach = _reach(piece.open_at, close, attribution)
        drafts.append(
            _Draft(ClaimType.DIRECT_QUOTE, piece.start, piece.end, attribution, group=-1 - groups[index], reach=reach)
        )
    return drafts


def _adjacent(text: str, piece: QuotePiece, attribution: Attribution) -> bool:
    """The cue stands right by the quotation (``"…," he said`` / ``he said: "…``), not somewhere in its sentence."""
    cue_start, cue_end = attribution.cue
    if piece.close_at is not None and cue_start > piece.close_at:
        return True
    between = text[cue_end : piece.open_at]
    return len(between) <= 12 or between.strip(" \xa0").lower().startswith("that")


def _interview_answers(
    document: Document, turns: dict[int, Turn], asking: set[str], people: PersonIndex
) -> list[_Draft]:
    text = document.text
    drafts: list[_Draft] = []
    question: str | None = None
    for sentence in document.sentences:
        turn = turns.get(sentence.paragraph)
        if turn is None:
            continue
        paragraph_end = document.paragraphs[sentence.paragraph][1]
        if turn.name in asking:
            question = text[turn.content_start : paragraph_end]
            continue
        start = max(sentence.start, turn.content_start)
        if start >= sentence.end or not any(ch.isalnum() for ch in text[start : sentence.end]):
            continue
        name = people.full_name(turn.name) or turn.name
        drafts.append(
            _Draft(
                ClaimType.INTERVIEW_ANSWER,
                start,
                sentence.end,
                speaker=name,
                speaker_span=turn.name_span,
                speaker_title=turn.role or people.names.get(name),
                question=question,
                reach=(start, sentence.end),
            )
        )
    return drafts


def _resolve(draft: _Draft, people: PersonIndex, text: str, last_speaker: str | None) -> None:
    if draft.claim_type is ClaimType.INTERVIEW_ANSWER or draft.claim_type is ClaimType.AUTHOR_STATEMENT:
        return
    attribution = draft.attribution
    if attribution is None or attribution.speaker is None:
        draft.speaker = last_speaker
        draft.speaker_title = people.names.get(last_speaker) if last_speaker else None
        return
    start, end = attribution.speaker
    # A pronoun after a quotation means someone named before it, not a name inside the quotation.
    resolved = people.resolve(text[start:end], min(start, draft.reach[0]))
    draft.speaker, draft.speaker_span, draft.speaker_title = resolved.speaker, (start, end), resolved.title


def _claim(article: Article, document: Document, draft: _Draft, quote_id: str | None) -> Claim:
    text = article.text
    sentences = document.sentences_between(*draft.reach)
    first = sentences[0] if sentences else document.sentence_at(draft.start)
    attribution = draft.attribution
    context_start = sentences[0].start if sentences else draft.start
    context_end = sentences[-1].end if sentences else draft.end
    context_start, context_end = min(context_start, draft.start), max(context_end, draft.end)
    # A run-on "sentence" of a scrape can be a megabyte: keep at most MAX_CONTEXT characters on each side.
    context_start = max(
        context_start, min(draft.start, (attribution.cue[0] if attribution else draft.start)) - MAX_CONTEXT
    )
    context_end = min(context_end, max(draft.end, (attribution.cue[1] if attribution else draft.end)) + MAX_CONTEXT)
    claim_text = text[draft.start : draft.end]
    return Claim(
        claim_id=claim_id(article.sha256, draft.start, draft.end),
        article_id=article.article_id,
        claim_type=draft.claim_type,
        text=claim_text,
        char_start=draft.start,
        char_end=draft.end,
        speaker=draft.speaker,
        speaker_start=draft.speaker_span[0] if draft.speaker_span else None,
        speaker_end=draft.speaker_span[1] if draft.speaker_span else None,
        speaker_title=draft.speaker_title,
        cue=text[attribution.cue[0] : attribution.cue[1]] if attribution else None,
        cue_start=attribution.cue[0] if attribution else None,
        cue_end=attribution.cue[1] if attribution else None,
        medium=attribution.medium if attribution else None,
        quote_id=quote_id,
        question=draft.question,
        context=text[context_start:context_end],
        context_start=context_start,
        context_end=context_end,
        selector=TextQuoteSelector(
            exact=claim_text,
            prefix=text[max(0, draft.start - SELECTOR_CONTEXT) : draft.start],
            suffix=text[draft.end : draft.end + SELECTOR_CONTEXT],
        ),
        sentence_index=first.index if first else 0,
        paragraph_index=document.paragraph_of(draft.start),
        check_worthiness=check_worthiness(claim_text),
        source_file=article.source_file,
        source_line=article.source_line,
        article_sha256=article.sha256,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
        language=article.language,
        extractor=extractor_id(),
    )
