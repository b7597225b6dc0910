"""Schemathesis fuzzes every operation of the API document against a running app: no input
may make it answer 5xx, every status must be documented, every body must match its schema.

``make test`` runs a bounded pass (8 examples per operation, fixed seed); ``make fuzz`` runs
the same test with ``FUZZ_EXAMPLES`` (default there: 60) and another fixed seed, printing
schemathesis' summary (requests sent, failures found)."""

from __future__ import annotations

import asyncio
import base64
import os
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import httpx

from app.alerts.models import Alert
from app.core.config import get_settings
from app.core.enums import Role
from app.core.supervise import WorkerSupervisor
from app.renewals.models import Renewal
from app.tiles.schemas import TileKind
from app.worker import worker_settings
from tests.factories import bearer, make_account


async def _seed(base: str, auth: dict[str, str], committed_sessions) -> dict[str, str]:
    """One real object behind every path parameter, so generated requests reach the code
    behind the 404s (a note to delete, a delivery to retry, a run to complete...)."""
    async with committed_sessions() as s:
        account = await make_account(s, external_id="fuzz-co", renewal_date=date(2027, 3, 1))
        alert = Alert(
            account_id=account.id,
            rule="critical_ticket",
            severity="high",
            dedupe_key="fuzz:alert",
            title="A P1 ticket is open",
            opened_at=datetime.now(UTC),
        )
        renewal = Renewal(account_id=account.id, renewal_date=date(2027, 3, 1), arr_up_for_renewal=Decimal(1200))
        s.add_all([alert, renewal])
        await s.commit()
        ids = {"account_id": account.id, "alert_id": alert.id, "renewal_id": renewal.id}
    async with httpx.AsyncClient(base_url=base, headers=auth) as c:

        async def made(method: str, url: str, body: dict | None = None) -> dict:
            r = await c.request(method, url, json=body)
            assert r.status_code < 300, (url, r.status_code, r.text)
            return r.json()

        acct = f"/api/v1/accounts/{account.id}"
        ids["note_id"] = (await made("POST", f"{acct}/notes", {"body": "Call before renewal"}))["id"]
        ids["alias_id"] = (await made("POST", f"{acct}/aliases", {"source": "hubspot", "key": "fz-1"}))["alias"]["id"]
        task = {"account_id": str(account.id), "title": "Send the QBR deck"}
        ids["task_id"] = (await made("POST", "/api/v1/tasks", task))["id"]
        view = {"name": "At risk", "query": {"filter": "health<50"}}
        ids["view_id"] = (await made("POST", "/api/v1/views", view))["id"]
        ids["feedback_id"] = (await made("POST", "/api/v1/analytics/feedback", {"title": "Export to Sheets"}))["id"]
        channel = {"name": "hooks", "kind": "webhook", "target": "http://127.0.0.1:9/hook"}
        ids["channel_id"] = (await made("POST", "/api/v1/notifications/channels", channel))["id"]
        ids["delivery_id"] = (await made("POST", "/api/v1/notifications/test"))[0]["id"]
        playbook = (await made("GET", "/api/v1/playbooks"))[0]
        ids["playbook_id"] = playbook["id"]
        run = await made("POST", f"/api/v1/playbooks/{playbook['id']}/runs", {"account_id": str(account.id)})
        ids["run_id"] = run["id"]
        ticket = {
            "items": [
                {
                    "id": "fz-t1",
                    "account": "nobody.example",
                    "account_key_type": "domain",
                    "subject": "Login fails",
                    "opened_at": "2026-12-01T10:00:00Z",
                }
            ]
        }
        await made("POST", "/api/v1/ingest/tickets", ticket)
        ids["record_id"] = (await made("GET", "/api/v1/unmatched"))["items"][0]["id"]
        embed = {"tiles": list(TileKind), "account_ids": [str(account.id)], "origins": ["https://host.example"]}
        revocable = await made("POST", "/api/v1/embed-tokens", embed)
        ids["jti"], ids["configuration_id"] = revocable["jti"], revocable["configuration_id"]
        ids["embed_token"] = (await made("POST", "/api/v1/embed-tokens", embed))["token"]
    return {f"path.{name}": str(value) for name, value in ids.items()}


async def test_no_generated_request_breaks_the_api(committed_sessions, live_server, tmp_path, monkeypatch):
    settings = get_settings()
    # the connectors switched on, so they answer for themselves rather than 503
    monkeypatch.setattr(settings, "segment_write_key", "wk_fuzz")
    monkeypatch.setattr(settings, "stripe_webhook_secret", "whsec_fuzz")
    # channels may point at this machine (deliveries fail: nothing listens on port 9)
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    async with committed_sessions() as s:
        headers = await bearer(s, Role.admin)
        await s.commit()
    parameters = await _seed(live_server, headers, committed_sessions)
    embed_token = parameters.pop("path.embed_token")  # the tile route is fuzzed as a host calls it
    segment = "Basic " + base64.b64encode(b"wk_fuzz:").decode()
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "\n".join(
            [
                f'headers = {{ Authorization = "{headers["Authorization"]}" }}',
                "[parameters]",
                *(f'"{k}" = "{v}"' for k, v in parameters.items()),
                "[[operations]]",
                'include-path-regex = "^/segment/"',
                f'headers = {{ Authorization = "{segment}" }}',
                "[[operations]]",
                'include-path-regex = "^/embed/tiles/"',
                f'headers = {{ Authorization = "Bearer {embed_token}" }}',
            ]
        )
    )
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{live_server}/openapi.json",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        "--max-examples",
        os.environ.get("FUZZ_EXAMPLES", "8"),
        "--phases",
        "examples,coverage,fuzzing",
        # signing out or revoking keys would end the run's own session
        "--exclude-path-regex",
        "logout|api-keys",
        "--seed",
        os.environ.get("FUZZ_SEED", "20261205"),
        # one worker: Hypothesis describes its filters by parsing their source, and two threads
        # parsing at once trip CPython 3.11.7's "AST constructor recursion depth mismatch"
        # (gh-106905, fixed in 3.11.8): a crash of the fuzzer, not of Tempo
        "--workers",
        "1",
        "--no-color",
    ]
    # a worker beside the app, as in production: /readyz is ready, and the jobs fuzzed
    # requests queue (rescoring, revenue rebuilds) run against what they wrote
    supervisor = WorkerSupervisor(worker_settings())
    worker = asyncio.create_task(supervisor.run())
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, cwd=tmp_path
        )
        output, _ = await process.communicate()
    finally:
        supervisor.stop()
        await worker
    report = output.decode(errors="replace")
    if os.environ.get("FUZZ_EXAMPLES"):
        print(report[-4000:])
    assert process.returncode == 0, report[-6000:]
