from __future__ import annotations

import html
import json
import re
import struct
import zlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.config import BuildConfig, ValidateConfig
from builder.errors import ConfigError, DistError
from builder.features import to_table
from builder.models import (
    Article,
    Claim,
    ClaimMatch,
    ClaimType,
    FactCheckMatch,
    Rejection,
    Resolution,
    ResolutionKind,
)
from builder.models.published import apply_resolutions
from builder.pipeline import build
from builder.review import SiteReport, write_site
from builder.review.read import read_dataset
from builder.review.related import Related, related_claims
from builder.review.render import Neighbours, article_page, factcheck_link, index_page, related_details
from builder.review.site import page_names
from builder.review.spans import Highlight, Node, Piece, nest
from conftest import COLD_WAR_FACTCHECK, make_claim, rows_of, write_article

TYPES = list(ClaimType)  # ClassLabel index -> type, as the parquet stores it


# --- helpers ---------------------------------------------------------------------------------------------------


def article_of(text: str, article_id: str = "a", **fields: object) -> Article:
    values: dict[str, object] = {
        "article_id": article_id,
        "source_file": f"articles/{article_id}.txt",
        "input_format": "txt",
        "sha256": "0" * 64,
        "field_sources": {},
        "text": text,
        "body": [{"start": 0, "end": len(text)}],
        "excluded": [],
    }
    values.update(fields)
    return Article.model_validate(values)


def claim_of(article: Article, exact: str, claim_type: ClaimType, after: int = 0, **fields: object) -> Claim:
    """The claim whose text is the first ``exact`` at or after ``after`` in the article (offsets in code points)."""
    start = article.text.index(exact, after)
    return make_claim(article.article_id, exact, start, claim_type=claim_type, **fields)


def write_dist(
    folder: Path,
    articles: Sequence[Article],
    claims: Sequence[Claim],
    rejects: Sequence[Rejection] = (),
    matches: Sequence[ClaimMatch] = (),
    factcheck_matches: Sequence[FactCheckMatch] = (),
):
    """A dataset folder laid out as publish lays it out, from given records (a match config only when it has rows,
    as the build leaves it out)."""
    configs = [("articles", Article, articles), ("claims", Claim, claims)]
    configs += [("matches", ClaimMatch, matches)] if matches else []
    configs += [("factcheck_matches", FactCheckMatch, factcheck_matches)] if factcheck_matches else []
    for config, model, records in configs:
        (folder / config).mkdir(parents=True)
        pq.write_table(to_table(model, list(records)), folder / config / "train-00000-of-00001.parquet")
    (folder / "rejects.jsonl").write_text("".join(r.model_dump_json() + "\n" for r in rejects), encoding="utf-8")
    (folder / "manifest.json").write_text("{}\n", encoding="utf-8")
    return folder


def flat(nodes: Sequence[Node]) -> str:
    return "".join(node if isinstance(node, str) else flat(node.children) for node in nodes)


def pieces(nodes: Sequence[Node]) -> list[Piece]:
    """Every piece, in document order (a piece before the pieces inside it)."""
    found: list[Piece] = []
    for node in nodes:
        if isinstance(node, Piece):
            found.append(node)
            found.extend(pieces(node.children))
    return found


