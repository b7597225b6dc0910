"""Turn a spreadsheet cell into what the ingest item expects, field by field.

Each field's type is read off the item model (``ITEM_MODELS``), and so is the sentence
that tells a person what the field takes (``describe``): dates and timestamps
(``dates``), numbers (``numbers``), booleans, enums (case-insensitive, with the synonyms
below), domains (split on commas, semicolons or spaces), emails (``Jane <jane@x.com>``
-> ``jane@x.com``) and the tickets' CSAT (words, below). Before that, a value mapping
(``{field: {source text: target}}``, matched case-insensitively and trimmed) translates a
cell; a ``None`` target leaves the field out. A cell that matches nothing comes back
unchanged so validation names the field and the value.

CSAT words (Tempo's scale is 1-5): Zendesk's ``Good`` is 5 and ``Bad`` is 1, so a
binary score averages to 1 + 4 x the share of good ratings; ``Offered``, ``Unoffered``
and ``Not offered`` mean no rating and leave the field out.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Final, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from app.core.enums import (
    BillingInterval,
    ContactRole,
    InvoiceStatus,
    Sentiment,
    SurveyKind,
    TicketStatus,
    TouchpointKind,
)
from app.core.types import split_domains
from app.imports.dates import parse_date, parse_timestamp
from app.imports.numbers import parse_number
from app.ingest.schemas import ITEM_MODELS, MAX_INT, Kind

__all__ = [
    "OMIT",
    "ValueMaps",
    "choices",
    "describe",
    "field_type",
    "finish_item",
    "from_cells",
    "normalise",
    "parse_date",
    "parse_timestamp",
]


class _Omit:
    """A cell that means "no value": the field is left out of the item."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()
ValueMaps = dict[str, dict[str, Any]]  # field -> {value key: target}


class FieldType(StrEnum):
    text = "text"
    date = "date"
    timestamp = "timestamp"
    number = "number"
    boolean = "boolean"
    choice = "choice"
    interval = "interval"
    domains = "domains"
    list = "list"  # several values in one cell, split by the item model
    email = "email"
    csat = "csat"
    priority = "priority"


def value_key(text: str) -> str:
    """How source values are compared: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(text.split()).casefold()


def _words(text: str) -> str:
    """Enum matching is looser still: ``On-hold``, ``on_hold`` and ``On hold`` are one word."""
    return " ".join(re.sub(r"[-_/]+", " ", text).split()).casefold()


_SYNONYMS: dict[type[StrEnum], dict[str, str]] = {
    TicketStatus: {
        "new": "open",
        "in progress": "open",
        "active": "open",
        "hold": "pending",
        "on hold": "pending",
        "waiting": "pending",
        "waiting on customer": "pending",
        "snoozed": "pending",
        "resolved": "solved",
        "done": "closed",
    },
    InvoiceStatus: {
        "past due": "open",
        "overdue": "open",
        "unpaid": "open",
        "outstanding": "open",
        "sent": "open",
        "voided": "void",
        "canceled": "void",
        "cancelled": "void",
        "uncollectable": "uncollectible",
        "written off": "uncollectible",
        "bad debt": "uncollectible",
    },
    ContactRole: {
        "exec sponsor": "executive_sponsor",
        "sponsor": "executive_sponsor",
        "economic buyer": "decision_maker",
        "budget holder": "decision_maker",
        "administrator": "admin",
        "end user": "user",
    },
    Sentiment: {
        "good": "positive",
        "happy": "positive",
        "very positive": "positive",
        "mixed": "neutral",
        "bad": "negative",
        "unhappy": "negative",
        "very negative": "negative",
    },
    # what CRMs call their activity types (HubSpot, Salesforce, Gainsight...)
    TouchpointKind: {
        "calls": "call",
        "phone": "call",
        "phone call": "call",
        "logged call": "call",
        "inbound call": "call",
        "outbound call": "call",
        "emails": "email",
        "e mail": "email",
        "incoming email": "email",
        "outgoing email": "email",
        "sent email": "email",
        "forwarded email": "email",
        "logged email": "email",
        "meetings": "meeting",
        "logged meeting": "meeting",
        "in person meeting": "meeting",
        "business review": "qbr",
        "quarterly business review": "qbr",
        "ebr": "qbr",
        "executive business review": "qbr",
        "notes": "note",
        "logged note": "note",
    },
    SurveyKind: {"net promoter score": "nps", "customer satisfaction": "csat"},
}
_INTERVAL_UNITS = {
    "day": "day",
    "daily": "day",
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "mo": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "yr": "year",
}
_INTERVAL_WORDS = {
    "biweekly": (2, "week"),
    "fortnightly": (2, "week"),
    "quarter": (3, "month"),
    "quarterly": (3, "month"),
    "semiannual": (6, "month"),
    "semi annual": (6, "month"),
    "semiannually": (6, "month"),
    "biannual": (6, "month"),
}
_TRUE = frozenset({"true", "t", "yes", "y", "1", "x", "on", "checked", "✓", "✔"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "off", "unchecked", "-"})
_CSAT_WORDS: dict[str, int | None] = {
    "good": 5,
    "goodwithcomment": 5,
    "good with comment": 5,
    "satisfied": 5,
    "very satisfied": 5,
    "bad": 1,
    "badwithcomment": 1,
    "bad with comment": 1,
    "unsatisfied": 1,
    "dissatisfied": 1,
    "very dissatisfied": 1,
    "neutral": 3,
    "offered": None,
    "unoffered": None,
    "not offered": None,
    "no rating": None,
    "unrated": None,
    "n/a": None,
}
_EMAIL_IN = re.compile(r"[<(\[]\s*([^<>()\[\]\s]+@[^<>()\[\]\s]+)\s*[>)\]]")


def _base(annotation: Any) -> Any:
    """``Annotated[int | None, ...]`` -> ``int``; ``list[...]`` stays a list."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else str
        else:
            return annotation


