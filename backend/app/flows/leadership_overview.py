"""The leadership overview (``GET /api/v1/metrics/overview``): scoring's revenue at risk, the
queue's top risks and its expansion pipeline, renewals' forecast for the next quarter and
book-level NPS and CSAT, all over one list scope, each figure with its definition."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.models import utcnow
from app.queue import ranking
from app.queue import service as queue
from app.renewals import service as renewals
from app.renewals.schemas import RenewalRow
from app.revenue.schemas import (
    AttentionItem,
    CsatFigure,
    ExpansionRule,
    ForecastGroup,
    NpsFigure,
    Overview,
    OverviewAttention,
    OverviewBand,
    OverviewExpansion,
    OverviewRenewals,
    OverviewRisk,
    RenewalWindow,
)
from app.scoring import risk
from app.scoring import service as scoring
from app.surveys import repository as surveys
from app.team import service as team

ATTENTION = 10
WINDOW_DAYS = 90
FORECAST_GROUPS = (*renewals.FORECASTS, "unset")
EXPANSION_RULES = ("expansion_ready", "seat_limit", "api_limit")  # ranking.OPPORTUNITY_RULES, in this order

RISK_DEFINITION = (
    "Σ over the active accounts of ARR x churn probability (from the health score) x saveable fraction "
    "(from the days to the next term renewal): the ARR we expect to lose unless we act, as the queue ranks it."
)
ATTENTION_DEFINITION = (
    "The top 10 risks of the Today queue: accounts with active alerts ranked by ARR at stake if we act now "
    "(ARR x churn probability x saveable fraction)."
)
RENEWALS_DEFINITION = (
    "Open annual, multi-year and contract renewals dated in the next calendar quarter (and, beside it, in the "
    "next 90 days), by the forecast the team set, with the ARR up for renewal."
)
EXPANSION_DEFINITION = (
    "Σ expected expansion ARR of the queue's opportunities (expansion ready, seat limit, API limit alerts): "
    f"ARR x {ranking.EXPANSION_UPLIFT:.0%} uplift x (1 - churn probability), one per account, split by its "
    "leading alert."
)
NPS_DEFINITION = (
    "% promoters (9-10) - % detractors (0-6) among each contact's latest NPS answer of the last 90 days, "
    "compared with the 90 days before."
)
CSAT_DEFINITION = "Mean CSAT score (1-5) of every response in the last 90 days, compared with the 90 days before."


def next_quarter(today: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter after ``today``'s."""
    month = (today.month - 1) // 3 * 3 + 4
    start = date(today.year + (month > 12), (month - 1) % 12 + 1, 1)
    after = date(start.year + (start.month + 3 > 12), (start.month + 2) % 12 + 1, 1)
    return start, after - timedelta(days=1)


def _window(label: str, start: date, end: date, rows: list[RenewalRow]) -> RenewalWindow:
    inside = [r for r in rows if start <= r.renewal_date <= end]
    count: dict[str, int] = defaultdict(int)
    arr: dict[str, float] = defaultdict(float)
    for r in inside:
        key = r.forecast.value if r.forecast else "unset"
        count[key] += 1
        arr[key] += r.arr_up_for_renewal
    return RenewalWindow(
        label=label,
        start=start,
        end=end,
        renewals=len(inside),
        arr=round(sum(r.arr_up_for_renewal for r in inside), 2),
        no_forecast=count["unset"],
        by_forecast=[ForecastGroup(forecast=f, renewals=count[f], arr=round(arr[f], 2)) for f in FORECAST_GROUPS],
    )


def _band_filter(band: str) -> str:
    return f"status=active band={'none' if band == 'unscored' else band}"


def _nps(promoters: int, detractors: int, respondents: int) -> float | None:
    return round(100 * (promoters - detractors) / respondents, 1) if respondents else None


def _change(now: float | None, before: float | None, digits: int) -> float | None:
    return None if now is None or before is None else round(now - before, digits)


