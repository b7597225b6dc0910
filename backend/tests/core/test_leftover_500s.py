"""Server errors an audit found, each now a client error (or a success) with exact answers:
ingest at its item limit, deep JSON in import form fields, a snooze time without a time
zone, and scoring-config numbers PostgreSQL cannot store."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from app.accounts.models import Account, AccountRevision
from app.alerts.models import Alert
from app.core.enums import Role
from app.identity.models import AccountAlias
from app.ingest.schemas import MAX_ITEMS
from app.revenue.models import SubscriptionLine
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from tests.factories import bearer, make_account, make_contact

MAX_INT = 2_147_483_647


def counts(body: dict[str, Any]) -> tuple[int, int, int, int, int, int]:
    return (
        body["accepted"],
        body["updated"],
        body["duplicates"],
        body["unmatched"],
        len(body["rejected"]),
        len(body["warnings"]),
    )


# -- 1. ingest at MAX_ITEMS ---------------------------------------------------------------


async def test_ingest_of_max_items_accounts_then_their_aliases(client, session):
    """5,000 accounts in one call used to build a 10,000-row ``(type, key) IN (...)`` that
    PostgreSQL refused ("stack depth limit exceeded"): a 500."""
    assert MAX_ITEMS == 5000
    h = await bearer(session, Role.admin)
    accounts = [{"external_id": f"bulk-{i}", "name": f"Bulk {i}"} for i in range(MAX_ITEMS)]
    first = await client.post("/api/v1/ingest/accounts", json={"items": accounts}, headers=h)
    assert first.status_code == 200, first.text
    assert counts(first.json()) == (5000, 0, 0, 0, 0, 0)

    # Tickets keyed by the aliases wait in the unmatched inbox until the aliases arrive.
    tickets = [
        {"id": f"bulk-t{i}", "account": f"cus_{i}", "account_key_type": "stripe", "opened_at": "2026-11-01T00:00:00Z"}
        for i in (0, 2500, 4999)
    ]
    waiting = await client.post("/api/v1/ingest/tickets", json={"items": tickets}, headers=h)
    assert counts(waiting.json()) == (0, 0, 0, 3, 0, 0)

    aliased = [a | {"aliases": [{"source": "stripe", "key": f"cus_{i}"}]} for i, a in enumerate(accounts)]
    second = await client.post("/api/v1/ingest/accounts", json={"items": aliased}, headers=h)
    assert second.status_code == 200, second.text
    body = second.json()
    # every account matched the stored one (nothing new, nothing changed), every alias is theirs
    assert counts(body) == (0, 0, 5000, 0, 0, 0)
    assert (body["replayed"], body["replay_rejected"]) == (3, 0)
    owners = dict(
        (
            await session.execute(
                select(AccountAlias.key, Account.external_id)
                .join(Account, Account.id == AccountAlias.account_id)
                .where(AccountAlias.source == "stripe")
            )
        ).all()
    )
    assert len(owners) == 5000
    assert all(owners[f"cus_{i}"] == f"bulk-{i}" for i in range(MAX_ITEMS))
    stored = (
        await session.execute(
            select(Ticket.source_id, Account.external_id)
            .join(Account, Account.id == Ticket.account_id)
            .where(Ticket.source_id.like("bulk-t%"))
            .order_by(Ticket.source_id)
        )
    ).all()
    assert [tuple(r) for r in stored] == [
        ("bulk-t0", "bulk-0"),
        ("bulk-t2500", "bulk-2500"),
        ("bulk-t4999", "bulk-4999"),
    ]


async def test_ingest_of_max_items_surveys_links_contacts(client, session):
    """Surveys look their contacts up by (account, email): 5,000 pairs in one statement."""
    account = await make_account(session, external_id="s-bulk")
    contact = await make_contact(session, account, email="Pat@Example.com")
    h = await bearer(session, Role.admin)
    items = [
        {
            "id": f"sb-{i}",
            "account": "s-bulk",
            "kind": "nps",
            "score": i % 11,
            "contact_email": "pat@example.com" if i == 0 else f"p{i}@example.com",
            "responded_at": "2026-10-01T00:00:00Z",
        }
        for i in range(MAX_ITEMS)
    ]
    r = await client.post("/api/v1/ingest/surveys", json={"items": items}, headers=h)
    assert r.status_code == 200, r.text
    assert counts(r.json()) == (5000, 0, 0, 0, 0, 0)
    linked = (
        await session.execute(select(SurveyResponse.source_id).where(SurveyResponse.contact_id == contact.id))
    ).all()
    assert [tuple(x) for x in linked] == [("sb-0",)]
    total = await session.scalar(select(func.count()).where(SurveyResponse.account_id == account.id))
    assert total == 5000


async def test_ingest_of_max_items_subscription_lines(client, session):
    """5,000 new lines were one multi-row INSERT of 70,000+ parameters, past asyncpg's
    32,767 (answered 503 "database not reachable")."""
    account = await make_account(session, external_id="l-bulk")
    h = await bearer(session, Role.admin)
    items = [
        {
            "id": f"lb-{i}",
            "account": "l-bulk",
            "product": "Platform",
            "quantity": 1,
            "mrr": 10,
            "start_date": "2026-01-01",
        }
        for i in range(MAX_ITEMS)
    ]
    r = await client.post("/api/v1/ingest/subscriptions", json={"items": items}, headers=h)
    assert r.status_code == 200, r.text
    assert counts(r.json()) == (5000, 0, 0, 0, 0, 0)
    assert await session.scalar(select(func.count()).where(SubscriptionLine.account_id == account.id)) == 5000
    again = await client.post("/api/v1/ingest/subscriptions", json={"items": items}, headers=h)
    assert counts(again.json()) == (0, 0, 5000, 0, 0, 0)


async def test_first_plan_change_of_max_items_accounts_keeps_both_revisions(client, session):
    """Accounts stored with a plan but no revisions get two revision rows on their first
    change (before, from the start; after, from today): 10,000 rows in one INSERT."""
    await session.execute(
        insert(Account),
        [{"external_id": f"rv-{i}", "name": f"Rev {i}", "plan": "Growth"} for i in range(MAX_ITEMS)],
    )
    h = await bearer(session, Role.admin)
    items = [{"external_id": f"rv-{i}", "name": f"Rev {i}", "plan": "Enterprise"} for i in range(MAX_ITEMS)]
    r = await client.post("/api/v1/ingest/accounts", json={"items": items}, headers=h)
    assert r.status_code == 200, r.text
    assert counts(r.json()) == (0, 5000, 0, 0, 0, 0)
    plans = (
        await session.execute(
            select(AccountRevision.plan, func.count())
            .join(Account, Account.id == AccountRevision.account_id)
            .where(Account.external_id.like("rv-%"))
            .group_by(AccountRevision.plan)
            .order_by(AccountRevision.plan)
        )
    ).all()
    assert [tuple(p) for p in plans] == [("Enterprise", 5000), ("Growth", 5000)]


# -- 2. deep JSON in import form fields -----------------------------------------------------

DEEP = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.mark.parametrize("field", ["mapping", "values"])
async def test_deep_json_in_an_import_form_field_is_refused_naming_it(client, session, field):
    h = await bearer(session, Role.admin)
    r = await client.post(
        "/api/v1/import/accounts",
        files={"file": ("a.csv", b"external_id,name\na-1,Acme\n", "text/csv")},
        data={field: DEEP},
        headers=h,
    )
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["detail"] == f"{field}: JSON nested deeper than 64 levels"
    assert body["errors"] == [{"loc": ["body", field], "msg": "JSON nested deeper than 64 levels"}]


# -- 3. snooze until a time without a time zone ---------------------------------------------


async def _alert(session) -> tuple[uuid.UUID, dict[str, str]]:
    account = await make_account(session, name="Snoozy")
    alert = Alert(
        account_id=account.id,
        rule="critical_ticket",
        severity="high",
        status="open",
        dedupe_key=f"critical_ticket:{account.id}",
        title="1 P1/P2 ticket open for more than 24 hours",
        facts={},
        opened_at=datetime.now(UTC),
    )
    session.add(alert)
    await session.flush()
    return alert.id, await bearer(session, Role.admin)


async def test_snooze_until_a_naive_time_reads_it_as_utc(client, session):
    alert_id, h = await _alert(session)
    until = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0, tzinfo=None)
    r = await client.post(f"/api/v1/alerts/{alert_id}/snooze", json={"until": until.isoformat()}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "snoozed"
    assert datetime.fromisoformat(r.json()["snoozed_until"]) == until.replace(tzinfo=UTC)
    stored = await session.scalar(select(Alert.snoozed_until).where(Alert.id == alert_id))
    assert stored == until.replace(tzinfo=UTC)

    past = (datetime.now(UTC) - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    r = await client.post(f"/api/v1/alerts/{alert_id}/snooze", json={"until": past}, headers=h)
    assert (r.status_code, r.json()["detail"]) == (400, "until must be in the future and at most a year ahead")


async def test_snooze_with_an_offset_is_kept_as_that_instant(client, session):
    alert_id, h = await _alert(session)
    until = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    text = until.astimezone(timezone(timedelta(hours=5, minutes=30))).isoformat()
    r = await client.post(f"/api/v1/alerts/{alert_id}/snooze", json={"until": text}, headers=h)
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["snoozed_until"]) == until


# -- 4. scoring config bounds ----------------------------------------------------------------


async def _body(client, h) -> dict[str, Any]:
    return (await client.get("/api/v1/scoring/config", headers=h)).json()["body"]


def _raw(payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """Sent as Python's json writes it: ``Infinity`` and ``NaN`` as bare words."""
    return {"content": json.dumps(payload), "headers": headers | {"content-type": "application/json"}}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("alerts", "renewal_days"), [90, MAX_INT + 1]),
        (("alerts", "renewal_days"), [0]),
        (("alerts", "renewal_days"), list(range(1, 30))),
        (("alerts", "ticket_surge_open"), MAX_INT + 1),
        (("alerts", "payment_overdue_days"), 10**12),
        (("alerts", "ticket_surge_ratio"), 1e308),
        (("alerts", "ticket_surge_ratio"), float("inf")),
        (("alerts", "health_drop_points"), float("nan")),
        (("alerts", "usage_decline"), float("nan")),
        (("quadrant", "hysteresis"), float("inf")),
        (("churn_probability",), [[0, 0.5], [float("inf"), 0.1]]),
        (("components", "usage", "metrics", "login_frequency", "curve"), [[0, 0], [float("inf"), 100]]),
        (("components", "usage", "metrics", "login_frequency", "curve"), [[float("nan"), 0]]),
        (("components", "usage", "weight"), float("nan")),
    ],
)
async def test_out_of_range_config_numbers_are_422_with_their_loc(client, session, path, value):
    h = await bearer(session, Role.admin)
    body = await _body(client, h)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    for url, payload in (
        ("/api/v1/scoring/config/versions", {"name": "bad", "body": body}),
        ("/api/v1/scoring/config/preview", {"body": body}),
    ):
        r = await client.post(url, **_raw(payload, h))
        assert r.status_code == 422, (url, r.text)
        locs = [e["loc"] for e in r.json()["errors"]]
        assert any(loc[: 2 + len(path)] == ["body", "body", *path] for loc in locs), (url, locs)


async def test_config_bounds_keep_the_sensible_values(client, session):
    h = await bearer(session, Role.admin)
    body = await _body(client, h)
    body["alerts"] |= {
        "renewal_days": [365, 120, 1],
        "ticket_surge_open": 1000,
        "ticket_surge_ratio": 100,
        "payment_overdue_days": 365,
    }
    r = await client.post("/api/v1/scoring/config/versions", json={"name": "edges", "body": body}, headers=h)
    assert r.status_code == 201, r.text
    assert {k: r.json()["body"]["alerts"][k] for k in body["alerts"]} == body["alerts"]
