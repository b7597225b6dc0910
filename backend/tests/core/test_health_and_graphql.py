from __future__ import annotations

from app.core.enums import Role
from tests.factories import bearer, make_account


async def test_healthz_and_readyz(client, redis, own_queue):
    from app.core.supervise import write_heartbeat

    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/readyz")).status_code == 503  # no worker: not ready
    await write_heartbeat(redis, own_queue)  # what a running worker writes every ~10 s
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["worker"]["status"] == "ok" and body["worker"]["heartbeat_age_seconds"] < 5
    assert {k: body[k] for k in ("status", "database", "redis", "queue")} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "queue": {"queued": 0, "oldest_due_seconds": None},
    }


async def test_security_headers(client):
    r = await client.get("/healthz")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in r.headers["content-security-policy"]


async def test_graphql_accounts(client, session):
    await make_account(session, name="Big", arr=500_000)
    await make_account(session, name="Small", arr=5_000)
    headers = await bearer(session, Role.viewer)
    query = "{ viewer { role } accounts(first: 1) { totalCount edges { node { name arr owner { email } } } } }"
    r = await client.post("/graphql", json={"query": query}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {
        "viewer": {"role": "viewer"},
        "accounts": {"totalCount": 2, "edges": [{"node": {"name": "Big", "arr": 500000.0, "owner": None}}]},
    }


async def test_graphql_requires_auth_and_limits_depth(client, session):
    assert (await client.post("/graphql", json={"query": "{ viewer { role } }"})).status_code == 401
    headers = await bearer(session, Role.viewer)
    deep = "{ accounts(first: 1) { edges { node { owner { id } } } } }"
    assert "errors" not in (await client.post("/graphql", json={"query": deep}, headers=headers)).json()
    aliases = "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(20)) + " }"
    body = (await client.post("/graphql", json={"query": aliases}, headers=headers)).json()
    assert "aliases" in body["errors"][0]["message"]
