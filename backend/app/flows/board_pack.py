"""The board pack (``GET /api/v1/metrics/board-pack.pdf``): the leadership overview's three
first-screen answers over the caller's scope, the leadership summary's seven KPIs with their
18 months, NRR and GRR by quarter, and the definitions, rendered to a PDF
(``app.reports.board_pack``) with the digest's charts (``app.reports.charts``)."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.auth.service import Principal
from app.flows import leadership_overview, metrics_summary
from app.flows.weekly_digest import last_full_month, metric_values, scope_label
from app.reports import board_pack, charts
from app.reports import digest as render
from app.reports import format as fmt
from app.reports.schemas import (
    METRICS,
    REVENUE_AT_RISK_DEFINITION,
    AttentionRow,
    BandRow,
    BoardKpi,
    BoardPack,
    ForecastRow,
    QuarterRow,
)
from app.revenue import metrics
from app.revenue.metrics import add_months
from app.revenue.schemas import SeriesPoint, Summary

QUARTERS = 6


def filename(day: date) -> str:
    return f"tempo-board-pack-{day.isoformat()}.pdf"


def _value(p: SeriesPoint, key: str) -> float | None:
    """A KPI's point of the month (the series the Leadership page's sparklines draw)."""
    by_key: dict[str, float | None] = {
        "arr": p.arr,
        "nrr": p.nrr,
        "grr": p.grr,
        "logo_churn": p.logo_churn_rate,
        "revenue_churn": p.revenue_churn_rate,
        "expansion": p.expansion,
        "net_new": p.net_new_arr_existing,
    }
    return by_key[key]


def _kpis(summary: Summary) -> list[BoardKpi]:
    values = metric_values(summary)
    full = last_full_month(summary)
    month = fmt.month(full.month) if full else "last full month"
    notes = {
        "arr": f"today · MRR {fmt.money_compact(summary.mrr, summary.currency)}",
        "nrr": "twelve months to date",
        "grr": "twelve months to date",
        "logo_churn": f"{month} · annualised {fmt.percent(summary.logo_churn_annualised)}",
        "revenue_churn": "mean of the last 12 full months",
        "expansion": month,
        "net_new": "last 30 days",
    }
    return [
        BoardKpi(
            key=m.key,
            label=m.label,
            value=render.figure(m.key, values[m.key], summary.currency),
            note=notes[m.key],
            kind=m.kind,
            months=[p.month for p in summary.series],
            values=[_value(p, m.key) for p in summary.series],
        )
        for m in METRICS
    ]


async def _quarters(session: AsyncSession, day: date) -> list[QuarterRow]:
    this_quarter = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    first = add_months(this_quarter, -3 * (QUARTERS - 1))
    report = await metrics.retention(session, "quarter", first, this_quarter)
    return [
        QuarterRow(
            quarter=f"Q{(p.period_start.month - 1) // 3 + 1} {p.period_start.year}",
            starting_arr=p.starting_arr,
            ending_arr=p.ending_arr,
            nrr=p.nrr,
            grr=p.grr,
            partial=p.partial,
        )
        for p in report.periods
    ]


def _definitions(pack_kpis: list[BoardKpi]) -> list[tuple[str, str]]:
    return [
        ("Revenue at risk", REVENUE_AT_RISK_DEFINITION),
        ("Accounts needing attention", leadership_overview.ATTENTION_DEFINITION),
        ("Renewals next quarter", leadership_overview.RENEWALS_DEFINITION),
        ("Expansion pipeline", leadership_overview.EXPANSION_DEFINITION),
        *[(m.label, m.definition) for m in METRICS],
        (
            "NRR and GRR by quarter",
            "The same ratios over each calendar quarter: the quarter's cohort is the accounts with ARR on its "
            "first day.",
        ),
    ]


async def build(session: AsyncSession, principal: Principal, requested: access.ScopeName | None) -> BoardPack:
    overview = await leadership_overview.overview(session, principal, requested)
    summary = await metrics_summary.summary(session)
    scope = await access.resolve_scope(session, principal, requested)
    kpis = _kpis(summary)
    risk = overview.revenue_at_risk
    attention = overview.attention
    quarter = overview.renewals_next_quarter.next_quarter
    return BoardPack(
        as_of=overview.as_of,
        scope=overview.scope,
        scope_label=scope_label(scope),
        currency=overview.currency,
        revenue_at_risk=risk.value,
        risk_arr=risk.arr,
        risk_accounts=risk.accounts,
        by_band=[BandRow(band=b.band, accounts=b.accounts, arr=b.arr, at_risk=b.at_risk) for b in risk.by_band],
        attention=[
            AttentionRow(
                rank=i.rank, account=i.account_name, owner=i.owner_name or i.owner_email, reason=i.reason, value=i.value
            )
            for i in attention.items
        ],
        attention_total=attention.total_items,
        attention_at_stake=attention.total_at_stake,
        renewals_label=quarter.label,
        renewals_start=quarter.start,
        renewals_end=quarter.end,
        renewals_count=quarter.renewals,
        renewals_arr=quarter.arr,
        by_forecast=[ForecastRow(forecast=f.forecast, renewals=f.renewals, arr=f.arr) for f in quarter.by_forecast],
        expansion_pipeline=overview.expansion_pipeline.value,
        expansion_accounts=overview.expansion_pipeline.accounts,
        kpis=kpis,
        quarters=await _quarters(session, overview.as_of),
        definitions=_definitions(kpis),
    )


def _draw(pack: BoardPack) -> bytes:
    images: dict[str, bytes] = {
        str(k.key): charts.line_chart(
            k.months,
            [(k.label, k.values, charts.METRIC_COLORS[k.key])],
            k.kind,
            pack.currency,
            height=board_pack.CHART_H,
            width=board_pack.CHART_W,
            bars=k.key == "net_new",
            font_size=7,
        )
        for k in pack.kpis
    }
    return board_pack.render(pack, images)


async def pdf(session: AsyncSession, principal: Principal, requested: access.ScopeName | None) -> tuple[bytes, str]:
    """The board pack's PDF and its file name (drawn off the event loop)."""
    pack = await build(session, principal, requested)
    return await asyncio.to_thread(_draw, pack), filename(pack.as_of)
