"""Structured logs: one JSON object per line, the request id on every line of a request,
the job id on every line of a job, and no credential ever written."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.core.logging import REDACTED, configure_logging
from app.worker import on_job_start
from tests.factories import bearer


@pytest.fixture
def json_logs(monkeypatch):
    monkeypatch.setenv("TEMPO_LOG_FORMAT", "json")
    get_settings.cache_clear()
    configure_logging(force=True)
    yield
    monkeypatch.delenv("TEMPO_LOG_FORMAT")
    get_settings.cache_clear()
    configure_logging(force=True)


def _lines(err: str) -> list[dict]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


async def test_a_request_keeps_a_sane_caller_id_and_logs_one_line_with_it(client, session, json_logs, capsys):
    headers = await bearer(session, Role.viewer)
    capsys.readouterr()
    r = await client.get("/api/v1/auth/me", headers={**headers, "X-Request-ID": "req-42.a"})
    assert r.status_code == 200 and r.headers["X-Request-ID"] == "req-42.a"
    [line] = [x for x in _lines(capsys.readouterr().err) if x["logger"] == "app.request"]
    assert (line["event"], line["status"], line["request_id"], line["level"]) == (
        "GET /api/v1/auth/me 200",
        200,
        "req-42.a",
        "info",
    )
    assert line["ms"] >= 0 and line["timestamp"].endswith("Z")


async def test_an_unusable_caller_id_is_replaced(client, json_logs):
    r = await client.get("/healthz", headers={"X-Request-ID": "has spaces and\ttabs"})
    assert r.headers["X-Request-ID"] != "has spaces and\ttabs"
    assert len(r.headers["X-Request-ID"]) == 32 and int(r.headers["X-Request-ID"], 16) >= 0
    r2 = await client.get("/healthz")
    assert r2.headers["X-Request-ID"] != r.headers["X-Request-ID"]


def test_credentials_are_never_written(json_logs, capsys):
    logging.getLogger("app.test").info(
        "connecting",
        extra={
            "password": "hunter2",
            "channel": {"target": "https://hooks.example/x", "secret": "s3cr3t", "headers": [{"Authorization": "B x"}]},
            "key_hash": "abc",
            "account_id": "7d0c",
        },
    )
    [line] = _lines(capsys.readouterr().err)
    assert line["password"] == REDACTED and line["key_hash"] == REDACTED
    assert line["channel"] == {
        "target": "https://hooks.example/x",
        "secret": REDACTED,
        "headers": [{"Authorization": REDACTED}],
    }
    assert line["account_id"] == "7d0c"
    assert "hunter2" not in json.dumps(line) and "s3cr3t" not in json.dumps(line)


async def test_every_line_of_a_job_carries_its_id_and_no_other_jobs(json_logs, capsys):
    log = logging.getLogger("app.test")

    async def job(job_id: str) -> None:
        await on_job_start({"job_id": job_id, "job_try": 1})
        await asyncio.sleep(0)
        log.info("working")

    await asyncio.gather(asyncio.create_task(job("a")), asyncio.create_task(job("b")))
    log.info("outside")
    lines = _lines(capsys.readouterr().err)
    assert sorted((x["event"], x.get("job_id")) for x in lines) == [
        ("outside", None),
        ("working", "a"),
        ("working", "b"),
    ]
