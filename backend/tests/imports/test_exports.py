"""Import exports as Salesforce, HubSpot, Zendesk, Intercom and Stripe write them, through the API.

The files in ``exports/`` copy each tool's header, quoting, encoding, date format and
footer, and the kinds of bad rows they produce. Every count below is worked out by hand
from the file (the comments say which rows).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.models import Account, Contact
from app.core.enums import Role
from app.identity.models import AccountAlias, UnmatchedRecord
from app.revenue.models import SubscriptionLine
from app.support.models import Ticket
from tests.factories import bearer, make_user

EXPORTS = Path(__file__).parent / "exports"
OWNERS = ("jane.doe@northwind.example", "tom.baker@northwind.example", "priya.patel@northwind.example")


async def upload(client, headers, kind, name: str, content: bytes | None = None, **form):
    files = {"file": (name, content if content is not None else (EXPORTS / name).read_bytes(), "text/csv")}
    data = {
        k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v)
        for k, v in form.items()
    }
    r = await client.post(f"/api/v1/import/{kind}", files=files, data=data, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def preview(client, headers, kind, name: str, content: bytes | None = None):
    files = {"file": (name, content if content is not None else (EXPORTS / name).read_bytes(), "text/csv")}
    r = await client.post(f"/api/v1/import/{kind}/preview", files=files, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def ingest(client, headers, kind, items):
    r = await client.post(f"/api/v1/ingest/{kind}", json={"items": items}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == []


def counts(report) -> tuple[int, ...]:
    # every data row is accounted for once (blank and footer lines are not data rows)
    by_preset = sum(1 for s in report["skipped_rows"] if not s["reason"].startswith(("blank line", "report footer")))
    outcomes = ("accepted", "updated", "duplicates", "merged", "unmatched")
    assert report["rows"] == sum(report[k] for k in outcomes) + len(report["rejected"]) + by_preset
    return (
        report["rows"],
        report["accepted"],
        report["updated"],
        len(report["rejected"]),
        report["unmatched"],
        report["duplicates"],
        report["skipped"],
        len(report["warnings"]),
    )


def warned_fields(report) -> dict[str | None, int]:
    return dict(Counter(w["field"] for w in report["warnings"]))


async def account(session, external_id: str) -> Account:
    return (await session.execute(select(Account).where(Account.external_id == external_id))).scalar_one()


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def import_salesforce(client, session, admin):
    for email in OWNERS:
        await make_user(session, email=email)
    return await upload(client, admin, "accounts", "salesforce_accounts.csv", preset="salesforce-accounts")


async def test_salesforce_account_report(client, session, admin):
    report = await import_salesforce(client, session, admin)
    # 14 data rows (rows 2-15, "Grand Totals (14 records)"); row 13 has no Account ID; row 3's
    # Account ID comes back on row 14, which wins; 2 blank lines + 5 footer lines skipped.
    assert counts(report) == (14, 12, 0, 1, 0, 1, 7, 3)
    assert report["rejected"] == [
        {"row": 13, "id": None, "errors": [{"loc": ["external_id"], "msg": "Field required"}]}
    ]
    assert [(w["row"], w["id"], w["field"], w["message"]) for w in report["warnings"]] == [
        (
            3,
            "0015g00000AcmLbAAQ",
            None,
            "duplicate external_id 0015g00000AcmLbAAQ: also on row 14, which is imported (the last row wins)",
        ),
        (
            4,
            "0015g00000GlobxAAQ",
            "owner_email",
            'owner_email: "jane.doe" (column "Account Owner Email") left out: '
            "not an email address (expected name@domain.tld)",
        ),
        (
            8,
            "0015g00000UmbrlAAQ",
            "domains",
            'domains: "N/A" (column "Website") left out: \'N/A\' is not a domain name (expected e.g. acme.com)',
        ),
    ]
    assert report["skipped_rows"] == [
        {"row": 16, "reason": "blank line"},
        {"row": 17, "reason": 'report footer: "Grand Totals (14 records)"'},
        {"row": 18, "reason": "blank line"},
        {"row": 19, "reason": 'report footer: "Copyright (c) 2000-2025 salesforce.com, inc. All rights reserved."'},
        {"row": 20, "reason": 'report footer: "Confidential Information - Do Not Distribute"'},
        {"row": 21, "reason": 'report footer: "Generated By:  Jane Doe  12/3/2025 9:14 AM"'},
        {"row": 22, "reason": 'report footer: "Northwind Traders, Inc."'},
    ]
    # Annual Revenue is the customer's own revenue, not ARR: not imported, and said so.
    assert report["unmapped_columns"] == ["Account Owner", "Type", "Annual Revenue", "Employees"]
    assert await session.scalar(select(func.count()).select_from(Account)) == 12

    jane = await session.scalar(select(Account.owner_id).where(Account.external_id == "0015g00000AcmeCAAQ"))
    acme = await account(session, "0015g00000AcmeCAAQ")
    assert (acme.name, acme.domains, acme.signup_date, acme.region) == (
        "Acme Corporation",
        ["acme.com"],  # from "www.acme.com"
        date(2024, 1, 15),  # "1/15/2024"
        "United States",
    )
    assert jane is not None
    globex = await account(session, "0015g00000GlobxAAQ")
    assert (globex.domains, globex.signup_date, globex.owner_id) == (
        ["globex.com", "globex.de"],
        date(2025, 1, 5),  # "Jan 5, 2025"
        None,  # "jane.doe" is not an email: left out, the account kept
    )
    labs = await account(session, "0015g00000AcmLbAAQ")
    assert (labs.name, labs.domains) == ("Acme Labs Inc.", ["acme.io"])  # row 14 won; "https://acme.io/"
    mueller = await account(session, "0015g00000MuellAAQ")
    assert (mueller.name, mueller.domains) == ("Müller Logistik AG", ["mueller-logistik.de"])  # Windows-1252 file
    assert (await account(session, "0015g00000UmbrlAAQ")).domains == []
    assert (await account(session, "0015g00000SoyleAAQ")).signup_date == date(2025, 12, 3)  # "12/3/2025"

    # An item keyed by the domain finds the account whose website was "www.acme.com".
    await ingest(
        client,
        admin,
        "tickets",
        [{"id": "Z-1", "account": "ACME.com", "account_key_type": "domain", "opened_at": "2025-03-01T10:00:00Z"}],
    )
    assert await session.scalar(select(Ticket.account_id).where(Ticket.source_id == "Z-1")) == acme.id


async def test_salesforce_annual_revenue_mapped_by_hand(client, session, admin):
    """Mapping arr to Annual Revenue yourself: "TBD" is a warning on arr, and the row stays."""
    for email in OWNERS:
        await make_user(session, email=email)
    report = await upload(
        client,
        admin,
        "accounts",
        "salesforce_accounts.csv",
        preset="salesforce-accounts",
        mapping={"arr": "Annual Revenue"},
        dry_run=True,
    )
    assert counts(report)[:4] == (14, 12, 0, 1)
    assert warned_fields(report) == {None: 1, "owner_email": 1, "domains": 1, "arr": 1}
    arr = next(w for w in report["warnings"] if w["field"] == "arr")
    assert (arr["row"], arr["id"], arr["message"]) == (
        5,
        "0015g00000InitcAAQ",
        'arr: "TBD" (column "Annual Revenue") left out: Input should be a valid decimal',
    )
    assert "Annual Revenue" not in report["unmapped_columns"]
    assert await session.scalar(select(func.count()).select_from(Account)) == 0  # a dry run


async def test_zendesk_ticket_export(client, session, admin):
    await import_salesforce(client, session, admin)
    report = await upload(client, admin, "tickets", "zendesk_tickets.csv", preset="zendesk-tickets")
    # 30 tickets: 10252 is a gmail.com requester without an organization (no company to find:
    # rejected); 10248 and 10249 (free-mail requesters of "Umbrella Corp", no zendesk alias yet)
    # and 10250, 10251 (vandelay.com, not a Tempo account) wait as unmatched; 25 accepted.
    assert counts(report) == (30, 25, 0, 1, 4, 0, 0, 0)
    assert report["rejected"] == [{"row": 23, "id": "10252", "errors": [{"loc": ["account"], "msg": "Field required"}]}]
    assert len(report["unmapped_columns"]) == 21
    assert report["unmapped_columns"][:4] == ["Requester", "Requester id", "Requester external id", "Submitter"]

    status = dict((await session.execute(select(Ticket.status, func.count()).group_by(Ticket.status))).all())
    # New 3 + Open 5 -> open; Pending 4 + On-hold 1 -> pending; Solved 7; Closed 5 (accepted rows)
    assert status == {"open": 8, "pending": 5, "solved": 7, "closed": 5}
    csat = dict((await session.execute(select(Ticket.csat, func.count()).group_by(Ticket.csat))).all())
    assert csat == {5: 6, 1: 3, None: 16}  # Good -> 5, Bad -> 1, Offered/Unoffered -> no rating
    priority = dict((await session.execute(select(Ticket.priority, func.count()).group_by(Ticket.priority))).all())
    assert priority == {1: 3, 2: 6, 3: 11, 4: 5}  # Urgent, High, Normal + 2 blank, Low

    solved = (await session.execute(select(Ticket).where(Ticket.source_id == "10234"))).scalar_one()
    assert solved.account_id == (await account(session, "0015g00000AcmeCAAQ")).id
    assert (solved.status, solved.priority, solved.csat) == ("solved", 1, 5)
    assert solved.opened_at == datetime(2025, 3, 4, 13, 22, 10, tzinfo=UTC)  # "2025-03-04 14:22:10 +0100"
    assert solved.resolved_at == datetime(2025, 3, 6, 8, 15, tzinfo=UTC)  # "2025-03-06 09:15:00 +0100"
    assert solved.first_response_at == datetime(2025, 3, 4, 13, 40, 10, tzinfo=UTC)  # + 18 minutes
    reopened = (await session.execute(select(Ticket).where(Ticket.source_id == "10244"))).scalar_one()
    assert (reopened.status, reopened.resolved_at) == ("open", None)  # "Solved at" kept from before it reopened
    by_domain = await session.scalar(select(Ticket.account_id).where(Ticket.source_id == "10246"))
    assert by_domain == (await account(session, "0015g00000AcmLbAAQ")).id  # acme.io
    waiting = (await session.execute(select(UnmatchedRecord.account_key_type, UnmatchedRecord.account_key))).all()
    assert Counter(waiting) == {("zendesk", "Umbrella Corp"): 2, ("domain", "vandelay.com"): 2}


async def test_value_mapping_from_the_form(client, session, admin):
    """A user's value mapping overrides the built-in reading and the preset's, per field."""
    await import_salesforce(client, session, admin)
    report = await upload(
        client,
        admin,
        "tickets",
        "zendesk_tickets.csv",
        preset="zendesk-tickets",
        values={"status": {" on-HOLD ": "open"}, "csat": {"offered": 3}, "priority": {"": "low"}},
    )
    assert report["values"] == {"status": {"on-hold": "open"}, "csat": {"offered": 3}, "priority": {"": "low"}}
    status = dict((await session.execute(select(Ticket.status, func.count()).group_by(Ticket.status))).all())
    assert status == {"open": 9, "pending": 4, "solved": 7, "closed": 5}
    csat = dict((await session.execute(select(Ticket.csat, func.count()).group_by(Ticket.csat))).all())
    assert csat == {5: 6, 1: 3, 3: 3, None: 13}  # 10237, 10245, 10259 were "Offered" (10248 is unmatched)
    priority = dict((await session.execute(select(Ticket.priority, func.count()).group_by(Ticket.priority))).all())
    assert priority == {1: 3, 2: 6, 3: 9, 4: 7}  # the two blank ones are now low


def hubspot_companies_xlsx() -> bytes:
    """The same companies as HubSpot's XLSX export, dates as real date cells."""
    with (EXPORTS / "hubspot_companies.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = Workbook()
    ws = wb.active
    ws.append(rows[0])
    dated = [rows[0].index("Create Date"), rows[0].index("Became a Customer Date")]
    for row in rows[1:]:
        ws.append([datetime.fromisoformat(v) if i in dated and v else v for i, v in enumerate(row)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("variant", ["csv", "xlsx"])
async def test_hubspot_companies_then_contacts(client, session, admin, variant):
    if variant == "csv":
        companies = await upload(client, admin, "accounts", "hubspot_companies.csv", preset="hubspot-companies")
    else:
        content = hubspot_companies_xlsx()
        assert (await preview(client, admin, "accounts", "companies.xlsx", content))["detected_preset"] == (
            "hubspot-companies"
        )
        companies = await upload(client, admin, "accounts", "companies.xlsx", content, preset="hubspot-companies")
    # 10 companies: row 6 (vandelay.com) has no name: rejected; row 4's domain "globex" is
    # not a domain: left out with a warning.
    assert counts(companies) == (10, 9, 0, 1, 0, 0, 0, 1)
    assert companies["rejected"][0]["row"] == 6 and companies["rejected"][0]["errors"][0]["loc"] == ["name"]
    assert warned_fields(companies) == {"domains": 1}
    assert companies["unmapped_columns"] == [
        "Company owner",
        "Create Date",
        "Last Activity Date",
        "Lifecycle Stage",
        "Website URL",
        "City",
        "Number of Employees",
        "Annual Revenue",
    ]
    acme = await account(session, "8836451201")
    assert (acme.domains, acme.signup_date, acme.acquisition_channel) == (
        ["acme.com"],
        date(2024, 1, 15),
        "Offline Sources",
    )
    aliases = await session.scalar(
        select(func.count()).select_from(AccountAlias).where(AccountAlias.source == "hubspot")
    )
    assert aliases == 9
    assert (await account(session, "8836451208")).signup_date is None  # still an opportunity

    contacts = await upload(client, admin, "contacts", "hubspot_contacts.csv", preset="hubspot-contacts")
    # 12 contacts: 51210 (row 11) has neither a company nor a company email: rejected; 51209's
    # company was rejected above: unmatched; 51204's "Champion;Decision Maker" is not one role.
    assert counts(contacts) == (12, 10, 0, 1, 1, 0, 0, 1)
    assert contacts["rejected"][0]["id"] == "51210"
    assert [(w["row"], w["id"], w["field"]) for w in contacts["warnings"]] == [(5, "51204", "role")]
    rows = (await session.execute(select(Contact.source_id, Contact.name, Contact.role, Contact.since))).all()
    got = {r.source_id: (r.name, r.role, r.since) for r in rows}
    assert got["51201"] == ("Maria Lopez", "champion", date(2024, 1, 16))
    assert got["51203"][1] == "decision_maker"  # Budget Holder
    assert got["51207"][1] is None  # Influencer: no Tempo role
    assert Counter(r.role for r in rows) == {
        "champion": 2,
        "executive_sponsor": 2,
        "decision_maker": 2,
        "user": 1,
        None: 3,
    }
    samir = await session.scalar(select(Contact.account_id).where(Contact.source_id == "51205"))
    assert samir == (await account(session, "8836451202")).id  # no company: matched by initech.com
    richard = await session.scalar(select(Contact.account_id).where(Contact.source_id == "51208"))
    assert richard == (await account(session, "8836451206")).id  # the first of two companies


async def test_intercom_conversations(client, session, admin):
    await ingest(
        client,
        admin,
        "accounts",
        [
            {"external_id": "acct-1001", "name": "Acme", "domains": "acme.com"},
            {"external_id": "acct-1002", "name": "Initech", "domains": "initech.com"},
            {"external_id": "acct-1003", "name": "Hooli", "domains": "hooli.xyz"},
            {"external_id": "acct-1004", "name": "Pied Piper", "domains": "piedpiper.com"},
        ],
    )
    report = await upload(client, admin, "tickets", "intercom_conversations.csv", preset="intercom-conversations")
    # 10 conversations: ...018 has no company and a gmail.com user: rejected; ...019's company
    # acct-2000 is unknown: unmatched; ...017 has no company: found by piedpiper.com.
    assert counts(report) == (10, 8, 0, 1, 1, 0, 0, 0)
    tickets = {t.source_id: t for t in (await session.execute(select(Ticket))).scalars()}
    blank = tickets["215468712340013"]
    assert (blank.status, blank.priority, blank.csat) == ("open", 2, None)  # "Priority"
    assert blank.first_response_at == datetime(2025, 3, 4, 15, 27, 10, tzinfo=UTC)  # "1h 5m"
    assert tickets["215468712340014"].status == "pending"  # snoozed
    reopened = tickets["215468712340016"]
    assert (reopened.status, reopened.resolved_at, reopened.csat) == ("open", None, 3)
    closed = tickets["215468712340012"]
    assert (closed.status, closed.priority, closed.csat) == ("closed", 3, 4)
    assert closed.first_response_at == datetime(2025, 3, 3, 11, 0, tzinfo=UTC)  # 3600 seconds
    assert tickets["215468712340017"].account_id == (await account(session, "acct-1004")).id
    assert Counter(t.csat for t in tickets.values()) == {5: 2, 4: 1, 3: 1, 2: 1, 1: 1, None: 2}


async def test_stripe_subscriptions(client, session, admin):
    customers = {
        "cus_PAcme0001": "acme",
        "cus_PInit0002": "initech",
        "cus_PHool0003": "hooli",
        "cus_PGlob0004": "globex",
        "cus_PPied0005": "pied-piper",
        "cus_PStar0006": "stark",
        "cus_PWayn0007": "wayne",
        "cus_PCafe0008": "cafe-ole",
        "cus_PSoyl0010": "soylent",
    }
    await ingest(
        client,
        admin,
        "accounts",
        [{"external_id": e, "name": e, "aliases": [{"source": "stripe", "key": c}]} for c, e in customers.items()],
    )
    report = await upload(client, admin, "subscriptions", "stripe_subscriptions.csv", preset="stripe-subscriptions")
    # 10 subscriptions: row 8 is incomplete_expired (never paid): skipped; cus_PVand0009 is
    # no account's customer: unmatched; 8 lines.
    assert counts(report) == (10, 8, 0, 0, 1, 0, 1, 0)
    assert report["skipped_rows"] == [
        {"row": 8, "reason": "subscription sub_1OaWayn0007 is incomplete_expired: its first payment never succeeded"}
    ]
    lines = {s.source_id: s for s in (await session.execute(select(SubscriptionLine))).scalars()}
    assert len(lines) == 8

    def shape(source_id):
        s = lines[source_id]
        return (s.quantity, s.unit_amount, s.interval, s.currency, s.start_date, s.end_date)

    assert shape("sub_1OaAcme0001") == (5, Decimal("49"), "month", None, date(2024, 1, 15), None)
    assert shape("sub_1OaInit0002") == (1, Decimal("4800"), "year", None, date(2024, 3, 12), None)
    # weekly: 25.00 a week is 25 x 52 / 12 a month
    assert shape("sub_1OaHool0003") == (2, Decimal("108.3333"), "month", None, date(2024, 9, 2), None)
    assert shape("sub_1OaGlob0004") == (10, Decimal("45"), "month", "EUR", date(2024, 2, 1), date(2025, 2, 1))
    # canceled without "Ended At": ends when it was canceled
    assert shape("sub_1OaPied0005")[4:] == (date(2024, 3, 22), date(2024, 12, 5))
    # trialing: revenue starts when the trial ends
    assert shape("sub_1OaStar0006")[4:] == (date(2025, 3, 20), None)
    # canceled at period end but still active: not ended yet
    assert shape("sub_1OaSoyl0010")[5] is None


@pytest.mark.parametrize(
    ("kind", "name", "preset", "rows", "skipped"),
    [
        ("accounts", "salesforce_accounts.csv", "salesforce-accounts", 14, 7),
        ("accounts", "hubspot_companies.csv", "hubspot-companies", 10, 0),
        ("contacts", "hubspot_contacts.csv", "hubspot-contacts", 12, 0),
        ("tickets", "zendesk_tickets.csv", "zendesk-tickets", 30, 0),
        ("tickets", "intercom_conversations.csv", "intercom-conversations", 10, 0),
        ("subscriptions", "stripe_subscriptions.csv", "stripe-subscriptions", 10, 0),
    ],
)
async def test_preview_detects_each_export(client, session, admin, kind, name, preset, rows, skipped):
    body = await preview(client, admin, kind, name)
    assert (body["detected_preset"], body["rows"], body["skipped"]) == (preset, rows, skipped)
    assert body["preset_mapping"] is not None
    assert set(body["preset_mapping"].values()) - {
        v for v in body["preset_mapping"].values() if v.startswith("=")
    } <= set(body["columns"])


async def test_preview_of_another_kind_names_the_preset_but_maps_nothing_of_it(client, session, admin):
    body = await preview(client, admin, "accounts", "zendesk_tickets.csv")
    assert (body["detected_preset"], body["preset_mapping"]) == ("zendesk-tickets", None)
    zendesk = await preview(client, admin, "tickets", "zendesk_tickets.csv")
    assert zendesk["distinct_values"]["Status"] == ["Closed", "New", "On-hold", "Open", "Pending", "Solved"]
    assert zendesk["distinct_values"]["Satisfaction Score"] == ["Bad", "Good", "Offered", "Unoffered"]
    assert "Subject" not in zendesk["distinct_values"]  # 30 different subjects: too many to map
    assert zendesk["unmapped_columns"][:2] == ["Requester", "Requester id"]


async def test_a_dropped_file_says_which_export_it_is(client, session):
    headers = await bearer(session, Role.admin)
    expected = {
        "salesforce_accounts.csv": ("salesforce-accounts", "accounts"),
        "hubspot_companies.csv": ("hubspot-companies", "accounts"),
        "hubspot_contacts.csv": ("hubspot-contacts", "contacts"),
        "zendesk_tickets.csv": ("zendesk-tickets", "tickets"),
        "intercom_conversations.csv": ("intercom-conversations", "tickets"),
        "stripe_subscriptions.csv": ("stripe-subscriptions", "subscriptions"),
    }
    for name, (preset, kind) in expected.items():
        files = {"file": (name, (EXPORTS / name).read_bytes(), "text/csv")}
        r = await client.post("/api/v1/import/detect", files=files, headers=headers)
        assert r.status_code == 200, r.text
        assert (r.json()["detected_preset"], r.json()["kind"]) == (preset, kind), name
    plain = {"file": ("mine.csv", b"external_id,name\nx-1,X\n", "text/csv")}
    r = await client.post("/api/v1/import/detect", files=plain, headers=headers)
    assert r.json() == {"detected_preset": None, "kind": None, "columns": ["external_id", "name"], "rows": 1}
