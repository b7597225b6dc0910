"""Shared value types for request schemas.

Dates have bounds, so nothing downstream meets a year 1 or 9999 (date arithmetic on them
overflows in Python, and history scoring cannot subtract PostgreSQL's infinite dates):

* ``SignalDate`` / ``SignalDateTime``: a date in data a source sends (events, usage days,
  tickets, invoices, subscriptions, surveys, account and contract dates; FX rates' days,
  product feedback's times): from 1970-01-01 to 10 years after today (contracts and
  renewals are signed that far ahead at most). A timestamp is checked as the instant it
  names (with its own offset) before anything converts it to UTC.
* ``QueryDate``: a date a request asks about (``as_of``, ``from``, ``to``) or a person
  types (a task's due date): from 1970-01-01 to 2200-12-31.

Each refusal says the range; the JSON Schema shows it (``formatMinimum``/``formatMaximum``,
and a description where the end moves with today).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, Field

EARLIEST = date(1970, 1, 1)
SIGNAL_YEARS_AHEAD = 10
QUERY_LATEST = date(2200, 12, 31)
_EARLIEST_INSTANT = datetime.combine(EARLIEST, time(), UTC)


def signal_latest(today: date | None = None) -> date:
    """The last date a signal may carry: ``SIGNAL_YEARS_AHEAD`` years after today (UTC)."""
    today = today or datetime.now(UTC).date()
    try:
        return today.replace(year=today.year + SIGNAL_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + SIGNAL_YEARS_AHEAD, day=28)


def signal_range() -> str:
    """``from 1970-01-01 to 2036-12-05 (10 years from today)``: the words of every refusal."""
    return f"from {EARLIEST.isoformat()} to {signal_latest().isoformat()} ({SIGNAL_YEARS_AHEAD} years from today)"


def signal_date(value: date) -> date:
    if not EARLIEST <= value <= signal_latest():
        raise ValueError(f"must be a date {signal_range()}")
    return value


def signal_datetime(value: datetime) -> datetime:
    # Compared as instants: aware datetimes compare without being converted, so a year-1
    # time with an offset cannot overflow here. Naive ones are read as UTC, as ingest does.
    instant = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    after = datetime.combine(signal_latest() + timedelta(days=1), time(), UTC)
    if not _EARLIEST_INSTANT <= instant < after:
        raise ValueError(f"must be a time {signal_range()}")
    return value


def query_date(value: date) -> date:
    if not EARLIEST <= value <= QUERY_LATEST:
        raise ValueError(f"must be a date from {EARLIEST.isoformat()} to {QUERY_LATEST.isoformat()}")
    return value


_SIGNAL_DOC = f"From {EARLIEST.isoformat()} to {SIGNAL_YEARS_AHEAD} years after today"
_SIGNAL_MIN: dict[str, Any] = {"formatMinimum": EARLIEST.isoformat()}
_SIGNAL_MIN_TIME: dict[str, Any] = {"formatMinimum": f"{EARLIEST.isoformat()}T00:00:00Z"}

SignalDate = Annotated[date, AfterValidator(signal_date), Field(description=_SIGNAL_DOC, json_schema_extra=_SIGNAL_MIN)]
SignalDateTime = Annotated[
    datetime, AfterValidator(signal_datetime), Field(description=_SIGNAL_DOC, json_schema_extra=_SIGNAL_MIN_TIME)
]
QueryDate = Annotated[
    date,
    AfterValidator(query_date),
    Field(json_schema_extra={"formatMinimum": EARLIEST.isoformat(), "formatMaximum": QUERY_LATEST.isoformat()}),
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise ValueError("not an email address (expected name@domain.tld)")
    return value


# Self-hosted installs use internal domains (.local, .internal, .test) that strict
# validators refuse as "special use"; Tempo only needs the shape of an address.
Email = Annotated[str, Field(min_length=3, max_length=320), AfterValidator(_email)]


_HOST = re.compile(r"^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def domain(text: str) -> str:
    """``https://www.Acme.com:443/pricing?x`` -> ``acme.com``; the host as people mean it.

    Lower-cased; scheme, credentials, port, path, query and a trailing dot dropped;
    one leading ``www.`` (or ``www2.``...) removed. Anything that is not a host name
    afterwards is refused with the reason.
    """
    host = text.strip().lower()
    if "://" in host:
        host = host.split("://", 1)[1]
    host = re.split(r"[/?#]", host, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].rstrip(".")
    host = re.sub(r"^www\d*\.", "", host)
    if not _HOST.match(host):
        raise ValueError(f"'{text.strip()}' is not a domain name (expected e.g. acme.com)")
    return host


def split_domains(value: object) -> object:
    """One cell may hold several domains separated by commas, semicolons or spaces."""
    if isinstance(value, str):
        return [p for p in re.split(r"[,;\s]+", value) if p]
    return value


Domain = Annotated[str, Field(min_length=1, max_length=2048), AfterValidator(domain)]


def storable(text: str) -> str:
    """``text`` with NUL characters and unpaired surrogates written as escapes, for messages
    and ids that are stored (a rejection must be storable even when its item was not)."""
    return text.replace("\x00", "\\u0000").encode("utf-8", "backslashreplace").decode("utf-8")


def unstorable(value: object, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in ``value`` (nested dicts and lists) a text holds what PostgreSQL cannot store:
    a NUL character or an unpaired surrogate (JSON allows both). None when all is storable."""
    if isinstance(value, str):
        if "\x00" in value:
            return path
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            name = storable(str(key))
            where = unstorable(key, (*path, name[:50])) or unstorable(item, (*path, name))
            if where is not None:
                return where
    elif isinstance(value, list):
        for index, item in enumerate(value):
            where = unstorable(item, (*path, index))
            if where is not None:
                return where
    return None


UNSTORABLE = "text with a NUL character (\\u0000) or an unpaired surrogate cannot be stored"
