"""What the import says about its target fields, and how it reads the values of choice fields."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.core.enums import Role
from app.imports.service import kind_fields
from app.imports.values import describe, normalise
from app.ingest.schemas import ITEM_MODELS, Kind
from app.touchpoints.models import Touchpoint
from tests.factories import bearer
from tests.imports.uploads import post_file

# What Python type names look like; none belongs in a sentence for a CSM.
NOT_WORDS = ("app.", "|", "None", "Optional", "<class", "typing", "Annotated", "str", "datetime", "Decimal")


def test_every_field_of_every_kind_is_described_in_words():
    described = 0
    for kind in Kind:
        for field in kind_fields(kind).fields:
            where = f"{kind.value}.{field.name}: {field.description!r}"
            assert not [w for w in NOT_WORDS if w in field.description], where
            assert field.description.endswith("; required") == field.required, where
            assert field.required or "; optional" in field.description, where
            assert field.description == describe(kind, field.name)
            described += 1
    # every field but the two nested ones (below)
    assert described == sum(len(ITEM_MODELS[kind].model_fields) for kind in Kind) - 2


@pytest.mark.parametrize(
    ("kind", "field", "words"),
    [
        (Kind.touchpoints, "kind", "one of call, email, meeting, qbr, note; required"),
        (Kind.touchpoints, "sentiment", "one of negative, neutral, positive; optional"),
        (Kind.touchpoints, "occurred_at", "date (YYYY-MM-DD) or date-time; required"),
        (Kind.touchpoints, "csm_email", "email address; optional"),
        (Kind.touchpoints, "summary", "text; optional"),
        (Kind.accounts, "renewal_date", "date (YYYY-MM-DD); optional"),
        (Kind.accounts, "seats_purchased", "whole number, 0 or more; optional"),
        (Kind.accounts, "arr", "number, 0 or more; optional"),
        (Kind.accounts, "domains", "web domains, separated by commas; optional"),
        (Kind.accounts, "name", "text; required"),
        (Kind.contacts, "is_primary", "yes/no; optional, default no"),
        (Kind.events, "duration_seconds", "number from 0 to 86,400; optional"),
        (Kind.usage_daily, "events", "whole number, 0 or more; optional, default 0"),
        (Kind.tickets, "status", "one of open, pending, solved, closed; optional, default open"),
        (Kind.tickets, "priority", "1 to 4 (1 most urgent), P1 to P4, or urgent/high/normal/low; optional, default 3"),
        (Kind.tickets, "csat", "whole number from 1 to 5 (Good/Bad ratings read as 5/1); optional"),
        (Kind.surveys, "score", "whole number (0 to 10 for nps, 1 to 5 for csat); required"),
        (Kind.subscriptions, "mrr", "number, 0 or more (give exactly one of unit_amount, mrr, arr); optional"),
        (
            Kind.subscriptions,
            "interval",
            "month or year (weekly, quarterly, every 2 months... are converted); optional",
        ),
        (Kind.subscriptions, "product", 'text; optional, default "default"'),
        (Kind.invoices, "currency", "currency code such as USD; optional"),
        (
            Kind.invoices,
            "account",
            "the account's key: its external id, unless account_key_type names another key; required",
        ),
    ],
)
def test_field_descriptions(kind, field, words):
    assert describe(kind, field) == words


def test_fields_no_cell_can_fill_are_not_offered():
    # an account's aliases and an event's properties are nested: JSON ingest (and presets) only
    assert "aliases" in ITEM_MODELS[Kind.accounts].model_fields
    assert "aliases" not in {f.name for f in kind_fields(Kind.accounts).fields}
    assert "properties" not in {f.name for f in kind_fields(Kind.events).fields}
    types = {f.name: f.type for f in kind_fields(Kind.touchpoints).fields}
    assert [types[n] for n in ("account", "kind", "csm_email", "occurred_at", "sentiment", "summary")] == [
        "text",
        "choice",
        "email",
        "timestamp",
        "choice",
        "text",
    ]


async def test_the_fields_route_describes_fields_in_words(client, session):
    h = await bearer(session, Role.admin)
    r = await client.get("/api/v1/import/fields", headers=h)
    assert r.status_code == 200, r.text
    touchpoints = next(k for k in r.json() if k["kind"] == "touchpoints")
    assert next(f for f in touchpoints["fields"] if f["name"] == "kind") == {
        "name": "kind",
        "required": True,
        "type": "choice",
        "description": "one of call, email, meeting, qbr, note; required",
        "choices": ["call", "email", "meeting", "qbr", "note"],
    }
    for kind in r.json():
        for field in kind["fields"]:
            assert not [w for w in NOT_WORDS if w in field["description"]], (kind["kind"], field)

    # a field that is not offered cannot be mapped either
    csv = b"id,account,event,timestamp,props\ne1,A1,login,2025-03-01,x\n"
    mapping = {"id": "id", "account": "account", "event": "event", "timestamp": "timestamp", "properties": "props"}
    files = {"file": ("e.csv", csv, "text/csv")}
    refused = await client.post("/api/v1/import/events", files=files, data={"mapping": json.dumps(mapping)}, headers=h)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["mapping", "properties"], "msg": "'properties' is not a field of events"}
    ]


@pytest.mark.parametrize(
    ("field", "text", "stored"),
    [
        ("kind", "Call", "call"),
        ("kind", "CALL", "call"),
        ("kind", " Meeting ", "meeting"),
        ("kind", "QBR", "qbr"),
        ("kind", "Note", "note"),
        ("kind", "E-mail", "email"),
        ("kind", "Incoming email", "email"),
        ("kind", "Logged call", "call"),
        ("kind", "Phone call", "call"),
        ("kind", "Quarterly Business Review", "qbr"),
        ("kind", "EBR", "qbr"),
        ("sentiment", "Positive", "positive"),
        ("sentiment", "NEGATIVE", "negative"),
        ("sentiment", " neutral ", "neutral"),
        ("sentiment", "Very positive", "positive"),
        ("sentiment", "Happy", "positive"),
    ],
)
def test_touchpoint_choices_whatever_their_case_or_spelling(field, text, stored):
    assert normalise(Kind.touchpoints, field, text) == stored


def test_a_value_that_is_no_choice_comes_back_for_validation_to_name():
    # HubSpot's "Task" is no touchpoint; "Video call" could be a call or a meeting: not guessed
    assert normalise(Kind.touchpoints, "kind", " Task ") == "Task"
    assert normalise(Kind.touchpoints, "kind", "Video call") == "Video call"


async def test_capitalised_choices_are_stored_lower_case(client, session):
    h = await bearer(session, Role.admin)
    await post_file(client, h, "accounts", "a.csv", b"external_id,name\nA1,Acme\n")
    content = (
        b"id,account,kind,occurred_at,sentiment\n"
        b"t1,A1,Call,2025-01-02,Positive\n"
        b"t2,A1, Meeting ,2025-01-03,NEUTRAL\n"
        b"t3,A1,QBR,2025-01-04,\n"
    )
    report = await post_file(client, h, "touchpoints", "t.csv", content)
    assert (report["rows"], report["accepted"], report["rejected"], report["warnings"]) == (3, 3, [], [])
    stored = (await session.execute(select(Touchpoint.source_id, Touchpoint.kind, Touchpoint.sentiment))).all()
    assert sorted(stored) == [("t1", "call", "positive"), ("t2", "meeting", "neutral"), ("t3", "qbr", None)]
