"""What every record shares: a frozen, strict base class and the validated value types of curated fields."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema

from builder.dates import read_date

__all__ = ["HttpUrl", "IsoDate", "LanguageTag", "PublishedDate", "Record", "in_future", "today"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def _iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` strings (or dates); a timestamp's date part is its calendar date.

    pydantic's lax mode would also take integers as Unix times, which no curator means.
    """
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string like 2014-10-06, got {type(value).__name__}")
    if _ISO_DATE.fullmatch(value):
        return value
    stamp = _ISO_DATETIME.fullmatch(value)
    if stamp:
        return stamp.group(1)
    raise ValueError(f"expected an ISO date like 2014-10-06, got {value!r}")


def _published_date(value: Any) -> Any:
    """An article's publication date in any form :mod:`builder.dates` reads one way (ISO, RFC 2822, the month
    spelled out); ambiguous and impossible dates are refused saying what to write."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date string like 2014-10-06, got {type(value).__name__}")
    return read_date(value)[0]


def _http_url(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an http(s) URL string, got {type(value).__name__}")
    if not _URL.fullmatch(value):
        raise ValueError(f"expected an absolute http:// or https:// URL, got {value!r}")
    return value


def _language(value: Any) -> Any:
    if value is None:
        return value
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value):
        raise ValueError(f"expected a BCP 47 language tag such as 'en' or 'pt-BR', got {value!r}")
    return value


def today() -> date:
    """The day a record is validated on (the local calendar's)."""
    return date.today()


def in_future(value: date) -> bool:
    """Later than :func:`today`: no date of publication is."""
    return value > today()


def _not_in_future(value: date | None) -> date | None:
    if value is not None and in_future(value):
        raise ValueError(f"{value.isoformat()} is in the future; check the date")
    return value


IsoDate = Annotated[date | None, BeforeValidator(_iso_date), AfterValidator(_not_in_future)]
PublishedDate = Annotated[
    date | None,
    BeforeValidator(_published_date),
    AfterValidator(_not_in_future),
    # What a curator may write, not what is published (always YYYY-MM-DD): a string in one of the forms above.
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "null"}]}),
]
HttpUrl = Annotated[str | None, BeforeValidator(_http_url)]
LanguageTag = Annotated[str | None, BeforeValidator(_language)]


class Record(BaseModel):
    """A record: unknown fields are refused and a record never changes once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)
