from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.audit.models import AuditLog
from app.auth import service
from app.auth.models import ApiKey, UserSession
from app.auth.security import sha256
from app.core.enums import Role
from app.core.models import utcnow
from tests.factories import bearer, make_user


async def test_login_returns_a_working_session_token(client, session):
    user = await make_user(session, role=Role.csm, email="Ana@Example.com", password="s3cret-pass")
    response = await client.post("/api/v1/auth/login", json={"email": "ana@example.com", "password": "s3cret-pass"})
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {
        "id": str(user.id),
        "email": "Ana@Example.com",
        "name": user.name,
        "role": "csm",
        "lead_id": None,
    }
    assert body["token"].startswith("tps_")
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["email"] == "Ana@Example.com"
    # Only the token's hash is stored.
    stored = (await session.execute(select(UserSession.token_hash))).scalars().all()
    assert sha256(body["token"]) in stored and body["token"] not in stored


async def test_wrong_password_and_unknown_user_get_the_same_401(client, session):
    await make_user(session, email="bo@example.com", password="right-password")
    for email, password in (("bo@example.com", "wrong-password"), ("nobody@example.com", "right-password")):
        response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == {
            "type": "about:blank",
            "title": "Not authenticated",
            "status": 401,
            "detail": "Incorrect email or password",
        }


async def test_login_validation_names_the_field(client):
    response = await client.post("/api/v1/auth/login", json={"email": "not-an-email", "password": "x"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["loc"], e["msg"]) for e in errors] == [
        (["body", "email"], "not an email address (expected name@domain.tld)")
    ]


async def test_login_is_rate_limited_per_address(client, session):
    # Per client address, whichever emails it tries (a per-email window would let anyone lock a
    # user out; wrong passwords for one email meet the backoff of test_signin_hardening instead).
    await make_user(session, email="rate@example.com", password="right-password")
    statuses = []
    for n in range(11):
        email = "rate@example.com" if n % 2 else f"rate{n}@example.com"
        r = await client.post("/api/v1/auth/login", json={"email": email, "password": "bad-guess"})
        statuses.append(r.status_code)
    assert statuses == [401] * 10 + [429]
    assert 1 <= int(r.headers["Retry-After"]) <= 60


async def test_logout_revokes_the_session(client, session):
    headers = await bearer(session, Role.viewer)
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_expired_session_is_refused(client, session):
    headers = await bearer(session, Role.viewer)
    token = headers["Authorization"].split()[1]
    row = (await session.execute(select(UserSession).where(UserSession.token_hash == sha256(token)))).scalar_one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_api_key_lifecycle(client, session):
    admin = await bearer(session, Role.admin)
    created = await client.post("/api/v1/api-keys", json={"name": "warehouse sync", "role": "viewer"}, headers=admin)
    assert created.status_code == 201
    key = created.json()["key"]
    key_id = created.json()["id"]
    assert key.startswith("tk_") and created.json()["prefix"] == key[3:11]
    stored = (await session.execute(select(ApiKey).where(ApiKey.prefix == key[3:11]))).scalar_one()
    assert stored.key_hash == sha256(key) and stored.last_used_at is None

    as_key = {"Authorization": f"Bearer {key}"}
    assert (await client.get("/api/v1/accounts", headers=as_key)).status_code == 200
    await session.refresh(stored)
    assert stored.last_used_at is not None
    # Scoped by role: a viewer key cannot administer.
    assert (
        await client.post("/api/v1/api-keys", json={"name": "y", "role": "admin"}, headers=as_key)
    ).status_code == 403

    assert (await client.delete(f"/api/v1/api-keys/{key_id}", headers=admin)).status_code == 200
    assert (await client.get("/api/v1/accounts", headers=as_key)).status_code == 401
    listed = await client.get("/api/v1/api-keys", headers=admin)
    assert [k["revoked_at"] is not None for k in listed.json() if k["id"] == key_id] == [True]
    assert all("key" not in k for k in listed.json())


async def test_a_tampered_key_with_a_real_prefix_is_refused(client, session):
    _, key = await service.create_api_key(session, name="k", role=Role.admin)
    forged = key[:12] + ("A" if key[12] != "A" else "B") + key[13:]
    assert (await client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {forged}"})).status_code == 401


async def test_writes_are_audited(client, session):
    admin = await bearer(session, Role.admin)
    await client.post("/api/v1/users", json={"email": "new@example.com", "role": "csm"}, headers=admin)
    actions = (await session.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars().all()
    assert actions[-1] == "user.create"
    duplicate = await client.post("/api/v1/users", json={"email": "NEW@example.com", "role": "csm"}, headers=admin)
    assert duplicate.status_code == 409


async def test_internal_email_domains_can_sign_in(client, session):
    await make_user(session, email="demo@tempo.test", password="tempo-demo")
    r = await client.post("/api/v1/auth/login", json={"email": "demo@tempo.test", "password": "tempo-demo"})
    assert r.status_code == 200, r.text
