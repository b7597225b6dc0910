"""The daily scoring entry point runs in a real arq worker (burst mode) on real Redis."""

from __future__ import annotations

import uuid
from datetime import date

from arq.worker import Worker
from sqlalchemy import select

from app.core.config import get_settings
from app.scoring.models import ScoringRun
from app.worker import FUNCTIONS, worker_settings
from tests.factories import make_account


async def _burst(redis, queue: str) -> Worker:
    worker = Worker(
        functions=FUNCTIONS, redis_pool=redis, burst=True, poll_delay=0.05, queue_name=queue, handle_signals=False
    )
    await worker.main()
    return worker


async def test_daily_scoring_job_runs_once_per_day_even_if_delivered_twice(committed_sessions, redis):
    async with committed_sessions() as setup:
        await make_account(setup)
        await make_account(setup)
        await setup.commit()
    queue = f"{get_settings().arq_queue_name}:{uuid.uuid4()}"  # this test's jobs only
    for _ in range(2):  # arq may deliver a job twice; the run must not double
        await redis.enqueue_job("run_daily_scoring", "2026-11-01", _job_id=f"test:{uuid.uuid4()}", _queue_name=queue)
    worker = await _burst(redis, queue)
    assert (worker.jobs_complete, worker.jobs_failed) == (2, 0)
    async with committed_sessions() as check:
        runs = (await check.execute(select(ScoringRun).where(ScoringRun.date_from == date(2026, 11, 1)))).scalars()
        assert [(r.kind, r.status, r.accounts_total) for r in runs] == [("daily", "succeeded", 2)]


def test_cron_is_wired_to_the_daily_entry_point():
    settings = worker_settings()
    crons = {c.name: c for c in settings.cron_jobs}
    daily = crons["cron:run_daily_scoring"]
    assert daily.coroutine.__name__ == "run_daily_scoring"
    assert (daily.hour, daily.minute) == ({2}, {15})
    assert settings.queue_name == get_settings().arq_queue_name
    assert {f.__name__ for f in settings.functions} == {
        "run_daily_scoring",
        "score_run",
        "resume_scoring_runs",
        "thin_snapshots",
        "rescore_pending",
        "flush_outbox_job",
        "deliver",
        "deliver_due",
        "send_weekly_digest",
        "purge_raw_usage",
        "check_stale_sources",
        "refit_churn_calibration",
        "rebuild_revenue",
        "rebuild_revenue_rollups",
        "rebuild_revenue_daily",
        "sync_renewals",
    }
    nightly = crons["cron:rebuild_revenue_daily"]
    assert (nightly.hour, nightly.minute) == ({0}, {20})  # before the daily scoring at 02:15
    refit = crons["cron:refit_churn_calibration"]
    assert (refit.hour, refit.minute) == ({4}, {15})


async def test_ingest_queues_one_debounced_rescore_that_folds_the_log(committed_sessions, redis):
    """Signals -> ingest_log + rescore job (after commit) -> the job folds the log into
    freshness and rescore requests and drains them."""
    from sqlalchemy import func

    from app.flows.after_signals import rescore_pending
    from app.ingest import service as ingest
    from app.ingest.models import DataSource, IngestLog
    from app.ingest.schemas import Kind
    from app.scoring.models import RescoreRequest

    async with committed_sessions() as s:
        await make_account(s, external_id="job-acct")
        await s.commit()
    from app.core.db import unit_of_work

    for i in range(3):
        async with unit_of_work() as s:
            await ingest.ingest(
                s, Kind.tickets, [{"id": f"J{i}", "account": "job-acct", "opened_at": f"2026-10-0{i + 1}T00:00:00Z"}]
            )
    async with committed_sessions() as s:
        assert await s.scalar(select(func.count()).select_from(IngestLog)) == 3
    rescored = await rescore_pending({})
    assert rescored == 1  # one account, from the earliest date, whatever the number of calls
    async with committed_sessions() as s:
        assert await s.scalar(select(func.count()).select_from(IngestLog)) == 0
        assert await s.scalar(select(func.count()).select_from(RescoreRequest)) == 0
        source = (await s.execute(select(DataSource).where(DataSource.key == "tickets"))).scalar_one()
        assert source.items_received == 3


async def test_a_long_rescore_hands_the_rest_to_a_follow_up_job(committed_sessions, redis, monkeypatch):
    """A job works for a time slice, then queues a follow-up for what is left; a signal that
    arrives meanwhile is folded at the next batch, not when the backlog is done."""
    from sqlalchemy import func

    from app.core.db import unit_of_work
    from app.flows import after_signals
    from app.ingest import service as ingest
    from app.ingest.schemas import Kind
    from app.scoring import service
    from app.scoring.models import RescoreRequest

    monkeypatch.setattr(after_signals, "RESCORE_SLICE_SECONDS", 0.0)
    async with committed_sessions() as s:
        for n in range(3):
            await make_account(s, external_id=f"slice-{n}")
        await s.commit()
    async with unit_of_work() as s:
        await ingest.ingest(
            s,
            Kind.tickets,
            [{"id": f"S{n}", "account": f"slice-{n}", "opened_at": "2026-10-01T00:00:00Z"} for n in range(3)],
        )
    taken = service.take_rescore_requests

    async def two_at_a_time(session, limit=200):
        return await taken(session, limit=2)

    monkeypatch.setattr(service, "take_rescore_requests", two_at_a_time)
    before = set(await redis.keys("arq:job:rescore-pending:more:*"))
    assert await after_signals.rescore_pending({}) == 2  # one batch, then the slice is over
    async with committed_sessions() as s:
        assert await s.scalar(select(func.count()).select_from(RescoreRequest)) == 1
    assert len(set(await redis.keys("arq:job:rescore-pending:more:*")) - before) == 1
    assert await after_signals.rescore_pending({}) == 1
