"""Mutations: each calls the service its REST route calls, so ``access`` decides as for REST
(a CSM changes the accounts they work on, FORBIDDEN elsewhere), and answers the object as it
is now."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.accounts.access import NOT_YOURS
from app.alerts.rules import AlertThresholds
from app.auth import service as auth_service
from app.core.enums import Role
from app.flows.after_signals import fold_ingest_log
from app.playbooks import service as playbooks
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.scoring.models import RescoreRequest
from app.touchpoints.models import Touchpoint
from tests.factories import make_account, make_user
from tests.graphql.book import busy_account


async def signed_in(session, role: Role = Role.csm, **overrides):
    user = await make_user(session, role=role, **overrides)
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return user, {"Authorization": f"Bearer {token}"}


ALERT = "id status acknowledgedAt resolvedAt resolvedReason snoozedUntil"


async def alert_id_of(graphql, headers, account_id) -> str:
    body = await graphql("query($id: UUID!) { account(id: $id) { openAlerts { id } } }", headers, id=str(account_id))
    return str(body["data"]["account"]["openAlerts"][0]["id"])


async def test_a_csm_acknowledges_then_resolves_an_alert_of_their_account(graphql, session):
    casey, headers = await signed_in(session)
    account = await busy_account(session, 1, owner_id=casey.id)
    alert = await alert_id_of(graphql, headers, account.id)
    ack = await graphql(f"mutation($id: UUID!) {{ acknowledgeAlert(id: $id) {{ {ALERT} }} }}", headers, id=alert)
    acked = ack["data"]["acknowledgeAlert"]
    assert (acked["id"], acked["status"], acked["resolvedAt"]) == (alert, "acknowledged", None)
    assert acked["acknowledgedAt"] is not None
    done = await graphql(
        f'mutation($id: UUID!) {{ resolveAlert(id: $id, reason: "called them") {{ {ALERT} }} }}', headers, id=alert
    )
    resolved = done["data"]["resolveAlert"]
    assert (resolved["status"], resolved["resolvedReason"]) == ("resolved", "called them")
    # gone from the account's open alerts; a second resolve is a conflict
    body = await graphql("query($id: UUID!) { account(id: $id) { openAlerts { id } } }", headers, id=str(account.id))
    assert body["data"]["account"]["openAlerts"] == []
    again = await graphql("mutation($id: UUID!) { resolveAlert(id: $id) { id } }", headers, id=alert)
    assert [e["extensions"]["code"] for e in again["errors"]] == ["CONFLICT"]


async def test_a_csm_without_write_access_is_refused_and_nothing_changes(graphql, session):
    sam = await make_user(session, role=Role.csm)
    account = await busy_account(session, 2, owner_id=sam.id)
    _, casey = await signed_in(session)  # reads the whole book, owns none of it
    alert = await alert_id_of(graphql, casey, account.id)
    body = await graphql("mutation($id: UUID!) { acknowledgeAlert(id: $id) { status } }", casey, id=alert)
    assert body["data"] is None
    assert [(e["message"], e["extensions"]["code"], e["path"]) for e in body["errors"]] == [
        (NOT_YOURS, "FORBIDDEN", ["acknowledgeAlert"])
    ]
    note = await graphql(
        'mutation($id: UUID!) { addNote(accountId: $id, body: "mine now") { id } }', casey, id=str(account.id)
    )
    assert note["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    _, sams = await signed_in(session, Role.leader)
    after = await graphql(
        "query($id: UUID!) { account(id: $id) { openAlerts { status } notes { body } } }", sams, id=str(account.id)
    )
    assert after["data"]["account"] == {"openAlerts": [{"status": "open"}], "notes": [{"body": "Exec sponsor changed"}]}


async def test_roles_that_change_nothing_are_refused_by_the_permission_class(graphql, session):
    account = await busy_account(session, 3)
    for role in (Role.viewer, Role.product):
        _, headers = await signed_in(session, role)
        body = await graphql(
            'mutation($id: UUID!) { addNote(accountId: $id, body: "hello") { id } }', headers, id=str(account.id)
        )
        assert body["errors"][0]["message"] == "Your role may not change accounts"
        assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


async def test_snooze_refuses_a_time_in_the_past(graphql, session):
    _, headers = await signed_in(session, Role.leader)
    account = await busy_account(session, 4)
    alert = await alert_id_of(graphql, headers, account.id)
    query = "mutation($id: UUID!, $until: DateTime!) { snoozeAlert(id: $id, until: $until) { status snoozedUntil } }"
    past = await graphql(query, headers, id=alert, until="2020-01-01T00:00:00Z")
    assert past["errors"][0]["message"] == "until must be in the future and at most a year ahead"
    assert past["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    body = await graphql(query, headers, id=alert, until=until.isoformat())
    assert body["data"]["snoozeAlert"]["status"] == "snoozed"
    assert datetime.fromisoformat(body["data"]["snoozeAlert"]["snoozedUntil"]) == until
    # without a time: the rule's snooze days from the active config
    rule = (await session.execute(text("SELECT rule FROM alert WHERE id = :id"), {"id": alert})).scalar_one()
    days = AlertThresholds().snooze_for(rule)
    before = datetime.now(UTC)
    default = await graphql("mutation($id: UUID!) { snoozeAlert(id: $id) { snoozedUntil } }", headers, id=alert)
    got = datetime.fromisoformat(default["data"]["snoozeAlert"]["snoozedUntil"])
    assert before + timedelta(days=days) <= got <= datetime.now(UTC) + timedelta(days=days)


async def test_a_forecast_is_set_and_notes_kept_unless_given(graphql, session):
    casey, headers = await signed_in(session)
    account = await make_account(session, owner_id=casey.id)
    renewal = Renewal(
        account_id=account.id, renewal_date=scoring.today() + timedelta(days=30), owner_notes="Budget cut"
    )
    session.add(renewal)
    await session.flush()
    query = """mutation($id: UUID!, $f: Forecast) {
      setRenewalForecast(id: $id, forecast: $f) { id forecast ownerNotes daysToRenewal }
    }"""
    body = await graphql(query, headers, id=str(renewal.id), f="risk")
    assert body["data"]["setRenewalForecast"] == {
        "id": str(renewal.id),
        "forecast": "risk",
        "ownerNotes": "Budget cut",
        "daysToRenewal": 30,
    }
    cleared = await graphql(
        'mutation($id: UUID!) { setRenewalForecast(id: $id, forecast: null, ownerNotes: "") { forecast ownerNotes } }',
        headers,
        id=str(renewal.id),
    )
    assert cleared["data"]["setRenewalForecast"] == {"forecast": None, "ownerNotes": ""}


async def test_add_note_answers_the_note_with_its_author(graphql, session):
    casey, headers = await signed_in(session, name="Casey")
    account = await make_account(session, owner_id=casey.id)
    query = "mutation($id: UUID!, $body: String!) { addNote(accountId: $id, body: $body) { body author authorId } }"
    body = await graphql(query, headers, id=str(account.id), body="  Exec sponsor changed  ")
    assert body["data"]["addNote"] == {"body": "Exec sponsor changed", "author": "Casey", "authorId": str(casey.id)}
    empty = await graphql(query, headers, id=str(account.id), body="   ")
    assert empty["errors"][0]["message"] == "body: String should have at least 1 character"
    assert empty["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_logged_touch_goes_through_ingest_and_asks_for_a_rescore(graphql, session):
    casey, headers = await signed_in(session, email="casey@example.com")
    account = await make_account(session, owner_id=casey.id)
    occurred = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    query = """mutation($id: UUID!, $at: DateTime) {
      logTouch(accountId: $id, kind: qbr, occurredAt: $at, sentiment: positive, summary: "QBR: renewal on track") {
        accountId sourceId kind occurredAt sentiment summary csmId csmEmail
      }
    }"""
    body = await graphql(query, headers, id=str(account.id), at=occurred.isoformat())
    touch = body["data"]["logTouch"]
    assert touch.pop("sourceId").startswith("tempo:")
    assert touch == {
        "accountId": str(account.id),
        "kind": "qbr",
        "occurredAt": occurred.isoformat(),
        "sentiment": "positive",
        "summary": "QBR: renewal on track",
        "csmId": str(casey.id),
        "csmEmail": "casey@example.com",
    }
    assert (await session.execute(select(Touchpoint).where(Touchpoint.account_id == account.id))).scalar_one()
    await fold_ingest_log(session)  # what the debounced rescore job does first
    request = (
        await session.execute(select(RescoreRequest).where(RescoreRequest.account_id == account.id))
    ).scalar_one()
    assert (request.since, request.priority) == (occurred.date(), 0)  # a touch is urgent, like an ingested one
    ahead = await graphql(query, headers, id=str(account.id), at=(datetime.now(UTC) + timedelta(days=1)).isoformat())
    assert ahead["errors"][0]["message"] == "occurredAt: must not be in the future: log a touch once it happened"
    assert ahead["errors"][0]["extensions"]["errors"][0]["loc"] == ["input", "occurredAt"]


async def test_a_play_is_started_and_its_task_completed(graphql, session):
    casey, headers = await signed_in(session)
    account = await make_account(session, owner_id=casey.id)
    playbook = next(p for p in await playbooks.list_playbooks(session) if p.steps)
    start = """mutation($p: UUID!, $a: UUID!) {
      startPlaybook(playbookId: $p, accountId: $a) { playbookId accountId status tasks { id title status } }
    }"""
    body = await graphql(start, headers, p=str(playbook.id), a=str(account.id))
    run = body["data"]["startPlaybook"]
    assert (run["playbookId"], run["accountId"], run["status"]) == (str(playbook.id), str(account.id), "active")
    assert len(run["tasks"]) == len(playbook.steps) and {t["status"] for t in run["tasks"]} == {"open"}
    twice = await graphql(start, headers, p=str(playbook.id), a=str(account.id))
    assert twice["errors"][0]["extensions"]["code"] == "CONFLICT"
    task = run["tasks"][0]["id"]
    done = await graphql("mutation($id: UUID!) { completeTask(id: $id) { id status completedAt } }", headers, id=task)
    assert done["data"]["completeTask"]["status"] == "done" and done["data"]["completeTask"]["completedAt"]
    missing = await graphql("mutation($id: UUID!) { completeTask(id: $id) { id } }", headers, id=str(uuid.uuid4()))
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
