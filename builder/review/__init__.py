"""The review site: static HTML pages for curators to read a built dataset's claims in their articles.

``write_site(dist, out)`` writes ``out/index.html`` (every article with its claim counts per type, and every
rejected input), one ``out/articles/<article_id>.html`` per article (the raw text with each claim highlighted by
type, speaker/cue/check-worthiness tooltips on hover and keyboard focus, type and speaker filters, the claims
table, where each claim is also shown readable on its own: its standalone text with every replacement marked
and the words it replaces on hover, "Needs context" on a claim with a reference left unresolved, and under
badges the claim's match group and fact-check matches, which a filter finds) and ``out/static/`` (one stylesheet,
one script). Nothing is fetched: the pages open from ``file://``.

Modules: :mod:`~builder.review.read` reads the dataset folder, :mod:`~builder.review.related` joins each claim
to its match group and fact-check matches, :mod:`~builder.review.spans` turns claim spans (nested, adjacent or
crossing) into a tree of marks, :mod:`~builder.review.render` writes the HTML and :mod:`~builder.review.site`
the folder.
"""

from __future__ import annotations

from builder.review.site import SiteReport, write_site

__all__ = ["SiteReport", "write_site"]
