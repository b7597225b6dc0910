"""The access policy (DESIGN §16, ``app.accounts.access``) case by case: CSMs change only the
accounts they own or are on the team of, leaders reassign, notes are their author's, the
team is the owner's to set, and a CSM may be limited to reading their own book."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from app.accounts.access import KEY_OWNS_NOTHING, LEADS_REASSIGN, NOT_YOURS
from app.accounts.models import AccountTeamMember
from app.alerts.models import Alert
from app.auth import service as auth_service
from app.core.config import get_settings
from app.core.enums import Role
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.tasks.models import Task
from tests.factories import make_account, make_user


async def signed_in(session, role: Role = Role.csm, **overrides):
    """A user with ``role`` and the headers of a session of theirs."""
    user = await make_user(session, role=role, **overrides)
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return user, {"Authorization": f"Bearer {token}"}


async def api_key(session, role: Role):
    _, key = await auth_service.create_api_key(session, name=f"{role.value} script", role=role)
    return {"Authorization": f"Bearer {key}"}


async def on_team(session, account, user):
    session.add(AccountTeamMember(account_id=account.id, user_id=user.id, role="Second CSM"))
    await session.flush()


async def alert_on(session, account):
    alert = Alert(
        account_id=account.id,
        rule="critical_ticket",
        severity="high",
        dedupe_key=f"t:{uuid.uuid4()}",
        title="A P1 ticket is open",
        opened_at=datetime.now(UTC),
    )
    session.add(alert)
    await session.flush()
    return alert


@pytest.fixture
async def book(session):
    """Casey (a CSM) owns Acme, is on Bravo's team; Sam owns Bravo and Charlie."""
    casey, casey_headers = await signed_in(session, email="casey@example.com", name="Casey")
    sam = await make_user(session, role=Role.csm, email="sam@example.com", name="Sam")
    acme = await make_account(session, name="Acme", owner_id=casey.id)
    bravo = await make_account(session, name="Bravo", owner_id=sam.id)
    charlie = await make_account(session, name="Charlie", owner_id=sam.id)
    await on_team(session, bravo, casey)
    return {"casey": casey, "headers": casey_headers, "sam": sam, "acme": acme, "bravo": bravo, "charlie": charlie}


async def test_a_csm_resolves_alerts_on_accounts_they_work_on_only(client, session, book):
    url = "/api/v1/alerts/{}/resolve"
    theirs = await alert_on(session, book["charlie"])
    r = await client.post(url.format(theirs.id), json={"reason": "called them"}, headers=book["headers"])
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == NOT_YOURS
    for account in (book["acme"], book["bravo"]):  # owned; on the team
        mine = await alert_on(session, account)
        r = await client.post(url.format(mine.id), json={"reason": "called them"}, headers=book["headers"])
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "resolved"
    # ack and snooze follow the same rule
    assert (await client.post(f"/api/v1/alerts/{theirs.id}/ack", headers=book["headers"])).status_code == 403
    until = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    snooze = await client.post(f"/api/v1/alerts/{theirs.id}/snooze", json={"until": until}, headers=book["headers"])
    assert snooze.status_code == 403
    # an alert about a data source belongs to no account: leaders and admins act on it
    stale = Alert(
        rule="data_stale", severity="medium", dedupe_key="t:stale", title="Stale", opened_at=datetime.now(UTC)
    )
    session.add(stale)
    await session.flush()
    assert (await client.post(f"/api/v1/alerts/{stale.id}/ack", headers=book["headers"])).status_code == 403
    _, lead = await signed_in(session, Role.leader)
    assert (await client.post(f"/api/v1/alerts/{stale.id}/ack", headers=lead)).status_code == 200
    assert (await client.post(url.format(theirs.id), json={}, headers=lead)).status_code == 200


