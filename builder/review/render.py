"""The HTML of the review site: one page per article and the index, as strings, from records alone.

Every value from the dataset is escaped on the way in (text and attributes alike); carriage returns are
written as ``&#13;`` because an HTML parser turns a literal CR or CRLF into LF, and the raw text must be shown
as it was scraped. The pages load only ``static/`` files beside them, so the site works from ``file://`` with no
network; they link to each other, and out only to fact-checks, by their http(s) addresses (:func:`factcheck_link`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from builder.models import Article, Claim, ClaimType, FactCheckMatch, Rejection
from builder.review.related import GroupMember, Related
from builder.review.spans import Highlight, Node, nest

__all__ = [
    "GENERATOR",
    "Neighbours",
    "article_page",
    "factcheck_link",
    "index_page",
    "related_details",
    "type_label",
]

# Written into every page; a folder whose index carries it is a site this module made and may replace.
GENERATOR = "factpack review"


@dataclass(frozen=True)
class Neighbours:
    """Page names (without ``.html``) of the articles before and after one, in index order."""

    previous: str | None
    following: str | None


def type_label(claim_type: ClaimType) -> str:
    return claim_type.value.replace("_", " ").capitalize()


def _text(value: str) -> str:
    return html.escape(value, quote=False).replace("\r", "&#13;")


def _attr(value: str) -> str:
    return html.escape(value, quote=True).replace("\r", "&#13;")


def _score(value: float) -> str:
    return f"{value:.2f}"


def _or_none(value: str | None) -> str:
    return _text(value) if value else '<span class="none">(none)</span>'


def _head(title: str, root: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{_text(title)}</title>\n"
        f'<link rel="stylesheet" href="{root}static/site.css">\n'
        f'<script src="{root}static/site.js" defer></script>\n'
        "</head>\n"
    )


def _match_attrs(related: Related | None) -> str:
    """The attributes the match filter reads: how many other claims are in the claim's group, how many
    fact-checks it matches (each left out at zero)."""
    if related is None:
        return ""
    group = f' data-group="{len(related.group)}"' if related.group else ""
    return group + (f' data-factchecks="{len(related.factchecks)}"' if related.factchecks else "")


def _marks(nodes: Sequence[Node], claims: dict[str, Claim], related: Mapping[str, Related]) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_text(node))
            continue
        claim = claims[node.key]
        # Only the first piece of a claim carries its id and a tab stop: one claim, one stop for keyboard users.
        first = f' id="{node.key}" tabindex="0"' if node.part == 0 else ""
        out.append(
            f'<mark class="claim{"" if node.part == 0 else " cont"}"{first} data-claim="{node.key}" '
            f'data-type="{claim.claim_type.value}" data-speaker="{_attr(claim.speaker or "")}"'
            f"{_match_attrs(related.get(node.key))} "
            f'aria-describedby="tip-{node.key}">{_marks(node.children, claims, related)}</mark>'
        )
    return "".join(out)


_NEEDS_CONTEXT = (
    '<strong class="needs-context" title="A reference in this claim stays unresolved: read it in the article">'
    "Needs context</strong>"
)


def _standalone(claim: Claim) -> str:
    """The claim readable on its own: its text with each replacement an ``<ins>`` naming the words it replaces
    (``title`` "he → Jens Stoltenberg", ``data-mention``), so a reviewer can check every resolution."""
    out: list[str] = []
    done = 0
    for resolution in claim.resolutions:
        at, end = resolution.start - claim.char_start, resolution.end - claim.char_start
        out.append(_text(claim.text[done:at]))
        out.append(
            f'<ins class="resolution" data-kind="{resolution.kind.value}" data-mention="{_attr(resolution.mention)}" '
            f'title="{_attr(f"{resolution.mention} → {resolution.replacement}")}">{_text(resolution.replacement)}</ins>'
        )
        done = end
    out.append(_text(claim.text[done:]))
    return "".join(out)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


_LINKABLE = re.compile(r"https?://[^\s/?#\"'<>`\\\x00-\x1f\x7f][^\s\"'<>`\\\x00-\x1f\x7f]*", re.IGNORECASE)
"""An address the site makes a link of: http or https with a host, and no space, control character, quote,
angle bracket, backtick or backslash anywhere (a browser drops or rewrites those, so the link would lead
elsewhere than the text shown)."""


def factcheck_link(url: str) -> str:
    """A fact-check's address: a link opening it in a new tab, with no referrer and no hold on this page, when it
    is a plain http(s) address; otherwise the address as text, so no other scheme (``javascript:``, ``data:``,
    ``file:``) is ever followable."""
    if _LINKABLE.fullmatch(url):
        return (
            f'<a class="factcheck-url" href="{_attr(url)}" rel="noopener noreferrer" target="_blank">{_text(url)}</a>'
        )
    return f'<code class="factcheck-url">{_text(url)}</code>'


def _badges(related: Related) -> str:
    badges = []
    if related.group:
        badges.append(f'<span class="badge group-badge">{_plural(len(related.group), "match", "matches")}</span>')
    if related.factchecks:
        count = _plural(len(related.factchecks), "fact-check", "fact-checks")
        badges.append(f'<span class="badge factcheck-badge">{count}</span>')
    return " ".join(badges)


def _member(member: GroupMember) -> str:
    claim, pair = member.claim, member.pair
    if member.copy:
        evidence = '<span class="copy">a copy (same cluster)</span>'
    elif pair is None:
        evidence = '<span class="none">(no matches row links the two)</span>'
    else:
        shared = _text(", ".join(pair.shared_words)) if pair.shared_words else _or_none(None)
        evidence = f"Score: {_score(pair.score)} · Shared words: {shared}"
    return (
        f'<li class="member" data-claim="{claim.claim_id}">'
        f'<a href="{_attr(member.page)}.html#{claim.claim_id}">{_text(claim.text)}</a> '
        f'<span class="member-meta">Speaker: {_or_none(claim.speaker)} · Outlet: {_or_none(member.outlet)} · '
        f"{evidence}</span></li>"
    )


def _rating(rating: str | None) -> str:
    return f'<strong class="rating">{_text(rating)}</strong>' if rating else '<span class="none">(no rating)</span>'


def _factcheck(found: FactCheckMatch) -> str:
    return (
        f'<li class="factcheck" data-rank="{found.rank}"><span class="rank">#{found.rank}</span> '
        f'<q class="claim-reviewed">{_text(found.claim_reviewed)}</q> '
        f'<span class="factcheck-meta">Rating: {_rating(found.rating)} · Score: {_score(found.score)} · '
        f"{factcheck_link(found.factcheck_url)}</span></li>"
    )


def related_details(claim: Claim, related: Related) -> str:
    """A claim's match group (each other claim with its speaker, outlet, a link to it in its article, and the
    score and shared words of the ``matches`` row linking the two) and its fact-check matches by rank."""
    parts = []
    if related.group:
        parts.append(
            f'<h3 class="related-head">Same claim, other words: match group <code>{_text(claim.match_group or "")}'
            '</code></h3><ul class="group">' + "".join(_member(member) for member in related.group) + "</ul>"
        )
    if related.factchecks:
        parts.append(
            '<h3 class="related-head">Fact-check matches</h3><ol class="factchecks">'
            + "".join(_factcheck(found) for found in related.factchecks)
            + "</ol>"
        )
    return '<div class="related">' + "".join(f"<div>{part}</div>" for part in parts) + "</div>"


def _related_toggle(claim: Claim, related: Related | None) -> str:
    """The badges counting a claim's matches, on a button that shows or hides them in a row under the claim's
    (a row of the full table width, so the lists are readable; a button, so the keyboard opens it too)."""
    if related is None:
        return _or_none(None)
    return (
        f'<button type="button" class="related-toggle" aria-expanded="false" aria-controls="related-{claim.claim_id}">'
        f"{_badges(related)}</button>"
    )


def _tooltip_related(related: Related | None) -> str:
    if related is None:
        return ""
    lines = ""
    if related.group:
        outlets = sorted({member.outlet for member in related.group if member.outlet})
        where = f" ({_text(', '.join(outlets))})" if outlets else ""
        lines += f"<span>Match group: {_plural(len(related.group), 'other claim', 'other claims')}{where}</span>"
    if related.factchecks:
        best = related.factchecks[0]
        rated = f", #{best.rank} rated {_rating(best.rating)}" if best.rating else ""
        lines += f"<span>Fact-check matches: {len(related.factchecks)}{rated}</span>"
    return lines


def _tooltip(claim: Claim, related: Related | None = None) -> str:
    return (
        f'<div class="tip" role="tooltip" id="tip-{claim.claim_id}" hidden>'
        f'<span class="tip-type" data-type="{claim.claim_type.value}">{type_label(claim.claim_type)}</span>'
        f"<span>Speaker: {_or_none(claim.speaker)}</span>"
        f"<span>Cue: {_or_none(claim.cue)}</span>"
        f"<span>Check-worthiness: {_score(claim.check_worthiness)}</span>"
        + (f"<span>On its own: {_standalone(claim)}</span>" if claim.resolutions else "")
        + (f"<span>{_NEEDS_CONTEXT}</span>" if claim.needs_context else "")
        + _tooltip_related(related)
        + "</div>\n"
    )


_CLAIM_COLUMNS = (
    "claim_id",
    "Type",
    "Speaker",
    "Cue",
    "Check-worthiness",
    "Offsets",
    "Readable on its own",
    "Matches",
)


def _claim_row(claim: Claim, related: Related | None = None) -> str:
    flag = f" {_NEEDS_CONTEXT}" if claim.needs_context else ""
    below = (
        f'<tr class="related-row" id="related-{claim.claim_id}" hidden><td colspan="{len(_CLAIM_COLUMNS)}">'
        f"{related_details(claim, related)}</td></tr>\n"
        if related is not None
        else ""
    )
    return (
        f'<tr id="row-{claim.claim_id}" data-claim="{claim.claim_id}" data-type="{claim.claim_type.value}" '
        f'data-speaker="{_attr(claim.speaker or "")}"{" data-needs-context" if claim.needs_context else ""}'
        f"{_match_attrs(related)}>"
        f'<td><a href="#{claim.claim_id}"><code>{claim.claim_id}</code></a></td>'
        f'<td><span class="swatch" data-type="{claim.claim_type.value}"></span>{type_label(claim.claim_type)}</td>'
        f"<td>{_or_none(claim.speaker)}</td><td>{_or_none(claim.cue)}</td>"
        f'<td class="num">{_score(claim.check_worthiness)}</td>'
        f'<td class="num">{claim.char_start}–{claim.char_end}</td>'
        f'<td class="standalone"><span class="standalone-text">{_standalone(claim)}</span>{flag}</td>'
        f'<td class="matches">{_related_toggle(claim, related)}</td></tr>\n{below}'
    )


def _related_counts(claims: Sequence[Claim], related: Mapping[str, Related]) -> tuple[int, int, int]:
    """Of ``claims``: how many have other claims in their match group, fact-check matches, either."""
    found = [related[claim.claim_id] for claim in claims if claim.claim_id in related]
    return sum(bool(r.group) for r in found), sum(bool(r.factchecks) for r in found), len(found)


def _filters(claims: Sequence[Claim], related: Mapping[str, Related]) -> str:
    per_type = Counter(claim.claim_type for claim in claims)
    boxes = "".join(
        f'<label class="legend-item"><input type="checkbox" name="type" value="{claim_type.value}" checked> '
        f'<span class="swatch" data-type="{claim_type.value}"></span>{type_label(claim_type)} '
        f'<span class="count">({per_type[claim_type]})</span></label>\n'
        for claim_type in ClaimType
    )
    speakers = sorted({claim.speaker for claim in claims if claim.speaker})
    options = "".join(f'<option value="{_attr(name)}">{_text(name)}</option>' for name in speakers)
    if any(not claim.speaker for claim in claims):
        options += '<option value="">(no speaker)</option>'
    grouped, checked, either = _related_counts(claims, related)
    return (
        '<section class="controls" aria-label="Filters">\n'
        '<fieldset class="legend" id="type-filter"><legend>Claim types (colour key; untick to hide)</legend>\n'
        f"{boxes}</fieldset>\n"
        '<label class="speaker-filter">Speaker <select id="speaker-filter">'
        f'<option value="*">All speakers</option>{options}</select></label>\n'
        '<label class="match-filter">Matches <select id="match-filter"><option value="*">All claims</option>'
        f'<option value="any">With matches or fact-checks ({either})</option>'
        f'<option value="group">In a match group ({grouped})</option>'
        f'<option value="factcheck">With fact-check matches ({checked})</option></select></label>\n'
        f'<p id="shown" aria-live="polite">{len(claims)} of {len(claims)} claims highlighted</p>\n'
        "</section>\n"
    )


def _nav(neighbours: Neighbours) -> str:
    links = ['<a href="../index.html">All articles</a>']
    if neighbours.previous is not None:
        links.append(f'<a href="{neighbours.previous}.html" rel="prev">Previous article</a>')
    if neighbours.following is not None:
        links.append(f'<a href="{neighbours.following}.html" rel="next">Next article</a>')
    return f'<nav aria-label="Articles">{" · ".join(links)}</nav>\n'


def _meta(article: Article, claims: Sequence[Claim]) -> str:
    source = article.source_file + (f":{article.source_line}" if article.source_line is not None else "")
    rows = [
        ("Article", f"<code>{_text(article.article_id)}</code>"),
        ("Outlet", _or_none(article.outlet)),
        ("Published", _or_none(article.published.isoformat() if article.published else None)),
        ("Split", _text(article.split.value)),
        ("Source", f"<code>{_text(source)}</code>"),
        # Shown as text, not a link: the site makes no request and leads nowhere outside itself.
        ("URL", f"<code>{_text(article.url)}</code>" if article.url else _or_none(None)),
        ("Claims", str(len(claims))),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows) + "</dl>\n"


def article_page(
    article: Article, claims: Sequence[Claim], neighbours: Neighbours, related: Mapping[str, Related] | None = None
) -> str:
    """The page of one article: its raw text with every claim marked, filters, tooltips and the claims table;
    ``related`` gives, per claim id, its match group and fact-check matches (none when left out)."""
    related = related or {}
    by_id = {claim.claim_id: claim for claim in claims}
    nodes = nest(article.text, [Highlight(claim.claim_id, claim.char_start, claim.char_end) for claim in claims])
    title = article.title or article.article_id
    language = f' lang="{_attr(article.language)}"' if article.language else ""
    return (
        _head(f"{title} · {GENERATOR}", "../")
        + '<body class="article-page">\n'
        + _nav(neighbours)
        + f"<header><h1>{_text(title)}</h1>\n{_meta(article, claims)}</header>\n"
        + _filters(claims, related)
        + "<main>\n<h2>Raw text</h2>\n"
        + f'<div class="text" id="text"{language}>{_marks(nodes, by_id, related)}</div>\n'
        + '<h2 id="claims">Claims</h2>\n'
        + '<table class="claims">\n<thead><tr>'
        + "".join(f'<th scope="col">{name}</th>' for name in _CLAIM_COLUMNS)
        + "</tr></thead>\n<tbody>\n"
        + "".join(_claim_row(claim, related.get(claim.claim_id)) for claim in claims)
        + "</tbody>\n</table>\n</main>\n"
        + '<div class="tips">\n'
        + "".join(_tooltip(claim, related.get(claim.claim_id)) for claim in claims)
        + "</div>\n</body>\n</html>\n"
    )


def _article_row(article: Article, claims: Sequence[Claim], name: str, related: Mapping[str, Related]) -> str:
    per_type = Counter(claim.claim_type for claim in claims)
    counts = "".join(f'<td class="num">{per_type[claim_type]}</td>' for claim_type in ClaimType)
    _, _, matched = _related_counts(claims, related)
    return (
        f'<tr data-article="{_attr(article.article_id)}">'
        f'<td><a href="articles/{name}.html">{_text(article.title or article.article_id)}</a></td>'
        f"<td><code>{_text(article.article_id)}</code></td><td>{_or_none(article.outlet)}</td>"
        f"<td>{_or_none(article.published.isoformat() if article.published else None)}</td>"
        f"<td>{_text(article.split.value)}</td>{counts}"
        f'<td class="num">{len(claims)}</td><td class="num">{matched}</td></tr>\n'
    )


def _reject_row(rejection: Rejection) -> str:
    line = str(rejection.line) if rejection.line is not None else ""
    return (
        f'<tr><td><code>{_text(rejection.file)}</code></td><td class="num">{line}</td>'
        f"<td><code>{_text(rejection.loc)}</code></td><td>{_text(rejection.reason)}{_KEPT * rejection.kept}</td></tr>\n"
    )


_KEPT = " <em>(this field dropped, the article kept)</em>"
"""After the reason of a field dropped from a kept article (``--drop-bad-metadata``)."""


_MATCHED = "Claims in a match group or with fact-check matches"
"""What the index's Matched column counts (the article page's match filter tells the two apart)."""


def index_page(
    articles: Iterable[tuple[Article, Sequence[Claim], str]],
    rejects: Sequence[Rejection],
    total_claims: int,
    related: Mapping[str, Related] | None = None,
) -> str:
    """The index: every article (with its page name), its claim counts per type and how many of its claims are in
    a match group or have fact-check matches (``related``, per claim id), then the rejected inputs."""
    related = related or {}
    listed = list(articles)
    rows = [_article_row(article, claims, name, related) for article, claims, name in listed]
    grouped, checked, _ = _related_counts([claim for _, claims, _ in listed for claim in claims], related)
    type_heads = "".join(
        f'<th scope="col"><span class="swatch" data-type="{t.value}"></span>{type_label(t)}</th>' for t in ClaimType
    )
    if rejects:
        rejected = (
            '<table class="rejects">\n<thead><tr><th scope="col">File</th><th scope="col">Line</th>'
            '<th scope="col">Field</th><th scope="col">Reason</th></tr></thead>\n<tbody>\n'
            + "".join(_reject_row(rejection) for rejection in rejects)
            + "</tbody>\n</table>\n"
        )
    else:
        rejected = '<p class="none">No input was rejected.</p>\n'
    return (
        _head(f"Articles · {GENERATOR}", "")
        + '<body class="index-page">\n<main>\n<h1>Articles for review</h1>\n'
        + f'<p class="summary">{len(rows)} articles, {total_claims} claims ({grouped} in a match group, {checked} '
        + f"with fact-check matches), {len(rejects)} rejected inputs.</p>\n"
        + '<table class="articles">\n<thead><tr><th scope="col">Title</th><th scope="col">Article</th>'
        + '<th scope="col">Outlet</th><th scope="col">Published</th><th scope="col">Split</th>'
        + f'{type_heads}<th scope="col">Claims</th><th scope="col" title="{_MATCHED}">Matched</th></tr></thead>\n'
        + "<tbody>\n"
        + "".join(rows)
        + "</tbody>\n</table>\n"
        + f'<h2 id="rejects">Rejected inputs ({len(rejects)})</h2>\n'
        + rejected
        + "</main>\n</body>\n</html>\n"
    )
