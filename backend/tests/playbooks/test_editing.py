"""Editing plays, the editor's live preview of an unsaved definition, triggers that must
name something real, manual tasks, and playbook effectiveness on a hand-worked history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from app.core.enums import Role
from app.playbooks import service as playbooks
from app.playbooks.models import PlaybookRun
from app.scoring import service as scoring
from app.scoring.models import HealthSnapshot
from tests.factories import bearer, make_account, make_contact, make_user

DEFINITION = {
    "name": "Exec check-in",
    "trigger_type": "manual",
    "steps": [
        {"title": "Call {{ contact.first_name }} at {{ account.name }}", "due_offset_days": 2},
        {"title": "Send the recap", "due_offset_days": 3, "assignee_role": "leader"},
    ],
    "email_subject_template": "{{ account.name }} and us",
    "email_body_template": "Hi {{ contact.first_name }}, your {{ account.arr | money }} plan renews soon.",
}


async def test_the_editor_previews_an_unsaved_definition_with_real_numbers(client, session):
    a = await make_account(session, name="Acme", arr=120_000)
    contact = await make_contact(session, a, name="Pat Lee", role="champion")
    headers = await bearer(session, Role.csm)
    r = await client.post(
        "/api/v1/playbooks/preview", json={"account_id": str(a.id), "definition": DEFINITION}, headers=headers
    )
    assert r.status_code == 200, r.text
    today = scoring.today()
    assert r.json() == {
        "tasks": [
            # nobody owns the account and the book has no leader: nobody to name yet
            {
                "title": "Call Pat at Acme",
                "due_date": (today + timedelta(days=2)).isoformat(),
                "assignee_role": "owner",
                "assignee_id": None,
                "assignee_name": None,
            },
            {
                "title": "Send the recap",
                "due_date": (today + timedelta(days=3)).isoformat(),
                "assignee_role": "leader",
                "assignee_id": None,
                "assignee_name": None,
            },
        ],
        "email": {
            "subject": "Acme and us",
            "body": "Hi Pat, your $120K plan renews soon.",
            "to": contact.email,
            "to_name": "Pat Lee",
        },
    }


@pytest.mark.parametrize(
    ("change", "loc", "msg_start"),
    [
        (
            {"trigger_type": "alert_rule", "trigger_value": "helth_drop"},
            ["body", "trigger_value"],
            "unknown alert rule",
        ),
        ({"trigger_type": "renewal_milestone", "trigger_value": "45"}, ["body", "trigger_value"], "renewal milestones"),
        ({"trigger_type": "quadrant_move", "trigger_value": "champions"}, ["body", "trigger_value"], "a quadrant move"),
        ({"email_body_template": "{{ account.nme }}"}, ["body", "email_body_template"], "'dict object' has no"),
        ({"email_body_template": "{{ ''.__class__.__mro__ }}"}, ["body", "email_body_template"], "access to attribute"),
        ({"steps": [{"title": "{% for %}"}]}, ["body", "steps", 0, "title"], "Expected an expression"),
    ],
)
async def test_a_bad_definition_is_a_422_naming_the_field(client, session, change, loc, msg_start):
    a = await make_account(session)
    headers = await bearer(session, Role.csm)
    r = await client.post(
        "/api/v1/playbooks/preview",
        json={"account_id": str(a.id), "definition": {**DEFINITION, **change}},
        headers=headers,
    )
    assert r.status_code == 422, r.text
    error = r.json()["errors"][0]
    assert error["loc"] == loc and error["msg"].startswith(msg_start), error


async def test_leads_edit_plays_and_runs_keep_what_they_were_given(client, session):
    a = await make_account(session, name="Acme")
    leader = await bearer(session, Role.leader)
    csm = await bearer(session, Role.csm)
    # the CSM works the account they act on (DESIGN §16: CSMs change only their accounts)
    a.owner_id = uuid.UUID((await client.get("/api/v1/auth/me", headers=csm)).json()["id"])
    await session.flush()
    books = {p["key"]: p for p in (await client.get("/api/v1/playbooks", headers=csm)).json()}
    play = books["usage-reengagement"]
    run = await client.post(f"/api/v1/playbooks/{play['id']}/runs", json={"account_id": str(a.id)}, headers=csm)
    assert run.status_code == 201
    before = [t["title"] for t in run.json()["tasks"]]

    assert (await client.patch(f"/api/v1/playbooks/{play['id']}", json={"name": "X"}, headers=csm)).status_code == 403
    r = await client.patch(
        f"/api/v1/playbooks/{play['id']}",
        json={"name": "Usage check-in", "steps": [{"title": "Book a 20-minute call", "due_offset_days": 1}]},
        headers=leader,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["trigger_type"], r.json()["trigger_value"]) == (
        "Usage check-in",
        play["trigger_type"],
        play["trigger_value"],
    )
    preview = await client.post(f"/api/v1/playbooks/{play['id']}/preview", json={"account_id": str(a.id)}, headers=csm)
    assert [t["title"] for t in preview.json()["tasks"]] == ["Book a 20-minute call"]
    runs = (await client.get("/api/v1/playbooks/runs", params={"account_id": str(a.id)}, headers=csm)).json()
    assert [t["title"] for t in runs[0]["tasks"]] == before
    assert (runs[0]["playbook_name"], runs[0]["account_name"]) == ("Usage check-in", "Acme")

    bad = await client.patch(f"/api/v1/playbooks/{play['id']}", json={"trigger_value": "nope"}, headers=leader)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "trigger_value"]
    made = await client.post("/api/v1/playbooks", json={"key": "exec-check-in", **DEFINITION}, headers=leader)
    assert made.status_code == 201 and made.json()["trigger_value"] is None
    again = await client.post("/api/v1/playbooks", json={"key": "exec-check-in", **DEFINITION}, headers=leader)
    assert again.status_code == 409


async def test_manual_tasks(client, session):
    a = await make_account(session)
    other = await make_user(session, role=Role.csm)
    csm = await bearer(session, Role.csm)
    # the CSM works the account they act on (DESIGN §16: CSMs change only their accounts)
    a.owner_id = uuid.UUID((await client.get("/api/v1/auth/me", headers=csm)).json()["id"])
    await session.flush()
    due = (scoring.today() + timedelta(days=7)).isoformat()
    mine = await client.post(
        "/api/v1/tasks", json={"account_id": str(a.id), "title": "Prepare QBR", "due_date": due}, headers=csm
    )
    assert mine.status_code == 201, mine.text
    assert (mine.json()["title"], mine.json()["due_date"], mine.json()["status"]) == ("Prepare QBR", due, "open")
    listed = (await client.get("/api/v1/tasks", params={"mine": True}, headers=csm)).json()
    assert [(t["title"], t["account_name"]) for t in listed] == [("Prepare QBR", a.name)]
    theirs = await client.post(
        "/api/v1/tasks", json={"account_id": str(a.id), "title": "Intro", "assignee_id": str(other.id)}, headers=csm
    )
    assert theirs.json()["assignee_id"] == str(other.id)
    viewer = await bearer(session, Role.viewer)
    assert (
        await client.post("/api/v1/tasks", json={"account_id": str(a.id), "title": "x"}, headers=viewer)
    ).status_code == 403
    missing = {"account_id": "6a1e7c43-0000-4000-8000-000000000000", "title": "x"}
    assert (await client.post("/api/v1/tasks", json=missing, headers=csm)).status_code == 404


async def test_effectiveness_on_a_hand_worked_history(client, session):
    """Four runs of the churn-risk call (today = T):

    run 1 started T-70 at health 40 (churn risk): T-45 48 (+8) → improved by 30 days;
          T-12 42 (+2) but relationship-dependent (a better quadrant) → improved by 60 days
    run 2 started T-40 at health 60 (champions): T-15 58 → not improved by 30; 60 days not yet judged
    run 3 started T-5: too recent for either window
    run 4 started T-100, no snapshot since: nothing to judge
    30 days: 1 of 2 improved, mean change (8 - 2) / 2 = 3; 60 days: 1 of 1, mean change 2.
    """
    today = scoring.today()
    version = (await scoring.load_active(session)).version
    library = {p.key: p for p in await playbooks.list_playbooks(session)}
    play = library["churn-risk-call"]

    def at(days_ago: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_ago), time(10), tzinfo=UTC)

    async def run(started, health, quadrant, snapshots, status="active"):
        a = await make_account(session)
        session.add(
            PlaybookRun(
                playbook_id=play.id, account_id=a.id, started_at=at(started), health_at_start=health,
                quadrant_at_start=quadrant, status=status,
            )
        )  # fmt: skip
        for days_ago, score, q in snapshots:
            session.add(
                HealthSnapshot(
                    account_id=a.id, as_of=today - timedelta(days=days_ago), config_version=version,
                    health_score=score, quadrant=q,
                )
            )  # fmt: skip

    await run(70, 40.0, "churn_risk", [(45, 48.0, "churn_risk"), (12, 42.0, "relationship_dependent")], "completed")
    await run(40, 60.0, "champions", [(15, 58.0, "champions")])
    await run(5, 50.0, "champions", [(1, 70.0, "champions")])
    await run(100, 50.0, "relationship_dependent", [])
    await session.flush()

    headers = await bearer(session, Role.viewer)
    body = (await client.get("/api/v1/playbooks/effectiveness", headers=headers)).json()
    churn_call = next(p for p in body if p["key"] == "churn-risk-call")
    assert (churn_call["runs"], churn_call["active"], churn_call["completed"]) == (4, 3, 1)
    assert churn_call["windows"] == [
        {"days": 30, "measured": 2, "improved": 1, "rate": 0.5, "mean_health_change": 3.0},
        {"days": 60, "measured": 1, "improved": 1, "rate": 1.0, "mean_health_change": 2.0},
    ]
    untouched = next(p for p in body if p["key"] == "champion-advocacy")
    assert untouched["runs"] == 0 and untouched["windows"][0]["rate"] is None
