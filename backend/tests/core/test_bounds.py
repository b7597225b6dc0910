"""Values past what Python's dates, PostgreSQL's columns or a parser can hold: each is a 4xx
naming the value (or, in an ingest batch, a rejection of that item alone), never a 500.

Book filters (``book.filters``), dates in signals (``core.types.SignalDate``), dates in
queries (``core.types.QueryDate``), integers in items and bodies, and GraphQL errors."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta

import pytest

from app.core.enums import Role
from app.core.types import signal_latest
from tests.factories import bearer, make_account
from tests.imports.uploads import post_file

DAYS = "expected a number of days between 0 and 36,500"
COUNT = "expected a whole number between 0 and 2,147,483,647"
QUERY_RANGE = "must be a date from 1970-01-01 to 2200-12-31"


def signal_range(what: str = "date") -> str:
    return f"must be a {what} from 1970-01-01 to {signal_latest().isoformat()} (10 years from today)"


# -- 1. book filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "msg"),
    [
        ("renewal_in<99999999", DAYS),  # was a 500: OverflowError (date value out of range)
        ("renewal_in<inf", DAYS),
        ("renewal_in<1e300", DAYS),
        ("renewal_in<nan", DAYS),  # was a 422 saying "cannot convert float NaN to integer"
        ("renewal_in<-99999999", DAYS),
        ("renewal_in>=36501", DAYS),
        ("qbr>99999999", DAYS),
        ("last_touch>1e300", DAYS),
        ("last_touch>-inf", DAYS),
        ("qbr>nan", DAYS),
        ("open_tickets>1e309", COUNT),  # 1e309 is infinite as a float: was a 500
        ("open_tickets>99999999999999", COUNT),
        ("open_tickets>nan", COUNT),
        ("arr>inf", "expected an amount like 50000, 50k or 1.2m, not infinity or nan"),
        ("arr>1e309", "expected an amount like 50000, 50k or 1.2m, not infinity or nan"),
        ("arr>1e303m", "expected an amount like 50000, 50k or 1.2m, not infinity or nan"),
        ("arr<nan", "expected an amount like 50000, 50k or 1.2m, not infinity or nan"),
        ("health<nan", "expected a number, not infinity or nan"),
        ("adoption>inf", "expected a fraction like 0.7 or a percent like 70%, not infinity or nan"),
        ("usage_change<nan%", "expected a fraction like 0.7 or a percent like 70%, not infinity or nan"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/accounts", "/api/v1/accounts/export"])
async def test_filter_values_out_of_bounds_are_a_422_naming_the_term(client, session, path, term, msg):
    headers = await bearer(session, Role.admin)
    r = await client.get(path, params={"filter": f"segment=SMB {term}"}, headers=headers)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == f"filter: {msg} (in {term!r})"
    assert r.json()["errors"] == [{"loc": ["query", "filter", 1], "msg": msg, "type": "filter"}]


async def test_filter_values_at_the_bounds_still_work(client, session):
    headers = await bearer(session, Role.admin)
    ahead = datetime.now(UTC).date() + timedelta(days=100)
    await make_account(session, external_id="big", arr=1_000_000, next_renewal_date=ahead, renewal_term="annual")
    for term, total in [
        ("renewal_in<=36500", 1),  # the factory's renewal is ahead
        ("renewal_in>=0", 1),
        ("qbr>36500", 1),  # never had a QBR: older than any age
        ("last_touch<=0", 0),
        ("open_tickets<=2147483647", 0),  # not scored: no health row
        ("arr>1e300", 0),
        ("arr>=1m", 1),
    ]:
        r = await client.get("/api/v1/accounts", params={"filter": term}, headers=headers)
        assert (term, r.status_code, r.json()["total"]) == (term, 200, total)


# -- 2. dates in signals ---------------------------------------------------------------------

ITEMS = {
    "accounts": {"external_id": "acme", "name": "Acme"},
    "contacts": {"account": "acme", "id": "c1", "email": "a@acme.com"},
    "events": {"account": "acme", "id": "e1", "event": "Opened", "timestamp": "2026-01-05T10:00:00Z"},
    "usage-daily": {"account": "acme", "date": "2026-01-05", "events": 3},
    "tickets": {"account": "acme", "id": "t1", "opened_at": "2026-01-05T10:00:00Z"},
    "surveys": {"account": "acme", "id": "s1", "kind": "nps", "score": 9, "responded_at": "2026-01-05T10:00:00Z"},
    "touchpoints": {"account": "acme", "id": "p1", "kind": "call", "occurred_at": "2026-01-05T10:00:00Z"},
    "subscriptions": {"account": "acme", "id": "sub1", "mrr": 100, "start_date": "2025-01-01"},
    "invoices": {"account": "acme", "id": "i1", "amount": 100, "issued_at": "2026-01-05T10:00:00Z"},
}
DATE_FIELDS = [
    ("accounts", "signup_date", "date"),
    ("accounts", "contract_start", "date"),
    ("accounts", "renewal_date", "date"),
    ("accounts", "onboarding_completed_at", "time"),
    ("accounts", "first_value_at", "time"),
    ("accounts", "changed_at", "time"),
    ("contacts", "since", "date"),
    ("events", "timestamp", "time"),
    ("usage-daily", "date", "date"),
    ("tickets", "opened_at", "time"),
    ("tickets", "first_response_at", "time"),
    ("tickets", "resolved_at", "time"),
    ("tickets", "escalated_at", "time"),
    ("tickets", "sla_due_at", "time"),
    ("surveys", "responded_at", "time"),
    ("touchpoints", "occurred_at", "time"),
    ("subscriptions", "start_date", "date"),
    ("subscriptions", "end_date", "date"),
    ("subscriptions", "changed_at", "time"),
    ("invoices", "issued_at", "time"),
    ("invoices", "due_at", "time"),
    ("invoices", "paid_at", "time"),
]


def _item(kind: str, n: int, **fields: object) -> dict[str, object]:
    item = dict(ITEMS[kind])
    key = "external_id" if kind == "accounts" else "id"
    if kind == "usage-daily":
        item["feature"] = f"f{n}"  # one row per (account, date, feature)
    else:
        item[key] = f"{item[key]}-{n}"
    if kind == "contacts":
        item["email"] = f"c{n}@acme.com"
    return item | fields


@pytest.mark.parametrize(("kind", "field", "what"), DATE_FIELDS)
async def test_dates_outside_the_signal_range_reject_their_item_alone(client, session, kind, field, what):
    headers = await bearer(session, Role.admin)
    await make_account(session, external_id="acme")
    latest = signal_latest()
    if what == "date":
        bad = ["0001-01-01", "9999-12-31", "1969-12-31", (latest + timedelta(days=1)).isoformat()]
        good = ["1970-01-01", latest.isoformat()]
    else:
        bad = [
            "0001-01-01T00:00:00Z",
            "0001-01-01T00:00:00+01:00",  # was a 500: OverflowError converting it to UTC
            "9999-12-31T23:00:00-05:00",  # the same past the end of year 9999
            "1969-12-31T23:59:59Z",
            "1970-01-01T00:30:00+01:00",  # 1969-12-31T23:30Z
        ]
        good = ["1970-01-01T00:00:00Z", f"{latest.isoformat()}T23:59:59Z"]
    extra = {"start_date": "1970-01-01"} if (kind, field) == ("subscriptions", "end_date") else {}
    items = [_item(kind, n, **extra, **{field: v}) for n, v in enumerate([*good, *bad])]
    r = await client.post(f"/api/v1/ingest/{kind}", json={"items": items}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] + body["updated"] == len(good), body
    assert [(x["index"], x["errors"]) for x in body["rejected"]] == [
        (len(good) + i, [{"loc": [field], "msg": signal_range(what)}]) for i in range(len(bad))
    ]


async def test_the_item_schemas_document_the_range(client, session):
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
    assert schema["UsageDailyItem"]["properties"]["date"] == {
        "description": "From 1970-01-01 to 10 years after today",
        "format": "date",
        "formatMinimum": "1970-01-01",
        "title": "Date",
        "type": "string",
    }
    stamp = schema["EventItem"]["properties"]["timestamp"]
    assert (stamp["formatMinimum"], stamp["description"]) == (
        "1970-01-01T00:00:00Z",
        "From 1970-01-01 to 10 years after today",
    )


async def test_imports_refuse_the_same_dates_with_the_same_words(client, session):
    headers = await bearer(session, Role.admin)
    await make_account(session, external_id="acme")
    # a required date out of range rejects the row; a year-1 time with an offset is no 500
    csv = (
        b"account,id,event,timestamp\n"
        b"acme,e1,Opened,2026-01-05 10:00\n"
        b"acme,e2,Opened,0001-01-01 00:00 +0100\n"
        b"acme,e3,Opened,9999-12-31 23:00 -0500\n"
    )
    report = await post_file(client, headers, "events", "events.csv", csv)
    assert report["accepted"] == 1
    assert [(x["row"], x["errors"]) for x in report["rejected"]] == [
        (3, [{"loc": ["timestamp"], "msg": signal_range("time")}]),
        (4, [{"loc": ["timestamp"], "msg": signal_range("time")}]),
    ]
    # an optional one (an export's "no date" placeholder) costs the field, with a warning
    csv = b"external_id,name,renewal_date\nacme,Acme,0001-01-01\nbravo,Bravo,1/1/1900\n"
    report = await post_file(client, headers, "accounts", "accounts.csv", csv)
    assert (report["accepted"], report["updated"], report["rejected"]) == (1, 1, [])
    advice = 'likely a placeholder for "no date": map it to empty (a null value mapping) to leave it out quietly'
    assert [w["message"] for w in report["warnings"]] == [
        f'renewal_date: "0001-01-01" (column "renewal_date") left out: {signal_range()}; {advice}',
        f'renewal_date: "1/1/1900" (column "renewal_date") left out: {signal_range()}; {advice}',
    ]


# -- 3. dates in queries ---------------------------------------------------------------------


async def test_query_dates_out_of_range_are_a_422_naming_the_parameter(client, session):
    headers = await bearer(session, Role.admin)
    account = await make_account(session)
    health = f"/api/v1/accounts/{account.id}/health"
    for case in [
        ("/api/v1/metrics/retention?from=0001-01-01&to=0001-02-01", "from", "to"),  # was a 200 for year 1
        ("/api/v1/metrics/retention?from=9999-11-01&to=9999-12-31", "from", "to"),  # was a 500: year 10000
        ("/api/v1/metrics/retention?to=2201-01-01", "to"),
        ("/api/v1/quadrants?as_of=0001-01-01", "as_of"),
        ("/api/v1/quadrants?as_of=9999-12-31", "as_of"),
        ("/api/v1/quadrants/history?to=0001-01-02", "to"),  # was a 500
        ("/api/v1/quadrants/history?from=9999-12-30&to=2000-01-01", "from"),
        ("/api/v1/quadrants/moves?until=0001-01-02", "until"),  # was a 500
        ("/api/v1/quadrants/moves?since=1969-12-31", "since"),
        ("/api/v1/quadrants/transitions?from=0001-01-01", "from"),
        ("/api/v1/quadrants/transitions?from=2000-01-01&to=9999-12-31", "to"),
        (f"{health}?as_of=0001-01-01", "as_of"),  # was a 500
        (f"{health}?as_of=9999-12-31", "as_of"),  # was a 500
        (f"{health}/history?to=0001-01-02", "to"),  # was a 500
        (f"{health}/history?from=9999-12-01&to=9999-12-31", "from", "to"),
        (f"{health}/explain?from=0001-01-01", "from"),
        (f"{health}/explain?to=9999-12-31", "to"),
    ]:
        url, params = case[0], case[1:]
        r = await client.get(url, headers=headers)
        assert (url, r.status_code) == (url, 422), r.text
        assert r.json()["errors"] == [{"loc": ["query", p], "msg": QUERY_RANGE, "type": "value_error"} for p in params]
        assert r.json()["detail"] == f"query.{params[0]}: {QUERY_RANGE}"


async def test_query_dates_at_the_bounds_are_answered(client, session):
    headers = await bearer(session, Role.admin)
    account = await make_account(session)
    health = f"/api/v1/accounts/{account.id}/health"
    for url, status in [
        ("/api/v1/metrics/retention?from=1970-01-01&to=1970-03-01", 200),
        ("/api/v1/metrics/retention?from=2200-11-01&to=2200-12-31", 200),
        ("/api/v1/quadrants?as_of=1970-01-01", 200),
        ("/api/v1/quadrants?as_of=2200-12-31", 200),
        ("/api/v1/quadrants/history?to=1970-01-01", 200),
        ("/api/v1/quadrants/history?from=2200-12-01&to=2200-12-31", 200),
        ("/api/v1/quadrants/moves?until=1970-01-01", 200),
        ("/api/v1/quadrants/moves?since=2200-12-30&until=2200-12-31", 200),
        ("/api/v1/quadrants/transitions?from=1970-01-01&to=2200-12-31", 200),
        (f"{health}?as_of=1970-01-01", 404),  # "no score on that date: it was not a customer then"
        (f"{health}?as_of=2200-12-31", 404),
        (f"{health}/history?to=1970-01-01", 200),
        (f"{health}/history?from=2200-12-01&to=2200-12-31", 200),
        (f"{health}/explain?from=1970-01-01&to=2200-12-31", 404),  # no snapshot to explain yet
    ]:
        r = await client.get(url, headers=headers)
        assert (url, r.status_code) == (url, status), r.text


async def test_dates_in_bodies_are_bounded_too(client, session):
    headers = await bearer(session, Role.admin)
    account = await make_account(session)
    for url, payload, loc, msg in [
        ("/api/v1/scoring/runs", {"as_of": "0001-01-01"}, ["body", "as_of"], QUERY_RANGE),  # was queued (202)
        ("/api/v1/scoring/runs", {"from": "1969-12-01", "to": "1970-01-31"}, ["body", "from"], QUERY_RANGE),
        ("/api/v1/scoring/runs", {"from": "2200-12-01", "to": "9999-12-31"}, ["body", "to"], QUERY_RANGE),
        (
            "/api/v1/tasks",
            {"account_id": str(account.id), "title": "Call", "due_date": "0001-01-01"},
            ["body", "due_date"],
            QUERY_RANGE,
        ),  # was stored (201)
        (
            "/api/v1/fx-rates",
            {"items": [{"currency": "AAA", "day": "0001-01-01", "per_eur": 1}]},
            ["body", "items", 0, "day"],
            signal_range(),
        ),  # was a 500
        (
            "/api/v1/analytics/feedback",
            {"title": "Slow", "raised_at": "0001-01-01T00:00:00+01:00"},
            ["body", "raised_at"],
            signal_range("time"),
        ),  # was a 500: OverflowError converting it to UTC
    ]:
        r = await client.post(url, json=payload, headers=headers)
        assert (url, r.status_code) == (url, 422), r.text
        assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [(loc, msg)]


# -- 4. integers -----------------------------------------------------------------------------


async def test_integers_past_their_columns_reject_their_item_alone(client, session):
    headers = await bearer(session, Role.admin)
    await make_account(session, external_id="acme")
    day = {"account": "acme", "date": "2026-01-05"}
    items = [
        day | {"feature": "ok", "events": 2_147_483_647, "active_users": 2_147_483_647, "api_calls": 2**63 - 1},
        day | {"feature": "a", "events": 2**63},
        day | {"feature": "b", "active_users": 2**31},
        day | {"feature": "c", "api_calls": 2**63},
        day | {"feature": "d", "events": -1},
    ]
    r = await client.post("/api/v1/ingest/usage-daily", json={"items": items}, headers=headers)
    assert r.json()["accepted"] == 1
    assert [(x["index"], x["errors"]) for x in r.json()["rejected"]] == [
        (1, [{"loc": ["events"], "msg": "Input should be less than or equal to 2147483647"}]),
        (2, [{"loc": ["active_users"], "msg": "Input should be less than or equal to 2147483647"}]),
        (3, [{"loc": ["api_calls"], "msg": "Input should be less than or equal to 9223372036854775807"}]),
        (4, [{"loc": ["events"], "msg": "Input should be greater than or equal to 0"}]),
    ]
    accounts = [
        {"external_id": f"n{n}", "name": "N", field: 2**31}
        for n, field in enumerate(["seats_purchased", "seat_limit", "api_call_limit"])
    ]
    r = await client.post("/api/v1/ingest/accounts", json={"items": accounts}, headers=headers)
    assert r.json()["accepted"] == 0
    assert [x["errors"][0]["msg"] for x in r.json()["rejected"]] == [
        "Input should be less than or equal to 2147483647"
    ] * 3
    tickets = [_item("tickets", 1, priority=2**63), _item("tickets", 2, csat=2**63), _item("tickets", 3)]
    surveys = [_item("surveys", 1, score=2**63), _item("surveys", 2)]
    for kind, batch in (("tickets", tickets), ("surveys", surveys)):
        r = await client.post(f"/api/v1/ingest/{kind}", json={"items": batch}, headers=headers)
        assert (kind, r.json()["accepted"], len(r.json()["rejected"])) == (kind, 1, len(batch) - 1)


async def test_a_config_preview_of_a_version_past_an_integer_is_a_422(client, session):
    headers = await bearer(session, Role.admin)
    r = await client.post("/api/v1/scoring/config/preview", json={"version": 2**63}, headers=headers)
    assert r.status_code == 422, r.text  # was a 500 (the database cannot compare it)
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [
        (["body", "version"], "Input should be less than or equal to 2147483647")
    ]


# -- 6. GraphQL errors -----------------------------------------------------------------------


async def test_graphql_errors_carry_no_sql_but_are_logged_in_full(client, session, caplog):
    headers = await bearer(session, Role.viewer)
    # errors written for the caller keep their words
    r = await client.post(
        "/graphql", json={"query": '{ accounts(first: 5, sort: "size") { totalCount } }'}, headers=headers
    )
    assert r.json()["errors"][0]["message"].startswith("sort must be one of")
    r = await client.post("/graphql", json={"query": "{ accounts(first: 2147483648) { totalCount } }"}, headers=headers)
    assert "Int cannot represent non 32-bit signed integer value" in r.json()["errors"][0]["message"]
    r = await client.post("/graphql", json={"query": '{ account(id: "nope") { name } }'}, headers=headers)
    assert "badly formed hexadecimal UUID string" in r.json()["errors"][0]["message"]
    # the deepest cursor GraphQL takes is past the book, not past the database
    deepest = base64.b64encode(b"o:999999").decode()
    query = f'{{ accounts(first: 100, after: "{deepest}") {{ totalCount edges {{ node {{ name }} }} }} }}'
    r = await client.post("/graphql", json={"query": query}, headers=headers)
    assert r.json()["data"] == {"accounts": {"totalCount": 0, "edges": []}}
    # a failure in the database (PostgreSQL refuses a NUL in text) does not show its SQL
    query = "query($s: String) { accounts(first: 5, segment: $s) { totalCount } }"
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        r = await client.post("/graphql", json={"query": query, "variables": {"s": "a\u0000b"}}, headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert {k: v for k, v in body.items() if k != "extensions"} == {
        "data": None,
        "errors": [
            {
                "message": "An unexpected error occurred.",
                "locations": [{"line": 1, "column": 21}],
                "path": ["accounts"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
    }
    logged = "\n".join(f"{rec.getMessage()} {rec.exc_text or ''}" for rec in caplog.records)
    assert "SELECT" in logged
