"""The arithmetic of a health score: curves, weighted means with renormalisation, composite,
bands, quadrant sides with hysteresis.

Raw values come from the component SQL (``app.scoring.components``); everything here is a
function of those raw values and one config version, so a stored snapshot (raw inputs +
config version) is always re-explained exactly. It works on columns (one numpy array per
sub-metric, NaN = no data) so a whole book is scored at once; one account is a batch of one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from app.core.enums import QUADRANT_SIDES, Band, Quadrant
from app.scoring.config import QuadrantConfig, ScoringConfigBody

Array = npt.NDArray[np.float64]

BY_SIDES = {sides: q for q, sides in QUADRANT_SIDES.items()}


def curve(points: Sequence[tuple[float, float]], x: Array) -> Array:
    """Piecewise-linear through ``points``, clamped at both ends; NaN stays NaN."""
    xp = np.array([p[0] for p in points], dtype=np.float64)
    fp = np.array([p[1] for p in points], dtype=np.float64)
    missing = np.isnan(x)
    return np.where(missing, np.nan, np.interp(np.where(missing, xp[0], x), xp, fp)).astype(np.float64)


def weighted_mean(weights: Sequence[float], values: Sequence[Array]) -> tuple[Array, Array]:
    """Row-wise mean of ``values`` by ``weights`` over the values present (not NaN), and the
    share of the total weight that was present. Missing values are not zero: their weight
    is spread over the others; with nothing present the mean is NaN.
    """
    n = len(values[0]) if values else 0
    num = np.zeros(n)
    have = np.zeros(n)
    for w, v in zip(weights, values, strict=True):
        if w <= 0:
            continue
        present = ~np.isnan(v)
        num += np.where(present, v * w, 0.0)
        have += np.where(present, w, 0.0)
    total = float(sum(w for w in weights if w > 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(have > 0, num / np.where(have > 0, have, 1.0), np.nan)
    coverage = have / total if total > 0 else np.zeros(n)
    return mean, coverage


def side(value: Array, cutoff: float, hysteresis: float, was_high: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """1 on the high side of ``cutoff``, 0 low, -1 no value.

    ``was_high`` is the previous side (1, 0, or -1 for none). Without one, high means
    ``value >= cutoff``; with one, the account leaves its side only when it crosses the
    cutoff by more than ``hysteresis``.
    """
    fresh = value >= cutoff
    stay_high = ~(value < cutoff - hysteresis)
    go_high = value > cutoff + hysteresis
    high = np.where(was_high == 1, stay_high, np.where(was_high == 0, go_high, fresh))
    return np.where(np.isnan(value), -1, high.astype(np.int8)).astype(np.int8)


def quadrants(
    usage_axis: Array, health_axis: Array, cfg: QuadrantConfig, previous: Sequence[Quadrant | None]
) -> list[Quadrant | None]:
    was_usage = np.array([-1 if p is None else QUADRANT_SIDES[p][0] for p in previous], dtype=np.int8)
    was_health = np.array([-1 if p is None else QUADRANT_SIDES[p][1] for p in previous], dtype=np.int8)
    u = side(usage_axis, cfg.usage_cutoff, cfg.hysteresis, was_usage)
    h = side(health_axis, cfg.health_cutoff, cfg.hysteresis, was_health)
    return [BY_SIDES.get((int(a), int(b))) for a, b in zip(u, h, strict=True)]


def bands(score: Array, healthy: float, watch: float) -> list[Band | None]:
    out: list[Band | None] = []
    for s in score:
        if np.isnan(s):
            out.append(None)
        elif s >= healthy:
            out.append(Band.healthy)
        elif s >= watch:
            out.append(Band.watch)
        else:
            out.append(Band.at_risk)
    return out


@dataclass
class ComponentScores:
    score: Array
    coverage: Array
    metric_scores: dict[str, Array]
    # Share of the component each metric carried after renormalisation (0 when missing).
    metric_shares: dict[str, Array]


@dataclass
class Scores:
    """A batch of accounts scored under one config (arrays aligned with the input order)."""

    components: dict[str, ComponentScores]
    health_score: Array
    usage_axis: Array
    health_axis: Array
    coverage: Array
    band: list[Band | None]
    quadrant: list[Quadrant | None]

    def __len__(self) -> int:
        return len(self.health_score)


def _column(rows: Sequence[Mapping[str, Mapping[str, Any]]], component: str, metric: str) -> Array:
    return np.array(
        [(v if (v := r.get(component, {}).get(metric)) is not None else np.nan) for r in rows], dtype=np.float64
    )


def score_batch(
    body: ScoringConfigBody,
    inputs: Sequence[Mapping[str, Mapping[str, Any]]],
    previous: Sequence[Quadrant | None] | None = None,
) -> Scores:
    """Score accounts from their raw inputs (``{component: {metric: raw}}`` each)."""
    n = len(inputs)
    components: dict[str, ComponentScores] = {}
    for name, cc in body.components.items():
        scores = {metric: curve(mc.curve, _column(inputs, name, metric)) for metric, mc in cc.metrics.items()}
        # A configured "missing" score (QBR: none scores 0) applies only where the component
        # has some real data: an account nothing is known about gets no score, not a low one.
        known = np.zeros(n, dtype=bool)
        for s in scores.values():
            known |= ~np.isnan(s)
        for metric, mc in cc.metrics.items():
            if mc.missing is not None:
                scores[metric] = np.where(np.isnan(scores[metric]) & known, mc.missing, scores[metric])
        weights = [mc.weight for mc in cc.metrics.values()]
        score, coverage = weighted_mean(weights, list(scores.values()))
        have = np.zeros(n)
        for w, s in zip(weights, scores.values(), strict=True):
            have += np.where(np.isnan(s) | (w <= 0), 0.0, w)
        shares = {
            m: np.where(np.isnan(s) | (have <= 0), 0.0, w / np.where(have > 0, have, 1.0))
            for (m, s), w in zip(scores.items(), weights, strict=True)
        }
        components[name] = ComponentScores(score, coverage, scores, shares)
    comp_weights = [body.components[c].weight for c in components]
    health, _ = weighted_mean(comp_weights, [c.score for c in components.values()])
    total = sum(w for w in comp_weights if w > 0)
    coverage = sum(
        (w * c.coverage for w, c in zip(comp_weights, components.values(), strict=True) if w > 0), np.zeros(n)
    )
    coverage = coverage / total if total > 0 else np.zeros(n)
    usage_axis = components["usage"].score
    axis = [c for c in body.health_axis if c in components]
    health_axis, _ = weighted_mean([body.components[c].weight for c in axis], [components[c].score for c in axis])
    prev = previous if previous is not None else [None] * n
    return Scores(
        components=components,
        health_score=health,
        usage_axis=usage_axis,
        health_axis=health_axis,
        coverage=coverage,
        band=bands(health, body.bands.healthy, body.bands.watch),
        quadrant=quadrants(usage_axis, health_axis, body.quadrant, prev),
    )


def num(x: Any) -> float | None:
    """A numpy scalar as a JSON-able number (NaN = None)."""
    f = float(x)
    return None if np.isnan(f) else f


def churn_probability(body: ScoringConfigBody, health: Array) -> Array:
    return curve(body.churn_probability, health)
