"""New and reactivated logos and average customer lifetime per period, on hand-built lines
(docs/metrics.md, "Logos and lifetime").

| account | segment    | lines                                                   | movements                                     |
| N       | SMB        | $100/mo from 2025-01-01                                 | new 01-01                                     |
| S       | Enterprise | $200/mo 2025-01-01 to 2025-08-01                        | new 01-01; churn 08-01 (7 months)             |
| R       | SMB        | $100/mo 2025-02-15 to 04-01; back 06-10 to 09-20        | new 02-15; churn 04-01 (1 month 17 days);     |
|         |            | (a 70-day gap)                                          | reactivation 06-10; churn 09-20               |
| B       | SMB        | $100/mo 2025-03-01 to 05-01; back 05-21 (20-day gap)    | new 03-01; the gap is bridged: nothing more   |
| L       | SMB        | $100/mo from 2025-01-01 to 10 days ago                  | new 01-01; churn 10 days ago (not confirmed)  |

A lifetime runs from the first ARR to the churn: R's second churn counts from its first ARR
(2025-02-15 to 09-20: 7 months 5 days).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.core.enums import Role
from app.core.models import utcnow
from app.flows.revenue_rebuild import rebuild_book
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account

MONTH = 365.25 / 12
R_FIRST = 1 + 17 / MONTH  # 2025-02-15 to 2025-04-01
R_SECOND = 7 + 5 / MONTH  # 2025-02-15 to 2025-09-20


async def _book(session):
    n = 0

    async def account(name, segment, *lines):
        nonlocal n
        a = await make_account(session, name=name, segment=segment, arr=0)
        for start, end in lines:
            n += 1
            session.add(
                SubscriptionLine(
                    source_id=f"logo-{n}", account_id=a.id, product="core", quantity=Decimal(1),
                    unit_amount=Decimal(200 if name == "S" else 100), interval="month", start_date=start, end_date=end,
                )
            )  # fmt: skip

    d = date
    await account("N", "SMB", (d(2025, 1, 1), None))
    await account("S", "Enterprise", (d(2025, 1, 1), d(2025, 8, 1)))
    await account("R", "SMB", (d(2025, 2, 15), d(2025, 4, 1)), (d(2025, 6, 10), d(2025, 9, 20)))
    await account("B", "SMB", (d(2025, 3, 1), d(2025, 5, 1)), (d(2025, 5, 21), None))
    await account("L", "SMB", (d(2025, 1, 1), utcnow().date() - timedelta(days=10)))
    await session.flush()
    await rebuild_book(session)
    return await bearer(session, Role.leader)


def logos(p):
    return p["new_logos"], p["reactivated_logos"], p["average_lifetime_months"]


async def test_logos_and_lifetimes_by_month(client, session):
    headers = await _book(session)
    r = await client.get(
        "/api/v1/metrics/retention", params={"from": "2025-01-01", "to": "2025-10-01"}, headers=headers
    )
    assert r.status_code == 200, r.text
    got = {p["period_start"][:7]: logos(p) for p in r.json()["periods"]}
    assert got == {
        "2025-01": (3, 0, None),  # N, S, L
        "2025-02": (1, 0, None),  # R
        "2025-03": (1, 0, None),  # B
        "2025-04": (0, 0, pytest.approx(R_FIRST)),
        "2025-05": (0, 0, None),  # B's 20-day gap is bridged: no churn, no new logo
        "2025-06": (0, 1, None),  # R back after 70 days: a reactivation, not a new logo
        "2025-07": (0, 0, None),
        "2025-08": (0, 0, 7.0),  # S: 2025-01-01 to 2025-08-01
        "2025-09": (0, 0, pytest.approx(R_SECOND)),
        "2025-10": (0, 0, None),
    }
    body = r.json()
    # all time: S and R (its last churn); L's churn is 10 days old, not confirmed yet
    assert body["average_lifetime_months"] == pytest.approx((7 + R_SECOND) / 2)
    assert body["lifetime_churns"] == 2


async def test_logos_and_lifetimes_by_quarter_ttm_and_segment(client, session):
    headers = await _book(session)

    async def periods(**params):
        r = await client.get("/api/v1/metrics/retention", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return r.json()

    quarters = await periods(interval="quarter", **{"from": "2025-01-01", "to": "2025-07-01"})
    assert [logos(p) for p in quarters["periods"]] == [
        (5, 0, None),  # Q1: N, S, L, R, B
        (0, 1, pytest.approx(R_FIRST)),  # Q2: R churns and comes back
        (0, 0, pytest.approx((7 + R_SECOND) / 2)),  # Q3: S and R
    ]
    # the twelve months to September 2025: R churned twice, counted once, at its last churn
    ttm = await periods(interval="ttm", **{"from": "2025-09-01", "to": "2025-09-01"})
    assert [logos(p) for p in ttm["periods"]] == [(5, 1, pytest.approx((7 + R_SECOND) / 2))]

    enterprise = await periods(segment="Enterprise", **{"from": "2025-01-01", "to": "2025-09-01"})
    assert {p["period_start"][:7]: logos(p) for p in enterprise["periods"] if any(logos(p)[:2]) or logos(p)[2]} == {
        "2025-01": (1, 0, None),
        "2025-08": (0, 0, 7.0),
    }
    assert (enterprise["average_lifetime_months"], enterprise["lifetime_churns"]) == (7.0, 1)


async def test_no_churn_has_no_lifetime(client, session):
    await make_account(session, name="Lonely", arr=0)
    headers = await bearer(session, Role.leader)
    body = (await client.get("/api/v1/metrics/retention", headers=headers)).json()
    assert (body["average_lifetime_months"], body["lifetime_churns"]) == (None, 0)
    assert {logos(p) for p in body["periods"]} == {(0, 0, None)}
