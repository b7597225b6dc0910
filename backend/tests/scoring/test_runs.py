"""Runs: dates on a cadence, shards several workers take, atomic and resumable."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.enums import RunCadence, RunKind, RunStatus
from app.core.jobs import JobOutbox
from app.flows import scoring_pass
from app.revenue.models import SubscriptionLine
from app.scoring import runs, service
from app.scoring.models import HealthSnapshot, ScoringRun, ScoringRunShard
from tests.factories import make_account


def test_history_dates_daily_recent_weekly_before():
    today = date(2026, 11, 22)  # a Sunday
    assert service.history_dates(date(2026, 11, 20), today, "daily", today) == [
        date(2026, 11, 20),
        date(2026, 11, 21),
        date(2026, 11, 22),
    ]
    assert service.history_dates(date(2026, 11, 1), today, "weekly", today) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        today,  # the end date always, so every account ends with a current score
    ]
    hist = service.history_dates(date(2026, 6, 1), today, "history", today)
    cutoff = today - timedelta(days=120)  # 2026-07-25
    assert [d for d in hist if d <= cutoff] == [date(2026, 6, 1) + timedelta(weeks=i) for i in range(8)]
    assert [d for d in hist if d > cutoff] == [cutoff + timedelta(days=i) for i in range(1, 121)]


def test_plan_shards():
    assert runs.plan_shards(20_000, [date(2026, 1, 1)]) == (2, [[date(2026, 1, 1)]])
    dates = [date(2026, 1, 1) + timedelta(days=i) for i in range(190)]
    buckets, chunks = runs.plan_shards(1_000, dates)
    assert buckets == 1 and [len(c) for c in chunks] == [25] * 7 + [15]


async def customers(session, n: int):
    out = []
    for _ in range(n):
        a = await make_account(session, seats_purchased=5)
        session.add(
            SubscriptionLine(
                source_id=f"{a.id}-line",
                account_id=a.id,
                product="core",
                unit_amount=Decimal(100),
                start_date=date(2025, 1, 1),
            )
        )
        out.append(a)
    await session.flush()
    return out


async def test_a_backfill_run_scores_every_account_on_every_date(session, redis):
    await customers(session, 3)
    run = await runs.create_run(session, RunKind.backfill, date(2026, 3, 1), date(2026, 3, 4), RunCadence.daily, "test")
    assert (run.status, run.total_shards, run.accounts_total) == ("queued", 1, 3)
    await scoring_pass.work_run(run.id)
    done = await runs.get_run(session, run.id)
    assert (done.status, done.done_shards, done.snapshots_written) == ("succeeded", 1, 12)
    assert await session.scalar(select(func.count()).select_from(HealthSnapshot)) == 12
    # a finished backfill refits churn probability on the new history (sent after commit)
    assert await redis.exists(f"arq:job:refit-calibration:{run.id}") == 1
    assert await session.scalar(select(func.count()).select_from(JobOutbox)) == 0


async def test_a_failed_shard_leaves_nothing_and_the_run_resumes(committed_sessions, monkeypatch):
    async with committed_sessions() as s:
        accounts = await customers(s, 4)
        await s.commit()
    monkeypatch.setattr(runs, "BUCKET_ACCOUNTS", 2)  # two shards
    async with committed_sessions() as s:
        run = await runs.create_run(s, RunKind.daily, date(2026, 3, 2), date(2026, 3, 2), RunCadence.daily, "test")
        await s.commit()
    assert run.total_shards == 2

    real = service.score_accounts
    calls = {"n": 0}

    async def dies_on_the_second_shard(session, ids, dates, config, *, react):
        calls["n"] += 1
        written = await real(session, ids, dates, config, react=react)  # writes, then the worker "dies"
        if calls["n"] == 2:
            raise ConnectionError("worker killed mid-shard")
        return written

    monkeypatch.setattr(service, "score_accounts", dies_on_the_second_shard)
    monkeypatch.setattr(runs, "MAX_ATTEMPTS", 5)
    await scoring_pass.work_run(run.id)
    async with committed_sessions() as s:
        shards = (await s.execute(select(ScoringRunShard).order_by(ScoringRunShard.shard_no))).scalars().all()
        # the killed shard retried in the same loop: attempts 2, nothing half-written
        assert [(x.status, x.attempts) for x in shards] == [("succeeded", 1), ("succeeded", 2)]
        assert shards[1].error == "ConnectionError: worker killed mid-shard"
        again = await runs.get_run(s, run.id)
        assert (again.status, again.done_shards, again.snapshots_written) == ("succeeded", 2, 4)
        assert await s.scalar(select(func.count()).select_from(HealthSnapshot)) == len(accounts)


async def test_a_shard_failing_every_time_fails_the_run_and_keeps_other_shards(committed_sessions, monkeypatch):
    async with committed_sessions() as s:
        await customers(s, 2)
        await s.commit()
        run = await runs.create_run(s, RunKind.daily, date(2026, 3, 2), date(2026, 3, 2), RunCadence.daily, "test")
        await s.commit()

    async def always_fails(session, ids, dates, config, *, react):
        raise RuntimeError("bad data")

    monkeypatch.setattr(service, "score_accounts", always_fails)
    await scoring_pass.work_run(run.id)
    async with committed_sessions() as s:
        failed = await runs.get_run(s, run.id)
        assert (failed.status, failed.error) == ("failed", "shard 0: RuntimeError: bad data")
        shard = (await s.execute(select(ScoringRunShard))).scalar_one()
        assert (shard.status, shard.attempts) == ("failed", runs.MAX_ATTEMPTS)


async def test_two_workers_share_a_run_and_each_shard_is_done_once(committed_sessions, monkeypatch):
    async with committed_sessions() as s:
        await customers(s, 6)
        await s.commit()
    monkeypatch.setattr(runs, "BUCKET_ACCOUNTS", 2)  # 3 buckets
    monkeypatch.setattr(runs, "SHARD_WORK", 4)  # 2 dates per shard
    async with committed_sessions() as s:
        run = await runs.create_run(s, RunKind.backfill, date(2026, 3, 1), date(2026, 3, 4), RunCadence.daily, "test")
        await s.commit()
    assert run.total_shards == 6  # 3 buckets x 2 date chunks
    done = await asyncio.gather(scoring_pass.work_run(run.id), scoring_pass.work_run(run.id))
    assert sum(done) == 6
    async with committed_sessions() as s:
        final = await runs.get_run(s, run.id)
        assert (final.status, final.done_shards, final.snapshots_written) == ("succeeded", 6, 24)
        per_day = await s.execute(select(HealthSnapshot.as_of, func.count()).group_by(HealthSnapshot.as_of))
        assert sorted(per_day.all()) == [(date(2026, 3, d), 6) for d in range(1, 5)]


async def test_daily_run_is_found_not_duplicated(session):
    first = await runs.daily_run(session, date(2026, 3, 2), "cron")
    second = await runs.daily_run(session, date(2026, 3, 2), "cron")
    assert first.id == second.id
    first.status = RunStatus.failed.value
    await session.flush()
    third = await runs.daily_run(session, date(2026, 3, 2), "cron")
    assert third.id != first.id  # a failed day may be run again


async def test_resume_sends_workers_to_abandoned_runs(session):
    await customers(session, 1)
    run = await runs.create_run(session, RunKind.daily, date(2026, 3, 2), date(2026, 3, 2), RunCadence.daily, "t")
    assert await runs.resume_runs(session, older_than_seconds=3600) == 0  # still fresh
    assert await runs.resume_runs(session, older_than_seconds=-1) == 1
    pending = (await session.execute(select(ScoringRun))).scalars().all()
    assert [r.id for r in pending] == [run.id]


@pytest.mark.parametrize("n", [0])
async def test_a_run_over_no_dates_is_done_at_once(session, n):
    run = await runs.create_run(session, RunKind.backfill, date(2026, 3, 5), date(2026, 3, 4), RunCadence.daily, "t")
    assert (run.status, run.total_shards) == ("succeeded", n)
