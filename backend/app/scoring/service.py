"""Scoring: compute snapshots for accounts and dates, incrementally or as sharded runs.

``score_accounts`` is the one path every kind of scoring takes: for each date in order it
reads the raw inputs set-based (one query per component), applies the config in Python,
places the quadrant with hysteresis against the previous snapshot, and writes snapshots,
moves and each account's current health in bulk. What follows a pass over today (alerts,
plays, notifications) is not scoring's business: the caller passes it in as ``react``
(``app.flows.scoring_pass``), and it runs in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.enums import Quadrant
from app.core.models import utcnow
from app.scoring import repository as repo
from app.scoring.config import ScoringConfigBody
from app.scoring.engine import num, score_batch
from app.scoring.models import ScoringConfig
from app.scoring.repository import Inputs

DAILY_WINDOW_DAYS = 120  # daily snapshots this far back; weekly (Mondays) before


def today() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class ActiveConfig:
    version: int
    body: ScoringConfigBody

    @classmethod
    def of(cls, row: ScoringConfig) -> ActiveConfig:
        assert row.version is not None
        return cls(row.version, ScoringConfigBody.model_validate(row.body))


async def load_active(session: AsyncSession) -> ActiveConfig:
    return ActiveConfig.of(await repo.active_config(session))


@dataclass(frozen=True)
class ScoredToday:
    """A batch's scores for today: what reactions to a scoring pass are about.

    ``scored`` is (account, raw inputs, health score, quadrant) per account scored;
    accounts in ``absent`` are not customers today (no live subscription).
    """

    as_of: date
    scored: list[tuple[uuid.UUID, Inputs, float | None, Quadrant | None]]
    absent: list[uuid.UUID]
    config: ActiveConfig


# What runs after today is scored, in the same transaction; ``None``: scores only.
React = Callable[[AsyncSession, ScoredToday], Awaitable[object]] | None


async def score_accounts(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    dates: Sequence[date],
    config: ActiveConfig,
    *,
    react: React,
) -> int:
    """Write snapshots for ``ids`` on each of ``dates`` (ascending); when a date is today,
    ``react`` gets the batch's scores. Returns snapshots written."""
    await repo.tune_for_bulk_reads(session)
    written = 0
    for as_of in sorted(set(dates)):
        previous = await repo.previous_quadrants(session, ids, as_of)
        inputs = await repo.fetch_inputs(session, ids, as_of)
        # Not a customer on this date (no live subscription): no snapshot.
        customers = [i for i in ids if inputs[i].get("commercial", {}).pop("is_customer", True)]
        kept = set(customers)
        absent = [i for i in ids if i not in kept]
        rows = [inputs[i] for i in customers]
        before = [previous.get(i) for i in customers]
        scores = score_batch(config.body, rows, before)
        moves: list[tuple[uuid.UUID, Quadrant, Quadrant]] = []
        unchanged: list[uuid.UUID] = list(absent)
        for account_id, was, now in zip(customers, before, scores.quadrant, strict=True):
            if was is not None and now is not None and now != was:
                moves.append((account_id, was, now))
            else:
                unchanged.append(account_id)
        written += await repo.write_snapshots(session, customers, as_of, config.version, scores, rows)
        await repo.write_moves(session, as_of, config.version, moves, unchanged)
        await repo.delete_snapshots(session, absent, as_of)
        if react is not None and as_of >= today():
            # Reactions are about now: they follow when today is scored (daily run, rescore after signals).
            scored = [(i, rows[k], num(scores.health_score[k]), scores.quadrant[k]) for k, i in enumerate(customers)]
            await react(session, ScoredToday(as_of, scored, absent, config))
    return written


def history_dates(start: date, end: date, cadence: str, today_: date | None = None) -> list[date]:
    """The dates a run scores: every day, Mondays, or weekly beyond the daily window.

    The end date is always included, so a run leaves every account with a current score.
    """
    if end < start:
        return []
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    if cadence == "daily":
        return days
    cutoff = (today_ or today()) - timedelta(days=DAILY_WINDOW_DAYS)
    keep = [d for d in days if d.weekday() == 0 or (cadence == "history" and d > cutoff)]
    if not keep or keep[-1] != end:
        keep.append(end)
    return keep


async def rescore(session: AsyncSession, since: dict[uuid.UUID, date], *, react: React) -> int:
    """Re-score accounts touched by signals, from each one's earliest signal date to today.

    Daily snapshots are rewritten inside the daily window; older stored dates (weekly) in
    the range are rewritten too, so a late signal never leaves a stale snapshot behind.
    """
    if not since:
        return 0
    config = await load_active(session)
    end = today()
    window_start = end - timedelta(days=DAILY_WINDOW_DAYS)
    by_start: dict[date, list[uuid.UUID]] = {}
    for account_id, start in since.items():
        by_start.setdefault(min(start, end), []).append(account_id)
    written = 0
    for start, ids in sorted(by_start.items()):
        stored = await repo.stored_dates(session, ids, start, window_start)
        dates = set(stored) | set(history_dates(max(start, window_start), end, "daily"))
        written += await score_accounts(session, ids, sorted(dates), config, react=react)
    return written


async def take_rescore_requests(session: AsyncSession, limit: int = 5000) -> dict[uuid.UUID, date]:
    """Claim pending rescore requests, urgent ones first (other workers skip claimed rows)."""
    return await repo.take_rescore_requests(session, limit)
