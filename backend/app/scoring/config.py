"""The scoring configuration: components, sub-metric curves and weights, bands, quadrant cutoffs.

A config is data (stored as immutable versions, importable/exportable as YAML); this module
validates it and holds the defaults of DESIGN §6/§7. Which sub-metrics exist is fixed by
the component definitions in ``app.scoring.components``: a config may weight, re-curve or
drop them, not invent new ones.

Every number is finite (``allow_inf_nan=False``: a body is stored as JSONB, which has no
``Infinity`` or ``NaN``), so an unusable value is a 422 naming its field, never a 500.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.alerts.rules import AlertThresholds
from app.core.errors import ProblemError, field_errors
from app.scoring.components import COMPONENTS

Point = tuple[float, float]


class MetricConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    weight: Annotated[float, Field(ge=0, le=100)]
    # Breakpoints (raw value, score 0-100), raw values strictly increasing; clamped at the ends.
    curve: list[Point] = Field(min_length=1, max_length=20)
    # Score used when the raw value is missing; None means "no data" (weight renormalised away).
    missing: Annotated[float | None, Field(ge=0, le=100)] = None

    @field_validator("curve")
    @classmethod
    def _increasing(cls, curve: list[Point]) -> list[Point]:
        for _, y in curve:
            if not 0 <= y <= 100:
                raise ValueError(f"scores must be within 0-100, got {y}")
        xs = [x for x, _ in curve]
        if any(b <= a for a, b in pairwise(xs)):
            raise ValueError("raw values of the breakpoints must be strictly increasing")
        return curve


class ComponentConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    weight: Annotated[float, Field(ge=0, le=100)]
    metrics: dict[str, MetricConfig]


class QuadrantConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    usage_cutoff: Annotated[float, Field(ge=0, le=100)] = 60
    health_cutoff: Annotated[float, Field(ge=0, le=100)] = 60
    hysteresis: Annotated[float, Field(ge=0, le=50)] = 5


class BandConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    healthy: Annotated[float, Field(ge=0, le=100)] = 80
    watch: Annotated[float, Field(ge=0, le=100)] = 60

    @model_validator(mode="after")
    def _ordered(self) -> BandConfig:
        if self.watch > self.healthy:
            raise ValueError("watch must not be above healthy")
        return self


class ScoringConfigBody(BaseModel):
    """What a config version holds. Validated on every write; stored as JSON."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    components: dict[str, ComponentConfig]
    # Health axis of the quadrant: these components, weighted by their component weights.
    health_axis: list[str] = Field(default_factory=lambda: ["support", "sentiment", "relationship", "commercial"])
    quadrant: QuadrantConfig = Field(default_factory=QuadrantConfig)
    bands: BandConfig = Field(default_factory=BandConfig)
    # Churn probability over the next year as a curve of health_score (used by validation's
    # calibration and by the queue until enough outcomes exist to fit one).
    # Alert thresholds (DESIGN §8), versioned with the score.
    alerts: AlertThresholds = Field(default_factory=AlertThresholds)
    churn_probability: list[Point] = Field(
        default_factory=lambda: [(0.0, 0.6), (40.0, 0.35), (60.0, 0.18), (80.0, 0.07), (100.0, 0.03)]
    )

    @model_validator(mode="after")
    def _known_names(self) -> ScoringConfigBody:
        for name, comp in self.components.items():
            if name not in COMPONENTS:
                raise ValueError(f"unknown component {name!r}; known: {', '.join(COMPONENTS)}")
            known = COMPONENTS[name].metric_names
            for metric in comp.metrics:
                if metric not in known:
                    raise ValueError(f"unknown sub-metric {name}.{metric}; known: {', '.join(known)}")
        if not any(c.weight > 0 for c in self.components.values()):
            raise ValueError("at least one component needs a positive weight")
        for name in self.health_axis:
            if name not in self.components:
                raise ValueError(f"health_axis names {name!r}, which is not a configured component")
        if "usage" not in self.components:
            raise ValueError("the usage component is required (it is the quadrant's usage axis)")
        # Canonical order (definitions' order): JSONB does not keep key order.
        self.components = {
            name: ComponentConfig(
                weight=comp.weight,
                metrics={m: comp.metrics[m] for m in COMPONENTS[name].metric_names if m in comp.metrics},
            )
            for name, comp in sorted(self.components.items(), key=lambda kv: list(COMPONENTS).index(kv[0]))
        }
        xs = [x for x, _ in self.churn_probability]
        if any(b <= a for a, b in pairwise(xs)) or any(not 0 <= p <= 1 for _, p in self.churn_probability):
            raise ValueError("churn_probability: health values strictly increasing, probabilities within 0-1")
        return self


