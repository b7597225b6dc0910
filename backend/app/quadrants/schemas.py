"""API shapes of the Usage-Health quadrant views."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from app.accounts.access import ScopeName
from app.core.enums import Band, Quadrant


class QuadrantCount(BaseModel):
    quadrant: Quadrant
    accounts: int
    arr: float


class QuadrantPoint(BaseModel):
    account_id: uuid.UUID
    name: str
    usage_axis: float
    health_axis: float
    health_score: float | None
    band: Band | None
    quadrant: Quadrant
    arr: float


class QuadrantCutoffs(BaseModel):
    usage: float
    health: float
    hysteresis: float


class QuadrantView(BaseModel):
    as_of: date | None
    cutoffs: QuadrantCutoffs
    summary: list[QuadrantCount]
    unplaced: int = Field(description="Scored accounts without a quadrant (an axis has no data)")
    points: list[QuadrantPoint]
    scope: ScopeName = Field(default="all", description="Whose accounts (the scope applied)")


class DistributionPoint(BaseModel):
    as_of: date
    counts: dict[Quadrant, int]
    arr: dict[Quadrant, float]


class QuadrantHistory(BaseModel):
    date_from: date
    date_to: date
    interval: str
    series: list[DistributionPoint]
    # optional in the schema: the history is read beside other pages' fixtures that predate it
    scope: ScopeName | None = Field(default=None, description="Whose accounts (the scope applied, on today's owners)")


class Mover(BaseModel):
    account_id: uuid.UUID
    name: str
    arr: float
    moved_on: date
    from_quadrant: Quadrant | None
    to_quadrant: Quadrant
    direction: str = Field(description="worse, better or sideways (usage and health moved in opposite ways)")
    health_score: float | None
    owner_id: uuid.UUID | None = None
    owner_name: str | None = None
    owner_email: str | None = None


class MoversPage(BaseModel):
    since: date
    until: date
    items: list[Mover]
    total: int
    scope: ScopeName = Field(default="all", description="Whose accounts (the scope applied)")


class QuadrantChurnRate(BaseModel):
    quadrant: Quadrant
    outcomes: int = Field(description="Renewals and churns whose account was in the quadrant `horizon_days` before")
    churned: int
    churn_rate: float | None = Field(description="churned / outcomes (None without outcomes)")


class QuadrantChurnRates(BaseModel):
    """How often accounts churned after sitting in each quadrant, with the sample behind each rate."""

    since: date = Field(description="Outcomes after this date...")
    until: date = Field(description="...up to this one")
    horizon_days: int = Field(description="How long before the outcome the quadrant is read")
    quadrants: list[QuadrantChurnRate]
    scope: ScopeName = Field(default="all", description="Whose accounts (the scope applied)")


class TransitionCount(BaseModel):
    from_quadrant: Quadrant | None = Field(description="None: not scored on the from date (new)")
    to_quadrant: Quadrant | None = Field(description="None: not scored on the to date (churned)")
    accounts: int
    arr: float


class TransitionMatrix(BaseModel):
    date_from: date
    date_to: date
    snapshot_from: date | None
    snapshot_to: date | None
    cells: list[TransitionCount]
