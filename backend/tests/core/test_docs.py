"""The API explorer: served from Tempo's own files (no CDN), off by default in production."""

from __future__ import annotations

import httpx
import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.core.middleware import SPA_CSP
from tests.factories import bearer


async def _get(path: str) -> httpx.Response:
    from app.main import create_app

    transport = httpx.ASGITransport(app=create_app(spa_dist=None))
    async with httpx.AsyncClient(transport=transport, base_url="http://tempo.test") as c:
        return await c.get(path)


async def test_the_explorer_loads_only_local_assets(client):
    r = await client.get("/docs")
    assert r.status_code == 200
    assert "https://" not in r.text and "http://" not in r.text
    assert '<script src="/docs/assets/swagger-ui-bundle.js"></script>' in r.text
    assert "<script>" not in r.text  # no inline script: the strict CSP applies
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    js = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    start = await client.get("/docs/start.js")
    assert start.text.startswith('window.ui = SwaggerUIBundle({"url": "/openapi.json"')
    assert (await client.get("/redoc")).status_code == 404
    assert (await client.get("/openapi.json")).status_code == 200


@pytest.mark.parametrize(
    ("environment", "api_docs", "status"), [("production", None, 404), ("production", "true", 200)]
)
async def test_production_serves_the_explorer_only_when_asked(monkeypatch, environment, api_docs, status):
    monkeypatch.setenv("TEMPO_ENVIRONMENT", environment)
    monkeypatch.setenv("TEMPO_SECRET_KEY", "k" * 40)
    if api_docs:
        monkeypatch.setenv("TEMPO_API_DOCS", api_docs)
    get_settings.cache_clear()
    try:
        assert (await _get("/docs")).status_code == status
        assert (await _get("/openapi.json")).status_code == 200
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


@pytest.mark.parametrize("environment", ["dev", "production"])
async def test_graphiql_is_served_nowhere(client, session, monkeypatch, environment):
    """GraphiQL loads its page from a CDN, and Tempo serves nothing from one: no IDE at /graphql,
    whether or not the API explorer is on."""
    monkeypatch.setenv("TEMPO_ENVIRONMENT", environment)
    monkeypatch.setenv("TEMPO_SECRET_KEY", "k" * 40)
    get_settings.cache_clear()
    headers = await bearer(session, Role.viewer) | {"Accept": "text/html"}
    try:
        from app.main import create_app

        transport = httpx.ASGITransport(app=create_app(spa_dist=None))
        async with httpx.AsyncClient(transport=transport, base_url="http://tempo.test") as c:
            r = await c.get("/graphql", headers=headers)
        assert r.status_code == 404
        assert "graphiql" not in r.text.lower()
        assert r.headers["content-security-policy"] == SPA_CSP  # no exemption for an IDE any more
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
