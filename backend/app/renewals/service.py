"""Renewals: the list with a suggested forecast from health, the forecast rollup, forecast
edits, and keeping records and outcomes in step with revenue data."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import RenewalTerm
from app.core.errors import NotFound
from app.core.models import utcnow
from app.renewals import repository as repo
from app.renewals.models import Renewal
from app.renewals.schemas import RenewalRow, RenewalUpdate, Rollup, RollupRow, TermFilter, terms_of
from app.revenue import metrics
from app.revenue import service as revenue
from app.revenue.schemas import Freshness
from app.scoring import calibration
from app.scoring import service as scoring
from app.scoring.risk import churn_probability

# The forecast a churn probability suggests (docs/metrics.md): commit below 15% (85% or more
# likely to renew), upside below 30%, risk below 50%, churn from 50%. Read on the calibrated
# probability when the book has one, so the words mean what they say on this book.
SUGGESTION = ((0.15, "commit"), (0.30, "upside"), (0.50, "risk"), (1.01, "churn"))
FORECASTS = ("commit", "upside", "risk", "churn")
LIMIT = 100_000


def suggest(probability: float | None) -> str | None:
    if probability is None:
        return None
    return next(name for bound, name in SUGGESTION if probability < bound)


async def list_renewals(
    session: AsyncSession,
    principal: Principal,
    within_days: int | None,
    status: str,
    forecast: str | None = None,
    segment: str | None = None,
    owner_id: uuid.UUID | None = None,
    renewal_id: uuid.UUID | None = None,
    term: TermFilter = "term",
    scope: access.ListScope | None = None,
) -> list[RenewalRow]:
    """Renewals of the accounts of ``scope`` (None: the caller's default, ``scope_for``); one
    renewal (``renewal_id``) wherever the caller reads it."""
    if renewal_id is not None:
        scope = access.ListScope(read=access.read_scope(principal))
    elif scope is None:
        scope = await scope_for(session, principal, None, owner_id)
    body = (await scoring.load_active(session)).body
    curve, _ = await calibration.probability_curve(session, body)
    rows = await repo.rows(
        session,
        {
            "today": scoring.today(),
            "within": within_days,
            "status": status,
            "forecast": forecast,
            "segment": segment,
            "owner": owner_id,
            "id": renewal_id,
            "terms": terms_of(term) if renewal_id is None else [t.value for t in RenewalTerm],
            "limit": LIMIT,
            **scope.params(),
        },
    )
    out = []
    for r in rows:
        p = churn_probability(curve, r["health_score"]) if r["health_score"] is not None else None
        out.append(RenewalRow(**r, churn_probability=p, suggested_forecast=suggest(p)))
    return out


async def of_accounts(
    session: AsyncSession, account_ids: Sequence[uuid.UUID], status: str = "all"
) -> dict[uuid.UUID, list[RenewalRow]]:
    """Each account's renewals (every term, newest first) as ``list_renewals`` shows them, for
    accounts the caller has read already."""
    body = (await scoring.load_active(session)).body
    curve, _ = await calibration.probability_curve(session, body)
    rows = await repo.rows_of_accounts(session, account_ids, status, scoring.today())
    out: dict[uuid.UUID, list[RenewalRow]] = {}
    for account_id, found in rows.items():
        out[account_id] = []
        for r in found:
            p = churn_probability(curve, r["health_score"]) if r["health_score"] is not None else None
            out[account_id].append(RenewalRow(**r, churn_probability=p, suggested_forecast=suggest(p)))
    return out


async def freshness(session: AsyncSession) -> Freshness:
    """Renewal records follow the revenue engine: as fresh as its last rebuild."""
    return await metrics.freshness(session)


async def scope_for(
    session: AsyncSession, principal: Principal, requested: access.ScopeName | None, owner_id: uuid.UUID | None = None
) -> access.ListScope:
    """Whose renewals a list shows (``access.resolve_scope``; a request naming an owner: all)."""
    return await access.resolve_scope(session, principal, requested, names_owner=owner_id is not None)


async def rollup(
    session: AsyncSession,
    principal: Principal,
    within_days: int,
    term: TermFilter = "term",
    scope: access.ScopeName | None = None,
) -> Rollup:
    """Over the renewals of the scope's accounts (None: the caller's default)."""
    applied = await scope_for(session, principal, scope)
    renewals = await list_renewals(session, principal, within_days, "open", term=term, scope=applied)

    def grouped(key: Any) -> list[RollupRow]:
        count: dict[str, int] = defaultdict(int)
        arr: dict[str, float] = defaultdict(float)
        for r in renewals:
            name = key(r) or "unset"
            count[name] += 1
            arr[name] += r.arr_up_for_renewal
        return [RollupRow(forecast=f, renewals=count[f], arr=arr[f]) for f in (*FORECASTS, "unset")]

    return Rollup(
        freshness=await metrics.freshness(session),
        within_days=within_days,
        term=term,
        by_forecast=grouped(lambda r: r.forecast),
        by_suggested=grouped(lambda r: r.suggested_forecast),
        total_arr=sum(r.arr_up_for_renewal for r in renewals),
        scope=applied.name,
    )


async def update(
    session: AsyncSession, principal: Principal, renewal_id: uuid.UUID, payload: RenewalUpdate
) -> RenewalRow:
    """The forecast and notes: by whoever may change the account (``access``); the renewal as
    the list shows it."""
    actor = principal.actor
    renewal = await session.get(Renewal, renewal_id)
    if renewal is None:
        raise NotFound(f"No renewal {renewal_id}")
    await access.require_write(session, principal, renewal.account_id, missing=f"No renewal {renewal_id}")
    changes = payload.model_dump(exclude_unset=True)
    if "forecast" in changes:
        renewal.forecast = payload.forecast.value if payload.forecast else None
    if "owner_notes" in changes:
        renewal.owner_notes = payload.owner_notes
    renewal.updated_at = utcnow()
    await session.flush()
    record(session, actor, "renewal.update", "renewal", renewal_id, {k: str(v) for k, v in changes.items()})
    return (await list_renewals(session, principal, None, "all", renewal_id=renewal_id))[0]


async def sync(session: AsyncSession, ids: Sequence[uuid.UUID] | None = None) -> int:
    """Keep each account's upcoming renewal record equal to its next renewal (``ids``, or
    every account): the CRM's date wins, else the next billing cycle. An upcoming record
    keeps its forecast and notes when its date moves; records that describe no renewal
    any more go. Returns the records added."""
    today = scoring.today()
    reporting = get_settings().reporting_currency
    wanted = {r["account_id"]: r for r in await repo.next_renewals(session, today, ids, reporting)}
    upcoming: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for r in await repo.upcoming_open(session, today, ids):
        upcoming[r["account_id"]].append(r)
    delete: list[uuid.UUID] = []
    update: list[dict[str, Any]] = []
    insert: list[dict[str, Any]] = []
    for account_id in set(wanted) | set(upcoming):
        want, have = wanted.get(account_id), upcoming.get(account_id, [])
        if want is None:
            delete += [r["id"] for r in have]
            continue
        keep = next((r for r in have if r["renewal_date"] == want["renewal_date"]), have[0] if have else None)
        delete += [r["id"] for r in have if r is not keep]
        if keep is None:
            insert.append(dict(want))
        else:
            update.append({**want, "id": keep["id"]})
    await repo.apply_renewals(session, delete, update, insert)
    await repo.mirror_on_accounts(session, today, ids)
    return len(insert)


async def keep_in_step(session: AsyncSession, ids: Sequence[uuid.UUID] | None = None) -> tuple[int, int]:
    """Upcoming renewals in step with their sources (``sync``), and outcomes of renewals
    settled (30 days past, when a churn can no longer be bridged)."""
    today = scoring.today()
    added = await sync(session, ids)
    window = revenue.bridge_days()
    closed = await repo.record_outcomes(session, today - timedelta(days=window), window)
    return added, closed
