"""Data hygiene (docs/metrics.md, "Data hygiene"): how much of the book's data is filled in
and consistent, over the active accounts of a scope: fill rates of the fields that segment
or drive a metric, checks (renewal dates, CRM against billing ARR, silent accounts, owners,
the unmatched backlog, stale sources), one score, and the accounts behind each figure.

The fields and checks are named, explained and weighed here (``FIELDS``, ``CHECKS``); what
"missing" and "failing" mean in SQL is in the repository under the same keys; the score is
``hygiene_score``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import Severity
from app.core.errors import NotFound
from app.core.format import short_money
from app.core.models import utcnow
from app.hygiene import repository as repo
from app.hygiene.schemas import (
    CheckUnit,
    Hygiene,
    HygieneAccount,
    HygieneAccounts,
    HygieneCheck,
    HygieneColumn,
    HygieneFillRate,
    HygieneScorePart,
)
from app.identity import repository as identity
from app.ingest import service as ingest

SILENT_DAYS = 30
# A field filled in for fewer than 90 % of the accounts it applies to needs attention.
FILL_THRESHOLD = 0.9
# The unmatched backlog needs attention once a record has waited longer than this.
UNMATCHED_WAIT_DAYS = 7
ACCOUNTS_LIMIT_JSON = 500
ACCOUNTS_LIMIT_CSV = 100_000


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    # "have no <noun>" in a warning
    noun: str
    definition: str
    # weight in the score; 0: shown, not scored (why: ``why_unscored``)
    weight: float
    # who it applies to, in a warning: "accounts" or a narrower phrase
    population: str = "accounts"


@dataclass(frozen=True)
class CheckDef:
    key: str
    label: str
    definition: str
    severity: Severity
    weight: float
    threshold: float
    unit: CheckUnit = "accounts"
    population: str = "accounts"
    # the sentence of a warning after "<share> of <population> "
    fails: str = ""


# The fields that segment the book or drive a metric, and how much each counts in the score:
# 2 for what every segmented chart splits by, 1 for what one metric or component reads.
FIELDS: tuple[FieldDef, ...] = (
    FieldDef(
        "segment", "Segment", "segment", "A segment is set (revenue metrics, cohorts and the book split by it).", 2
    ),
    FieldDef("icp_tier", "ICP tier", "ICP tier", "An ICP tier is set (revenue metrics split by it).", 2),
    FieldDef("plan", "Plan", "plan", "A plan is set (revenue metrics split by it; feature availability).", 1),
    FieldDef(
        "owner",
        "Owner",
        "owner",
        "A CSM owns the account (scored by the check for accounts without an owner).",
        0,
    ),
    FieldDef(
        "renewal_date",
        "Renewal date (CRM)",
        "renewal date from the CRM",
        "Accounts not billed only monthly: the CRM sent a contract renewal date (without one, "
        "renewals fall back to the billing cycle).",
        1,
        "accounts not billed monthly",
    ),
    FieldDef(
        "contract_start",
        "Contract start",
        "contract start date",
        "The CRM sent a contract start date (it tells an annual renewal from a multi-year one).",
        1,
    ),
    FieldDef(
        "contract_end",
        "Contract end",
        "contract end date",
        "Accounts billed yearly: the current term's end is known, from the CRM's renewal date (today "
        "or later) or the yearly line's end date (without either, the renewal is assumed on the "
        "line's anniversary).",
        0,
        "accounts billed yearly",
    ),
    FieldDef("region", "Region", "region", "A region is set (used by filters only, not scored).", 0),
    FieldDef(
        "acquisition_channel",
        "Acquisition channel",
        "acquisition channel",
        "An acquisition channel is set (cohort retention splits by it).",
        1,
    ),
    FieldDef(
        "seats_purchased",
        "Seats purchased",
        "seats purchased",
        "A number of seats above 0 is set (health's seat utilisation and login frequency read it).",
        1,
    ),
    FieldDef(
        "primary_contact",
        "Primary contact",
        "primary contact",
        "A contact is marked primary (who to write to; not scored).",
        0,
    ),
    FieldDef(
        "sponsor_or_champion",
        "Sponsor or champion",
        "executive sponsor or champion",
        "A contact has the role executive sponsor or champion (health's stakeholder coverage reads it).",
        1,
    ),
)

CHECKS: tuple[CheckDef, ...] = (
    CheckDef(
        "renewal_past",
        "Renewal date in the past",
        "Active accounts whose contract renewal date from the CRM has passed: the CRM was not "
        "updated after the renewal, so renewals fall back to the billing cycle.",
        Severity.high,
        2,
        0.02,
        population="accounts with a CRM renewal date",
        fails="have it in the past",
    ),
    CheckDef(
        "renewal_missing",
        "Renewal date missing on a term contract",
        "Active accounts on a term contract (a live yearly subscription line or, for an account "
        "billing has never sent, a contract start from the CRM) without a contract renewal date "
        "from the CRM.",
        Severity.high,
        2,
        0.05,
        population="accounts on a term contract",
        fails="have no renewal date from the CRM",
    ),
    CheckDef(
        "arr_mismatch",
        "CRM and billing ARR disagree",
        "Active accounts whose ARR from the CRM (the arr sent with the account) differs by more than "
        "10 % from the ARR of their subscription lines today (any CRM ARR disagrees with a billing "
        "ARR of 0).",
        Severity.medium,
        2,
        0.05,
        population="accounts with ARR from both the CRM and billing",
        fails="disagree on ARR by more than 10 %",
    ),
    CheckDef(
        "silent",
        "No signal",
        "Active accounts with no usage, ticket, survey response or touch (notes aside) in the last {days} days.",
        Severity.medium,
        1,
        0.10,
        fails="sent no signal in {days} days",
    ),
    CheckDef(
        "no_owner",
        "No owner",
        "Active accounts no CSM owns: nobody's lists, queue or digest show them.",
        Severity.high,
        2,
        0.02,
        fails="have no owner",
    ),
    CheckDef(
        "unmatched_backlog",
        "Unmatched backlog",
        "Ingested records (usage, tickets, surveys...) waiting because the account they name is "
        "unknown; book-wide, whatever the scope.",
        Severity.low,
        0,
        UNMATCHED_WAIT_DAYS,
        unit="records",
    ),
    CheckDef(
        "stale_sources",
        "Stale data sources",
        "Data sources that have sent nothing for longer than their freshness threshold; book-wide, whatever the scope.",
        Severity.high,
        0,
        0,
        unit="sources",
    ),
)

FIELD_BY_KEY = {f.key: f for f in FIELDS}
CHECK_BY_KEY = {c.key: c for c in CHECKS}
ACCOUNT_CHECKS = tuple(c.key for c in CHECKS if c.unit == "accounts")
# the keys GET /hygiene/checks/{key}/accounts takes
ACCOUNT_KEYS = (*ACCOUNT_CHECKS, *(f"missing:{f.key}" for f in FIELDS))
# the owner fill rate and the no-owner check say the same: one warning is enough
_WARN_SKIP = frozenset({"missing:owner"})

assert set(FIELD_BY_KEY) == set(repo.MISSING), "every field has its SQL in the repository"
assert set(ACCOUNT_CHECKS) == set(repo.FAILING), "every account check has its SQL in the repository"

SCORE_FORMULA = (
    "100 * the weighted mean of the parts: each field's fill rate and, for each account check, the "
    "share of accounts passing it (1 - failing share); a part no account applies to is left out."
)


def hygiene_score(parts: Sequence[HygieneScorePart]) -> float | None:
    """The data hygiene score, 0 to 100, one decimal: 100 * Σ weight * value / Σ weight over the
    parts that measure something (``counted``).

    The parts are the fill rates of the fields that drive a metric and the passing share
    (1 - failing share) of the account checks, weighted as ``FIELDS`` and ``CHECKS`` say (the
    book-wide checks, unmatched records and stale sources, are not shares of accounts and
    weigh 0). A part with no account to apply to (no term contracts, no CRM ARR) is left out
    with its weight, so it neither rewards nor punishes. None when no part measures anything:
    an empty book has no hygiene to score, which is not the same as perfect data."""
    counted = [p for p in parts if p.counted and p.value is not None]
    weight = sum(p.weight for p in counted)
    if weight <= 0:
        return None
    return round(100 * sum(p.weight * (p.value or 0.0) for p in counted) / weight, 1)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _params(scope: access.ListScope, silent_days: int) -> dict[str, Any]:
    today = utcnow().date()
    since_day = today - timedelta(days=silent_days)
    return {
        "today": today,
        "since_day": since_day,
        "since": datetime.combine(since_day, time.min, tzinfo=UTC),
        "reporting": get_settings().reporting_currency,
        **scope.params(),
    }


def _check_definition(check: CheckDef, silent_days: int) -> str:
    return check.definition.format(days=silent_days)


async def summary(session: AsyncSession, scope: access.ListScope, silent_days: int = SILENT_DAYS) -> Hygiene:
    """Fill rates, checks and the score over the active accounts of ``scope``."""
    keys = [*(f"missing:{f.key}" for f in FIELDS), *ACCOUNT_CHECKS]
    book, found = await repo.counts(session, keys, _params(scope, silent_days))

    fill_rates = []
    for f in FIELDS:
        c = found[f"missing:{f.key}"]
        filled = c.total - c.failing
        rate = _ratio(filled, c.total)
        fill_rates.append(
            HygieneFillRate(
                key=f.key,
                label=f.label,
                definition=f.definition,
                filled=filled,
                total=c.total,
                rate=rate,
                missing_arr=round(c.arr, 2),
                weight=f.weight,
                threshold=FILL_THRESHOLD,
                needs_attention=rate is not None and rate < FILL_THRESHOLD,
                accounts_key=f"missing:{f.key}",
            )
        )

    checks = []
    for key in ACCOUNT_CHECKS:
        d, c = CHECK_BY_KEY[key], found[key]
        share = _ratio(c.failing, c.total)
        note = None
        if key == "arr_mismatch" and c.total == 0:
            note = "No active account in scope has both an ARR from the CRM and subscription lines."
        checks.append(
            HygieneCheck(
                key=key,
                label=d.label,
                definition=_check_definition(d, silent_days),
                unit=d.unit,
                measurable=c.total > 0 or key != "arr_mismatch",
                note=note,
                failing=c.failing,
                total=c.total,
                share=share,
                severity=d.severity,
                arr_affected=round(c.arr, 2),
                book_wide=False,
                weight=d.weight,
                threshold=d.threshold,
                needs_attention=share is not None and share > d.threshold,
                lists_accounts=True,
            )
        )
    checks += [await _unmatched(session), await _stale_sources(session)]

    parts = [
        HygieneScorePart(
            key=f"fill:{f.key}",
            label=f.label,
            kind="fill_rate",
            weight=f.weight,
            value=f.rate,
            counted=f.weight > 0 and f.rate is not None,
        )
        for f in fill_rates
    ] + [
        HygieneScorePart(
            key=f"check:{c.key}",
            label=c.label,
            kind="check",
            weight=c.weight,
            value=None if c.share is None else 1 - c.share,
            counted=c.weight > 0 and c.share is not None,
        )
        for c in checks
        if not c.book_wide
    ]
    return Hygiene(
        scope=scope.name,
        as_of=utcnow(),
        silent_days=silent_days,
        accounts=book.total,
        arr=round(book.arr, 2),
        score=hygiene_score(parts),
        score_formula=SCORE_FORMULA,
        score_parts=parts,
        fill_rates=fill_rates,
        checks=checks,
    )


async def _unmatched(session: AsyncSession) -> HygieneCheck:
    d = CHECK_BY_KEY["unmatched_backlog"]
    pending, received, oldest = await identity.unmatched_backlog(session)
    age = round((utcnow() - oldest).total_seconds() / 86_400, 1) if oldest is not None else None
    return HygieneCheck(
        key=d.key,
        label=d.label,
        definition=d.definition,
        unit=d.unit,
        measurable=True,
        note="Total: every record that ever arrived for an unknown account; failing: those still waiting.",
        failing=pending,
        total=received,
        share=_ratio(pending, received),
        severity=d.severity,
        arr_affected=None,
        oldest_days=age,
        book_wide=True,
        weight=d.weight,
        threshold=d.threshold,
        needs_attention=age is not None and age > d.threshold,
        lists_accounts=False,
    )


async def _stale_sources(session: AsyncSession) -> HygieneCheck:
    d = CHECK_BY_KEY["stale_sources"]
    sources = await ingest.sources(session)
    stale = [s.name for s in sources if s.stale]
    return HygieneCheck(
        key=d.key,
        label=d.label,
        definition=d.definition,
        unit=d.unit,
        measurable=bool(sources),
        note=("Stale: " + ", ".join(stale))
        if stale
        else (None if sources else "No data source has sent anything yet."),
        failing=len(stale),
        total=len(sources),
        share=_ratio(len(stale), len(sources)),
        severity=d.severity,
        arr_affected=None,
        book_wide=True,
        weight=d.weight,
        threshold=d.threshold,
        needs_attention=len(stale) > d.threshold,
        lists_accounts=False,
    )


def _unknown_key(key: str) -> NotFound:
    return NotFound(
        f"No hygiene check or field '{key}' lists accounts; valid keys: {', '.join(ACCOUNT_KEYS)} "
        "(unmatched_backlog: GET /api/v1/unmatched; stale_sources: GET /api/v1/sources)"
    )


def _columns(key: str) -> list[HygieneColumn]:
    return [HygieneColumn(key=k, label=label) for k, label, _ in repo.VALUES.get(key, ())]


def _value(v: Any) -> str | float | int | None:
    if isinstance(v, date):
        return v.isoformat()
    if v is None or isinstance(v, str | int | float):
        return v
    return float(v)


async def accounts(
    session: AsyncSession,
    scope: access.ListScope,
    key: str,
    silent_days: int = SILENT_DAYS,
    limit: int = ACCOUNTS_LIMIT_JSON,
) -> HygieneAccounts:
    """The active accounts of ``scope`` behind a check (or a field's missing fill, ``missing:<field>``),
    largest ARR first, with the offending values; 404 naming the valid keys for any other key."""
    if key not in ACCOUNT_KEYS:
        raise _unknown_key(key)
    rows, total = await repo.accounts(session, key, _params(scope, silent_days), limit)
    columns = _columns(key)
    if key.startswith("missing:"):
        f = FIELD_BY_KEY[key.removeprefix("missing:")]
        label, definition = f"Missing: {f.label}", f.definition
    else:
        d = CHECK_BY_KEY[key]
        label, definition = d.label, _check_definition(d, silent_days)
    return HygieneAccounts(
        key=key,
        label=label,
        definition=definition,
        scope=scope.name,
        columns=columns,
        items=[
            HygieneAccount(
                id=r["id"],
                external_id=r["external_id"],
                name=r["name"],
                owner_email=r["owner_email"],
                arr=round(float(r["arr"]), 2),
                values={c.key: _value(r[f"v_{c.key}"]) for c in columns},
            )
            for r in rows
        ],
        total=total,
    )


def csv_rows(found: HygieneAccounts) -> tuple[list[str], list[list[Any]], list[int | None]]:
    """The accounts as CSV header, rows and decimals per column (for ``core.format.csv_chunks``)."""
    header = ["Account ID", "External ID", "Account", "Owner email", "ARR", *(c.label for c in found.columns)]
    places: list[int | None] = [None, None, None, None, 2]
    places += [4 if c.key == "difference" else 2 if c.key.endswith("_arr") else None for c in found.columns]
    rows = [
        [str(a.id), a.external_id, a.name, a.owner_email, a.arr, *(a.values.get(c.key) for c in found.columns)]
        for a in found.items
    ]
    return header, rows, places


# -- the digest's sentences ---------------------------------------------------------------------


def _percent(share: float) -> str:
    pct = share * 100
    return f"{pct:.1f} %" if 0 < pct < 1 else f"{pct:.0f} %"


def _accounts_sentence(share: float, population: str, fails: str, failing: int, total: int, arr: float) -> str:
    return f"{_percent(share)} of {population} {fails} ({failing:,} of {total:,}, {short_money(arr)} ARR)"


def sentences(found: Hygiene, limit: int = 5) -> list[str]:
    """One sentence per fill rate or check that needs attention, worst first: by the share of
    what it applies to (accounts, sources) that fails, then by ARR; the unmatched backlog last."""
    ranked: list[tuple[float, float, str]] = []
    for f in found.fill_rates:
        if not f.needs_attention or f.rate is None or f.accounts_key in _WARN_SKIP:
            continue
        fd = FIELD_BY_KEY[f.key]
        missing = f.total - f.filled
        share = missing / f.total  # not 1 - rate: 1 - 0.8 is not 0.2 in floating point
        text = _accounts_sentence(share, fd.population, f"have no {fd.noun}", missing, f.total, f.missing_arr)
        ranked.append((share, f.missing_arr, text))
    for c in found.checks:
        if not c.needs_attention:
            continue
        cd = CHECK_BY_KEY[c.key]
        if c.key == "stale_sources":
            verb = "is" if c.failing == 1 else "are"
            names = (c.note or "").removeprefix("Stale: ")
            text = f"{c.failing} of {c.total} data sources {verb} stale ({names})"
            ranked.append((c.share or 0.0, 0.0, text))
        elif c.key == "unmatched_backlog":
            records = "record waits" if c.failing == 1 else "records wait"
            text = f"{c.failing:,} ingested {records} for an unknown account, the oldest for {c.oldest_days:.0f} days"
            ranked.append((-1.0, 0.0, text))
        elif c.share is not None:
            fails = cd.fails.format(days=found.silent_days)
            arr = c.arr_affected or 0.0
            ranked.append((c.share, arr, _accounts_sentence(c.share, cd.population, fails, c.failing, c.total, arr)))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [text for _, _, text in ranked[:limit]]


async def warnings(session: AsyncSession, scope: access.ListScope = access.EVERY_ACCOUNT, limit: int = 5) -> list[str]:
    """What the weekly digest says about the data: one short sentence per field or check below
    its threshold, worst first, at most ``limit`` ("12 % of accounts have no renewal date from
    the CRM (103 of 850, $4.1M ARR)")."""
    return sentences(await summary(session, scope), limit)


async def scope_for(
    session: AsyncSession, principal: Principal, requested: access.ScopeName | None
) -> access.ListScope:
    """Whose accounts the figures are about (``access.resolve_scope``)."""
    return await access.resolve_scope(session, principal, requested)