async def overview(session: AsyncSession, principal: Principal, requested: access.ScopeName | None) -> Overview:
    scope = await access.resolve_scope(session, principal, requested)
    today = scoring.today()

    at_risk = await risk.revenue_at_risk(session, accounts=await team.scope_accounts(session, scope))
    revenue_at_risk = OverviewRisk(
        definition=RISK_DEFINITION,
        value=at_risk.revenue_at_risk,
        arr=at_risk.arr,
        accounts=at_risk.accounts,
        by_band=[
            OverviewBand(band=g.key, accounts=g.accounts, arr=g.arr, at_risk=g.at_risk, book_filter=_band_filter(g.key))
            for g in at_risk.by_band
        ],
        probability_source=at_risk.probability_source,
        book_filter="status=active",
    )

    items = (await queue.ranked(session, None, None, scope=scope)).items
    risks = [i for i in items if i.kind == "risk"]
    attention = OverviewAttention(
        definition=ATTENTION_DEFINITION,
        items=[
            AttentionItem(
                rank=i.rank,
                account_id=i.account.id,
                account_name=i.account.name,
                owner_id=i.account.owner_id,
                owner_name=i.account.owner_name,
                owner_email=i.account.owner_email,
                reason=i.reason,
                value=round(i.value, 2),
                severity=i.alerts[0].severity.value,
            )
            for i in risks[:ATTENTION]
        ],
        total_items=len(risks),
        total_at_stake=round(sum(i.value for i in risks), 2),
    )

    opportunities = [i for i in items if i.kind == "opportunity"]
    by_rule: dict[str, list[float]] = {rule: [] for rule in EXPANSION_RULES}
    for i in opportunities:
        by_rule.setdefault(i.alerts[0].rule, []).append(i.value)
    expansion = OverviewExpansion(
        definition=EXPANSION_DEFINITION,
        value=round(sum(i.value for i in opportunities), 2),
        accounts=len({i.account.id for i in opportunities}),
        by_rule=[ExpansionRule(rule=r, accounts=len(v), value=round(sum(v), 2)) for r, v in by_rule.items()],
    )

    start, end = next_quarter(today)
    within = max((end - today).days, WINDOW_DAYS)
    upcoming = await renewals.list_renewals(session, principal, within, "open", term="term", scope=scope)
    quarter = (start.month - 1) // 3 + 1
    renewals_next = OverviewRenewals(
        definition=RENEWALS_DEFINITION,
        next_quarter=_window(f"Q{quarter} {start.year}", start, end, upcoming),
        within_90_days=_window("Next 90 days", today, today + timedelta(days=WINDOW_DAYS), upcoming),
    )

    sentiment = await surveys.book_sentiment(session, utcnow(), scope.params())
    cur, prev = sentiment["current"], sentiment["previous"]
    nps_now = _nps(cur["promoters"], cur["detractors"], cur["nps_respondents"])
    nps_before = _nps(prev["promoters"], prev["detractors"], prev["nps_respondents"])
    csat_now = round(cur["csat_mean"], 2) if cur["csat_mean"] is not None else None
    csat_before = round(prev["csat_mean"], 2) if prev["csat_mean"] is not None else None

    return Overview(
        scope=scope.name,
        as_of=today,
        currency=get_settings().reporting_currency,
        revenue_at_risk=revenue_at_risk,
        attention=attention,
        renewals_next_quarter=renewals_next,
        expansion_pipeline=expansion,
        nps=NpsFigure(
            definition=NPS_DEFINITION,
            value=nps_now,
            respondents=cur["nps_respondents"],
            promoters=cur["promoters"],
            detractors=cur["detractors"],
            previous=nps_before,
            previous_respondents=prev["nps_respondents"],
            change=_change(nps_now, nps_before, 1),
        ),
        csat=CsatFigure(
            definition=CSAT_DEFINITION,
            value=csat_now,
            responses=cur["csat_responses"],
            previous=csat_before,
            previous_responses=prev["csat_responses"],
            change=_change(csat_now, csat_before, 2),
        ),
    )
