"""Data sources: an admin sets the staleness threshold and owner; the list shows both."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.enums import Role
from app.ingest import repository as ingest_repository
from app.ingest.models import DataSource
from tests.factories import bearer, make_user


async def test_threshold_and_owner(client, session):
    headers = await bearer(session, Role.admin)
    owner = await make_user(session, role=Role.csm, email="owner@example.com", name="Olive Owner")
    gone = await make_user(session, role=Role.csm, is_active=False)
    session.add(DataSource(key="crm", name="CRM", stale_after_days=10))
    await session.flush()

    changed = await client.patch(
        "/api/v1/sources/crm", json={"stale_after_days": 3, "owner_id": str(owner.id)}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["stale_after_days"], body["owner_id"], body["owner_email"], body["owner_name"]) == (
        3,
        str(owner.id),
        "owner@example.com",
        "Olive Owner",
    )
    listed = next(s for s in (await client.get("/api/v1/sources", headers=headers)).json() if s["key"] == "crm")
    assert (listed["stale_after_days"], listed["owner_email"], listed["stale"]) == (3, "owner@example.com", True)

    # only what is sent changes; null clears the owner
    days_only = await client.patch("/api/v1/sources/crm", json={"stale_after_days": 30}, headers=headers)
    assert (days_only.json()["stale_after_days"], days_only.json()["owner_email"]) == (30, "owner@example.com")
    cleared = await client.patch("/api/v1/sources/crm", json={"owner_id": None}, headers=headers)
    assert (cleared.json()["stale_after_days"], cleared.json()["owner_id"]) == (30, None)

    actions = (
        (
            await session.execute(
                select(AuditLog.detail).where(AuditLog.action == "data_source.update").order_by(AuditLog.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == [
        {"stale_after_days": 3, "owner_id": str(owner.id)},
        {"stale_after_days": 30},
        {"owner_id": None},
    ]

    for bad, field in (
        ({"stale_after_days": 0}, "stale_after_days"),
        ({"stale_after_days": 366}, "stale_after_days"),
        ({"stale_after_days": None}, "stale_after_days"),
        ({"owner_id": str(gone.id)}, "owner_id"),
        ({"owner_id": "00000000-0000-4000-8000-000000000000"}, "owner_id"),
    ):
        refused = await client.patch("/api/v1/sources/crm", json=bad, headers=headers)
        assert refused.status_code == 422, bad
        assert refused.json()["errors"][0]["loc"] == ["body", field]
    assert (
        await client.patch("/api/v1/sources/nothing-here", json={"stale_after_days": 5}, headers=headers)
    ).status_code == 404


async def test_a_source_known_only_from_its_calls_gets_its_row(client, session):
    headers = await bearer(session, Role.admin)
    await ingest_repository.log_batch(session, "warehouse", 3, {})
    changed = await client.patch("/api/v1/sources/warehouse", json={"stale_after_days": 2}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["stale_after_days"], changed.json()["items_received"]) == (2, 3)
    row = (await session.execute(select(DataSource).where(DataSource.key == "warehouse"))).scalar_one()
    assert (row.name, row.stale_after_days, row.items_received) == ("Warehouse", 2, 0)
    # the log still folds into it as into any other
    folded = await ingest_repository.fold_log(session)
    assert folded.calls == 1
    await session.refresh(row)
    assert row.items_received == 3
