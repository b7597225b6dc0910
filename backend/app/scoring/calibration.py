"""Churn probability calibrated from the book's own outcomes (DESIGN §9).

Until enough outcomes exist, churn probability is the config's fixed curve of health. Once
the validation backtest (``validation.outcome_rows``: renewals and churns, each with the
point-in-time health 90 days before: the horizon the queue and forecasts look ahead) holds
at least ``MIN_OUTCOMES`` outcomes with at least ``MIN_EACH`` churned and ``MIN_EACH``
retained, a logistic curve ``p(churn) = 1 / (1 + exp(-(a + b * health / 100)))`` is
fitted by maximum likelihood (Newton's method; Platt scaling of the health score) and used
instead, as long as it says what a health score must say (the healthier, the less churn:
b < 0). Each fit is kept with the Brier score of both curves, and the fit is judged
honestly by ``FOLDS``-fold cross-validation: every outcome predicted by a fit that did not
see it (``cross_validated``), which is what the validation report's reliability table shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.models import utcnow
from app.scoring import outcomes_repository as outcomes_repo
from app.scoring import service
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import curve
from app.scoring.models import ChurnCalibration

HORIZON_DAYS = 90
MIN_OUTCOMES = 200
MIN_EACH = 30
RIDGE = 1e-6  # only keeps Newton's steps finite on (never seen) perfectly separated data
CURVE_XS = tuple(float(x) for x in range(0, 101, 10))

Point = tuple[float, float]


@dataclass(frozen=True)
class Fit:
    intercept: float
    slope: float  # per 100 health points

    def probability(self, health: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        z = self.intercept + self.slope * health / 100.0
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def points(self) -> list[Point]:
        xs = np.array(CURVE_XS)
        return [(float(x), round(float(p), 4)) for x, p in zip(xs, self.probability(xs), strict=True)]


def fit_logistic(health: npt.NDArray[np.float64], churned: npt.NDArray[np.bool_]) -> Fit:
    """Maximum-likelihood logistic regression of churn on health (Newton-Raphson)."""
    x = np.column_stack([np.ones(len(health)), health / 100.0])
    y = churned.astype(np.float64)
    beta = np.zeros(2)
    penalty = np.diag([0.0, RIDGE])  # the slope only
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (y - p) - penalty @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return Fit(float(beta[0]), float(beta[1]))


def brier(predicted: npt.NDArray[np.float64], churned: npt.NDArray[np.bool_]) -> float:
    return float(np.mean((predicted - churned.astype(np.float64)) ** 2))


FOLDS = 5


def cross_validated(health: npt.NDArray[np.float64], churned: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Out-of-fold predictions: outcome i is predicted by a fit on the folds without it.
    Folds are every ``FOLDS``-th outcome in health order, so each fold spans the whole range."""
    order = np.argsort(health, kind="mergesort")
    fold = np.empty(len(health), dtype=int)
    fold[order] = np.arange(len(health)) % FOLDS
    predicted = np.empty(len(health), dtype=np.float64)
    for k in range(FOLDS):
        held = fold == k
        if held.any():
            predicted[held] = fit_logistic(health[~held], churned[~held]).probability(health[held])
    return predicted


async def refit(session: AsyncSession) -> ChurnCalibration | None:
    """Fit from today's outcomes and keep the fit when there are enough of them (else None)."""
    rows = await outcomes_repo.outcome_rows(session, service.today(), HORIZON_DAYS)
    health = np.array([float(r["health_score"]) for r in rows], dtype=np.float64)
    churned = np.array([bool(r["churned"]) for r in rows], dtype=bool)
    n_churned = int(churned.sum())
    if len(rows) < MIN_OUTCOMES or n_churned < MIN_EACH or len(rows) - n_churned < MIN_EACH:
        return None
    fit = fit_logistic(health, churned)
    body = (await service.load_active(session)).body
    row = ChurnCalibration(
        fitted_at=utcnow(),
        horizon_days=HORIZON_DAYS,
        outcomes=len(rows),
        churned=n_churned,
        intercept=fit.intercept,
        slope=fit.slope,
        curve=[list(p) for p in fit.points()],
        usable=fit.slope < 0,
        brier_default=brier(curve(body.churn_probability, health), churned),
        brier_calibrated=brier(fit.probability(health), churned),
    )
    session.add(row)
    await session.flush()
    return row


async def latest(session: AsyncSession) -> ChurnCalibration | None:
    return await outcomes_repo.latest_calibration(session)


async def probability_curve(session: AsyncSession, body: ScoringConfigBody) -> tuple[list[Point], str]:
    """The curve churn probability is read from, and where it comes from."""
    fitted = await latest(session)
    if fitted is not None and fitted.usable:
        return [(float(x), float(p)) for x, p in fitted.curve], "calibrated"
    return list(body.churn_probability), "default"


def describe(fitted: ChurnCalibration | None) -> dict[str, Any]:
    """For the API: what was fitted, on how many outcomes, and how both curves scored."""
    if fitted is None:
        return {"source": "default", "fitted": None}
    return {
        "source": "calibrated" if fitted.usable else "default",
        "fitted": {
            "fitted_at": fitted.fitted_at,
            "horizon_days": fitted.horizon_days,
            "outcomes": fitted.outcomes,
            "churned": fitted.churned,
            "intercept": fitted.intercept,
            "slope": fitted.slope,
            "curve": fitted.curve,
            "usable": fitted.usable,
            "brier_default": fitted.brier_default,
            "brier_calibrated": fitted.brier_calibrated,
        },
    }