async def test_only_leads_reassign_accounts(client, session, book):
    other = {"owner_id": str(book["casey"].id)}
    r = await client.patch(f"/api/v1/accounts/{book['charlie'].id}", json=other, headers=book["headers"])
    assert (r.status_code, r.json()["detail"]) == (403, NOT_YOURS)
    # not even their own account: handing it over is a leader's call
    away = {"owner_id": str(book["sam"].id)}
    r = await client.patch(f"/api/v1/accounts/{book['acme'].id}", json=away, headers=book["headers"])
    assert (r.status_code, r.json()["detail"]) == (403, LEADS_REASSIGN)
    # ...while the rest of the row is theirs to change, and naming the same owner is no reassignment
    same = {"flag": "red", "tags": ["exec"], "owner_id": str(book["casey"].id)}
    r = await client.patch(f"/api/v1/accounts/{book['acme'].id}", json=same, headers=book["headers"])
    assert r.status_code == 200 and r.json()["flag"] == "red"
    r = await client.patch(f"/api/v1/accounts/{book['bravo'].id}", json={"flag": "yellow"}, headers=book["headers"])
    assert r.status_code == 200  # the team's
    _, lead = await signed_in(session, Role.leader)
    r = await client.patch(f"/api/v1/accounts/{book['charlie'].id}", json=other, headers=lead)
    assert r.status_code == 200 and r.json()["owner"]["email"] == "casey@example.com"


async def test_forecasts_are_the_account_teams(client, session, book):
    today = scoring.today()
    theirs = Renewal(account_id=book["charlie"].id, renewal_date=today + timedelta(days=30))
    mine = Renewal(account_id=book["acme"].id, renewal_date=today + timedelta(days=30))
    session.add_all([theirs, mine])
    await session.flush()
    r = await client.patch(f"/api/v1/renewals/{theirs.id}", json={"forecast": "commit"}, headers=book["headers"])
    assert (r.status_code, r.json()["detail"]) == (403, NOT_YOURS)
    r = await client.patch(f"/api/v1/renewals/{mine.id}", json={"forecast": "commit"}, headers=book["headers"])
    assert r.status_code == 200 and r.json()["forecast"] == "commit"


async def test_a_note_is_its_authors_user_or_key(client, session, book):
    account = book["charlie"]
    url = f"/api/v1/accounts/{account.id}/notes"
    writer, other_key = await api_key(session, Role.leader), await api_key(session, Role.leader)
    note = await client.post(url, json={"body": "Renewal call booked"}, headers=writer)
    assert note.status_code == 201, note.text
    note_id = note.json()["id"]
    key_id = await session.scalar(text("SELECT author_key_id FROM note WHERE id = :id"), {"id": note_id})
    assert key_id is not None
    r = await client.delete(f"{url}/{note_id}", headers=other_key)
    assert (r.status_code, r.json()["detail"]) == (403, "Only the author deletes a note")
    _, lead = await signed_in(session, Role.leader)  # a leader is not the author either
    assert (await client.delete(f"{url}/{note_id}", headers=lead)).status_code == 403
    assert (await client.delete(f"{url}/{note_id}", headers=writer)).status_code == 204
    # an admin deletes anyone's
    again = (await client.post(url, json={"body": "Champion left"}, headers=writer)).json()["id"]
    assert (await client.delete(f"{url}/{again}", headers=await api_key(session, Role.admin))).status_code == 204
    # a user's note: another CSM on the account is not its author
    mine = await client.post(f"/api/v1/accounts/{book['bravo'].id}/notes", json={"body": "x"}, headers=book["headers"])
    assert mine.status_code == 201
    _, sam = await signed_in(session, email="sam2@example.com")
    await on_team(session, book["bravo"], await _user(session, "sam2@example.com"))
    path = f"/api/v1/accounts/{book['bravo'].id}/notes/{mine.json()['id']}"
    assert (await client.delete(path, headers=sam)).status_code == 403
    assert (await client.delete(path, headers=book["headers"])).status_code == 204


async def _user(session, email):
    from app.auth.repository import user_by_email

    return await user_by_email(session, email)


async def test_a_csm_key_changes_no_account(client, session, book):
    key = await api_key(session, Role.csm)
    r = await client.post(f"/api/v1/accounts/{book['acme'].id}/notes", json={"body": "x"}, headers=key)
    assert (r.status_code, r.json()["detail"]) == (403, KEY_OWNS_NOTHING)
    r = await client.post("/api/v1/tasks", json={"account_id": str(book["acme"].id), "title": "x"}, headers=key)
    assert r.status_code == 403
    assert (await client.get("/api/v1/accounts", headers=key)).json()["total"] == 3  # reading is open


