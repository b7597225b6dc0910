"""The quadrant views keep to a scope (``app.accounts.access``) and say which; movers filter
by owner; the churn rate of each quadrant comes with its sample. The org and accounts:
``tests/accounts/test_scopes.py`` (Casey: A1 A4, Casey's team: A1 A2 A4, Lena's: A1 A2 A3).

Today's snapshots (quadrant, ARR): A1 champions 100, A2 churn_risk 200, A3 champions 300,
A4 frustrated_power_users 400, A5 relationship_dependent 500, A6 churn_risk 600, A7 champions 700.

Moves: A1 relationship_dependent → champions yesterday, A2 champions → churn_risk 2 days ago,
A5 champions → relationship_dependent 3 days ago.

Outcomes (renewal 30 days ago, quadrant 120 days ago): A1 churn_risk churned, A2 churn_risk
renewed, A4 churn_risk churned, A5 champions renewed; A7 churn_risk churned 400 days ago,
outside the 12 months.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import col

from app.accounts.models import Account
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.scoring.models import HealthSnapshot, QuadrantMove
from tests.accounts.test_scopes import make_org, sign_in

NOW = {
    "A1": ("champions", 100),
    "A2": ("churn_risk", 200),
    "A3": ("champions", 300),
    "A4": ("frustrated_power_users", 400),
    "A5": ("relationship_dependent", 500),
    "A6": ("churn_risk", 600),
    "A7": ("champions", 700),
}
MOVES = {"A1": (1, "relationship_dependent", "champions"), "A2": (2, "champions", "churn_risk")}
MOVES["A5"] = (3, "champions", "relationship_dependent")
OUTCOMES = {
    "A1": (30, "churn_risk", "churned"),
    "A2": (30, "churn_risk", "renewed"),
    "A4": (30, "churn_risk", "churned"),
    "A5": (30, "champions", "renewed"),
    "A7": (400, "churn_risk", "churned"),
}


async def _quadrants(session):
    org = await make_org(session)
    today = scoring.today()
    version = (await scoring.load_active(session)).version
    ids = {a.name: a.id for a in (await session.scalars(select(Account).order_by(col(Account.name)))).all()}

    def snapshot(name, day, quadrant, arr=0.0):
        return HealthSnapshot(
            account_id=ids[name],
            as_of=day,
            config_version=version,
            usage_axis=50.0,
            health_axis=50.0,
            health_score=50.0,
            band="watch",
            quadrant=quadrant,
            arr=arr,
        )

    for name, (quadrant, arr) in NOW.items():
        session.add(snapshot(name, today, quadrant, float(arr)))
    for name, (ago, before, after) in MOVES.items():
        session.add(
            QuadrantMove(
                account_id=ids[name], moved_on=today - timedelta(days=ago), from_quadrant=before, to_quadrant=after
            )
        )
    for name, (ago, quadrant, outcome) in OUTCOMES.items():
        day = today - timedelta(days=ago)
        session.add(snapshot(name, day - timedelta(days=90), quadrant))
        session.add(Renewal(account_id=ids[name], renewal_date=day, arr_up_for_renewal=Decimal(1000), outcome=outcome))
    await session.flush()
    return org


async def test_the_quadrant_and_its_history_keep_to_the_scope(client, session):
    org = await _quadrants(session)
    casey = await sign_in(session, org.users["casey"])
    lena = await sign_in(session, org.users["lena"])

    async def summary(headers, **params):
        body = (await client.get("/api/v1/quadrants", params=params, headers=headers)).json()
        counts = {s["quadrant"]: (s["accounts"], s["arr"]) for s in body["summary"] if s["accounts"]}
        return body["scope"], counts, sorted(p["name"] for p in body["points"])

    assert await summary(casey) == (
        "mine",
        {"champions": (1, 100.0), "frustrated_power_users": (1, 400.0)},
        ["A1", "A4"],
    )
    assert await summary(lena) == ("team", {"champions": (2, 400.0), "churn_risk": (1, 200.0)}, ["A1", "A2", "A3"])
    scope, counts, points = await summary(casey, scope="all")
    assert (scope, counts["champions"], len(points)) == ("all", (3, 1100.0), 7)

    history = (
        await client.get("/api/v1/quadrants/history", params={"interval": "day", "scope": "team"}, headers=casey)
    ).json()
    assert history["scope"] == "team"
    last = history["series"][-1]
    assert (last["as_of"], {q: n for q, n in last["counts"].items() if n}) == (
        scoring.today().isoformat(),
        {"champions": 1, "churn_risk": 1, "frustrated_power_users": 1},
    )


async def test_movers_keep_to_the_scope_and_filter_by_owner(client, session):
    org = await _quadrants(session)
    casey = await sign_in(session, org.users["casey"])
    since = (scoring.today() - timedelta(days=7)).isoformat()

    async def movers(**params):
        r = await client.get("/api/v1/quadrants/moves", params={"since": since, **params}, headers=casey)
        assert r.status_code == 200, r.text
        body = r.json()
        return body["scope"], [(m["name"], m["owner_name"]) for m in body["items"]], body["total"]

    assert await movers() == ("mine", [("A1", "Casey")], 1)
    assert await movers(scope="team") == ("team", [("A1", "Casey"), ("A2", "Sam")], 2)
    assert await movers(scope="all") == ("all", [("A1", "Casey"), ("A2", "Sam"), ("A5", "Olive")], 3)
    olive = str(org.users["olive"].id)
    assert await movers(owner_id=olive) == ("all", [("A5", "Olive")], 1)
    assert await movers(owner_id=olive, scope="team") == ("team", [], 0)
    assert await movers(scope="all", direction="worse") == ("all", [("A2", "Sam"), ("A5", "Olive")], 2)
    item = (await client.get("/api/v1/quadrants/moves", params={"since": since}, headers=casey)).json()["items"][0]
    assert (item["owner_id"], item["owner_email"]) == (str(org.users["casey"].id), "casey@example.com")


async def test_churn_rates_come_with_their_sample(client, session):
    org = await _quadrants(session)
    casey = await sign_in(session, org.users["casey"])

    async def rates(**params):
        body = (await client.get("/api/v1/quadrants/churn", params=params, headers=casey)).json()
        return body["scope"], {r["quadrant"]: (r["churned"], r["outcomes"], r["churn_rate"]) for r in body["quadrants"]}

    today = scoring.today()
    body = (await client.get("/api/v1/quadrants/churn", headers=casey)).json()
    assert (body["since"], body["until"], body["horizon_days"]) == (
        (today - timedelta(days=365)).isoformat(),
        today.isoformat(),
        90,
    )
    none = (0, 0, None)
    assert await rates() == (
        "mine",
        {"champions": none, "frustrated_power_users": none, "relationship_dependent": none, "churn_risk": (2, 2, 1.0)},
    )
    scope, team = await rates(scope="team")
    assert (scope, team["churn_risk"][:2]) == ("team", (2, 3))
    assert team["churn_risk"][2] == 2 / 3
    # everyone's: A7's churn is older than 12 months
    assert await rates(scope="all") == (
        "all",
        {
            "champions": (0, 1, 0.0),
            "frustrated_power_users": none,
            "relationship_dependent": none,
            "churn_risk": (2, 3, 2 / 3),
        },
    )
