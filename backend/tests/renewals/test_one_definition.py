"""One definition of renewal for every surface: the book, the account page, the renewals
list (JSON, NDJSON, CSV) and its rollup, renewal alerts, the queue and the digest name the
same accounts as "renewing within 90 days" (term renewals by default; monthly billing
cycles when asked for)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

from app.core.enums import Role
from app.core.models import utcnow
from app.flows import scoring_pass
from app.flows.revenue_rebuild import rebuild_book
from app.flows.weekly_digest import build as digest
from app.revenue.models import SubscriptionLine
from tests.factories import bearer, make_account


def line(account, source_id, interval, start, end=None, amount=1000):
    return SubscriptionLine(
        source_id=source_id, account_id=account.id, product=source_id, quantity=Decimal(1),
        unit_amount=Decimal(amount), interval=interval, start_date=start, end_date=end,
    )  # fmt: skip


async def test_every_surface_names_the_same_renewals(client, session):
    today = utcnow().date()
    d = timedelta(days=1)
    # the CRM's date wins (a year after the contract start: annual)
    crm = await make_account(session, name="CRM annual", renewal_date=today + 40 * d, contract_start=today - 325 * d)
    await make_account(session, name="CRM far", renewal_date=today + 200 * d)
    # a CRM date in the past says nothing any more: the yearly line's next anniversary counts
    stale = await make_account(session, name="Stale CRM", renewal_date=today - 5 * d)
    monthly = await make_account(session, name="Monthly", renewal_date=None)
    fixed = await make_account(session, name="Fixed term", renewal_date=None)
    multi = await make_account(session, name="Multi-year", renewal_date=None)
    gone = await make_account(session, name="Churned", renewal_date=today + 20 * d)  # a stale CRM date
    mixed = await make_account(session, name="Annual + add-on", renewal_date=None)
    session.add_all(
        [
            line(crm, "crm1", "year", today - 325 * d, amount=24000),
            line(stale, "st1", "year", today - 300 * d, amount=12000),
            line(monthly, "mo1", "month", today - 50 * d, amount=500),
            line(fixed, "fx1", "year", today - 285 * d, today + 80 * d, amount=9000),
            line(multi, "mu1", "year", today - 700 * d, today + 30 * d, amount=50000),
            line(gone, "go1", "month", today - 400 * d, today - 100 * d),
            line(mixed, "mx1", "year", today - 355 * d, amount=30000),
            line(mixed, "mx2", "month", today - 100 * d, amount=200),
        ]
    )
    await session.flush()
    await rebuild_book(session)
    everyone = [crm, stale, monthly, fixed, multi, gone, mixed]
    await scoring_pass.rescore(session, {a.id: today for a in everyone})

    term_renewals = {"CRM annual", "Stale CRM", "Fixed term", "Multi-year", "Annual + add-on"}
    h = await bearer(session, Role.admin)

    async def get(path, **params):
        r = await client.get(path, params=params, headers=h)
        assert r.status_code == 200, r.text
        return r

    book = (await get("/api/v1/accounts", filter="renewal_in<=90", page_size=200)).json()
    assert {i["name"] for i in book["items"]} == term_renewals
    every_term = "renewal_in<=90 term=monthly,annual,multi_year,contract"
    assert {i["name"] for i in (await get("/api/v1/accounts", filter=every_term)).json()["items"]} == (
        term_renewals | {"Monthly"}
    )
    terms = {i["name"]: (i["renewal_term"], i["renewal_date"]) for i in book["items"]}
    assert terms["CRM annual"] == ("annual", (today + 40 * d).isoformat())
    assert terms["Stale CRM"] == ("annual", (today + 65 * d).isoformat())
    assert terms["Fixed term"] == ("annual", (today + 80 * d).isoformat())
    assert terms["Multi-year"] == ("multi_year", (today + 30 * d).isoformat())
    assert terms["Annual + add-on"] == ("annual", (today + 10 * d).isoformat())

    listed = (await get("/api/v1/renewals", within_days=90)).json()["items"]
    assert {r["account_name"] for r in listed} == term_renewals
    ndjson = (await get("/api/v1/renewals", within_days=90, format="ndjson")).text.splitlines()
    assert {json.loads(x)["account_name"] for x in ndjson} == term_renewals
    rows = list(csv.DictReader(io.StringIO((await get("/api/v1/renewals", within_days=90, format="csv")).text)))
    assert {r["account_name"] for r in rows} == term_renewals
    with_monthly = (await get("/api/v1/renewals", within_days=90, term="all")).json()["items"]
    assert {r["account_name"] for r in with_monthly} == term_renewals | {"Monthly"}
    rollup = (await get("/api/v1/renewals/rollup", within_days=90)).json()
    assert sum(r["renewals"] for r in rollup["by_forecast"]) == len(term_renewals)

    for account in everyone:
        picture = (await get(f"/api/v1/accounts/{account.id}")).json()
        renewing = picture["renewal_date"] is not None and picture["renewal_date"] <= (today + 90 * d).isoformat()
        upcoming = [r for r in picture["renewals"] if r["outcome"] is None and r["days_to_renewal"] >= 0]
        # the header and the renewals card say the same thing
        assert [r["renewal_date"] for r in upcoming] == ([picture["renewal_date"]] if picture["renewal_date"] else [])
        assert (renewing and picture["renewal_term"] != "monthly") == (picture["name"] in term_renewals)

    alerts = (await get("/api/v1/alerts", page_size=200)).json()["items"]
    assert {a["account_name"] for a in alerts if a["rule"].startswith("renewal_")} == term_renewals

    queue = (await get("/api/v1/queue", scope="all", page_size=200)).json()["items"]
    assert {
        i["account"]["name"]
        for i in queue
        if i["account"]["days_to_renewal"] is not None and i["account"]["days_to_renewal"] <= 90
    } == term_renewals

    at_risk = {r["account_name"] for r in listed if r["health_score"] is not None and r["health_score"] < 60}
    renewals_at_risk = (await digest(session)).renewals_at_risk
    assert renewals_at_risk.count == len(at_risk)
    assert {r.name for r in renewals_at_risk.items} == at_risk
