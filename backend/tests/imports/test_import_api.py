from __future__ import annotations

import io
import json
from datetime import date, datetime

from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.models import Account
from app.core.enums import Role
from app.support.models import Ticket
from tests.factories import bearer


async def post(client, headers, kind, name, content: bytes, **form):
    data = {
        k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v)
        for k, v in form.items()
    }
    return await client.post(
        f"/api/v1/import/{kind}", files={"file": (name, content, "text/csv")}, data=data, headers=headers
    )


MESSY = (
    "\ufeffCompany ID;Company;Signed up;Seats\r\n"
    "c-1;Acme;03/04/2024;1,200\r\n"
    "\r\n"
    "c-2;Bravo;31/12/2024;5\r\n"
    "c-3;;2024-01-05;7\r\n"
).encode()


async def test_messy_csv_with_mapping_reports_row_numbers(client, session):
    h = await bearer(session, Role.admin)
    mapping = {"external_id": "Company ID", "name": "Company", "signup_date": "Signed up", "seats_purchased": "Seats"}
    r = await post(client, h, "accounts", "export.csv", MESSY, mapping=mapping)
    assert r.status_code == 200, r.text
    body = r.json()
    # Row 3 is a blank line (skipped, listed); numbers follow the file. Row 4 has a day-first
    # date the US reading cannot parse: an optional field, so the row is kept without it and
    # the report warns. Row 5 has no name (required): rejected.
    assert (body["rows"], body["accepted"], body["skipped"]) == (3, 2, 1)
    assert body["skipped_rows"] == [{"row": 3, "reason": "blank line"}]
    assert [(x["row"], x["id"], x["errors"][0]["loc"]) for x in body["rejected"]] == [(5, "c-3", ["name"])]
    assert [(w["row"], w["id"], w["field"]) for w in body["warnings"]] == [(4, "c-2", "signup_date")]
    assert body["warnings"][0]["message"] == (
        'signup_date: "31/12/2024" (column "Signed up") left out: Input should be a valid date or datetime, '
        "invalid character in year; read month first; set day_first for day-first dates"
    )
    acme = (await session.execute(select(Account).where(Account.external_id == "c-1"))).scalar_one()
    assert (acme.signup_date, acme.seats_purchased) == (date(2024, 3, 4), 1200)

    day_first = await post(client, h, "accounts", "export.csv", MESSY, mapping=mapping, day_first=True)
    # c-1 re-read as 3 April, c-2 now with its date
    assert (day_first.json()["accepted"], day_first.json()["updated"], day_first.json()["warnings"]) == (0, 2, [])


async def test_xlsx_with_real_date_cells(client, session):
    wb = Workbook()
    ws = wb.active
    ws.append(["account_id", "account_name", "renewal"])
    ws.append(["x-1", "Excel Co", datetime(2027, 5, 31)])
    ws.append(["x-2", "Sheet Ltd", date(2027, 6, 30)])
    buf = io.BytesIO()
    wb.save(buf)
    h = await bearer(session, Role.admin)
    r = await post(
        client,
        h,
        "accounts",
        "book.xlsx",
        buf.getvalue(),
        mapping={"external_id": "account_id", "name": "account_name", "renewal_date": "renewal"},
    )
    assert r.json()["accepted"] == 2, r.text
    renewals = dict((await session.execute(select(Account.external_id, Account.renewal_date))).all())
    assert renewals == {"x-1": date(2027, 5, 31), "x-2": date(2027, 6, 30)}


async def test_mapping_problems_are_422_with_paths(client, session):
    h = await bearer(session, Role.admin)
    csv_bytes = b"id,name\n1,A\n"
    r = await post(client, h, "accounts", "a.csv", csv_bytes, mapping={"external_id": "id", "nme": "name"})
    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["errors"]]
    assert locs == [["mapping", "nme"], ["mapping", "name"]]
    missing_col = await post(client, h, "accounts", "a.csv", csv_bytes, mapping={"external_id": "id", "name": "title"})
    assert missing_col.json()["errors"][0]["msg"] == "column 'title' is not in the file"
    wrong_preset = await post(client, h, "accounts", "a.csv", csv_bytes, preset="mrr-playbook")
    assert wrong_preset.status_code == 422
    assert wrong_preset.json()["detail"] == "preset: 'mrr-playbook' imports subscriptions, not accounts"
    empty = await post(client, h, "accounts", "a.csv", b"")
    assert empty.status_code == 422 and empty.json()["detail"] == "file: the file is empty"


async def test_preview_suggests_a_mapping(client, session):
    h = await bearer(session, Role.admin)
    content = b"ticket_id,account_id,submitted_at,priority,closed_at\nT1,A1,2024-01-01,high,\n"
    r = await client.post("/api/v1/import/tickets/preview", files={"file": ("t.csv", content, "text/csv")}, headers=h)
    body = r.json()
    assert body["columns"] == ["ticket_id", "account_id", "submitted_at", "priority", "closed_at"]
    assert body["rows"] == 1
    assert body["suggested_mapping"] == {
        "id": "ticket_id",
        "account": "account_id",
        "priority": "priority",
        "opened_at": "submitted_at",
        "resolved_at": "closed_at",
    }


