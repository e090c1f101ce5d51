"""Clean: tell the article body apart from the page furniture around it, keeping raw offsets.

The raw text is never rewritten. Cleaning classifies every non-blank line and returns spans into the raw
string: ``body`` (paragraphs, in order) and ``excluded`` (each with an :class:`ExcludedKind`). Every
non-space character of the text lies in exactly one of them.

Rules, applied in this order (patterns are whole-line and case-insensitive unless said otherwise):

1. **Furniture lines**: share buttons, navigation ("Back to Main page"), photo credits ("© AP Photo/…",
   "(Photo: … / Reuters)"), newsletter sign-ups, donation appeals, comment forms ("Leave a Reply"), a line
   that is only a URL (or "Original url:" and the URL), and editors' notes ("NOTE: Year-ago figures
   restated.", "Correction: …"). Two furniture kinds are blocks: a donation
   appeal opened by "A Message from …:" or "Dear readers," runs to its "Remind me later." within 40 lines;
   a related-links heading ("You might also like", "Read more", "Related stories", …) takes the
   headline-like lines (no sentence punctuation at the end) that follow it.
2. **Header**: in the first ``header_lines`` remaining lines, a "By …" line is the byline, a short line
   holding a date is the date line, and the first other line that does not end with a full stop is the
   title (a "# " prefix and a " :: Section :: Site" or " | Site" suffix are not part of the inferred title;
   a second copy of the title line is a title too). A date is read as written, in a form :mod:`builder.dates`
   accepts; one that is no calendar date is not read.
3. **Dateline**: if the first body-like line (ending with sentence punctuation) within the header window
   opens with an upper-case place and a dash or agency mark ("WARSAW — ", "BRUSSELS, May 25. /TASS/. "),
   that opening is a dateline, and every line before it is header (captions, standfirsts, section labels). A
   date with its year in the dateline ("SPRINGFIELD, March 3, 2024 — ", "LONDON, 5 March 2024 (Reuters) - ") is
   read as the publication date when the header held none; the dateline, date and all, is never body.
4. **Headings and broken paragraphs**: a remaining line shorter than 100 characters that does not end with
   sentence punctuation is a heading (captions, section labels, inline related links) — unless it is a list
   item ("- ", "• ", "1. ": the marker is excluded, the item is body), or the next non-blank line starts with a
   lower-case letter, in which case the two are one paragraph broken by the scrape, and stay together. Longer
   unpunctuated lines are prose whose full stop the scrape lost, and stay body.
"""

from __future__ import annotations

import re

from builder.config import CleanConfig
from builder.dates import read_date
from builder.models import CleanArticle, ExcludedKind, ExcludedSpan, InferredValue, RawArticle, Span
from builder.text import Line, iter_lines, trim

__all__ = ["clean_article"]

K = ExcludedKind
_I = re.IGNORECASE

