"""Published fact-checks under ``raw/factchecks/``: each shape fact-checkers publish ClaimReview in, read from real
files into exact records; every bad file, line and field refused with its place; no credential reaching a record
or a message; the same output whatever order the files were written in."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.factchecks import FACTCHECK_SUFFIXES, read_factchecks
from builder.models import FactCheck, Rejection, Stage
from builder.urls import CredentialTally

SITE = "https://factcheck.example.org"


def review(**fields: Any) -> dict[str, Any]:
    """A ClaimReview as fact-checkers publish it, with ``fields`` over the defaults (None: left out)."""
    record: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": f"{SITE}/nato-dialogue",
        "claimReviewed": "There is no contradiction between a strong NATO and dialogue with Russia",
    }
    record.update(fields)
    return {key: value for key, value in record.items() if value is not None}


def write(raw: Path, name: str, content: str | bytes | Any) -> Path:
    path = raw / "factchecks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def lines(*records: Any) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def places(problems: list[Rejection]) -> list[tuple[str, int | None, str]]:
    return [(p.file, p.line, p.loc) for p in problems]


def test_no_factchecks_folder_is_nothing_to_read(tmp_path):
    assert read_factchecks(tmp_path) == ([], [])
    assert read_factchecks(tmp_path / "no-such-raw-folder") == ([], [])


def test_a_single_json_ld_claim_review_is_read_field_by_field(tmp_path):
    write(
        tmp_path,
        "stoltenberg.jsonld",
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{SITE}/2019/04/nato-dialogue ",
            "claimReviewed": "  There is no contradiction between a strong NATO and dialogue with Russia\n",
            "headline": "Can NATO be strong and still talk to Moscow?",
            "name": "not read: the headline is given",
            "reviewRating": {"@type": "Rating", "alternateName": "Mostly true", "ratingValue": 4, "bestRating": 5},
            "datePublished": "2019-04-03T09:30:00+02:00",
            "author": {"@type": "Organization", "name": "Baltic Fact Desk", "url": SITE},
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Person", "name": "Jens Stoltenberg"},
                "datePublished": "2019-04-02",
                "firstAppearance": "https://www.example.com/speech",
            },
            "sdPublisher": {"@type": "Organization", "name": "not read"},
        },
    )
    assert read_factchecks(tmp_path) == (
        [
            FactCheck(
                url=f"{SITE}/2019/04/nato-dialogue",
                claim_reviewed="There is no contradiction between a strong NATO and dialogue with Russia",
                headline="Can NATO be strong and still talk to Moscow?",
                rating="Mostly true",
                date_published=date(2019, 4, 3),
                author="Baltic Fact Desk",
                claimant="Jens Stoltenberg",
                source="factchecks/stoltenberg.jsonld",
            )
        ],
        [],
    )


def test_a_list_is_read_item_by_item_and_a_bad_item_is_refused_by_its_place(tmp_path):
    write(
        tmp_path,
        "list.json",
        [
            review(url=f"{SITE}/a", name="For want of a headline", author="Jane Roe", datePublished="1991-12-26"),
            review(url=f"{SITE}/b", claimReviewed=None),
            "not an object",
            review(url=f"{SITE}/c", author=[{"name": "Jane Roe"}, {"@type": "Organization", "name": "Desk"}]),
        ],
    )
    fact_checks, problems = read_factchecks(tmp_path)
    claim = "There is no contradiction between a strong NATO and dialogue with Russia"
    assert fact_checks == [
        FactCheck(
            url=f"{SITE}/a",
            claim_reviewed=claim,
            headline="For want of a headline",
            author="Jane Roe",
            date_published=date(1991, 12, 26),
            source="factchecks/list.json",
        ),
        FactCheck(url=f"{SITE}/c", claim_reviewed=claim, author="Jane Roe; Desk", source="factchecks/list.json"),
    ]
    assert places(problems) == [("factchecks/list.json", None, "1.claimReviewed"), ("factchecks/list.json", None, "2")]
    assert problems[0].reason == "missing; give the claim the fact-check reviews"
    assert problems[1].reason == "expected a ClaimReview object, got a string"
    assert {(p.stage, p.article) for p in problems} == {(Stage.FACTCHECKS, "factchecks/list.json")}


def test_a_graph_yields_its_claim_reviews_and_passes_over_its_other_nodes(tmp_path):
    write(
        tmp_path,
        "page.jsonld",
        {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": f"{SITE}/cold-war#page", "name": "Cold War myths"},
                {"@type": "Organization", "@id": "#desk", "name": "Baltic Fact Desk"},
                {"@type": "Claim", "@id": "#claim", "author": "Mikhail Gorbachev"},
                {
                    "@type": ["ClaimReview", "WebContent"],
                    "url": f"{SITE}/cold-war/promise",
                    "claimReviewed": "NATO promised not to expand one inch eastward",
                    "author": {"@id": "#desk"},
                    "itemReviewed": {"@id": "#claim"},
                    "reviewRating": {"ratingValue": "2", "bestRating": "5", "worstRating": "1"},
                },
                {
                    "@type": "schema:ClaimReview",
                    "url": f"{SITE}/cold-war/ended",
                    "claimReviewed": "The Cold War ended in 1991",
                    "reviewRating": {"ratingValue": 2.5},
                },
                {"@type": "https://schema.org/ClaimReview", "url": f"{SITE}/cold-war/bad", "claimReviewed": " "},
            ],
        },
    )
    write(tmp_path, "nothing.jsonld", {"@graph": [{"@type": "WebPage"}, {"@type": "Organization"}]})
    fact_checks, problems = read_factchecks(tmp_path)
    assert fact_checks == [
        FactCheck(
            url=f"{SITE}/cold-war/promise",
            claim_reviewed="NATO promised not to expand one inch eastward",
            rating="2/5",
            author="Baltic Fact Desk",
            claimant="Mikhail Gorbachev",
            source="factchecks/page.jsonld",
        ),
        FactCheck(
            url=f"{SITE}/cold-war/ended",
            claim_reviewed="The Cold War ended in 1991",
            rating="2.5",
            source="factchecks/page.jsonld",
        ),
    ]
    assert places(problems) == [
        ("factchecks/nothing.jsonld", None, "@graph"),
        ("factchecks/page.jsonld", None, "@graph.5.claimReviewed"),
    ]
    assert problems[0].reason == (
        "no node of @type ClaimReview (types found: WebPage, Organization); add the ClaimReview, or remove the file"
    )
    assert problems[1].reason == "empty; give the claim the fact-check reviews"


def test_json_lines_are_read_line_by_line_each_bad_line_refused_alone(tmp_path):
    secret = "https://jdoe:s3cretpass@factcheck.example.org/cold-war/wall?token=abc123&id=7"
    write(
        tmp_path,
        "feed.jsonl",
        lines(
            review(url=f"{SITE}/1", reviewRating={"alternateName": " Mostly true "}, datePublished="2019-04-03"),
            '{"claimReviewed": "NATO was founded in 1949", "url": ',
            review(url=f"{SITE}/3", claimReviewed=None),
            review(url="ftp://factcheck.example.org/4"),
            review(url=f"{SITE}/5", datePublished="2019-02-30"),
            review(url=secret, claimReviewed="The Berlin Wall fell in 1989", itemReviewed={"author": {"name": "X"}}),
            review(url=f"{SITE}/7", claimReviewed=f"As {secret} says, the wall fell"),
            review(url=f"{SITE}/1", headline="Same fact-check, again"),
            "",
            review(url=f"{SITE}/10", datePublished="3 April 2019", reviewRating={"ratingValue": 6, "bestRating": 5}),
            review(url=f"{SITE}/11", reviewRating={"alternateName": "False"}, author=7),
        ),
    )
    credentials = CredentialTally()
    fact_checks, problems = read_factchecks(tmp_path, credentials=credentials)
    claim = "There is no contradiction between a strong NATO and dialogue with Russia"
    assert fact_checks == [
        FactCheck(
            url=f"{SITE}/1",
            claim_reviewed=claim,
            rating="Mostly true",
            date_published=date(2019, 4, 3),
            source="factchecks/feed.jsonl:1",
        ),
        FactCheck(
            url=f"{SITE}/cold-war/wall?id=7",
            claim_reviewed="The Berlin Wall fell in 1989",
            claimant="X",
            source="factchecks/feed.jsonl:6",
        ),
    ]
    feed = "factchecks/feed.jsonl"
    assert places(problems) == [
        (feed, 2, ""),
        (feed, 3, "claimReviewed"),
        (feed, 4, "url"),
        (feed, 5, "datePublished"),
        (feed, 7, "claimReviewed"),
        (feed, 8, "url"),
        (feed, 10, "reviewRating.ratingValue"),
        (feed, 10, "datePublished"),
        (feed, 11, "author"),
    ]
    assert [p.article for p in problems] == [f"{feed}:{p.line}" for p in problems]
    reasons = [p.reason for p in problems]
    assert reasons[0].startswith("malformed JSON at column ")
    assert reasons[2] == (
        "expected an absolute http:// or https:// address, got 'ftp://factcheck.example.org/4'; give the web address"
    )
    assert reasons[3] == "impossible date '2019-02-30': February 2019 has 28 days"
    assert reasons[4] == (
        "character 3: a URL here holds a login (user:password@) and the parameter 'token'; texts are kept as "
        "written, never edited, so remove the credential"
    )
    assert reasons[5] == (f"the same url as {feed}:1, read already; each fact-check is read once: remove this one")
    assert reasons[6] == "6 is above the bestRating, 5; fix either"
    assert reasons[7] == "'3 April 2019' is not ISO 8601, as schema.org dates are: write 2019-04-03"
    assert reasons[8] == "expected an object with a name, a list of them or a name, got a number"
    assert credentials.report().model_dump() == {"urls": 1, "logins": 1, "parameters": {"token": 1}}


def test_no_credential_reaches_a_record_or_a_message(tmp_path):
    write(
        tmp_path,
        "feed.jsonl",
        lines(
            review(url="https://jdoe:s3cretpass@factcheck.example.org/a?access_token=tok3n"),
            review(url="https://factcheck.example.org/b;jsessionid=s3ss10n", headline="https://u:s3cretpass@x.org/"),
            review(url="ftp://jdoe:s3cretpass@factcheck.example.org/c?token=tok3n"),
            review(url="https://factcheck.example.org/a?access_token=other", claimReviewed="the same, read once"),
        ),
    )
    fact_checks, problems = read_factchecks(tmp_path)
    assert [f.url for f in fact_checks] == ["https://factcheck.example.org/a"]
    assert places(problems) == [
        ("factchecks/feed.jsonl", 2, "headline"),
        ("factchecks/feed.jsonl", 3, "url"),
        ("factchecks/feed.jsonl", 4, "url"),
    ]
    published = json.dumps([f.model_dump(mode="json") for f in fact_checks] + [p.model_dump() for p in problems])
    for secret in ("s3cretpass", "tok3n", "s3ss10n", "other"):
        assert secret not in published


def test_a_file_not_utf8_is_refused_and_a_line_not_utf8_alone(tmp_path):
    good = json.dumps(review(url=f"{SITE}/ok"))
    write(
        tmp_path,
        "latin1.json",
        json.dumps(review(claimReviewed="Détente began in 1969"), ensure_ascii=False).encode("latin-1"),
    )
    write(tmp_path, "mixed.jsonl", b"\xef\xbb\xbf" + good.encode() + b"\n" + '{"x": "é"}\n'.encode("cp1252"))
    fact_checks, problems = read_factchecks(tmp_path)
    assert [f.source for f in fact_checks] == ["factchecks/mixed.jsonl:1"]  # a byte order mark is read past
    assert places(problems) == [("factchecks/latin1.json", None, ""), ("factchecks/mixed.jsonl", 2, "")]
    assert problems[0].reason.startswith("not valid UTF-8 at byte ")
    assert problems[0].reason.endswith("(line 1); re-save the file as UTF-8")
    assert problems[1].reason == "not valid UTF-8 at byte 7 of the line; re-save the file as UTF-8"


def test_windows_line_breaks_count_lines_as_an_editor_does(tmp_path):
    crlf = lines(review(url=f"{SITE}/1"), "{oops", review(url=f"{SITE}/3")).replace("\n", "\r\n")
    write(tmp_path, "windows.jsonl", crlf.encode())
    fact_checks, problems = read_factchecks(tmp_path)
    assert [f.source for f in fact_checks] == ["factchecks/windows.jsonl:1", "factchecks/windows.jsonl:3"]
    assert places(problems) == [("factchecks/windows.jsonl", 2, "")]


def test_malformed_json_refuses_the_whole_file_naming_the_line(tmp_path):
    write(tmp_path, "broken.json", '[\n  {"claimReviewed": "x", "url": "https://a.org/"},\n  {"url": }\n]\n')
    write(tmp_path, "empty.json", "  \n")
    write(tmp_path, "scalar.json", "42")
    fact_checks, problems = read_factchecks(tmp_path)
    assert fact_checks == []
    assert places(problems) == [
        ("factchecks/broken.json", None, ""),
        ("factchecks/empty.json", None, ""),
        ("factchecks/scalar.json", None, ""),
    ]
    assert problems[0].reason == "malformed JSON at line 3 column 11: Expecting value; fix the file"
    assert problems[1].reason == "empty; put a ClaimReview in it, or remove the file"
    assert problems[2].reason == "expected a ClaimReview object, a list of them or a JSON-LD @graph, got a number"


def test_a_file_of_another_suffix_is_refused_naming_the_suffixes_read(tmp_path):
    write(tmp_path, "notes.txt", "to do: the Cold War ones")
    write(tmp_path, ".DS_Store", b"\x00\x01")  # hidden: passed over
    write(tmp_path, "UPPER.JSONL", lines(review()))
    fact_checks, problems = read_factchecks(tmp_path)
    assert [f.source for f in fact_checks] == ["factchecks/UPPER.JSONL:1"]
    assert places(problems) == [("factchecks/notes.txt", None, "")]
    assert all(suffix.lstrip(".") in problems[0].reason for suffix in FACTCHECK_SUFFIXES)
    assert problems[0].reason == (
        "not a fact-check file: factchecks/ holds schema.org ClaimReview as JSON-LD (*.json, *.jsonld) or JSON Lines "
        "(*.jsonl); rename the file if it is one, else move it out"
    )


def test_an_object_of_another_type_outside_a_graph_is_refused(tmp_path):
    write(tmp_path, "article.json", {"@type": "NewsArticle", "url": f"{SITE}/x", "claimReviewed": "x"})
    fact_checks, problems = read_factchecks(tmp_path)
    assert fact_checks == []
    assert places(problems) == [("factchecks/article.json", None, "@type")]
    assert problems[0].reason == "expected ClaimReview, got NewsArticle; only fact-checks belong in this folder"


def test_ratings_and_dates_that_are_not_what_they_say_are_refused_by_field(tmp_path):
    future = (date.today() + timedelta(days=2)).isoformat()
    write(
        tmp_path,
        "feed.jsonl",
        lines(
            review(url=f"{SITE}/1", reviewRating={"ratingValue": "four", "bestRating": 5}),
            review(url=f"{SITE}/2", reviewRating={"ratingValue": 0, "worstRating": 1, "bestRating": 5}),
            review(url=f"{SITE}/3", reviewRating={"bestRating": 5}),
            review(url=f"{SITE}/4", reviewRating="Mostly true"),
            review(url=f"{SITE}/5", datePublished=future),
            review(url=f"{SITE}/6", datePublished="04/03/2019"),
            review(url=f"{SITE}/7", datePublished=20190403),
            review(url=f"{SITE}/8", reviewRating={"alternateName": "True", "ratingValue": True}),
            review(url=f"{SITE}/9", itemReviewed="Jens Stoltenberg", author={"@type": "Organization"}),
        ),
    )
    fact_checks, problems = read_factchecks(tmp_path)
    assert fact_checks == []
    assert [(p.line, p.loc, p.reason) for p in problems] == [
        (1, "reviewRating.ratingValue", "expected a number, got 'four'; write the rating as digits, such as 4 or 2.5"),
        (2, "reviewRating.ratingValue", "0 is below the worstRating, 1; fix either"),
        (3, "reviewRating", "gives no verdict: add alternateName or ratingValue, or leave it out"),
        (4, "reviewRating", "expected a Rating object, got a string"),
        (5, "datePublished", f"{future} is in the future; check the date"),
        (
            6,
            "datePublished",
            "expected an ISO 8601 date (2024-03-05) or date-time (2024-03-05T10:00:00Z), got '04/03/2019'; write it so",
        ),
        (
            7,
            "datePublished",
            "expected an ISO 8601 date (2024-03-05) or date-time (2024-03-05T10:00:00Z) as a string, got a number",
        ),
        (8, "reviewRating.ratingValue", "expected a number, got a boolean"),
        (9, "author.name", "missing; give the person's or organisation's name"),
        (9, "itemReviewed", "expected a Claim object, got a string"),
    ]


def test_the_output_is_the_same_whatever_order_the_files_were_written_in(tmp_path):
    files = {
        "b.jsonl": lines(review(url=f"{SITE}/b1"), "{oops", review(url=f"{SITE}/shared")),
        "a.json": [review(url=f"{SITE}/a1"), review(url=f"{SITE}/shared")],
        "sub/c.jsonld": {"@graph": [review(url=f"{SITE}/c1"), review(url=f"{SITE}/shared")]},
        "z.csv": "url,claimReviewed\n",
    }
    outputs = []
    for order, names in enumerate([sorted(files), sorted(files, reverse=True), ["sub/c.jsonld", "z.csv", "a.json"]]):
        raw = tmp_path / str(order)
        for name in [*names, *sorted(set(files) - set(names))]:
            write(raw, name, files[name])
        outputs.append(read_factchecks(raw))
    assert outputs[0] == outputs[1] == outputs[2]
    fact_checks, problems = outputs[0]
    assert [f.source for f in fact_checks] == [
        "factchecks/a.json",
        "factchecks/a.json",
        "factchecks/b.jsonl:1",
        "factchecks/sub/c.jsonld",
    ]
    assert [f.url for f in fact_checks] == [f"{SITE}/a1", f"{SITE}/shared", f"{SITE}/b1", f"{SITE}/c1"]
    assert places(problems) == [
        ("factchecks/b.jsonl", 2, ""),
        ("factchecks/b.jsonl", 3, "url"),
        ("factchecks/sub/c.jsonld", None, "@graph.1.url"),
        ("factchecks/z.csv", None, ""),
    ]
    assert problems[2].reason.startswith("the same url as factchecks/a.json (record 1), read already")


def test_a_factchecks_path_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "factchecks").write_text("{}", encoding="utf-8")
    assert places(read_factchecks(tmp_path)[1]) == [("factchecks", None, "")]


def test_every_field_of_a_fact_check_is_described_for_its_json_schema():
    properties = FactCheck.model_json_schema()["properties"]
    assert list(properties) == [
        "url",
        "claim_reviewed",
        "headline",
        "rating",
        "date_published",
        "author",
        "claimant",
        "source",
    ]
    assert all(field.get("description") for field in properties.values())


# Properties over generated values: each JSONL line is read from a fresh folder, since hypothesis runs the test
# body many times and a function-scoped tmp_path would be shared between them.


def read_line(record: dict[str, Any]) -> tuple[list[FactCheck], list[Rejection]]:
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder)
        write(raw, "feed.jsonl", lines(record))
        return read_factchecks(raw)


OFFSETS = st.sampled_from(["", "Z", "+00:00", "-05:00", "+0530", "+14:00"])
TIMES = st.times().map(lambda t: t.isoformat(timespec="seconds"))


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    time=st.none() | TIMES,
    offset=OFFSETS,
    separator=st.sampled_from(["T", " "]),
    padding=st.sampled_from(["", " ", "\n"]),
)
def test_an_iso_date_or_date_time_keeps_its_date_as_written(day, time, offset, separator, padding):
    written = day.isoformat() if time is None else f"{day.isoformat()}{separator}{time}{offset}"
    fact_checks, problems = read_line(review(datePublished=padding + written + padding))
    assert problems == []
    assert [f.date_published for f in fact_checks] == [day]  # never moved to another time zone


@settings(max_examples=40, deadline=None)
@given(year=st.integers(1900, 2020), month=st.integers(1, 12), day=st.integers(29, 99))
def test_an_iso_shaped_date_that_is_no_calendar_date_is_refused(year, month, day):
    written = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        date(year, month, day)
    except ValueError:
        fact_checks, problems = read_line(review(datePublished=written))
        assert fact_checks == []
        assert [(p.loc, p.reason.startswith(f"impossible date {written!r}")) for p in problems] == [
            ("datePublished", True)
        ]


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    worst=st.integers(-10, 10),
    span=st.integers(0, 20),
    as_string=st.booleans(),
)
def test_a_number_rating_reads_as_value_out_of_best(data, worst, span, as_string):
    best = worst + span
    value = data.draw(st.integers(worst, best))
    fact_checks, problems = read_line(
        review(
            reviewRating={
                "ratingValue": str(value) if as_string else value,
                "bestRating": best,
                "worstRating": worst,
            }
        )
    )
    assert problems == []
    assert [f.rating for f in fact_checks] == [f"{value}/{best}"]


@settings(max_examples=60, deadline=None)
@given(
    name=st.text(min_size=1).filter(lambda s: s.strip() and "://" not in s and "www." not in s.lower()),
    value=st.none() | st.integers(1, 5),
)
def test_an_alternate_name_is_the_rating_as_written(name, value):
    fact_checks, problems = read_line(review(reviewRating={"alternateName": name, "ratingValue": value}))
    assert problems == []
    assert [f.rating for f in fact_checks] == [name.strip()]