def _m(weight: float, *curve: Point, missing: float | None = None) -> dict[str, Any]:
    return {"weight": weight, "curve": list(curve), "missing": missing}


DEFAULT_BODY: dict[str, Any] = {
    "components": {
        "usage": {
            "weight": 0.35,
            "metrics": {
                "login_frequency": _m(0.3, (0, 0), (5, 40), (10, 70), (20, 100)),
                "feature_adoption": _m(0.4, (0, 0), (1, 100)),
                "time_in_platform": _m(0.2, (0, 0), (30, 50), (120, 100)),
                "user_growth": _m(0.1, (-0.5, 0), (0, 60), (0.3, 100)),
            },
        },
        "support": {
            "weight": 0.20,
            "metrics": {
                "urgent_open": _m(1, (0, 100), (1, 40), (2, 0)),
                "open_tickets": _m(1, (0, 100), (5, 40), (10, 0)),
                "oldest_open_days": _m(1, (0, 100), (7, 60), (30, 0)),
                "ticket_volume": _m(1, (1, 100), (3, 20)),
                "escalations": _m(1, (0, 100), (1, 60), (3, 0)),
            },
        },
        "sentiment": {
            "weight": 0.20,
            "metrics": {
                "nps": _m(1, (0, 0), (6, 40), (8, 70), (10, 100)),
                "nps_trend": _m(1, (-3, 0), (0, 70), (2, 100)),
                "csat": _m(1, (1, 0), (3, 50), (5, 100)),
            },
        },
        "relationship": {
            "weight": 0.15,
            "metrics": {
                "days_since_touch": _m(1, (0, 100), (30, 70), (90, 0)),
                "touch_sentiment": _m(1, (-1, 0), (0, 60), (1, 100)),
                "days_since_qbr": _m(1, (90, 100), (180, 30), missing=0),
                "stakeholder_coverage": _m(1, (0, 20), (1, 60), (2, 100)),
            },
        },
        "commercial": {
            "weight": 0.10,
            "metrics": {
                "invoice_overdue_days": _m(1, (0, 100), (30, 30), (60, 0)),
                "arr_change_12m": _m(1, (-0.3, 0), (0, 70), (0.2, 100)),
            },
        },
    },
    "health_axis": ["support", "sentiment", "relationship", "commercial"],
    "quadrant": {"usage_cutoff": 60, "health_cutoff": 60, "hysteresis": 5},
    "bands": {"healthy": 80, "watch": 60},
}


class InvalidConfig(ProblemError):
    status = 422
    title = "Invalid scoring config"


def parse_body(data: Any, loc_prefix: tuple[str | int, ...] = ("body",)) -> ScoringConfigBody:
    """Validate a config body, turning pydantic errors into problem+json field errors."""
    try:
        return ScoringConfigBody.model_validate(data)
    except ValidationError as exc:
        raise InvalidConfig(
            "The scoring config is not valid; see errors.", errors=field_errors(exc, loc_prefix)
        ) from exc


def default_body() -> ScoringConfigBody:
    return ScoringConfigBody.model_validate(DEFAULT_BODY)


def to_yaml(body: ScoringConfigBody, name: str | None = None) -> str:
    data: dict[str, Any] = {"name": name} if name else {}
    data.update(body.model_dump(mode="json"))
    # Curves as flow-style pairs keep a config readable in review.
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True)


def from_yaml(text: str) -> tuple[str | None, ScoringConfigBody]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidConfig(f"YAML could not be parsed: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidConfig("YAML must hold a mapping with a `components` key")
    name = data.pop("name", None)
    return (str(name) if name is not None else None), parse_body(data, ())