def _classify(kind: Kind, name: str, annotation: Any) -> FieldType:
    base = _base(annotation)
    special = {"csat": FieldType.csat, "priority": FieldType.priority, "interval": FieldType.interval}
    if name in special and kind in (Kind.tickets, Kind.subscriptions):
        return special[name]
    if get_origin(base) is list:
        return FieldType.domains if name == "domains" else FieldType.list
    if isinstance(base, type):
        for cls, found in (
            (datetime, FieldType.timestamp),
            (date, FieldType.date),
            (bool, FieldType.boolean),
            (StrEnum, FieldType.choice),
            (Decimal, FieldType.number),
            (int, FieldType.number),
            (float, FieldType.number),
        ):
            if issubclass(base, cls):
                return found
    return FieldType.email if name.endswith("email") else FieldType.text


@cache
def _fields(kind: Kind) -> dict[str, tuple[FieldType, Any]]:
    model = ITEM_MODELS[kind]
    return {
        name: (_classify(kind, name, info.annotation), _base(info.annotation))
        for name, info in model.model_fields.items()
    }


def field_type(kind: Kind, field: str) -> FieldType:
    return _fields(kind).get(field, (FieldType.text, str))[0]


def choices(kind: Kind, field: str) -> list[str] | None:
    """The values a field accepts, when there are few (for a value-mapping editor)."""
    ftype, base = _fields(kind).get(field, (FieldType.text, str))
    if ftype is FieldType.choice:
        return [m.value for m in base]
    return {
        FieldType.boolean: ["true", "false"],
        FieldType.interval: [m.value for m in BillingInterval],
        FieldType.priority: ["1", "2", "3", "4"],
        FieldType.csat: ["1", "2", "3", "4", "5"],
    }.get(ftype)


def from_cells(kind: Kind, field: str) -> bool:
    """Whether a spreadsheet cell can fill the field: not an object or a list of objects (an
    event's ``properties``, an account's ``aliases``), which only JSON ingest and presets set."""
    info = ITEM_MODELS[kind].model_fields.get(field)
    if info is None:
        return False
    base = _base(info.annotation)
    origin = get_origin(base) or base
    if origin is dict:
        return False
    if origin is list:
        entry = _base(next(iter(get_args(base)), str))
        return not (isinstance(entry, type) and issubclass(entry, BaseModel | dict))
    return True


# How a person is told what a field takes, by its type (numbers say more, below).
_TYPE_WORDS: dict[FieldType, str] = {
    FieldType.text: "text",
    FieldType.date: "date (YYYY-MM-DD)",
    FieldType.timestamp: "date (YYYY-MM-DD) or date-time",
    FieldType.boolean: "yes/no",
    FieldType.interval: "month or year (weekly, quarterly, every 2 months... are converted)",
    FieldType.domains: "web domains, separated by commas",
    FieldType.list: "values separated by commas",
    FieldType.email: "email address",
    FieldType.csat: "whole number from 1 to 5 (Good/Bad ratings read as 5/1)",
    FieldType.priority: "1 to 4 (1 most urgent), P1 to P4, or urgent/high/normal/low",
}
# What the type cannot say: what a text or list field holds (said instead of the type), and
# rules across fields (said after the type).
_NOTES: dict[tuple[Kind | None, str], str] = {
    (None, "account"): "the account's key: its external id, unless account_key_type names another key",
    (None, "account_key_type"): "the kind of key in account: external_id, domain, subscription or an alias "
    "source such as hubspot",
    (Kind.surveys, "score"): "0 to 10 for nps, 1 to 5 for csat",
    (Kind.subscriptions, "unit_amount"): "give exactly one of unit_amount, mrr, arr",
    (Kind.subscriptions, "mrr"): "give exactly one of unit_amount, mrr, arr",
    (Kind.subscriptions, "arr"): "give exactly one of unit_amount, mrr, arr",
    (Kind.subscriptions, "currency"): "currency code such as USD",
    (Kind.invoices, "currency"): "currency code such as USD",
    (Kind.touchpoints, "contact_ids"): "Tempo ids of the account's contacts who took part, separated by commas",
}