async def test_tasks_follow_the_account_and_their_assignee(client, session, book):
    body = {"account_id": str(book["charlie"].id), "title": "Call"}
    assert (await client.post("/api/v1/tasks", json=body, headers=book["headers"])).status_code == 403
    body["account_id"] = str(book["bravo"].id)
    assert (await client.post("/api/v1/tasks", json=body, headers=book["headers"])).status_code == 201
    theirs = Task(account_id=book["charlie"].id, title="Theirs")
    handed = Task(account_id=book["charlie"].id, title="Handed to Casey", assignee_id=book["casey"].id)
    session.add_all([theirs, handed])
    await session.flush()
    done = {"status": "done"}
    assert (await client.patch(f"/api/v1/tasks/{theirs.id}", json=done, headers=book["headers"])).status_code == 403
    assert (await client.patch(f"/api/v1/tasks/{handed.id}", json=done, headers=book["headers"])).status_code == 200


async def test_the_team_is_set_by_its_owner_or_a_lead(client, session, book):
    url = "/api/v1/accounts/{}/team"
    newcomer = await make_user(session, role=Role.csm, email="nia@example.com", name="Nia")
    members = {"members": [{"user_id": str(newcomer.id), "role": "Solutions engineer"}]}
    # on Bravo's team, not its owner; and Charlie is not theirs at all
    for account in (book["bravo"], book["charlie"]):
        r = await client.put(url.format(account.id), json=members, headers=book["headers"])
        assert r.status_code == 403, r.text
    listed = (await client.get(url.format(book["bravo"].id), headers=book["headers"])).json()
    assert [(m["email"], m["role"], m["user_role"]) for m in listed] == [("casey@example.com", "Second CSM", "csm")]

    r = await client.put(url.format(book["acme"].id), json=members, headers=book["headers"])  # the owner
    assert r.status_code == 200, r.text
    assert [(m["email"], m["role"]) for m in r.json()] == [("nia@example.com", "Solutions engineer")]
    audit = await session.scalar(
        text("SELECT detail FROM audit_log WHERE action = 'account.team.set' AND entity_id = :id"),
        {"id": str(book["acme"].id)},
    )
    assert audit == {"before": [], "after": [str(newcomer.id)]}
    # the newcomer now changes Acme
    nia_token, _, _ = await auth_service.login(session, "nia@example.com", "correct-horse")
    await session.flush()
    nia = {"Authorization": f"Bearer {nia_token}"}
    assert (
        await client.post(f"/api/v1/accounts/{book['acme'].id}/notes", json={"body": "hi"}, headers=nia)
    ).status_code == 201

    bad = await client.put(
        url.format(book["acme"].id),
        json={
            "members": [{"user_id": str(uuid.uuid4())}, {"user_id": str(newcomer.id)}, {"user_id": str(newcomer.id)}]
        },
        headers=book["headers"],
    )
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["errors"]] == [
        ["body", "members", 0, "user_id"],
        ["body", "members", 2, "user_id"],
    ]
    _, lead = await signed_in(session, Role.leader)
    r = await client.put(url.format(book["charlie"].id), json={"members": []}, headers=lead)
    assert r.status_code == 200 and r.json() == []
    r = await client.put(url.format(book["acme"].id), json={"members": []}, headers=lead)
    assert r.status_code == 200 and r.json() == []
    viewer = (await signed_in(session, Role.viewer))[1]
    assert (await client.put(url.format(book["acme"].id), json={"members": []}, headers=viewer)).status_code == 403
    assert (await client.put(url.format(uuid.uuid4()), json={"members": []}, headers=lead)).status_code == 404


