from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.clean import clean_article
from builder.config import CleanConfig
from builder.models import CleanArticle, ExcludedKind
from builder.text import EDGE_SPACE
from conftest import RAW, raw_article

K = ExcludedKind


def cleaned(text: str) -> CleanArticle:
    return clean_article(raw_article(text), CleanConfig())


def seed(name: str) -> CleanArticle:
    text = (RAW / "articles" / f"{name}.txt").read_bytes().decode("utf-8")
    return cleaned(text)


def kinds_of(article: CleanArticle, kind: ExcludedKind) -> list[str]:
    text = article.raw.text
    return [text[s.start : s.end] for s in article.excluded if s.kind is kind]


def body_text(article: CleanArticle) -> list[str]:
    return [article.raw.text[s.start : s.end] for s in article.body]


def assert_partition(article: CleanArticle) -> None:
    """Body and excluded spans are disjoint, in bounds, trimmed, and hold every visible character."""
    text = article.raw.text
    spans = sorted([(s.start, s.end) for s in article.body] + [(s.start, s.end) for s in article.excluded])
    previous = 0
    for start, end in spans:
        assert previous <= start <= end <= len(text)
        assert all(ch in EDGE_SPACE for ch in text[previous:start])
        previous = end
    assert all(ch in EDGE_SPACE for ch in text[previous:])
    for span in article.body:
        assert span.start < span.end
        assert text[span.start] not in EDGE_SPACE and text[span.end - 1] not in EDGE_SPACE


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "000_441cd17370331efe",
            {
                "title": ("Stoltenberg Says NATO Wants Constructive Relations With Russia", 3),
                "published": ("October 06, 2014", 5),  # as written: validation reads it and names its form
                "dateline": ("WARSAW", 11),
                "url": (
                    "https://www.themoscowtimes.com/2014/10/06/"
                    "stoltenberg-says-nato-wants-constructive-relations-with-russia-a40101",
                    35,
                ),
            },
        ),
        (
            "001_b60338ed7311516e",
            {
                "title": ("Stoltenberg welcomes contacts between NATO-allied countries and Russia", 2),
                "published": ("2017-05-25", 1),
                "dateline": ("BRUSSELS", 11),
            },
        ),
        (
            "002_981f1cff39f36317",
            {
                "title": ("NATO Must Be Strong to Deal With Russia, Says Chief", 3),
                "dateline": ("BRUSSELS", 7),
            },
        ),
        (
            "003_440fd8f644ac4721",
            {
                "title": ("Exclusive to NATO chief seeks better relations with Russia", 1),
                "byline": ("Euronews", 4),
            },
        ),
        (
            "004_f3fa3fc9bb42fcfb",
            {"title": ("Stoltenberg urged not to isolate Russia over the Crimea and Salisbury", 1)},
        ),
    ],
)
def test_seed_metadata_is_read_off_the_text_with_its_line(name, expected):
    article = seed(name)
    assert {k: (v.value, v.line) for k, v in article.inferred.items()} == expected
    assert_partition(article)


def test_seed_furniture_is_excluded_and_body_kept():
    moscow = seed("002_981f1cff39f36317")
    assert len(kinds_of(moscow, K.DONATION)) == 15  # the appeal block from its heading to "Remind me later."
    assert kinds_of(moscow, K.NEWSLETTER)[0] == "Sign up for our free weekly newsletter"
    assert kinds_of(moscow, K.DATELINE) == ["BRUSSELS\u00a0— "]
    assert body_text(moscow)[0].startswith("Only a\u00a0strong Western security alliance")
    assert body_text(moscow)[-1].startswith('"But to\u00a0get there," he added')

    euronews = seed("003_440fd8f644ac4721")
    assert kinds_of(euronews, K.RELATED)[0] == "You might also like"
    assert len(kinds_of(euronews, K.RELATED)) == 4
    assert len(kinds_of(euronews, K.SHARE)) == 3
    assert len(body_text(euronews)) == 22

    rbc = seed("004_f3fa3fc9bb42fcfb")
    assert kinds_of(rbc, K.PHOTO_CREDIT) == ["(Photo: Darrin Zammit Lupi / Reuters)"]
    assert kinds_of(rbc, K.COMMENTS) == [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]
    assert "NATO reported an increase in defense spending by most of the member countries" in kinds_of(rbc, K.HEADING)

    tass = seed("001_b60338ed7311516e")
    assert kinds_of(tass, K.NAVIGATION) == ["date 2017-05-25 Back to Main page"]
    assert kinds_of(tass, K.PHOTO_CREDIT) == ["© AP Photo/Virginia Mayo"]
    assert kinds_of(tass, K.DATELINE) == ["BRUSSELS, May 25. /TASS/. "]


