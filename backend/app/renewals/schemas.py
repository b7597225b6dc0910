"""API shapes of renewals (DESIGN §12)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.access import ScopeName
from app.core.enums import Band, Forecast, Quadrant, RenewalOutcome, RenewalSource, RenewalTerm
from app.revenue.schemas import Freshness

RenewalStatus = Literal["open", "closed", "all"]
ExportFormat = Literal["json", "csv", "ndjson"]
# ``term``: annual, multi_year and contract renewals (the default everywhere); ``all`` adds
# monthly billing cycles; or one term.
TermFilter = Literal["term", "all", "monthly", "annual", "multi_year", "contract"]
TERM_RENEWALS = ("annual", "multi_year", "contract")


def terms_of(term: TermFilter) -> list[str]:
    """The renewal terms a term filter admits."""
    if term == "term":
        return list(TERM_RENEWALS)
    return [t.value for t in RenewalTerm] if term == "all" else [term]


class RenewalRow(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    external_id: str
    segment: str | None
    owner_email: str | None
    owner_name: str | None = None
    renewal_date: date
    days_to_renewal: int
    term: RenewalTerm
    source: RenewalSource = Field(description="crm: the contract date sent with the account; billing: the next cycle")
    arr_up_for_renewal: float
    forecast: Forecast | None
    suggested_forecast: Forecast | None = Field(description="from the account's churn probability now")
    churn_probability: float | None
    health_score: float | None
    band: Band | None
    quadrant: Quadrant | None
    outcome: RenewalOutcome | None
    closed_at: datetime | None
    owner_notes: str | None


class RenewalsPage(BaseModel):
    items: list[RenewalRow]
    total: int
    freshness: Freshness
    scope: ScopeName = Field(default="all", description="Whose accounts' renewals these are (the scope applied)")


class RollupRow(BaseModel):
    forecast: str = Field(description="commit, upside, risk, churn, or unset")
    renewals: int
    arr: float


class Rollup(BaseModel):
    within_days: int
    term: TermFilter = "term"
    by_forecast: list[RollupRow] = Field(description="the forecast set by the team (unset: none yet)")
    by_suggested: list[RollupRow] = Field(description="what health suggests for the same renewals")
    total_arr: float
    freshness: Freshness
    # str, not ScopeName: GraphQL's RenewalRollup takes every field as it is
    scope: str = Field(default="all", description="Whose accounts' renewals these are: mine, team or all")


class RenewalUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    forecast: Forecast | None = None
    owner_notes: str | None = Field(default=None, max_length=5000)
