"""A candidate scoring config's impact before it is activated: quadrant and band moves, largest changes."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Band, Quadrant
from app.scoring import history_repository as history_repo
from app.scoring import service
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import num, score_batch
from app.scoring.schemas import ConfigPreview, PreviewChange, TransitionCell


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


async def preview_config(session: AsyncSession, candidate: ScoringConfigBody) -> ConfigPreview:
    """Re-score every account's latest snapshot under ``candidate`` from its stored inputs.

    Hysteresis is applied against the current quadrant, as the next daily run would.
    """
    active = await service.load_active(session)
    rows = await history_repo.latest_snapshots(session)
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
