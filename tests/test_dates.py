"""Dates as users write them: each accepted form read to its date and named, every refusal saying what to write;
and, through ``factpack build`` on real files, what a user sees of it (the published date, its source, the one-line
refusal)."""

from __future__ import annotations

import calendar
import json
import subprocess
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.dates import DateForm, read_date
from builder.models import ExcludedKind
from conftest import rows_of, write_article

F = DateForm
KINDS = [kind.value for kind in ExcludedKind]  # a span's kind is published as its ClassLabel index


@pytest.mark.parametrize(
    ("written", "read", "form"),
    [
        ("2024-03-05", date(2024, 3, 5), None),
        ("2024-03-05T23:30:00-05:00", date(2024, 3, 5), None),  # the date as written, not moved to UTC
        ("2024-03-05 08:15:00", date(2024, 3, 5), None),
        ("2024-03-05T00:10:00.250Z", date(2024, 3, 5), None),
        ("Tue, 05 Mar 2024 10:00:00 +0000", date(2024, 3, 5), F.RFC2822),
        ("Tue, 5 Mar 2024 23:59 -0800", date(2024, 3, 5), F.RFC2822),
        ("05 Mar 2024 10:00:00 GMT", date(2024, 3, 5), F.RFC2822),
        ("5 March 2024", date(2024, 3, 5), F.DAY_MONTH_YEAR),
        ("5th Sept 2024", date(2024, 9, 5), F.DAY_MONTH_YEAR),
        ("Thursday, 5 September 2024", date(2024, 9, 5), F.DAY_MONTH_YEAR),
        ("March 5, 2024", date(2024, 3, 5), F.MONTH_DAY_YEAR),
        ("Sept. 5 2024", date(2024, 9, 5), F.MONTH_DAY_YEAR),
        ("mar 5, 2024", date(2024, 3, 5), F.MONTH_DAY_YEAR),
        (" 2024-03-05\n", date(2024, 3, 5), None),
    ],
)
def test_each_unambiguous_form_is_read_and_named(written, read, form):
    assert read_date(written) == (read, form)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("03/05/2024", "ambiguous date '03/05/2024': write 2024-03-05 or 2024-05-03 (YYYY-MM-DD)"),
        ("3.5.2024", "ambiguous date '3.5.2024': write 2024-03-05 or 2024-05-03 (YYYY-MM-DD)"),
        ("13/05/2024", "date '13/05/2024' is not in ISO form: write 2024-05-13 (YYYY-MM-DD)"),
        ("05/05/2024", "date '05/05/2024' is not in ISO form: write 2024-05-05 (YYYY-MM-DD)"),
        ("2024/3/5", "date '2024/3/5' is not in ISO form: write 2024-03-05 (YYYY-MM-DD)"),
        ("03/05/24", "ambiguous date '03/05/24': the year is not written in full; write it as YYYY-MM-DD"),
        ("31/02/2024", "impossible date '31/02/2024': no reading of it is a calendar date; write it as YYYY-MM-DD"),
        ("31 February 2024", "impossible date '31 February 2024': February 2024 has 29 days"),
        ("February 29, 2023", "impossible date 'February 29, 2023': February 2023 has 28 days"),
        ("2024-02-30", "impossible date '2024-02-30': February 2024 has 29 days"),
        ("2014-13-01", "impossible date '2014-13-01': there is no month 13 (months are 01 to 12)"),
        ("0000-01-01", "impossible date '0000-01-01': year 0 is not a calendar year"),
        ("5 Marchy 2024", "no such month 'Marchy' in '5 Marchy 2024'; write the date as YYYY-MM-DD"),
        (
            "Mon, 05 Mar 2024 10:00:00 +0000",
            "the weekday does not match in 'Mon, 05 Mar 2024 10:00:00 +0000': 2024-03-05 is a Tuesday; correct the day "
            "or the date",
        ),
        (
            "Someday, 5 March 2024",
            "no such weekday 'Someday' in 'Someday, 5 March 2024'; write the date as 2024-03-05",
        ),
        (
            "yesterday",
            "expected a date like 2024-03-05 (YYYY-MM-DD), 5 March 2024, March 5, 2024 or an RFC 2822 time "
            "(Tue, 05 Mar 2024 10:00:00 +0000), got 'yesterday'",
        ),
    ],
)
def test_an_ambiguous_impossible_or_unknown_date_is_refused_saying_what_to_write(written, reason):
    with pytest.raises(ValueError) as refused:
        read_date(written)
    assert str(refused.value) == reason


DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
MONTH_NAMES = [calendar.month_name, calendar.month_abbr]


