"""Leadership metrics on a hand-worked book (docs/metrics.md has the same example).

| account | lines                                                        | movements                                  |
| A       | 1 x $100/mo from 2025-01-01; 2 seats 05-10; ends 05-20       | new 1,200; seat +1,200 05-10; churn 2,400   |
| B       | $100/mo, ends 03-01, back 03-21 at $150 (20-day gap)         | new 1,200; plan +600 03-21 (bridged)        |
| C       | $100/mo, ends 03-01, back 04-15 (45 days)                    | new 1,200; churn 1,200 03-01; react 1,200   |
| D       | core $1,000/mo; API $6,000/yr from 04-01                     | new 12,000; cross-sell 6,000 04-01          |
| E       | 10 x $100/mo -> 12 x $120/mo on 03-01                        | new 12,000; seat 2,400 + plan 2,880 03-01   |
| F       | $500/mo, ends 06-01 after a failed payment                   | new 6,000; involuntary churn 6,000 06-01    |
D and E are Enterprise, the others SMB.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.core.enums import Role
from app.flows.revenue_rebuild import rebuild_book
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account


async def _book(session):
    n = 0

    async def account(name, segment, *lines):
        nonlocal n
        a = await make_account(session, name=name, segment=segment, arr=0)
        for product, q, unit, interval, start, end, reason in lines:
            n += 1
            session.add(
                SubscriptionLine(
                    source_id=f"m-{n}", account_id=a.id, product=product, quantity=Decimal(q),
                    unit_amount=Decimal(unit), interval=interval, start_date=start, end_date=end,
                    cancellation_reason=reason,
                )
            )  # fmt: skip
        return a

    d = date
    await account(
        "A", "SMB",
        ("core", 1, 100, "month", d(2025, 1, 1), d(2025, 5, 10), None),
        ("core", 2, 100, "month", d(2025, 5, 10), d(2025, 5, 20), None),
    )  # fmt: skip
    await account(
        "B", "SMB",
        ("core", 1, 100, "month", d(2025, 1, 1), d(2025, 3, 1), None),
        ("core", 1, 150, "month", d(2025, 3, 21), None, None),
    )  # fmt: skip
    await account(
        "C", "SMB",
        ("core", 1, 100, "month", d(2025, 1, 1), d(2025, 3, 1), None),
        ("core", 1, 100, "month", d(2025, 4, 15), None, None),
    )  # fmt: skip
    await account(
        "D", "Enterprise",
        ("core", 1, 1000, "month", d(2025, 1, 1), None, None),
        ("api", 1, 6000, "year", d(2025, 4, 1), None, None),
    )  # fmt: skip
    await account(
        "E", "Enterprise",
        ("core", 10, 100, "month", d(2025, 1, 1), d(2025, 3, 1), None),
        ("core", 12, 120, "month", d(2025, 3, 1), None, None),
    )  # fmt: skip
    await account("F", "SMB", ("core", 1, 500, "month", d(2025, 1, 1), d(2025, 6, 1), "payment_failed"))
    await session.flush()
    await rebuild_book(session)
    return await bearer(session, Role.leader)


def flows(p):
    return (
        p["new"], p["expansion"]["seat"], p["expansion"]["plan"], p["expansion"]["cross_sell"], p["reactivation"],
        p["contraction"], p["churn"]["voluntary"], p["churn"]["involuntary"],
    )  # fmt: skip


async def test_monthly_periods_on_the_hand_worked_book(client, session):
    headers = await _book(session)
    r = await client.get(
        "/api/v1/metrics/retention", params={"from": "2025-01-01", "to": "2025-07-01"}, headers=headers
    )
    assert r.status_code == 200, r.text
    periods = {p["period_start"]: p for p in r.json()["periods"]}
    assert list(periods) == [f"2025-0{m}-01" for m in range(1, 8)]

    jan, mar, apr, may, jun = (periods[f"2025-0{m}-01"] for m in (1, 3, 4, 5, 6))
    assert (jan["starting_arr"], flows(jan), jan["ending_arr"]) == (0, (33600, 0, 0, 0, 0, 0, 0, 0), 33600)
    assert jan["nrr"] is None and jan["customers_start"] == 0 and jan["customers_end"] == 6

    # March: B's 20-day gap is bridged (+600 plan on return), C churns, E changes seats and plan
    assert (mar["starting_arr"], flows(mar), mar["ending_arr"]) == (
        33600, (0, 2400, 3480, 0, 0, 0, 1200, 0), 38280,
    )  # fmt: skip
    assert mar["nrr"] == pytest.approx(38280 / 33600)
    assert mar["grr"] == pytest.approx(32400 / 33600)
    assert (mar["logo_churn_rate"], mar["customers_start"], mar["customers_end"]) == (pytest.approx(1 / 6), 6, 5)
    assert mar["logo_churn_rate_annualised"] == pytest.approx(1 - (5 / 6) ** 12)
    assert mar["revenue_churn_rate"] == {
        "total": pytest.approx(1200 / 33600), "voluntary": pytest.approx(1200 / 33600), "involuntary": 0.0,
        "downgrade": 0.0, "net": pytest.approx((1200 - 2400 - 3480) / 33600),  # growth beat the losses
    }  # fmt: skip
    assert mar["net_new_arr_existing"] == 2400 + 3480 - 1200

    # April: C reactivated after 45 days (not in April's cohort), D cross-sells the API
    assert (apr["starting_arr"], flows(apr), apr["ending_arr"]) == (38280, (0, 0, 0, 6000, 1200, 0, 0, 0), 45480)
    assert apr["nrr"] == pytest.approx(44280 / 38280) and apr["logo_churn_rate"] == 0

    # May: A expands and churns in the same month
    assert (may["starting_arr"], flows(may), may["ending_arr"]) == (45480, (0, 1200, 0, 0, 0, 0, 2400, 0), 44280)
    assert may["grr"] == pytest.approx(44280 / 45480) and may["logo_churn_rate"] == pytest.approx(1 / 6)

    # June: F churns involuntarily
    assert (jun["starting_arr"], flows(jun), jun["ending_arr"]) == (44280, (0, 0, 0, 0, 0, 0, 0, 6000), 38280)
    assert jun["revenue_churn_rate"]["involuntary"] == pytest.approx(6000 / 44280)
    assert not jun["provisional"] and not jun["partial"]

    # the identity, exactly, on every period
    for p in periods.values():
        assert (
            p["starting_arr"]
            + p["new"]
            + sum(p["expansion"].values())
            + p["reactivation"]
            - p["contraction"]
            - sum(p["churn"].values())
            == p["ending_arr"]
        )


async def test_quarters_segments_and_ttm(client, session):
    headers = await _book(session)
    q = (
        await client.get(
            "/api/v1/metrics/retention",
            params={"from": "2025-02-01", "to": "2025-04-01", "interval": "quarter"},
            headers=headers,
        )
    ).json()["periods"]
    assert [(p["period_start"], p["period_end"]) for p in q] == [
        ("2025-01-01", "2025-04-01"),
        ("2025-04-01", "2025-07-01"),
    ]
    assert (q[0]["starting_arr"], flows(q[0]), q[0]["ending_arr"]) == (0, (33600, 2400, 3480, 0, 0, 0, 1200, 0), 38280)
    assert q[1]["logo_churn_rate_annualised"] == pytest.approx(1 - (1 - 2 / 5) ** 4)

    ent = (
        await client.get(
            "/api/v1/metrics/retention",
            params={"from": "2025-03-01", "to": "2025-03-01", "segment": "Enterprise"},
            headers=headers,
        )
    ).json()["periods"][0]
    assert (ent["starting_arr"], flows(ent), ent["ending_arr"]) == (24000, (0, 2400, 2880, 0, 0, 0, 0, 0), 29280)

    ttm = (
        await client.get(
            "/api/v1/metrics/retention", params={"from": "2025-12-01", "to": "2025-12-01", "interval": "ttm"},
            headers=headers,
        )
    ).json()["periods"]  # fmt: skip
    assert [(p["period_start"], p["period_end"]) for p in ttm] == [("2025-01-01", "2026-01-01")]
    # 2025 as a whole: 33,600 new, 3,600 seat, 3,480 plan, 6,000 cross-sell, 1,200 reactivation,
    # churn 1,200 + 2,400 voluntary and 6,000 involuntary: 38,280 at the end
    assert flows(ttm[0]) == (33600, 3600, 3480, 6000, 1200, 0, 3600, 6000) and ttm[0]["ending_arr"] == 38280


async def test_summary(client, session):
    headers = await _book(session)
    s = (await client.get("/api/v1/metrics/summary", headers=headers)).json()
    assert (s["arr"], s["customers"]) == (38280, 4)
    assert s["mrr"] == pytest.approx(38280 / 12) and s["arpa"] == pytest.approx(38280 / 12 / 4)
    assert len(s["series"]) == 18 and s["series"][-1]["arr"] == 38280
    assert s["net_new_arr_existing"]["last_30_days"] == 0 and s["net_new_arr_existing"]["mom"] is None


async def test_bad_parameters_are_422(client, session):
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/metrics/retention", params={"interval": "week", "from": "soon"}, headers=headers)
    assert r.status_code == 422
    assert sorted(tuple(e["loc"]) for e in r.json()["errors"]) == [("query", "from"), ("query", "interval")]


async def test_subscription_ingest_rebuilds_the_account_after_commit(committed_sessions, redis):
    """Ingest -> a rebuild_revenue job (after commit) -> movements, monthly ARR, today's ARR,
    and a debounced rollup job."""
    from sqlalchemy import select

    from app.accounts.models import Account
    from app.core.db import unit_of_work
    from app.flows.revenue_rebuild import rebuild_revenue
    from app.ingest import service as ingest
    from app.ingest.schemas import Kind
    from app.revenue.models import ArrMovement

    async with committed_sessions() as s:
        account = await make_account(s, external_id="rev-acct", arr=0)
        await s.commit()
    before = set(await redis.keys("arq:job:revenue:*"))
    async with unit_of_work() as s:
        await ingest.ingest(
            s,
            Kind.subscriptions,
            [
                {"id": "L1", "account": "rev-acct", "product": "core", "quantity": 5, "unit_amount": 100,
                 "interval": "month", "start_date": "2025-01-01", "end_date": "2025-06-01"},
                {"id": "L2", "account": "rev-acct", "product": "core", "quantity": 6, "unit_amount": 100,
                 "interval": "month", "start_date": "2025-06-01"},
            ],
        )  # fmt: skip
    queued = set(await redis.keys("arq:job:revenue:*")) - before
    assert len(queued) == 1
    assert await rebuild_revenue({}, [str(account.id)]) == 2
    async with committed_sessions() as s:
        moves = (await s.execute(select(ArrMovement.kind, ArrMovement.detail, ArrMovement.amount))).all()
        assert [(k, d, float(a)) for k, d, a in moves] == [("new", None, 6000.0), ("expansion", "seat", 1200.0)]
        assert float((await s.get(Account, account.id)).current_arr) == 7200.0
    assert len(await redis.keys("arq:job:revenue-rollups:*")) >= 1


async def test_net_new_arr_from_existing_customers_week_and_month_over(client, session):
    """G expands by 1,200 ten days ago; H churns 2,400 forty days ago; I is new five days ago
    (new business, not existing customers). Last 7 days 0 vs 1,200 before (WoW -100%); last
    30 days +1,200 vs -2,400 before (MoM +150%)."""
    from datetime import timedelta

    from app.core.models import utcnow

    today = utcnow().date()
    ago = lambda n: today - timedelta(days=n)  # noqa: E731
    n = 0

    async def account(*lines):
        nonlocal n
        a = await make_account(session, arr=0)
        for q, unit, start, end in lines:
            n += 1
            session.add(
                SubscriptionLine(
                    source_id=f"nn-{n}", account_id=a.id, product="core", quantity=Decimal(q),
                    unit_amount=Decimal(unit), interval="month", start_date=start, end_date=end,
                )
            )  # fmt: skip

    await account((1, 100, ago(100), ago(10)), (2, 100, ago(10), None))
    await account((1, 200, ago(200), ago(40)))
    await account((1, 500, ago(5), None))
    await session.flush()
    await rebuild_book(session)
    headers = await bearer(session, Role.leader)
    net = (await client.get("/api/v1/metrics/summary", headers=headers)).json()["net_new_arr_existing"]
    assert net == {
        "last_7_days": 0.0, "previous_7_days": 1200.0, "wow": -1.0,
        "last_30_days": 1200.0, "previous_30_days": -2400.0, "mom": 1.5,
    }  # fmt: skip


async def test_answers_say_how_fresh_they_are(client, session):
    from app.core.enums import Role
    from app.revenue import service as revenue_service
    from tests.factories import bearer, make_account

    h = await bearer(session, Role.admin)
    await make_account(session, external_id="fresh")
    await revenue_service.rebuild_rollups(session)
    first = (await client.get("/api/v1/metrics/summary", headers=h)).json()["freshness"]
    assert first["rebuild_pending"] is False and first["computed_at"] is not None

    line = {"id": "F1", "account": "fresh", "unit_amount": "10", "start_date": "2026-06-01"}
    assert (await client.post("/api/v1/ingest/subscriptions", json={"items": [line]}, headers=h)).status_code == 200
    for path in ("/api/v1/metrics/summary", "/api/v1/metrics/retention", "/api/v1/renewals", "/api/v1/renewals/rollup"):
        assert (await client.get(path, headers=h)).json()["freshness"]["rebuild_pending"] is True, path
    csv_answer = await client.get("/api/v1/renewals", params={"format": "csv"}, headers=h)
    assert csv_answer.headers["x-rebuild-pending"] == "true"

    await revenue_service.rebuild_rollups(session)
    again = (await client.get("/api/v1/metrics/retention", headers=h)).json()["freshness"]
    assert again["rebuild_pending"] is False and again["computed_at"] >= first["computed_at"]
