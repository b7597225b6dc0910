"""Playbooks: the library, rendering with real numbers in a sandbox, runs and tasks,
automatic starts from alerts, and the play attached to queue items."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import AccountTeamMember
from app.core.enums import Role
from app.flows import scoring_pass
from app.playbooks.models import PlaybookRun
from app.scoring import service as scoring
from app.support.models import Ticket
from app.tasks.models import Task
from tests.factories import bearer, make_account, make_contact, make_user


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def by_key(client, headers):
    return {p["key"]: p for p in (await client.get("/api/v1/playbooks", headers=headers)).json()}


async def test_the_default_library(client, admin):
    books = await by_key(client, admin)
    assert set(books) == {
        "churn-risk-call",
        "frustrated-power-user-outreach",
        "relationship-dependent-diagnosis",
        "health-drop-review",
        "critical-ticket-escalation",
        "ticket-surge-review",
        "usage-reengagement",
        "inactivity-check",
        "detractor-follow-up",
        "renewal-value-review",
        "renewal-close",
        "renewal-rescue",
        "expansion-conversation",
        "payment-follow-up",
        "champion-advocacy",
    }
    assert all(p["is_builtin"] for p in books.values())
    # any move into a quadrant, not only from Champions
    assert books["frustrated-power-user-outreach"]["trigger_value"] == "*->frustrated_power_users"
    assert (books["renewal-rescue"]["trigger_value"], books["renewal-rescue"]["trigger_bands"]) == (
        "90,60,30",
        ["at_risk"],
    )


async def critical_account(session):
    lead = await make_user(session, role=Role.leader, name="Lee Park")
    owner = await make_user(session, role=Role.csm, name="Robin Diaz", lead_id=lead.id)
    a = await make_account(session, name="Acme", owner_id=owner.id, seats_purchased=10)
    await make_contact(session, a, name="Pat Lee", role="champion", email="pat@acme.test")
    session.add(
        Ticket(
            source_id=f"ZD-{str(a.id)[:4]}",
            subject="Exports time out",
            account_id=a.id,
            priority=1,
            opened_at=datetime.now(UTC) - timedelta(days=2),
        )
    )
    await session.flush()
    return owner, a


async def test_an_alert_starts_its_play_with_tasks_and_a_drafted_email(client, session, admin):
    owner, a = await critical_account(session)
    await scoring_pass.rescore(session, {a.id: scoring.today()})  # opens critical_ticket → starts the play
    run = (await session.execute(select(PlaybookRun).where(PlaybookRun.account_id == a.id))).scalar_one()
    assert run.alert_id is not None and run.status == "active"
    ticket = f"ZD-{str(a.id)[:4]}"
    assert run.email_draft == {
        "subject": f"Your ticket {ticket}: where it stands",
        "body": f'Hi Pat,\n\nI saw that your ticket {ticket} ("Exports time out") has been open for 2 days. '
        "I have escalated it to Lee Park and will keep you posted myself until it is resolved."
        "\n\nBest,\nRobin Diaz",
        "to": "pat@acme.test",
        "to_name": "Pat Lee",
    }
    tasks = (
        await session.execute(
            select(Task).where(Task.playbook_run_id == run.id).order_by(Task.due_date, Task.created_at, Task.title)
        )
    ).scalars()
    # every task goes to a named person: the owner, and the owner's lead as the support lead
    # (no TEMPO_SUPPORT_LEAD_EMAIL is set)
    assert [(t.title, t.due_date - scoring.today(), t.assignee_id) for t in tasks] == [
        (f"Escalate {ticket} (P1, Exports time out) to Lee Park", timedelta(0), owner.id),
        (f"Get {ticket} (P1, Exports time out) resolved or give a fix date", timedelta(days=1), owner.lead_id),
        ("Update Pat Lee on the ticket", timedelta(days=1), owner.id),
    ]
    # evaluated again: the alert is refreshed, not reopened, so no second run
    await scoring_pass.rescore(session, {a.id: scoring.today()})
    assert len((await session.execute(select(PlaybookRun).where(PlaybookRun.account_id == a.id))).all()) == 1

    # the queue carries the play, drafted
    queue = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=admin)).json()
    item = next(i for i in queue["items"] if i["account"]["id"] == str(a.id))
    assert item["play"]["key"] == "critical-ticket-escalation"
    assert item["play"]["email_body"].startswith("Hi Pat,")


async def test_manual_start_preview_conflict_complete_and_tasks(client, session, admin):
    _, a = await critical_account(session)
    config = await scoring.load_active(session)
    await scoring_pass.score(session, [a.id], [scoring.today() - timedelta(days=1)], config)
    books = await by_key(client, admin)
    review = books["renewal-value-review"]
    preview = await client.post(
        f"/api/v1/playbooks/{review['id']}/preview", json={"account_id": str(a.id)}, headers=admin
    )
    assert preview.status_code == 200, preview.text
    email = preview.json()["email"]
    assert email["subject"] == "Your year with us"  # no renewal on record: no date to name
    assert email["body"].startswith("Hi Pat,\n\nHere is what the last months looked like: ")
    csm = await bearer(session, Role.csm)
    # the CSM is on the account's team (DESIGN §16: CSMs change only the accounts they work on)
    me = uuid.UUID((await client.get("/api/v1/auth/me", headers=csm)).json()["id"])
    session.add(AccountTeamMember(account_id=a.id, user_id=me))
    await session.flush()
    started = await client.post(f"/api/v1/playbooks/{review['id']}/runs", json={"account_id": str(a.id)}, headers=csm)
    assert started.status_code == 201, started.text
    run = started.json()
    assert [t["title"] for t in run["tasks"]] == [
        "Prepare the value summary",
        "Hold the value review meeting with Pat Lee",
        "Confirm the renewal forecast",
    ]
    again = await client.post(f"/api/v1/playbooks/{review['id']}/runs", json={"account_id": str(a.id)}, headers=csm)
    assert again.status_code == 409
    first_task = run["tasks"][0]["id"]
    done = await client.patch(f"/api/v1/tasks/{first_task}", json={"status": "done"}, headers=csm)
    assert (done.json()["status"], done.json()["completed_at"] is not None) == ("done", True)
    finished = await client.post(
        f"/api/v1/playbooks/runs/{run['id']}/complete", json={"outcome": "renewed early"}, headers=csm
    )
    body = finished.json()
    assert (body["status"], body["outcome"]) == ("completed", "renewed early")
    assert [t["status"] for t in body["tasks"]] == ["done", "cancelled", "cancelled"]
    viewer = await bearer(session, Role.viewer)
    assert (
        await client.post(f"/api/v1/playbooks/{review['id']}/runs", json={"account_id": str(a.id)}, headers=viewer)
    ).status_code == 403


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ account.__class__ }}",
        "{{ range(10**9) | list }}",
        "{{ no_such_name }}",
    ],
)
async def test_template_escapes_are_blocked(client, session, admin, template):
    a = await make_account(session)
    created = await client.post(
        "/api/v1/playbooks",
        json={"key": f"t-{abs(hash(template))}", "name": "Probe", "email_body_template": template},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    r = await client.post(
        f"/api/v1/playbooks/{created.json()['id']}/preview", json={"account_id": str(a.id)}, headers=admin
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "email_body_template"]


async def test_a_template_that_does_not_parse_is_refused_at_save(client, admin):
    r = await client.post(
        "/api/v1/playbooks", json={"key": "broken", "name": "Broken", "email_body_template": "{% if %}"}, headers=admin
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "email_body_template"]


async def test_the_queue_says_when_the_play_already_runs(client, session, admin):
    _, a = await critical_account(session)
    await scoring_pass.rescore(session, {a.id: scoring.today()})
    run = (await session.execute(select(PlaybookRun).where(PlaybookRun.account_id == a.id))).scalar_one()
    queue = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=admin)).json()
    item = next(i for i in queue["items"] if i["account"]["id"] == str(a.id))
    assert item["play"]["running_run_id"] == str(run.id)
    assert item["alerts"][0]["status"] == "open"


async def test_automatic_plays_are_capped_per_owner_and_day(session, monkeypatch):
    """With a cap of 2, an owner's four new alerts start the two most severe, most valuable
    plays; another owner's alert still starts; the others stay suggestions."""
    from app.alerts.models import Alert
    from app.core.config import get_settings
    from app.core.models import utcnow
    from app.playbooks.service import start_for_new_alerts

    monkeypatch.setattr(get_settings(), "auto_plays_per_owner_per_day", 2)
    casey = await make_user(session, role=Role.csm)
    sam = await make_user(session, role=Role.csm)

    async def alert(owner, arr, severity, rule="critical_ticket"):
        a = await make_account(session, owner_id=owner.id, arr=arr)
        row = Alert(
            account_id=a.id, rule=rule, severity=severity, dedupe_key=f"{rule}:{a.id}", title=rule, opened_at=utcnow()
        )
        session.add(row)
        await session.flush()
        return {"id": row.id, "account_id": a.id, "rule": rule, "severity": severity, "title": rule, "facts": {}}

    opened = [
        await alert(casey, 10_000, "high"),
        await alert(casey, 500_000, "medium"),
        await alert(casey, 200_000, "high"),
        await alert(casey, 900_000, "low", "expansion_ready"),
        await alert(sam, 5_000, "medium"),
    ]
    assert await start_for_new_alerts(session, opened) == 3
    runs = (await session.execute(select(PlaybookRun.alert_id))).scalars().all()
    assert set(runs) == {opened[2]["id"], opened[0]["id"], opened[4]["id"]}
    # later the same day, Casey's cap is spent: a new alert stays a suggestion
    assert await start_for_new_alerts(session, [await alert(casey, 1_000_000, "high")]) == 0