_FURNITURE: tuple[tuple[ExcludedKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, _I))
    for kind, pattern in (
        (K.SHARE, r"share this (?:article|story|page).{0,40}|share(?: on| via| to)?(?: facebook| twitter| x| email"
                  r"| whatsapp| linkedin| telegram| reddit)?|close button|copy link|print(?: this (?:article|page))?"),
        (K.NAVIGATION, r"(?:.{0,40}\s)?back to (?:the )?(?:main|home) ?page|skip to (?:main )?content|back to top"
                       r"|(?:main )?menu|next article|previous article"),
        (K.PHOTO_CREDIT, r"\(?\s*(?:©|\(c\)|photo(?:graph)?s?\s*(?:by\b|:)|image\s*(?:by\b|:)|picture\s*:"
                         r"|credits?\s*:).{0,150}"),
        (K.NEWSLETTER, r"(?:sign up|subscribe)\b.{0,60}\bnewsletters?\b.{0,60}|.{0,200}\bnewsletters?\b.{0,200}"
                       r"\b(?:mailbox|inbox|sign up|subscribe)\b.{0,200}|subscribers agree to .{0,40}privacy policy\.?"
                       r"|by (?:signing up|subscribing),? you agree .{0,120}"),
        (K.DONATION, r"support [^.!?]{1,60}!|donate(?: now| today)?[.!]?|once|monthly|annual|continue"
                     r"|pa(?:y|i)ment methods|not ready to support(?: us)? today\??|remind me later\.?"),
        (K.COMMENTS, r"leave a (?:reply|comment)|comments?(?:\s*\(\d+\))?|\d+ comments?|post a comment"
                     r"|add (?:a )?comment|(?:view|show|load) (?:all )?comments|comments? (?:are|is) closed\.?"
                     r"|log ?in to comment|your email address will not be published\..{0,80}"
                     r"|required fields are marked \*"),
        (K.SOURCE_URL, r"(?:(?:original|source|canonical) ?(?:url|link)?\s*:?\s*)?<?https?://\S+?>?"
                       r"|(?:original|source|canonical) ?(?:url|link)\s*:"),
        (K.NOTE, r"(?:editor['’]?s )?note\s*:.{0,300}|(?:correction|clarification)\s*:.{0,400}"),
    )
)  # fmt: skip
_DONATION_OPENER = re.compile(r"a message from .{1,80}:|dear readers,?", _I)
_DONATION_CLOSER = re.compile(r"remind me later\.?|not ready to support(?: us)? today\??|maybe later\.?", _I)
_RELATED_OPENER = re.compile(
    r"(?:you might also like|read more|related(?: articles| stories| news| content| coverage)?|more on this"
    r" (?:story|topic)|most (?:read|popular)|recommended(?: for you)?|see also|top stories|latest news)\s*:?",
    _I,
)
_URL = re.compile(r"https?://[^\s<>]+[^\s<>.,;:)]")
_NAME_WORD = r"[A-Z][\w.'’-]*"
_BYLINE = re.compile(
    rf"(?:By|BY|by)\s+(?P<name>{_NAME_WORD}(?:(?:\s+|,\s*|\s+and\s+|\s*&\s*){_NAME_WORD}){{0,5}})"
    r"(?:\s*[|,–—-]\s*.{0,60})?"
)
_LIST_MARKER = re.compile(r"(?:[-*•·▪–—]|\d{1,3}[.)])[ \t\xa0]+(?=\S)")
_PROSE_MIN = 100
_WRAP_MAX = 100  # wire copy wraps at 65-80 columns; scraped prose keeps a paragraph on one long line
_WRAP_QUANTILE = 0.95
_WRAP_FULL = 0.75
_WRAP_LINES = 3
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATES = (
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", _I),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b", _I),
)
_TITLE_DECOR = re.compile(r"^#{1,6}\s+|\s+(?:::|\||»)\s+.*$")
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z'’.\-]+(?:[ \xa0][A-Z][A-Z'’.\-]+){0,3})"
    # a state or province: "SAN JOSE, Calif., October 20 - ", "HALIFAX, Nova Scotia, Aug 20 (Wirenews) - "
    r"(?:,[ \xa0]+(?:[A-Z][a-z]{1,5}\.|[A-Z][a-z]+(?:[ \xa0][A-Z][a-z]+){0,2}))?"
    # A date, with its year or not: "March 3, 2024", "5 March 2024", "May 25", "2024-03-05".
    r"(?:,[ \xa0]+(?P<date>[A-Z][a-z]{2,8}\.?[ \xa0]\d{1,2}(?:,?[ \xa0]\d{4})?|\d{1,2}[ \xa0][A-Z][a-z]{2,8}\.?"
    r"(?:,?[ \xa0]\d{4})?|\d{4}-\d{2}-\d{2}))?"
    r"(?:(?P<agency>\.?[ \xa0]*(?:/[A-Za-z][\w .&-]{0,30}/|\([A-Za-z][\w .&-]{0,30}\))\.?)"
    r"(?:[ \xa0]*(?:[—–―]|--?)(?=[ \xa0]))?"
    r"|[ \xa0]*(?:[—–―]|--?)(?=[ \xa0]))"
    r"[ \xa0]*"
)
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_MAX_FURNITURE_LINE = 600
_TITLE_MAX = 200
_BLOCK_REACH = 40
_DATE_LINE_MAX = 60
_DATE_LINE_RESIDUE = 30


def clean_article(raw: RawArticle, cfg: CleanConfig) -> CleanArticle:
    """Classify the lines of one article into body paragraphs and excluded spans, and read metadata off them."""
    text = raw.text
    lines = [line for line in iter_lines(text) if not line.blank]
    wraps = _wraps(text, lines)
    kinds: list[ExcludedKind | None] = [_furniture_kind(text, line) for line in lines]
    _mark_blocks(text, lines, kinds)
    inferred: dict[str, InferredValue] = {}
    _read_urls(text, lines, kinds, inferred)
    _read_header(text, lines, kinds, wraps, inferred, cfg.header_lines)
    dateline_cut = _read_dateline(text, lines, kinds, wraps, inferred, cfg.header_lines)

    markers = {index: _LIST_MARKER.match(text, lines[index].start, lines[index].end) for index in range(len(lines))}
    for first, last in _paragraphs(kinds, wraps):
        if first == last and kinds[first] is None and _is_heading(text, lines[first], markers[first] is not None):
            kinds[first] = K.HEADING

    excluded: list[ExcludedSpan] = []
    body: list[Span] = []
    for index, line in enumerate(lines):
        if kinds[index] is not None:
            excluded.append(ExcludedSpan(start=line.start, end=line.end, kind=kinds[index]))
    for first, last in _paragraphs(kinds, wraps):
        if kinds[first] is not None:
            continue
        start = lines[first].start
        marker = markers[first]
        if first == dateline_cut[0]:
            excluded.append(ExcludedSpan(start=start, end=dateline_cut[1], kind=K.DATELINE))
            start = dateline_cut[1]
        elif marker is not None:
            excluded.append(ExcludedSpan(start=start, end=marker.end(), kind=K.LIST_MARKER))
            start = marker.end()
        body.append(Span(start=start, end=lines[last].end))
    excluded.sort(key=lambda span: span.start)
    return CleanArticle(raw=raw, body=tuple(body), excluded=tuple(excluded), inferred=inferred)


