"""Request bodies past the size limit (413) or nesting JSON too deeply (400), refused before
anything parses them: ``core.limits.BodyLimits`` on every route, ``core.http.read_body`` on
the routes that read their own, larger bodies (after decoding gzip)."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.middleware import Middleware

from app.core.config import get_settings
from app.core.enums import Role
from app.core.limits import INGEST_MAX_BYTES, OWN_LIMITS, UPLOAD_MAX_BYTES, BodyLimits, json_depth
from app.imports import router as imports_router
from app.ingest.schemas import MAX_BYTES
from tests.factories import bearer, make_account

MiB = 1024 * 1024
DEEP = "[" * 100_000 + "]" * 100_000
TOO_DEEP = {"type": "about:blank", "title": "Malformed request body", "status": 400}
TOO_DEEP |= {"detail": "JSON nested deeper than 64 levels"}


@pytest.fixture
async def limited(session) -> AsyncIterator[httpx.AsyncClient]:
    """The app with ``BodyLimits`` where ``create_app`` puts it: innermost of the middleware."""
    from app.main import create_app

    app = create_app(spa_dist=None)
    app.user_middleware.append(Middleware(BodyLimits))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://tempo.test") as c:
        yield c


class Chunks:
    """A streamed body (no Content-Length) that counts the bytes the app pulled."""

    def __init__(self, total: int, size: int = 64 * 1024) -> None:
        self.total, self.size, self.sent = total, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += self.size
            yield b"a" * self.size


def nested(levels: int) -> object:
    value: object = "leaf"
    for _ in range(levels):
        value = {"k": value}
    return value


# -- size -------------------------------------------------------------------------------------


async def test_a_declared_large_body_is_refused_before_it_is_read(limited):
    body = Chunks(50 * MiB)
    r = await limited.post("/api/v1/auth/login", content=body, headers={"Content-Length": str(50 * MiB)})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "about:blank",
        "title": "Payload too large",
        "status": 413,
        "detail": "The body is 52,428,800 bytes; the limit is 1,048,576 bytes per call",
    }
    assert body.sent == 0


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/graphql", "/api/v1/tasks"])
async def test_a_streamed_large_body_is_refused_after_the_limit(limited, session, path):
    headers = await bearer(session, Role.admin) | {"Content-Type": "application/json"}
    body = Chunks(50 * MiB)
    r = await limited.post(path, content=body, headers=headers)
    assert (r.status_code, r.json()["detail"]) == (413, "The body exceeds the limit of 1,048,576 bytes per call")
    assert body.sent <= MiB + 64 * 1024  # read up to the limit, not the 50 MB


async def test_the_limit_is_the_setting(limited, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_request_bytes", 2048)
    body = json.dumps({"email": "a@example.com", "password": "x" * 3000}).encode()
    r = await limited.post("/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["detail"]) == (413, "The body is 3,042 bytes; the limit is 2,048 bytes per call")
    r = await limited.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "x"})
    assert r.status_code == 401


async def test_routes_with_their_own_limit_keep_it(limited, session):
    headers = await bearer(session, Role.admin)
    await make_account(session, external_id="acme")
    # 1.4 MB of events: past the default limit, within ingest's own
    event = {"account": "acme", "event": "Opened", "timestamp": "2026-01-05T10:00:00Z", "properties": {"p": "x" * 600}}
    body = json.dumps({"items": [event | {"id": f"e{n}"} for n in range(2000)]}).encode()
    assert MiB < len(body) < MAX_BYTES
    r = await limited.post(
        "/api/v1/ingest/events", content=body, headers=headers | {"Content-Type": "application/json"}
    )
    assert (r.status_code, r.json()["accepted"]) == (200, 2000)
    # an upload past the default limit reaches the import's own check
    csv = b"external_id,name\n" + b"".join(b"u-%d,%s\n" % (n, b"N" * 200) for n in range(8000))
    assert len(csv) > MiB
    r = await limited.post("/api/v1/import/detect", files={"file": ("a.csv", csv, "text/csv")}, headers=headers)
    assert (r.status_code, r.json()["rows"]) == (200, 8000)
    # past ingest's own limit: the same words as the route's own check
    r = await limited.post(
        "/api/v1/ingest/accounts",
        content=Chunks(0),
        headers=headers | {"Content-Length": str(MAX_BYTES + 1)},
    )
    assert (r.status_code, r.json()["detail"]) == (
        413,
        "The body is 10,485,761 bytes; the limit is 10,485,760 bytes per call",
    )


async def test_segment_gets_its_own_error_shape(limited):
    r = await limited.post("/segment/v1/track", content=Chunks(0), headers={"Content-Length": str(20 * MiB)})
    assert r.status_code == 413
    assert r.json() == {
        "success": False,
        "code": "payload_too_large",
        "message": "The body is 20,971,520 bytes; the limit is 10,485,760 bytes per call",
    }


def test_the_table_of_own_limits_matches_the_routes():
    assert MAX_BYTES == INGEST_MAX_BYTES
    assert imports_router.MAX_UPLOAD_BYTES == UPLOAD_MAX_BYTES
    assert OWN_LIMITS["/api/v1/import/"] > UPLOAD_MAX_BYTES  # the form around the file


# -- depth ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/tasks", "/graphql", "/api/v1/auth/login", "/api/v1/views"])
async def test_deep_json_is_a_400_before_parsing(limited, session, path):
    headers = await bearer(session, Role.admin)
    for content_type in ("application/json", "application/merge-patch+json", None):
        sent = headers | ({"Content-Type": content_type} if content_type else {})
        r = await limited.post(path, content=DEEP.encode(), headers=sent)
        assert (path, content_type, r.status_code, r.json()) == (path, content_type, 400, TOO_DEEP)


async def test_deep_json_to_ingest_is_a_400_also_gzipped(client, session, monkeypatch):
    """Checked by read_body (with or without BodyLimits), after decoding."""
    monkeypatch.setattr(get_settings(), "segment_write_key", "wk")
    headers = await bearer(session, Role.admin) | {"Content-Type": "application/json"}
    r = await client.post("/api/v1/ingest/accounts", content=DEEP.encode(), headers=headers)
    assert (r.status_code, r.json()) == (400, TOO_DEEP)  # was a 500: RecursionError
    zipped = gzip.compress(('{"items": ' + DEEP + "}").encode())
    r = await client.post("/api/v1/ingest/accounts", content=zipped, headers=headers | {"Content-Encoding": "gzip"})
    assert (r.status_code, r.json()) == (400, TOO_DEEP)
    r = await client.post("/segment/v1/batch", content=DEEP.encode(), headers=headers, auth=("wk", ""))
    assert (r.status_code, r.json()["message"]) == (400, "JSON nested deeper than 64 levels")


async def test_nesting_up_to_the_limit_is_accepted(limited, session):
    headers = await bearer(session, Role.admin)
    await make_account(session, external_id="acme")
    event = {"account": "acme", "id": "e1", "event": "Opened [[[[[[[[", "timestamp": "2026-01-05T10:00:00Z"}
    # {"items": [ {event, "properties": ...} ]}: three levels around the properties
    for levels, status in ((61, 200), (62, 400)):
        body = {"items": [event | {"properties": nested(levels)}]}
        assert json_depth(json.dumps(body).encode()) == levels + 3
        r = await limited.post("/api/v1/ingest/events", json=body, headers=headers)
        assert (levels, r.status_code) == (levels, status), r.text
    # brackets inside strings do not count
    r = await limited.post("/api/v1/views", json={"name": "[" * 500, "filter": "{" * 100}, headers=headers)
    assert r.status_code != 400, r.text


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"", 0),
        (b"42", 0),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"a": "[[[[{{{{"}', 1),
        (b'{"a": "quote \\" [[[", "b": ["\\\\"]}', 2),  # escaped quote, escaped backslash
        (b'["\\\\\\"[[["]', 1),
        (b'{"a": "\\n[", "b": [[]]}', 3),
        (DEEP.encode(), 100_000),
    ],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert json_depth(text) == depth


async def test_yaml_bodies_are_scanned_too(limited, session):
    assert (await limited.get("/healthz")).status_code == 200
    headers = await bearer(session, Role.admin)
    r = await limited.post(
        "/api/v1/scoring/config/versions/import",
        content=b"name: x\n" + b"[" * 100,
        headers=headers | {"Content-Type": "application/yaml"},
    )
    assert r.status_code == 400  # read_body's own check: YAML flow collections nest alike
    assert r.json()["detail"] == "JSON nested deeper than 64 levels"
