"""The queue's order on a hand-worked book (DESIGN §9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.alerts.models import Alert
from app.core.enums import Role, Severity
from app.renewals import service as renewals
from app.scoring import service
from app.scoring.models import AccountHealth
from tests.factories import make_account, make_user


async def test_queue_ranks_by_arr_at_stake(client, session):
    from app.auth import service as auth

    csm = await make_user(session, role=Role.csm)
    today = service.today()
    version = (await service.load_active(session)).version
    t0 = datetime.now(UTC) - timedelta(hours=5)

    async def account(name, arr, health, quadrant, renewal_in, rule, opened, owner=None):
        # a contract renewal date from the CRM, a year after the contract started
        renewal = today + timedelta(days=renewal_in) if renewal_in is not None else None
        a = await make_account(
            session, name=name, arr=arr, owner_id=owner, renewal_date=renewal,
            contract_start=renewal - timedelta(days=365) if renewal else None,
        )  # fmt: skip
        session.add(
            AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=health, quadrant=quadrant)
        )
        session.add(
            Alert(
                account_id=a.id,
                rule=rule,
                severity="high",
                dedupe_key=f"{rule}:{a.id}",
                title=f"{rule} on {name}",
                opened_at=opened,
                last_evaluated_at=opened,
            )
        )
        return a

    await account("A", 400_000, 38, "churn_risk", 74, "health_drop", t0, owner=csm.id)
    await account("B", 100_000, 20, "churn_risk", 20, "critical_ticket", t0, owner=csm.id)
    await account("C", 50_000, 50, "relationship_dependent", None, "inactivity", t0)
    await account("D", 200_000, 90, "champions", None, "expansion_ready", t0)
    await account("E", 50_000, 50, "relationship_dependent", None, "detractor", t0 + timedelta(hours=1))
    await session.flush()
    await renewals.sync(session)

    token, _, _ = await auth.login(session, csm.email, "correct-horse")
    await session.flush()
    mine = (await client.get("/api/v1/queue", headers={"Authorization": f"Bearer {token}"})).json()
    assert [i["account"]["name"] for i in mine["items"]] == ["A", "B"]  # a CSM's own book by default

    everyone = (
        await client.get("/api/v1/queue", params={"scope": "all"}, headers={"Authorization": f"Bearer {token}"})
    ).json()
    got = [(i["rank"], i["kind"], i["account"]["name"], round(i["value"], 2)) for i in everyone["items"]]
    # A: 400,000 x p(38) 0.3625 x saveable(74 d) 0.69333 = 100,533.33
    # B: 100,000 x p(20) 0.475 x saveable(20 d) 0.23333 = 11,083.33
    # C and E: 50,000 x p(50) 0.265 x 0.8 (no renewal) = 10,600; E's signal is fresher
    # D (opportunity): 200,000 x 0.2 x (1 - p(90) 0.05) = 38,000
    assert got == [
        (1, "risk", "A", 100533.33),
        (2, "risk", "B", 11083.33),
        (3, "risk", "E", 10600.0),
        (4, "risk", "C", 10600.0),
        (5, "opportunity", "D", 38000.0),
    ]
    assert everyone["items"][0]["reason"] == (
        "$400K ARR · health 38, churn risk · renewal in 74 days · $101K at stake · health_drop on A"
    )
    assert everyone["total_at_stake"] == pytest.approx(100533.33 + 11083.33 + 10600 + 10600, abs=0.02)
    only = (
        await client.get(
            "/api/v1/queue",
            params={"scope": "all", "kind": "opportunity"},
            headers={"Authorization": f"Bearer {token}"},
        )
    ).json()
    assert [i["account"]["name"] for i in only["items"]] == ["D"]


async def test_an_item_carries_the_accounts_context_its_play_and_its_progress(client, session):
    """DESIGN §9: the account context is on the item, so nobody has to open the account."""
    from app.accounts.models import Contact
    from app.playbooks import service as playbooks
    from app.scoring.models import HealthSnapshot
    from app.support.models import Ticket
    from app.touchpoints.models import Touchpoint
    from tests.factories import bearer

    lead = await make_user(session, role=Role.leader, name="Lee Park")
    csm = await make_user(session, role=Role.csm, name="Robin Diaz", lead_id=lead.id)
    today = service.today()
    version = (await service.load_active(session)).version
    a = await make_account(
        session, name="Acme", arr=120_000, owner_id=csm.id, plan="Growth", seats_purchased=50, seat_limit=60,
        contract_start=today - timedelta(days=300), renewal_date=today + timedelta(days=65),
    )  # fmt: skip
    monday = today - timedelta(days=today.weekday())
    # three weekly snapshots (the newest of each week counts) and today's
    for as_of, users, health in [
        (monday - timedelta(days=14), 40, 70.0),
        (monday - timedelta(days=7), 36, 62.0),
        (monday - timedelta(days=5), 35, 60.0),
        (today, 30, 55.0),
    ]:
        session.add(
            HealthSnapshot(
                account_id=a.id, as_of=as_of, config_version=version, health_score=health, band="watch",
                quadrant="champions", inputs={"usage": {"active_users": users, "user_days": 300, "prev_user_days": 400}},
            )
        )  # fmt: skip
    session.add(AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=55.0, band="watch"))
    now = datetime.now(UTC)
    session.add_all(
        [
            Contact(account_id=a.id, name="Ann Bell", email="ann@acme.test", title="VP Ops", role="champion"),
            Contact(account_id=a.id, name="Pat Lee", email="pat@acme.test", title="CTO", is_primary=True),
            Contact(account_id=a.id, name="Zed Roe", email="zed@acme.test"),
            Ticket(source_id="ZD-7", account_id=a.id, priority=3, opened_at=now - timedelta(days=9), subject="Slow"),
            Ticket(source_id="ZD-9", account_id=a.id, priority=1, opened_at=now - timedelta(days=2), subject="Down"),
            Ticket(
                source_id="ZD-3", account_id=a.id, priority=2, status="solved", opened_at=now - timedelta(days=20)
            ),
            Touchpoint(source_id="t1", account_id=a.id, kind="call", occurred_at=now - timedelta(days=3),
                       csm_id=csm.id, summary="Renewal talk", sentiment="positive"),
            Touchpoint(source_id="t2", account_id=a.id, kind="qbr", occurred_at=now - timedelta(days=40),
                       csm_email="old@acme.test"),
        ]
    )  # fmt: skip
    for rule, severity in (("critical_ticket", "high"), ("renewal_90", "low")):
        session.add(
            Alert(account_id=a.id, rule=rule, severity=severity, dedupe_key=f"{rule}:{a.id}", title=rule,
                  opened_at=now - timedelta(hours=1), last_evaluated_at=now)
        )  # fmt: skip
    await session.flush()
    await renewals.sync(session)
    # the critical-ticket play is already running, one of its three tasks done
    library = {p.key: p for p in await playbooks.list_playbooks(session)}
    run = await playbooks.start(session, library["critical-ticket-escalation"], a.id, "test")
    from app.tasks import repository as tasks

    first = sorted((await tasks.by_run(session, [run.id]))[run.id], key=lambda t: (t.due_date, t.title))[0]
    first.status = "done"
    await session.flush()

    admin = await bearer(session, Role.admin)
    items = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=admin)).json()["items"]
    item = next(i for i in items if i["account"]["id"] == str(a.id))
    assert (item["account"]["owner_name"], [x["rule"] for x in item["alerts"]]) == (
        "Robin Diaz",
        ["critical_ticket", "renewal_90"],  # one item per account and kind, the most severe first
    )
    ctx = item["context"]
    assert ctx["open_tickets"] == 2
    assert [(t["source_id"], t["priority"], t["age_days"]) for t in ctx["tickets"]] == [("ZD-9", 1, 2), ("ZD-7", 3, 9)]
    assert [(p["name"], p["is_primary"]) for p in ctx["stakeholders"]] == [
        ("Pat Lee", True),
        ("Ann Bell", False),
        ("Zed Roe", False),
    ]
    assert [(t["kind"], t["by"], t["summary"]) for t in ctx["last_touches"]] == [
        ("call", "Robin Diaz", "Renewal talk"),
        ("qbr", "old@acme.test", None),
    ]
    # per week, the newest snapshot: 40 two weeks ago; 35 (not 36) last week; 30 this week
    this_week = monday.isoformat()
    assert ctx["usage"] == {
        "weeks": [(monday - timedelta(days=14)).isoformat(), (monday - timedelta(days=7)).isoformat(), this_week],
        "active_users": [40, 35, 30],
        "change": -0.25,  # 300 user-days against 400
    }
    assert ctx["contract"] == {
        "plan": "Growth",
        "arr": 120_000.0,
        "contract_start": (today - timedelta(days=300)).isoformat(),
        "renewal_date": (today + timedelta(days=65)).isoformat(),
        "renewal_term": "annual",  # a year from contract start to renewal
        "seats_purchased": 50,
        "seat_limit": 60,
    }
    play = item["play"]
    assert (play["key"], play["email_to"], play["email_to_name"]) == (
        "critical-ticket-escalation",
        "ann@acme.test",  # the champion is written to
        "Ann Bell",
    )
    assert play["task_assignees"] == ["Robin Diaz", "Lee Park", "Robin Diaz"]
    assert play["tasks"][0] == "Escalate ZD-9 (P1, Down) to Lee Park"
    progress = play["running"]
    assert (progress["run_id"], progress["tasks_done"], progress["tasks_total"]) == (str(run.id), 1, 3)
    assert progress["next_task"] in {"Get ZD-9 (P1, Down) resolved or give a fix date", "Update Ann Bell on the ticket"}


async def test_the_severity_floor_leaves_low_only_accounts_out(client, session):
    from app.scoring.models import ScoringConfig
    from tests.factories import bearer

    today = service.today()
    active = await service.load_active(session)
    now = datetime.now(UTC)
    for name, severity in (("Low only", "low"), ("Medium", "medium")):
        a = await make_account(session, name=name, arr=10_000)
        session.add(AccountHealth(account_id=a.id, as_of=today, config_version=active.version, health_score=50))
        session.add(
            Alert(account_id=a.id, rule="renewal_90", severity=severity, dedupe_key=f"x:{a.id}", title="t",
                  opened_at=now, last_evaluated_at=now)
        )  # fmt: skip
    await session.flush()
    admin = await bearer(session, Role.admin)

    async def names():
        items = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=admin)).json()["items"]
        return sorted(i["account"]["name"] for i in items)

    assert await names() == ["Low only", "Medium"]
    body = active.body.model_copy(deep=True)
    body.alerts.queue_min_severity = Severity.medium
    config = await session.get(ScoringConfig, active.version)
    config.body = body.model_dump(mode="json")
    await session.flush()
    assert await names() == ["Medium"]


async def test_the_queue_opens_on_a_leaders_team_and_a_csms_own_book(client, session):
    from app.auth import service as auth

    lead = await make_user(session, role=Role.leader, name="Lee Park")
    robin = await make_user(session, role=Role.csm, name="Robin", lead_id=lead.id)
    sam = await make_user(session, role=Role.csm, name="Sam", lead_id=lead.id)
    other = await make_user(session, role=Role.csm, name="Other team")
    today = service.today()
    version = (await service.load_active(session)).version
    now = datetime.now(UTC)
    for name, owner in (("R1", robin), ("S1", sam), ("O1", other), ("Nobody's", None)):
        a = await make_account(session, name=name, arr=10_000, owner_id=owner.id if owner else None)
        session.add(AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=40))
        session.add(
            Alert(account_id=a.id, rule="usage_decline", severity="medium", dedupe_key=f"u:{a.id}", title="t",
                  opened_at=now, last_evaluated_at=now)
        )  # fmt: skip
    await session.flush()

    async def queue(user, **params):
        token, _, _ = await auth.login(session, user.email, "correct-horse")
        await session.flush()
        body = (await client.get("/api/v1/queue", params=params, headers={"Authorization": f"Bearer {token}"})).json()
        return body["scope"], sorted(i["account"]["name"] for i in body["items"])

    assert await queue(lead) == ("team", ["R1", "S1"])  # the people reporting to them
    assert await queue(lead, scope="all") == ("all", ["Nobody's", "O1", "R1", "S1"])
    assert await queue(robin) == ("mine", ["R1"])
    assert await queue(robin, scope="team") == ("team", ["R1", "S1"])  # those sharing their lead
    assert await queue(other, scope="team") == ("team", ["O1"])  # no lead, nobody reporting: their own