def test_caption_before_an_opening_dateline_is_header():
    article = seed("000_441cd17370331efe")
    assert kinds_of(article, K.HEADER)[1].startswith("New NATO Secretary General Jens Stoltenberg of Norway")
    assert body_text(article)[0].startswith("NATO wants constructive relations with Russia")


def test_a_paragraph_broken_by_the_scrape_stays_one_paragraph():
    article = seed("000_441cd17370331efe")
    broken = [p for p in body_text(article) if "we were able\n\nto cooperate" in p]
    assert len(broken) == 1


def test_plain_article_loses_only_its_title():
    text = "Ad sales boost profit\n\nProfits jumped 76% to $1.13bn.\n\nThe firm said sales rose.\n"
    article = cleaned(text)
    assert [s.kind for s in article.excluded] == [K.TITLE]
    assert body_text(article) == ["Profits jumped 76% to $1.13bn.", "The firm said sales rose."]
    assert article.inferred["title"].value == "Ad sales boost profit"


def test_crlf_and_lone_cr_give_the_same_classification_as_lf():
    lf = (RAW / "articles" / "003_440fd8f644ac4721.txt").read_text(encoding="utf-8")
    for newline in ("\r\n", "\r"):
        other = cleaned(lf.replace("\n", newline))
        assert [s.kind for s in other.excluded] == [s.kind for s in cleaned(lf).excluded]
        assert [t.replace(newline, "\n") for t in body_text(other)] == body_text(cleaned(lf))
        assert_partition(other)


def test_donation_heading_without_a_closer_takes_only_itself():
    text = "Title\n\nDear readers,\n\nThe minister resigned on Monday.\n\nShe denied wrongdoing.\n"
    article = cleaned(text)
    assert kinds_of(article, K.DONATION) == ["Dear readers,"]
    assert body_text(article) == ["The minister resigned on Monday.", "She denied wrongdoing."]


def test_impossible_dates_are_not_inferred():
    assert "published" not in cleaned("Title\n\nFebruary 30, 2014\n\nBody text here.\n").inferred


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "WARSAW — It began.",
                    "Share this article",
                    "Read more",
                    "A Message from X:",
                    "Remind me later.",
                    "By Someone",
                    "October 06, 2014",
                    "# Title",
                    "we were able",
                    "to cooperate.",
                    "",
                    " ",
                    "\xa0",
                    "Leave a Reply",
                    "<https://example.org/x>",
                    "Original url:",
                    "(Photo: A / B)",
                    "\ufeffHead",
                ]
            ),
            st.text(max_size=40),
        ),
        max_size=25,
    ),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_any_text_is_partitioned_exactly(lines, newline):
    assert_partition(cleaned(newline.join(lines)))


@pytest.mark.parametrize(
    ("line", "place", "rest"),
    [
        ("WARSAW — NATO wants relations.", "WARSAW", "NATO wants relations."),
        ("BRUSSELS, May 25. /TASS/. NATO is working.", "BRUSSELS", "NATO is working."),
        ("LONDON (Reuters) - Shares fell.", "LONDON", "Shares fell."),
        ("NEW YORK -- Prices rose.", "NEW YORK", "Prices rose."),
        ("HALIFAX, Nova Scotia, Aug 20 (Wirenews) - A poll came out.", "HALIFAX", "A poll came out."),
        ("RIVERTON, Ohio, May 14 (Wirenews) - The vote was put off.", "RIVERTON", "The vote was put off."),
        ("OTTAWA, Ontario - Talks resumed.", "OTTAWA", "Talks resumed."),
    ],
)
def test_opening_datelines_are_cut_from_the_first_paragraph(line, place, rest):
    article = cleaned(f"Title\n\n{line}\n")
    assert article.inferred["dateline"].value == place
    assert body_text(article) == [rest]


