"""Revenue at risk, defined once (docs/metrics.md): a hand-worked book, and every surface
that shows it agrees."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.alerts.models import Alert
from app.core.enums import Role
from app.core.models import utcnow
from app.renewals import service as renewals
from app.revenue.models import SubscriptionLine
from app.scoring import risk
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from tests.factories import bearer, make_account


def test_saveable_fraction_table():
    assert [risk.saveable_fraction(d) for d in (120, 90, 75, 60, 45, 30, 15, 0, -3, None)] == pytest.approx(
        [0.8, 0.8, 0.7, 0.6, 0.45, 0.3, 0.2, 0.1, 0.1, 0.8]
    )


async def test_revenue_at_risk_on_a_hand_worked_book(client, session):
    today = scoring.today()
    version = (await scoring.load_active(session)).version
    # default curve (0, .60) (40, .35) (60, .18) (80, .07) (100, .03)
    a = await make_account(
        session,
        name="A",
        arr=100_000,
        renewal_date=today + timedelta(days=45),
        contract_start=today - timedelta(days=320),
    )  # health 30: p = .4125; an annual renewal in 45 days: saveable .45 -> 18,562.50
    b = await make_account(session, name="B", arr=50_000, renewal_date=None)  # health 90: p = .05; no renewal: .8
    c = await make_account(session, name="C", arr=20_000, renewal_date=None)
    session.add(
        SubscriptionLine(
            source_id="c1", account_id=c.id, product="core", quantity=Decimal(1), unit_amount=Decimal("1666.67"),
            interval="month", start_date=today - timedelta(days=20),
        )
    )  # fmt: skip  # no score: p(50) = .265; a monthly cycle is no term renewal: .8 -> 4,240
    await make_account(session, name="D", arr=30_000, status="churned")  # not counted
    for account, score, band, quadrant in ((a, 30.0, "at_risk", "churn_risk"), (b, 90.0, "healthy", "champions")):
        session.add(
            AccountHealth(
                account_id=account.id, as_of=today, config_version=version, health_score=score, band=band,
                quadrant=quadrant,
            )
        )  # fmt: skip
    session.add(
        Alert(
            account_id=a.id,
            rule="usage_decline",
            severity="medium",
            status="open",
            dedupe_key=f"u:{a.id}",
            title="Usage down 45%",
            opened_at=utcnow(),
        )
    )
    await session.flush()
    await renewals.sync(session)
    await session.refresh(c)
    assert (c.next_renewal_date, c.renewal_term) == (today + timedelta(days=10), "monthly")

    h = await bearer(session, Role.viewer)
    body = (await client.get("/api/v1/metrics/revenue-at-risk", headers=h)).json()
    assert (body["revenue_at_risk"], body["arr"], body["accounts"]) == (24_802.5, 170_000.0, 3)
    assert [(g["key"], g["accounts"], g["at_risk"]) for g in body["by_band"]] == [
        ("at_risk", 1, 18_562.5),
        ("unscored", 1, 4_240.0),
        ("healthy", 1, 2_000.0),
    ]
    assert body["probability_source"] == "default"
    # the leadership summary shows the same figure; the queue ranks A by the same at-stake value
    summary = (await client.get("/api/v1/metrics/summary", headers=h)).json()
    assert summary["revenue_at_risk"] == 24_802.5
    [item] = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=h)).json()["items"]
    assert (item["account"]["name"], item["value"]) == ("A", pytest.approx(18_562.5))