class TextOfPage(HTMLParser):
    """What a browser would show in ``#text``, and the text under each claim's marks, as Python parses the page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.open: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.claims: dict[str, list[str]] = defaultdict(list)
        self.marks: list[dict[str, str | None]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.depth == 0:
            self.depth = int(tag == "div" and values.get("id") == "text")
            return
        assert tag == "mark", f"only marks inside the text, got <{tag}>"
        self.depth += 1
        self.open.append(values)
        self.marks.append(values)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            if self.depth:
                self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            for mark in self.open:
                self.claims[str(mark["data-claim"])].append(data)

    def claim_text(self, claim_id: str) -> str:
        return "".join(self.claims[claim_id])


def png_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct bytes in the decoded image data of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, defaultdict(bytes)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        chunks[kind] += data[at + 8 : at + 8 + length]
        at += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    return width, height, len(set(zlib.decompress(chunks[b"IDAT"])))


# --- spans -----------------------------------------------------------------------------------------------------


def test_without_spans_the_text_is_one_string():
    assert nest("plain text", []) == ["plain text"]
    assert nest("", []) == []


def test_a_span_inside_another_nests():
    text = "He said “we agree” today."
    outer, inner = Highlight("outer", 0, len(text)), Highlight("inner", 9, 17)
    assert nest(text, [inner, outer]) == [
        Piece("outer", 0, ("He said “", Piece("inner", 0, ("we agree",)), "” today.")),
    ]


def test_adjacent_spans_are_siblings():
    assert nest("abcdef", [Highlight("x", 0, 2), Highlight("y", 2, 4)]) == [
        Piece("x", 0, ("ab",)),
        Piece("y", 0, ("cd",)),
        "ef",
    ]


def test_crossing_spans_cut_the_inner_one_into_pieces():
    assert nest("abcdef", [Highlight("x", 0, 4), Highlight("y", 2, 6)]) == [
        Piece("x", 0, ("ab", Piece("y", 0, ("cd",)))),
        Piece("y", 1, ("ef",)),
    ]


def test_identical_spans_nest_in_the_given_order():
    assert nest("ab", [Highlight("x", 0, 2), Highlight("y", 0, 2)]) == [Piece("x", 0, (Piece("y", 0, ("ab",)),))]


def test_a_span_outside_the_text_is_refused():
    with pytest.raises(ValueError, match="outside the text"):
        nest("abc", [Highlight("x", 1, 4)])
    with pytest.raises(ValueError, match="empty"):
        nest("abc", [Highlight("x", 1, 1)])


@st.composite
def spans_over_text(draw: st.DrawFn) -> tuple[str, list[Highlight]]:
    text = draw(st.text(alphabet=st.sampled_from("ab \n😀é"), min_size=1, max_size=30))
    spans = []
    for index in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        spans.append(Highlight(f"k{index}", start, draw(st.integers(start + 1, len(text)))))
    return text, spans


@settings(max_examples=300, deadline=None)
@given(spans_over_text())
def test_any_spans_give_well_formed_marks_that_cover_exactly_their_text(case):
    text, spans = case
    nodes = nest(text, spans)
    assert flat(nodes) == text
    found = pieces(nodes)
    for span in spans:
        own = [piece for piece in found if piece.key == span.key]
        assert [piece.part for piece in own] == list(range(len(own)))
        assert "".join(flat(piece.children) for piece in own) == text[span.start : span.end]
        assert all(inner.key != span.key for piece in own for inner in pieces(piece.children))


def test_characters_outside_the_bmp_do_not_shift_highlights():
    text = "🇷🇺 Putin 😀 said “we 👍 agree” and left."
    article = article_of(text)
    quote = claim_of(article, "we 👍 agree", ClaimType.DIRECT_QUOTE)
    statement = claim_of(article, "and left.", ClaimType.AUTHOR_STATEMENT)
    parsed = TextOfPage(article_page(article, [quote, statement], Neighbours(None, None)))
    assert "".join(parsed.text) == text
    assert parsed.claim_text(quote.claim_id) == "we 👍 agree"
    assert parsed.claim_text(statement.claim_id) == "and left."


# --- pages -----------------------------------------------------------------------------------------------------


def test_the_article_page_escapes_everything_and_shows_the_raw_text_exactly():
    text = "\n<b>Bold</b> & co\r\nsaid\t“<script>alert('x')</script>”\rthen\u00a0left.\u200b\n"
    article = article_of(text, title="<i>Title</i> & more", outlet='"Outlet" <x>')
    quote = claim_of(
        article, "<script>alert('x')</script>", ClaimType.DIRECT_QUOTE, speaker='Ann "<i>" O\'Neil', cue="said & did"
    )
    statement = claim_of(article, "<b>Bold</b> & co", ClaimType.AUTHOR_STATEMENT)
    page = article_page(article, [statement, quote], Neighbours(None, None))
    assert "<script>alert" not in page and "<b>" not in page and "<i>" not in page
    assert "\r" not in page  # a parser would turn it into \n: written as &#13;
    parsed = TextOfPage(page)
    assert "".join(parsed.text) == text
    assert parsed.claim_text(quote.claim_id) == quote.text
    assert parsed.claim_text(statement.claim_id) == statement.text
    marks = {mark["data-claim"]: mark for mark in parsed.marks}
    assert marks[quote.claim_id]["data-speaker"] == 'Ann "<i>" O\'Neil'
    assert marks[quote.claim_id]["aria-describedby"] == f"tip-{quote.claim_id}"
    assert "Cue: said &amp; did" in page


def test_crossing_claims_have_one_id_and_one_tab_stop_each():
    article = article_of("one two three four")
    first = claim_of(article, "one two three", ClaimType.AUTHOR_STATEMENT)
    second = claim_of(article, "two three four", ClaimType.INDIRECT_QUOTE)
    parsed = TextOfPage(article_page(article, [first, second], Neighbours(None, None)))
    assert parsed.claim_text(first.claim_id) == "one two three"
    assert parsed.claim_text(second.claim_id) == "two three four"
    for claim in (first, second):
        own = [mark for mark in parsed.marks if mark["data-claim"] == claim.claim_id]
        assert (own[0].get("id"), own[0].get("tabindex")) == (claim.claim_id, "0")
        assert all(mark.get("id") is None and mark.get("tabindex") is None for mark in own[1:])
    assert len(parsed.marks) == 3


def test_the_index_escapes_rejections():
    rejection = Rejection(
        file="articles/<x>.txt",
        line=3,
        loc="published",
        reason="bad & <wrong>",
        stage="validate",
        article="articles/<x>.txt",
    )
    page = index_page([], [rejection], 0)
    assert "<x>" not in page and "<wrong>" not in page
    assert "<td><code>articles/&lt;x&gt;.txt</code></td>" in page and "bad &amp; &lt;wrong&gt;" in page


def test_the_index_says_which_rejection_is_a_field_dropped_from_a_kept_article():
    rejected = Rejection(file="a.json", loc="language", reason="bad tag", stage="validate", article="a.txt")
    dropped = rejected.model_copy(update={"kept": True})
    cells = [row for row in index_page([], [rejected, dropped], 0).splitlines() if "bad tag" in row]
    assert [row.split("<td>")[-1] for row in cells] == [
        "bad tag</td></tr>",
        "bad tag <em>(this field dropped, the article kept)</em></td></tr>",
    ]


def test_page_names_are_portable_and_distinct():
    ids = ["000_abc", "feed:3", "sub/dir/a b", "Ünïcode", ".hidden", "a~b", "Case", "case", "x" * 300]
    names = page_names(ids)
    assert names["000_abc"] == "000_abc"
    assert names["feed:3"] == "feed~3A3"
    assert names["sub/dir/a b"] == "sub~2Fdir~2Fa~20b"
    assert names[".hidden"] == "~2Ehidden" and names["a~b"] == "a~7Eb"
    assert names["Case"] != names["case"] and names["Case"].startswith("Case~~")
    assert len({name.casefold() for name in names.values()}) == len(ids)
    assert all(
        len(name) < 200 and set(name) <= set("0123456789ABCDEFabcdefghijklmnopqrstuvwxyzC_-.~")
        for name in names.values()
    )


# --- the site folder -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(seed_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "site"
    write_site(seed_dist, out)
    return out


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_site_has_an_index_a_page_per_article_and_its_assets(seed_dist, tmp_path):
    report = write_site(seed_dist, tmp_path / "site")
    articles = rows_of(seed_dist, "articles")
    assert report == SiteReport(
        out=tmp_path / "site",
        index=tmp_path / "site" / "index.html",
        pages=len(articles) + 1,
        articles=len(articles),
        claims=len(rows_of(seed_dist, "claims")),
        rejects=0,
    )
    assert sorted(files_of(tmp_path / "site")) == sorted(
        ["index.html", "static/site.css", "static/site.js"] + [f"articles/{a['article_id']}.html" for a in articles]
    )


def test_the_same_dataset_gives_the_same_bytes(seed_dist, site, tmp_path):
    write_site(seed_dist, tmp_path / "elsewhere")
    again = files_of(tmp_path / "elsewhere")
    assert again == files_of(site)
    for name, page in again.items():
        # URLs appear only as text (the article's own words and URL field), never as something to load or follow;
        # the seed has no fact-checks, the only links out (see the test on a dataset with matches below).
        assert b'href="http' not in page and b'src="http' not in page and b"url(http" not in page, name


def test_an_earlier_site_is_replaced_but_nothing_else(seed_dist, site, tmp_path):
    out = tmp_path / "site"
    write_site(seed_dist, out)
    (out / "articles" / "gone.html").write_text("stale")
    write_site(seed_dist, out)
    assert not (out / "articles" / "gone.html").exists()
    assert files_of(out) == files_of(site)

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(ConfigError, match="is not empty and holds no review site"):
        write_site(seed_dist, foreign)
    assert files_of(foreign) == {"notes.txt": b"keep me"}
    for inside in (seed_dist, seed_dist / "site", seed_dist.parent):
        with pytest.raises(ConfigError, match="must not be, contain or lie inside the dataset folder"):
            write_site(seed_dist, inside)
    assert not (seed_dist / "site").exists()


def test_a_folder_that_is_no_dataset_is_a_dist_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DistError, match=f"^{re.escape(str(missing))}: no such dataset folder; build it with"):
        write_site(missing, tmp_path / "site")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "data.csv").write_text("a,b\n")
    with pytest.raises(DistError, match=rf"^{re.escape(str(plain))}: not a dataset folder \(no manifest.json\)"):
        write_site(plain, tmp_path / "site")
    (plain / "manifest.json").write_text("{}")
    with pytest.raises(DistError, match=f"^{re.escape(str(plain))}: no articles/ parquet shards"):
        write_site(plain, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_claim_that_is_not_its_articles_text_is_refused(tmp_path):
    article = article_of("One claim here.")
    wrong = make_claim("a", "claim", 0)  # "claim" is at 4, not 0
    dist = write_dist(tmp_path / "dist", [article], [wrong])
    with pytest.raises(DistError, match="is not the text at \\[0, 5\\) of its article"):
        write_site(dist, tmp_path / "site")
    with pytest.raises(DistError, match="names article 'b', which is not in it"):
        write_site(write_dist(tmp_path / "dist2", [article], [make_claim("b", "One", 0)]), tmp_path / "site")


# --- in the browser --------------------------------------------------------------------------------------------


def open_page(visit, path: Path) -> None:
    visit.page.goto(path.as_uri())
    visit.page.wait_for_selector("html[data-ready='1']", state="attached")


MARKS = """() => Array.from(document.querySelectorAll('#text mark.claim')).map(m => ({
  claim: m.dataset.claim, type: m.dataset.type, speaker: m.dataset.speaker, text: m.textContent,
  id: m.id, tabindex: m.getAttribute('tabindex'),
  highlighted: getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)'}))"""


def marked(visit) -> dict[str, dict[str, object]]:
    """Per claim: its type, speaker, the text of its pieces joined, and whether its highlight shows."""
    claims: dict[str, dict[str, object]] = {}
    for mark in visit.page.evaluate(MARKS):
        seen = claims.setdefault(mark["claim"], {**mark, "text": ""})
        seen["text"] = str(seen["text"]) + mark["text"]
    return claims


def seed_claims(seed_dist: Path, article_id: str) -> dict[str, dict]:
    return {row["claim_id"]: row for row in rows_of(seed_dist, "claims") if row["article_id"] == article_id}


def matches_cell(row: dict, claims_of_group: Counter[str], checked: Counter[str]) -> str:
    """What the claims table's Matches cell of a claim row reads: its badges, or "(none)"."""
    others = claims_of_group[row["match_group"]] - 1 if row["match_group"] else 0
    badges = [f"{others} match" + ("es" if others > 1 else "")] if others else []
    found = checked[row["claim_id"]]
    badges += [f"{found} fact-check" + ("s" if found > 1 else "")] if found else []
    return " ".join(badges) or "(none)"


def test_every_article_page_marks_each_claim_of_the_parquet_exactly(visit, seed_dist, site):
    articles = rows_of(seed_dist, "articles")
    every = rows_of(seed_dist, "claims")
    claims_of_group = Counter(row["match_group"] for row in every if row["match_group"])
    checked = Counter(row["claim_id"] for row in rows_of(seed_dist, "factcheck_matches"))
    assert claims_of_group  # the seed's Cold War pair: a page that shows no badge fails below
    for article in articles:
        open_page(visit, site / "articles" / f"{article['article_id']}.html")
        assert visit.page.evaluate("document.getElementById('text').textContent") == article["text"]
        claims = seed_claims(seed_dist, article["article_id"])
        shown = marked(visit)
        assert {cid: (m["type"], m["text"]) for cid, m in shown.items()} == {
            cid: (TYPES[row["claim_type"]].value, row["text"]) for cid, row in claims.items()
        }
        assert all(m["highlighted"] and m["id"] == cid and m["tabindex"] == "0" for cid, m in shown.items())
        table = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('table.claims tr[data-claim]')).map(r => "
            "Array.from(r.cells).map(c => c.textContent))"
        )
        ordered = sorted(
            claims.values(), key=lambda r: (r["char_start"], -r["char_end"], r["claim_type"], r["claim_id"])
        )
        assert table == [
            [
                row["claim_id"],
                TYPES[row["claim_type"]].value.replace("_", " ").capitalize(),
                row["speaker"] or "(none)",
                row["cue"] or "(none)",
                f"{row['check_worthiness']:.2f}",
                f"{row['char_start']}–{row['char_end']}",
                row["standalone"] + (" Needs context" if row["needs_context"] else ""),
                matches_cell(row, claims_of_group, checked),
            ]
            for row in ordered
        ]


def test_the_type_and_speaker_filters_hide_highlights_and_rows(visit, seed_dist, site):
    article_id = "000_441cd17370331efe"
    claims = seed_claims(seed_dist, article_id)
    open_page(visit, site / "articles" / f"{article_id}.html")
    page = visit.page

    def expect(types: set[str], speaker: str | None) -> None:
        wanted = {
            cid
            for cid, row in claims.items()
            if TYPES[row["claim_type"]].value in types and (speaker is None or row["speaker"] == speaker)
        }
        assert {cid for cid, m in marked(visit).items() if m["highlighted"]} == wanted
        rows = {cid: page.locator(f'[id="row-{cid}"]').is_visible() for cid in claims}
        assert {cid for cid, visible in rows.items() if visible} == wanted
        assert page.inner_text("#shown") == f"{len(wanted)} of {len(claims)} claims highlighted"

    every = {t.value for t in ClaimType}
    kinds = {TYPES[row["claim_type"]].value for row in claims.values()}
    assert {"author_statement", "direct_quote"} <= kinds and any(row["speaker"] is None for row in claims.values())
    expect(every, None)
    page.uncheck('#type-filter input[value="author_statement"]')
    expect(every - {"author_statement"}, None)
    page.select_option("#speaker-filter", "Jens Stoltenberg")
    expect(every - {"author_statement"}, "Jens Stoltenberg")
    page.check('#type-filter input[value="author_statement"]')
    expect(every, "Jens Stoltenberg")  # author statements have no speaker: still off
    page.uncheck('#type-filter input[value="direct_quote"]')
    expect(every - {"direct_quote"}, "Jens Stoltenberg")
    page.select_option("#speaker-filter", "*")
    page.check('#type-filter input[value="direct_quote"]')
    expect(every, None)


def test_a_claims_tooltip_shows_on_keyboard_focus_and_on_hover(visit, seed_dist, site, tmp_path):
    article_id = "002_981f1cff39f36317"
    claims = sorted(seed_claims(seed_dist, article_id).values(), key=lambda r: r["char_start"])
    target = next(row for row in claims if row["speaker"] and row["cue"])
    following = claims[claims.index(target) + 1]
    open_page(visit, site / "articles" / f"{article_id}.html")
    page = visit.page

    def tip(row: dict) -> str:
        mark = page.locator(f'[id="{row["claim_id"]}"]')
        described = mark.get_attribute("aria-describedby")
        assert described == f"tip-{row['claim_id']}"
        tooltip = page.locator(f'[id="{described}"]')
        assert tooltip.get_attribute("role") == "tooltip"
        return tooltip.inner_text() if tooltip.is_visible() else ""

    assert tip(target) == ""
    page.locator(f'[id="{target["claim_id"]}"]').focus()
    text = tip(target)
    assert f"Speaker: {target['speaker']}" in text
    assert f"Cue: {target['cue']}" in text
    assert f"Check-worthiness: {target['check_worthiness']:.2f}" in text
    assert TYPES[target["claim_type"]].value.replace("_", " ").capitalize() in text
    assert page.evaluate("document.activeElement.id") == target["claim_id"]

    page.screenshot(path=str(tmp_path / "article.png"))
    width, height, distinct = png_facts(tmp_path / "article.png")
    assert (width, height) == (1100, 900) and distinct > 50

    page.keyboard.press("Tab")  # the next claim in reading order is the next tab stop
    assert page.evaluate("document.activeElement.id") == following["claim_id"]
    assert tip(target) == ""
    assert f"Check-worthiness: {following['check_worthiness']:.2f}" in tip(following)
    page.keyboard.press("Escape")
    assert tip(following) == ""

    page.locator(f'[id="{target["claim_id"]}"]').blur()
    page.hover(f'[id="{target["claim_id"]}"]')
    assert f"Speaker: {target['speaker']}" in tip(target)


def test_nested_crossing_adjacent_and_non_bmp_claims_in_the_browser(visit, tmp_path):
    text = (
        "🇷🇺 WARSAW —\r\nThe minister said that “we 😀 will never agree” on Monday.\r\n\r\n"
        "She added: “Never.”Then left.\n"
    )
    article = article_of(text, title="A test", language="en")
    sentence = claim_of(
        article, "The minister said that “we 😀 will never agree” on Monday.", ClaimType.AUTHOR_STATEMENT
    )
    quote = claim_of(article, "we 😀 will never agree", ClaimType.DIRECT_QUOTE, speaker="Ann <O'Neil>", cue="said")
    crossing = claim_of(article, "on Monday.\r\n\r\nShe added", ClaimType.INDIRECT_QUOTE, speaker="Ann <O'Neil>")
    never = claim_of(article, "Never.", ClaimType.DIRECT_QUOTE, speaker="Bo")
    adjacent = claim_of(article, "”Then left.", ClaimType.AUTHOR_STATEMENT)
    claims = [sentence, quote, crossing, never, adjacent]
    dist = write_dist(tmp_path / "dist", [article], claims)
    write_site(dist, tmp_path / "site")
    open_page(visit, tmp_path / "site" / "articles" / "a.html")
    page = visit.page
    assert page.evaluate("document.getElementById('text').textContent") == text
    shown = marked(visit)
    assert {cid: m["text"] for cid, m in shown.items()} == {c.claim_id: c.text for c in claims}
    assert page.locator(f'mark[data-claim="{crossing.claim_id}"]').count() == 2
    assert page.locator(f'[id="{sentence.claim_id}"] [id="{quote.claim_id}"]').count() == 1

    page.locator(f'[id="{quote.claim_id}"]').focus()
    assert page.locator(f'[id="tip-{quote.claim_id}"]').is_visible()
    assert not page.locator(f'[id="tip-{sentence.claim_id}"]').is_visible()
    assert "Speaker: Ann <O'Neil>" in page.inner_text(f'[id="tip-{quote.claim_id}"]')
    page.locator(f'[id="{quote.claim_id}"]').blur()
    page.hover(f'[id="{quote.claim_id}"]')  # the innermost claim under the pointer wins
    assert page.locator(f'[id="tip-{quote.claim_id}"]').is_visible()
    assert not page.locator(f'[id="tip-{sentence.claim_id}"]').is_visible()

    page.select_option("#speaker-filter", "Ann <O'Neil>")
    highlighted = {cid for cid, m in marked(visit).items() if m["highlighted"]}
    assert highlighted == {quote.claim_id, crossing.claim_id}
    assert page.evaluate(
        f"Array.from(document.querySelectorAll('mark[data-claim=\"{crossing.claim_id}\"]'))"
        ".every(m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"
    )


def test_the_index_lists_every_article_with_its_counts_and_links_to_its_page(visit, seed_dist, site):
    open_page(visit, site / "index.html")
    page = visit.page
    rows = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.articles tbody tr')).map(r => "
        "({id: r.dataset.article, cells: Array.from(r.cells).map(c => c.textContent), "
        "href: r.querySelector('a').getAttribute('href')}))"
    )
    articles = sorted(rows_of(seed_dist, "articles"), key=lambda a: a["article_id"])
    claims = rows_of(seed_dist, "claims")
    checked = {row["claim_id"] for row in rows_of(seed_dist, "factcheck_matches")}
    assert [row["id"] for row in rows] == [a["article_id"] for a in articles]
    for row, article in zip(rows, articles, strict=True):
        own = [c for c in claims if c["article_id"] == article["article_id"]]
        per_type = [str(sum(c["claim_type"] == index for c in own)) for index in range(len(TYPES))]
        published = article["published"].isoformat() if article["published"] else "(none)"
        split = ["train", "validation", "test"][article["split"]]
        assert row["cells"][:5] == [article["title"], article["article_id"], article["outlet"], published, split]
        matched = sum(bool(c["match_group"]) or c["claim_id"] in checked for c in own)
        assert row["cells"][5:] == [*per_type, str(len(own)), str(matched)]
        assert row["href"] == f"articles/{article['article_id']}.html"
    assert page.inner_text("#rejects") == "Rejected inputs (0)"
    assert page.inner_text("p.none") == "No input was rejected."

    page.click(f'tr[data-article="{articles[1]["article_id"]}"] a')
    page.wait_for_selector("html[data-ready='1']", state="attached")
    assert page.inner_text("h1") == articles[1]["title"]
    page.click("a[rel=next]")
    page.wait_for_selector("html[data-ready='1']", state="attached")
    assert page.inner_text("h1") == articles[2]["title"]
    page.click("text=All articles")
    page.wait_for_selector("table.articles")