def _wraps(text: str, lines: list[Line]) -> list[bool]:
    """For each line, whether the next line continues its paragraph, by layout alone.

    A text wrapped at a fixed width (most lines at most ``_WRAP_MAX`` characters, several near the widest) is read
    as wire copy: a blank line or an indented line opens a paragraph, and so does the line after a short one that
    ends a sentence (it stopped before the width: the paragraph ended). Any other text keeps a line per paragraph,
    except that a line without final punctuation runs on into a next line starting in lower case (a paragraph
    broken by the scrape).
    """
    count = len(lines)
    joined = [False] * count
    if count < 2:
        return joined
    starts = [max(text.rfind("\n", 0, line.start), text.rfind("\r", 0, line.start)) + 1 for line in lines]
    indents = [line.start - start for line, start in zip(lines, starts, strict=True)]
    widths = [line.end - start for line, start in zip(lines, starts, strict=True)]
    width = sorted(widths)[int(_WRAP_QUANTILE * (count - 1))]
    wrapped = width <= _WRAP_MAX and sum(w >= _WRAP_FULL * width for w in widths) >= _WRAP_LINES
    base = min(indents)
    for index in range(count - 1):
        line, following = lines[index], lines[index + 1]
        ends = _TERMINAL.search(text, line.start, line.end) is not None
        if not ends and text[following.start].islower():
            joined[index] = True  # a paragraph broken by the scrape, even over a blank line
            continue
        if not wrapped or following.number != line.number + 1:
            continue
        if indents[index + 1] > base or _LIST_MARKER.match(text, following.start, following.end):
            continue
        next_word = len(text[following.start : following.end].split(maxsplit=1)[0])
        full = widths[index] + 1 + next_word > width
        joined[index] = full or not ends
    return joined


