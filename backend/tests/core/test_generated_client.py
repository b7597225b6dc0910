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
from sqlalchemy import delete
from sqlmodel import col

from app.core.enums import Role
from app.main import create_app
from app.usage.models import Feature
from tests.factories import bearer, make_account, make_user

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


async def test_an_admins_script_with_a_generated_client(generated, committed_sessions, live_server):
    """An admin's script, typed end to end: it makes a key that may only send data and sends
    with it (reading is refused, as a Problem), finds that send in the audit log, marks a new
    feature core, and moves an account to another CSM; the team view and the leadership
    overview parse into their typed models and agree with the move."""
    async with committed_sessions() as s:
        headers = await bearer(s, Role.admin)
        ana = await make_user(s, role=Role.csm, email="ana@example.com", name="Ana")
        ben = await make_user(s, role=Role.csm, email="ben@example.com", name="Ben")
        account = await make_account(s, name="Moving Co", external_id="gen-move", owner_id=ana.id, plan="pro")
        await s.commit()
    models = _mod("models")
    client_type = _mod("client").AuthenticatedClient
    admin = client_type(base_url=live_server, token=headers["Authorization"].removeprefix("Bearer "))

    body = models.ApiKeyCreate(name="pipeline", scopes=[models.ApiKeyScope.INGEST])
    created = await _mod("api.auth.create_api_key").asyncio(client=admin, body=body)
    assert isinstance(created, models.ApiKeyCreated)
    assert (created.role, created.scopes) == (models.Role.VIEWER, [models.ApiKeyScope.INGEST])
    pipeline = client_type(base_url=live_server, token=created.key)
    events = models.EventItemBatch(
        items=[models.EventItem(id="k-e1", account="gen-move", event="Report Viewed", timestamp=WHEN)]
    )
    sent = await _mod("api.ingest.ingest_events").asyncio(client=pipeline, body=events)
    assert (sent.accepted, sent.rejected) == (1, [])
    refused = await _mod("api.accounts.list_accounts").asyncio_detailed(client=pipeline)
    assert refused.status_code == 403 and isinstance(refused.parsed, models.Problem)

    audit = await _mod("api.admin.list_audit_entries").asyncio(client=admin, action="ingest.")
    assert isinstance(audit, models.AuditPage)
    assert [(e.action, e.actor, e.actor_label) for e in audit.items] == [
        ("ingest.events", f"api_key:{created.id}", "pipeline")
    ]

    # The catalogue outlives a test's rows (its table is not emptied between tests): the
    # feature this script adds is removed at the end, so no later test counts it as core.
    feature = await _mod("api.features.create_feature").asyncio(
        client=admin,
        body=models.FeatureCreate(key="generated-reports", name="Generated reports", event_pattern="^Report "),
    )
    assert isinstance(feature, models.FeaturePublic) and feature.is_core is False
    try:
        core = await _mod("api.features.update_feature").asyncio(
            feature_id=feature.id, client=admin, body=models.FeatureUpdate(is_core=True, plans=["pro"])
        )
        assert (core.is_core, core.plans) == (True, ["pro"])
        unknown_plan = await _mod("api.features.update_feature").asyncio_detailed(
            feature_id=feature.id, client=admin, body=models.FeatureUpdate(plans=["platinum"])
        )
        assert unknown_plan.status_code == 422 and isinstance(unknown_plan.parsed, models.Problem)
        assert unknown_plan.parsed.errors[0].loc[-1] == "plans"
    finally:
        async with committed_sessions() as s:
            await s.execute(delete(Feature).where(col(Feature.id) == feature.id))
            await s.commit()

    moved = await _mod("api.accounts.reassign_accounts").asyncio(
        client=admin, body=models.ReassignIn(account_ids=[account.id], owner_id=ben.id)
    )
    assert (moved.moved, moved.unchanged, moved.missing) == ([account.id], [], [])
    team = await _mod("api.team.get_team").asyncio(client=admin, scope=models.GetTeamScopeType0.ALL)
    assert isinstance(team, models.TeamView)
    assert sorted((r.email, r.accounts) for r in team.rows if r.email) == [
        ("ana@example.com", 0),
        ("ben@example.com", 1),
    ]
    overview = await _mod("api.metrics.get_leadership_overview").asyncio(client=admin)
    assert isinstance(overview, models.Overview)
    assert overview.scope == "all"