def _limits(info: FieldInfo) -> dict[str, Any]:
    """The field's ``ge`` and ``le``, wherever the annotation nests them."""
    found: dict[str, Any] = {}

    def metadata(items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, FieldInfo):
                metadata(item.metadata)
            for name in ("ge", "le"):
                value = getattr(item, name, None)
                if isinstance(value, int | float | Decimal):
                    found.setdefault(name, value)

    def annotation(hint: Any) -> None:
        origin = get_origin(hint)
        if origin is Annotated:
            annotation(get_args(hint)[0])
            metadata(get_args(hint)[1:])
        elif origin in (Union, types.UnionType):
            for option in get_args(hint):
                annotation(option)

    metadata(info.metadata)
    annotation(info.annotation)
    return found


def _number_words(base: Any, limits: dict[str, Any]) -> str:
    words = "whole number" if isinstance(base, type) and issubclass(base, int) else "number"
    low, high = limits.get("ge"), limits.get("le")
    if high is not None and high >= MAX_INT:
        high = None  # a storage limit, not a rule worth reading
    if low is not None and high is not None:
        return f"{words} from {low:,} to {high:,}"
    if low is not None:
        return f"{words}, {low:,} or more"
    if high is not None:
        return f"{words}, at most {high:,}"
    return words


def _default_words(default: Any) -> str:
    if isinstance(default, bool):
        return "yes" if default else "no"
    if isinstance(default, StrEnum):
        return default.value
    if isinstance(default, str):
        return f'"{default}"'
    return str(default)


def describe(kind: Kind, field: str) -> str:
    """What the field takes, in words for the person mapping a file: its type (``one of call,
    email, meeting, qbr, note``, ``date (YYYY-MM-DD) or date-time``, ``whole number, 0 or
    more``...), then whether it is required (an optional one's default, if it has one)."""
    info = ITEM_MODELS[kind].model_fields[field]
    ftype, base = _fields(kind)[field]
    note = _NOTES.get((kind, field)) or _NOTES.get((None, field))
    if ftype is FieldType.choice:
        words = "one of " + ", ".join(m.value for m in base)
    elif ftype is FieldType.number:
        words = _number_words(base, _limits(info))
    else:
        words = _TYPE_WORDS[ftype]
    if note:
        words = note if ftype in (FieldType.text, FieldType.list) else f"{words} ({note})"
    if info.is_required():
        return f"{words}; required"
    default = info.get_default(call_default_factory=True)
    if default is None or default == [] or default == {}:
        return f"{words}; optional"
    return f"{words}; optional, default {_default_words(default)}"


@cache
def _choice_words(enum: type[StrEnum]) -> dict[str, str]:
    """The enum's values and synonyms by ``_words`` (synonyms first: they win)."""
    return {_words(m.value): m.value for m in enum} | _SYNONYMS.get(enum, {})


def parse_choice(enum: type[StrEnum], text: str) -> str:
    return _choice_words(enum).get(_words(text), text.strip())


def interval_parts(text: str) -> tuple[int, str] | None:
    """``"monthly"`` -> (1, "month"); ``"every 3 months"`` / ``"quarterly"`` -> (3, "month")."""
    word = _words(text).removeprefix("every ").removeprefix("per ")
    if word in _INTERVAL_WORDS:
        return _INTERVAL_WORDS[word]
    found = re.fullmatch(r"(?:(\d+)\s*)?([a-z]+?)s?", word)
    if not found:
        return None
    unit = _INTERVAL_UNITS.get(found[2]) or _INTERVAL_UNITS.get(found[2] + "s")
    return (int(found[1] or 1), unit) if unit else None


