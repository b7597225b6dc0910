"""A Python client generated from Tempo's own API document (openapi-python-client), used
against a running app: if the document is too loose for a typed client -- untyped ingest
items, errors it cannot parse, uploads typed as text, unnamed enums -- these calls fail."""

from __future__ import annotations

import importlib
import io
import json
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.core.enums import Role
from app.main import create_app
from tests.factories import bearer, make_account

PACKAGE = "tempo_generated_client"
WHEN = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("client")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(create_app(spa_dist=None).openapi()))
    (root / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("openapi-python-client")),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(root / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(root / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # the one endpoint a generator may leave out is the YAML config import (it takes a file too)
    warnings = [line for line in done.stdout.splitlines() if line.startswith("WARNING")]
    assert all("/api/v1/scoring/config/versions/import" in w for w in warnings), done.stdout
    sys.path.insert(0, str(root))
    return importlib.import_module(PACKAGE)


def _mod(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


async def test_a_generated_client_ingests_lists_uploads_and_reads_errors(generated, committed_sessions, live_server):
    async with committed_sessions() as s:
        headers = await bearer(s, Role.admin)
        await s.commit()
    token = headers["Authorization"].removeprefix("Bearer ")
    client = _mod("client").AuthenticatedClient(base_url=live_server, token=token, raise_on_unexpected_status=True)
    models = _mod("models")

    # each ingest kind is its own operation with its own item type
    batch = models.AccountItemBatch(
        items=[
            models.AccountItem(external_id="gen-1", name="Generated One", domains=["https://www.gen-one.example/"]),
            models.AccountItem(external_id="gen-2", name="Generated Two", plan="pro"),
        ]
    )
    result = await _mod("api.ingest.ingest_accounts").asyncio(client=client, body=batch)
    assert (result.accepted, result.rejected) == (2, [])
    events = models.EventItemBatch(
        items=[
            models.EventItem(id="g-e1", account="gen-1", event="Report Viewed", timestamp=WHEN),
            models.EventItem(id="g-e2", account="gen-1", event="", timestamp=WHEN),  # the server refuses it
        ]
    )
    result = await _mod("api.ingest.ingest_events").asyncio(client=client, body=events)
    assert (result.accepted, [(r.index, r.id) for r in result.rejected]) == (1, [(1, "g-e2")])

    # sorts are named enums; the page parses into typed summaries
    page = await _mod("api.accounts.list_accounts").asyncio(client=client, sort=models.ListAccountsSort.NAME_DESC)
    assert [a.name for a in page.items] == ["Generated Two", "Generated One"]

    # an upload is a binary file in a multipart body
    csv = b"external_id,name\ngen-3,Generated Three\n"
    body = models.BodyRunImport(file=_mod("types").File(payload=io.BytesIO(csv), file_name="a.csv"))
    report = await _mod("api.import_.run_import").asyncio(kind="accounts", client=client, body=body)
    assert (report.accepted, report.rejected) == (1, [])

    # errors arrive as problem+json and parse into Problem
    missing = await _mod("api.accounts.get_account").asyncio_detailed(account_id=uuid.uuid4(), client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert (missing.parsed.status, missing.parsed.title) == (404, "Not found")
    bad = await _mod("api.accounts.list_accounts").asyncio_detailed(client=client, filter_="renewal_in<=soon")
    assert bad.status_code == 422 and isinstance(bad.parsed, models.Problem)
    assert bad.parsed.errors[0].loc == ["query", "filter", 0]


async def test_a_generated_client_issues_an_embed_token_and_reads_the_tile_with_it(
    generated, committed_sessions, live_server
):
    """As a host's server would: issue a token with an admin's credentials, then read the tile
    with the token alone, parsed into the typed Tile; the token opens no other route."""
    async with committed_sessions() as s:
        headers = await bearer(s, Role.admin)
        account = await make_account(s, name="Generated Tile Co")
        await s.commit()
    models = _mod("models")
    client_type = _mod("client").AuthenticatedClient
    admin = client_type(base_url=live_server, token=headers["Authorization"].removeprefix("Bearer "))
    body = models.EmbedTokenCreate(
        tiles=[models.TileKind.HEALTH], account_ids=[account.id], origins=["https://host.example"], ttl_seconds=60
    )
    issued = await _mod("api.embedding.create_embed_token").asyncio(client=admin, body=body)
    assert isinstance(issued, models.EmbedTokenCreated)
    assert 59 <= (issued.expires_at - datetime.now(UTC)).total_seconds() <= 61

    host = client_type(base_url=live_server, token=issued.token)
    tile = await _mod("api.embedding.get_embed_tile").asyncio(
        kind=models.TileKind.HEALTH, account_id=account.id, client=host
    )
    assert isinstance(tile, models.Tile)
    assert (tile.title, tile.account.name, tile.state, tile.display) == ("Health", "Generated Tile Co", "no_data", "—")
    other = await _mod("api.embedding.get_embed_tile").asyncio_detailed(
        kind=models.TileKind.QUADRANT, account_id=account.id, client=host
    )
    assert other.status_code == 403 and isinstance(other.parsed, models.Problem)
    refused = await _mod("api.accounts.get_account").asyncio_detailed(account_id=account.id, client=host)
    assert refused.status_code == 401
