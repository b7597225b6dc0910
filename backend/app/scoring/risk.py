"""Revenue at risk (DESIGN §9), defined once: what every page that shows "at risk" or "at
stake" reads.

    at stake (one account) = ARR x churn probability(health) x saveable fraction(days to renewal)
    revenue at risk        = the sum over the active accounts in scope

Churn probability comes from the book's calibrated curve when it has enough outcomes, else
the config's default curve; an account without a score counts at the curve's value for 50.
The saveable fraction follows the early-detection table (90 or more days before the next
term renewal 0.8, 60 days 0.6, 30 days 0.3, at renewal 0.1, linear in between); an account
without a term renewal ahead (a monthly plan, or none known) counts as far away (0.8).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.models import utcnow
from app.scoring import calibration, repository
from app.scoring import service as scoring
from app.scoring.schemas import RevenueAtRisk, RiskGroup

SAVEABLE = ((0.0, 0.1), (30.0, 0.3), (60.0, 0.6), (90.0, 0.8))
UNSCORED_HEALTH = 50.0


def saveable_fraction(days_to_renewal: int | None) -> float:
    if days_to_renewal is None:
        return SAVEABLE[-1][1]
    return float(np.interp(max(days_to_renewal, 0), [p[0] for p in SAVEABLE], [p[1] for p in SAVEABLE]))


def churn_probability(curve: Sequence[tuple[float, float]], health: float | None) -> float:
    """The curve of health -> probability (no score: the curve's value at 50)."""
    xs = [p[0] for p in curve]
    ys = [p[1] for p in curve]
    return float(np.interp(UNSCORED_HEALTH if health is None else health, xs, ys))


def at_stake(arr: float, probability: float, days_to_renewal: int | None) -> float:
    return arr * probability * saveable_fraction(days_to_renewal)


@dataclass(frozen=True)
class AccountAtStake:
    """One active account's part of revenue at risk."""

    id: uuid.UUID
    arr: float
    band: str | None
    quadrant: str | None
    at_stake: float


async def accounts_at_stake(
    session: AsyncSession,
    owner_id: uuid.UUID | None = None,
    segment: str | None = None,
    *,
    accounts: Collection[uuid.UUID] | None = None,
) -> tuple[list[AccountAtStake], str]:
    """Each active account's ARR at stake (of one owner or segment; ``accounts``: only these,
    e.g. a list's scope the caller resolved), and where churn probability came from
    (``calibrated`` or ``default``)."""
    today = scoring.today()
    body = (await scoring.load_active(session)).body
    curve, source = await calibration.probability_curve(session, body)
    rows = await repository.risk_inputs(session, today, owner_id, segment)
    only = None if accounts is None else set(accounts)
    out = [
        AccountAtStake(
            id=r["id"],
            arr=float(r["arr"]),
            band=r["band"],
            quadrant=r["quadrant"],
            at_stake=at_stake(float(r["arr"]), churn_probability(curve, r["health_score"]), r["days_to_renewal"]),
        )
        for r in rows
        if only is None or r["id"] in only
    ]
    return out, source


async def revenue_at_risk(
    session: AsyncSession,
    owner_id: uuid.UUID | None = None,
    segment: str | None = None,
    *,
    accounts: Collection[uuid.UUID] | None = None,
) -> RevenueAtRisk:
    """Revenue at risk over the active accounts (of one owner or segment; ``accounts``: only
    these, a list's scope the caller resolved), with its split by health band and quadrant,
    from the same numbers the queue ranks by."""
    rows, source = await accounts_at_stake(session, owner_id, segment, accounts=accounts)
    groups: dict[tuple[str, str], list[float]] = {}
    total = 0.0
    for r in rows:
        total += r.at_stake
        for dim, key in (("band", r.band or "unscored"), ("quadrant", r.quadrant or "unscored")):
            acc = groups.setdefault((dim, key), [0.0, 0.0, 0.0])
            acc[0] += 1
            acc[1] += r.arr
            acc[2] += r.at_stake

    def split(dim: str) -> list[RiskGroup]:
        return [
            RiskGroup(key=key, accounts=int(v[0]), arr=round(v[1], 2), at_risk=round(v[2], 2))
            for (d, key), v in sorted(groups.items(), key=lambda kv: -kv[1][2])
            if d == dim
        ]

    return RevenueAtRisk(
        revenue_at_risk=round(total, 2),
        arr=round(sum(r.arr for r in rows), 2),
        accounts=len(rows),
        by_band=split("band"),
        by_quadrant=split("quadrant"),
        probability_source=source,
        computed_at=utcnow(),
    )
