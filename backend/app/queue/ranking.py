"""How the queue ranks (DESIGN §9): risks by ARR at stake if we act now (``scoring.risk``, the
one definition every page uses), opportunities by expected expansion ARR = ARR x
EXPANSION_UPLIFT x (1 - churn probability). Ties go to the freshest signal."""

from __future__ import annotations

from app.alerts.rules import OPPORTUNITY_RULES

__all__ = ["EXPANSION_UPLIFT", "OPPORTUNITY_RULES", "expected_expansion"]

EXPANSION_UPLIFT = 0.2


def expected_expansion(arr: float, probability: float) -> float:
    return arr * EXPANSION_UPLIFT * (1 - probability)
