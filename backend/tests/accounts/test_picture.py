"""The account picture (DESIGN §10): every section on a hand-built account, in one call,
with a fixed number of statements whatever the account holds (no N+1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import event

from app.accounts.models import Note
from app.accounts.schemas import AccountDetail
from app.alerts.models import Alert
from app.core.enums import Role
from app.core.models import utcnow
from app.playbooks import service as playbooks
from app.renewals.models import Renewal
from app.revenue.models import Invoice, SubscriptionLine
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot, QuadrantMove
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.tasks.models import Task
from app.touchpoints.models import Touchpoint
from tests.factories import bearer, make_account, make_contact, make_user


def month_start(d: date, back: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - back, 12)
    return date(y, m + 1, 1)


async def _full_account(session, copies: int = 1):
    now = utcnow()
    today = now.date()
    owner = await make_user(session, role=Role.csm, name="Robin Diaz")
    a = await make_account(session, name="Acme", owner_id=owner.id, arr=18_000)
    await make_contact(session, a, name="Pat Lee", role="champion", is_primary=True)
    version = (await scoring.load_active(session)).version
    api_start = month_start(today, 3)
    session.add_all(
        [
            SubscriptionLine(
                source_id=f"{a.id}-core",
                account_id=a.id,
                product="core",
                plan="growth",
                quantity=Decimal(10),
                unit_amount=Decimal(100),
                interval="month",
                start_date=month_start(today, 14),
            ),
            SubscriptionLine(
                source_id=f"{a.id}-api",
                account_id=a.id,
                product="api",
                plan="api",
                quantity=Decimal(1),
                unit_amount=Decimal(6000),
                interval="year",
                start_date=api_start,
            ),
        ]
    )
    for as_of, score, quadrant in (
        (today - timedelta(days=100), 80.0, "champions"),
        (today - timedelta(days=30), 70.0, "champions"),
        (today, 52.5, "frustrated_power_users"),
    ):
        session.add(
            HealthSnapshot(
                account_id=a.id,
                as_of=as_of,
                config_version=version,
                usage_score=75.0,
                support_score=20.0,
                sentiment_score=40.0,
                relationship_score=None,
                commercial_score=90.0,
                usage_axis=75.0,
                health_axis=45.0,
                health_score=score,
                band="at_risk" if score < 60 else "watch",
                quadrant=quadrant,
                coverage=0.85,
                inputs={"usage": {"active_users": 8.0, "feature_adoption": 0.5, "user_days": 90.0}},
            )
        )
    session.add(
        AccountHealth(
            account_id=a.id, as_of=today, config_version=version, health_score=52.5, band="at_risk",
            quadrant="frustrated_power_users", open_tickets=2,
        )
    )  # fmt: skip
    session.add(
        QuadrantMove(
            account_id=a.id, moved_on=today, from_quadrant="champions", to_quadrant="frustrated_power_users",
            config_version=version,
        )
    )  # fmt: skip
    for n in range(copies):
        session.add_all(
            [
                Ticket(
                    source_id=f"{a.id}-p1-{n}", account_id=a.id, priority=1, status="open",
                    opened_at=now - timedelta(hours=50), subject="Exports fail", sla_due_at=now - timedelta(hours=2),
                ),
                Ticket(
                    source_id=f"{a.id}-p3-{n}", account_id=a.id, priority=3, status="pending",
                    opened_at=now - timedelta(days=10), subject="Question",
                ),
                Ticket(
                    source_id=f"{a.id}-p2-{n}", account_id=a.id, priority=2, status="solved",
                    opened_at=now - timedelta(days=20), resolved_at=now - timedelta(days=19),
                ),
                SurveyResponse(
                    source_id=f"{a.id}-nps-{n}", account_id=a.id, kind="nps", score=4,
                    responded_at=now - timedelta(days=3), comment="Too slow",
                ),
                Touchpoint(
                    source_id=f"{a.id}-qbr-{n}", account_id=a.id, kind="qbr", occurred_at=now - timedelta(days=5),
                    sentiment="positive", summary="Q3 review",
                ),
                Invoice(
                    source_id=f"{a.id}-inv-{n}", account_id=a.id, amount=Decimal(1500), status="open",
                    issued_at=now - timedelta(days=65), due_at=now - timedelta(days=35, hours=1),
                ),
                Note(account_id=a.id, author_id=owner.id, body=f"Call went well {n}"),
                Task(account_id=a.id, title=f"Send the deck {n}", due_date=today + timedelta(days=2)),
            ]
        )  # fmt: skip
    session.add_all(
        [
            Renewal(
                account_id=a.id, renewal_date=today + timedelta(days=40), arr_up_for_renewal=Decimal(18000),
                forecast="commit",
            ),
            Alert(
                account_id=a.id, rule="critical_ticket", severity="high", dedupe_key=f"critical_ticket:{a.id}",
                title="P1 open for 2 days", opened_at=now - timedelta(hours=1),
            ),
            Alert(
                account_id=a.id, rule="detractor", severity="medium", dedupe_key=f"detractor:{a.id}",
                title="NPS 4", opened_at=now - timedelta(days=2), status="resolved", resolved_at=now,
            ),
        ]
    )  # fmt: skip
    await session.flush()
    library = {p.key: p for p in await playbooks.list_playbooks(session)}
    await playbooks.start(session, library["critical-ticket-escalation"], a.id, "test")
    await session.flush()
    return a, today, api_start


async def test_the_picture_has_every_section(client, session):
    a, today, api_start = await _full_account(session)
    headers = await bearer(session, Role.viewer)
    r = await client.get(f"/api/v1/accounts/{a.id}", headers=headers)
    assert r.status_code == 200, r.text
    p = r.json()
    # Postgres writes this JSON: it must be exactly the documented shape (no field more or less)
    AccountDetail.model_validate_json(r.content)
    assert set(p) == set(AccountDetail.model_json_schema(mode="serialization")["properties"])
    assert (p["name"], p["owner"]["name"], p["health_score"], p["quadrant"]) == (
        "Acme", "Robin Diaz", 52.5, "frustrated_power_users",
    )  # fmt: skip

    # ARR trend: 12,000 (10 seats x 100 x 12) every month, plus 6,000 a year from the API line
    points = [(date.fromisoformat(x["date"]), x["arr"]) for x in p["arr_trend"]]
    assert points[0][0] == month_start(today, 12) and points[-1][0] == today
    assert all(arr == (18_000.0 if d >= api_start else 12_000.0) for d, arr in points)
    assert [(s["product"], s["arr"]) for s in p["subscriptions"]] == [("api", 6000.0), ("core", 12000.0)]

    # health: components now (with the config's weights) and the last 90 days only
    assert p["components"]["coverage"] == 0.85
    assert [(c["name"], c["score"], c["weight"]) for c in p["components"]["items"]] == [
        ("usage", 75.0, 0.35), ("support", 20.0, 0.2), ("sentiment", 40.0, 0.2),
        ("relationship", None, 0.15), ("commercial", 90.0, 0.1),
    ]  # fmt: skip
    assert [(h["as_of"], h["health_score"], h["active_users"]) for h in p["health_history"]] == [
        ((today - timedelta(days=30)).isoformat(), 70.0, 8.0),
        (today.isoformat(), 52.5, 8.0),
    ]
    assert p["quadrant_moves"] == [{"moved_on": today.isoformat(), "from": "champions", "to": "frustrated_power_users"}]

    # open tickets by priority with their age; the solved one is not listed
    assert [(t["priority"], t["status"], t["age_days"], t["sla_breached"]) for t in p["tickets"]] == [
        (1, "open", 2, True),
        (3, "pending", 10, False),
    ]
    assert [(s["kind"], s["score"], s["comment"]) for s in p["surveys"]] == [("nps", 4, "Too slow")]
    assert [(t["kind"], t["sentiment"], t["summary"]) for t in p["touches"]] == [("qbr", "positive", "Q3 review")]
    assert [(r["days_to_renewal"], r["arr_up_for_renewal"], r["forecast"]) for r in p["renewals"]] == [
        (40, 18000.0, "commit")
    ]
    assert [(i["amount"], i["days_overdue"]) for i in p["invoices"]] == [(1500.0, 35)]
    assert (p["unpaid"]["count"], p["unpaid"]["amount"]) == (1, 1500.0)
    assert [(al["rule"], al["status"]) for al in p["alerts"]] == [("critical_ticket", "open")]
    assert [n["body"] for n in p["notes"]] == ["Call went well 0"] and p["notes"][0]["author"] == "Robin Diaz"
    assert [(r["playbook_name"], r["status"], r["tasks_open"], r["tasks_total"]) for r in p["playbook_runs"]] == [
        ("Critical ticket escalation", "active", 3, 3)
    ]
    assert "Send the deck 0" in [t["title"] for t in p["tasks"]]

    # one timeline, newest first, with a tone per event
    kinds = [(e["kind"], e["tone"]) for e in p["timeline"]]
    assert kinds[0][0] in ("playbook", "note")  # written just now
    assert ("nps", "bad") in kinds and ("touch", "good") in kinds and ("quadrant_move", "bad") in kinds
    assert ("ticket", "bad") in kinds and ("alert", "bad") in kinds
    assert [e["at"] for e in p["timeline"]] == sorted((e["at"] for e in p["timeline"]), reverse=True)


async def test_the_picture_costs_the_same_statements_whatever_the_account_holds(client, session, engine):
    small, *_ = await _full_account(session, copies=1)
    big, *_ = await _full_account(session, copies=12)
    headers = await bearer(session, Role.viewer)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        counts = []
        for account in (small, big):
            statements.clear()
            r = await client.get(f"/api/v1/accounts/{account.id}", headers=headers)
            assert r.status_code == 200
            counts.append(len(statements))
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert counts[0] == counts[1]
    big_picture = r.json()
    assert len(big_picture["tickets"]) == 24 and len(big_picture["notes"]) == 12


async def test_flag_owner_tags_and_notes(client, session):
    a, *_ = await _full_account(session)
    other = await make_user(session, role=Role.csm, email="sam@example.com")
    lead = await bearer(session, Role.leader)  # reassigning an account is a leader's (DESIGN §16)
    viewer = await bearer(session, Role.viewer)
    r = await client.patch(
        f"/api/v1/accounts/{a.id}", json={"flag": "yellow", "owner_id": str(other.id), "tags": ["b", "a", "b"]},
        headers=lead,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["flag"], r.json()["owner"]["email"]) == ("yellow", "sam@example.com")
    r = await client.patch(f"/api/v1/accounts/{a.id}", json={"flag": None}, headers=lead)
    assert r.json()["flag"] is None and r.json()["owner"]["email"] == "sam@example.com"  # only what was sent
    got = (await client.get(f"/api/v1/accounts/{a.id}", headers=lead)).json()
    assert got["tags"] == ["a", "b"]
    assert (await client.patch(f"/api/v1/accounts/{a.id}", json={"flag": "purple"}, headers=lead)).status_code == 422
    assert (await client.patch(f"/api/v1/accounts/{a.id}", json={"flag": "red"}, headers=viewer)).status_code == 403

    note = await client.post(f"/api/v1/accounts/{a.id}/notes", json={"body": "  Exec sponsor changed  "}, headers=lead)
    assert note.status_code == 201 and note.json()["body"] == "Exec sponsor changed"
    empty = await client.post(f"/api/v1/accounts/{a.id}/notes", json={"body": "   "}, headers=lead)
    assert empty.status_code == 422 and empty.json()["errors"][0]["loc"] == ["body", "body"]
    got = (await client.get(f"/api/v1/accounts/{a.id}", headers=lead)).json()
    assert got["notes"][0]["body"] == "Exec sponsor changed"
    someone_else = await bearer(session, Role.csm)
    note_id = note.json()["id"]
    assert (await client.delete(f"/api/v1/accounts/{a.id}/notes/{note_id}", headers=someone_else)).status_code == 403
    assert (await client.delete(f"/api/v1/accounts/{a.id}/notes/{note_id}", headers=lead)).status_code == 204