def parse_interval(text: str) -> str:
    """``month``/``year`` as Tempo stores them; other intervals as ``"2 week"`` for ``finish_item``."""
    parts = interval_parts(text)
    if parts is None:
        return text.strip()
    count, unit = parts
    return unit if count == 1 and unit in ("month", "year") else f"{count} {unit}"


def parse_bool(text: str) -> object:
    word = text.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return text.strip()


def parse_csat(text: str) -> object:
    word = value_key(text)
    if word in _CSAT_WORDS:
        score = _CSAT_WORDS[word]
        return OMIT if score is None else score
    return parse_number(text)


def parse_email(text: str) -> str:
    found = _EMAIL_IN.search(text)
    return found[1] if found else text.strip()


def normalise(kind: Kind, field: str, text: str, day_first: bool = False) -> object:
    """One cell's text as the field expects it (``OMIT``: leave the field out)."""
    if not text.strip():
        return OMIT
    ftype, base = _fields(kind).get(field, (FieldType.text, str))
    match ftype:
        case FieldType.date:
            return parse_date(text, day_first)
        case FieldType.timestamp:
            return parse_timestamp(text, day_first)
        case FieldType.number:
            return parse_number(text)
        case FieldType.boolean:
            return parse_bool(text)
        case FieldType.choice:
            return parse_choice(base, text)
        case FieldType.interval:
            return parse_interval(text)
        case FieldType.domains:
            # split as AccountItem.domains splits, so a bad one is reported by its position
            return split_domains(text)
        case FieldType.email:
            return parse_email(text)
        case FieldType.csat:
            return parse_csat(text)
    return text


# what exports write for "no date" (year 1, Excel's day 0 and 1, the end of time); out of
# the signal range (core.types) like any other date, but worth saying what they likely mean
_PLACEHOLDER_DATE = re.compile(r"^(0001-01-01|1899-12-3[01]|1900-01-01|9999-12-31)(?![0-9])")


def hint(kind: Kind, field: str, text: str) -> str:
    """Advice to add to a validation error about a cell, or ""."""
    if field_type(kind, field) not in (FieldType.date, FieldType.timestamp):
        return ""
    if re.match(r"^\d{1,2}[/-]\d{1,2}[/-]", text):
        return "read month first; set day_first for day-first dates"
    if _PLACEHOLDER_DATE.match(text):
        return 'likely a placeholder for "no date": map it to empty (a null value mapping) to leave it out quietly'
    return ""


def cell_value(kind: Kind, field: str, text: str, day_first: bool, maps: ValueMaps) -> object:
    """The value mapping first (a target of ``None`` leaves the field out), then ``normalise``."""
    table = maps.get(field)
    key = value_key(text)
    if table and key in table:
        target = table[key]
        if target is None:
            return OMIT
        if not isinstance(target, str):
            return target
        text = target
    return normalise(kind, field, text, day_first)


def merge_value_maps(*maps: dict[str, dict[str, Any]] | None) -> ValueMaps:
    """Later maps win per source value; keys are stored as ``value_key`` compares them."""
    merged: ValueMaps = {}
    for given in maps:
        for field, table in (given or {}).items():
            merged.setdefault(field, {}).update({value_key(k): v for k, v in table.items()})
    return merged


_MONTHS_PER = {"day": Decimal(12) / Decimal(365), "week": Decimal(12) / Decimal(52), "month": Decimal(1)}
_UNIT = Decimal("0.0001")


def _price_per_month(item: dict[str, Any]) -> None:
    """A price per 2 weeks, per quarter, per day... becomes the same money per month (or per year
    for multi-year terms), since Tempo stores monthly and yearly prices."""
    interval = item.get("interval")
    found = re.fullmatch(r"(\d+) (day|week|month|year)", interval) if isinstance(interval, str) else None
    if found is None:
        return
    count, unit = int(found[1]), found[2]
    if item.get("unit_amount") is None:
        item.pop("interval")  # an MRR or ARR is already per month or year
        return
    try:
        amount = Decimal(str(item["unit_amount"]))
    except InvalidOperation:
        return  # validation names the amount
    if unit == "year":
        item["unit_amount"], item["interval"] = _money(amount / count), "year"
        return
    item["unit_amount"], item["interval"] = _money(amount / (count * _MONTHS_PER[unit])), "month"


def _money(amount: Decimal) -> str:
    """To the item's four decimals, without trailing zeros: ``108.3333``, ``52``."""
    text = f"{amount.quantize(_UNIT, ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def finish_item(kind: Kind, item: dict[str, Any]) -> None:
    """Item-level normalisation after every cell is read (and after a preset's derive)."""
    if kind == Kind.subscriptions:
        _price_per_month(item)