def _paragraphs(kinds: list[ExcludedKind | None], wraps: list[bool]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each run of lines that wrap into one another; a classified line stands alone."""
    paragraphs: list[tuple[int, int]] = []
    first = 0
    for index in range(len(kinds)):
        last_of_run = (
            index + 1 >= len(kinds) or not wraps[index] or kinds[index] is not None or kinds[index + 1] is not None
        )
        if last_of_run:
            paragraphs.append((first, index))
            first = index + 1
    return paragraphs


def _content(text: str, line: Line) -> str:
    return text[line.start : line.end]


def _furniture_kind(text: str, line: Line) -> ExcludedKind | None:
    if line.end - line.start > _MAX_FURNITURE_LINE:
        return None
    content = _content(text, line)
    for kind, pattern in _FURNITURE:
        if pattern.fullmatch(content):
            return kind
    return None


def _mark_blocks(text: str, lines: list[Line], kinds: list[ExcludedKind | None]) -> None:
    """Extend donation appeals to their closing line and related-link headings over their headlines."""
    index = 0
    while index < len(lines):
        content = _content(text, lines[index])
        reach = range(index + 1, min(index + 1 + _BLOCK_REACH, len(lines)))
        if _DONATION_OPENER.fullmatch(content):
            close = next((j for j in reach if _DONATION_CLOSER.fullmatch(_content(text, lines[j]))), None)
            for j in range(index, (close if close is not None else index) + 1):
                kinds[j] = K.DONATION
            index = (close if close is not None else index) + 1
            continue
        if _RELATED_OPENER.fullmatch(content):
            kinds[index] = K.RELATED
            for j in reach:
                if kinds[j] is not None or _TERMINAL.search(_content(text, lines[j])):
                    break
                kinds[j] = K.RELATED
        index += 1


def _read_urls(
    text: str, lines: list[Line], kinds: list[ExcludedKind | None], inferred: dict[str, InferredValue]
) -> None:
    for index, line in enumerate(lines):
        if kinds[index] is K.SOURCE_URL and "url" not in inferred:
            found = _URL.search(text, line.start, line.end)
            if found:
                inferred["url"] = InferredValue(found.group(), line.number)


def _read_header(
    text: str,
    lines: list[Line],
    kinds: list[ExcludedKind | None],
    wraps: list[bool],
    inferred: dict[str, InferredValue],
    window: int,
) -> None:
    """Byline, date line and title among the first ``window`` lines that are not furniture.

    The date is also read off furniture lines in that window ("date 2017-05-25 Back to Main page"). A title may
    be wrapped over lines; a paragraph that ends like a sentence is never the title.
    """
    top = [i for i, kind in enumerate(kinds) if kind is None][:window]
    reach = top[-1] if top else -1
    title: tuple[int, int] | None = None
    for first, last in _paragraphs(kinds, wraps):
        if first > reach:
            break
        line = lines[first]
        content = _content(text, line)
        published = _date_line(content) if first == last and not _opens_dateline(content) else None
        if published is not None and "published" not in inferred:
            inferred["published"] = InferredValue(published, line.number)
            if kinds[first] is None:
                kinds[first] = K.HEADER
            continue
        if kinds[first] is not None:
            continue
        byline = _BYLINE.fullmatch(content) if first == last else None
        if byline and "byline" not in inferred:
            inferred["byline"] = InferredValue(byline.group("name"), line.number)
            kinds[first] = K.BYLINE
        elif title is None and _title_like(text, lines[first], lines[last]):
            title = (first, last)
            for index in range(first, last + 1):
                kinds[index] = K.TITLE
            start, end = _title_span(text, lines[first], lines[last])
            inferred["title"] = InferredValue(text[start:end], line.number)
        elif (
            title is not None and first == last and title[0] == title[1] and content == _content(text, lines[title[0]])
        ):
            kinds[first] = K.TITLE


def _date_line(content: str) -> str | None:
    """The date, as written, of a short line that is mostly a date, else None."""
    if len(content) > _DATE_LINE_MAX:
        return None
    for pattern in _DATES:
        found = pattern.search(content)
        if found and len(content) - (found.end() - found.start()) <= _DATE_LINE_RESIDUE and _is_date(found.group()):
            return found.group()
    return None


def _opens_dateline(content: str) -> bool:
    """A short line opened by a dated dateline ("KYIV, 2024-03-05 /TASS/. Talks began.") is body, not a date line."""
    found = _DATELINE.match(content)
    return found is not None and found.end() < len(content)


def _is_date(written: str) -> bool:
    try:
        read_date(written)
    except ValueError:
        return False
    return True


def _title_like(text: str, first: Line, last: Line) -> bool:
    content = text[first.start : last.end]
    return (
        len(content) <= _TITLE_MAX
        and not _TERMINAL.search(content)
        and not _DATELINE.match(content)
        and any(ch.isalpha() for ch in content)
    )


def _title_span(text: str, first: Line, last: Line) -> tuple[int, int]:
    content = text[first.start : last.end]
    start, end = 0, len(content)
    for decor in _TITLE_DECOR.finditer(content):
        if decor.start() == 0:
            start = decor.end()
        else:
            end = decor.start()
    return trim(text, first.start + start, first.start + end)


def _read_dateline(
    text: str,
    lines: list[Line],
    kinds: list[ExcludedKind | None],
    wraps: list[bool],
    inferred: dict[str, InferredValue],
    window: int,
) -> tuple[int, int]:
    """Find an opening dateline; return (line index, end of the dateline) or (-1, -1)."""
    candidates = [i for i, kind in enumerate(kinds) if kind is None][:window]
    paragraphs = [(first, last) for first, last in _paragraphs(kinds, wraps) if first in candidates]
    for first, last in paragraphs:
        if not _TERMINAL.search(text, lines[last].start, lines[last].end):
            continue
        line = lines[first]
        found = _DATELINE.match(text, line.start, line.end)
        if found is None or found.end() >= line.end:
            continue
        inferred["dateline"] = InferredValue(found.group("place"), line.number)
        dated = found.group("date")
        if dated is not None and "published" not in inferred and _is_date(dated):
            inferred["published"] = InferredValue(dated, line.number)
        for earlier in candidates:
            if earlier == first:
                break
            kinds[earlier] = K.HEADER
        return first, found.end()
    return -1, -1


def _is_heading(text: str, line: Line, list_item: bool) -> bool:
    """A paragraph of one short line that does not end like a sentence, and is not a list item."""
    return not list_item and line.end - line.start < _PROSE_MIN and not _TERMINAL.search(text, line.start, line.end)
