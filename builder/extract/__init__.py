"""Extract: typed, attributed claims from an article's body, each an exact slice of the raw text.

One article flows through:

1. :class:`~.document.Document`: paragraphs, quotation pieces (:mod:`.quotes`) and sentences, over a view of
   the text where line wraps are spaces and a masked view where quoted words are hidden;
2. the context: interview turns (:mod:`.interview`), the people and organisations the article names
   (:mod:`.speakers`), and per sentence its attributions (:mod:`.attribution`: cue from :mod:`.lexicon`,
   speaker mention from :mod:`.mentions`, content), computed once;
3. the finders, one per claim kind, in order (:mod:`.finders`): direct quotes, interview answers, indirect
   quotes, author statements; each sees what the earlier ones took, so a sentence has one role;
4. speaker resolution, in text order (a resolved speaker is an antecedent for later pronouns), the pieces of
   one quotation joined under one ``quote_id``, and the rows, with ``check_worthiness`` (:mod:`.worthiness`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from builder.config import ExtractConfig
from builder.extract.document import Document
from builder.extract.draft import Context, Draft
from builder.extract.finders import FINDERS
from builder.extract.interview import find_turns, generic_label, interviewers
from builder.extract.lexicon import cue_kind
from builder.extract.speaker_types import speaker_type
from builder.extract.speakers import People, Resolved
from builder.extract.standalone import ClaimResolutions, ClaimSpan, PassageResolver
from builder.extract.worthiness import document_features, score_of
from builder.extract.worthiness_model import WorthinessModel
from builder.models import Article, Claim, ClaimType, CueKind, SpeakerType, TextQuoteSelector
from builder.models.published import apply_resolutions
from builder.version import __version__

__all__ = ["claim_id", "extract_claims", "extractor_id"]

EXTRACTOR_NAME = "factpack-rules"
SELECTOR_CONTEXT = 32
MAX_CONTEXT = 1_000
_RULE_MODULES = ("clean.py", "segment.py", "text.py")


def claim_id(article_sha256: str, start: int, end: int) -> str:
    """Stable id of a span: the same raw text and offsets give the same id in every build."""
    return hashlib.sha256(f"{article_sha256}:{start}:{end}".encode("ascii")).hexdigest()[:16]


def extractor_id(model: str | None = None) -> str:
    """``factpack-rules/<version>+<hash of the rule sources>``: changes whenever a rule does; with the SHA-256 of
    a fitted check-worthiness ``model``, ``…+model-<its first 12 hex digits>``."""
    return _rules_id() if model is None else f"{_rules_id()}+model-{model[:12]}"


@cache
def _rules_id() -> str:
    digest = hashlib.sha256()
    package = files("builder")
    for name in _RULE_MODULES:
        digest.update(package.joinpath(name).read_bytes())
    for folder in ("extract", "extract/finders"):
        entries = package.joinpath(folder).iterdir()
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.endswith(".py"):
                digest.update(f"{folder}/{entry.name}".encode() + entry.read_bytes())
    return f"{EXTRACTOR_NAME}/{__version__}+{digest.hexdigest()[:8]}"


def context_of(article: Article) -> Context:
    """Everything the finders see of one article."""
    document = Document.of(article)
    people = People.of(document)
    turns = find_turns(document)
    asking = interviewers(turns)
    answering = [turn for turn in turns.values() if turn.name not in asking]
    if answering:
        first = answering[0]
        if generic_label(first.name):
            before = document.paragraphs[min(turns)][0]
            people.interviewee = people.most_named_before(before) or first.name
        else:
            people.interviewee = people.canonical(first.name)
    return Context(article, document, turns, asking, people)


def extract_claims(article: Article, cfg: ExtractConfig, model: WorthinessModel | None = None) -> Iterator[Claim]:
    """The claims of one article, each scored by the rules, or by ``model`` (fitted on curators' labels)."""
    context = context_of(article)
    for _, finder in FINDERS:
        context.drafts += finder(context)
    # One claim per span: a report inside a report may repeat its content; the first found (the outer) stays.
    unique: dict[tuple[int, int], Draft] = {}
    for draft in context.drafts:
        unique.setdefault((draft.start, draft.end), draft)
    drafts = sorted(unique.values(), key=lambda d: (d.start, d.end))
    _resolve_speakers(context, drafts)
    groups: dict[object, str] = {}
    for draft in drafts:
        if draft.group is not None and draft.group not in groups:
            groups[draft.group] = claim_id(article.sha256, draft.start, draft.end)
    kept = [draft for draft in drafts if draft.end - draft.start >= cfg.min_chars]
    resolver = PassageResolver(context.document, context.people)
    # The article's claims are one document to the score, as the lines of 'factpack worthiness score' are.
    lines = [(article.text[draft.start : draft.end], draft.speaker, draft.claim_type.value) for draft in kept]
    terms = document_features(lines)
    kinds = [_cue_kind(article, draft) for draft in kept]
    if model is None:
        scores = [score_of(found) for found in terms]
    else:  # the model also weighs what each cue reports
        placed = [(*line, None if kind is None else kind.value) for line, kind in zip(lines, kinds, strict=True)]
        scores = model.scores(placed, terms)
    for draft, score, kind in zip(kept, scores, kinds, strict=True):
        quote_id = groups.get(draft.group) if draft.group is not None else None
        resolved = resolver.resolve(_claim_span(draft))
        typed = _speaker_type(context, draft)
        yield _claim(article, context.document, draft, quote_id, score, model, resolved, typed, kind)


def _cue_kind(article: Article, draft: Draft) -> CueKind | None:
    """What the draft's cue reports; an interview answer has no cue: its turn's label attributes it, words said."""
    if draft.claim_type is ClaimType.INTERVIEW_ANSWER:
        return CueKind.SPEECH
    cue = draft.cue
    return cue_kind(article.text[cue[0] : cue[1]] if cue else None, article.text[draft.start : draft.end])


_SPOKEN = frozenset({ClaimType.DIRECT_QUOTE, ClaimType.INTERVIEW_ANSWER})


def _claim_span(draft: Draft) -> ClaimSpan:
    """What the resolver needs to know of a claim: its span, who speaks it, and whether it is somebody's words
    (a quotation or an answer) or reported speech, with the phrase reporting it ("The farmers say …")."""
    reported = draft.claim_type is ClaimType.INDIRECT_QUOTE
    mention = draft.mention
    reporter = (mention.start, mention.end) if reported and mention is not None and mention.kind == "phrase" else None
    spoken = draft.claim_type in _SPOKEN
    return ClaimSpan(draft.start, draft.end, draft.speaker, spoken, reporter=reporter, reported=reported)


def _speaker_type(context: Context, draft: Draft) -> SpeakerType | None:
    """The type of a draft's resolved speaker, from its name, its mention as written and its title."""
    mention = draft.mention
    written = context.article.text[mention.start : mention.end] if mention is not None else None
    named = draft.speaker is not None and draft.speaker in context.people.names
    return speaker_type(draft.speaker, written, draft.speaker_title, named_person=named)


def _resolve_speakers(context: Context, drafts: list[Draft]) -> None:
    """Each mention resolved once, in text order, so that a resolved speaker is an antecedent for later ones."""
    people, view = context.people, context.document.view
    resolved: dict[tuple[int, int], Resolved] = {}
    attributed = [d for d in drafts if d.mention is not None and d.claim_type is not ClaimType.INTERVIEW_ANSWER]
    for draft in sorted(attributed, key=lambda d: d.mention.start if d.mention else d.start):
        mention = draft.mention
        assert mention is not None
        key = (mention.start, mention.end)
        if key not in resolved:
            resolved[key] = people.resolve(view, mention)
            if resolved[key].speaker is not None:
                people.note(mention.start, resolved[key].speaker or "", mention)
        draft.speaker, draft.speaker_title = resolved[key].speaker, resolved[key].title


def _claim(
    article: Article,
    document: Document,
    draft: Draft,
    quote_id: str | None,
    check_worthiness: float,
    model: WorthinessModel | None,
    resolved: ClaimResolutions,
    typed: SpeakerType | None,
    kind: CueKind | None,
) -> Claim:
    text = article.text
    sentences = document.sentences_between(*draft.reach)
    first = sentences[0] if sentences else document.sentence_at(draft.start)
    cue = draft.cue
    context_start = sentences[0].start if sentences else draft.start
    context_end = sentences[-1].end if sentences else draft.end
    context_start, context_end = min(context_start, draft.start), max(context_end, draft.end)
    # A run-on "sentence" of a scrape can be a megabyte: keep at most MAX_CONTEXT characters on each side.
    context_start = max(context_start, min(draft.start, (cue[0] if cue else draft.start)) - MAX_CONTEXT)
    context_end = min(context_end, max(draft.end, (cue[1] if cue else draft.end)) + MAX_CONTEXT)
    claim_text = text[draft.start : draft.end]
    mention = draft.mention
    speaker_span = (mention.start, mention.end) if mention is not None else None
    cue_text = text[cue[0] : cue[1]] if cue else None
    return Claim(
        claim_id=claim_id(article.sha256, draft.start, draft.end),
        article_id=article.article_id,
        claim_type=draft.claim_type,
        text=claim_text,
        char_start=draft.start,
        char_end=draft.end,
        speaker=draft.speaker,
        speaker_start=speaker_span[0] if speaker_span else None,
        speaker_end=speaker_span[1] if speaker_span else None,
        speaker_title=draft.speaker_title,
        speaker_type=typed,
        cue=cue_text,
        cue_start=cue[0] if cue else None,
        cue_end=cue[1] if cue else None,
        cue_kind=kind,
        medium=draft.medium,
        quote_id=quote_id,
        question=draft.question,
        standalone=apply_resolutions(claim_text, draft.start, list(resolved.resolutions)),
        resolutions=list(resolved.resolutions),
        needs_context=resolved.needs_context,
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
        check_worthiness=check_worthiness,
        source_file=article.source_file,
        source_line=article.source_line,
        article_sha256=article.sha256,
        outlet=article.outlet,
        url=article.url,
        published=article.published,
        language=article.language,
        extractor=extractor_id(None if model is None else model.sha256),
    )
