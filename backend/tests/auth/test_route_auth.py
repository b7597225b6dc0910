"""Walk the whole route table: every route but the public ones refuses anonymous callers."""

from __future__ import annotations

import re

from app.core.enums import Role
from app.main import create_app
from tests.factories import bearer

PUBLIC = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/login"),
    # Stripe signs its deliveries; a request without a valid signature gets 400/503.
    ("POST", "/api/v1/webhooks/stripe"),
}


def _all_operations() -> list[tuple[str, str]]:
    spec = create_app(spa_dist=None).openapi()
    ops = [(method.upper(), path) for path, item in spec["paths"].items() for method in item]
    # Routes outside the OpenAPI document.
    ops += [("GET", "/graphql"), ("POST", "/graphql")]
    return ops


def _concrete(path: str) -> str:
    # a tile kind is an enum of the path: a real one, so the answer is about the token
    path = path.replace("/embed/tiles/{kind}/", "/embed/tiles/health/")
    return re.sub(r"\{[^}]+\}", "00000000-0000-0000-0000-000000000000", path)


async def test_every_non_public_route_requires_auth(client):
    operations = _all_operations()
    assert len(operations) >= 12
    for method, path in operations:
        response = await client.request(method, _concrete(path), json={})
        if (method, path) in PUBLIC:
            assert response.status_code != 401, (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)
            if path.startswith("/segment/"):  # the error body Segment's libraries read
                assert response.json()["code"] == "unauthorized"
            else:
                assert response.headers["content-type"].startswith("application/problem+json")
            # Segment's endpoints take the write key over HTTP Basic, as its destinations send it.
            expected = 'Basic realm="segment"' if path.startswith("/segment/") else "Bearer"
            assert response.headers["www-authenticate"] == expected


async def test_garbage_tokens_are_refused(client):
    for token in ("nope", "tps_forged", "tk_abcdefgh_forged", "tk_short"):
        response = await client.get("/api/v1/accounts", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token


async def test_admin_routes_refuse_lesser_roles(client, session):
    for role in (Role.viewer, Role.product, Role.csm, Role.leader):
        headers = await bearer(session, role)
        response = await client.post("/api/v1/api-keys", json={"name": "x", "role": "viewer"}, headers=headers)
        assert response.status_code == 403, role
        assert response.json()["detail"] == f"Role '{role.value}' may not do this"
        # ...while reading is open to every role.
        assert (await client.get("/api/v1/accounts", headers=headers)).status_code == 200
