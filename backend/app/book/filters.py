"""The book's filter language: ``renewal_in<=60 band=at_risk qbr>90 owner=me``.

A filter is terms separated by spaces, all of which must hold. A term is
``field op value``: ``=`` (or ``:``) and ``!=`` take one value or several separated by
commas (any of them); ``<  <=  >  >=`` take one number. Values with spaces are quoted
(``industry="Financial Services"``). ``none`` matches a missing value.

Units: ``arr`` takes ``50000``, ``50k`` or ``1.2m``; ``adoption`` and ``usage_change`` are
fractions, or percents with ``%`` (``adoption>70%`` = ``adoption>0.7``); day fields take
``60`` or ``60d``. ``oldest_ticket`` is the age in days of the account's oldest open ticket;
an account without open tickets has none, so ``oldest_ticket>30`` leaves it out
(``oldest_ticket=none`` finds it). ``forecast`` is the forecast set on the account's next
term renewal (``forecast=risk,churn``; ``none``: not set, or no term renewal ahead). ``renewal_in`` counts days from today to the account's next renewal and
only matches renewals still ahead for ``<``/``<=``/``=``; like every renewal list, it means
term renewals (annual, multi-year, contract) unless the filter also names a ``term``
(``renewal_in<=30 term=monthly``). Ages (``last_touch``, ``qbr``) count
days since the last touch/QBR; never is older than any age, so ``qbr>90`` includes
accounts that never had a QBR.

Bounds: day fields take whole days from 0 to 36,500 (a century ahead for ``renewal_in``,
back for ages, so the dates they compile to always exist); counts (``open_tickets``) whole numbers from 0 to
2,147,483,647 (what the column holds); amounts, scores and ratios any finite number
(``inf``, ``nan`` and ``1e309``, which is infinite, are refused). A value out of bounds is
a 422 naming the term, like any other bad value.

Each field here is one line: its label, kind and column, so ``/accounts/fields`` can show
the same catalogue to people writing filters.
"""

from __future__ import annotations

import difflib
import math
import re
import shlex
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ARRAY, Date, Integer, Text, and_, case, cast, exists, func, not_, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import array
from sqlmodel import col

from app.accounts.models import Account
from app.alerts.models import Alert
from app.alerts.rules import AlertThresholds, rule_names
from app.auth.models import User
from app.core.enums import (
    AccountStatus,
    AlertStatus,
    Band,
    Flag,
    Forecast,
    Quadrant,
    RenewalTerm,
    TicketStatus,
    values,
)
from app.core.errors import FieldError, ProblemError
from app.renewals.models import Renewal
from app.scoring.models import AccountHealth
from app.support.models import Ticket

Kind = Literal[
    "text", "enum", "owner", "tag", "alert", "money", "number", "ratio", "count", "days_until", "days_since", "days"
]
EQUALITY = ("=", "!=")
ORDERING = ("<", "<=", ">", ">=")
TERM = re.compile(r"^(?P<field>[a-z_]+)\s*(?P<op><=|>=|!=|=|:|<|>)\s*(?P<value>.*)$", re.DOTALL)
MAX_TERMS = 30
MAX_DAYS = 36_500
MAX_COUNT = 2_147_483_647


class InvalidFilter(ProblemError):
    status = 422
    title = "Validation error"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: Kind
    column: Callable[[], Any]
    choices: tuple[str, ...] = ()
    nullable: bool = True
    # True when the column lives on account_health (the book joins it only when needed)
    health: bool = False

    @property
    def ops(self) -> tuple[str, ...]:
        return EQUALITY if self.kind in ("text", "enum", "owner", "tag", "alert") else EQUALITY + ORDERING


def _h(name: str) -> Callable[[], Any]:
    return lambda: col(getattr(AccountHealth, name))


def _a(name: str) -> Callable[[], Any]:
    return lambda: col(getattr(Account, name))


ALERT_RULES = (*rule_names(AlertThresholds()), "any")

# Columns of the book that are not stored on the account: each a subquery on an index of its
# own table, correlated to the account, so a page computes them for its rows only and a
# filter or sort on one reads it only when asked for. "Today" is the UTC date, as everywhere.
OPEN_TICKET_STATUSES = (TicketStatus.open.value, TicketStatus.pending.value)


