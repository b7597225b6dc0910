"""Renewals: the list with a suggested forecast from health, the forecast rollup, forecast
edits, and keeping records and outcomes in step with revenue data."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.errors import NotFound
from app.core.models import utcnow
from app.queue.ranking import churn_probability
from app.renewals import repository as repo
from app.renewals.models import Renewal
from app.renewals.schemas import RenewalRow, RenewalUpdate, Rollup, RollupRow
from app.revenue.engine import BRIDGE_DAYS
from app.scoring import calibration
from app.scoring import service as scoring

# churn probability below each bound suggests the forecast (commit < 10% <= upside < 25% ...)
SUGGESTION = ((0.10, "commit"), (0.25, "upside"), (0.50, "risk"), (1.01, "churn"))
FORECASTS = ("commit", "upside", "risk", "churn")
LIMIT = 100_000


def suggest(probability: float | None) -> str | None:
    if probability is None:
        return None
    return next(name for bound, name in SUGGESTION if probability < bound)


async def list_renewals(
    session: AsyncSession,
    within_days: int | None,
    status: str,
    forecast: str | None = None,
    segment: str | None = None,
    owner_id: uuid.UUID | None = None,
    renewal_id: uuid.UUID | None = None,
) -> list[RenewalRow]:
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
            "limit": LIMIT,
        },
    )
    out = []
    for r in rows:
        p = churn_probability(curve, r["health_score"]) if r["health_score"] is not None else None
        out.append(RenewalRow(**r, churn_probability=p, suggested_forecast=suggest(p)))
    return out


async def rollup(session: AsyncSession, within_days: int) -> Rollup:
    renewals = await list_renewals(session, within_days, "open")

    def grouped(key: Any) -> list[RollupRow]:
        count: dict[str, int] = defaultdict(int)
        arr: dict[str, float] = defaultdict(float)
        for r in renewals:
            name = key(r) or "unset"
            count[name] += 1
            arr[name] += r.arr_up_for_renewal
        return [RollupRow(forecast=f, renewals=count[f], arr=arr[f]) for f in (*FORECASTS, "unset")]

    return Rollup(
        within_days=within_days,
        by_forecast=grouped(lambda r: r.forecast),
        by_suggested=grouped(lambda r: r.suggested_forecast),
        total_arr=sum(r.arr_up_for_renewal for r in renewals),
    )


async def update(session: AsyncSession, renewal_id: uuid.UUID, payload: RenewalUpdate, actor: str) -> Renewal:
    renewal = await session.get(Renewal, renewal_id)
    if renewal is None:
        raise NotFound(f"No renewal {renewal_id}")
    changes = payload.model_dump(exclude_unset=True)
    if "forecast" in changes:
        renewal.forecast = payload.forecast.value if payload.forecast else None
    if "owner_notes" in changes:
        renewal.owner_notes = payload.owner_notes
    renewal.updated_at = utcnow()
    await session.flush()
    record(session, actor, "renewal.update", "renewal", renewal_id, {k: str(v) for k, v in changes.items()})
    return renewal


async def keep_in_step(session: AsyncSession) -> tuple[int, int]:
    """Records for yearly contracts without one, and outcomes of renewals settled (30 days
    past, when a churn can no longer be bridged)."""
    today = scoring.today()
    derived = await repo.derive_from_lines(session, today)
    closed = await repo.record_outcomes(session, today - timedelta(days=BRIDGE_DAYS), BRIDGE_DAYS)
    return derived, closed
