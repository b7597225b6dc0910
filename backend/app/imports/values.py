"""Normalise spreadsheet text into what the ingest items expect.

Dates arrive as ``2024-03-05``, ``2024/03/05``, ``03/05/2024`` (or day-first
``05/03/2024``), ``05.03.2024``, ``20240305``; timestamps also as ``2023-07-28 3:00``
(no leading zero, no seconds) or ISO 8601 with a zone. Numbers may carry currency signs
and thousands separators. A value that matches no format is passed through unchanged,
so the item validation rejects it with the field's name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

DATE_FIELDS = frozenset({"signup_date", "contract_start", "renewal_date", "date", "start_date", "end_date"})
TIMESTAMP_FIELDS = frozenset(
    {
        "onboarding_completed_at",
        "first_value_at",
        "timestamp",
        "opened_at",
        "first_response_at",
        "resolved_at",
        "sla_due_at",
        "responded_at",
        "occurred_at",
        "issued_at",
        "due_at",
        "paid_at",
    }
)
NUMBER_FIELDS = frozenset(
    {
        "arr",
        "mrr",
        "unit_amount",
        "amount",
        "quantity",
        "seats_purchased",
        "seat_limit",
        "api_call_limit",
        "events",
        "active_users",
        "minutes",
        "api_calls",
        "duration_seconds",
        "score",
        "csat",
    }
)
LIST_FIELDS = frozenset({"domains"})

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
_NUMBER = re.compile(r"^[+-]?[\d,]*\.?\d+$")


def _slash_date(text: str, day_first: bool) -> datetime | None:
    fmt = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    for suffix in ("", " %H:%M", " %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt + suffix)  # noqa: DTZ007 - made UTC by the caller
        except ValueError:
            continue
    return None


def parse_date(text: str, day_first: bool = False) -> str:
    text = text.strip()
    if not text:
        return text
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a date has no zone
        except ValueError:
            continue
    slash = _slash_date(text, day_first)
    if slash is not None:
        return slash.date().isoformat()
    try:  # a timestamp in a date column: keep its date
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        return text


def parse_timestamp(text: str, day_first: bool = False) -> str:
    text = text.strip()
    if not text:
        return text
    value: datetime | None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
        for fmt in _TIME_FORMATS:
            try:
                value = datetime.strptime(text, fmt)  # noqa: DTZ007 - naive means UTC here
                break
            except ValueError:
                continue
        if value is None:
            value = _slash_date(text, day_first)
        if value is None:
            try:
                value = datetime.fromisoformat(parse_date(text, day_first))
            except ValueError:
                return text
    assert value is not None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def parse_number(text: str) -> str:
    cleaned = text.strip().replace(" ", "").lstrip("$€£").replace("\u00a0", "")
    return cleaned.replace(",", "") if _NUMBER.match(cleaned) else text.strip()


def normalise(field: str, text: str, day_first: bool = False) -> object:
    if field in DATE_FIELDS:
        return parse_date(text, day_first)
    if field in TIMESTAMP_FIELDS:
        return parse_timestamp(text, day_first)
    if field in NUMBER_FIELDS:
        return parse_number(text)
    if field in LIST_FIELDS:
        return [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    return text
