"""Reading scores: one account's health with every input, its history, explanations of a change,
and the impact of a config before it is activated. Mapped scores are recomputed from the
stored raw inputs and the snapshot's (immutable) config version, never stored twice."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Band, Quadrant
from app.core.errors import NotFound
from app.scoring import calibration, service
from app.scoring import repository as repo
from app.scoring.components import COMPONENTS
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import Scores, curve, num, score_batch
from app.scoring.schemas import (
    AccountHealth,
    ComponentAttribution,
    ComponentHealth,
    ConfigMarker,
    ConfigPreview,
    Explanation,
    HealthHistory,
    HistoryPoint,
    MetricAttribution,
    PreviewChange,
    QuadrantMovePublic,
    SubMetric,
    TransitionCell,
)

MINUS = "\u2212"  # typographic minus sign, as DESIGN's example sentence uses


@dataclass
class StoredSnapshot:
    account_id: uuid.UUID
    as_of: date
    config_version: int
    quadrant: Quadrant | None
    inputs: dict[str, dict[str, Any]]
    arr: float
    computed_at: datetime | None


_configs: dict[int, ScoringConfigBody] = {}


async def config_body(session: AsyncSession, version: int) -> ScoringConfigBody:
    """Versions are immutable, so a parsed body is cached for the process."""
    if version not in _configs:
        row = await repo.get_config(session, version)
        if row is None:
            raise NotFound(f"No scoring config version {version}")
        _configs[version] = ScoringConfigBody.model_validate(row.body)
    return _configs[version]


async def _account_exists(session: AsyncSession, account_id: uuid.UUID) -> None:
    if not await session.scalar(text("SELECT 1 FROM account WHERE id = :id"), {"id": account_id}):
        raise NotFound(f"No account {account_id}")


async def snapshot_on_or_before(
    session: AsyncSession, account_id: uuid.UUID, day: date | None
) -> StoredSnapshot | None:
    row = (
        (
            await session.execute(
                text(
                    """
                    SELECT account_id, as_of, config_version, quadrant, inputs, arr, computed_at
                    FROM health_snapshot
                    WHERE account_id = :id AND (CAST(:d AS date) IS NULL OR as_of <= :d)
                    ORDER BY as_of DESC LIMIT 1
                    """
                ),
                {"id": account_id, "d": day},
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return StoredSnapshot(
        row["account_id"],
        row["as_of"],
        row["config_version"],
        Quadrant(row["quadrant"]) if row["quadrant"] else None,
        row["inputs"],
        float(row["arr"]),
        row["computed_at"],
    )


def _component_views(
    body: ScoringConfigBody, scores: Scores, inputs: dict[str, dict[str, Any]]
) -> list[ComponentHealth]:
    present = {n: c for n, c in scores.components.items() if num(c.score[0]) is not None}
    have = sum(body.components[n].weight for n in present)
    out = []
    for name, comp in scores.components.items():
        definition = COMPONENTS[name]
        cfg = body.components[name]
        raw = inputs.get(name, {})
        metrics = [
            SubMetric(
                name=m.name,
                label=m.label,
                unit=m.unit,
                description=m.description,
                raw=raw.get(m.name),
                score=num(comp.metric_scores[m.name][0]),
                weight=cfg.metrics[m.name].weight,
                effective_weight=float(comp.metric_shares[m.name][0]),
            )
            for m in definition.metrics
            if m.name in cfg.metrics
        ]
        out.append(
            ComponentHealth(
                name=name,
                label=definition.label,
                score=num(comp.score[0]),
                weight=cfg.weight,
                effective_weight=(cfg.weight / have) if name in present and have > 0 else 0.0,
                coverage=float(comp.coverage[0]),
                sub_metrics=metrics,
                context={k: raw.get(k) for k in definition.context if k in raw},
            )
        )
    return out


def _health_view(
    account_id: uuid.UUID,
    as_of: date,
    version: int,
    body: ScoringConfigBody,
    inputs: dict[str, dict[str, Any]],
    previous: Quadrant | None,
    stored_quadrant: Quadrant | None,
    stored: bool,
    computed_at: datetime | None,
    probability: list[tuple[float, float]],
) -> AccountHealth:
    scores = score_batch(body, [inputs], [previous])
    health = num(scores.health_score[0])
    # A stored snapshot keeps the quadrant it was given (hysteresis depended on its history).
    quadrant = stored_quadrant if stored else scores.quadrant[0]
    return AccountHealth(
        account_id=account_id,
        as_of=as_of,
        config_version=version,
        stored=stored,
        health_score=health,
        band=scores.band[0],
        usage_axis=num(scores.usage_axis[0]),
        health_axis=num(scores.health_axis[0]),
        quadrant=quadrant,
        coverage=float(scores.coverage[0]),
        churn_probability=num(curve(probability, scores.health_score)[0]),
        arr=float(inputs.get("commercial", {}).get("arr") or 0.0),
        components=_component_views(body, scores, inputs),
        computed_at=computed_at,
    )


async def account_health(session: AsyncSession, account_id: uuid.UUID, as_of: date | None) -> AccountHealth:
    """The snapshot for ``as_of`` (default: the latest), or computed now when none is stored."""
    await _account_exists(session, account_id)
    snap = await snapshot_on_or_before(session, account_id, as_of)
    if snap is not None and (as_of is None or snap.as_of == as_of):
        body = await config_body(session, snap.config_version)
        probability, _ = await calibration.probability_curve(session, body)
        return _health_view(
            account_id,
            snap.as_of,
            snap.config_version,
            body,
            snap.inputs,
            None,
            snap.quadrant,
            True,
            snap.computed_at,
            probability,
        )
    day = as_of or service.today()
    config = await service.load_active(session)
    inputs = (await repo.fetch_inputs(session, [account_id], day))[account_id]
    inputs.get("commercial", {}).pop("is_customer", None)
    previous = snap.quadrant if snap is not None else None
    probability, _ = await calibration.probability_curve(session, config.body)
    return _health_view(account_id, day, config.version, config.body, inputs, previous, None, False, None, probability)


async def history(
    session: AsyncSession, account_id: uuid.UUID, date_from: date | None, date_to: date | None
) -> HealthHistory:
    await _account_exists(session, account_id)
    end = date_to or service.today()
    start = date_from or end - timedelta(days=90)
    rows = (
        await session.execute(
            text(
                """
                SELECT as_of, health_score, band, usage_axis, health_axis, quadrant, coverage, config_version,
                       usage_score AS usage, support_score AS support, sentiment_score AS sentiment,
                       relationship_score AS relationship, commercial_score AS commercial
                FROM health_snapshot WHERE account_id = :id AND as_of BETWEEN :a AND :b ORDER BY as_of
                """
            ),
            {"id": account_id, "a": start, "b": end},
        )
    ).mappings()
    points = [HistoryPoint.model_validate(dict(r)) for r in rows]
    first_use: dict[int, date] = {}
    for p in points:
        first_use.setdefault(p.config_version, p.as_of)
    markers = []
    for cfg in await repo.list_configs(session):
        assert cfg.version is not None
        activated = cfg.activated_at.date() if cfg.activated_at else None
        in_range = activated is not None and start <= activated <= end
        # A marker where the score series switches version (what a chart needs) or where a
        # version was activated inside the range.
        switches = cfg.version in first_use and points and first_use[cfg.version] != points[0].as_of
        if in_range or switches:
            markers.append(
                ConfigMarker(
                    version=cfg.version,
                    name=cfg.name,
                    activated_at=cfg.activated_at,
                    first_scored_on=first_use.get(cfg.version),
                )
            )
    moves = (
        await session.execute(
            text(
                """
                SELECT moved_on, from_quadrant, to_quadrant, config_version FROM quadrant_move
                WHERE account_id = :id AND moved_on BETWEEN :a AND :b ORDER BY moved_on
                """
            ),
            {"id": account_id, "a": start, "b": end},
        )
    ).mappings()
    return HealthHistory(
        account_id=account_id,
        date_from=start,
        date_to=end,
        points=points,
        config_markers=sorted(markers, key=lambda m: m.version),
        quadrant_moves=[QuadrantMovePublic.model_validate(dict(m)) for m in moves],
    )


# -- explain -------------------------------------------------------------------------------


def _fmt_raw(unit: str, value: float | None) -> str:
    if value is None:
        return "none"
    if unit == "fraction":
        return f"{value * 100:+.0f}%" if value < 0 else f"{value * 100:.0f}%"
    if unit == "level":
        return {-1: "negative", 0: "neutral", 1: "positive"}.get(round(value), f"{value:g}")
    if unit == "days":
        return f"{value:.0f} d"
    if unit == "ratio":
        return f"{value:.1f}\u00d7"  # multiplication sign
    if unit in ("per_seat", "score"):
        return f"{value:.1f}".removesuffix(".0")
    if unit == "minutes":
        return f"{value:.0f} min"
    return f"{value:.0f}"


def _signed(x: float) -> str:
    r = round(x)
    return f"+{r}" if r > 0 else (MINUS + str(-r) if r < 0 else "±0")


def attribute(
    body_from: ScoringConfigBody,
    inputs_from: dict[str, dict[str, Any]],
    body_to: ScoringConfigBody,
    inputs_to: dict[str, dict[str, Any]],
) -> tuple[float | None, float | None, list[ComponentAttribution]]:
    """Split the change in health_score over components and their sub-metrics.

    health = sum over components of (renormalised weight x score), and a component's score =
    sum over its metrics of (share x metric score); each part's contribution is its term on
    the to date minus its term on the from date, so the parts add up to the change exactly,
    renormalisation (a component or metric gaining or losing data) included.
    """
    a = score_batch(body_from, [inputs_from])
    b = score_batch(body_to, [inputs_to])

    def weights(body: ScoringConfigBody, s: Scores) -> dict[str, float]:
        present = {n: body.components[n].weight for n, c in s.components.items() if num(c.score[0]) is not None}
        total = sum(present.values())
        return {n: (w / total if total > 0 else 0.0) for n, w in present.items()}

    wa, wb = weights(body_from, a), weights(body_to, b)
    out = []
    for name in dict.fromkeys([*a.components, *b.components]):
        definition = COMPONENTS[name]
        ca, cb = a.components.get(name), b.components.get(name)
        sa = num(ca.score[0]) if ca else None
        sb = num(cb.score[0]) if cb else None
        w_a, w_b = wa.get(name, 0.0), wb.get(name, 0.0)
        metrics = []
        for m in definition.metrics:
            in_a = ca is not None and m.name in ca.metric_scores
            in_b = cb is not None and m.name in cb.metric_scores
            if not (in_a or in_b):
                continue
            ms_a = num(ca.metric_scores[m.name][0]) if in_a and ca else None
            ms_b = num(cb.metric_scores[m.name][0]) if in_b and cb else None
            share_a = float(ca.metric_shares[m.name][0]) if in_a and ca else 0.0
            share_b = float(cb.metric_shares[m.name][0]) if in_b and cb else 0.0
            term_a = w_a * share_a * (ms_a or 0.0)
            term_b = w_b * share_b * (ms_b or 0.0)
            metrics.append(
                MetricAttribution(
                    name=m.name,
                    label=m.label,
                    unit=m.unit,
                    raw_from=inputs_from.get(name, {}).get(m.name),
                    raw_to=inputs_to.get(name, {}).get(m.name),
                    score_from=ms_a,
                    score_to=ms_b,
                    contribution=term_b - term_a,
                )
            )
        metrics.sort(key=lambda x: -abs(x.contribution))
        out.append(
            ComponentAttribution(
                name=name,
                label=definition.label,
                score_from=sa,
                score_to=sb,
                weight_from=w_a,
                weight_to=w_b,
                contribution=w_b * (sb or 0.0) - w_a * (sa or 0.0),
                sub_metrics=metrics,
            )
        )
    out.sort(key=lambda c: -abs(c.contribution))
    return num(a.health_score[0]), num(b.health_score[0]), out


def sentence(health_from: float | None, health_to: float | None, parts: list[ComponentAttribution]) -> str:
    """'72 → 58: sentiment -9 (NPS 8 → 4), support -5 (P1/P2 open > 24 h 0 → 2)', with true minus signs."""

    def fmt(x: float | None) -> str:
        return "no score" if x is None else f"{round(x)}"

    head = f"{fmt(health_from)} → {fmt(health_to)}"
    material = [c for c in parts if round(c.contribution) != 0][:3]
    if not material:
        return f"{head}: no material change"
    pieces = []
    for c in material:
        driver = next((m for m in c.sub_metrics if round(m.contribution) != 0 or m.raw_from != m.raw_to), None)
        detail = ""
        if driver is not None:
            detail = (
                f" ({driver.label} {_fmt_raw(driver.unit, driver.raw_from)} → {_fmt_raw(driver.unit, driver.raw_to)})"
            )
        pieces.append(f"{c.name} {_signed(c.contribution)}{detail}")
    return f"{head}: " + ", ".join(pieces)


async def explain(
    session: AsyncSession, account_id: uuid.UUID, date_from: date | None, date_to: date | None
) -> Explanation:
    await _account_exists(session, account_id)
    to_snap = await snapshot_on_or_before(session, account_id, date_to)
    if to_snap is None:
        raise NotFound("No health snapshot for this account yet; run scoring first")
    start = date_from or to_snap.as_of - timedelta(days=30)
    from_snap = await snapshot_on_or_before(session, account_id, start)
    if from_snap is None:
        raise NotFound(f"No health snapshot on or before {start}")
    body_a = await config_body(session, from_snap.config_version)
    body_b = await config_body(session, to_snap.config_version)
    h_a, h_b, parts = attribute(body_a, from_snap.inputs, body_b, to_snap.inputs)
    words = sentence(h_a, h_b, parts)
    if from_snap.config_version != to_snap.config_version:
        words += f" (scoring config v{from_snap.config_version} → v{to_snap.config_version} in between)"
    return Explanation(
        account_id=account_id,
        date_from=from_snap.as_of,
        date_to=to_snap.as_of,
        health_from=h_a,
        health_to=h_b,
        delta=(h_b - h_a) if h_a is not None and h_b is not None else None,
        config_from=from_snap.config_version,
        config_to=to_snap.config_version,
        components=parts,
        sentence=words,
    )


# -- config impact preview -----------------------------------------------------------------


def _matrix(pairs: list[tuple[str | None, str | None, float]]) -> list[TransitionCell]:
    counts: Counter[tuple[str | None, str | None]] = Counter()
    arr: dict[tuple[str | None, str | None], float] = {}
    for a, b, money in pairs:
        counts[(a, b)] += 1
        arr[(a, b)] = arr.get((a, b), 0.0) + money
    return [
        TransitionCell(from_value=a, to_value=b, accounts=n, arr=arr[(a, b)])
        for (a, b), n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    ]


async def preview(session: AsyncSession, candidate: ScoringConfigBody) -> ConfigPreview:
    """Re-score every account's latest snapshot under ``candidate`` from its stored inputs.

    Hysteresis is applied against the current quadrant, as the next daily run would.
    """
    active = await service.load_active(session)
    rows = (
        (
            await session.execute(
                text(
                    """
                SELECT s.account_id, a.name, s.as_of, s.inputs, s.arr, s.health_score, s.band, s.quadrant
                FROM account_health h
                JOIN health_snapshot s ON s.account_id = h.account_id AND s.as_of = h.as_of
                JOIN account a ON a.id = h.account_id
                """
                )
            )
        )
        .mappings()
        .all()
    )
    if not rows:
        return ConfigPreview(
            as_of=None,
            current_version=active.version,
            accounts=0,
            quadrant_changes=0,
            band_changes=0,
            mean_health_before=None,
            mean_health_after=None,
            quadrant_matrix=[],
            band_matrix=[],
            largest_changes=[],
            summary="No accounts have been scored yet.",
        )
    before_q = [Quadrant(r["quadrant"]) if r["quadrant"] else None for r in rows]
    scores = score_batch(candidate, [r["inputs"] for r in rows], before_q)
    changes = []
    for i, r in enumerate(rows):
        changes.append(
            PreviewChange(
                account_id=r["account_id"],
                name=r["name"],
                arr=float(r["arr"]),
                health_before=r["health_score"],
                health_after=num(scores.health_score[i]),
                band_before=Band(r["band"]) if r["band"] else None,
                band_after=scores.band[i],
                quadrant_before=before_q[i],
                quadrant_after=scores.quadrant[i],
            )
        )
    q_changes = sum(1 for c in changes if c.quadrant_before != c.quadrant_after)
    b_changes = sum(1 for c in changes if c.band_before != c.band_after)

    def mean(xs: list[float | None]) -> float | None:
        vals = [x for x in xs if x is not None]
        return sum(vals) / len(vals) if vals else None

    def delta(c: PreviewChange) -> float:
        return abs((c.health_after or 0.0) - (c.health_before or 0.0))

    return ConfigPreview(
        as_of=max(r["as_of"] for r in rows),
        current_version=active.version,
        accounts=len(changes),
        quadrant_changes=q_changes,
        band_changes=b_changes,
        mean_health_before=mean([c.health_before for c in changes]),
        mean_health_after=mean([c.health_after for c in changes]),
        quadrant_matrix=_matrix([(c.quadrant_before, c.quadrant_after, c.arr) for c in changes]),
        band_matrix=_matrix([(c.band_before, c.band_after, c.arr) for c in changes]),
        largest_changes=sorted(changes, key=delta, reverse=True)[:20],
        summary=f"{q_changes:,} of {len(changes):,} accounts change quadrant, {b_changes:,} change band",
    )
