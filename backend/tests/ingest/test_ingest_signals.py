"""Tickets, surveys, touchpoints, subscriptions, invoices, contacts, usage-daily; identity; freshness."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.core.enums import Role
from app.core.jobs import JobOutbox
from app.flows.after_signals import fold_ingest_log as fold_log
from app.identity.models import AccountAlias
from app.revenue.models import SubscriptionLine
from app.scoring.models import RescoreRequest
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.touchpoints.models import Touchpoint
from app.usage.models import UsageDaily
from tests.factories import bearer, make_account, make_contact, make_user


async def post(client, headers, kind, items, **params):
    r = await client.post(f"/api/v1/ingest/{kind}", json={"items": items}, headers=headers, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def counts(body):
    return body["accepted"], body["updated"], body["duplicates"], body["unmatched"], len(body["rejected"])


async def test_tickets_priorities_updates_and_duplicates(client, session):
    await make_account(session, external_id="t-acct")
    h = await bearer(session, Role.admin)
    items = [
        {"id": "T1", "account": "t-acct", "priority": "urgent", "opened_at": "2026-11-01T10:00:00Z"},
        {"id": "T2", "account": "t-acct", "priority": "P2", "opened_at": "2026-11-01T11:00:00Z", "escalated": "TRUE"},
        {"id": "T3", "account": "t-acct", "priority": "low", "opened_at": "2026-11-01 12:00", "csat": ""},
        {"id": "T4", "account": "t-acct", "priority": "P7", "opened_at": "2026-11-01T12:00:00Z"},
    ]
    assert counts(await post(client, h, "tickets", items)) == (3, 0, 0, 0, 1)
    stored = (
        await session.execute(
            select(Ticket.source_id, Ticket.priority, Ticket.escalated, Ticket.opened_at).order_by(Ticket.source_id)
        )
    ).all()
    assert [tuple(t) for t in stored] == [
        ("T1", 1, False, datetime(2026, 11, 1, 10, tzinfo=UTC)),
        ("T2", 2, True, datetime(2026, 11, 1, 11, tzinfo=UTC)),
        ("T3", 4, False, datetime(2026, 11, 1, 12, tzinfo=UTC)),
    ]
    solved = {**items[0], "status": "solved", "resolved_at": "2026-11-02T10:00:00Z"}
    assert counts(await post(client, h, "tickets", [solved, items[1]])) == (0, 1, 1, 0, 0)
    status = (await session.execute(select(Ticket.status).where(Ticket.source_id == "T1"))).scalar_one()
    assert status == "solved"


async def test_unmatched_items_are_kept_and_replayed_when_the_account_arrives(client, session):
    h = await bearer(session, Role.admin)
    body = await post(
        client,
        h,
        "tickets",
        [
            {"id": "T9", "account": "late-acct", "priority": "high", "opened_at": "2026-11-01T10:00:00Z"},
            {"id": "T10", "account": "cus_LATE", "account_key_type": "stripe", "opened_at": "2026-11-01T10:00:00Z"},
        ],
    )
    assert counts(body) == (0, 0, 0, 2, 0)
    listed = (await client.get("/api/v1/unmatched", headers=h)).json()
    assert listed["total"] == 2
    assert sorted((i["item_id"], i["account_key_type"], i["account_key"]) for i in listed["items"]) == [
        ("T10", "stripe", "cus_LATE"),
        ("T9", "external_id", "late-acct"),
    ]

    arrived = await post(client, h, "accounts", [{"external_id": "late-acct", "name": "Late"}])
    assert arrived["replayed"] == 1
    assert (await session.execute(select(Ticket.priority).where(Ticket.source_id == "T9"))).scalar_one() == 2
    alias = await post(
        client,
        h,
        "accounts",
        [{"external_id": "late-2", "name": "Late 2", "aliases": [{"source": "stripe", "key": "cus_LATE"}]}],
    )
    assert alias["replayed"] == 1
    assert (await client.get("/api/v1/unmatched", headers=h)).json()["total"] == 0
    everything = (await client.get("/api/v1/unmatched", params={"include_resolved": True}, headers=h)).json()
    assert all(i["resolved_account_id"] for i in everything["items"]) and everything["total"] == 2


async def test_domain_keys_resolve_case_insensitively(client, session):
    account = await make_account(session, external_id="dom-acct")
    session.add(AccountAlias(account_id=account.id, source="domain", key="acme.io"))
    await session.flush()
    h = await bearer(session, Role.admin)
    body = await post(
        client,
        h,
        "touchpoints",
        [
            {
                "id": "TP1",
                "account": "ACME.io",
                "account_key_type": "domain",
                "kind": "qbr",
                "occurred_at": "2026-10-01T15:00:00Z",
                "sentiment": "positive",
                "csm_email": "nobody@example.com",
            }
        ],
    )
    assert counts(body) == (1, 0, 0, 0, 0)
    assert body["warnings"][0]["message"] == "csm_email nobody@example.com is not a Tempo user; kept as text"
    assert (await session.execute(select(Touchpoint.account_id))).scalar_one() == account.id


async def test_subscriptions_normalise_amounts_and_refuse_currencies_without_rates(client, session):
    await make_account(session, external_id="s-acct")
    h = await bearer(session, Role.admin)
    body = await post(
        client,
        h,
        "subscriptions",
        [
            {
                "id": "L1",
                "account": "s-acct",
                "product": "Platform",
                "quantity": 10,
                "mrr": 1000,
                "start_date": "2026-01-01",
            },
            {
                "id": "L2",
                "account": "s-acct",
                "product": "API",
                "arr": 2400,
                "start_date": "2026-02-01",
                "end_date": "2026-08-01",
                "cancellation_reason": "payment_failed",
            },
            {"id": "L3", "account": "s-acct", "unit_amount": 5, "currency": "xof", "start_date": "2026-01-01"},
            {"id": "L4", "account": "s-acct", "mrr": 5, "arr": 60, "start_date": "2026-01-01"},
            {"id": "L5", "account": "s-acct", "mrr": 5, "start_date": "2026-01-01", "end_date": "2025-01-01"},
        ],
    )
    assert counts(body) == (2, 0, 0, 0, 3)
    assert [(r["id"], r["errors"][0]["msg"]) for r in body["rejected"]] == [
        (
            "L3",
            "no exchange rate from XOF to USD: add its rates (POST /api/v1/fx-rates) "
            "or send amounts in a currency Tempo has rates for",
        ),
        ("L4", "give exactly one of unit_amount, mrr or arr"),
        ("L5", "end_date is before start_date"),
    ]
    lines = (
        await session.execute(
            select(
                SubscriptionLine.source_id,
                SubscriptionLine.quantity,
                SubscriptionLine.unit_amount,
                SubscriptionLine.interval,
            ).order_by(SubscriptionLine.source_id)
        )
    ).all()
    assert [tuple(x) for x in lines] == [
        ("L1", Decimal("10.0000"), Decimal("100.0000"), "month"),
        ("L2", Decimal("1.0000"), Decimal("2400.0000"), "year"),
    ]


async def test_surveys_validate_score_ranges_and_link_contacts(client, session):
    account = await make_account(session, external_id="n-acct")
    contact = await make_contact(session, account, email="Pat@Example.com")
    h = await bearer(session, Role.admin)
    body = await post(
        client,
        h,
        "surveys",
        [
            {
                "id": "N1",
                "account": "n-acct",
                "kind": "nps",
                "score": 9,
                "contact_email": "pat@example.com",
                "responded_at": "2026-10-01T00:00:00Z",
            },
            {"id": "N2", "account": "n-acct", "kind": "nps", "score": 11, "responded_at": "2026-10-01T00:00:00Z"},
            {"id": "C1", "account": "n-acct", "kind": "csat", "score": 0, "responded_at": "2026-10-01T00:00:00Z"},
        ],
    )
    assert counts(body) == (1, 0, 0, 0, 2)
    assert [r["errors"][0]["msg"] for r in body["rejected"]] == [
        "score must be between 0 and 10 for nps",
        "score must be between 1 and 5 for csat",
    ]
    assert (await session.execute(select(SurveyResponse.contact_id))).scalar_one() == contact.id


async def test_usage_daily_aggregates_replace_not_add(client, session):
    await make_account(session, external_id="u-acct")
    h = await bearer(session, Role.admin)
    row = {
        "account": "u-acct",
        "date": "2026-11-01",
        "feature": "reports",
        "events": 40,
        "active_users": 7,
        "minutes": 95.5,
        "api_calls": 1200,
    }
    assert counts(await post(client, h, "usage-daily", [row])) == (1, 0, 0, 0, 0)
    assert counts(await post(client, h, "usage-daily", [row])) == (0, 0, 1, 0, 0)
    assert counts(await post(client, h, "usage-daily", [{**row, "events": 41}])) == (0, 1, 0, 0, 0)
    stored = (await session.execute(select(UsageDaily.events, UsageDaily.active_users, UsageDaily.api_calls))).one()
    assert tuple(stored) == (41, 7, 1200)


async def test_contacts_and_invoices(client, session):
    await make_account(session, external_id="c-acct")
    h = await bearer(session, Role.admin)
    assert counts(
        await post(
            client,
            h,
            "contacts",
            [
                {
                    "id": "P1",
                    "account": "c-acct",
                    "name": "Pat",
                    "email": "pat@example.com",
                    "role": "champion",
                    "is_primary": "True",
                },
                {"id": "P2", "account": "c-acct", "role": "boss"},
            ],
        )
    ) == (1, 0, 0, 0, 1)
    assert counts(
        await post(
            client,
            h,
            "invoices",
            [
                {
                    "id": "I1",
                    "account": "c-acct",
                    "amount": 1000,
                    "issued_at": "2026-10-01T00:00:00Z",
                    "due_at": "2026-10-31T00:00:00Z",
                    "status": "open",
                },
                {
                    "id": "I1",
                    "account": "c-acct",
                    "amount": 1000,
                    "issued_at": "2026-10-01T00:00:00Z",
                    "due_at": "2026-10-31T00:00:00Z",
                    "status": "paid",
                    "paid_at": "2026-10-20T00:00:00Z",
                },
            ],
        )
    ) == (1, 0, 1, 0, 0)


async def test_freshness_and_rescore_requests_follow_accepted_signals(client, session):
    account = await make_account(session, external_id="f-acct")
    await make_user(session, email="csm@example.com")
    h = await bearer(session, Role.admin)
    await post(
        client,
        h,
        "tickets",
        [
            {"id": "F1", "account": "f-acct", "opened_at": "2026-09-10T00:00:00Z"},
            {"id": "F2", "account": "f-acct", "opened_at": "2026-09-03T00:00:00Z"},
        ],
        source="zendesk",
    )
    await post(
        client, h, "tickets", [{"id": "F3", "account": "f-acct", "opened_at": "2026-09-20T00:00:00Z"}], source="zendesk"
    )
    # Freshness counts calls before and after they are folded into the source.
    sources = (await client.get("/api/v1/sources", headers=h)).json()
    zendesk = next(s for s in sources if s["key"] == "zendesk")
    assert (zendesk["items_received"], zendesk["stale"], zendesk["stale_after_days"]) == (3, False, 10)
    assert await fold_log(session) == 2
    assert await fold_log(session) == 0
    after = next(s for s in (await client.get("/api/v1/sources", headers=h)).json() if s["key"] == "zendesk")
    assert (after["items_received"], after["last_received_at"]) == (3, zendesk["last_received_at"])
    request = (
        await session.execute(select(RescoreRequest).where(RescoreRequest.account_id == account.id))
    ).scalar_one()
    assert request.since == date(2026, 9, 3)
    jobs = (await session.execute(select(JobOutbox.function))).scalars().all()
    assert jobs == []  # sent to Redis after commit, so the outbox is empty again


async def test_a_silent_source_raises_data_stale_and_resolves_when_it_sends(client, session):
    from datetime import timedelta

    from app.alerts.models import Alert
    from app.core.models import utcnow
    from app.flows.stale_sources import check_stale_sources
    from app.ingest.models import DataSource
    from app.notifications.models import Delivery, NotificationChannel

    await make_account(session, external_id="st-acct")
    session.add(NotificationChannel(name="Ops", kind="webhook", target="https://hooks.example/ops"))
    session.add(
        DataSource(
            key="hubspot",
            name="HubSpot",
            stale_after_days=10,
            last_received_at=utcnow() - timedelta(days=12),
            items_received=5,
        )
    )
    await session.flush()
    assert await check_stale_sources({}) == {"stale": 1, "resolved": 0, "rejections_pruned": 0}
    assert await check_stale_sources({}) == {"stale": 1, "resolved": 0, "rejections_pruned": 0}  # still one open alert
    alerts = (await session.execute(select(Alert.rule, Alert.status, Alert.title))).all()
    assert [tuple(a) for a in alerts] == [("data_stale", "open", "HubSpot has sent nothing for 12 days")]
    # it reached the notification channel once, when it opened (not again on the second check)
    sent = (await session.execute(select(Delivery.event_type, Delivery.payload))).all()
    assert [(e, p["text"], p["alert"]["facts"]["source"]) for e, p in sent] == [
        ("alert.opened", "[medium] HubSpot has sent nothing for 12 days", "hubspot")
    ]

    h = await bearer(session, Role.admin)
    await post(
        client,
        h,
        "tickets",
        [{"id": "S1", "account": "st-acct", "opened_at": "2026-11-01T00:00:00Z"}],
        source="hubspot",
    )
    assert await check_stale_sources({}) == {"stale": 0, "resolved": 1, "rejections_pruned": 0}
    assert (await session.execute(select(Alert.status))).scalar_one() == "resolved"


async def test_alert_raising_signals_are_rescored_before_usage(client, session):
    """A stream of usage events must not delay a P1 ticket: requests from tickets (and every
    kind but events/usage-daily) are taken first, whenever they arrived."""
    from app.scoring.service import take_rescore_requests

    busy = [await make_account(session, external_id=f"u-{n}") for n in range(3)]
    urgent = await make_account(session, external_id="p1-acct")
    both = await make_account(session, external_id="both-acct")
    h = await bearer(session, Role.admin)
    events = [
        {"id": f"e{n}", "account": a.external_id, "user_id": "u1", "event": "x", "timestamp": "2026-09-10T10:00:00Z"}
        for n, a in enumerate([*busy, both])
    ]
    await post(client, h, "events", events)
    await post(
        client,
        h,
        "tickets",
        [{"id": "P1", "account": "p1-acct", "priority": "P1", "opened_at": "2026-09-11T00:00:00Z"}],
    )
    await post(client, h, "tickets", [{"id": "P2", "account": "both-acct", "opened_at": "2026-09-12T00:00:00Z"}])
    await fold_log(session)
    priorities = dict((await session.execute(select(RescoreRequest.account_id, RescoreRequest.priority))).all())
    assert [priorities[a.id] for a in busy] == [1, 1, 1]
    assert (priorities[urgent.id], priorities[both.id]) == (0, 0)  # usage then a ticket: urgent
    first = await take_rescore_requests(session, limit=2)
    assert set(first) == {urgent.id, both.id}
    assert first[both.id] == date(2026, 9, 10)  # since the earliest signal, whichever kind
    assert set(await take_rescore_requests(session, limit=10)) == {a.id for a in busy}
