"""API shapes of revenue metrics (DESIGN §11; definitions in docs/metrics.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.core.types import SignalDate

Interval = Literal["month", "quarter", "ttm"]


class Expansion(BaseModel):
    seat: float
    plan: float
    cross_sell: float


class Churn(BaseModel):
    voluntary: float
    involuntary: float


class RevenueChurn(BaseModel):
    """Gross: (churn + contraction) of the period's cohort / starting ARR, split below. Net:
    gross less (expansion + reactivation) / starting ARR (ChartMogul's standard B2B net MRR
    churn rate); negative when existing customers grow more than they shrink."""

    total: float | None
    net: float | None = None
    voluntary: float | None
    involuntary: float | None
    downgrade: float | None


class Period(BaseModel):
    period_start: date
    period_end: date = Field(description="exclusive")
    starting_arr: float
    ending_arr: float
    new: float
    expansion: Expansion
    reactivation: float
    contraction: float
    churn: Churn
    fx: float = Field(default=0.0, description="ARR moved by exchange rates (gains - losses); start + flows + fx = end")
    net_new_arr_existing: float = Field(description="expansion + reactivation - contraction - churn")
    nrr: float | None
    grr: float | None
    logo_churn_rate: float | None
    logo_churn_rate_annualised: float | None
    revenue_churn_rate: RevenueChurn
    customers_start: int = Field(description="accounts with ARR at the period's start (the cohort)")
    customers_end: int
    provisional: bool = Field(description="ends less than 30 days ago: a recent churn may yet be bridged")
    partial: bool = Field(description="not over yet: figures to date")
    new_logos: int = Field(default=0, description="accounts whose first ARR ever came in the period (a new movement)")
    reactivated_logos: int = Field(
        default=0, description="accounts back from a confirmed churn in the period (a reactivation movement)"
    )
    average_lifetime_months: float | None = Field(
        default=None,
        description="mean months from first ARR to churn over the accounts whose churn in the period is confirmed "
        "(30 days past); null when none",
    )


class Freshness(BaseModel):
    """How fresh revenue figures are: rollups are rebuilt a few seconds after subscription lines
    change (and nightly), so an answer says when its figures were computed and whether lines
    changed since."""

    computed_at: datetime | None = Field(description="when the rollups these figures come from were built")
    rebuild_pending: bool = Field(description="subscription lines changed since: a rebuild is on its way")


class RetentionReport(BaseModel):
    interval: Interval
    currency: str
    segment: str | None
    plan: str | None
    icp_tier: str | None
    periods: list[Period]
    freshness: Freshness
    average_lifetime_months: float | None = Field(
        default=None,
        description="all time: mean months from first ARR to churn over every account with a confirmed churn "
        "(its last one); null when none",
    )
    lifetime_churns: int = Field(default=0, description="how many accounts the all-time average is over")


class NetNew(BaseModel):
    """Net new ARR from existing customers (expansion + reactivation - contraction - churn)."""

    last_7_days: float
    previous_7_days: float
    wow: float | None = Field(description="change, as a fraction of the previous 7 days (None when that was 0)")
    last_30_days: float
    previous_30_days: float
    mom: float | None


class SeriesPoint(BaseModel):
    month: date
    arr: float
    mrr: float
    customers: int
    arpa: float | None = Field(description="MRR per customer")
    nrr: float | None
    grr: float | None
    logo_churn_rate: float | None
    revenue_churn_rate: float | None
    net_new_arr_existing: float
    expansion: float
    provisional: bool


class Summary(BaseModel):
    as_of: date
    to_date_on: date | None = Field(
        default=None,
        description="the day ARR, MRR, customers, ARPA and NRR/GRR (TTM) describe: as_of today; for a summary "
        "as of a past day, the start of its month (the rollups keep figures to date by month)",
    )
    currency: str
    gross_margin: float
    arr: float
    mrr: float
    customers: int
    arpa: float | None
    nrr_ttm: float | None
    grr_ttm: float | None
    logo_churn_monthly: float | None = Field(description="last full month")
    logo_churn_annualised: float | None
    revenue_churn_monthly: float | None = Field(description="mean of the last 12 full months")
    ltv: float | None = Field(description="ARPA x gross margin / monthly revenue churn")
    net_new_arr_existing: NetNew
    freshness: Freshness
    revenue_at_risk: float | None = Field(
        default=None, description="Σ ARR x churn probability x saveable fraction (GET /api/v1/metrics/revenue-at-risk)"
    )
    series: list[SeriesPoint] = Field(description="18 months, oldest first")


Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)]


class FxRateIn(BaseModel):
    """How many units of ``currency`` one euro buys from ``day`` on (the ECB's convention; for
    the euro against the reporting currency, give the reporting currency's rate)."""

    model_config = ConfigDict(extra="forbid")

    currency: Currency
    day: SignalDate
    per_eur: Annotated[Decimal, Field(gt=0, max_digits=20, decimal_places=8)]


class FxRatesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[FxRateIn] = Field(min_length=1, max_length=5000)


class FxRateOut(BaseModel):
    currency: str
    day: date
    per_eur: float
    to_reporting: float | None = Field(
        description="units of the reporting currency one unit is worth that day; null when the reporting "
        "currency has no rate on or before it"
    )
    source: str


class FxRates(BaseModel):
    reporting_currency: str
    items: list[FxRateOut]
    stored: int = 0


# -- the leadership overview (GET /api/v1/metrics/overview) --------------------------------


class OverviewBand(BaseModel):
    band: str = Field(description="healthy, watch, at_risk, or unscored (no health score yet)")
    accounts: int
    arr: float
    at_risk: float
    book_filter: str = Field(description="The Book's filter for these accounts")


class OverviewRisk(BaseModel):
    definition: str
    value: float = Field(description="Revenue at risk")
    arr: float = Field(description="The ARR of the accounts counted")
    accounts: int
    by_band: list[OverviewBand] = Field(description="Largest revenue at risk first")
    probability_source: Literal["calibrated", "default"]
    book_filter: str = Field(description="The Book's filter for the accounts counted (with the same scope)")


class AttentionItem(BaseModel):
    rank: int = Field(description="Its rank in the queue")
    account_id: uuid.UUID
    account_name: str
    owner_id: uuid.UUID | None
    owner_name: str | None
    owner_email: str | None
    reason: str = Field(description="Why it is in the queue, in one line")
    value: float = Field(description="ARR at stake if we act now")
    severity: str = Field(description="The most severe of its alerts")


class OverviewAttention(BaseModel):
    definition: str
    items: list[AttentionItem] = Field(description="The queue's top 10 risks, highest ARR at stake first")
    total_items: int = Field(description="Risk items in the queue")
    total_at_stake: float = Field(description="Σ ARR at stake over every risk item in the queue")


class ForecastGroup(BaseModel):
    forecast: str = Field(description="commit, upside, risk, churn, or unset (no forecast yet)")
    renewals: int
    arr: float


class RenewalWindow(BaseModel):
    label: str = Field(description='"Q3 2025", or "Next 90 days"')
    start: date
    end: date = Field(description="Inclusive")
    renewals: int
    arr: float = Field(description="Σ ARR up for renewal")
    no_forecast: int = Field(description="Renewals without a forecast yet")
    by_forecast: list[ForecastGroup] = Field(description="commit, upside, risk, churn, unset: always all five")


class OverviewRenewals(BaseModel):
    definition: str
    next_quarter: RenewalWindow
    within_90_days: RenewalWindow


class ExpansionRule(BaseModel):
    rule: str = Field(description="expansion_ready, seat_limit or api_limit")
    accounts: int
    value: float


class OverviewExpansion(BaseModel):
    definition: str
    value: float = Field(description="Σ expected expansion ARR")
    accounts: int
    by_rule: list[ExpansionRule] = Field(description="By the item's leading alert; always all three rules")


class NpsFigure(BaseModel):
    definition: str
    value: float | None = Field(description="-100 to 100; null without responses")
    respondents: int
    promoters: int
    detractors: int
    previous: float | None = Field(description="The same for the 90 days before")
    previous_respondents: int
    change: float | None = Field(description="value - previous")


class CsatFigure(BaseModel):
    definition: str
    value: float | None = Field(description="Mean score, 1 to 5; null without responses")
    responses: int
    previous: float | None = Field(description="The same for the 90 days before")
    previous_responses: int
    change: float | None = Field(description="value - previous")


class Overview(BaseModel):
    """The leadership first screen: revenue at risk, what needs attention this week, where
    renewal and expansion come from next quarter, and book-level NPS and CSAT."""

    scope: Literal["mine", "team", "all"] = Field(description="Whose accounts (the scope applied)")
    as_of: date
    currency: str
    revenue_at_risk: OverviewRisk
    attention: OverviewAttention
    renewals_next_quarter: OverviewRenewals
    expansion_pipeline: OverviewExpansion
    nps: NpsFigure
    csat: CsatFigure
