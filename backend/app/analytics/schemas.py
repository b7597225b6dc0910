"""API shapes of cohort and product analytics (DESIGN §12)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Split = Literal["none", "segment", "plan", "channel", "onboarding"]


class CohortAge(BaseModel):
    age: int = Field(description="months after the cohort's first month")
    retained: int
    arr: float
    logo_retention: float | None
    revenue_retention: float | None = Field(description="ARR now / ARR after the first month (NRR by age)")


class Cohort(BaseModel):
    cohort: date = Field(description="month of the accounts' first ARR")
    group: str
    size: int
    initial_arr: float
    ages: list[CohortAge]


class CohortReport(BaseModel):
    split: Split
    cohorts: list[Cohort]


class Driver(BaseModel):
    driver: str
    churns: int
    lost_arr: float


class ChurnDrivers(BaseModel):
    since: date
    reason: list[Driver] = Field(description="cancellation reason of the lines that ended")
    kind: list[Driver] = Field(description="voluntary or involuntary")
    quadrant: list[Driver] = Field(description="quadrant at the last score before the churn")
    segment: list[Driver]
    plan: list[Driver]


class TimeToValue(BaseModel):
    segment: str
    accounts: int
    median_days: float | None
    p25_days: float | None
    p75_days: float | None
    median_onboarding_days: float | None


class Rate(BaseModel):
    label: str
    outcomes: int
    churned: int
    churn_rate: float | None
    ratio_to_champions: float | None = None


class EngagementChurn(BaseModel):
    horizon_days: int
    tiers: list[Rate] = Field(description="usage score 90 days before: low < 40 <= medium < 70 <= high")


class QuarterChurn(BaseModel):
    quarter: date
    quadrants: list[Rate]


class QuadrantChurn(BaseModel):
    horizon_days: int
    quarters: list[QuarterChurn]


class AdoptionWindow(BaseModel):
    days_before: int
    renewed_share: float | None
    churned_share: float | None
    renewed: int = Field(description="renewals in the comparison")
    churned: int


class FeatureAdoption(BaseModel):
    key: str
    name: str
    is_core: bool
    windows: list[AdoptionWindow]


class AdoptionBeforeRenewal(BaseModel):
    since: date
    features: list[FeatureAdoption]


class QuadrantUse(BaseModel):
    quadrant: str
    accounts: int
    share: float | None = Field(description="share of the quadrant's accounts that used it in the last 28 days")
    events_per_account: float | None


class FeatureByQuadrant(BaseModel):
    key: str
    name: str
    is_core: bool
    quadrants: list[QuadrantUse]
    champions_vs_frustrated: float | None = Field(
        description="share among champions - share among frustrated power users"
    )


class ComplaintToFix(BaseModel):
    product_area: str
    raised: int
    shipped: int
    confirmed: int
    median_days_to_ship: float | None
    median_days_to_confirm: float | None
    oldest_open_days: float | None
