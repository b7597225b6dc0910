"""Renewals keep to a scope (``app.accounts.access``) and say which, in every format; rows
name their owner. The org and accounts: ``tests/accounts/test_scopes.py``."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from app.accounts.models import Account
from app.renewals.models import Renewal
from app.scoring import service as scoring
from tests.accounts.test_scopes import make_org, sign_in


async def _renew_everything(session):
    """A renewal of each account, A1 in 10 days, A2 in 20... A7 in 70, ARR 1000 x its number."""
    today = scoring.today()
    accounts = (await session.scalars(select(Account).order_by(col(Account.name)))).all()
    for n, account in enumerate(accounts, start=1):
        session.add(
            Renewal(
                account_id=account.id,
                renewal_date=today + timedelta(days=10 * n),
                arr_up_for_renewal=Decimal(1000 * n),
                term="annual",
            )
        )
    await session.flush()


async def test_renewals_keep_to_the_scope_and_say_which(client, session):
    org = await make_org(session)
    await _renew_everything(session)
    casey = await sign_in(session, org.users["casey"])
    lena = await sign_in(session, org.users["lena"])

    async def listed(headers, **params):
        r = await client.get("/api/v1/renewals", params=params, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        return body["scope"], [(i["account_name"], i["owner_name"], i["owner_email"]) for i in body["items"]]

    assert await listed(casey) == (
        "mine",
        [("A1", "Casey", "casey@example.com"), ("A4", "Olive", "olive@example.com")],
    )
    scope, rows = await listed(casey, scope="team")
    assert (scope, [r[0] for r in rows]) == ("team", ["A1", "A2", "A4"])
    scope, rows = await listed(lena)
    assert (scope, [r[0] for r in rows]) == ("team", ["A1", "A2", "A3"])
    scope, rows = await listed(casey, scope="all")
    assert (scope, rows[5:]) == ("all", [("A6", None, None), ("A7", "Leo Lead", "leo@example.com")])
    # an owner named in the request: everyone's accounts, of that owner
    scope, rows = await listed(casey, owner_id=str(org.users["sam"].id))
    assert (scope, [r[0] for r in rows]) == ("all", ["A2"])

    nd = await client.get("/api/v1/renewals", params={"format": "ndjson", "scope": "team"}, headers=casey)
    assert nd.headers["x-scope"] == "team"
    assert [json.loads(x)["account_name"] for x in nd.text.strip().split("\n")] == ["A1", "A2", "A4"]
    c = await client.get("/api/v1/renewals", params={"format": "csv"}, headers=casey)
    assert c.headers["x-scope"] == "mine"
    table = list(csv.DictReader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert [(t["account_name"], t["owner_name"], t["owner_email"]) for t in table] == [
        ("A1", "Casey", "casey@example.com"),
        ("A4", "Olive", "olive@example.com"),
    ]

    # the rollup sums the same renewals: A1 1000 + A2 2000 + A4 4000 for Casey's team
    roll = (
        await client.get("/api/v1/renewals/rollup", params={"within_days": 90, "scope": "team"}, headers=casey)
    ).json()
    assert (roll["scope"], roll["total_arr"], roll["by_forecast"][-1]) == (
        "team",
        7000.0,
        {"forecast": "unset", "renewals": 3, "arr": 7000.0},
    )
    mine = (await client.get("/api/v1/renewals/rollup", params={"within_days": 90}, headers=casey)).json()
    assert (mine["scope"], mine["total_arr"]) == ("mine", 5000.0)


async def test_graphql_renewals_take_the_scope(client, session):
    org = await make_org(session)
    await _renew_everything(session)
    casey = await sign_in(session, org.users["casey"])
    query = """query($scope: String) {
      renewals(first: 10, scope: $scope) { totalCount edges { node { accountName ownerName } } }
      renewalRollup(withinDays: 90, scope: $scope) { scope totalArr }
    }"""
    # GraphQL's default: every account the caller reads
    for scope, names, arr in (
        (None, ["A1", "A2", "A3", "A4", "A5", "A6", "A7"], 28000.0),
        ("mine", ["A1", "A4"], 5000.0),
        ("team", ["A1", "A2", "A4"], 7000.0),
    ):
        r = await client.post("/graphql", json={"query": query, "variables": {"scope": scope}}, headers=casey)
        data = r.json()["data"]
        assert [e["node"]["accountName"] for e in data["renewals"]["edges"]] == names
        assert data["renewals"]["edges"][0]["node"]["ownerName"] == "Casey"
        assert data["renewalRollup"] == {"scope": scope or "all", "totalArr": arr}
