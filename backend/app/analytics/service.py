"""Cohort and product analytics: shapes the repository's rows; outcome-based rates reuse the
scoring validation's point-in-time outcomes (so nothing from the future leaks in)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.analytics import repository as repo
from app.analytics.schemas import (
    AdoptionBeforeRenewal,
    AdoptionWindow,
    ChurnDrivers,
    Cohort,
    CohortAge,
    CohortReport,
    ComplaintToFix,
    Driver,
    EngagementChurn,
    FeatureAdoption,
    FeatureByQuadrant,
    QuadrantChurn,
    QuadrantUse,
    QuarterChurn,
    Rate,
    Split,
    TimeToValue,
)
from app.core.enums import Quadrant
from app.core.models import utcnow
from app.revenue.metrics import add_months
from app.scoring import validation

TIERS = (("low", 0.0, 40.0), ("medium", 40.0, 70.0), ("high", 70.0, 101.0))


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


async def cohorts(session: AsyncSession, split: Split, months: int) -> CohortReport:
    today = utcnow().date()
    last = today.replace(day=1)
    first = add_months(last, -(months - 1))
    rows = await repo.cohort_ages(session, split, first, last, months, add_months(last, 1))
    grouped: dict[tuple[date, str], list[Any]] = defaultdict(list)
    for r in rows:
        grouped[(r["cohort"], r["grp"])].append(r)
    out = []
    for (cohort, group), ages in sorted(grouped.items()):
        size, initial = int(ages[0]["size"]), float(ages[0]["initial_arr"])
        out.append(
            Cohort(
                cohort=cohort,
                group=group,
                size=size,
                initial_arr=initial,
                ages=[
                    CohortAge(
                        age=int(a["age"]),
                        retained=int(a["retained"]),
                        arr=float(a["arr"]),
                        logo_retention=_ratio(int(a["retained"]), size),
                        revenue_retention=_ratio(float(a["arr"]), initial),
                    )
                    for a in ages
                ],
            )
        )
    return CohortReport(split=split, cohorts=out)


async def churn_drivers(session: AsyncSession, months: int) -> ChurnDrivers:
    since = add_months(utcnow().date().replace(day=1), -months)
    by: dict[str, list[Driver]] = defaultdict(list)
    for r in await repo.churn_drivers(session, since):
        by[r["dimension"]].append(
            Driver(driver=r["driver"] or "unknown", churns=r["churns"], lost_arr=float(r["lost_arr"]))
        )
    return ChurnDrivers(since=since, **{k: by[k] for k in ("reason", "kind", "quadrant", "segment", "plan")})


async def time_to_value(session: AsyncSession) -> list[TimeToValue]:
    return [TimeToValue(**r) for r in await repo.time_to_value(session)]


def _rate(label: str, rows: list[Any]) -> Rate:
    churned = sum(1 for r in rows if r["churned"])
    return Rate(label=label, outcomes=len(rows), churned=churned, churn_rate=_ratio(churned, len(rows)))


async def engagement_churn(session: AsyncSession, horizon_days: int) -> EngagementChurn:
    rows = await validation.outcome_rows(session, horizon_days)
    tiers = []
    for label, lo, hi in TIERS:
        tiers.append(_rate(label, [r for r in rows if r["usage_score"] is not None and lo <= r["usage_score"] < hi]))
    return EngagementChurn(horizon_days=horizon_days, tiers=tiers)


def quarter_of(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


async def quadrant_churn(session: AsyncSession, horizon_days: int) -> QuadrantChurn:
    """Churn by quadrant (90 days before each outcome) per quarter of the outcome, with the
    ratio to Champions."""
    rows = await validation.outcome_rows(session, horizon_days)
    by_quarter: dict[date, list[Any]] = defaultdict(list)
    for r in rows:
        by_quarter[quarter_of(r["event_date"])].append(r)
    quarters = []
    for quarter in sorted(by_quarter):
        rates = [_rate(q.value, [r for r in by_quarter[quarter] if r["quadrant"] == q.value]) for q in Quadrant]
        champions = rates[0].churn_rate
        for rate in rates:
            rate.ratio_to_champions = (
                _ratio(rate.churn_rate, champions) if rate.churn_rate is not None and champions else None
            )
        quarters.append(QuarterChurn(quarter=quarter, quadrants=rates))
    return QuadrantChurn(horizon_days=horizon_days, quarters=quarters)


async def adoption_before_renewal(session: AsyncSession, months: int) -> AdoptionBeforeRenewal:
    since = add_months(utcnow().date().replace(day=1), -months)
    cells: dict[tuple[str, str, bool], dict[tuple[int, str], tuple[int, int]]] = defaultdict(dict)
    for r in await repo.adoption_before_renewal(session, since):
        cells[(r["key"], r["name"], r["is_core"])][(r["days_before"], r["result"])] = (r["users"], r["renewals"])
    features = []
    for (key, name, core), got in cells.items():
        windows = []
        for days in (90, 60, 30):
            ru, rn = got.get((days, "renewed"), (0, 0))
            cu, cn = got.get((days, "churned"), (0, 0))
            windows.append(
                AdoptionWindow(
                    days_before=days, renewed_share=_ratio(ru, rn), churned_share=_ratio(cu, cn), renewed=rn, churned=cn
                )
            )
        features.append(FeatureAdoption(key=key, name=name, is_core=core, windows=windows))
    return AdoptionBeforeRenewal(since=since, features=features)


async def features_by_quadrant(session: AsyncSession) -> list[FeatureByQuadrant]:
    cells: dict[tuple[str, str, bool], dict[str, QuadrantUse]] = defaultdict(dict)
    for r in await repo.features_by_quadrant(session, utcnow().date()):
        accounts = int(r["accounts"])
        cells[(r["key"], r["name"], r["is_core"])][r["quadrant"]] = QuadrantUse(
            quadrant=r["quadrant"],
            accounts=accounts,
            share=_ratio(int(r["users"]), accounts),
            events_per_account=_ratio(float(r["events"]), accounts),
        )
    out = []
    for (key, name, core), by_q in cells.items():
        quadrants = [by_q[q.value] for q in Quadrant if q.value in by_q]
        champ, fpu = by_q.get("champions"), by_q.get("frustrated_power_users")
        gap = champ.share - fpu.share if champ and fpu and champ.share is not None and fpu.share is not None else None
        out.append(
            FeatureByQuadrant(key=key, name=name, is_core=core, quadrants=quadrants, champions_vs_frustrated=gap)
        )
    out.sort(key=lambda f: -(f.champions_vs_frustrated or 0))
    return out


async def complaint_to_fix(session: AsyncSession, months: int) -> list[ComplaintToFix]:
    now = utcnow()
    since = now.date() - timedelta(days=31 * months)
    return [ComplaintToFix(**r) for r in await repo.complaint_to_fix(session, since, now)]
