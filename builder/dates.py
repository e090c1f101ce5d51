"""Dates as people and crawlers write them: which forms a ``published`` value may take, and what each means.

A date is accepted only in a form that can be read one way: ISO 8601 (``2024-03-05``, or a date-time such as
``2024-03-05T23:30:00-05:00``, whose date is kept as written, never moved to another time zone), RFC 2822/5322 as
feeds and crawlers write it (``Tue, 05 Mar 2024 10:00:00 +0000``, date kept as written too), and the month
spelled out (``5 March 2024``, ``March 5, 2024``, ``Sept. 5 2024``, ``5th Mar 2024``). An all-numeric date
other than ISO (``03/05/2024``, ``3.5.2024``) is read day-first in some countries and month-first in others, so
it is refused with the ISO form(s) it could mean; an impossible date (``31 February 2024``) is refused saying
why, and so is a weekday that does not fall on the date.

:func:`read_date` returns the date and the form it was read in: the form a ``field_sources`` value names after
its source (``sidecar:rfc2822``, ``text:3:month-day-year``). ISO 8601, date or date-time, is the canonical form and
is not named, so a source without a form says the date was written that way.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum

__all__ = ["DateForm", "read_date"]


class DateForm(StrEnum):
    """A form a date was written in, other than ISO 8601 (``YYYY-MM-DD``, or a date-time)."""

    RFC2822 = "rfc2822"
    DAY_MONTH_YEAR = "day-month-year"
    MONTH_DAY_YEAR = "month-day-year"


_MONTH_NAMES = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH_NAMES |= {name[:3]: number for name, number in _MONTH_NAMES.items()} | {"sept": 9}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name[:3]: number for name, number in _WEEKDAYS.items()}

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?P<weekday>[A-Za-z]{3,9})\.?,?\s+)?"
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")
_ISO_DATETIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_RFC2822 = re.compile(
    rf"{_WEEKDAY}(?P<day>\d{{1,2}})\s+{_MONTH}\s+{_YEAR}\s+\d{{2}}:\d{{2}}(?::\d{{2}})?"
    r"(?:\s*(?:[+-]\d{4}|UTC?|GMT|Z|[ECMP][SD]T))?"
)
_DAY_MONTH_YEAR = re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}")
_MONTH_DAY_YEAR = re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}")
_NUMERIC = re.compile(r"(?P<a>\d{1,4})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})")


def read_date(value: str) -> tuple[date, DateForm | None]:
    """The date ``value`` writes and its form (None for ISO 8601); ValueError saying why and what to write
    when it is no date, an ambiguous one or an impossible one."""
    written = value.strip()
    for pattern, form in (
        (_ISO_DATE, None),
        (_ISO_DATETIME, None),
        (_RFC2822, DateForm.RFC2822),
        (_DAY_MONTH_YEAR, DateForm.DAY_MONTH_YEAR),
        (_MONTH_DAY_YEAR, DateForm.MONTH_DAY_YEAR),
    ):
        found = pattern.fullmatch(written)
        if found is None:
            continue
        parts = found.groupdict()
        month = _month(parts["month"], written)
        day = _calendar_date(int(parts["year"]), month, int(parts["day"]), written)
        weekday = parts.get("weekday")
        if weekday is not None:
            _check_weekday(day, weekday, written)
        return day, form
    numeric = _NUMERIC.fullmatch(written)
    if numeric is not None:
        raise ValueError(_numeric_reason(written, numeric))
    raise ValueError(
        f"expected a date like 2024-03-05 (YYYY-MM-DD), 5 March 2024, March 5, 2024 or an RFC 2822 time "
        f"(Tue, 05 Mar 2024 10:00:00 +0000), got {value!r}"
    )


def _month(name: str, written: str) -> int:
    if name.isdigit():
        number = int(name)
        if 1 <= number <= 12:
            return number
        raise ValueError(f"impossible date {written!r}: there is no month {number} (months are 01 to 12)")
    named = _MONTH_NAMES.get(name.lower())
    if named is None:
        raise ValueError(f"no such month {name!r} in {written!r}; write the date as YYYY-MM-DD")
    return named


def _calendar_date(year: int, month: int, day: int, written: str) -> date:
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if year < 1 or not 1 <= day <= days:
        name = calendar.month_name[month]
        why = f"year {year} is not a calendar year" if year < 1 else f"{name} {year} has {days} days"
        raise ValueError(f"impossible date {written!r}: {why}")
    return date(year, month, day)


def _check_weekday(day: date, weekday: str, written: str) -> None:
    number = _WEEKDAYS.get(weekday.lower())
    actual = calendar.day_name[day.weekday()]
    if number is None:
        raise ValueError(f"no such weekday {weekday!r} in {written!r}; write the date as {day.isoformat()}")
    if number != day.weekday():
        raise ValueError(
            f"the weekday does not match in {written!r}: {day.isoformat()} is a {actual}; correct the day or the date"
        )


def _numeric_reason(written: str, numeric: re.Match[str]) -> str:
    a, b, c = (numeric.group(name) for name in ("a", "b", "c"))
    if len(a) == 4:  # year first: only year-month-day is in use
        meanings = _iso_forms(int(a), [(int(b), int(c))])
    elif len(c) == 4:
        meanings = _iso_forms(int(c), [(int(a), int(b)), (int(b), int(a))])
    else:
        return f"ambiguous date {written!r}: the year is not written in full; write it as YYYY-MM-DD"
    if not meanings:
        return f"impossible date {written!r}: no reading of it is a calendar date; write it as YYYY-MM-DD"
    if len(meanings) > 1:
        return f"ambiguous date {written!r}: write {' or '.join(meanings)} (YYYY-MM-DD)"
    return f"date {written!r} is not in ISO form: write {meanings[0]} (YYYY-MM-DD)"


def _iso_forms(year: int, month_days: list[tuple[int, int]]) -> list[str]:
    """The ISO dates the (month, day) readings give in ``year``, in order, each once, impossible ones left out."""
    forms: list[str] = []
    for month, day in month_days:
        if 1 <= month <= 12 and year >= 1 and 1 <= day <= calendar.monthrange(year, month)[1]:
            iso = date(year, month, day).isoformat()
            if iso not in forms:
                forms.append(iso)
    return forms
