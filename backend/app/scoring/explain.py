"""Why an account's health changed: the change split over components and sub-metrics, in a sentence.

Attribution (arithmetic) and the sentence (wording) are plain functions; ``explain_change`` reads
the two snapshots and puts them together."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.errors import NotFound
from app.scoring import history_repository as history_repo
from app.scoring.components import COMPONENTS
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import Scores, num, score_batch
from app.scoring.history_repository import StoredSnapshot
from app.scoring.reading import config_body, require_account
from app.scoring.schemas import ComponentAttribution, Explanation, MetricAttribution

MINUS = "\u2212"  # typographic minus sign, as DESIGN's example sentence uses


async def explain_change(
    session: AsyncSession, account_id: uuid.UUID, date_from: date | None, date_to: date | None
) -> Explanation:
    await require_account(session, account_id)
    to_snap = await history_repo.snapshot_on_or_before(session, account_id, date_to)
    if to_snap is None:
        raise NotFound("No health snapshot for this account yet; run scoring first")
    start = date_from or to_snap.as_of - timedelta(days=30)
    from_snap = await history_repo.snapshot_on_or_before(session, account_id, start)
    if from_snap is None:
        raise NotFound(f"No health snapshot on or before {start}")
    return await _explained(session, account_id, from_snap, to_snap)


async def explain_changes(
    session: AsyncSession, ids: Sequence[uuid.UUID], date_from: date | None, date_to: date | None
) -> dict[uuid.UUID, Explanation | None]:
    """``explain_change`` for many accounts in two statements (None where an account has no
    snapshot on one of the two dates). The accounts are known to exist."""
    ends = await history_repo.snapshots_on_or_before_each(session, [(i, date_to) for i in ids])
    starts = {
        i: date_from or snap.as_of - timedelta(days=30) for i in ids if (snap := ends.get((i, date_to))) is not None
    }
    begins = await history_repo.snapshots_on_or_before_each(session, list(starts.items()))
    out: dict[uuid.UUID, Explanation | None] = dict.fromkeys(ids)
    for account_id, start in starts.items():
        from_snap = begins.get((account_id, start))
        if from_snap is not None:
            out[account_id] = await _explained(session, account_id, from_snap, ends[(account_id, date_to)])
    return out


async def _explained(
    session: AsyncSession, account_id: uuid.UUID, from_snap: StoredSnapshot, to_snap: StoredSnapshot
) -> Explanation:
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


# -- attribution -------------------------------------------------------------------------


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


# -- wording -----------------------------------------------------------------------------


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
