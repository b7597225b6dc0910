"""A hand-built book for the GraphQL tests: accounts with snapshots whose every number is worked
out below, and accounts holding one of every relation (alerts, renewals, tasks, notes...).

Snapshot ``LATEST`` (yesterday), default config:
- usage: logins per seat 10 -> 70, adoption 0.5 -> 50, minutes 30 -> 50, growth 0 -> 60:
  0.3 x 70 + 0.4 x 50 + 0.2 x 50 + 0.1 x 60 = 57;
- support: urgent 0 -> 100, open 5 -> 40, oldest 7 d -> 60, volume 1x -> 100, escalations 1 -> 60:
  the mean, 72;
- no sentiment, relationship or commercial data: health = (0.35 x 57 + 0.20 x 72) / 0.55
  = 62.4545..., band watch; usage axis 57, health axis 72 (support alone): relationship_dependent;
  coverage (0.35 + 0.20) / 1.00 = 0.55.
Snapshot ``EARLIER`` (31 days before it): logins per seat 20 -> 100, usage 66, health
(0.35 x 66 + 0.20 x 72) / 0.55 = 68.1818...; the change is usage's: 0.35 / 0.55 x (57 - 66) = -5.73.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Account, Note
from app.alerts.models import Alert
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot, QuadrantMove
from app.tasks.models import Task
from app.usage.models import UsageDaily
from tests.factories import make_account

USAGE = {"login_frequency": 10.0, "feature_adoption": 0.5, "time_in_platform": 30.0, "user_growth": 0.0}
SUPPORT = {"urgent_open": 0.0, "open_tickets": 5.0, "oldest_open_days": 7.0, "ticket_volume": 1.0, "escalations": 1.0}
LATEST_INPUTS = {"usage": USAGE, "support": SUPPORT}
EARLIER_INPUTS = {"usage": {**USAGE, "login_frequency": 20.0}, "support": SUPPORT}
HEALTH_NOW = (0.35 * 57 + 0.20 * 72) / 0.55
HEALTH_BEFORE = (0.35 * 66 + 0.20 * 72) / 0.55


def latest_day() -> date:
    return scoring.today() - timedelta(days=1)


def earlier_day() -> date:
    return latest_day() - timedelta(days=31)


async def score(session: AsyncSession, account: Account, health: float, band: str, quadrant: str) -> None:
    """The two snapshots above, and ``account_health`` as the book reads it (its own score
    ``health``, so accounts of one book sort apart)."""
    version = (await scoring.load_active(session)).version
    for day, inputs, score_ in ((earlier_day(), EARLIER_INPUTS, HEALTH_BEFORE), (latest_day(), LATEST_INPUTS, health)):
        session.add(
            HealthSnapshot(
                account_id=account.id,
                as_of=day,
                config_version=version,
                usage_score=66.0 if day == earlier_day() else 57.0,
                support_score=72.0,
                usage_axis=66.0 if day == earlier_day() else 57.0,
                health_axis=72.0,
                health_score=score_,
                band=band,
                quadrant=quadrant,
                coverage=0.55,
                arr=float(account.current_arr or 0),
                inputs=inputs,
            )
        )
    session.add(
        AccountHealth(
            account_id=account.id,
            as_of=latest_day(),
            config_version=version,
            health_score=health,
            band=band,
            quadrant=quadrant,
            usage_axis=57.0,
            health_axis=72.0,
            coverage=0.55,
        )
    )
    await session.flush()


async def busy_account(session: AsyncSession, n: int, **overrides: Any) -> Account:
    """An account holding one of every relation GraphQL reads."""
    account = await make_account(session, name=f"Busy {n:03d}", arr=10_000 + n, **overrides)
    await score(session, account, HEALTH_NOW, "watch", "relationship_dependent")
    today = scoring.today()
    session.add_all(
        [
            Alert(
                account_id=account.id,
                rule="critical_ticket",
                severity="high",
                dedupe_key=f"critical_ticket:{account.id}",
                title="A P1 ticket is open",
                opened_at=datetime.now(UTC),
            ),
            Renewal(account_id=account.id, renewal_date=today + timedelta(days=40), arr_up_for_renewal=Decimal(10_000)),
            Task(account_id=account.id, title="Call the champion", due_date=today + timedelta(days=2)),
            Note(account_id=account.id, body="Exec sponsor changed"),
            QuadrantMove(
                account_id=account.id,
                moved_on=latest_day(),
                from_quadrant="champions",
                to_quadrant="relationship_dependent",
            ),
            UsageDaily(account_id=account.id, day=today - timedelta(days=3), feature_id=0, events=12, minutes=30.0),
        ]
    )
    await session.flush()
    return account


def ids(edges: list[dict[str, Any]]) -> list[uuid.UUID]:
    return [uuid.UUID(e["node"]["id"]) for e in edges]
