"""Read dates and timestamps as exports write them.

Dates: ISO ``2024-03-05``, ``2024/03/05``, ``05.03.2024``, ``20240305``, month names
(``Jan 5, 2025``, ``January 5 2025``, ``5 Jan 2025``, ``05-Jan-2025``) and slashed or
dashed numbers (``3/5/2024``, US order unless ``day_first``; two-digit years are
20xx). Times after the date: ``14:22``, ``3:00`` (no leading zero), ``14:22:10.5``,
``9:14 AM``, with ``T``, a space, a comma or ``at`` between. Zones: ISO offsets, ``Z``,
``UTC``/``GMT``, and ``+0100`` after a space (Zendesk). A naive time is read as UTC.
Text that is none of these comes back unchanged so validation can name it.

Range: what is read here goes through the ingest item's own check (``core.types``:
1970-01-01 to 10 years after today), so an import refuses exactly what the API refuses,
with the same words. Dates outside it are not guessed at: the ``0001-01-01``, ``1900-01-01``
or ``1899-12-30`` some exports write for "no date" are out of range like any other. In an
optional column (a renewal date, a resolved time) that costs the field, not the row: it
is left out with a warning naming the column, the cell and the range (and advice to map
the placeholder to empty); in a required one (an event's time, a ticket's opening) the row
is rejected with that message. A value mapping (``{"0001-01-01": null}``) leaves such a
placeholder out quietly.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

_ISO_DATES = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
_NAMED_DATES = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b. %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%a, %d %b %Y",
    "%a %b %d %Y",
)
_TIME = re.compile(
    r"(?:\s*T|\s*,?\s+|\s+at\s+)(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?)?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?$",
    re.IGNORECASE,
)
_ZONE = re.compile(r"\s*(?:(?P<utc>Z|UTC|GMT)|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))$", re.IGNORECASE)
_NUMERIC = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$")


def _zone(text: str) -> tuple[str, timezone | None]:
    """Split a trailing zone off a timestamp (only after a time, so dates keep their dashes)."""
    if ":" not in text:
        return text, None
    found = _ZONE.search(text)
    if not found:
        return text, None
    if found["utc"]:
        return text[: found.start()], UTC
    offset = timedelta(hours=int(found["oh"]), minutes=int(found["om"]))
    return text[: found.start()], timezone(-offset if found["sign"] == "-" else offset)


def _time(text: str) -> tuple[str, time | None]:
    found = _TIME.search(text)
    if not found or found.start() == 0:
        return text, None
    hour, minute = int(found["h"]), int(found["m"])
    if found["ampm"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for AM/PM")
        hour = hour % 12 + (12 if found["ampm"].lower().startswith("p") else 0)
    fraction = int((found["f"] or "0").ljust(6, "0"))
    return text[: found.start()].strip(), time(hour, minute, int(found["s"] or 0), fraction)


def _numeric_date(text: str, day_first: bool) -> date | None:
    found = _NUMERIC.match(text)
    if not found:
        return None
    first, second, year = int(found[1]), int(found[2]), int(found[3])
    if year < 100:
        year += 2000
    day, month = (first, second) if day_first else (second, first)
    return date(year, month, day)


def _date(text: str, day_first: bool) -> date | None:
    for fmt in (*_ISO_DATES, *_NAMED_DATES):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date has no zone
        except ValueError:
            continue
    return _numeric_date(text, day_first)


def read_datetime(text: str, day_first: bool = False) -> tuple[date, time | None, timezone | None] | None:
    """(date, time or None, zone or None) of a cell, or None when it is not a date."""
    text = " ".join(text.split())
    try:
        iso = datetime.fromisoformat(text.replace("Z", "+00:00"))
        zone = iso.tzinfo if isinstance(iso.tzinfo, timezone) else None
        return iso.date(), (iso.time() if len(text) > 10 else None), zone
    except ValueError:
        pass
    try:
        body, zone = _zone(text)
        body, clock = _time(body)
        day = _date(body, day_first)
    except ValueError:  # 31/02, 13 PM, ...
        return None
    return (day, clock, zone) if day is not None else None


def parse_date(text: str, day_first: bool = False) -> str:
    """``"Jan 5, 2025"`` -> ``"2025-01-05"``; a timestamp keeps its date as written."""
    found = read_datetime(text, day_first)
    return found[0].isoformat() if found else text.strip()


def parse_timestamp(text: str, day_first: bool = False) -> str:
    """``"2025-03-04 14:22:10 +0100"`` -> ``"2025-03-04T13:22:10+00:00"``; naive is UTC."""
    found = read_datetime(text, day_first)
    if found is None:
        return text.strip()
    day, clock, zone = found
    value = datetime.combine(day, clock or time(0), tzinfo=zone or UTC)
    try:
        return value.astimezone(UTC).isoformat()
    except OverflowError:  # year 1 or 9999 with an offset: as written, for validation to refuse
        return value.isoformat()
