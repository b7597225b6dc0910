"""Validation: no skill on random data (outcomes drawn independently of the signals), clear
skill on the demo book (latent account states drive both signals and outcomes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from app.core import db as core_db
from app.core.config import _asyncpg_url
from app.flows import scoring_pass
from app.renewals.models import Renewal
from app.scoring import runs, service, validation
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.usage.models import UsageDaily, UsageUserActivity
from tests.factories import make_account


async def test_random_outcomes_show_no_skill(session):
    """400 accounts with random signals and churn drawn independently of them: AUC ≈ 0.5."""
    rng = np.random.default_rng(11)
    config = await service.load_active(session)
    by_day: dict[date, list] = {}
    for i in range(400):
        a = await make_account(session, seats_purchased=10, name=f"R{i}")
        users = int(rng.integers(1, 9))
        for u in range(users):
            for month in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)):
                session.add(
                    UsageUserActivity(
                        account_id=a.id, month=month, user_hash=u, active_days=int(rng.integers(0, 2**30))
                    )
                )
        session.add(
            UsageDaily(
                account_id=a.id,
                day=date(2026, 6, 1),
                feature_id=0,
                events=1,
                active_users=1,
                minutes=float(rng.integers(0, 3000)),
            )
        )
        session.add(
            SurveyResponse(
                source_id=f"r{a.id}",
                account_id=a.id,
                kind="nps",
                score=int(rng.integers(0, 11)),
                responded_at=datetime(2026, 5, int(rng.integers(1, 29)), tzinfo=UTC),
            )
        )
        for t in range(int(rng.integers(0, 4))):
            session.add(
                Ticket(
                    source_id=f"t{a.id}{t}",
                    account_id=a.id,
                    priority=int(rng.integers(1, 5)),
                    opened_at=datetime(2026, 6, int(rng.integers(1, 20)), tzinfo=UTC),
                )
            )
        event = date(2026, 9, 1) + timedelta(days=int(rng.integers(0, 30)))
        session.add(
            Renewal(account_id=a.id, renewal_date=event, outcome="churned" if rng.random() < 0.3 else "renewed")
        )
        by_day.setdefault(event - timedelta(days=90), []).append(a.id)
    await session.flush()
    for day, ids in by_day.items():
        await scoring_pass.score(session, ids, [day], config)
    report = await validation.report(session, horizon_days=90)
    assert report.outcomes == 400
    assert 90 < report.churned < 150
    assert report.auc["health_score"] == pytest.approx(0.5, abs=0.08)
    assert report.auc["usage"] == pytest.approx(0.5, abs=0.08)


@pytest.fixture(scope="module")
def demo_url(fresh_database):
    """A 300-account demo book in its own database (the loader commits and rebuilds indexes)."""
    import subprocess
    import sys

    url = fresh_database("demo_validation")
    env = {"DATABASE_URL": url}
    import os

    for args in (["migrate"], ["demo-data", "--accounts", "300", "--seed", "7"]):
        done = subprocess.run(
            [sys.executable, "-m", "app", *args], capture_output=True, text=True, env={**os.environ, **env}, timeout=300
        )
        assert done.returncode == 0, done.stderr
    return url


async def test_demo_scores_predict_churn(demo_url):
    engine = create_async_engine(_asyncpg_url(demo_url))
    core_db.set_sessionmaker(async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False))
    try:
        history = await scoring_pass.start_history("test")
        assert history is not None
        await scoring_pass.work_run(history)
        async with core_db.unit_of_work() as session:
            done = await runs.get_run(session, history)
            assert done.status == "succeeded"
            report = await validation.report(session, horizon_days=90)
    finally:
        core_db.set_sessionmaker(None)
        await engine.dispose()
    assert report.outcomes > 100
    assert report.auc["health_score"] > 0.62
    assert report.auc["usage"] > 0.6
    quadrants = {b.label: b for b in report.by_quadrant}
    assert quadrants["churn_risk"].churn_rate > quadrants["champions"].churn_rate
    assert quadrants["frustrated_power_users"].ratio_to_champions > 1
