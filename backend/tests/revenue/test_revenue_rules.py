"""The revenue rules tools disagree on, with today's defaults and the worked examples others
publish: ChartMogul's gross and net MRR churn, and the reactivation window as a setting."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.revenue import engine
from app.revenue import service as revenue
from app.revenue.engine import Line
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account


def line(account, source_id, quantity, start, end=None):
    return SubscriptionLine(
        source_id=source_id, account_id=account.id, product="core", quantity=Decimal(quantity),
        unit_amount=Decimal(10), interval="month", start_date=start, end_date=end,
    )  # fmt: skip


async def test_chartmogul_gross_and_net_mrr_churn(client, session):
    """$100 MRR at the start of the month; $10 lost to churn, $10 to contraction, $10 gained
    by expansion: gross MRR churn 20%, net 10% (ChartMogul's help, 'MRR Churn Rate')."""
    start, dec = date(2026, 1, 1), date(2025, 12, 1)
    a = await make_account(session, name="Churns")  # $10 a month, gone on the 15th
    b = await make_account(session, name="Contracts")  # 5 -> 4 seats at $10
    c = await make_account(session, name="Expands")  # 4 -> 5 seats at $10
    session.add_all(
        [
            line(a, "a", 1, dec, date(2026, 1, 15)),
            line(b, "b", 5, dec, date(2026, 1, 10)),
            line(b, "b", 4, date(2026, 1, 10)),
            line(c, "c", 4, dec, date(2026, 1, 20)),
            line(c, "c", 5, date(2026, 1, 20)),
        ]
    )
    await session.flush()
    await revenue.rebuild_accounts(session, [a.id, b.id, c.id], date(2026, 6, 1))
    await revenue.rebuild_rollups(session, date(2026, 6, 1))
    h = await bearer(session, Role.viewer)
    [jan] = (
        await client.get("/api/v1/metrics/retention", params={"from": "2026-01-01", "to": "2026-01-01"}, headers=h)
    ).json()["periods"]
    assert jan["period_start"] == start.isoformat()
    # in ARR: 1,200 at the start; 120 churn, 120 contraction, 120 seat expansion
    assert (jan["starting_arr"], jan["churn"]["voluntary"], jan["contraction"], jan["expansion"]["seat"]) == (
        1200, 120, 120, 120,
    )  # fmt: skip
    assert jan["ending_arr"] == 1080
    assert jan["revenue_churn_rate"]["total"] == pytest.approx(0.20)
    assert jan["revenue_churn_rate"]["net"] == pytest.approx(0.10)
    assert (jan["nrr"], jan["grr"]) == (pytest.approx(0.9), pytest.approx(0.8))


def test_the_reactivation_window_is_a_setting():
    """$100/month, 20 days without a line, back at $100: bridged in a 30-day window (nothing
    moves), churned and reactivated in a 15-day one."""
    lines = [
        Line("core", Decimal(1), Decimal(100), "month", date(2026, 1, 1), date(2026, 3, 1)),
        Line("core", Decimal(1), Decimal(100), "month", date(2026, 3, 21), None),
    ]
    kinds = lambda window: [(m.on, m.kind) for m in engine.movements(lines, date(2026, 6, 1), bridge_days=window)]  # noqa: E731
    assert kinds(30) == [(date(2026, 1, 1), "new")]
    assert kinds(15) == [(date(2026, 1, 1), "new"), (date(2026, 3, 1), "churn"), (date(2026, 3, 21), "reactivation")]


async def test_the_setting_reaches_the_engine(session, monkeypatch):
    a = await make_account(session, name="Paused")
    session.add_all([line(a, "p1", 1, date(2026, 1, 1), date(2026, 3, 1)), line(a, "p2", 1, date(2026, 3, 21))])
    await session.flush()
    monkeypatch.setattr(get_settings(), "revenue_bridge_days", 15)
    await revenue.rebuild_accounts(session, [a.id], date(2026, 6, 1))
    from sqlalchemy import select

    from app.revenue.models import ArrMovement

    kinds = (
        await session.execute(select(ArrMovement.kind).where(ArrMovement.account_id == a.id).order_by(ArrMovement.on))
    ).scalars()
    assert list(kinds) == ["new", "churn", "reactivation"]
