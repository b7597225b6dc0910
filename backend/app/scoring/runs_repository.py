"""SQL of scoring runs: finding and counting runs, claiming and finishing shards, runs left behind."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.core.enums import RunKind, RunStatus
from app.scoring.models import ScoringRun, ScoringRunShard


async def count_accounts(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Account)) or 0)


async def lock_daily_run(session: AsyncSession, as_of: date) -> None:
    """Until the transaction ends, so the day's run is found or created once."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"daily-scoring:{as_of}"})


async def find_daily_run(session: AsyncSession, as_of: date) -> ScoringRun | None:
    """The day's scheduled run, unless it failed (then a new one may start)."""
    return (
        await session.execute(
            select(ScoringRun)
            .where(
                col(ScoringRun.kind) == RunKind.daily.value,
                col(ScoringRun.date_from) == as_of,
                col(ScoringRun.status).in_(
                    [RunStatus.queued.value, RunStatus.running.value, RunStatus.succeeded.value]
                ),
            )
            .order_by(col(ScoringRun.created_at).desc())
            .limit(1)
        )
    ).scalar_one_or_none()


async def recent_runs(session: AsyncSession, limit: int) -> list[ScoringRun]:
    """The latest runs, newest first."""
    rows = await session.execute(select(ScoringRun).order_by(col(ScoringRun.created_at).desc()).limit(limit))
    return list(rows.scalars())


async def bucket_account_ids(session: AsyncSession, bucket: int, buckets: int) -> list[uuid.UUID]:
    rows = await session.execute(
        text("SELECT id FROM account WHERE (hashtext(id::text) & 2147483647) % :n = :b ORDER BY id"),
        {"n": buckets, "b": bucket},
    )
    return [r for (r,) in rows]


async def claim_shard(session: AsyncSession, run_id: uuid.UUID) -> ScoringRunShard | None:
    """A queued shard whose bucket's earlier dates are done, locked for this transaction."""
    return (
        await session.execute(
            select(ScoringRunShard)
            .where(
                col(ScoringRunShard.run_id) == run_id,
                col(ScoringRunShard.status) == RunStatus.queued.value,
                text(
                    "NOT EXISTS (SELECT 1 FROM scoring_run_shard p WHERE p.run_id = scoring_run_shard.run_id "
                    "AND p.account_bucket = scoring_run_shard.account_bucket "
                    "AND p.as_of < scoring_run_shard.as_of AND p.status <> 'succeeded')"
                ),
            )
            .order_by(col(ScoringRunShard.as_of), col(ScoringRunShard.shard_no))
            .limit(1)
            .with_for_update(skip_locked=True)
        )
    ).scalar_one_or_none()


async def record_shard_done(session: AsyncSession, run_id: uuid.UUID, written: int) -> tuple[str, str]:
    """Add a finished shard to its run (which succeeds with its last shard); the run's status and kind."""
    finished = await session.execute(
        text(
            """
                UPDATE scoring_run SET
                    done_shards = done_shards + 1,
                    snapshots_written = snapshots_written + :written,
                    status = CASE WHEN done_shards + 1 >= total_shards THEN 'succeeded' ELSE 'running' END,
                    started_at = coalesce(started_at, now()),
                    finished_at = CASE WHEN done_shards + 1 >= total_shards THEN now() END
                WHERE id = :id
                RETURNING status, kind
                """
        ),
        {"id": run_id, "written": written},
    )
    status, kind = finished.one()
    return status, kind


async def mark_started(session: AsyncSession, run_id: uuid.UUID) -> None:
    await session.execute(
        text(
            "UPDATE scoring_run SET status = 'running', started_at = coalesce(started_at, now()) "
            "WHERE id = :id AND status = 'queued'"
        ),
        {"id": run_id},
    )


def _work_lock(run_id: uuid.UUID) -> dict[str, str]:
    return {"key": f"scoring-run-work:{run_id}"}


async def hold_work_lock(session: AsyncSession, run_id: uuid.UUID) -> None:
    """Say, until the transaction ends, that this session works a shard of the run (shared:
    any number of workers hold it at once). A killed worker's lock ends with its connection."""
    await session.execute(text("SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 0))"), _work_lock(run_id))


async def nobody_works(session: AsyncSession, run_id: uuid.UUID) -> bool:
    """No session holds the run's work lock. Holds it exclusively until the transaction ends
    (a worker starting a shard meanwhile waits for that, milliseconds)."""
    return bool(
        await session.scalar(text("SELECT pg_try_advisory_xact_lock(hashtextextended(:key, 0))"), _work_lock(run_id))
    )


async def abandoned_run_ids(session: AsyncSession, older_than_seconds: int) -> list[uuid.UUID]:
    """Unfinished runs with shards still queued, no progress (created, started or a shard
    finished) for ``older_than_seconds``, and no shard being scored right now."""
    rows = await session.execute(
        text(
            """
            SELECT r.id FROM scoring_run r
            WHERE r.status IN ('queued', 'running')
              AND greatest(
                    r.created_at,
                    r.started_at,
                    (SELECT max(s.finished_at) FROM scoring_run_shard s WHERE s.run_id = r.id)
                  ) < now() - make_interval(secs => :age)
              AND EXISTS (SELECT 1 FROM scoring_run_shard s WHERE s.run_id = r.id AND s.status = 'queued')
            ORDER BY r.created_at
            """
        ),
        {"age": older_than_seconds},
    )
    return [run_id for (run_id,) in rows if await nobody_works(session, run_id)]