@pytest.mark.parametrize(
    ("line", "cut", "place", "published"),
    [
        (
            "SPRINGFIELD, March 3, 2024 — The mayor spoke.",
            "SPRINGFIELD, March 3, 2024 — ",
            "SPRINGFIELD",
            "March 3, 2024",
        ),
        (
            "LONDON, 5 March 2024 (Reuters) - Shares fell.",
            "LONDON, 5 March 2024 (Reuters) - ",
            "LONDON",
            "5 March 2024",
        ),
        ("PARIS, Sept. 5 2024 -- Prices rose.", "PARIS, Sept. 5 2024 -- ", "PARIS", "Sept. 5 2024"),
        ("KYIV, 2024-03-05 /TASS/. Talks began.", "KYIV, 2024-03-05 /TASS/. ", "KYIV", "2024-03-05"),
        ("WASHINGTON (AP) — The bill passed.", "WASHINGTON (AP) — ", "WASHINGTON", None),
        ("SAN JOSE, Calif., October 20 - Sales rose.", "SAN JOSE, Calif., October 20 - ", "SAN JOSE", None),
        ("ROME, February 30, 2024 — It rained.", "ROME, February 30, 2024 — ", "ROME", None),  # no such day
    ],
)
def test_a_dated_dateline_is_cut_whole_and_its_date_read_as_written(line, cut, place, published):
    text = f"Title\n\n{line}\n"
    article = cleaned(text)
    assert kinds_of(article, K.DATELINE) == [cut]
    assert body_text(article) == [line.removeprefix(cut)]
    assert article.inferred["dateline"].value == place
    found = article.inferred.get("published")
    assert (found.value, found.line) == (published, 3) if published else found is None


def test_a_date_line_in_the_header_wins_over_the_datelines_date():
    article = cleaned("Title\n\n6 March 2024\n\nLONDON, 5 March 2024 (Reuters) - Shares fell.\n")
    assert (article.inferred["published"].value, article.inferred["published"].line) == ("6 March 2024", 3)
    assert kinds_of(article, K.DATELINE) == ["LONDON, 5 March 2024 (Reuters) - "]


@settings(deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.sampled_from(["{month} {day}, {year}", "{day} {month} {year}", "{iso}"]),
    st.sampled_from(["— ", "-- ", "(Reuters) - ", "/TASS/. "]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_dated_dateline_is_excluded_to_the_character(day, form, mark, newline):
    written = form.format(month=calendar.month_name[day.month], day=day.day, year=day.year, iso=day.isoformat())
    opening = f"NEW YORK, {written} {mark}"
    text = f"Markets{newline}{newline}{opening}Stocks rose on Monday.{newline}Bonds fell.{newline}"
    article = cleaned(text)
    (span,) = [span for span in article.excluded if span.kind is K.DATELINE]
    assert text[span.start : span.end] == opening and span.start == text.index("NEW YORK")
    assert article.inferred["published"].value == written
    assert all("NEW YORK" not in text[s.start : s.end] for s in article.body)
    assert_partition(article)


def test_a_capitalised_word_without_a_dash_is_no_dateline():
    article = cleaned("Title\n\nNATO met on Monday.\n")
    assert "dateline" not in article.inferred and body_text(article) == ["NATO met on Monday."]


def test_list_items_are_body_with_their_marker_excluded():
    text = "Budget\n\nThe plan includes:\n\n- More spending on health to 102.8bn rupees\n\n• New roads\n"
    article = cleaned(text)
    assert body_text(article) == ["The plan includes:", "More spending on health to 102.8bn rupees", "New roads"]
    assert kinds_of(article, K.LIST_MARKER) == ["- ", "• "]
    assert_partition(article)


def test_long_prose_that_lost_its_full_stop_stays_body():
    prose = "The US trade deficit widened by more than expected in October, hitting record levels after oil prices rose"
    article = cleaned(f"Title\n\n{prose}\n\nShort heading\n\nBody.\n")
    assert body_text(article) == [prose, "Body."]
    assert kinds_of(article, K.HEADING) == ["Short heading"]


@pytest.mark.parametrize(
    ("line", "byline"),
    [("By Euronews", "Euronews"), ("By Jane Doe and John Smith | 6 Oct", "Jane Doe and John Smith"), ("BY AP", "AP")],
)
def test_bylines(line, byline):
    assert cleaned(f"Title\n\n{line}\n\nBody.\n").inferred["byline"].value == byline


def test_a_sentence_starting_with_by_is_no_byline():
    article = cleaned("Title\n\nBy early 2005 the net could have two new domain names.\n")
    assert "byline" not in article.inferred
    assert body_text(article) == ["By early 2005 the net could have two new domain names."]