async def test_streamed_import_reports_progress_then_result(client, session, monkeypatch):
    from app.imports import service

    monkeypatch.setattr(service, "CHUNK_ROWS", 2)
    h = await bearer(session, Role.admin)
    content = b"external_id,name\n" + b"".join(f"s-{i},Stream {i}\n".encode() for i in range(5))
    r = await client.post(
        "/api/v1/import/accounts",
        files={"file": ("s.csv", content, "text/csv")},
        headers={**h, "Accept": "application/x-ndjson"},
    )
    assert r.headers["content-type"].startswith("application/x-ndjson")
    events = [json.loads(line) for line in r.text.splitlines()]
    assert [(e["type"], e.get("rows_done")) for e in events] == [
        ("progress", 2),
        ("progress", 4),
        ("progress", 5),
        ("result", None),
    ]
    assert events[-1]["accepted"] == 5


async def test_rejected_rows_create_no_accounts(client, session):
    h = await bearer(session, Role.admin)
    mapping = {"id": "ticket_id", "account": "account_id", "opened_at": "submitted_at"}
    every_row_bad = b"ticket_id,account_id,submitted_at\nT1,NEW-1,not a date\nT2,NEW-2,\n"
    r = await post(client, h, "tickets", "t.csv", every_row_bad, mapping=mapping, create_missing_accounts=True)
    body = r.json()
    assert (body["rows"], body["accepted"], len(body["rejected"]), body["accounts_created"]) == (2, 0, 2, 0)
    assert await session.scalar(select(func.count()).select_from(Account)) == 0

    mixed = b"ticket_id,account_id,submitted_at\nT1,NEW-1,2025-03-01\nT2,NEW-2,soon\n"
    r = await post(client, h, "tickets", "t.csv", mixed, mapping=mapping, create_missing_accounts=True)
    assert (r.json()["accepted"], r.json()["accounts_created"]) == (1, 1)
    assert (await session.execute(select(Account.external_id))).scalars().all() == ["NEW-1"]


async def test_values_must_be_an_object_of_objects_for_fields_of_the_kind(client, session):
    h = await bearer(session, Role.admin)
    content = b"ticket_id,account_id,submitted_at,state\nT1,A1,2025-03-01,Escalated\n"
    mapping = {"id": "ticket_id", "account": "account_id", "opened_at": "submitted_at", "status": "state"}
    bad_json = await post(client, h, "tickets", "t.csv", content, mapping=mapping, values="{")
    assert (bad_json.status_code, bad_json.json()["errors"][0]["loc"]) == (422, ["body", "values"])
    flat = await post(client, h, "tickets", "t.csv", content, mapping=mapping, values={"status": "open"})
    assert flat.json()["detail"] == "values: must be an object of field -> {source value: target value}"
    unknown = await post(client, h, "tickets", "t.csv", content, mapping=mapping, values={"mood": {"x": "y"}})
    assert unknown.json()["errors"] == [{"loc": ["values", "mood"], "msg": "'mood' is not a field of tickets"}]

    kept = await post(
        client, h, "tickets", "t.csv", content, mapping=mapping, dry_run=True, create_missing_accounts=True
    )
    # "Escalated" is no ticket status: left out with a warning, the ticket kept as open
    assert (kept.json()["accepted"], [w["field"] for w in kept.json()["warnings"]]) == (1, ["status"])
    mapped = await post(
        client,
        h,
        "tickets",
        "t.csv",
        content,
        mapping=mapping,
        values={"status": {"escalated": "Pending"}},
        create_missing_accounts=True,
    )
    assert (mapped.json()["accepted"], mapped.json()["warnings"]) == (1, [])
    assert await session.scalar(select(Ticket.status).where(Ticket.source_id == "T1")) == "pending"


async def test_preview_lists_skipped_rows_and_unmapped_columns(client, session):
    h = await bearer(session, Role.admin)
    content = b"external_id,name,notes\nA1,Acme,x\n\nA2,Bravo,y\n\nTotal,2,\n"
    r = await client.post("/api/v1/import/accounts/preview", files={"file": ("a.csv", content, "text/csv")}, headers=h)
    body = r.json()
    assert (body["rows"], body["skipped"], body["detected_preset"]) == (2, 3, None)
    assert body["skipped_rows"] == [
        {"row": 3, "reason": "blank line"},
        {"row": 5, "reason": "blank line"},
        {"row": 6, "reason": 'report footer: "Total"'},
    ]
    assert body["unmapped_columns"] == ["notes"]
    assert body["distinct_values"] == {"external_id": ["A1", "A2"], "name": ["Acme", "Bravo"], "notes": ["x", "y"]}