def test_the_index_lists_the_rejected_inputs(visit, raw_copy, tmp_path):
    write_article(raw_copy, "zz_bad", "Title\n\nBody.\n", json.dumps({"published": "2014-02-30", "colour": "red"}))
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=dist, validation=ValidateConfig(skip_invalid=True)))
    rejects = [json.loads(line) for line in (dist / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 2
    report = write_site(dist, tmp_path / "site")
    assert report.rejects == 2
    open_page(visit, tmp_path / "site" / "index.html")
    rows = visit.page.evaluate(
        "() => Array.from(document.querySelectorAll('table.rejects tbody tr')).map(r => "
        "Array.from(r.cells).map(c => c.textContent))"
    )
    assert rows == [[r["file"], str(r["line"] or ""), r["loc"], r["reason"]] for r in rejects]
    assert visit.page.inner_text("#rejects") == "Rejected inputs (2)"
    assert "zz_bad" not in visit.page.inner_text("table.articles")


STYLES = """() => Array.from(document.querySelectorAll('#text mark.claim, .swatch')).map(e => ({
  where: e.matches('mark') ? 'mark' : e.closest('#type-filter') ? 'legend' : 'table', type: e.dataset.type,
  colour: getComputedStyle(e).backgroundColor, line: getComputedStyle(e).borderBottomStyle}))"""


def test_each_claim_type_has_its_own_colour_and_line_the_legend_shows(visit, seed_dist, site):
    """Every highlight of a type has that type's colour and underline, the same as its swatch in the colour key
    and in the claims table; the four types share neither a colour nor a line style."""
    legends: list[dict[str, tuple[str, str]]] = []
    types_marked: set[str] = set()
    for article in rows_of(seed_dist, "articles"):
        open_page(visit, site / "articles" / f"{article['article_id']}.html")
        styles = visit.page.evaluate(STYLES)
        legend = {s["type"]: (s["colour"], s["line"]) for s in styles if s["where"] == "legend"}
        for style in styles:
            if style["where"] != "legend":
                assert (style["colour"], style["line"]) == legend[style["type"]], style
        types_marked |= {s["type"] for s in styles if s["where"] == "mark"}
        legends.append(legend)
    legend = legends[0]
    assert all(other == legend for other in legends)
    assert set(legend) == types_marked == {t.value for t in ClaimType}
    assert len({colour for colour, _ in legend.values()}) == len(legend)
    assert len({line for _, line in legend.values()}) == len(legend)
    assert all(colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for colour, _ in legend.values())


STANDALONE = """() => Array.from(document.querySelectorAll('table.claims tr[data-claim]')).map(r => {
  const cell = r.querySelector('td.standalone'), flag = cell.querySelector('.needs-context');
  return {claim: r.dataset.claim, text: cell.querySelector('.standalone-text').textContent,
    flagged: r.hasAttribute('data-needs-context'),
    flag: flag ? {text: flag.textContent, shown: flag.getClientRects().length > 0,
                  colour: getComputedStyle(flag).backgroundColor} : null,
    marks: Array.from(cell.querySelectorAll('ins.resolution')).map(i => ({
      mention: i.dataset.mention, title: i.title, text: i.textContent, kind: i.dataset.kind,
      colour: getComputedStyle(i).backgroundColor}))};
})"""

KINDS = list(ResolutionKind)  # ClassLabel index -> kind, as the parquet stores it


def test_each_claim_is_shown_readable_on_its_own_with_its_replacements_marked_and_a_need_for_context_flagged(
    visit, seed_dist, site
):
    """Per claims-table row: the standalone text exactly, one mark per replacement whose title says what it
    replaces ("He → Jens Stoltenberg"), highlighted; a visible "Needs context" exactly on the claims that need it."""
    resolved = flagged = 0
    for article in rows_of(seed_dist, "articles"):
        claims = seed_claims(seed_dist, article["article_id"])
        open_page(visit, site / "articles" / f"{article['article_id']}.html")
        shown = {row["claim"]: row for row in visit.page.evaluate(STANDALONE)}
        assert sorted(shown) == sorted(claims)
        for claim_id, row in claims.items():
            cell = shown[claim_id]
            assert cell["text"] == row["standalone"]
            assert [(m["mention"], m["title"], m["text"], m["kind"]) for m in cell["marks"]] == [
                (r["mention"], f"{r['mention']} → {r['replacement']}", r["replacement"], KINDS[r["kind"]].value)
                for r in row["resolutions"]
            ]
            assert all(m["colour"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for m in cell["marks"])
            assert cell["flagged"] is row["needs_context"]
            if row["needs_context"]:
                assert cell["flag"]["text"] == "Needs context" and cell["flag"]["shown"], cell
                assert cell["flag"]["colour"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
            else:
                assert cell["flag"] is None
            resolved += bool(row["resolutions"])
            flagged += row["needs_context"]
    assert resolved > 0 and flagged > 0  # the seed has both, so a page showing neither fails above


def test_a_claims_tooltip_says_it_readable_on_its_own_and_whether_it_needs_context(visit, seed_dist, site):
    article_id = "003_440fd8f644ac4721"
    claims = seed_claims(seed_dist, article_id).values()
    took_up = next(row for row in claims if row["text"].startswith("He took up his post"))
    unresolved = next(row for row in claims if row["needs_context"])
    open_page(visit, site / "articles" / f"{article_id}.html")
    page = visit.page
    page.locator(f'[id="{took_up["claim_id"]}"]').focus()
    tip = page.locator(f'[id="tip-{took_up["claim_id"]}"]')
    assert "On its own: Jens Stoltenberg took up his post as secretary-general" in tip.inner_text()
    assert "Needs context" not in tip.inner_text()
    assert tip.locator("ins.resolution").get_attribute("title") == "He → Jens Stoltenberg"
    page.locator(f'[id="{unresolved["claim_id"]}"]').focus()
    text = page.locator(f'[id="tip-{unresolved["claim_id"]}"]').inner_text()
    assert "Needs context" in text and "On its own" not in text  # nothing was resolved in it


def test_replacements_and_the_words_they_replace_are_escaped(visit, tmp_path):
    text = 'Ann "<b>" O\'Neil & co spoke.\r\nHe said <i>it</i> & she left.'
    article = article_of(text, title="Escapes")
    exact = "He said <i>it</i> & she left."
    start = text.index(exact)
    resolution = Resolution(
        start=start,
        end=start + 2,
        mention="He",
        replacement='Ann "<b>" O\'Neil & co',
        antecedent_start=0,
        antecedent_end=len('Ann "<b>" O\'Neil & co'),
        kind=ResolutionKind.NAME,
    )
    standalone = apply_resolutions(exact, start, [resolution])
    claim = make_claim("a", exact, start, resolutions=[resolution], standalone=standalone, needs_context=True)
    dist = write_dist(tmp_path / "dist", [article], [claim])
    write_site(dist, tmp_path / "site")
    page_html = (tmp_path / "site" / "articles" / "a.html").read_text(encoding="utf-8")
    assert "<b>" not in page_html and "<i>" not in page_html
    open_page(visit, tmp_path / "site" / "articles" / "a.html")
    (row,) = visit.page.evaluate(STANDALONE)
    assert row["text"] == standalone == 'Ann "<b>" O\'Neil & co said <i>it</i> & she left.'
    assert [(m["mention"], m["title"], m["text"]) for m in row["marks"]] == [
        ("He", 'He → Ann "<b>" O\'Neil & co', 'Ann "<b>" O\'Neil & co')
    ]
    assert row["flagged"] and row["flag"]["shown"]


# --- match groups and fact-check matches -----------------------------------------------------------------------


def grouped(claim: Claim, group: str, cluster: str | None = None) -> Claim:
    return claim.model_copy(update={"match_group": group, "cluster_id": cluster or claim.claim_id})


def told_three_times() -> tuple[list[Article], list[Claim], list[ClaimMatch], list[FactCheckMatch]]:
    """One claim told in articles a, b (twice: a copy in one cluster) and c, one claim alone, and two fact-checks
    of the first (the second with an address that must not become a link and no rating)."""
    a = article_of("Ann said the war ended in 1945. It rained.", "a", outlet="Outlet <A>")
    b = article_of("Bo said: the war was over by 1945. Again: the war was over by 1945.", "b", outlet='"B" & co')
    c = article_of("The war had <ended> by 1945, Cy said.", "c")
    told = [
        claim_of(a, "the war ended in 1945.", ClaimType.INDIRECT_QUOTE, speaker="Ann"),
        claim_of(b, "the war was over by 1945.", ClaimType.DIRECT_QUOTE, speaker="Bo & <Co>"),
        claim_of(b, "the war was over by 1945.", ClaimType.DIRECT_QUOTE, after=20, speaker="Bo & <Co>"),
        claim_of(c, "The war had <ended> by 1945,", ClaimType.INDIRECT_QUOTE, speaker="Cy"),
    ]
    group = min(claim.claim_id for claim in told)
    cluster_b = min(told[1].claim_id, told[2].claim_id)
    qa, qb, qb_copy, qc = (
        grouped(told[0], group),
        grouped(told[1], group, cluster_b),
        grouped(told[2], group, cluster_b),
        grouped(told[3], group),
    )
    alone = claim_of(a, "It rained.", ClaimType.AUTHOR_STATEMENT)

    def pair(one: Claim, other: Claim, score: float, words: list[str]) -> ClaimMatch:
        first, second = sorted((one.cluster_id, other.cluster_id))
        return ClaimMatch(claim_id=first, other_claim_id=second, score=score, shared_words=words, match_group=group)

    matches = [
        pair(qa, qb, 0.9, ["1945", "war"]),
        pair(qa, qc, 0.7, ["1945", "end", "war"]),
        pair(qb, qc, 0.8, ["<b>", "war"]),
    ]
    checks = [
        FactCheckMatch(
            claim_id=qa.claim_id,
            factcheck_url="https://checks.example.org/war?a=1&b=2",
            rank=1,
            score=0.75,
            claim_reviewed='The war "ended" in 1945 <b>',
            rating="Mostly <True>",
        ),
        FactCheckMatch(
            claim_id=qa.claim_id,
            factcheck_url="javascript:alert(1)",
            rank=2,
            score=0.5,
            claim_reviewed="The war ended.",
        ),
    ]
    return [a, b, c], [qa, alone, qb, qb_copy, qc], matches, checks


def related_of(tmp_path: Path) -> tuple[dict[str, Related], list[Claim], list[ClaimMatch]]:
    articles, claims, matches, checks = told_three_times()
    dataset = read_dataset(write_dist(tmp_path / "dist", articles, claims, (), matches, checks))
    return related_claims(dataset, {"a": "a", "b": "page~2Db", "c": "c"}), claims, matches


class Links(HTMLParser):
    """Every ``<a>`` of a piece of HTML: its attributes and its text, as a browser reads them."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str | None]] = []
        self.inside = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append({**dict(attrs), "text": ""})
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "a"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.links[-1]["text"] = str(self.links[-1]["text"]) + data


def test_each_claim_of_a_group_gets_the_others_with_the_row_linking_their_clusters(tmp_path):
    related, (qa, alone, qb, qb_copy, qc), matches = related_of(tmp_path)
    assert alone.claim_id not in related  # nothing related: left out, so the page shows "(none)"

    def members(claim: Claim) -> list[tuple[str, str | None, str, float | None, bool]]:
        return [
            (m.claim.claim_id, m.outlet, m.page, m.pair.score if m.pair else None, m.copy)
            for m in related[claim.claim_id].group
        ]

    # highest score first, ties by article and position; a copy of the claim itself last, with no row
    assert members(qa) == [
        (qb.claim_id, '"B" & co', "page~2Db", 0.9, False),
        (qb_copy.claim_id, '"B" & co', "page~2Db", 0.9, False),  # a copy reaches the row through its cluster
        (qc.claim_id, None, "c", 0.7, False),
    ]
    assert members(qb_copy) == [
        (qa.claim_id, "Outlet <A>", "a", 0.9, False),
        (qc.claim_id, None, "c", 0.8, False),
        (qb.claim_id, '"B" & co', "page~2Db", None, True),
    ]
    assert related[qc.claim_id].group[0].pair == matches[2]
    assert [(f.rank, f.factcheck_url) for f in related[qa.claim_id].factchecks] == [
        (1, "https://checks.example.org/war?a=1&b=2"),
        (2, "javascript:alert(1)"),
    ]
    assert related[qb.claim_id].factchecks == ()


def test_the_matches_of_a_claim_are_listed_with_their_evidence_and_escaped(tmp_path):
    related, (qa, _, _, qb_copy, _), _ = related_of(tmp_path)
    details = related_details(qa, related[qa.claim_id])
    assert "<b>" not in details and "<ended>" not in details and "<True>" not in details and "<A>" not in details
    links = Links(details).links
    assert [(link["href"], link["text"]) for link in links] == [
        (f"page~2Db.html#{related[qa.claim_id].group[0].claim.claim_id}", "the war was over by 1945."),
        (f"page~2Db.html#{related[qa.claim_id].group[1].claim.claim_id}", "the war was over by 1945."),
        (f"c.html#{related[qa.claim_id].group[2].claim.claim_id}", "The war had <ended> by 1945,"),
        ("https://checks.example.org/war?a=1&b=2", "https://checks.example.org/war?a=1&b=2"),
    ]
    assert links[-1]["rel"] == "noopener noreferrer" and links[-1]["target"] == "_blank"
    shown = html.unescape(re.sub(r"<[^>]+>", "", details))
    assert 'Speaker: Bo & <Co> · Outlet: "B" & co · Score: 0.90 · Shared words: 1945, war' in shown
    assert "Speaker: Cy · Outlet: (none) · Score: 0.70 · Shared words: 1945, end, war" in shown
    assert '#1 The war "ended" in 1945 <b> Rating: Mostly <True> · Score: 0.75 · https://checks' in shown
    assert "#2 The war ended. Rating: (no rating) · Score: 0.50 · javascript:alert(1)" in shown  # text, no link
    assert "a copy (same cluster)" not in shown
    copies = html.unescape(re.sub(r"<[^>]+>", "", related_details(qb_copy, related[qb_copy.claim_id])))
    assert 'the war was over by 1945. Speaker: Bo & <Co> · Outlet: "B" & co · a copy (same cluster)' in copies


def test_only_plain_http_and_https_addresses_become_links():
    for url in ("https://fc.example.org/a?b=1&c=2#d", "http://fc.example.org", "HTTPS://FC.EXAMPLE.ORG/x"):
        (link,) = Links(factcheck_link(url)).links
        assert (link["href"], link["text"], link["rel"], link["target"]) == (url, url, "noopener noreferrer", "_blank")
    for url in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//fc.example.org/a",
        "https://",
        "https:///path",
        " https://fc.example.org",
        "https://fc.example.org/a b",
        "https://fc.example.org/\t",
        'https://fc.example.org/"onmouseover="alert(1)',
        "https://fc.example.org/<script>",
        "java\nscript:alert(1)",
    ):
        shown = factcheck_link(url)
        text = re.fullmatch(r'<code class="factcheck-url">([^<>]*)</code>', shown)  # text alone: no tag, no attribute
        assert text and html.unescape(text.group(1)) == url, url


def test_an_article_page_marks_matched_claims_for_the_filter_and_hides_their_lists_until_asked(tmp_path):
    related, (qa, alone, *_), _ = related_of(tmp_path)
    article = told_three_times()[0][0]
    page = article_page(article, [qa, alone], Neighbours(None, None), related)
    parsed = TextOfPage(page)
    marks = {mark["data-claim"]: mark for mark in parsed.marks}
    assert (marks[qa.claim_id]["data-group"], marks[qa.claim_id]["data-factchecks"]) == ("3", "2")
    assert "data-group" not in marks[alone.claim_id] and "data-factchecks" not in marks[alone.claim_id]
    row = re.search(f'<tr id="row-{qa.claim_id}"[^>]*>', page)
    assert row and 'data-group="3" data-factchecks="2"' in row.group()
    assert re.search(f'<tr id="row-{alone.claim_id}" [^>]*data-speaker=""><td>', page)
    assert (
        f'<button type="button" class="related-toggle" aria-expanded="false" aria-controls="related-{qa.claim_id}">'
        '<span class="badge group-badge">3 matches</span> <span class="badge factcheck-badge">2 fact-checks</span>'
        "</button>"
    ) in page
    assert f'<tr class="related-row" id="related-{qa.claim_id}" hidden><td colspan="8">' in page
    assert page.count('class="related-row"') == 1
    assert (
        '<option value="any">With matches or fact-checks (1)</option><option value="group">In a match group (1)'
        '</option><option value="factcheck">With fact-check matches (1)</option>'
    ) in page
    tip = re.search(f'<div class="tip" role="tooltip" id="tip-{qa.claim_id}" hidden>.*?</div>', page)
    assert tip
    assert (
        '<span>Match group: 3 other claims ("B" &amp; co)</span>'
        '<span>Fact-check matches: 2, #1 rated <strong class="rating">Mostly &lt;True&gt;</strong></span>'
    ) in tip.group()
    assert "".join(parsed.text) == article.text  # the marks' attributes change nothing of the text shown


def test_the_index_counts_the_claims_with_matches_per_article(tmp_path):
    related, claims, _ = related_of(tmp_path)
    articles = told_three_times()[0]
    listed = [
        (article, [c for c in claims if c.article_id == article.article_id], article.article_id) for article in articles
    ]
    page = index_page(listed, [], len(claims), related)
    assert "5 claims (4 in a match group, 1 with fact-check matches)" in page
    counts = re.findall(r'<td class="num">(\d+)</td><td class="num">(\d+)</td></tr>', page)
    assert counts == [("2", "1"), ("2", "2"), ("1", "1")]  # claims, matched: a, b, c
    assert '<th scope="col" title="Claims in a match group or with fact-check matches">Matched</th>' in page


def test_a_dataset_without_match_configs_renders_with_none(tmp_path):
    articles, claims, _, _ = told_three_times()
    alone = [claim.model_copy(update={"match_group": None}) for claim in claims]
    dist = write_dist(tmp_path / "dist", articles, alone)
    assert not (dist / "matches").exists() and not (dist / "factcheck_matches").exists()
    write_site(dist, tmp_path / "site")
    page = (tmp_path / "site" / "articles" / "a.html").read_text(encoding="utf-8")
    assert "related-toggle" not in page and "data-group" not in page and "data-factchecks" not in page
    assert page.count('<td class="matches"><span class="none">(none)</span></td>') == 2
    assert '<option value="any">With matches or fact-checks (0)</option>' in page
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "(0 in a match group, 0 with fact-check matches)" in index


def test_a_match_row_naming_a_claim_not_in_the_folder_is_refused(tmp_path):
    articles, claims, matches, checks = told_three_times()
    stray = "f" * 16
    wrong = matches[0].model_copy(update={"other_claim_id": stray})
    dist = write_dist(tmp_path / "one", articles, claims, (), [wrong])
    with pytest.raises(DistError, match=f"a matches row names claim {stray}, which is not in it; rebuild"):
        write_site(dist, tmp_path / "site")
    dist = write_dist(
        tmp_path / "two", articles, claims, (), matches, [checks[0].model_copy(update={"claim_id": stray})]
    )
    with pytest.raises(DistError, match=f"a factcheck_matches row names claim {stray}, which is not in it"):
        write_site(dist, tmp_path / "site")
    assert not (tmp_path / "site").exists()


# --- match groups and fact-checks in the browser, on a built dataset -------------------------------------------


@pytest.fixture
def checked_dist(raw_copy: Path, tmp_path: Path) -> Path:
    """The seed raw folder with one fact-check, built: the Cold War claim told by TASS and RBC is a match pair,
    and the fact-check matches both."""
    (raw_copy / "factchecks").mkdir()
    (raw_copy / "factchecks" / "reviews.jsonl").write_text(json.dumps(COLD_WAR_FACTCHECK) + "\n", encoding="utf-8")
    dist = tmp_path / "dist"
    build(BuildConfig(raw_dir=raw_copy, out_dir=dist))
    return dist


def test_a_reviewer_finds_the_cold_war_claim_its_other_telling_and_its_fact_check(visit, checked_dist, tmp_path):
    """On the RBC page, the match filter keeps the claims with matches; the Cold War claim's tooltip counts its
    group and fact-check; its button (pressed from the keyboard) lists TASS's telling with the matcher's evidence
    and the fact-check's link and rating; following the link opens TASS's page on that claim, tooltip shown."""
    (pair,) = rows_of(checked_dist, "matches")
    claims = {row["claim_id"]: row for row in rows_of(checked_dist, "claims")}
    outlets = {row["article_id"]: row for row in rows_of(checked_dist, "articles")}
    told = sorted((claims[pair["claim_id"]], claims[pair["other_claim_id"]]), key=lambda r: r["article_id"])
    tass, rbc = told
    assert (outlets[tass["article_id"]]["outlet"], outlets[rbc["article_id"]]["outlet"]) == ("TASS", "RBC")
    checks = {row["claim_id"]: row for row in rows_of(checked_dist, "factcheck_matches")}
    assert checks[rbc["claim_id"]]["factcheck_url"] == COLD_WAR_FACTCHECK["url"]
    write_site(checked_dist, tmp_path / "site")
    open_page(visit, tmp_path / "site" / "articles" / f"{rbc['article_id']}.html")
    page = visit.page
    on_page = [row for row in claims.values() if row["article_id"] == rbc["article_id"]]
    with_any = {row["claim_id"] for row in on_page if row["match_group"] or row["claim_id"] in checks}

    page.select_option("#match-filter", "any")
    assert {cid for cid, m in marked(visit).items() if m["highlighted"]} == with_any
    assert page.inner_text("#shown") == f"{len(with_any)} of {len(on_page)} claims highlighted"
    page.select_option("#match-filter", "group")
    assert {cid for cid, m in marked(visit).items() if m["highlighted"]} == {rbc["claim_id"]}

    page.locator(f'[id="{rbc["claim_id"]}"]').focus()
    tip = page.inner_text(f'[id="tip-{rbc["claim_id"]}"]')
    assert "Match group: 1 other claim (TASS)" in tip and "Fact-check matches: 1, #1 rated True" in tip

    listed = page.locator(f'[id="related-{rbc["claim_id"]}"]')
    assert not listed.is_visible()
    toggle = page.locator(f'[id="row-{rbc["claim_id"]}"] button.related-toggle')
    assert toggle.inner_text().split() == ["1", "match", "1", "fact-check"]
    toggle.focus()
    page.keyboard.press("Enter")  # a button: the keyboard opens the list as a click does
    assert listed.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    other = listed.locator(f'li.member[data-claim="{tass["claim_id"]}"]')
    assert other.locator("a").inner_text() == tass["text"]
    words = ", ".join(pair["shared_words"])
    assert f"Speaker: {tass['speaker']} · Outlet: TASS · Score: {pair['score']:.2f} · Shared words: {words}" in (
        other.inner_text()
    )
    check = listed.locator("li.factcheck")
    assert COLD_WAR_FACTCHECK["claimReviewed"] in check.inner_text()
    assert check.locator(".rating").inner_text() == "True"
    link = check.locator("a")
    assert link.inner_text() == link.get_attribute("href") == COLD_WAR_FACTCHECK["url"]
    assert link.get_attribute("rel") == "noopener noreferrer"

    page.select_option("#match-filter", "factcheck")
    page.uncheck('#type-filter input[value="direct_quote"]')
    page.uncheck('#type-filter input[value="indirect_quote"]')
    assert not listed.is_visible()  # a filtered-out claim's list goes with its row
    page.check('#type-filter input[value="direct_quote"]')
    page.check('#type-filter input[value="indirect_quote"]')
    assert listed.is_visible()

    other.locator("a").click()
    page.wait_for_selector("html[data-ready='1']", state="attached")
    assert page.inner_text("h1") == outlets[tass["article_id"]]["title"]
    assert page.evaluate("document.activeElement.id") == tass["claim_id"]
    assert "Match group: 1 other claim (RBC)" in page.inner_text(f'[id="tip-{tass["claim_id"]}"]')


def test_a_dataset_with_matches_gives_the_same_bytes_and_links_out_only_to_fact_checks(checked_dist, tmp_path):
    write_site(checked_dist, tmp_path / "one")
    write_site(checked_dist, tmp_path / "two")
    pages = files_of(tmp_path / "one")
    assert pages == files_of(tmp_path / "two")
    outward = [
        link
        for name, page in pages.items()
        if name.endswith(".html")
        for link in Links(page.decode()).links
        if not str(link["href"]).startswith(("#", "../", "articles/")) and ".html" not in str(link["href"])
    ]
    assert outward and all(
        (link["class"], link["href"], link["rel"])
        == ("factcheck-url", COLD_WAR_FACTCHECK["url"], "noopener noreferrer")
        for link in outward
    )
    assert all(b'src="http' not in page and b"url(http" not in page for page in pages.values())