def oldest_ticket_age() -> Any:
    """Whole days since the account's oldest open (or pending) ticket was opened, as the account
    picture counts a ticket's age; NULL without open tickets (``ix_ticket_open_by_account``)."""
    oldest = (
        select(func.min(col(Ticket.opened_at)))
        .where(col(Ticket.account_id) == col(Account.id), col(Ticket.status).in_(OPEN_TICKET_STATUSES))
        .correlate(Account)
        .scalar_subquery()
    )
    return cast(func.floor(func.extract("epoch", func.now() - oldest) / 86400), Integer)


def next_term_forecast() -> Any:
    """The forecast set on the account's next renewal when that is a term renewal (annual,
    multi-year, contract; docs/metrics.md, Renewals): the open record at the account's next
    renewal date (the unique index on account and date). NULL when none is set or the next
    renewal is a monthly cycle."""
    return (
        select(col(Renewal.forecast))
        .where(
            col(Renewal.account_id) == col(Account.id),
            col(Renewal.renewal_date) == col(Account.next_renewal_date),
            col(Renewal.outcome).is_(None),
            col(Renewal.term) != RenewalTerm.monthly.value,
        )
        .correlate(Account)
        .scalar_subquery()
    )


def forecast_order() -> Any:
    """Forecasts from the surest to the least sure (commit, upside, risk, churn) for sorting."""
    return case({f: n for n, f in enumerate(values(Forecast))}, value=next_term_forecast())


# The start of the term that ends at the account's next renewal (docs/metrics.md, Renewals):
# when the CRM's renewal date is the next renewal, the CRM's contract start (unknown when it
# sent none); else the start of the billing cycle that ends at the next renewal, with the
# renewals' own rules: a yearly line with an end date runs from its first version's start;
# a yearly line without one from its last anniversary; a monthly line from its last monthly
# cycle. Yearly lines first (a monthly add-on does not make a contract monthly), then the
# earliest renewal. Lines are read by ``ix_subscription_line_account_start``, first versions
# by the (source, source_id, start_date) unique index.
_TERM_START = sql_text(
    """
    SELECT CASE
        WHEN account.status <> 'churned' AND account.renewal_date >= t.today THEN account.contract_start
        ELSE (
            SELECT CASE WHEN c.yearly AND c.end_date IS NOT NULL THEN c.first_start
                        WHEN c.yearly THEN CAST(c.first_start + make_interval(years => c.n - 1) AS date)
                        ELSE CAST(c.first_start + make_interval(months => c.n - 1) AS date) END
            FROM (
                SELECT l.yearly, l.end_date, l.first_start,
                       greatest(1, l.k + CASE WHEN l.first_start + CASE WHEN l.yearly
                                                   THEN make_interval(years => l.k)
                                                   ELSE make_interval(months => l.k) END >= t.today
                                              THEN 0 ELSE 1 END) AS n
                FROM (
                    SELECT s.interval = 'year' AS yearly, s.end_date, f.first_start,
                           CASE WHEN s.interval = 'year' THEN CAST(extract(year FROM age(t.today, f.first_start)) AS int)
                                ELSE CAST(extract(year FROM age(t.today, f.first_start)) * 12
                                          + extract(month FROM age(t.today, f.first_start)) AS int) END AS k
                    FROM subscription_line s
                    CROSS JOIN LATERAL (
                        SELECT min(v.start_date) AS first_start FROM subscription_line v
                        WHERE v.source = s.source AND v.source_id = s.source_id
                    ) f
                    WHERE s.account_id = account.id AND s.start_date <= t.today
                      AND (s.end_date IS NULL OR s.end_date > t.today)
                ) l
            ) c
            ORDER BY NOT c.yearly,
                     CASE WHEN c.yearly AND c.end_date IS NOT NULL THEN c.end_date
                          WHEN c.yearly THEN CAST(c.first_start + make_interval(years => c.n) AS date)
                          ELSE least(coalesce(c.end_date, DATE 'infinity'),
                                     CAST(c.first_start + make_interval(months => c.n) AS date)) END
            LIMIT 1
        ) END
    FROM (SELECT CAST(timezone('UTC', now()) AS date) AS today) t
    """
)


