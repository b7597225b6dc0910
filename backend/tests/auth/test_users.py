"""Admins set whom a user reports to (``lead_id``): on create and update, an active user other
than the user themself; the lead shows on the user (``/auth/me`` included)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.enums import Role
from tests.factories import bearer, make_user


async def test_an_admin_sets_and_clears_a_lead(client, session):
    admin = await bearer(session, Role.admin)
    lena = await make_user(session, role=Role.leader, email="lena@example.com")
    leo = await make_user(session, role=Role.leader, email="leo@example.com")
    made = await client.post(
        "/api/v1/users",
        json={"email": "casey@example.com", "role": "csm", "name": "Casey", "lead_id": str(lena.id)},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    casey = made.json()
    assert (casey["role"], casey["lead_id"]) == ("csm", str(lena.id))

    moved = await client.patch(f"/api/v1/users/{casey['id']}", json={"lead_id": str(leo.id)}, headers=admin)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["lead_id"], moved.json()["name"], moved.json()["role"]) == (str(leo.id), "Casey", "csm")
    renamed = await client.patch(f"/api/v1/users/{casey['id']}", json={"name": "Casey Jones"}, headers=admin)
    assert (renamed.json()["name"], renamed.json()["lead_id"]) == ("Casey Jones", str(leo.id))  # kept
    cleared = await client.patch(f"/api/v1/users/{casey['id']}", json={"lead_id": None}, headers=admin)
    assert cleared.json()["lead_id"] is None
    promoted = await client.patch(f"/api/v1/users/{casey['id']}", json={"role": "leader"}, headers=admin)
    assert promoted.json()["role"] == "leader"
    actions = (await session.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars().all()
    assert actions[-5:] == ["user.create", "user.update", "user.update", "user.update", "user.update"]


async def test_a_lead_must_be_another_active_user(client, session):
    admin = await bearer(session, Role.admin)
    gone = await make_user(session, role=Role.leader, email="gone@example.com", is_active=False)
    sam = await make_user(session, role=Role.csm, email="sam@example.com")
    nobody = uuid.uuid4()

    def problem(r):
        assert r.status_code == 422, r.text
        return r.json()["errors"]

    assert problem(await client.patch(f"/api/v1/users/{sam.id}", json={"lead_id": str(sam.id)}, headers=admin)) == [
        {"loc": ["body", "lead_id"], "msg": "a user cannot be their own lead", "type": "lead"}
    ]
    assert problem(await client.patch(f"/api/v1/users/{sam.id}", json={"lead_id": str(gone.id)}, headers=admin)) == [
        {"loc": ["body", "lead_id"], "msg": "gone@example.com is not active", "type": "lead"}
    ]
    created = await client.post(
        "/api/v1/users", json={"email": "nia@example.com", "role": "csm", "lead_id": str(nobody)}, headers=admin
    )
    assert problem(created) == [{"loc": ["body", "lead_id"], "msg": f"no user with id {nobody}", "type": "lead"}]
    assert (await client.patch(f"/api/v1/users/{nobody}", json={"name": "X"}, headers=admin)).status_code == 404
    assert (await client.patch(f"/api/v1/users/{sam.id}", json={"email": "x@y.z"}, headers=admin)).status_code == 422
    # refused: nothing changed
    await session.refresh(sam)
    assert sam.lead_id is None


async def test_the_lead_shows_on_me_and_only_admins_set_it(client, session):
    lena = await make_user(session, role=Role.leader)
    casey = await make_user(session, role=Role.csm, email="casey@example.com", lead_id=lena.id)
    signed = await client.post("/api/v1/auth/login", json={"email": "casey@example.com", "password": "correct-horse"})
    assert signed.json()["user"]["lead_id"] == str(lena.id)
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {signed.json()['token']}"})
    assert me.json()["lead_id"] == str(lena.id)
    for role in (Role.leader, Role.csm, Role.viewer):
        r = await client.patch(f"/api/v1/users/{casey.id}", json={"lead_id": None}, headers=await bearer(session, role))
        assert r.status_code == 403, role
