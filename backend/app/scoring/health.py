"""One account's health as of a date, with every input: its stored snapshot, or computed now.

Mapped scores are recomputed from the stored raw inputs and the snapshot's (immutable) config
version, never stored twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Quadrant
from app.core.errors import NotFound
from app.scoring import calibration, service
from app.scoring import history_repository as history_repo
from app.scoring import repository as repo
from app.scoring.components import COMPONENTS
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import Scores, curve, num, score_batch
from app.scoring.history_repository import StoredSnapshot
from app.scoring.reading import config_body, require_account
from app.scoring.schemas import AccountHealth, ComponentHealth, SubMetric


class NotScored(NotFound):
    title = "No score on that date"


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


def _stored_view(
    snap: StoredSnapshot, body: ScoringConfigBody, probability: list[tuple[float, float]]
) -> AccountHealth:
    """A stored snapshot's health, as computed then (its own quadrant, no hysteresis to apply)."""
    return _health_view(
        snap.account_id,
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


async def account_health(session: AsyncSession, account_id: uuid.UUID, as_of: date | None) -> AccountHealth:
    """The snapshot for ``as_of`` (default: the latest), or computed now when none is stored."""
    await require_account(session, account_id)
    snap = await history_repo.snapshot_on_or_before(session, account_id, as_of)
    if snap is not None and (as_of is None or snap.as_of == as_of):
        body = await config_body(session, snap.config_version)
        probability, _ = await calibration.probability_curve(session, body)
        return _stored_view(snap, body, probability)
    day = as_of or service.today()
    config = await service.load_active(session)
    inputs = (await repo.fetch_inputs(session, [account_id], day))[account_id]
    if not inputs.get("commercial", {}).pop("is_customer", True):
        raise NotScored(
            f"Account {account_id} has no score on {day}: it was not a customer then (no live subscription "
            "line, or before its signup or first signal)"
        )
    previous = snap.quadrant if snap is not None else None
    probability, _ = await calibration.probability_curve(session, config.body)
    return _health_view(account_id, day, config.version, config.body, inputs, previous, None, False, None, probability)


async def latest_healths(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, AccountHealth | None]:
    """``account_health(account, None)`` for many accounts in a fixed number of statements:
    each one's latest snapshot, else its health computed now (None: not a customer today).
    The accounts are known to exist (callers resolved them)."""
    snaps = await history_repo.snapshots_on_or_before_each(session, [(i, None) for i in ids])
    curves: dict[int, list[tuple[float, float]]] = {}
    out: dict[uuid.UUID, AccountHealth | None] = {}
    for account_id in ids:
        snap = snaps.get((account_id, None))
        if snap is None:
            continue
        body = await config_body(session, snap.config_version)
        if snap.config_version not in curves:
            curves[snap.config_version], _ = await calibration.probability_curve(session, body)
        out[account_id] = _stored_view(snap, body, curves[snap.config_version])
    unscored = [i for i in ids if i not in out]
    if unscored:
        day = service.today()
        config = await service.load_active(session)
        probability, _ = await calibration.probability_curve(session, config.body)
        inputs = await repo.fetch_inputs(session, unscored, day)
        for account_id in unscored:
            if not inputs[account_id].get("commercial", {}).pop("is_customer", True):
                out[account_id] = None
                continue
            out[account_id] = _health_view(
                account_id, day, config.version, config.body, inputs[account_id], None, None, False, None, probability
            )
    return out
