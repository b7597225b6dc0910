"""What a component definition is made of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    # How the raw value reads: count, days, fraction, ratio, per_seat, minutes, score, level.
    unit: str
    description: str


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    sql: str
    metrics: tuple[Metric, ...]
    # Columns returned beside the sub-metrics, kept with the snapshot as context.
    context: tuple[str, ...] = ()
    # Extra bind parameters derived from the as-of date.
    params: Callable[[date], dict[str, Any]] = field(default=lambda _d: {})

    @property
    def metric_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.metrics)
