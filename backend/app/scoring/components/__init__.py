"""The health components, one module each: the SQL that computes every sub-metric's raw value
for a set of accounts as of a date, and what each sub-metric means.

Every query takes ``:ids`` (uuid[]), ``:as_of`` (date) and ``:d_end`` (the first instant after
``as_of``, UTC) and returns one row per account with one column per sub-metric (NULL = no
data) plus context columns shown next to the numbers. Signals count only when their own
timestamp is before ``d_end`` (the point-in-time rule).
"""

from __future__ import annotations

from app.scoring.components import commercial, relationship, sentiment, support, usage
from app.scoring.components.base import Component, Metric

COMPONENTS: dict[str, Component] = {
    c.name: c
    for c in (usage.COMPONENT, support.COMPONENT, sentiment.COMPONENT, relationship.COMPONENT, commercial.COMPONENT)
}

__all__ = ["COMPONENTS", "Component", "Metric"]
