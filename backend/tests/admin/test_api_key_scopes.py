"""API key scopes: a key with read, ingest or admin does only what they cover, whatever its
role; a key with none of them acts by its role as before; embed issues embed tokens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.auth.models import ApiKey
from app.core.enums import ApiKeyScope, Role
from tests.core.test_cli import _fetch, _tempo
from tests.embed.test_tokens import issue
from tests.factories import bearer, make_account

INGEST = "/api/v1/ingest/events"


def key_auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def one_event(n: int, account: str = "acct-scopes") -> dict:
    at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return {"items": [{"id": f"scoped-{n}", "account": account, "event": "report.viewed", "timestamp": at}]}


async def create(client, admin, **body):
    return await client.post("/api/v1/api-keys", json={"name": "k", **body}, headers=admin)


async def test_an_ingest_key_sends_data_and_reads_nothing(client, session):
    await make_account(session, external_id="acct-scopes")
    admin = await bearer(session, Role.admin)
    created = await create(client, admin, name="warehouse", scopes=["ingest"])
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["role"], body["scopes"], body["status"]) == ("viewer", ["ingest"], "active")
    key = key_auth(body["key"])

    sent = await client.post(INGEST, json=one_event(1), headers=key)
    assert sent.status_code == 200, sent.text
    assert sent.json()["accepted"] == 1
    refused = await client.get("/api/v1/accounts", headers=key)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This API key's scopes (ingest) do not cover this"
    assert (await client.post("/api/v1/users", json={"email": "x@example.com"}, headers=key)).status_code == 403
    assert (await client.post("/graphql", json={"query": "{ viewer { role } }"}, headers=key)).status_code == 403
    assert (await client.get("/api/v1/auth/me", headers=key)).status_code == 403


async def test_a_read_key_reads_the_whole_book_and_sends_nothing(client, session):
    a = await make_account(session, external_id="acct-scopes", owner_id=None)
    admin = await bearer(session, Role.admin)
    key = key_auth((await create(client, admin, scopes=["read"])).json()["key"])
    listed = await client.get("/api/v1/accounts", headers=key)
    assert listed.status_code == 200
    assert str(a.id) in {row["id"] for row in listed.json()["items"]}
    assert (await client.post(INGEST, json=one_event(2), headers=key)).status_code == 403
    # reading is all: no CS work, even through GraphQL's mutations
    assert (await client.patch(f"/api/v1/accounts/{a.id}", json={"flag": "red"}, headers=key)).status_code == 403


async def test_an_admin_key_does_both(client, session):
    await make_account(session, external_id="acct-scopes")
    admin = await bearer(session, Role.admin)
    created = (await create(client, admin, scopes=["admin"])).json()
    assert created["role"] == "admin"
    key = key_auth(created["key"])
    assert (await client.post(INGEST, json=one_event(3), headers=key)).status_code == 200
    assert (await client.get("/api/v1/accounts", headers=key)).status_code == 200
    assert (await client.get("/api/v1/users", headers=key)).status_code == 200


async def test_keys_without_those_scopes_act_by_their_role_as_before(client, session):
    await make_account(session, external_id="acct-scopes")
    _, admin_key = await auth_service.create_api_key(session, name="old admin", role=Role.admin)
    _, viewer_key = await auth_service.create_api_key(session, name="old viewer", role=Role.viewer)
    _, embed_key = await auth_service.create_api_key(
        session, name="portal", role=Role.viewer, scopes=[ApiKeyScope.embed]
    )
    await session.flush()
    assert (await client.post(INGEST, json=one_event(4), headers=key_auth(admin_key))).status_code == 200
    assert (await client.get("/api/v1/accounts", headers=key_auth(admin_key))).status_code == 200
    assert (await client.post(INGEST, json=one_event(5), headers=key_auth(viewer_key))).status_code == 403
    assert (await client.get("/api/v1/accounts", headers=key_auth(viewer_key))).status_code == 200
    refused = await client.post(INGEST, json=one_event(6), headers=key_auth(embed_key))
    assert refused.json()["detail"] == "Role 'viewer' may not do this"


async def test_embed_goes_with_any_other_scope(client, session):
    account = await make_account(session)
    _, ingest_embed = await auth_service.create_api_key(
        session, name="portal", role=None, scopes=[ApiKeyScope.ingest, ApiKeyScope.embed]
    )
    _, read_only = await auth_service.create_api_key(session, name="reports", role=None, scopes=[ApiKeyScope.read])
    await session.flush()
    assert (await issue(client, key_auth(ingest_embed), [account.id])).status_code == 201
    assert (await issue(client, key_auth(read_only), [account.id])).status_code == 403
    # an ingest key does not read tiles with itself either
    tile = await client.get(f"/embed/tiles/health/{account.id}", headers=key_auth(ingest_embed))
    assert tile.status_code == 403


async def test_a_key_needs_a_role_or_a_bounding_scope(client, session):
    admin = await bearer(session, Role.admin)
    neither = await create(client, admin, scopes=["embed"])
    assert neither.status_code == 422
    assert neither.json()["errors"][0]["loc"] == ["body", "role"]
    contradicts = await create(client, admin, role="leader", scopes=["read"])
    assert contradicts.status_code == 422
    assert contradicts.json()["errors"] == [
        {
            "loc": ["body", "role"],
            "msg": "a key with the scopes read acts as viewer; leave the role out or send viewer",
        }
    ]
    said = await create(client, admin, role="viewer", scopes=["read", "ingest"])
    assert (said.status_code, said.json()["scopes"]) == (201, ["ingest", "read"])
    assert (await create(client, admin, scopes=["nope"])).status_code == 422


async def test_last_use_creator_and_revocation(client, session):
    admin_user_headers = await bearer(session, Role.admin)
    created = (await create(client, admin_user_headers, name="sync", scopes=["read"])).json()
    key = key_auth(created["key"])
    stored = (await session.execute(select(ApiKey).where(ApiKey.id == created["id"]))).scalar_one()
    assert stored.last_used_at is None
    assert (await client.get("/api/v1/accounts", headers=key)).status_code == 200
    await session.refresh(stored)
    assert stored.last_used_at is not None

    listed = (await client.get("/api/v1/api-keys", headers=admin_user_headers)).json()
    row = next(k for k in listed if k["id"] == created["id"])
    me = (await client.get("/api/v1/auth/me", headers=admin_user_headers)).json()
    assert (row["created_by_email"], row["created_by_id"], row["scopes"]) == (me["email"], me["id"], ["read"])
    assert row["last_used_at"] is not None and row["expires_at"] is None and "key" not in row

    revoked = await client.delete(f"/api/v1/api-keys/{created['id']}", headers=admin_user_headers)
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    assert (await client.get("/api/v1/accounts", headers=key)).status_code == 401


def test_the_cli_takes_scopes(fresh_database):
    url = fresh_database("cli_scopes")
    assert _tempo(url, "migrate").returncode == 0
    scoped = _tempo(url, "api-key", "create", "--name", "warehouse", "--scope", "ingest")
    assert scoped.returncode == 0, scoped.stderr
    key = scoped.stdout.strip().splitlines()[-1]
    assert key.startswith("tk_") and " " not in key
    assert "(viewer, scopes ingest)" in scoped.stdout
    pinned = _tempo(url, "api-key", "create", "--name", "ops", "--role", "admin")
    assert pinned.returncode == 0, pinned.stderr
    neither = _tempo(url, "api-key", "create", "--name", "x")
    assert neither.returncode == 2 and "role" in neither.stderr
    rows = asyncio.run(_fetch(url, "SELECT name, role, scopes FROM api_key ORDER BY created_at"))
    assert rows == [("warehouse", "viewer", ["ingest"]), ("ops", "admin", [])]