async def test_a_csm_may_be_limited_to_their_own_book(client, session, book, monkeypatch):
    monkeypatch.setattr(get_settings(), "csm_read_whole_book", False)
    casey = book["headers"]
    await alert_on(session, book["charlie"])
    await alert_on(session, book["acme"])
    listed = (await client.get("/api/v1/accounts", params={"sort": "name"}, headers=casey)).json()
    assert [i["name"] for i in listed["items"]] == ["Acme", "Bravo"] and listed["total"] == 2
    export = await client.get("/api/v1/accounts/export", params={"sort": "name"}, headers=casey)
    assert [row["Account"] for row in csv.DictReader(io.StringIO(export.text))] == ["Acme", "Bravo"]
    # another CSM's account is answered as if it did not exist (404 tells nothing away)
    charlie = book["charlie"].id
    for path in (
        f"/api/v1/accounts/{charlie}",
        f"/api/v1/accounts/{charlie}/health",
        f"/api/v1/accounts/{charlie}/team",
    ):
        r = await client.get(path, headers=casey)
        assert r.status_code == 404, (path, r.text)
    assert (await client.get(f"/api/v1/accounts/{book['bravo'].id}", headers=casey)).status_code == 200
    # and so are writes to it
    r = await client.patch(f"/api/v1/accounts/{charlie}", json={"flag": "red"}, headers=casey)
    assert r.status_code == 404
    alerts = (await client.get("/api/v1/alerts", headers=casey)).json()
    assert [i["account_name"] for i in alerts["items"]] == ["Acme"]
    queue = (await client.get("/api/v1/queue", params={"scope": "all"}, headers=casey)).json()
    assert [i["account"]["name"] for i in queue["items"]] == ["Acme"]
    today = scoring.today()
    session.add_all(
        [Renewal(account_id=a.id, renewal_date=today + timedelta(days=30)) for a in (book["bravo"], book["charlie"])]
    )
    session.add_all([Task(account_id=a.id, title=f"Call {a.name}") for a in (book["acme"], book["charlie"])])
    await session.flush()
    renewals = (await client.get("/api/v1/renewals", params={"status": "all"}, headers=casey)).json()
    assert [i["account_name"] for i in renewals["items"]] == ["Bravo"]
    tasks = (await client.get("/api/v1/tasks", headers=casey)).json()
    assert [t["account_name"] for t in tasks] == ["Acme"]
    assert (await client.get("/api/v1/tasks", params={"account_id": str(charlie)}, headers=casey)).status_code == 404
    graph = await client.post(
        "/graphql",
        json={"query": '{ accounts(first: 50, sort: "name") { totalCount edges { node { name } } } }'},
        headers=casey,
    )
    assert graph.json()["data"]["accounts"] == {
        "totalCount": 2,
        "edges": [{"node": {"name": "Acme"}}, {"node": {"name": "Bravo"}}],
    }
    hidden = await client.post("/graphql", json={"query": f'{{ account(id: "{charlie}") {{ name }} }}'}, headers=casey)
    assert hidden.json()["data"] is None and hidden.json()["errors"]
    # a csm key owns nothing: it reads nothing; leaders and other roles read everything
    key = await api_key(session, Role.csm)
    assert (await client.get("/api/v1/accounts", headers=key)).json()["total"] == 0
    for role in (Role.leader, Role.viewer, Role.product):
        _, headers = await signed_in(session, role)
        assert (await client.get("/api/v1/accounts", headers=headers)).json()["total"] == 3
        assert (await client.get(f"/api/v1/accounts/{charlie}", headers=headers)).status_code == 200


async def test_a_play_is_started_for_an_alert_of_its_own_account_only(client, session, book):
    """An alert of Charlie's named when starting a play on Acme would tie Sam's alert to
    Casey's play (and resolve it with the play)."""
    library = (await client.get("/api/v1/playbooks", headers=book["headers"])).json()
    playbook_id = library[0]["id"]
    theirs = await alert_on(session, book["charlie"])
    mine = await alert_on(session, book["acme"])
    url = f"/api/v1/playbooks/{playbook_id}/runs"
    body = {"account_id": str(book["acme"].id), "alert_id": str(theirs.id)}
    r = await client.post(url, json=body, headers=book["headers"])
    assert r.status_code == 422, r.text
    assert r.json()["errors"] == [
        {"loc": ["body", "alert_id"], "msg": "not an alert of this account", "type": "value_error"}
    ]
    body["alert_id"] = str(uuid.uuid4())
    assert (await client.post(url, json=body, headers=book["headers"])).status_code == 422
    body["alert_id"] = str(mine.id)
    r = await client.post(url, json=body, headers=book["headers"])
    assert r.status_code == 201, r.text
    assert r.json()["alert_id"] == str(mine.id)
