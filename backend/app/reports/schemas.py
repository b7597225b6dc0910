"""Shapes of the rendered reports: the weekly digest's data (what the preview answers as JSON
and webhooks receive), its Slack message, and the board pack's content."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.core.enums import Quadrant

MetricKey = Literal["arr", "nrr", "grr", "logo_churn", "revenue_churn", "expansion", "net_new"]
ScopeName = Literal["mine", "team", "all"]


class MetricDef(BaseModel):
    key: MetricKey
    label: str = Field(description="As the Leadership page labels it")
    kind: Literal["money", "ratio"]
    better_when: Literal["up", "down"] = Field(description="Which way of moving is good news")
    digits: int = Field(default=1, description="Decimals of a ratio shown as a percentage")
    definition: str


# The seven leadership KPIs with an 18-month trend, in the Leadership page's order and words
# (frontend/src/features/leadership/kpis.ts); revenue at risk, the eighth tile, has no series.
METRICS: tuple[MetricDef, ...] = (
    MetricDef(
        key="arr",
        label="ARR",
        kind="money",
        better_when="up",
        definition="The annualised amount of every subscription line live today (monthly amounts x 12).",
    ),
    MetricDef(
        key="nrr",
        label="NRR (TTM)",
        kind="ratio",
        better_when="up",
        definition="Net revenue retention over the twelve months to date: what the accounts that had ARR at "
        "the start have now, expansion included, over what they had then.",
    ),
    MetricDef(
        key="grr",
        label="GRR (TTM)",
        kind="ratio",
        better_when="up",
        definition="Gross revenue retention over the twelve months to date: the same, with each account "
        "counted at no more than its starting ARR, so only losses move it.",
    ),
    MetricDef(
        key="logo_churn",
        label="Logo churn (monthly)",
        kind="ratio",
        better_when="down",
        definition="The share of the accounts with ARR at the start of the last full month that had none at its end.",
    ),
    MetricDef(
        key="revenue_churn",
        label="Revenue churn (monthly)",
        kind="ratio",
        better_when="down",
        digits=2,
        definition="ARR lost to churn and contraction in a month over the ARR at its start, averaged over the "
        "last 12 full months.",
    ),
    MetricDef(
        key="expansion",
        label="Expansion ARR (monthly)",
        kind="money",
        better_when="up",
        definition="ARR added by active accounts in the last full month: more seats, a higher plan, or another "
        "product.",
    ),
    MetricDef(
        key="net_new",
        label="Net new ARR, existing customers",
        kind="money",
        better_when="up",
        definition="Expansion and reactivation less contraction and churn over the last 30 days, today included.",
    ),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}

REVENUE_AT_RISK_DEFINITION = (
    "The sum over the active accounts of ARR x churn probability (from the health score) x saveable fraction "
    "(from the days to the next term renewal): what we expect to lose unless we act."
)


class DigestMetric(BaseModel):
    key: MetricKey
    label: str
    kind: Literal["money", "ratio"]
    better_when: Literal["up", "down"]
    value: float | None = Field(description="Today (money in the reporting currency, ratios as fractions)")
    period: str = Field(description='What the value covers: "today", "Nov 2026", "last 30 days"...')
    previous: float | None = Field(description="The value on `compared_on`")
    compared_on: date = Field(
        description="7 days ago; for ARR and NRR/GRR (TTM), which the revenue rollups keep by month, the start "
        "of the month 7 days ago was in"
    )
    change: float | None = Field(description="value - previous; null when either is unknown")


class DigestPoint(BaseModel):
    month: date
    arr: float
    nrr: float | None
    grr: float | None
    provisional: bool


class RiskPart(BaseModel):
    key: str = Field(description="A health band (healthy, watch, at_risk) or unscored")
    accounts: int
    arr: float
    at_risk: float


class DigestRisk(BaseModel):
    value: float = Field(description="Revenue at risk over the scope's active accounts")
    arr: float
    accounts: int
    by_band: list[RiskPart] = Field(description="Largest revenue at risk first")


class DigestMover(BaseModel):
    account_id: uuid.UUID
    name: str
    arr: float
    moved_on: date
    from_quadrant: Quadrant | None
    to_quadrant: Quadrant
    direction: Literal["worse", "better", "sideways"]


class QuadrantMoves(BaseModel):
    quadrant: Quadrant
    better: int
    worse: int
    sideways: int


class DigestMovers(BaseModel):
    moves: int = Field(description="Quadrant moves in the week")
    into_churn_risk: int
    left_champions: int
    by_quadrant: list[QuadrantMoves] = Field(description="Moves by the quadrant moved into, every quadrant")
    largest: list[DigestMover] = Field(description="The largest accounts that moved (by ARR), at most 5")


class DigestRenewal(BaseModel):
    account_id: uuid.UUID
    name: str
    renewal_date: date
    days_to_renewal: int
    arr: float = Field(description="ARR up for renewal")
    health_score: float


class DigestRenewals(BaseModel):
    count: int = Field(description="Open term renewals in the next 90 days whose account's health is below 60")
    arr: float
    items: list[DigestRenewal] = Field(description="The largest 10")


class DigestQueueItem(BaseModel):
    rank: int
    account_id: uuid.UUID
    account_name: str
    reason: str
    value: float = Field(description="ARR at stake if we act now")


class DigestQueue(BaseModel):
    risks: int = Field(description="Risk items in the queue")
    at_stake: float = Field(description="ARR at stake over every risk item")
    items: list[DigestQueueItem] = Field(description="The top 5 risks")


class Digest(BaseModel):
    """The weekly digest of one scope: the leadership metrics (always the whole book, as the
    Leadership page shows them) with their week-over-week change, and the scope's revenue at
    risk, quadrant movers, renewals at risk, top of the queue and data warnings."""

    subject: str
    week_starting: date
    week_ending: date
    scope: ScopeName = Field(description="Whose accounts the sections after the metrics cover")
    scope_label: str
    currency: str
    app_url: str = Field(description="Tempo's address (TEMPO_PUBLIC_URL), for the links")
    metrics: list[DigestMetric] = Field(description="The seven leadership KPIs, whole book")
    series: list[DigestPoint] = Field(description="18 months of ARR, NRR and GRR, oldest first (the charts)")
    revenue_at_risk: DigestRisk
    movers: DigestMovers
    renewals_at_risk: DigestRenewals
    queue: DigestQueue
    hygiene: list[str] = Field(description="Data-hygiene warnings of the scope, worst first, at most 5")
    test: bool = Field(default=False, description="Sent as a test")


class SlackMessage(BaseModel):
    """A Slack-compatible incoming-webhook message: Block Kit blocks and the plain-text
    fallback notifications show."""

    text: str
    blocks: list[dict[str, Any]]


class DigestTestRequest(BaseModel):
    model_config = {"extra": "forbid"}

    channel_id: uuid.UUID | None = Field(
        default=None,
        description="A notification channel to send the test to (admins and leaders); none: an email to yourself",
    )


# -- the board pack --------------------------------------------------------------------------


class BoardKpi(BaseModel):
    key: MetricKey
    label: str
    value: str = Field(description="As printed")
    note: str
    kind: Literal["money", "ratio"]
    months: list[date]
    values: list[float | None]


class QuarterRow(BaseModel):
    quarter: str
    starting_arr: float
    ending_arr: float
    nrr: float | None
    grr: float | None
    partial: bool


class BandRow(BaseModel):
    band: str
    accounts: int
    arr: float
    at_risk: float


class AttentionRow(BaseModel):
    rank: int
    account: str
    owner: str | None
    reason: str
    value: float


class ForecastRow(BaseModel):
    forecast: str
    renewals: int
    arr: float


class BoardPack(BaseModel):
    as_of: date
    scope: ScopeName
    scope_label: str
    currency: str
    revenue_at_risk: float
    risk_arr: float
    risk_accounts: int
    by_band: list[BandRow]
    attention: list[AttentionRow]
    attention_total: int
    attention_at_stake: float
    renewals_label: str
    renewals_start: date
    renewals_end: date
    renewals_count: int
    renewals_arr: float
    by_forecast: list[ForecastRow]
    expansion_pipeline: float
    expansion_accounts: int
    kpis: list[BoardKpi]
    quarters: list[QuarterRow]
    definitions: list[tuple[str, str]]
