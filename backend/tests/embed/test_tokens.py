"""Embed tokens over HTTP: issuing (who may, what is refused), what a token opens and nothing
more, the three forms of a tile, expiry, revocation, pausing, and key rotation with overlap."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import update

from app.auth import service as auth_service
from app.core.config import get_settings
from app.core.enums import ApiKeyScope, Role
from app.core.models import utcnow
from app.embed import cache
from app.embed.models import EmbedSigningKey
from app.embed.router import negotiate
from app.embed.schemas import origin
from app.main import create_app
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from tests.auth.test_access_matrix import _routes
from tests.factories import bearer, make_account

HOST = "https://host.example"
ALL_TILES = ["health", "quadrant", "renewal", "usage_trend"]


async def issue(client, headers, ids, **body):
    payload = {"tiles": ALL_TILES, "account_ids": [str(a) for a in ids], "origins": [HOST]} | body
    return await client.post("/api/v1/embed-tokens", json=payload, headers=headers)


def claims_of(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def auth(token: str, accept: str = "application/json") -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": accept}


async def test_an_admin_issues_a_token_naming_tiles_accounts_and_origins(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    answer = await issue(client, admin, [account.id], origins=["HTTPS://Host.Example:443/"])
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert set(body) == {"token", "expires_at", "configuration_id", "jti", "refresh_after"}
    claims = claims_of(body["token"])
    assert claims["tiles"] == ALL_TILES and claims["acc"] == [str(account.id)]
    assert claims["origins"] == [HOST]  # normalised as browsers compare origins
    assert claims["exp"] - claims["iat"] == 600  # the default lifetime
    assert claims["cfg"] == body["configuration_id"] and claims["jti"] == body["jti"]
    assert jwt.get_unverified_header(body["token"])["kid"]
    # the same caller and origins reuse their configuration
    again = (await issue(client, admin, [account.id], tiles=["health"])).json()
    assert again["configuration_id"] == body["configuration_id"]
    listed = (await client.get("/api/v1/embed-configurations", headers=admin)).json()
    mine = next(c for c in listed if c["id"] == body["configuration_id"])
    assert (mine["origins"], mine["tokens_issued"], mine["tokens_live"], mine["status"]) == ([HOST], 2, 2, "active")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ttl_seconds": 601}, "ttl_seconds"),
        ({"origins": ["*"]}, "origins"),
        ({"origins": ["https://host.example/path"]}, "origins"),
        ({"origins": ["javascript:alert(1)"]}, "origins"),
        ({"tiles": ["health", "invoices"]}, "tiles"),
        ({"tiles": []}, "tiles"),
        ({"account_ids": []}, "account_ids"),
    ],
)
async def test_a_bad_request_is_refused_naming_the_field(client, session, change, field):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    answer = await issue(client, admin, [account.id], **change)
    assert answer.status_code == 422
    assert any(field in e["loc"] for e in answer.json()["errors"]), answer.json()


async def test_an_unknown_account_is_refused_by_id(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    stranger = uuid.uuid4()
    answer = await issue(client, admin, [account.id, stranger])
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "account_ids"]
    assert str(stranger) in answer.json()["detail"]


async def test_only_admins_and_keys_with_the_embed_scope_issue_tokens(client, session):
    account = await make_account(session)
    for role in (Role.leader, Role.csm, Role.viewer):
        assert (await issue(client, await bearer(session, role), [account.id])).status_code == 403
    _, scoped = await auth_service.create_api_key(session, name="portal", role=Role.viewer, scopes=[ApiKeyScope.embed])
    _, plain = await auth_service.create_api_key(session, name="reports", role=Role.leader)
    await session.flush()
    assert (await issue(client, {"Authorization": f"Bearer {scoped}"}, [account.id])).status_code == 201
    assert (await issue(client, {"Authorization": f"Bearer {plain}"}, [account.id])).status_code == 403
    keys = (await client.get("/api/v1/api-keys", headers=await bearer(session, Role.admin))).json()
    assert next(k for k in keys if k["name"] == "portal")["scopes"] == ["embed"]


async def test_a_tile_in_three_forms(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session, name="Globex")
    token = (await issue(client, admin, [account.id], origins=[HOST, "https://other.example"])).json()["token"]
    path = f"/embed/tiles/health/{account.id}"

    as_json = await client.get(path, headers=auth(token))
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    tile = as_json.json()
    assert {"title", "value", "band", "reason", "trend", "computed_at", "link"} <= set(tile)
    assert (tile["title"], tile["account"]["name"], tile["state"]) == ("Health", "Globex", "no_data")
    assert as_json.headers["cross-origin-resource-policy"] == "cross-origin"
    assert as_json.headers["cache-control"] == "no-store"

    page = await client.get(path, headers=auth(token, "text/html"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert csp.endswith(f"frame-ancestors {HOST} https://other.example")
    assert "x-frame-options" not in page.headers
    assert "Globex" in page.text

    svg = await client.get(path, headers=auth(token, "image/svg+xml"))
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith(("<svg", "<?xml"))
    # ?format= overrides Accept
    assert (
        (await client.get(path + "?format=svg", headers=auth(token)))
        .headers["content-type"]
        .startswith("image/svg+xml")
    )
    # everything else keeps refusing to be framed
    assert (await client.get("/healthz")).headers["x-frame-options"] == "DENY"


async def test_a_token_opens_its_tiles_of_its_accounts_only(client, session):
    admin = await bearer(session, Role.admin)
    mine, other = await make_account(session), await make_account(session)
    token = (await issue(client, admin, [mine.id], tiles=["health", "renewal"])).json()["token"]
    assert (await client.get(f"/embed/tiles/renewal/{mine.id}", headers=auth(token))).status_code == 200
    refused = await client.get(f"/embed/tiles/quadrant/{mine.id}", headers=auth(token))
    assert refused.status_code == 403 and "quadrant" in refused.json()["detail"]
    assert (await client.get(f"/embed/tiles/health/{other.id}", headers=auth(token))).status_code == 403
    assert (await client.get(f"/embed/tiles/health/{uuid.uuid4()}", headers=auth(token))).status_code == 403


def _every_other_route() -> list[tuple[str, str]]:
    app = create_app(spa_dist=None)
    found = []
    for route in _routes(list(app.routes)):
        if not getattr(route, "methods", None) or route.path.startswith(("/embed/tiles", "/docs")):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            found.append((method, route.path))
    return found


async def test_an_embed_token_opens_no_other_route(client, session):
    """Every route of the app, called with an embed token in place of a session: the ones behind
    a bearer answer 401; the few that are not (probes, sign-in, signed webhooks, Segment's write
    key) answer as they would to anyone, never with data that needed a sign-in."""
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    token = (await issue(client, admin, [account.id])).json()["token"]
    outside = {"/healthz", "/readyz", "/api/v1/auth/login", "/api/v1/webhooks/stripe", "/openapi.json"}
    routes = _every_other_route()
    assert len(routes) > 100
    answered: dict[int, int] = {}
    for method, path in routes:
        url = path.replace("{account_id}", str(account.id))
        for name in ("alert_id", "note_id", "task_id", "renewal_id", "run_id", "playbook_id", "view_id", "jti",
                     "key_id", "alias_id", "record_id", "channel_id", "delivery_id", "feedback_id",
                     "configuration_id"):  # fmt: skip
            url = url.replace("{" + name + "}", str(uuid.uuid4()))
        url = url.replace("{kind}", "accounts").replace("{version}", "1").replace("{key}", "stripe")
        answer = await client.request(method, url, headers=auth(token), json={})
        answered[answer.status_code] = answered.get(answer.status_code, 0) + 1
        if path in outside or path.startswith("/segment/") or path.startswith("/docs"):
            assert answer.status_code != 200 or path in {"/healthz", "/readyz", "/openapi.json"}, (method, path)
            continue
        assert answer.status_code == 401, (method, path, answer.status_code, answer.text)
    graphql = await client.post("/graphql", json={"query": "{ viewer { id } }"}, headers=auth(token))
    assert graphql.status_code == 401
    assert answered[401] >= len(routes) - 20


async def test_an_expired_token_says_so(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    token = (await issue(client, admin, [account.id], ttl_seconds=2)).json()["token"]
    # read once: the verified token is kept, and must still expire to the second
    assert (await client.get(f"/embed/tiles/health/{account.id}", headers=auth(token))).status_code == 200
    await asyncio.sleep(2.05)
    answer = await client.get(f"/embed/tiles/health/{account.id}", headers=auth(token))
    assert answer.status_code == 401
    assert answer.json()["title"] == "Embed token expired"
    assert answer.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


async def test_a_forged_or_altered_token_is_refused(client, session):
    admin = await bearer(session, Role.admin)
    account, other = await make_account(session), await make_account(session)
    token = (await issue(client, admin, [account.id])).json()["token"]
    header, payload, signature = token.split(".")
    claims = claims_of(token) | {"acc": [str(other.id)]}
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    kid = jwt.get_unverified_header(token)["kid"]
    for bad in (
        f"{header}.{altered}.{signature}",  # someone else's account under the old signature
        jwt.encode(claims, "a-guessed-secret-of-enough-length!", algorithm="HS256", headers={"kid": kid}),
        jwt.encode(claims, None, algorithm="none", headers={"kid": kid}),
        f"{header}.{payload}.",
        "a.b.c",
    ):
        answer = await client.get(f"/embed/tiles/health/{other.id}", headers=auth(bad))
        assert answer.status_code == 401, bad
        assert answer.json()["title"] == "Embed token refused"


async def test_revoking_a_token_or_pausing_its_configuration_stops_it(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    first = (await issue(client, admin, [account.id])).json()
    second = (await issue(client, admin, [account.id])).json()
    path = f"/embed/tiles/health/{account.id}"

    assert (await client.delete(f"/api/v1/embed-tokens/{first['jti']}", headers=admin)).status_code == 204
    refused = await client.get(path, headers=auth(first["token"]))
    assert (refused.status_code, refused.json()["detail"]) == (401, "The embed token has been revoked")
    assert (await client.get(path, headers=auth(second["token"]))).status_code == 200

    config = f"/api/v1/embed-configurations/{second['configuration_id']}"
    assert (await client.patch(config, json={"status": "paused"}, headers=admin)).json()["status"] == "paused"
    paused = await client.get(path, headers=auth(second["token"]))
    assert (paused.status_code, paused.json()["detail"]) == (401, "The embed configuration is paused")
    assert (await issue(client, admin, [account.id], configuration_id=second["configuration_id"])).status_code == 409
    assert (await client.patch(config, json={"status": "active"}, headers=admin)).status_code == 200
    assert (await client.get(path, headers=auth(second["token"]))).status_code == 200

    assert (await client.patch(config, json={"status": "revoked"}, headers=admin)).status_code == 200
    assert (await client.get(path, headers=auth(second["token"]))).status_code == 401
    assert (await client.patch(config, json={"status": "active"}, headers=admin)).status_code == 409


async def test_a_named_configuration_bounds_the_tokens_issued_for_it(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    made = await client.post(
        "/api/v1/embed-configurations",
        json={"name": "Partner portal", "origins": [HOST], "tiles": ["health"]},
        headers=admin,
    )
    assert made.status_code == 201
    cfg = made.json()["id"]
    assert (await issue(client, admin, [account.id], tiles=["health"], configuration_id=cfg)).status_code == 201
    wider = await issue(client, admin, [account.id], tiles=["health", "renewal"], configuration_id=cfg)
    assert wider.status_code == 422 and wider.json()["errors"][0]["loc"] == ["body", "tiles"]
    elsewhere = await issue(client, admin, [account.id], tiles=["health"], origins=["https://evil.example"],
                            configuration_id=cfg)  # fmt: skip
    assert elsewhere.status_code == 422 and "https://evil.example" in elsewhere.json()["detail"]


async def test_rotating_keys_keeps_tokens_out_working_until_the_old_key_retires(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    path = f"/embed/tiles/health/{account.id}"
    before = (await issue(client, admin, [account.id])).json()["token"]
    old_kid = jwt.get_unverified_header(before)["kid"]

    keys = (await client.post("/api/v1/embed-keys/rotate", headers=admin)).json()
    current = next(k for k in keys if k["current"])
    retiring = next(k for k in keys if k["kid"] == old_kid)
    assert current["kid"] != old_kid and current["retires_at"] is None and retiring["retires_at"] is not None

    after = (await issue(client, admin, [account.id])).json()["token"]
    assert jwt.get_unverified_header(after)["kid"] == current["kid"]
    assert (await client.get(path, headers=auth(before))).status_code == 200  # the overlap
    assert (await client.get(path, headers=auth(after))).status_code == 200

    await session.execute(
        update(EmbedSigningKey).where(EmbedSigningKey.kid == old_kid).values(retires_at=utcnow() - timedelta(seconds=1))
    )
    cache.forget_all()  # retired in the database behind the API's back: no process was told
    refused = await client.get(path, headers=auth(before))
    assert refused.status_code == 401 and "no longer in service" in refused.json()["detail"]
    assert (await client.get(path, headers=auth(after))).status_code == 200


async def test_the_shell_is_framable_by_its_configuration_and_holds_no_data(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session, name="Initech")
    cfg = (await issue(client, admin, [account.id])).json()["configuration_id"]
    path = f"/embed/tiles/health/{account.id}"
    shell = await client.get(f"{path}?config={cfg}", headers={"Accept": "text/html"})
    assert shell.status_code == 200
    assert shell.headers["content-security-policy"].endswith(f"frame-ancestors {HOST}")
    assert "Initech" not in shell.text and HOST in shell.text
    assert (await client.get(f"{path}?config={cfg}")).status_code == 401  # JSON needs the token
    assert (await client.get(f"{path}?config={uuid.uuid4()}", headers={"Accept": "text/html"})).status_code == 404
    # paused: the shell still loads for its hosts, and the tile request says why it shows nothing
    await client.patch(f"/api/v1/embed-configurations/{cfg}", json={"status": "paused"}, headers=admin)
    assert (await client.get(f"{path}?config={cfg}", headers={"Accept": "text/html"})).status_code == 200


async def test_a_browser_on_a_named_origin_may_read_the_json(client, session):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    token = (await issue(client, admin, [account.id])).json()["token"]
    path = f"/embed/tiles/health/{account.id}"
    allowed = await client.get(path, headers=auth(token) | {"Origin": HOST})
    assert allowed.headers["access-control-allow-origin"] == HOST
    other = await client.get(path, headers=auth(token) | {"Origin": "https://evil.example"})
    assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
    preflight = await client.options(path, headers={"Origin": HOST, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-headers"] == "Authorization, Accept"


async def test_a_signed_in_reader_may_try_a_tile_without_an_embed_token(client, session):
    viewer = await bearer(session, Role.viewer)
    account = await make_account(session)
    answer = await client.get(f"/embed/tiles/quadrant/{account.id}", headers=viewer)
    assert answer.status_code == 200 and answer.json()["title"] == "Quadrant"
    page = await client.get(f"/embed/tiles/quadrant/{account.id}?format=html", headers=viewer)
    assert page.headers["content-security-policy"].endswith("frame-ancestors 'self'")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("*/*", "json"),
        ("text/html", "html"),
        ("text/html;q=0.5, image/svg+xml", "svg"),
        ("image/svg+xml;q=0.9, application/json;q=0.9", "svg"),
        ("text/html;q=0, application/json;q=0.1", "json"),
        ("image/png", "json"),
        ("TEXT/HTML;q=abc", "json"),
    ],
)
def test_accept_picks_the_format(accept, expected):
    assert negotiate(accept) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://Host.Example", "https://host.example"),
        ("https://host.example:443", "https://host.example"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://[::1]:8443", "https://[::1]:8443"),
    ],
)
def test_origins_are_compared_as_browsers_compare_them(given, expected):
    assert origin(given) == expected


async def test_a_tile_is_reused_for_the_cache_time_and_read_again_without_it(client, session, monkeypatch):
    admin = await bearer(session, Role.admin)
    account = await make_account(session)
    version = (await scoring.load_active(session)).version
    session.add(AccountHealth(account_id=account.id, as_of=scoring.today(), config_version=version, health_score=71.0))
    await session.flush()
    token = (await issue(client, admin, [account.id])).json()["token"]
    path = f"/embed/tiles/health/{account.id}"
    assert (await client.get(path, headers=auth(token))).json()["display"] == "71"
    await session.execute(update(AccountHealth).where(AccountHealth.account_id == account.id).values(health_score=44.0))
    assert (await client.get(path, headers=auth(token))).json()["display"] == "71"  # within the cache time
    monkeypatch.setattr(get_settings(), "embed_cache_seconds", 0)
    assert (await client.get(path, headers=auth(token))).json()["display"] == "44"
