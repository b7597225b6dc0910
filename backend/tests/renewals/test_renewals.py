"""Renewals: the pinned list in JSON, NDJSON and CSV, suggested forecasts from health, the
rollup, forecast edits, records derived from yearly lines and outcomes from revenue data."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from app.accounts.models import Account
from app.core.enums import Role
from app.flows.revenue_rebuild import rebuild_book
from app.renewals.models import Renewal
from app.renewals.service import keep_in_step, suggest
from app.revenue.models import SubscriptionLine
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from tests.factories import bearer, make_account


def test_suggested_forecast_follows_churn_probability():
    # commit below 15%, upside below 30%, risk below 50%, churn from 50%
    assert [suggest(p) for p in (0.05, 0.149, 0.15, 0.29, 0.3, 0.5, 0.9, None)] == [
        "commit", "commit", "upside", "upside", "risk", "churn", "churn", None,
    ]  # fmt: skip


async def _renewals(session):
    today = scoring.today()
    version = (await scoring.load_active(session)).version

    async def one(name, days, arr, health, **kw):
        a = await make_account(session, name=name, segment=kw.pop("segment", "SMB"))
        if health is not None:
            session.add(AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=health))
        r = Renewal(account_id=a.id, renewal_date=today + timedelta(days=days), arr_up_for_renewal=Decimal(arr), **kw)
        session.add(r)
        await session.flush()
        return r

    # default churn curve: p(85) = 0.06, p(70) = 0.125, p(50) = 0.265, p(20) = 0.475
    rows = [
        await one("Acme", 20, 120_000, 85, forecast="commit"),
        await one("Bravo", 45, 30_000, 50, segment="Enterprise"),
        await one("Charlie", 80, 8_000, 20, forecast="risk"),
        await one("Delta", 200, 50_000, 70),
        await one("Echo", -10, 10_000, 70, outcome="renewed"),
    ]
    return rows


async def test_the_list_in_three_formats(client, session):
    await _renewals(session)
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/renewals", params={"within_days": 90}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["total"] == 3
    assert [
        (i["account_name"], i["days_to_renewal"], i["forecast"], i["suggested_forecast"]) for i in body["items"]
    ] == [
        ("Acme", 20, "commit", "commit"),
        ("Bravo", 45, None, "upside"),
        ("Charlie", 80, "risk", "risk"),
    ]
    assert body["items"][0]["churn_probability"] == pytest.approx(0.06)

    nd = await client.get("/api/v1/renewals", params={"within_days": 90, "format": "ndjson"}, headers=headers)
    assert nd.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(x) for x in nd.text.strip().split("\n")]
    assert [x["account_name"] for x in lines] == ["Acme", "Bravo", "Charlie"]

    c = await client.get(
        "/api/v1/renewals", params={"within_days": 90, "format": "csv", "segment": "Enterprise"}, headers=headers
    )
    assert c.headers["content-type"] == "text/csv; charset=utf-8"
    assert c.content.startswith(b"\xef\xbb\xbfid,account_id,")  # a BOM, so Excel reads accents
    table = list(csv.DictReader(io.StringIO(c.content.decode("utf-8-sig"))))
    # money to the cent, probabilities to 0.01 %, scores to a tenth
    assert [(t["account_name"], t["arr_up_for_renewal"], t["suggested_forecast"]) for t in table] == [
        ("Bravo", "30000.00", "upside")
    ]
    assert all(len(t["churn_probability"].split(".")[-1]) == 4 for t in table if t["churn_probability"])
    closed = (await client.get("/api/v1/renewals", params={"status": "closed"}, headers=headers)).json()
    assert [(i["account_name"], i["outcome"]) for i in closed["items"]] == [("Echo", "renewed")]
    bad = await client.get("/api/v1/renewals", params={"format": "xml", "within_days": -1}, headers=headers)
    assert bad.status_code == 422


async def test_rollup_and_forecast_edits(client, session):
    rows = await _renewals(session)
    csm = await bearer(session, Role.csm)
    # the CSM works Bravo, whose forecast they change (DESIGN §16: CSMs change only their accounts)
    bravo = await session.get(Account, rows[1].account_id)
    bravo.owner_id = uuid.UUID((await client.get("/api/v1/auth/me", headers=csm)).json()["id"])
    await session.flush()
    roll = (await client.get("/api/v1/renewals/rollup", params={"within_days": 90, "scope": "all"}, headers=csm)).json()
    assert roll["scope"] == "all"
    assert [(x["forecast"], x["renewals"], x["arr"]) for x in roll["by_forecast"]] == [
        ("commit", 1, 120000.0), ("upside", 0, 0.0), ("risk", 1, 8000.0), ("churn", 0, 0.0), ("unset", 1, 30000.0),
    ]  # fmt: skip
    assert [(x["forecast"], x["renewals"]) for x in roll["by_suggested"]] == [
        ("commit", 1), ("upside", 1), ("risk", 1), ("churn", 0), ("unset", 0),
    ]  # fmt: skip
    assert roll["total_arr"] == 158000.0
    r = await client.patch(
        f"/api/v1/renewals/{rows[1].id}", json={"forecast": "upside", "owner_notes": "Champion left"}, headers=csm
    )
    assert r.status_code == 200, r.text
    assert (r.json()["forecast"], r.json()["owner_notes"], r.json()["account_name"]) == (
        "upside",
        "Champion left",
        "Bravo",
    )
    assert (
        await client.patch(f"/api/v1/renewals/{rows[1].id}", json={"forecast": "maybe"}, headers=csm)
    ).status_code == 422
    viewer = await bearer(session, Role.viewer)
    assert (
        await client.patch(f"/api/v1/renewals/{rows[1].id}", json={"forecast": None}, headers=viewer)
    ).status_code == 403


def plus_months(day, months):
    """``day`` + ``months``, clamped to the month's last day (as PostgreSQL adds intervals)."""
    import calendar

    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return day.replace(year=y, month=m + 1, day=min(day.day, calendar.monthrange(y, m + 1)[1]))


