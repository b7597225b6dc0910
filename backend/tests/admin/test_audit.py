"""The audit log read back: filters, labels, paging by cursor, facets; and ingest and imports
writing one entry per request (never one per item)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from app.audit.models import AuditLog
from app.audit.service import record
from app.auth import service as auth_service
from app.core.enums import Role
from tests.factories import bearer, make_account, make_user

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def clear_log(session):
    """The log starts empty for the test (its transaction is rolled back after)."""
    await session.execute(text("DELETE FROM audit_log"))


async def entry(session, at: datetime, actor: str, action: str, entity: str = "thing", entity_id=None, **detail):
    row = AuditLog(at=at, actor=actor, action=action, entity=entity, entity_id=entity_id, detail=detail or None)
    session.add(row)
    await session.flush()
    return row


async def test_filters_labels_and_pages(client, session):
    await clear_log(session)
    olive = await make_user(session, role=Role.admin, email="olive@example.com")
    key, _ = await auth_service.create_api_key(session, name="warehouse", role=Role.admin)
    headers = await bearer(session, Role.admin)  # its sign-in writes an entry now (after T0 + 1 day)
    await entry(session, T0, f"user:{olive.id}", "user.update", "user", "u-1", role="csm")
    await entry(session, T0 + timedelta(minutes=1), f"api_key:{key.id}", "ingest.events", "data_source", "events")
    await entry(session, T0 + timedelta(minutes=2), "system", "ingest.tickets", "data_source", "tickets")
    await entry(session, T0 + timedelta(minutes=2), "cli", "api_key.create", "api_key", "k-1")
    await entry(session, T0 + timedelta(minutes=3), "user:00000000-0000-4000-8000-000000000000", "user.delete")

    def get(**params):
        return client.get("/api/v1/audit", params={"until": "2026-11-03T00:00:00Z", **params}, headers=headers)

    everything = (await get()).json()
    assert [(e["actor_label"], e["action"]) for e in everything["items"]] == [
        ("user:00000000-0000-4000-8000-000000000000", "user.delete"),  # nobody by that id: the actor itself
        ("cli", "api_key.create"),  # same time as the next: the later id first
        ("system", "ingest.tickets"),
        ("warehouse", "ingest.events"),
        ("olive@example.com", "user.update"),
    ]
    assert everything["next_cursor"] is None
    first = everything["items"][-1]
    assert (first["entity"], first["entity_id"], first["detail"], first["ip"]) == ("user", "u-1", {"role": "csm"}, None)

    ingest = (await get(action="ingest.")).json()["items"]
    assert [e["entity_id"] for e in ingest] == ["tickets", "events"]
    assert [e["action"] for e in (await get(action="ingest_")).json()["items"]] == []  # _ is no wildcard
    by_email = (await get(actor="OLIVE@example.com")).json()["items"]
    assert [e["action"] for e in by_email] == ["user.update"]
    assert (await get(actor="nobody@example.com")).json() == {"items": [], "next_cursor": None}
    assert [e["action"] for e in (await get(actor="cli")).json()["items"]] == ["api_key.create"]
    assert [e["action"] for e in (await get(entity="data_source", entity_id="events")).json()["items"]] == [
        "ingest.events"
    ]
    window = (await get(since="2026-11-02T09:01:00", until="2026-11-02T09:02:00Z")).json()["items"]
    assert [e["action"] for e in window] == ["ingest.events"]  # since inclusive (no zone: UTC), until exclusive

    # two at a time: the cursor picks up after the last one, also between equal times
    seen, cursor, pages = [], None, 0
    while True:
        page = (await get(limit=2, **({"cursor": cursor} if cursor else {}))).json()
        seen += [e["action"] for e in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["action"] for e in everything["items"]] and pages == 3

    facets = (await client.get("/api/v1/audit/facets", headers=headers)).json()
    assert facets["entities"] == ["api_key", "data_source", "thing", "user", "user_session"]
    assert facets["actions"] == [
        "api_key.create",
        "ingest.events",
        "ingest.tickets",
        "session.create",
        "user.create",
        "user.delete",
        "user.update",
    ]


async def test_bad_filters_are_named(client, session):
    headers = await bearer(session, Role.admin)
    bad_cursor = await client.get("/api/v1/audit", params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["errors"][0]["loc"] == ["query", "cursor"]
    backwards = await client.get(
        "/api/v1/audit", params={"since": "2026-11-02T00:00:00Z", "until": "2026-11-01T00:00:00Z"}, headers=headers
    )
    assert (backwards.status_code, backwards.json()["errors"][0]["loc"]) == (422, ["query", "until"])
    for params in ({"limit": 0}, {"limit": 501}, {"since": "0001-01-01T00:00:00Z"}, {"action": "x" * 101}):
        assert (await client.get("/api/v1/audit", params=params, headers=headers)).status_code == 422
    viewer = await bearer(session, Role.leader)
    assert (await client.get("/api/v1/audit", headers=viewer)).status_code == 403


async def test_an_ingest_call_is_one_entry_with_its_counts(client, session):
    await make_account(session, external_id="acct-audit")
    key, secret = await auth_service.create_api_key(session, name="pipeline", role=None, scopes=["ingest"])
    await session.flush()
    now = datetime.now(UTC) - timedelta(hours=1)
    items = [
        {"id": "a1", "account": "acct-audit", "event": "report.viewed", "timestamp": now.isoformat()},
        {"id": "a1", "account": "acct-audit", "event": "report.viewed", "timestamp": now.isoformat()},
        {"id": "a2", "account": "acct-audit", "event": "report.viewed", "timestamp": "not a time"},
        {"id": "a3", "account": "acct-unknown", "event": "report.viewed", "timestamp": now.isoformat()},
        {"id": "a4", "account": "acct-audit", "event": "export.done", "timestamp": now.isoformat()},
    ]
    sent = await client.post(
        "/api/v1/ingest/events",
        params={"source": "warehouse"},
        json={"items": items},
        headers={"Authorization": f"Bearer {secret}", "X-Forwarded-For": "203.0.113.9"},
    )
    assert sent.status_code == 200, sent.text
    rows = (await session.execute(select(AuditLog).where(AuditLog.action.like("ingest.%")))).scalars().all()
    assert [(r.actor, r.action, r.entity, r.entity_id, r.detail) for r in rows] == [
        (
            f"api_key:{key.id}",
            "ingest.events",
            "data_source",
            "warehouse",
            {"items": 5, "accepted": 2, "updated": 0, "duplicates": 1, "unmatched": 1, "rejected": 1},
        )
    ]


async def test_an_import_is_one_entry_and_a_dry_run_none(client, session):
    await clear_log(session)
    headers = await bearer(session, Role.admin)
    content = b"external_id,name\nim-1,One\nim-2,Two\nim-2,Two again\nim-3,\n"

    async def run(**form):
        data = {k: str(v).lower() for k, v in form.items()}
        return await client.post(
            "/api/v1/import/accounts", files={"file": ("crm.csv", content, "text/csv")}, data=data, headers=headers
        )

    assert (await run(dry_run=True)).status_code == 200
    done = await run()
    assert done.status_code == 200, done.text
    rows = (await session.execute(select(AuditLog).where(AuditLog.action.like("import.%")))).scalars().all()
    assert len(rows) == 1
    report = done.json()
    assert (rows[0].action, rows[0].entity, rows[0].entity_id) == ("import.accounts", "data_source", "import:accounts")
    assert rows[0].detail == {
        "file": "crm.csv",
        "preset": None,
        "rows": 4,
        "accepted": report["accepted"],
        "updated": report["updated"],
        "duplicates": report["duplicates"],
        "unmatched": 0,
        "rejected": 1,
        "accounts_created": 0,
    }
    assert (report["accepted"], len(report["rejected"])) == (2, 1)


async def test_a_streamed_import_is_one_entry_too(client, session, monkeypatch):
    from app.imports import service

    monkeypatch.setattr(service, "CHUNK_ROWS", 2)
    await clear_log(session)
    headers = await bearer(session, Role.admin)
    content = b"external_id,name\n" + b"".join(f"st-{i},Stream {i}\n".encode() for i in range(5))
    r = await client.post(
        "/api/v1/import/accounts",
        files={"file": ("s.csv", content, "text/csv")},
        headers={**headers, "Accept": "application/x-ndjson"},
    )
    assert json.loads(r.text.splitlines()[-1])["type"] == "result"
    rows = (await session.execute(select(AuditLog).where(AuditLog.action == "import.accounts"))).scalars().all()
    assert [(r.detail["rows"], r.detail["accepted"]) for r in rows] == [(5, 5)]


async def test_record_is_still_the_one_way_to_write(session):
    record(session, "system", "thing.touch", "thing", 7, {"n": 1})
    await session.flush()
    row = (await session.execute(select(AuditLog).where(AuditLog.action == "thing.touch"))).scalar_one()
    assert (row.entity_id, row.detail) == ("7", {"n": 1})
