"""Subscription lines keep their history: a source changes quantity or price on a line it
keeps under one id (Stripe's ``si_``), and ARR movements land on the day of the change
instead of history being rewritten as if the new terms had always applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.revenue import service as revenue
from app.revenue.models import ArrMonth, ArrMovement, SubscriptionLine
from tests.factories import bearer, make_account


async def post(client, headers, **item) -> dict:
    base = {"id": "L1", "account": "hist", "product": "seats", "unit_amount": "10", "interval": "month"}
    r = await client.post("/api/v1/ingest/subscriptions", json={"items": [base | item]}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def versions(session) -> list[tuple]:
    rows = await session.execute(
        select(
            SubscriptionLine.quantity, SubscriptionLine.unit_amount, SubscriptionLine.start_date,
            SubscriptionLine.end_date, SubscriptionLine.cancellation_reason,
        ).order_by(SubscriptionLine.start_date)
    )  # fmt: skip
    return [tuple(r) for r in rows]


async def moves(session, account_id) -> list[tuple]:
    await revenue.rebuild_accounts(session, [account_id], date(2026, 12, 1))
    rows = await session.execute(
        select(ArrMovement.on, ArrMovement.kind, ArrMovement.detail, ArrMovement.amount)
        .where(ArrMovement.account_id == account_id)
        .order_by(ArrMovement.on, ArrMovement.id)
    )
    return [tuple(r) for r in rows]


async def test_seat_and_price_changes_are_new_versions_on_their_day(client, session):
    account = await make_account(session, external_id="hist")
    h = await bearer(session)
    first = await post(client, h, quantity="25", start_date="2026-01-10", changed_at="2026-01-10T09:00:00Z")
    assert (first["accepted"], first["updated"]) == (1, 0)

    # 25 -> 30 seats on April 15th: the first version ends, the second starts that day
    more = await post(client, h, quantity="30", start_date="2026-01-10", changed_at="2026-04-15T10:00:00Z")
    assert (more["accepted"], more["updated"], more["duplicates"]) == (0, 1, 0)
    assert await versions(session) == [
        (Decimal(25), Decimal(10), date(2026, 1, 10), date(2026, 4, 15), None),
        (Decimal(30), Decimal(10), date(2026, 4, 15), None, None),
    ]
    assert await moves(session, account.id) == [
        (date(2026, 1, 10), "new", None, Decimal(3000)),  # 25 x $10 x 12
        (date(2026, 4, 15), "expansion", "seat", Decimal(600)),  # 5 more seats at the old price
    ]
    arr_by_month = dict(
        (await session.execute(select(ArrMonth.month, ArrMonth.arr).where(ArrMonth.account_id == account.id))).all()
    )
    assert (arr_by_month[date(2026, 4, 1)], arr_by_month[date(2026, 5, 1)]) == (Decimal(3000), Decimal(3600))

    # a state older than the stored one (a late or replayed delivery) changes nothing
    late = await post(client, h, quantity="20", start_date="2026-01-10", changed_at="2026-03-01T00:00:00Z")
    assert (late["updated"], late["duplicates"]) == (0, 1)
    assert "older than the stored one" in late["warnings"][0]["message"]
    assert len(await versions(session)) == 2

    # the same change sent again later the same day corrects that day's version in place
    fixed = await post(client, h, quantity="32", start_date="2026-01-10", changed_at="2026-04-15T18:00:00Z")
    assert fixed["updated"] == 1
    assert [v[0] for v in await versions(session)] == [Decimal(25), Decimal(32)]

    # a price rise is plan expansion, a cancellation ends the latest version
    await post(client, h, quantity="32", unit_amount="12", start_date="2026-01-10", changed_at="2026-06-01T08:00:00Z")
    await post(
        client, h, quantity="32", unit_amount="12", start_date="2026-01-10", end_date="2026-09-01",
        cancellation_reason="voluntary", changed_at="2026-08-20T08:00:00Z",
    )  # fmt: skip
    assert await versions(session) == [
        (Decimal(25), Decimal(10), date(2026, 1, 10), date(2026, 4, 15), None),
        (Decimal(32), Decimal(10), date(2026, 4, 15), date(2026, 6, 1), None),
        (Decimal(32), Decimal(12), date(2026, 6, 1), date(2026, 9, 1), "voluntary"),
    ]
    assert await moves(session, account.id) == [
        (date(2026, 1, 10), "new", None, Decimal(3000)),
        (date(2026, 4, 15), "expansion", "seat", Decimal(840)),  # 7 more seats x $10 x 12
        (date(2026, 6, 1), "expansion", "plan", Decimal(768)),  # 32 x $2 x 12
        (date(2026, 9, 1), "churn", "voluntary", Decimal(4608)),  # 32 x $12 x 12
    ]


async def test_resending_the_same_state_is_a_duplicate_and_a_first_version_can_be_corrected(client, session):
    await make_account(session, external_id="hist")
    h = await bearer(session)
    await post(client, h, quantity="5", start_date="2026-02-01", changed_at="2026-02-01T00:00:00Z")
    again = await post(client, h, quantity="5", start_date="2026-02-01", changed_at="2026-02-01T00:00:00Z")
    assert (again["accepted"], again["updated"], again["duplicates"]) == (0, 0, 1)
    # the source corrects the start date of a line that never changed terms: no new version
    moved = await post(client, h, quantity="5", start_date="2026-01-20", changed_at="2026-02-02T00:00:00Z")
    assert moved["updated"] == 1
    assert await versions(session) == [(Decimal(5), Decimal(10), date(2026, 1, 20), None, None)]
