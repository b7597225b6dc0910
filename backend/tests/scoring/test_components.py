"""Each component's SQL on a hand-built account, with every signal placed around the as-of
date so the point-in-time rule is exercised (signals after the date never count)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.flows import scoring_pass
from app.revenue.models import Invoice, SubscriptionLine
from app.scoring import repository as repo
from app.scoring import service
from app.scoring.models import HealthSnapshot
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.touchpoints.models import Touchpoint
from app.usage.models import Feature, UsageDaily, UsageUserActivity
from tests.factories import make_account, make_contact

D = date(2026, 6, 15)


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


def days(*ds: int) -> int:
    return sum(1 << (d - 1) for d in ds)


@pytest.fixture
async def account(session):
    a = await make_account(session, plan="Growth", seats_purchased=10)
    f1 = Feature(key="t-core-1", name="Core 1", is_core=True, plans=[])
    f2 = Feature(key="t-core-2", name="Core 2", is_core=True, plans=[])
    f3 = Feature(key="t-core-ent", name="Enterprise only", is_core=True, plans=["Enterprise"])
    f4 = Feature(key="t-extra", name="Extra", is_core=False, plans=[])
    session.add_all([f1, f2, f3, f4])
    await session.flush()
    session.add_all(
        [
            UsageDaily(
                account_id=a.id, day=date(2026, 6, 10), feature_id=f1.id, events=10, active_users=2, minutes=120
            ),
            UsageDaily(account_id=a.id, day=date(2026, 6, 12), feature_id=f4.id, events=3, active_users=1, minutes=0),
            UsageDaily(account_id=a.id, day=date(2026, 5, 6), feature_id=f2.id, events=5, active_users=1, minutes=999),
            UsageDaily(
                account_id=a.id, day=date(2026, 6, 16), feature_id=f2.id, events=50, active_users=3, minutes=500
            ),
            # u1: June 1, 10, 15 and 16 (the 16th is after D), May 20 (this window), May 10 (the one before)
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=1, active_days=days(1, 10, 15, 16)),
            UsageUserActivity(account_id=a.id, month=date(2026, 5, 1), user_hash=1, active_days=days(10, 20)),
            # u2: May 1 (the previous window) and April 20 (before it)
            UsageUserActivity(account_id=a.id, month=date(2026, 5, 1), user_hash=2, active_days=days(1)),
            UsageUserActivity(account_id=a.id, month=date(2026, 4, 1), user_hash=2, active_days=days(20)),
            # u3: June 5
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=3, active_days=days(5)),
        ]
    )
    tickets = [
        ("t1", 2, "open", at(2026, 6, 13), None, False),  # open P2 older than 24 h
        ("t2", 1, "open", at(2026, 6, 15, 12), None, False),  # open P1, only 12 h old at D's end
        ("t3", 3, "solved", at(2026, 5, 1), at(2026, 6, 20), False),  # open at D (resolved later): 45 days
        ("t4", 3, "closed", at(2026, 4, 1), at(2026, 4, 5), False),
        ("t5", 4, "closed", at(2026, 3, 10), at(2026, 3, 11), True),  # escalated, 98 days before: not in 90
        ("t6", 3, "closed", at(2026, 5, 20), None, True),  # closed without a time: resolved; escalated
        ("t7", 1, "open", at(2026, 6, 17), None, True),  # after D
    ]
    for sid, prio, status, opened, resolved, esc in tickets:
        session.add(
            Ticket(
                source_id=f"{a.id}-{sid}",
                account_id=a.id,
                priority=prio,
                status=status,
                opened_at=opened,
                resolved_at=resolved,
                escalated=esc,
            )
        )
    c1 = await make_contact(session, a, role="champion", since=date(2025, 1, 1))
    await make_contact(session, a, role="decision_maker", since=date(2025, 1, 1))
    surveys = [
        ("s1", "nps", 9, at(2026, 1, 10), c1.id, None),
        ("s2", "nps", 6, at(2026, 5, 1), c1.id, None),  # c1's latest: 6
        ("s3", "nps", 10, at(2026, 6, 10), None, "Pat@Example.com"),
        ("s4", "nps", 0, at(2025, 11, 1), None, "old@example.com"),  # older than 180 days
        ("s5", "nps", 0, at(2026, 6, 20), None, "pat@example.com"),  # after D
        ("s6", "csat", 4, at(2026, 6, 1), None, None),
        ("s7", "csat", 5, at(2026, 4, 1), None, None),
        ("s8", "csat", 1, at(2026, 2, 1), None, None),  # older than 90 days
    ]
    for sid, kind, score, when, contact_id, email in surveys:
        session.add(
            SurveyResponse(
                source_id=f"{a.id}-{sid}",
                account_id=a.id,
                kind=kind,
                score=score,
                responded_at=when,
                contact_id=contact_id,
                contact_email=email,
            )
        )
    touches = [
        ("p1", "call", at(2026, 6, 1), "positive"),
        ("p2", "note", at(2026, 6, 14), "negative"),  # notes are not touches
        ("p3", "email", at(2026, 6, 5), None),  # the latest touch, without sentiment
        ("p4", "qbr", at(2026, 2, 15), "neutral"),
        ("p5", "meeting", at(2026, 6, 20), "negative"),  # after D
    ]
    for sid, kind, when, sentiment in touches:
        session.add(
            Touchpoint(source_id=f"{a.id}-{sid}", account_id=a.id, kind=kind, occurred_at=when, sentiment=sentiment)
        )
    invoices = [
        ("i1", at(2026, 4, 1), at(2026, 5, 1), at(2026, 6, 20), "paid"),  # unpaid at D: 45 days overdue
        ("i2", at(2026, 5, 1), at(2026, 6, 1), at(2026, 6, 5), "paid"),
        ("i3", at(2026, 1, 1), at(2026, 2, 1), None, "void"),
        ("i4", at(2026, 6, 20), at(2026, 7, 20), None, "open"),  # after D
    ]
    for sid, issued, due, paid, status in invoices:
        session.add(
            Invoice(
                source_id=f"{a.id}-{sid}",
                account_id=a.id,
                amount=Decimal(100),
                issued_at=issued,
                due_at=due,
                paid_at=paid,
                status=status,
            )
        )
    lines = [
        ("l1", Decimal(1), Decimal(12000), "year", date(2025, 1, 1), date(2025, 10, 1)),
        ("l2", Decimal(10), Decimal(120), "month", date(2025, 10, 1), None),
        ("l3", Decimal(1), Decimal(5000), "year", date(2026, 7, 1), None),  # starts after D
    ]
    for sid, qty, unit, interval, start, end in lines:
        session.add(
            SubscriptionLine(
                source_id=f"{a.id}-{sid}",
                account_id=a.id,
                product="core",
                quantity=qty,
                unit_amount=unit,
                interval=interval,
                start_date=start,
                end_date=end,
            )
        )
    await session.flush()
    return a


EXPECTED = {
    "usage": {
        # window May 19 - June 15 (4 weeks); user-days: u1 June 1, 10, 15 + May 20; u3 June 5 = 5,
        # per 30 days (x 30/28) over 10 seats
        "login_frequency": 5 * 30 / 28 / 10,
        "feature_adoption": 0.5,  # core 1 of the two core features on Growth
        "time_in_platform": 15.0,  # 120 min / 2 active users / 4 weeks
        "user_growth": 0.0,  # {u1, u3} now vs {u1, u2} in April 21 - May 18
        "user_days": 5,
        "active_users": 2,
        "prev_active_users": 2,
        "seats": 10,
        "core_used": 1,
        "core_available": 2,
        "minutes": 120,
        "prev_user_days": 2,  # u1 May 10, u2 May 1 (April 20 is before the previous window)
        "days_since_activity": 3,  # last usage on June 12
        "api_calls": 0,
        "seat_limit": None,
        "api_call_limit": None,
    },
    "support": {
        "urgent_open": 1,
        "open_tickets": 3,
        "oldest_open_days": 45,
        "ticket_volume": 2 / (4 / (90 / 14)),  # 2 in 14 days vs 4 in the 90 before
        "escalations": 1,
        "tickets_14d": 2,
        "tickets_prior_90d": 4,
    },
    "sentiment": {
        "nps": 8,
        "nps_trend": -1,
        "csat": 4.5,
        "nps_respondents": 2,
        "csat_responses": 2,
        "detractors_30d": 0,  # the 6 of May 1 is older than 30 days
        "lowest_nps_30d": 10,
    },
    "relationship": {"days_since_touch": 10, "touch_sentiment": 1, "days_since_qbr": 120, "stakeholder_coverage": 1},
    "commercial": {
        "invoice_overdue_days": 45,
        "arr_change_12m": 0.2,  # 10 x 120 x 12 = 14,400 now vs 12,000 a year ago
        "arr": 14400,
        "arr_year_ago": 12000,
        "unpaid_invoices": 1,
        "is_customer": True,
    },
}


async def test_every_raw_value_hand_worked(session, account):
    inputs = (await repo.fetch_inputs(session, [account.id], D))[account.id]
    for component, expected in EXPECTED.items():
        assert inputs[component] == pytest.approx(expected), component


async def test_time_in_product_is_unknown_when_no_usage_in_the_window_measured_time(session):
    """A source without durations (Segment tracks without them, usage rows without minutes)
    says nothing about time in product: no data, so the weight goes to what is known."""
    a = await make_account(session, plan="Growth", seats_purchased=4)
    f = Feature(key="t-untimed", name="Untimed", is_core=True, plans=[])
    session.add(f)
    await session.flush()
    session.add_all(
        [
            UsageDaily(
                account_id=a.id, day=date(2026, 6, 10), feature_id=f.id, events=10, active_users=2, minutes=None
            ),
            # measured time outside the window does not count for it
            UsageDaily(account_id=a.id, day=date(2026, 5, 1), feature_id=f.id, events=1, active_users=1, minutes=60),
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=1, active_days=days(10)),
            UsageUserActivity(account_id=a.id, month=date(2026, 6, 1), user_hash=2, active_days=days(10)),
        ]
    )
    await session.flush()
    usage = (await repo.fetch_inputs(session, [a.id], D))[a.id]["usage"]
    assert (usage["time_in_platform"], usage["minutes"]) == (None, None)
    assert usage["login_frequency"] == pytest.approx(2 * 30 / 28 / 4)  # the rest is known
    # once any usage in the window carries time, the unmeasured rest counts as no time
    session.add(
        UsageDaily(account_id=a.id, day=date(2026, 6, 11), feature_id=f.id, events=1, active_users=1, minutes=56)
    )
    await session.flush()
    usage = (await repo.fetch_inputs(session, [a.id], D))[a.id]["usage"]
    assert (usage["time_in_platform"], usage["minutes"]) == (7.0, 56)  # 56 min / 2 users / 4 weeks


async def test_an_account_without_signals(session):
    a = await make_account(session)
    inputs = (await repo.fetch_inputs(session, [a.id], D))[a.id]
    assert all(v is None for v in inputs["usage"].values() if v != inputs["usage"]["core_available"])
    assert inputs["support"] == {
        "urgent_open": 0,
        "open_tickets": 0,
        "oldest_open_days": 0,
        "ticket_volume": None,
        "escalations": 0,
        "tickets_14d": 0,
        "tickets_prior_90d": 0,
    }
    assert inputs["sentiment"]["nps"] is None and inputs["sentiment"]["csat"] is None
    assert inputs["relationship"] == {
        "days_since_touch": None,
        "touch_sentiment": None,
        "days_since_qbr": None,
        "stakeholder_coverage": 0,
    }
    assert (inputs["commercial"]["invoice_overdue_days"], inputs["commercial"]["arr_change_12m"]) == (None, None)


async def snapshot(session, account_id, day):
    row = (
        await session.execute(
            select(HealthSnapshot).where(HealthSnapshot.account_id == account_id, HealthSnapshot.as_of == day)
        )
    ).scalar_one()
    await session.refresh(row)
    return row


async def test_point_in_time_later_signals_leave_the_date_alone_late_ones_rescore_it(session, account):
    config = await service.load_active(session)
    await scoring_pass.score(session, [account.id], [D], config)
    before = await snapshot(session, account.id, D)
    frozen = (before.health_score, dict(before.inputs))

    # Signals dated after D arrive: D's snapshot, recomputed, does not move.
    session.add_all(
        [
            Ticket(source_id="late-after", account_id=account.id, priority=1, opened_at=at(2026, 6, 16, 1)),
            Touchpoint(source_id="touch-after", account_id=account.id, kind="qbr", occurred_at=at(2026, 6, 16)),
            SurveyResponse(
                source_id="nps-after", account_id=account.id, kind="nps", score=0, responded_at=at(2026, 6, 18)
            ),
        ]
    )
    await session.flush()
    await scoring_pass.score(session, [account.id], [D], config)
    again = await snapshot(session, account.id, D)
    assert (again.health_score, again.inputs) == frozen

    # A signal dated D - 3 arrives late: the incremental rescore from D - 3 rewrites D.
    session.add(Ticket(source_id="late-before", account_id=account.id, priority=2, opened_at=at(2026, 6, 12)))
    await session.flush()
    await scoring_pass.rescore(session, {account.id: date(2026, 6, 12)})
    rescored = await snapshot(session, account.id, D)
    assert rescored.inputs["support"]["urgent_open"] == 2
    assert rescored.inputs["support"]["open_tickets"] == 4
    assert rescored.health_score < frozen[0]


async def test_not_a_customer_on_the_date_gets_no_snapshot(session):
    a = await make_account(session)
    session.add(
        SubscriptionLine(
            source_id=f"{a.id}-only",
            account_id=a.id,
            product="core",
            unit_amount=Decimal(100),
            start_date=date(2026, 1, 1),
            end_date=date(2026, 3, 1),
        )
    )
    await session.flush()
    config = await service.load_active(session)
    written = await scoring_pass.score(session, [a.id], [date(2026, 2, 1), date(2026, 4, 1)], config)
    assert written == 1
    stored = await session.scalars(text("SELECT as_of FROM health_snapshot WHERE account_id = :a"), {"a": a.id})
    assert list(stored) == [date(2026, 2, 1)]


async def test_current_health_follows_the_latest_date_only(session, account):
    config = await service.load_active(session)
    await scoring_pass.score(session, [account.id], [D], config)
    await scoring_pass.score(session, [account.id], [date(2026, 6, 1)], config)  # an older date, later
    current = (
        await session.execute(
            text("SELECT as_of, health_score FROM account_health WHERE account_id = :a"), {"a": account.id}
        )
    ).one()
    latest = await snapshot(session, account.id, D)
    assert current == (D, latest.health_score)
