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


async def test_a_failed_statement_logs_its_sql_but_never_its_values(json_logs, capsys):
    """The audit found a password hash in an error log: SQLAlchemy's error text carried the
    INSERT's parameters. The app's engine hides them, and the shape scrubber catches the rest."""
    from sqlalchemy import text

    from app.auth.security import hash_password
    from app.core.db import get_engine

    digest = hash_password("correct-horse")
    key_hash = "ab" * 32
    async with get_engine().connect() as conn:
        await conn.execute(text("CREATE TEMP TABLE creds (h text CHECK (h = 'nope'), k text)"))
        try:
            await conn.execute(text("INSERT INTO creds VALUES (:h, :k)"), {"h": digest, "k": key_hash})
        except Exception:
            logging.getLogger("app.test").exception("insert failed")
        await conn.rollback()
    out = capsys.readouterr().err
    [line] = _lines(out)
    assert "INSERT INTO creds VALUES" in line["exception"]
    assert "SQL parameters hidden" in line["exception"]
    assert digest not in out and key_hash not in out and "$argon2" not in out


def test_credential_shaped_text_is_masked_in_messages_and_tracebacks(json_logs, capsys):
    secrets = [
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "tps_" + "x" * 43,
        "tk_ab12cd34_" + "y" * 43,
        "whsec_" + "z" * 32,
        "0123456789abcdef" * 4,
    ]
    log = logging.getLogger("app.test")
    log.warning("sent Authorization: Bearer abcdefgh12345678 to redis://tempo:hunter22@cache:6379/0")
    try:
        raise ValueError(" / ".join(secrets))
    except ValueError:
        log.exception("failed with %s", secrets[1])
    out = capsys.readouterr().err
    first, second = _lines(out)
    assert first["event"] == f"sent Authorization: Bearer {REDACTED} to redis://tempo:{REDACTED}@cache:6379/0"
    assert second["event"] == f"failed with {REDACTED}"
    assert f"ValueError: {' / '.join([REDACTED] * 5)}" in second["exception"]
    for secret in [*secrets, "hunter22", "abcdefgh12345678"]:
        assert secret not in out


async def test_a_signed_in_session_writes_no_credential_to_any_log_line(client, session, json_logs, capsys):
    """Sign in, make an API key and a webhook channel, use them: the captured logs hold none of
    the password, token, key, signing secret or their hashes."""
    from app.auth.security import sha256
    from tests.factories import make_user

    user = await make_user(session, role=Role.admin, password="correct-horse-battery")
    r = await client.post("/api/v1/auth/login", json={"email": user.email, "password": "correct-horse-battery"})
    token = r.json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    await client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong-password-1"})
    key = (await client.post("/api/v1/api-keys", json={"name": "ci", "role": "admin"}, headers=auth)).json()["key"]
    r = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}x"})
    out = capsys.readouterr().err
    assert len(_lines(out)) >= 5
    for secret in ["correct-horse-battery", "wrong-password-1", token, key, sha256(token), sha256(key)]:
        assert secret not in out
    assert user.password_hash is not None and user.password_hash not in out
