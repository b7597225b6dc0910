"""GraphQL types of an account's health: the score with every component and sub-metric (raw
value, mapped score, weight), its history, quadrant moves and explanations of a change. REST's
shapes (``app.scoring.schemas``), field for field."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import type as from_model
from strawberry.scalars import JSON

from app.graphql.permissions import ReadsRevenue
from app.scoring.schemas import (
    AccountHealth,
    ComponentAttribution,
    ComponentHealth,
    Explanation,
    HistoryPoint,
    MetricAttribution,
    QuadrantMovePublic,
    SubMetric,
)


@from_model(model=SubMetric, all_fields=True, description="One sub-metric: its raw value, mapped score and weight")
class HealthSubMetric:
    pass


@from_model(model=ComponentHealth, all_fields=True, description="A health component and its sub-metrics")
class HealthComponent:
    context: JSON = strawberry.field(description="Counts behind the sub-metrics (users, seats, tickets...)")


@from_model(
    model=AccountHealth,
    all_fields=True,
    description="Health as of a date: the score, both quadrant axes, coverage and every component",
)
class Health:
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=HistoryPoint, all_fields=True, description="The scores on one stored date")
class HealthPoint:
    pass


@from_model(model=QuadrantMovePublic, all_fields=True, description="A change of quadrant")
class QuadrantMove:
    pass


@from_model(model=MetricAttribution, all_fields=True, description="A sub-metric's part in a change of health")
class MetricChange:
    pass


@from_model(model=ComponentAttribution, all_fields=True, description="A component's part in a change of health")
class ComponentChange:
    pass


@from_model(
    model=Explanation, all_fields=True, description="Why health changed between two dates, in parts and in words"
)
class HealthExplanation:
    pass
