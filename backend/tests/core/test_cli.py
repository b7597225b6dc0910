"""The pinned CLI commands, run as a user would, against a real database."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import asyncpg

from app.auth.security import sha256


def _tempo(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": url, **env},
    )


async def _fetch(url: str, sql: str) -> list[tuple]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return [tuple(r) for r in await conn.fetch(sql)]
    finally:
        await conn.close()


def test_migrate_user_create_and_api_key_create(fresh_database):
    url = fresh_database("cli")
    migrated = _tempo(url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == "database migrated to head"

    user = _tempo(
        url, "user", "create", "--email", "lead@example.com", "--role", "leader", TEMPO_USER_PASSWORD="long-enough-pw"
    )
    assert user.returncode == 0, user.stderr
    rows = asyncio.run(_fetch(url, 'SELECT email, role, password_hash IS NOT NULL FROM "user"'))
    assert rows == [("lead@example.com", "leader", True)]
    again = _tempo(url, "user", "create", "--email", "LEAD@example.com", "--role", "csm")
    assert again.returncode == 1 and "already exists" in again.stderr

    bad_role = _tempo(url, "user", "create", "--email", "x@example.com", "--role", "owner")
    assert bad_role.returncode == 2

    created = _tempo(url, "api-key", "create", "--name", "warehouse", "--role", "admin")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("tk_") and " " not in key
    portal = _tempo(url, "api-key", "create", "--name", "portal", "--role", "viewer", "--scope", "embed")
    assert portal.returncode == 0, portal.stderr
    keys = asyncio.run(_fetch(url, "SELECT name, role, scopes, key_hash FROM api_key ORDER BY created_at"))
    assert keys == [
        ("warehouse", "admin", [], sha256(key)),
        ("portal", "viewer", ["embed"], sha256(portal.stdout.strip().splitlines()[-1])),
    ]
    unknown = _tempo(url, "api-key", "create", "--name", "x", "--role", "viewer", "--scope", "everything")
    assert unknown.returncode == 2


def test_score_validates_its_dates(fresh_database):
    url = fresh_database("cli_score")
    assert _tempo(url, "migrate").returncode == 0
    both = _tempo(url, "score", "--as-of", "2026-01-01", "--from", "2026-01-01")
    assert both.returncode == 2 and "either --as-of or --from/--to" in both.stderr
    backwards = _tempo(url, "score", "--from", "2026-01-05", "--to", "2026-01-01")
    assert backwards.returncode == 2 and "--to is before --from" in backwards.stderr
    asyncio.run(
        _fetch(
            url,
            "INSERT INTO account (external_id, name, seats_purchased, signup_date) "
            "VALUES ('cli-a', 'A', 5, '2025-12-01'), ('cli-b', 'B', 5, '2025-12-01') RETURNING id",
        )
    )
    ok = _tempo(url, "score", "--from", "2026-01-01", "--to", "2026-01-03")
    assert ok.returncode == 0, ok.stderr
    assert re.fullmatch(r"6 snapshots written for 2 accounts in [0-9.]+ s", ok.stdout.strip()), ok.stdout
    runs = asyncio.run(
        _fetch(url, "SELECT kind, status, date_from::text, date_to::text, snapshots_written FROM scoring_run")
    )
    assert runs == [("backfill", "succeeded", "2026-01-01", "2026-01-03", 6)]
    days = asyncio.run(_fetch(url, "SELECT as_of::text, count(*) FROM health_snapshot GROUP BY 1 ORDER BY 1"))
    assert days == [("2026-01-01", 2), ("2026-01-02", 2), ("2026-01-03", 2)]


def test_an_upgrade_across_new_revenue_definitions_derives_revenue_again():
    from app.core.migrate import needs_rederive

    # before 0013 lines had no versions or currencies and renewals had one meaning less
    assert [needs_rederive(r) for r in ("0008", "0012", "0013", "0014", None)] == [True, True, False, False, False]