@settings(deadline=None)
@given(DAYS, st.sampled_from(MONTH_NAMES), st.booleans(), st.booleans())
def test_any_calendar_date_written_with_its_month_named_reads_back(day, names, day_first, weekday):
    month, year = names[day.month], f"{day.year:04d}"
    written = f"{day.day} {month} {year}" if day_first else f"{month} {day.day}, {year}"
    if weekday:
        written = f"{calendar.day_name[day.weekday()]}, {written}"
    assert read_date(written) == (day, F.DAY_MONTH_YEAR if day_first else F.MONTH_DAY_YEAR)
    stamp = f"{calendar.day_abbr[day.weekday()]}, {day.day:02d} {calendar.month_abbr[day.month]} {year} 10:00:00 +0000"
    assert read_date(stamp) == (day, F.RFC2822)
    assert read_date(day.isoformat()) == (day, None)


@settings(deadline=None)
@given(DAYS.filter(lambda d: d.day <= 12 and d.day != d.month), st.sampled_from("/."))
def test_a_numeric_date_that_reads_two_ways_names_both_and_is_never_read(day, separator):
    written = f"{day.month:02d}{separator}{day.day:02d}{separator}{day.year:04d}"
    swapped = date(day.year, day.day, day.month)
    with pytest.raises(ValueError) as refused:
        read_date(written)
    assert str(refused.value) == (
        f"ambiguous date {written!r}: write {day.isoformat()} or {swapped.isoformat()} (YYYY-MM-DD)"
    )


@settings(deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_value_error(text):
    try:
        day, _ = read_date(text)
    except ValueError as refused:
        assert str(refused)
    else:
        assert isinstance(day, date)


def factpack(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["factpack", *args], capture_output=True, text=True, cwd=cwd, check=False)


def datelined(rise: int = 4) -> str:
    return (
        "Taxes to rise\n\n"
        f"SPRINGFIELD, March 3, 2024 — The mayor said on Tuesday that property taxes will rise by {rise} percent next "
        "year.\n\nThe council will vote on the budget in April.\n"
    )


def test_a_build_reads_the_forms_a_user_writes_and_says_which_form_it_read(tmp_path):
    raw = tmp_path / "raw"
    write_article(raw, "dateline", datelined(4))
    write_article(raw, "crawled", datelined(5), json.dumps({"published": "Tue, 05 Mar 2024 10:00:00 +0000"}))
    write_article(raw, "spelled", datelined(6), json.dumps({"published": "5 March 2024"}))
    write_article(raw, "iso", datelined(7), json.dumps({"published": "2024-03-06"}))
    done = factpack("build", "raw", "--out", "dist", "--no-cache", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = {
        row["article_id"]: (row["published"].isoformat(), row["field_sources"]["published"], row["dateline"])
        for row in rows_of(tmp_path / "dist", "articles")
    }
    assert seen == {
        "dateline": ("2024-03-03", "text:3:month-day-year", "SPRINGFIELD"),
        "crawled": ("2024-03-05", "sidecar:rfc2822", "SPRINGFIELD"),
        "spelled": ("2024-03-05", "sidecar:day-month-year", "SPRINGFIELD"),
        "iso": ("2024-03-06", "sidecar", "SPRINGFIELD"),
    }
    (article,) = [row for row in rows_of(tmp_path / "dist", "articles") if row["article_id"] == "dateline"]
    text = article["text"]
    cut = [text[span["start"] : span["end"]] for span in article["excluded"] if KINDS[span["kind"]] == "dateline"]
    assert cut == ["SPRINGFIELD, March 3, 2024 — "]
    claims = [claim for claim in rows_of(tmp_path / "dist", "claims") if claim["article_id"] == "dateline"]
    assert sorted(claim["text"] for claim in claims) == [
        "The council will vote on the budget in April.",
        "property taxes will rise by 4 percent next year",
    ]
    assert all(text[claim["char_start"] : claim["char_end"]] == claim["text"] for claim in claims)
    assert {claim["published"].isoformat() for claim in claims} == {"2024-03-03"}


def test_a_build_refuses_an_ambiguous_date_in_one_line_naming_the_sidecar_and_the_iso_forms(tmp_path):
    raw = tmp_path / "raw"
    write_article(raw, "a", datelined(), json.dumps({"published": "03/05/2024"}))
    done = factpack("build", "raw", "--out", "dist", "--no-cache", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "articles/a.json: published: ambiguous date '03/05/2024': write 2024-03-05 or 2024-05-03 (YYYY-MM-DD)"
    )
    assert not (tmp_path / "dist").exists()