def contract_start() -> Any:
    """The start of the account's current contract term (``_TERM_START``), correlated to the
    book's ``account``."""
    return _TERM_START.columns(term_start=Date).scalar_subquery()


FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("owner", "Owner", "owner", _a("owner_id")),
        FieldSpec("segment", "Segment", "text", _a("segment")),
        FieldSpec("plan", "Plan", "text", _a("plan")),
        FieldSpec("icp_tier", "ICP tier", "text", _a("icp_tier")),
        FieldSpec("region", "Region", "text", _a("region")),
        FieldSpec("industry", "Industry", "text", _a("industry")),
        FieldSpec("channel", "Acquisition channel", "text", _a("acquisition_channel")),
        FieldSpec("status", "Status", "enum", _a("status"), tuple(values(AccountStatus)), nullable=False),
        FieldSpec("flag", "Flag", "enum", _a("flag"), tuple(values(Flag))),
        FieldSpec("tag", "Tag", "tag", _a("tags")),
        FieldSpec("arr", "ARR", "money", _a("current_arr"), nullable=False),
        FieldSpec("health", "Health score", "number", _h("health_score"), health=True),
        FieldSpec("band", "Health band", "enum", _h("band"), tuple(values(Band)), health=True),
        FieldSpec("quadrant", "Quadrant", "enum", _h("quadrant"), tuple(values(Quadrant)), health=True),
        FieldSpec("renewal_in", "Days to renewal", "days_until", _a("next_renewal_date")),
        FieldSpec("term", "Renewal term", "enum", _a("renewal_term"), tuple(values(RenewalTerm))),
        FieldSpec("last_touch", "Days since last touch", "days_since", _h("last_touch_on"), health=True),
        FieldSpec("qbr", "Days since last QBR", "days_since", _h("last_qbr_on"), health=True),
        FieldSpec("open_tickets", "Open tickets", "count", _h("open_tickets"), health=True),
        FieldSpec("oldest_ticket", "Oldest open ticket age", "days", oldest_ticket_age),
        FieldSpec("forecast", "Renewal forecast", "enum", next_term_forecast, tuple(values(Forecast))),
        FieldSpec("usage_change", "Usage change (4 weeks)", "ratio", _h("usage_change"), health=True),
        FieldSpec("adoption", "Feature adoption", "ratio", _h("feature_adoption"), health=True),
        FieldSpec("alert", "Open alert", "alert", _a("id"), ALERT_RULES, nullable=False),
    )
}


@dataclass(frozen=True)
class Term:
    field: str
    op: str
    values: tuple[Any, ...]  # parsed: str, float, int, uuid or None (= none)

    @property
    def spec(self) -> FieldSpec:
        return FIELDS[self.field]


@dataclass(frozen=True)
class BookQuery:
    """A parsed filter: its terms, and whether any of them reads account_health."""

    terms: tuple[Term, ...] = ()
    text: str = ""

    @property
    def needs_health(self) -> bool:
        return any(t.spec.health for t in self.terms)


def _error(index: int, term: str, msg: str) -> InvalidFilter:
    return InvalidFilter(
        f"filter: {msg} (in {term!r})", errors=[FieldError(loc=["query", "filter", index], msg=msg, type="filter")]
    )


def _number(raw: str, kind: Kind) -> float:
    text = raw.strip().lower().replace(",", "").replace("_", "")
    scale = 1.0
    if kind == "money" and text[-1:] in ("k", "m"):
        scale = 1_000.0 if text[-1] == "k" else 1_000_000.0
        text = text[:-1]
    elif kind == "ratio" and text.endswith("%"):
        scale, text = 0.01, text[:-1]
    elif kind in ("days_until", "days_since", "days") and text.endswith("d"):
        text = text[:-1]
    try:
        value = float(text) * scale
    except ValueError:
        raise ValueError(_expected(kind)) from None
    if kind in ("days_until", "days_since", "days"):
        if not 0 <= value <= MAX_DAYS:  # also false for nan
            raise ValueError(f"expected a number of days between 0 and {MAX_DAYS:,}")
    elif kind == "count":
        if not 0 <= value <= MAX_COUNT:
            raise ValueError(f"expected a whole number between 0 and {MAX_COUNT:,}")
    elif not math.isfinite(value):
        raise ValueError(f"{_expected(kind)}, not infinity or nan")
    if kind in ("days_until", "days_since", "days", "count") and value != int(value):
        raise ValueError(_expected(kind))
    return value


