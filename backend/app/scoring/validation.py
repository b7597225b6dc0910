"""Does the score work? Backtest point-in-time snapshots against real outcomes (DESIGN §13).

Outcomes are renewal records with a recorded outcome (churned = churn, anything else =
retained); for accounts without renewal records, every ended subscription line (churned
when nothing of the account continues within 30 days, else retained); and churns seen in
subscription data that no renewal record reports. Each outcome is matched with the account's latest
snapshot dated at least ``horizon_days`` before it (and at most 14 days earlier than that,
because history beyond 120 days is weekly). Snapshots use only signals dated on or before
their own date, so nothing from the outcome's future leaks in.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Band, Quadrant
from app.scoring import calibration as calibration_fit
from app.scoring import outcomes_repository as outcomes_repo
from app.scoring import service
from app.scoring.engine import churn_probability
from app.scoring.schemas import Bucket, ValidationReport


def auc(scores: npt.NDArray[np.float64], churned: npt.NDArray[np.bool_]) -> float | None:
    """ROC AUC of a health score (higher = healthier) for telling retained from churned:
    the chance a random retained account scored above a random churned one (ties count half)."""
    ok = ~np.isnan(scores)
    s, y = scores[ok], churned[ok]
    pos, neg = int((~y).sum()), int(y.sum())
    if pos == 0 or neg == 0:
        return None
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    sorted_s = s[order]
    # Average ranks over ties.
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = ranks[~y].sum()
    return float((rank_sum - pos * (pos + 1) / 2) / (pos * neg))


@dataclass
class _Outcomes:
    churned: npt.NDArray[np.bool_]
    health: npt.NDArray[np.float64]
    components: dict[str, npt.NDArray[np.float64]]
    band: list[str | None]
    quadrant: list[str | None]


def _bucket(label: str, mask: npt.NDArray[np.bool_], churned: npt.NDArray[np.bool_]) -> Bucket:
    n = int(mask.sum())
    c = int((churned & mask).sum())
    return Bucket(label=label, outcomes=n, churned=c, churn_rate=(c / n) if n else None)


async def outcome_rows(session: AsyncSession, horizon_days: int) -> list[Any]:
    """Each outcome with the account's point-in-time snapshot ``horizon_days`` before it."""
    return await outcomes_repo.outcome_rows(session, service.today(), horizon_days)


async def report(session: AsyncSession, horizon_days: int = 90) -> ValidationReport:
    config = await service.load_active(session)
    rows = await outcome_rows(session, horizon_days)
    churned = np.array([bool(r["churned"]) for r in rows], dtype=bool)

    def col(name: str) -> npt.NDArray[np.float64]:
        return np.array([np.nan if r[name] is None else float(r[name]) for r in rows], dtype=np.float64)

    health = col("health_score")
    comps = {c: col(f"{c}_score") for c in ("usage", "support", "sentiment", "relationship", "commercial")}
    aucs: dict[str, float | None] = {"health_score": auc(health, churned)}
    aucs.update({c: auc(v, churned) for c, v in comps.items()})

    by_decile: list[Bucket] = []
    if len(rows) >= 10:
        order = np.argsort(health, kind="mergesort")
        deciles = np.empty(len(rows), dtype=int)
        deciles[order] = np.arange(len(rows)) * 10 // len(rows)
        for d in range(10):
            mask = deciles == d
            lo, hi = health[mask].min(), health[mask].max()
            by_decile.append(_bucket(f"D{d + 1} ({lo:.0f}-{hi:.0f})", mask, churned))

    bands = np.array([r["band"] for r in rows], dtype=object)
    by_band = [_bucket(b.value, bands == b.value, churned) for b in Band]

    quads = np.array([r["quadrant"] for r in rows], dtype=object)
    by_quadrant = [_bucket(q.value, quads == q.value, churned) for q in Quadrant]
    champions = by_quadrant[0].churn_rate
    for b in by_quadrant:
        if champions and b.churn_rate is not None:
            b.ratio_to_champions = b.churn_rate / champions

    # the probability the queue and forecasts use: the book's fit when it is in use, judged out
    # of fold (a fit always looks calibrated on the outcomes it was fitted on), else the config's curve
    fitted = await calibration_fit.latest(session)
    source = "calibrated" if fitted is not None and fitted.usable else "default"
    if source == "calibrated" and len(rows) >= calibration_fit.FOLDS * 2:
        predicted = calibration_fit.cross_validated(health, churned)
    else:
        predicted = churn_probability(config.body, health)
    calibration: list[Bucket] = []
    edges = [0.0, 0.05, 0.1, 0.2, 0.3, 0.45, 1.0001]
    for lo, hi in pairwise(edges):
        mask = (predicted >= lo) & (predicted < hi)
        bucket = _bucket(f"{lo:.0%}-{min(hi, 1):.0%}", mask, churned)
        bucket.mean_predicted = float(predicted[mask].mean()) if mask.any() else None
        calibration.append(bucket)
    brier = float(np.mean((predicted - churned.astype(float)) ** 2)) if len(rows) else None

    n_churn = int(churned.sum())
    note = None
    if n_churn < 20 or len(rows) - n_churn < 20:
        note = "Fewer than 20 churned or retained outcomes: treat these numbers as anecdotes."
    return ValidationReport(
        horizon_days=horizon_days,
        outcomes=len(rows),
        churned=n_churn,
        renewed=len(rows) - n_churn,
        auc=aucs,
        by_decile=by_decile,
        by_band=by_band,
        by_quadrant=by_quadrant,
        calibration=calibration,
        brier_score=brier,
        probability_source=source,
        note=note,
    )
