"""The team view (``GET /api/v1/team``) and reassigning accounts, on a hand-worked book.

Churn probability is the default curve: p(20) 0.475, p(40) 0.35, p(60) 0.18, p(80) 0.07,
unscored p(50) 0.265. Saveable fraction: no term renewal ahead 0.8; 45 days 0.45; 75 days 0.7.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts.models import Account
from app.alerts.models import Alert
from app.audit.models import AuditLog
from app.auth import service as auth
from app.auth.models import User
from app.core.enums import Role
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot
from app.tasks.models import Task
from app.touchpoints.models import Touchpoint
from tests.factories import make_account, make_user


async def _login(session, user: User) -> dict[str, str]:
    token, _, _ = await auth.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def book(session) -> dict[str, Any]:
    today = scoring.today()
    then = today - timedelta(days=30)
    now = datetime.now(UTC)
    version = (await scoring.load_active(session)).version
    leader = await make_user(session, role=Role.leader, name="Lee Lead")
    admin = await make_user(session, role=Role.admin, name="Ada Admin")
    a = await make_user(session, role=Role.csm, name="Ann A", lead_id=leader.id)
    b = await make_user(session, role=Role.csm, name="Ben B", lead_id=leader.id)
    c = await make_user(session, role=Role.csm, name="Cat C")
    d = await make_user(session, role=Role.csm, name="Dan D", lead_id=leader.id)
    d.is_active = False  # left the company, still owns an account
    e = await make_user(session, role=Role.csm, name="Eli E", lead_id=leader.id)  # owns nothing yet
    accounts: dict[str, Account] = {}

    async def account(key: str, arr: float, health: float | None, owner: User | None, **kw: Any) -> None:
        acct = await make_account(session, name=key, arr=arr, owner_id=owner.id if owner else None, **kw)
        if health is not None:
            session.add(AccountHealth(account_id=acct.id, as_of=today, config_version=version, health_score=health))
        accounts[key] = acct

    # now: a1 100,000 x 0.35 x 0.45 = 15,750; a6 20,000 x 0.07 x 0.8 = 1,120 (Ann: 16,870)
    await account("a1", 100_000, 40, a, next_renewal_date=today + timedelta(days=45), renewal_term="annual")
    await account("a6", 20_000, 80, a)
    await account("gone", 500_000, 10, a, status="churned")
    # b: a2 200,000 x 0.07 x 0.8 = 11,200
    await account("a2", 200_000, 80, b)
    # d: d1 10,000 x 0.265 x 0.8 = 2,120 (unscored)
    await account("d1", 10_000, None, d)
    # outside the team: c's a3 50,000 x 0.265 x 0.8 = 10,600; nobody's a4 40,000 x 0.18 x 0.8 = 5,760
    await account("a3", 50_000, None, c)
    await account("a4", 40_000, 60, None)

    def snapshot(key: str, as_of, health: float) -> None:
        session.add(
            HealthSnapshot(account_id=accounts[key].id, as_of=as_of, config_version=version, health_score=health)
        )

    # 30 days ago: a1 had health 60 (the later 20 is after that day) and its renewal was 75 days
    # away: 100,000 x 0.18 x 0.7 = 12,600; a6 80: 1,120 (Ann: 13,720)
    snapshot("a1", then - timedelta(days=5), 60)
    snapshot("a1", then + timedelta(days=3), 20)
    session.add(Renewal(account_id=accounts["a1"].id, renewal_date=today + timedelta(days=45), term="annual"))
    snapshot("a6", then, 80)
    # a2 had no score (p(50)) and a monthly cycle ahead (no term renewal): 200,000 x 0.265 x 0.8 = 42,400
    session.add(Renewal(account_id=accounts["a2"].id, renewal_date=today + timedelta(days=10), term="monthly"))
    # d1 had 40: 10,000 x 0.35 x 0.8 = 2,800
    snapshot("d1", then - timedelta(days=40), 40)
    # a4 had 60: 5,760; a3 no score: 10,600
    snapshot("a4", then - timedelta(days=1), 60)

    def touch(key: str, days_ago: float) -> None:
        session.add(
            Touchpoint(
                source_id=f"tp-{uuid.uuid4()}", account_id=accounts[key].id, kind="call",
                occurred_at=now - timedelta(days=days_ago),
            )
        )  # fmt: skip

    touch("a1", 5)  # touched now
    touch("a1", 40)  # and in the 30 days before
    touch("a6", 45)  # before only
    touch("a2", 29)  # now only
    touch("a4", 10)
    touch("gone", 1)  # churned: not counted

    def task(key: str, due, status: str = "open", assignee: User | None = None) -> None:
        session.add(
            Task(
                account_id=accounts[key].id, title=f"Task on {key}", due_date=due, status=status,
                assignee_id=assignee.id if assignee else None,
            )
        )  # fmt: skip

    task("a1", today - timedelta(days=1), assignee=b)  # overdue: Ann's account, whoever does it
    task("a1", today - timedelta(days=1), status="done")
    task("a1", today)  # due today: not overdue yet
    task("a1", None)
    task("a2", today - timedelta(days=10))  # overdue, nobody's task: Ben's account
    task("gone", today - timedelta(days=3))

    opened = now - timedelta(hours=3)

    def alert(key: str, rule: str, status: str = "open", **kw: Any) -> None:
        session.add(
            Alert(
                account_id=accounts[key].id, rule=rule, severity="high", status=status,
                dedupe_key=f"{rule}:{key}", title=f"{rule} on {key}", opened_at=opened, last_evaluated_at=opened, **kw,
            )
        )  # fmt: skip

    alert("a1", "health_drop")
    alert("a1", "critical_ticket", status="acknowledged")
    alert("a1", "inactivity", status="snoozed", snoozed_until=now + timedelta(days=2))  # snoozed: not active
    alert("a1", "detractor", status="snoozed", snoozed_until=now - timedelta(hours=1))  # snooze over: active
    alert("a1", "usage_drop", status="resolved", resolved_at=now)
    alert("a2", "expansion_ready")
    alert("a4", "seat_limit")
    await session.flush()
    return {"leader": leader, "admin": admin, "a": a, "b": b, "c": c, "d": d, "e": e, "accounts": accounts}


def _row(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["name"],
        row["accounts"],
        row["arr"],
        row["at_risk_arr"],
        row["at_risk_arr_30d_ago"],
        row["at_risk_change"],
        row["touched_accounts"],
        row["touched_share"],
        row["touched_share_30d_ago"],
        row["touched_change"],
        row["overdue_tasks"],
        row["open_alerts"],
        row["queue_items"],
    )


async def test_the_team_view_of_a_leader(client, session, book):
    r = await client.get("/api/v1/team", headers=await _login(session, book["leader"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "team"
    assert body["currency"] == "USD"
    assert body["as_of"] == scoring.today().isoformat()
    rows = body["rows"]
    # the team's active CSMs by name (Eli owns nothing), and Dan: inactive, but owns an account here
    assert [(x["name"], x["is_active"], x["lead_name"]) for x in rows] == [
        ("Ann A", True, "Lee Lead"),
        ("Ben B", True, "Lee Lead"),
        ("Dan D", False, "Lee Lead"),
        ("Eli E", True, "Lee Lead"),
    ]
    assert [_row(x) for x in rows] == [
        ("Ann A", 2, 120_000, 16_870, 13_720, 3_150, 1, 0.5, 1.0, -0.5, 1, 3, 1),
        ("Ben B", 1, 200_000, 11_200, 42_400, -31_200, 1, 1.0, 0.0, 1.0, 1, 1, 1),
        ("Dan D", 1, 10_000, 2_120, 2_800, -680, 0, 0.0, 0.0, 0.0, 0, 0, 0),
        ("Eli E", 0, 0, 0, 0, 0, 0, None, None, None, 0, 0, 0),
    ]
    assert rows[0]["user_id"] == str(book["a"].id)
    assert rows[0]["email"] == book["a"].email
    totals = body["totals"]
    assert _row(totals) == ("Total", 4, 330_000, 30_190, 58_920, -28_730, 2, 0.5, 0.5, 0.0, 2, 4, 2)
    assert set(body["definitions"]) == {
        "accounts", "arr", "at_risk_arr", "touched_share", "overdue_tasks", "open_alerts", "queue_items", "trend",
    }  # fmt: skip
    assert "assigned" in body["definitions"]["overdue_tasks"]

    # the same revenue at risk, per owner, as GET /metrics/revenue-at-risk
    for user, row in ((book["a"], rows[0]), (book["b"], rows[1])):
        one = await client.get(
            "/api/v1/metrics/revenue-at-risk", params={"owner_id": str(user.id)}, headers=await _login(session, user)
        )
        assert one.json()["revenue_at_risk"] == row["at_risk_arr"]


async def test_the_team_view_of_everyone(client, session, book):
    body = (
        await client.get("/api/v1/team", params={"scope": "all"}, headers=await _login(session, book["admin"]))
    ).json()
    assert body["scope"] == "all"
    assert [x["name"] for x in body["rows"]] == ["Ann A", "Ben B", "Cat C", "Dan D", "Eli E", None]
    cat, nobody = body["rows"][2], body["rows"][5]
    assert _row(cat) == ("Cat C", 1, 50_000, 10_600, 10_600, 0, 0, 0.0, 0.0, 0.0, 0, 0, 0)
    assert _row(nobody) == (None, 1, 40_000, 5_760, 5_760, 0, 1, 1.0, 0.0, 1.0, 0, 1, 1)
    assert nobody["user_id"] is None
    totals = body["totals"]
    assert (totals["accounts"], totals["arr"], totals["at_risk_arr"]) == (6, 420_000, 46_550)
    assert (totals["touched_accounts"], totals["touched_accounts_30d_ago"]) == (3, 2)
    assert (totals["open_alerts"], totals["queue_items"]) == (5, 3)
    every = (await client.get("/api/v1/metrics/revenue-at-risk", headers=await _login(session, book["admin"]))).json()
    assert every["revenue_at_risk"] == totals["at_risk_arr"]


async def test_the_team_view_is_for_leaders_and_admins(client, session, book):
    assert (await client.get("/api/v1/team", headers=await _login(session, book["a"]))).status_code == 403
    viewer = await make_user(session, role=Role.viewer)
    assert (await client.get("/api/v1/team", headers=await _login(session, viewer))).status_code == 403
    bad = await client.get("/api/v1/team", params={"scope": "mine"}, headers=await _login(session, book["leader"]))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "scope"]


async def test_an_empty_team(client, session):
    leader = await make_user(session, role=Role.leader, name="Solo")
    body = (await client.get("/api/v1/team", headers=await _login(session, leader))).json()
    assert body["scope"] == "all"  # nobody reports to them
    assert body["rows"] == []
    assert _row(body["totals"]) == ("Total", 0, 0, 0, 0, 0, 0, None, None, None, 0, 0, 0)


async def _audit(session, account_id: uuid.UUID) -> list[AuditLog]:
    rows = await session.execute(
        select(AuditLog).where(AuditLog.action == "account.reassign", AuditLog.entity_id == str(account_id))
    )
    return list(rows.scalars())


async def test_reassigning_accounts(client, session, book):
    acc, a, b = book["accounts"], book["a"], book["b"]
    headers = await _login(session, book["leader"])
    unknown = uuid.uuid4()
    ids = [acc["a1"].id, acc["a6"].id, acc["a2"].id, unknown, acc["a1"].id, acc["a4"].id]
    r = await client.post(
        "/api/v1/accounts/reassign",
        json={"account_ids": [str(i) for i in ids], "owner_id": str(b.id)},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        "owner_id": str(b.id),
        "moved": [str(acc["a1"].id), str(acc["a6"].id), str(acc["a4"].id)],
        "unchanged": [str(acc["a2"].id)],
        "missing": [str(unknown)],
    }
    for key in ("a1", "a6", "a4"):
        await session.refresh(acc[key])
        assert acc[key].owner_id == b.id
    [entry] = await _audit(session, acc["a1"].id)
    assert entry.detail == {"from": str(a.id), "to": str(b.id)}
    assert entry.actor == f"user:{book['leader'].id}"
    [nobodys] = await _audit(session, acc["a4"].id)
    assert nobodys.detail == {"from": None, "to": str(b.id)}
    assert await _audit(session, acc["a2"].id) == []

    # the team view follows: Ben now has a1, a6, a2 and a4; Ann none
    rows = {x["name"]: x for x in (await client.get("/api/v1/team", headers=headers)).json()["rows"]}
    assert (rows["Ann A"]["accounts"], rows["Ben B"]["accounts"]) == (0, 4)
    assert rows["Ben B"]["at_risk_arr"] == 16_870 + 11_200 + 5_760


@pytest.mark.parametrize("who", ["inactive", "viewer", "unknown"])
async def test_the_new_owner_must_be_an_active_csm_leader_or_admin(client, session, book, who):
    owner = {
        "inactive": lambda: book["d"].id,
        "viewer": lambda: None,
        "unknown": lambda: uuid.uuid4(),
    }[who]()
    if owner is None:
        owner = (await make_user(session, role=Role.viewer)).id
    r = await client.post(
        "/api/v1/accounts/reassign",
        json={"account_ids": [str(book["accounts"]["a1"].id)], "owner_id": str(owner)},
        headers=await _login(session, book["leader"]),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "owner_id"]
    await session.refresh(book["accounts"]["a1"])
    assert book["accounts"]["a1"].owner_id == book["a"].id


async def test_reassign_bounds_and_roles(client, session, book):
    headers = await _login(session, book["leader"])
    owner = str(book["b"].id)
    for ids in ([], [str(uuid.uuid4()) for _ in range(501)]):
        r = await client.post(
            "/api/v1/accounts/reassign", json={"account_ids": ids, "owner_id": owner}, headers=headers
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["body", "account_ids"]
    # 500 is the most: all unknown here, reported
    many = [str(uuid.uuid4()) for _ in range(500)]
    r = await client.post("/api/v1/accounts/reassign", json={"account_ids": many, "owner_id": owner}, headers=headers)
    assert r.status_code == 200
    assert len(r.json()["missing"]) == 500
    # a CSM may not reassign, not even their own account
    own = {"account_ids": [str(book["accounts"]["a1"].id)], "owner_id": owner}
    r = await client.post("/api/v1/accounts/reassign", json=own, headers=await _login(session, book["a"]))
    assert r.status_code == 403
    # an admin may, to themself
    admin = book["admin"]
    r = await client.post(
        "/api/v1/accounts/reassign",
        json={"account_ids": [str(book["accounts"]["a3"].id)], "owner_id": str(admin.id)},
        headers=await _login(session, admin),
    )
    assert r.json()["moved"] == [str(book["accounts"]["a3"].id)]
    assert Decimal(book["accounts"]["a3"].current_arr) == Decimal("50000")
