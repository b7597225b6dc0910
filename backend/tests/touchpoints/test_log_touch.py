"""``POST /api/v1/accounts/{id}/touchpoints``: a touch logged in Tempo goes in through ingest like
a CRM's, counts for the relationship score, and asks for the account's rescore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.enums import Role
from app.flows.after_signals import fold_ingest_log
from app.scoring.models import RescoreRequest
from app.scoring.repository import fetch_inputs
from tests.factories import make_account, make_user


async def test_a_csm_logs_a_call_and_it_counts_as_their_touch(client, session):
    casey = await make_user(session, role=Role.csm, email="casey@example.com")
    token, _, _ = await auth_service.login(session, casey.email, "correct-horse")
    headers = {"Authorization": f"Bearer {token}"}
    account = await make_account(session, owner_id=casey.id)
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    r = await client.post(
        f"/api/v1/accounts/{account.id}/touchpoints",
        json={"kind": "call", "occurred_at": when.isoformat(), "sentiment": "negative", "summary": "Budget cut"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["source_id"].startswith("tempo:")
    assert {k: body[k] for k in ("account_id", "kind", "sentiment", "summary", "csm_id", "csm_email")} == {
        "account_id": str(account.id),
        "kind": "call",
        "sentiment": "negative",
        "summary": "Budget cut",
        "csm_id": str(casey.id),
        "csm_email": "casey@example.com",
    }
    assert datetime.fromisoformat(body["occurred_at"]) == when
    # the relationship component reads it like any touch: a day old, negative
    inputs = (await fetch_inputs(session, [account.id], when.date()))[account.id]["relationship"]
    assert (inputs["days_since_touch"], inputs["touch_sentiment"]) == (0.0, -1.0)
    await fold_ingest_log(session)
    request = (
        await session.execute(select(RescoreRequest).where(RescoreRequest.account_id == account.id))
    ).scalar_one()
    assert request.since == when.date()


async def test_what_a_touch_may_not_be(client, session):
    admin = await make_user(session, role=Role.admin)
    token, _, _ = await auth_service.login(session, admin.email, "correct-horse")
    headers = {"Authorization": f"Bearer {token}"}
    account = await make_account(session)
    url = f"/api/v1/accounts/{account.id}/touchpoints"
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    r = await client.post(url, json={"kind": "call", "occurred_at": ahead}, headers=headers)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "occurred_at"]
    r = await client.post(url, json={"kind": "lunch"}, headers=headers)
    assert r.status_code == 422
    r = await client.post(
        "/api/v1/accounts/00000000-0000-4000-8000-000000000000/touchpoints", json={"kind": "call"}, headers=headers
    )
    assert r.status_code == 404
    r = await client.post(url, json={"kind": "note"}, headers=headers)  # when: now
    assert r.status_code == 201 and r.json()["csm_email"] == admin.email
