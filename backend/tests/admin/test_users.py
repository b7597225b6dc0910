"""The admin console's users: the list, deactivation ending sessions, and no admin locking
themself out."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditLog
from app.auth import service as auth_service
from app.core.enums import Role
from tests.factories import make_user


async def sign_in(session, user) -> dict[str, str]:
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


async def test_the_list_by_role_then_email_with_leads(client, session):
    boss = await make_user(session, role=Role.admin, email="a-boss@example.com", name="Boss")
    lena = await make_user(session, role=Role.leader, email="lena@example.com", name="Lena")
    await make_user(session, role=Role.csm, email="zed@example.com", name="Zed", lead_id=lena.id)
    await make_user(session, role=Role.csm, email="Amy@example.com", name=None, lead_id=lena.id, is_active=False)
    await make_user(session, role=Role.viewer, email="b-view@example.com")
    headers = await sign_in(session, boss)
    listed = await client.get("/api/v1/users", headers=headers)
    assert listed.status_code == 200
    mine = listed.json()  # the test's own users only: everything else is rolled back
    assert [(u["email"], u["role"], u["lead_email"], u["is_active"]) for u in mine] == [
        ("a-boss@example.com", "admin", None, True),
        ("lena@example.com", "leader", None, True),
        ("Amy@example.com", "csm", "lena@example.com", False),
        ("zed@example.com", "csm", "lena@example.com", True),
        ("b-view@example.com", "viewer", None, True),
    ]
    boss_row = mine[0]
    assert boss_row["last_login_at"] is not None and boss_row["created_at"] is not None
    zed = mine[3]
    assert (zed["lead_id"], zed["lead_name"], zed["name"]) == (str(lena.id), "Lena", "Zed")
    assert (await client.get("/api/v1/users", headers=await sign_in(session, lena))).status_code == 403


async def test_deactivating_ends_sessions_and_is_audited(client, session):
    admin = await make_user(session, role=Role.admin)
    csm = await make_user(session, role=Role.csm)
    admin_headers = await sign_in(session, admin)
    csm_headers = await sign_in(session, csm)
    other_tab = await sign_in(session, csm)
    assert (await client.get("/api/v1/auth/me", headers=csm_headers)).status_code == 200

    off = await client.patch(f"/api/v1/users/{csm.id}", json={"is_active": False}, headers=admin_headers)
    assert off.status_code == 200, off.text
    for headers in (csm_headers, other_tab):
        assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
    refused = await client.post("/api/v1/auth/login", json={"email": csm.email, "password": "correct-horse"})
    assert refused.status_code == 401
    entry = (
        await session.execute(
            select(AuditLog).where(AuditLog.action == "user.update", AuditLog.entity_id == str(csm.id))
        )
    ).scalar_one()
    assert (entry.actor, entry.detail) == (f"user:{admin.id}", {"is_active": False, "sessions_ended": 2})

    back = await client.patch(f"/api/v1/users/{csm.id}", json={"is_active": True}, headers=admin_headers)
    assert back.status_code == 200
    signed = await client.post("/api/v1/auth/login", json={"email": csm.email, "password": "correct-horse"})
    assert signed.status_code == 200


async def test_an_admin_cannot_deactivate_or_demote_themself(client, session):
    admin = await make_user(session, role=Role.admin)
    headers = await sign_in(session, admin)
    off = await client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=headers)
    assert off.status_code == 422
    assert off.json()["errors"] == [{"loc": ["body", "is_active"], "msg": "you cannot deactivate yourself"}]
    down = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "csm"}, headers=headers)
    assert down.status_code == 422
    assert down.json()["errors"] == [{"loc": ["body", "role"], "msg": "you cannot change your own role"}]
    # the same role, or a new name, is fine
    same = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "admin", "name": "Me"}, headers=headers)
    assert (same.status_code, same.json()["name"]) == (200, "Me")
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    # another admin may
    other = await sign_in(session, await make_user(session, role=Role.admin))
    demoted = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "leader"}, headers=other)
    assert (demoted.status_code, demoted.json()["role"]) == (200, "leader")
