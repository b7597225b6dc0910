"""How the queue ranks (DESIGN §9): ARR at stake if we act now.

at_stake = ARR x churn_probability(health) x saveable_fraction(days to renewal)

saveable_fraction follows the early-detection table: 90 or more days before renewal 0.8,
60 days 0.6, 30 days 0.3, at renewal 0.1, linear in between (no known renewal counts as
far away). Opportunities rank by expected expansion ARR = ARR x EXPANSION_UPLIFT x
(1 - churn_probability). Ties go to the freshest signal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAVEABLE = ((0.0, 0.1), (30.0, 0.3), (60.0, 0.6), (90.0, 0.8))
EXPANSION_UPLIFT = 0.2
OPPORTUNITY_RULES = frozenset({"expansion_ready", "seat_limit", "api_limit"})


def saveable_fraction(days_to_renewal: int | None) -> float:
    if days_to_renewal is None:
        return SAVEABLE[-1][1]
    xs = [p[0] for p in SAVEABLE]
    ys = [p[1] for p in SAVEABLE]
    return float(np.interp(max(days_to_renewal, 0), xs, ys))


def churn_probability(curve: Sequence[tuple[float, float]], health: float | None) -> float:
    """The config's curve of health → probability (no score: the curve's value at 50)."""
    xs = [p[0] for p in curve]
    ys = [p[1] for p in curve]
    return float(np.interp(50.0 if health is None else health, xs, ys))


def at_stake(arr: float, probability: float, days_to_renewal: int | None) -> float:
    return arr * probability * saveable_fraction(days_to_renewal)


def expected_expansion(arr: float, probability: float) -> float:
    return arr * EXPANSION_UPLIFT * (1 - probability)
