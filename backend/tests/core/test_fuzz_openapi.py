"""Schemathesis fuzzes every operation of the API document against a running app: no input
may make it answer 5xx, every status must be documented, every body must match its schema.

``make test`` runs a bounded pass (8 examples per operation, fixed seed); ``make fuzz`` runs
the same test with ``FUZZ_EXAMPLES`` (default there: 60) and another fixed seed, printing
schemathesis' summary (requests sent, failures found)."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from app.core.config import get_settings
from app.core.enums import Role
from app.core.supervise import WorkerSupervisor
from app.worker import worker_settings
from tests.factories import bearer, make_account


async def test_no_generated_request_breaks_the_api(committed_sessions, live_server, tmp_path, monkeypatch):
    # the connectors switched on, so they answer for themselves rather than 503
    monkeypatch.setattr(get_settings(), "segment_write_key", "wk_fuzz")
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", "whsec_fuzz")
    async with committed_sessions() as s:
        await make_account(s, external_id="fuzz-co")
        headers = await bearer(s, Role.admin)
        await s.commit()
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{live_server}/openapi.json",
        "--header",
        f"Authorization: {headers['Authorization']}",
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
        "--workers",
        "2",
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
