"""Leadership metrics from the period rollups (definitions: docs/metrics.md).

Every period holds start + new + expansion + reactivation - contraction - churn = end
exactly (the rollups are sums of movements and monthly ARR). Ratios are fractions; a ratio
whose denominator is zero is None.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.revenue import repository as repo
from app.revenue.schemas import (
    Churn,
    Expansion,
    Freshness,
    Interval,
    NetNew,
    Period,
    RetentionReport,
    RevenueChurn,
    SeriesPoint,
    Summary,
)
from app.revenue.service import bridge_days, today

PERIODS_PER_YEAR = {"month": 12, "quarter": 4, "ttm": 1}
MONEY_COLUMNS = (
    "starting_arr", "ending_arr", "new", "expansion_seat", "expansion_plan", "expansion_cross_sell", "reactivation",
    "contraction", "churn_voluntary", "churn_involuntary", "cohort_ending_arr", "cohort_retained_arr",
    "cohort_contraction", "cohort_churn_voluntary", "cohort_churn_involuntary",
)  # fmt: skip


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, 1)


def _ratio(num: Decimal | float, den: Decimal | float) -> float | None:
    return float(num) / float(den) if den else None


def period(row: Any, kind: str, day: date) -> Period:
    start = row["starting_arr"]
    churn = row["churn_voluntary"] + row["churn_involuntary"]
    expansion = row["expansion_seat"] + row["expansion_plan"] + row["expansion_cross_sell"]
    cohort_lost = row["cohort_churn_voluntary"] + row["cohort_churn_involuntary"] + row["cohort_contraction"]
    logo = _ratio(row["cohort_churned_accounts"], row["cohort_accounts"])
    return Period(
        period_start=row["period_start"],
        period_end=row["period_end"],
        starting_arr=float(start),
        ending_arr=float(row["ending_arr"]),
        new=float(row["new"]),
        expansion=Expansion(
            seat=float(row["expansion_seat"]),
            plan=float(row["expansion_plan"]),
            cross_sell=float(row["expansion_cross_sell"]),
        ),
        reactivation=float(row["reactivation"]),
        contraction=float(row["contraction"]),
        churn=Churn(voluntary=float(row["churn_voluntary"]), involuntary=float(row["churn_involuntary"])),
        fx=float(row.get("fx") or 0),
        net_new_arr_existing=float(expansion + row["reactivation"] - row["contraction"] - churn),
        nrr=_ratio(row["cohort_ending_arr"], start),
        grr=_ratio(row["cohort_retained_arr"], start),
        logo_churn_rate=logo,
        logo_churn_rate_annualised=None if logo is None else 1 - (1 - logo) ** PERIODS_PER_YEAR[kind],
        revenue_churn_rate=RevenueChurn(
            total=_ratio(cohort_lost, start),
            net=_ratio(cohort_lost - expansion - row["reactivation"], start),
            voluntary=_ratio(row["cohort_churn_voluntary"], start),
            involuntary=_ratio(row["cohort_churn_involuntary"], start),
            downgrade=_ratio(row["cohort_contraction"], start),
        ),
        customers_start=int(row["cohort_accounts"]),
        customers_end=int(row["accounts_end"]),
        provisional=row["period_end"] > day - timedelta(days=bridge_days()),
        partial=row["period_end"] > day,
    )


def default_range(day: date) -> tuple[date, date]:
    """The last 18 months, the current one included."""
    last = day.replace(day=1)
    return add_months(last, -17), last


async def freshness(session: AsyncSession) -> Freshness:
    built, changed = await repo.freshness(session)
    return Freshness(computed_at=built, rebuild_pending=changed is not None and (built is None or changed > built))


async def retention(
    session: AsyncSession,
    kind: Interval,
    first: date | None,
    last: date | None,
    segment: str | None = None,
    plan: str | None = None,
    icp_tier: str | None = None,
    *,
    as_of: date | None = None,
) -> RetentionReport:
    """Periods starting from ``first`` to ``last`` (months); ttm periods by the month they end in.
    ``as_of`` (default today) is the day the periods are judged from: which are partial or
    provisional, and the default range."""
    day = as_of or today()
    d_first, d_last = default_range(day)
    first = (first or d_first).replace(day=1)
    last = (last or d_last).replace(day=1)
    if kind == "quarter":
        first = first.replace(month=(first.month - 1) // 3 * 3 + 1)
    shift = -11 if kind == "ttm" else 0
    first, last = add_months(first, shift), add_months(last, shift)
    rows = {r["period_start"]: r for r in await repo.periods(session, kind, first, last, segment, plan, icp_tier)}
    # a period nobody was a customer in has no rollup rows: it is all zeros, not missing
    stride, length = repo.PERIOD_KINDS[kind]
    starts = []
    start = first
    while start <= last:
        starts.append(start)
        start = add_months(start, stride)
    # logos and lifetimes: movements read directly (a churn counts once confirmed as of ``day``)
    confirmed_before = day - timedelta(days=bridge_days())
    logos = await repo.logos(session, kind, first, last, confirmed_before, segment, plan, icp_tier)
    all_time = await repo.lifetimes(session, confirmed_before, segment, plan, icp_tier)
    periods = []
    for s in starts:
        p = period(rows.get(s) or _empty(s, add_months(s, length)), kind, day)
        if (found := logos.get(s)) is not None:
            p.new_logos = int(found["new_logos"])
            p.reactivated_logos = int(found["reactivated_logos"])
            p.average_lifetime_months = found["average_lifetime_months"]
        periods.append(p)
    return RetentionReport(
        interval=kind,
        currency=get_settings().reporting_currency,
        segment=segment,
        plan=plan,
        icp_tier=icp_tier,
        periods=periods,
        freshness=await freshness(session),
        average_lifetime_months=all_time["months"],
        lifetime_churns=int(all_time["churns"]),
    )


def _empty(start: date, end: date) -> dict[str, Any]:
    zero = Decimal(0)
    return {"period_start": start, "period_end": end, "cohort_accounts": 0, "cohort_churned_accounts": 0,
            "accounts_end": 0} | dict.fromkeys(MONEY_COLUMNS, zero)  # fmt: skip


def _change(now: float, before: float) -> float | None:
    return (now - before) / abs(before) if before else None


async def net_new(session: AsyncSession, day: date) -> NetNew:
    """Net new ARR from existing customers over the last 7 and 30 days (today included) and
    the 7 and 30 days before them, in one query."""
    row = await repo.net_new_windows(session, day + timedelta(days=1))
    week, week_before = float(row["d7"]), float(row["d14"]) - float(row["d7"])
    month, month_before = float(row["d30"]), float(row["d60"]) - float(row["d30"])
    return NetNew(
        last_7_days=week,
        previous_7_days=week_before,
        wow=_change(week, week_before),
        last_30_days=month,
        previous_30_days=month_before,
        mom=_change(month, month_before),
    )


def to_date_on(day: date, now: date) -> date:
    """The day the figures to date of ``summary(session, day)`` describe (ARR, MRR, customers,
    ARPA, NRR/GRR over the twelve months): ``day`` itself when it is today. The rollups keep
    them by month only, so for a past day they are those at the start of its month, the last
    day before it they can date exactly."""
    return day if day >= now else day.replace(day=1)


async def summary(session: AsyncSession, day: date | None = None) -> Summary:
    """The leadership figures today, or as they read on a past ``day`` (the weekly digest's
    week-over-week changes). For a past day, what is counted over full months (logo and revenue
    churn, expansion: the months before the day's) and over days (net new ARR: the 7 and 30
    days up to the day) is exact; the figures to date come from the start of the day's month
    (``to_date_on``), and the series' last point, the day's month, holds that month to today."""
    now = today()
    day = min(day or now, now)
    first, last = default_range(day)
    months = (await retention(session, "month", first, last, as_of=day)).periods
    dated = to_date_on(day, now)
    if dated == day:
        ttm = (await retention(session, "ttm", last, last, as_of=day)).periods
        at_date = months[-1] if months else None
    else:  # the twelve months and the ARR up to the start of the day's month
        ttm = (await retention(session, "ttm", add_months(last, -1), add_months(last, -1), as_of=day)).periods
        at_date = months[-2] if len(months) > 1 else None
    settings = get_settings()
    arr = at_date.ending_arr if at_date else 0.0
    customers = at_date.customers_end if at_date else 0
    mrr = arr / 12
    arpa = mrr / customers if customers else None
    full = [p for p in months if not p.partial]
    last_full = full[-1] if full else None
    rev_rates = [p.revenue_churn_rate.total for p in full[-12:] if p.revenue_churn_rate.total is not None]
    monthly_rev_churn = sum(rev_rates) / len(rev_rates) if rev_rates else None
    net = await net_new(session, day)
    series = [
        SeriesPoint(
            month=p.period_start,
            arr=p.ending_arr,
            mrr=p.ending_arr / 12,
            customers=p.customers_end,
            arpa=(p.ending_arr / 12 / p.customers_end) if p.customers_end else None,
            nrr=p.nrr,
            grr=p.grr,
            logo_churn_rate=p.logo_churn_rate,
            revenue_churn_rate=p.revenue_churn_rate.total,
            net_new_arr_existing=p.net_new_arr_existing,
            expansion=p.expansion.seat + p.expansion.plan + p.expansion.cross_sell,
            provisional=p.provisional,
        )
        for p in months
    ]
    return Summary(
        freshness=await freshness(session),
        as_of=day,
        to_date_on=dated,
        currency=settings.reporting_currency,
        gross_margin=float(settings.gross_margin),
        arr=arr,
        mrr=mrr,
        customers=customers,
        arpa=arpa,
        nrr_ttm=ttm[-1].nrr if ttm else None,
        grr_ttm=ttm[-1].grr if ttm else None,
        logo_churn_monthly=last_full.logo_churn_rate if last_full else None,
        logo_churn_annualised=last_full.logo_churn_rate_annualised if last_full else None,
        revenue_churn_monthly=monthly_rev_churn,
        ltv=(arpa * float(settings.gross_margin) / monthly_rev_churn) if arpa and monthly_rev_churn else None,
        net_new_arr_existing=net,
        series=series,
    )