def _expected(kind: Kind) -> str:
    return {
        "money": "expected an amount like 50000, 50k or 1.2m",
        "ratio": "expected a fraction like 0.7 or a percent like 70%",
        "days_until": "expected a number of days like 60 or 60d",
        "days_since": "expected a number of days like 90 or 90d",
        "days": "expected a number of days like 30 or 30d",
        "count": "expected a whole number",
        "number": "expected a number",
    }.get(kind, "expected a value")


def _value(spec: FieldSpec, raw: str) -> Any:
    if raw.lower() == "none":
        if not spec.nullable:
            raise ValueError(f"{spec.name} always has a value; 'none' matches nothing")
        return None
    if spec.kind in ("enum", "alert"):
        v = raw.lower()
        if v not in spec.choices:
            close = difflib.get_close_matches(v, spec.choices, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; one of {', '.join(spec.choices)}"
            raise ValueError(f"unknown {spec.name} {raw!r}{hint}")
        return v
    if spec.kind in ("text", "owner", "tag"):
        return raw
    return _number(raw, spec.kind)


def parse(filter_text: str | None) -> BookQuery:
    """Parse a filter string; a bad term raises a 422 naming the term and why."""
    if not filter_text or not filter_text.strip():
        return BookQuery()
    try:
        parts = shlex.split(filter_text)
    except ValueError as exc:
        raise InvalidFilter(
            f"filter: {exc}", errors=[FieldError(loc=["query", "filter"], msg=str(exc), type="filter")]
        ) from None
    if len(parts) > MAX_TERMS:
        raise InvalidFilter(
            f"filter: at most {MAX_TERMS} terms",
            errors=[FieldError(loc=["query", "filter"], msg=f"at most {MAX_TERMS} terms", type="filter")],
        )
    terms: list[Term] = []
    for index, part in enumerate(parts):
        m = TERM.match(part)
        if not m:
            raise _error(index, part, "expected field, operator and value, like health<60")
        name, op, raw = m["field"], m["op"], m["value"].strip()
        op = "=" if op == ":" else op
        spec = FIELDS.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; fields: {', '.join(FIELDS)}"
            raise _error(index, part, f"unknown field {name!r}{hint}")
        if op not in spec.ops:
            raise _error(index, part, f"{name} takes {' or '.join(spec.ops)}")
        raws = [r.strip() for r in raw.split(",")] if op in EQUALITY else [raw]
        if not raws or any(not r for r in raws):
            raise _error(index, part, f"{name}{op} needs a value")
        try:
            parsed = tuple(_value(spec, r) for r in raws)
        except ValueError as exc:
            raise _error(index, part, str(exc)) from None
        if op in ORDERING and parsed[0] is None:
            raise _error(index, part, f"'none' only works with = and != ({name}=none)")
        terms.append(Term(name, op, parsed))
    return BookQuery(tuple(terms), " ".join(_format(t) for t in terms))


def _format(term: Term) -> str:
    """A term written back in its canonical form (the text saved views keep)."""

    def show(v: Any) -> str:
        if v is None:
            return "none"
        if isinstance(v, float):
            if term.spec.kind == "ratio":
                return f"{v * 100:g}%"
            return f"{v:g}"
        text = str(v)
        return shlex.quote(text) if re.search(r"[\s,\"']", text) else text

    return f"{term.field}{term.op}{','.join(show(v) for v in term.values)}"


def _compare(column: Any, op: str, value: Any) -> Any:
    return {
        "=": column == value,
        "!=": column != value,
        "<": column < value,
        "<=": column <= value,
        ">": column > value,
        ">=": column >= value,
    }[op]


def _membership(column: Any, op: str, vals: tuple[Any, ...], *, lower: bool = False) -> Any:
    present = [v for v in vals if v is not None]
    target = func.lower(column) if lower else column
    wanted = [v.lower() for v in present] if lower else present
    parts = []
    if present:
        parts.append(target.in_(wanted))
    if None in vals:
        parts.append(column.is_(None))
    return _apply(op, or_(*parts), column, vals)


def _apply(op: str, matched: Any, column: Any, vals: tuple[Any, ...]) -> Any:
    if op == "=":
        return matched
    if None in vals:
        return not_(matched)
    # "!=" keeps rows with no value (segment!=SMB includes accounts without a segment)
    return or_(not_(matched), column.is_(None))


def _condition(term: Term, today: date, user_id: uuid.UUID | None) -> Any:
    spec, op, vals = term.spec, term.op, term.values
    column = spec.column()
    if spec.kind == "text":
        return _membership(column, op, vals, lower=True)
    if spec.kind == "enum":
        return _membership(column, op, vals)
    if spec.kind == "owner":
        ids: list[Any] = []
        emails: list[str] = []
        for v in vals:
            if v is None:
                continue
            if v.lower() == "me":
                ids.append(user_id)
            else:
                try:
                    ids.append(uuid.UUID(v))
                except ValueError:
                    emails.append(v.lower())
        parts = [column.in_([i for i in ids if i is not None])] if ids else []
        if emails:
            parts.append(column.in_(select(col(User.id)).where(func.lower(col(User.email)).in_(emails))))
        if None in vals:
            parts.append(column.is_(None))
        return _apply(op, or_(*parts), column, vals)
    if spec.kind == "tag":
        present = [v for v in vals if v is not None]
        parts = [column.op("&&")(cast(array(present), ARRAY(Text)))] if present else []
        if None in vals:
            parts.append(func.coalesce(func.cardinality(column), 0) == 0)
        return or_(*parts) if op == "=" else not_(or_(*parts))
    if spec.kind == "alert":
        rules = [v for v in vals if v != "any"]
        open_alert = exists().where(
            col(Alert.account_id) == col(Account.id),
            col(Alert.status) != AlertStatus.resolved.value,
            *([col(Alert.rule).in_(rules)] if rules and "any" not in vals else []),
        )
        return open_alert if op == "=" else not_(open_alert)
    if spec.kind == "days_until":
        if vals[0] is None:
            return column.is_(None) if op == "=" else column.is_not(None)
        target = today + timedelta(days=int(vals[0]))
        cond = _compare(column, op, target)
        # "renewing within N days" means a renewal still ahead
        return and_(cond, column >= today) if op in ("<", "<=", "=") else cond
    if spec.kind == "days_since":
        if vals[0] is None:
            return column.is_(None) if op == "=" else column.is_not(None)
        # age > N  <=>  date < today - N; never (NULL) is older than any age
        pivot = today - timedelta(days=int(vals[0]))
        mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}[op]
        cond = _compare(column, mirrored, pivot)
        return or_(cond, column.is_(None)) if op in (">", ">=", "!=") else cond
    # numbers: money, number, ratio, count, days (an age: no value matches no comparison)
    if len(vals) > 1 or vals[0] is None:
        return _membership(column, op, vals)
    return _compare(column, op, vals[0])


def conditions(query: BookQuery, today: date, user_id: uuid.UUID | None) -> list[Any]:
    out = [_condition(t, today, user_id) for t in query.terms]
    fields = {t.field for t in query.terms}
    if "renewal_in" in fields and "term" not in fields:
        # renewals are term renewals unless the filter names a term (docs/metrics.md)
        out.append(col(Account.renewal_term).is_distinct_from(RenewalTerm.monthly.value))
    return out


def catalogue() -> list[dict[str, Any]]:
    """The fields as the API documents them (for filter builders)."""
    return [
        {"name": f.name, "label": f.label, "kind": f.kind, "ops": list(f.ops), "choices": list(f.choices)}
        for f in FIELDS.values()
    ]
