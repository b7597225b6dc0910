"""Snoozing without a date: for the rule's snooze days in the active config, else the default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from app.alerts import service as alerts
from app.alerts.models import Alert
from app.alerts.rules import AlertThresholds
from app.core.enums import Role
from app.scoring import repository as scoring_repo
from app.scoring import service as scoring
from app.scoring.config import default_body
from tests.factories import bearer, make_account

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(alerts, "utcnow", lambda: NOW)


async def open_alert(session, rule: str, account_id=None) -> str:
    alert = Alert(
        account_id=account_id,
        rule=rule,
        severity="medium",
        dedupe_key=f"{rule}:{account_id}",
        title=f"{rule} fired",
        opened_at=datetime.now(UTC),
    )
    session.add(alert)
    await session.flush()
    return f"/api/v1/alerts/{alert.id}/snooze"


async def test_no_date_snoozes_for_the_rules_days(client, session, frozen):
    await scoring.load_active(session)
    a = await make_account(session)
    admin = await bearer(session, Role.admin)
    ticket = await open_alert(session, "critical_ticket", a.id)  # 1 day in the default config
    decline = await open_alert(session, "usage_decline", a.id)  # no days of its own: 7
    stale = await open_alert(session, "data_stale")  # a source alert, on no account: 7

    r = await client.post(ticket, json={}, headers=admin)
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["snoozed_until"]) == ("snoozed", "2026-03-03T09:30:00Z")
    # no body at all: the same
    r = await client.post(decline, headers=admin)
    assert (r.json()["status"], r.json()["snoozed_until"]) == ("snoozed", "2026-03-09T09:30:00Z")
    r = await client.post(stale, json={"until": None}, headers=admin)
    assert r.json()["snoozed_until"] == "2026-03-09T09:30:00Z"

    audit = await session.execute(text("SELECT detail FROM audit_log WHERE action = 'alert.snooze' ORDER BY id"))
    assert [row.detail for row in audit] == [
        {"until": "2026-03-03T09:30:00+00:00", "days": 1},
        {"until": "2026-03-09T09:30:00+00:00", "days": 7},
        {"until": "2026-03-09T09:30:00+00:00", "days": 7},
    ]


async def test_the_active_versions_days_apply_and_a_date_still_wins(client, session, frozen):
    await scoring.load_active(session)
    a = await make_account(session)
    admin = await bearer(session, Role.admin)
    body = default_body().model_copy(
        update={"alerts": AlertThresholds(snooze_default_days=3, snooze_days={"critical_ticket": 5})}
    )
    row = await scoring_repo.add_config(session, body, "quieter", None)
    assert row.version is not None
    await scoring_repo.activate_config(session, row.version)
    ticket = await open_alert(session, "critical_ticket", a.id)
    renewal = await open_alert(session, "renewal_90", a.id)
    chosen = await open_alert(session, "seat_limit", a.id)

    assert (await client.post(ticket, json={}, headers=admin)).json()["snoozed_until"] == "2026-03-07T09:30:00Z"
    # renewal_90 is no longer listed: the version's default
    assert (await client.post(renewal, json={}, headers=admin)).json()["snoozed_until"] == "2026-03-05T09:30:00Z"
    until = (NOW + timedelta(days=2, hours=1)).isoformat()
    assert (await client.post(chosen, json={"until": until}, headers=admin)).json()[
        "snoozed_until"
    ] == "2026-03-04T10:30:00Z"
    # and a date in the past is still refused
    past = await client.post(chosen, json={"until": (NOW - timedelta(hours=1)).isoformat()}, headers=admin)
    assert past.status_code == 400