async def test_records_and_outcomes_follow_revenue(session):
    """A yearly contract without a record gets one at its term end; renewals 30+ days past
    get their outcome from the (bridged) ARR before and 30 days after them."""
    today = scoring.today()
    a = await make_account(session, name="Yearly", renewal_date=None)
    session.add(
        SubscriptionLine(
            source_id="y1", account_id=a.id, product="core", quantity=Decimal(1), unit_amount=Decimal(24000),
            interval="year", start_date=today - timedelta(days=200), end_date=today + timedelta(days=165),
        )
    )  # fmt: skip
    b = await make_account(session, name="Renewed bigger", renewal_date=None)
    session.add_all(
        [
            SubscriptionLine(
                source_id="b1", account_id=b.id, product="core", quantity=Decimal(1), unit_amount=Decimal(1000),
                interval="month", start_date=today - timedelta(days=400), end_date=today - timedelta(days=60),
            ),
            SubscriptionLine(
                source_id="b2", account_id=b.id, product="core", quantity=Decimal(2), unit_amount=Decimal(1000),
                interval="month", start_date=today - timedelta(days=60),
            ),
            Renewal(account_id=b.id, renewal_date=today - timedelta(days=60), arr_up_for_renewal=Decimal(12000)),
        ]
    )  # fmt: skip
    c = await make_account(session, name="Churned", renewal_date=None)
    session.add_all(
        [
            SubscriptionLine(
                source_id="c1", account_id=c.id, product="core", quantity=Decimal(1), unit_amount=Decimal(500),
                interval="month", start_date=today - timedelta(days=400), end_date=today - timedelta(days=50),
            ),
            Renewal(account_id=c.id, renewal_date=today - timedelta(days=50), arr_up_for_renewal=Decimal(6000)),
            # too recent to settle: a churn 10 days ago may still be bridged
            Renewal(account_id=c.id, renewal_date=today - timedelta(days=10), arr_up_for_renewal=Decimal(6000)),
        ]
    )  # fmt: skip
    await session.flush()
    await rebuild_book(session)  # runs keep_in_step too
    from sqlalchemy import select

    got = (
        await session.execute(
            select(Renewal.account_id, Renewal.renewal_date, Renewal.outcome, Renewal.arr_up_for_renewal, Renewal.term)
        )
    ).all()
    by = {(acct, day): (outcome, float(arr), term) for acct, day, outcome, arr, term in got}
    # the yearly contract renews at its term end; the monthly plan at its next billing cycle
    assert by[(a.id, today + timedelta(days=165))] == (None, 24000.0, "annual")
    next_cycle = next(d for k in range(1, 40) if (d := plus_months(today - timedelta(days=60), k)) >= today)
    assert by[(b.id, next_cycle)] == (None, 24000.0, "monthly")
    assert by[(b.id, today - timedelta(days=60))][0] == "expanded"
    assert by[(c.id, today - timedelta(days=50))][0] == "churned"
    assert by[(c.id, today - timedelta(days=10))][0] is None
    assert not [k for k in by if k[0] == c.id and k[1] >= today]  # nothing live: nothing to renew
    assert await keep_in_step(session) == (0, 0)  # idempotent
