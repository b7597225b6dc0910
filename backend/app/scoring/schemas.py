"""API shapes of scoring: health with every input, history, explanations, config, runs, validation."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.enums import Band, Quadrant, RunCadence, RunKind, RunStatus
from app.core.types import QueryDate
from app.scoring.config import ScoringConfigBody


class SubMetric(BaseModel):
    name: str
    label: str
    unit: str
    description: str
    raw: float | None = Field(description="The raw value (None = no data)")
    score: float | None = Field(description="The raw value mapped through the curve (0-100)")
    weight: float = Field(description="Configured weight within the component")
    effective_weight: float = Field(description="Share of the component after renormalisation (0 when missing)")


class ComponentHealth(BaseModel):
    name: str
    label: str
    score: float | None
    weight: float = Field(description="Configured weight in health_score")
    effective_weight: float = Field(description="Share of health_score after renormalisation (0 when null)")
    coverage: float = Field(description="Share of the component's configured weight that had data")
    sub_metrics: list[SubMetric]
    context: dict[str, Any] = Field(description="Counts behind the sub-metrics (users, seats, tickets...)")


class AccountHealth(BaseModel):
    account_id: uuid.UUID
    as_of: date
    config_version: int
    stored: bool = Field(description="False when computed on request (no snapshot stored for the date)")
    health_score: float | None
    band: Band | None
    usage_axis: float | None
    health_axis: float | None
    quadrant: Quadrant | None
    coverage: float
    churn_probability: float | None
    arr: float
    components: list[ComponentHealth]
    computed_at: datetime | None


class HistoryPoint(BaseModel):
    as_of: date
    health_score: float | None
    band: Band | None
    usage_axis: float | None
    health_axis: float | None
    quadrant: Quadrant | None
    coverage: float
    config_version: int
    usage: float | None
    support: float | None
    sentiment: float | None
    relationship: float | None
    commercial: float | None


class ConfigMarker(BaseModel):
    version: int
    name: str | None
    activated_at: datetime | None
    first_scored_on: date | None = Field(description="First date in the range scored with this version")


class QuadrantMovePublic(BaseModel):
    moved_on: date
    from_quadrant: Quadrant | None
    to_quadrant: Quadrant
    config_version: int | None


class HealthHistory(BaseModel):
    account_id: uuid.UUID
    date_from: date
    date_to: date
    points: list[HistoryPoint]
    config_markers: list[ConfigMarker]
    quadrant_moves: list[QuadrantMovePublic]


class MetricAttribution(BaseModel):
    name: str
    label: str
    unit: str
    raw_from: float | None
    raw_to: float | None
    score_from: float | None
    score_to: float | None
    contribution: float = Field(description="Points of health_score this sub-metric moved")


class ComponentAttribution(BaseModel):
    name: str
    label: str
    score_from: float | None
    score_to: float | None
    weight_from: float = Field(description="Renormalised weight in health_score on the from date")
    weight_to: float
    contribution: float = Field(description="weight_to x score_to - weight_from x score_from")
    sub_metrics: list[MetricAttribution]


class Explanation(BaseModel):
    account_id: uuid.UUID
    date_from: date
    date_to: date
    health_from: float | None
    health_to: float | None
    delta: float | None
    config_from: int
    config_to: int
    components: list[ComponentAttribution]
    sentence: str


class MetricDefinition(BaseModel):
    name: str
    label: str
    unit: str
    description: str


class ComponentDefinition(BaseModel):
    name: str
    label: str
    metrics: list[MetricDefinition]


class ConfigVersion(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    name: str | None
    is_active: bool
    created_at: datetime
    activated_at: datetime | None
    created_by_id: uuid.UUID | None


class ConfigDetail(ConfigVersion):
    body: ScoringConfigBody
    definitions: list[ComponentDefinition]


class ConfigCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    body: ScoringConfigBody


class ConfigPreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: ScoringConfigBody | None = None
    version: int | None = Field(default=None, ge=1, le=2_147_483_647)

    @model_validator(mode="after")
    def _one(self) -> ConfigPreviewRequest:
        if (self.body is None) == (self.version is None):
            raise ValueError("give either body or version")
        return self


class PreviewChange(BaseModel):
    account_id: uuid.UUID
    name: str
    arr: float
    health_before: float | None
    health_after: float | None
    band_before: Band | None
    band_after: Band | None
    quadrant_before: Quadrant | None
    quadrant_after: Quadrant | None


class TransitionCell(BaseModel):
    from_value: str | None
    to_value: str | None
    accounts: int
    arr: float


class ConfigPreview(BaseModel):
    as_of: date | None
    current_version: int
    accounts: int
    quadrant_changes: int
    band_changes: int
    mean_health_before: float | None
    mean_health_after: float | None
    quadrant_matrix: list[TransitionCell]
    band_matrix: list[TransitionCell]
    largest_changes: list[PreviewChange]
    summary: str


class ActivationResult(BaseModel):
    version: int
    run_id: uuid.UUID


class RunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: QueryDate | None = Field(default=None, description="Score one date (default today)")
    date_from: QueryDate | None = Field(default=None, alias="from")
    date_to: QueryDate | None = Field(default=None, alias="to")
    cadence: RunCadence = Field(
        default=RunCadence.daily,
        description="daily: every date; weekly: Mondays (and the end date); history: weekly, daily for the last 120 days",
    )

    @model_validator(mode="after")
    def _dates(self) -> RunCreate:
        if self.as_of and (self.date_from or self.date_to):
            raise ValueError("give either as_of or from/to")
        if (self.date_from is None) != (self.date_to is None):
            raise ValueError("from and to go together")
        if self.date_from and self.date_to:
            if self.date_to < self.date_from:
                raise ValueError("to is before from")
            if (self.date_to - self.date_from).days > 3 * 366:
                raise ValueError("a run covers at most three years")
        return self


class RunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: RunKind
    status: RunStatus
    cadence: RunCadence
    date_from: date
    date_to: date
    config_version: int | None
    total_shards: int
    done_shards: int
    accounts_total: int
    snapshots_written: int
    progress: float = 0.0
    error: str | None
    requested_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @model_validator(mode="after")
    def _progress(self) -> RunPublic:
        self.progress = (self.done_shards / self.total_shards) if self.total_shards else 1.0
        return self


class RunsPage(BaseModel):
    items: list[RunPublic]


class Bucket(BaseModel):
    label: str
    outcomes: int
    churned: int
    churn_rate: float | None
    ratio_to_champions: float | None = None
    mean_predicted: float | None = None


class ValidationReport(BaseModel):
    horizon_days: int
    outcomes: int
    churned: int
    renewed: int
    auc: dict[str, float | None] = Field(
        description="ROC AUC of health_score and each component for telling renewals from churn (0.5 = no skill)"
    )
    by_decile: list[Bucket]
    by_band: list[Bucket]
    by_quadrant: list[Bucket]
    calibration: list[Bucket] = Field(
        description="predicted vs observed churn by predicted bucket, for the churn probability in use "
        "(the book's fit judged out of fold, or the config's curve)"
    )
    brier_score: float | None
    probability_source: Literal["calibrated", "default"] = "default"
    note: str | None = None


TransitionMatrixKind = Literal["quadrant", "band"]


class CalibrationFit(BaseModel):
    fitted_at: datetime
    horizon_days: int
    outcomes: int
    churned: int
    intercept: float
    slope: float = Field(description="Change in log-odds of churn per 100 health points (negative = works)")
    curve: list[tuple[float, float]]
    usable: bool
    brier_default: float
    brier_calibrated: float


class CalibrationPublic(BaseModel):
    """Where churn probability comes from: the config's curve, or a fit on the book's outcomes."""

    source: Literal["calibrated", "default"]
    default_curve: list[tuple[float, float]]
    fitted: CalibrationFit | None
    min_outcomes: int
    min_each: int


class RiskGroup(BaseModel):
    key: str = Field(description="a band or quadrant; unscored: no health score yet")
    accounts: int
    arr: float
    at_risk: float


class RevenueAtRisk(BaseModel):
    """Σ ARR x churn probability(health) x saveable fraction(days to the next term renewal)
    over the active accounts in scope (docs/metrics.md, Revenue at risk)."""

    revenue_at_risk: float
    arr: float = Field(description="the ARR of the accounts counted")
    accounts: int
    by_band: list[RiskGroup]
    by_quadrant: list[RiskGroup]
    probability_source: Literal["calibrated", "default"]
    computed_at: datetime
