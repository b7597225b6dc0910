"""Sign-in that guessing cannot turn against a user, client addresses behind trusted proxies
only, idle sessions, and HSTS."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from app.audit.models import AuditLog
from app.auth import service
from app.auth.models import User, UserDevice, UserSession
from app.auth.security import sha256
from app.core.config import get_settings
from app.core.enums import Role
from app.core.models import utcnow
from app.core.proxy import client_ip, forwarded_proto
from tests.factories import bearer, make_user

LOGIN = "/api/v1/auth/login"
HSTS = "max-age=31536000; includeSubDomains"


class Clock:
    """The service's clock, frozen, so Retry-After values are exact however slow the run."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(service, "utcnow", frozen)
    return frozen


@pytest.fixture
def backoff_settings(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Backoff after 3 wrong passwords, at most 10 s; a per-address window out of the way."""
    settings = get_settings()
    monkeypatch.setattr(settings, "login_backoff_after", 3)
    monkeypatch.setattr(settings, "login_backoff_max_seconds", 10)
    monkeypatch.setattr(settings, "login_rate_limit", "1000/minute")
    return settings


async def attempt(client: httpx.AsyncClient, email: str, password: str, device: str | None = None, **headers: str):
    body = {"email": email, "password": password} | ({"device_token": device} if device else {})
    return await client.post(LOGIN, json=body, headers=headers)


async def counts(session, user: User) -> tuple[int, datetime | None]:
    row = (await session.execute(select(User.failed_logins, User.login_blocked_until).where(User.id == user.id))).one()
    return row.failed_logins, row.login_blocked_until


async def end_block(session, user: User, clock: Clock) -> None:
    await session.execute(
        text('UPDATE "user" SET login_blocked_until = :t WHERE id = :id'),
        {"t": clock.now - timedelta(seconds=1), "id": user.id},
    )


# --- backoff ------------------------------------------------------------------------------------


async def test_guessing_backs_off_unknown_devices_but_never_a_known_one(client, session, clock, backoff_settings):
    victim = await make_user(session, email="victim@example.com", password="right-password")
    first = await attempt(client, "victim@example.com", "right-password")
    assert first.status_code == 200
    device = first.json()["device_token"]
    assert device.startswith("tpd_")

    # 12 wrong passwords from an attacker (no device token); each block is let run out in between.
    seen: list[tuple[int, str | None]] = []
    for _ in range(12):
        if seen and seen[-1][0] == 429:
            await end_block(session, victim, clock)
        r = await attempt(client, "victim@example.com", "guess")
        seen.append((r.status_code, r.headers.get("Retry-After")))
        if r.status_code == 429:
            assert r.headers["content-type"] == "application/problem+json"
            if r.headers["Retry-After"] == "1":
                assert r.json()["detail"] == (
                    "Too many wrong passwords for this email; try again in 1 second, "
                    "or from a device you have signed in from before"
                )
    assert seen == [
        (401, None),
        (401, None),
        (401, None),  # the 3rd wrong password: unknown devices wait 1 s
        (429, "1"),
        (401, None),  # 4th: 2 s
        (429, "2"),
        (401, None),  # 5th: 4 s
        (429, "4"),
        (401, None),  # 6th: 8 s
        (429, "8"),
        (401, None),  # 7th: 16 s, capped at 10
        (429, "10"),
    ]
    failed, blocked_until = await counts(session, victim)
    assert failed == 7 and blocked_until == clock.now + timedelta(seconds=10)

    # The right password from a device the user never signed in from waits too (checked first)...
    for unknown in (None, "tpd_not-a-device-of-theirs"):
        r = await attempt(client, "victim@example.com", "right-password", unknown)
        assert (r.status_code, r.headers["Retry-After"]) == (429, "10")
    # ...but the user's own device signs in, keeps its token, and the count starts again.
    r = await attempt(client, "victim@example.com", "right-password", device)
    assert r.status_code == 200, r.text
    assert r.json()["device_token"] == device
    assert await counts(session, victim) == (0, None)
    assert (await attempt(client, "victim@example.com", "right-password")).status_code == 200

    # Every block is in the audit trail, with the address the guesses came from.
    blocks = (
        (await session.execute(select(AuditLog).where(AuditLog.action == "user.login_blocked").order_by(AuditLog.id)))
        .scalars()
        .all()
    )
    assert [(b.entity_id, b.detail["seconds"], b.ip) for b in blocks] == [
        (str(victim.id), s, "127.0.0.1") for s in (1, 2, 4, 8, 10)
    ]


async def test_wrong_passwords_from_a_known_device_still_count(client, session, clock, backoff_settings):
    user = await make_user(session, email="own@example.com", password="right-password")
    device = (await attempt(client, "own@example.com", "right-password")).json()["device_token"]
    # Never delayed itself, even once the count has blocked everyone else.
    assert [(await attempt(client, "own@example.com", "typo", device)).status_code for _ in range(4)] == [401] * 4
    failed, blocked_until = await counts(session, user)
    assert failed == 4 and blocked_until == clock.now + timedelta(seconds=2)
    assert (await attempt(client, "own@example.com", "right-password")).status_code == 429
    assert (await attempt(client, "own@example.com", "right-password", device)).status_code == 200


async def test_after_the_block_the_right_password_works_and_resets_the_count(client, session, clock, backoff_settings):
    user = await make_user(session, email="later@example.com", password="right-password")
    assert [(await attempt(client, "later@example.com", "guess")).status_code for _ in range(3)] == [401] * 3
    assert (await attempt(client, "later@example.com", "right-password")).status_code == 429
    await end_block(session, user, clock)

    r = await attempt(client, "later@example.com", "right-password")
    assert r.status_code == 200
    assert await counts(session, user) == (0, None)
    # Counting starts from zero again: one wrong password blocks nobody.
    assert (await attempt(client, "later@example.com", "guess")).status_code == 401
    assert await counts(session, user) == (1, None)
    assert (await attempt(client, "later@example.com", "right-password")).status_code == 200


async def test_an_unknown_email_answers_exactly_like_a_known_one(client, session, clock, backoff_settings):
    await make_user(session, email="exists@example.com", password="right-password")

    async def run(email: str) -> list[tuple[int, str | None]]:
        start = clock.now
        seen = []
        for wait in (0, 0, 0, 0, 1, 0, 2, 0):
            clock.advance(wait)
            r = await attempt(client, email, "guess")
            seen.append((r.status_code, r.headers.get("Retry-After")))
        clock.now = start
        return seen

    known = await run("exists@example.com")
    unknown = await run("nobody-here@example.com")
    assert (
        known
        == unknown
        == [
            (401, None),
            (401, None),
            (401, None),
            (429, "1"),
            (401, None),
            (429, "2"),
            (401, None),
            (429, "4"),
        ]
    )


async def test_the_device_token_is_stored_hashed_and_reused(client, session, backoff_settings):
    user = await make_user(session, email="dev@example.com", password="right-password")
    device = (await attempt(client, "dev@example.com", "right-password")).json()["device_token"]
    again = await attempt(client, "dev@example.com", "right-password", device)
    assert again.json()["device_token"] == device
    stored = (await session.execute(select(UserDevice.token_hash).where(UserDevice.user_id == user.id))).scalars()
    assert list(stored) == [sha256(device)]
    # Another user's device is not theirs: a new token.
    await make_user(session, email="other@example.com", password="right-password")
    theirs = await attempt(client, "other@example.com", "right-password", device)
    assert theirs.status_code == 200 and theirs.json()["device_token"] != device


# --- client address -----------------------------------------------------------------------------


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(client, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["10.0.0.0/8"])
    monkeypatch.setattr(get_settings(), "login_rate_limit", "3/minute")
    await make_user(session, email="peer@example.com", password="right-password")
    r = await attempt(client, "peer@example.com", "right-password", **{"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 200
    ips = (await session.execute(select(UserSession.ip))).scalars().all()
    assert ips == ["127.0.0.1"]  # the ASGI test client's socket peer

    # Every attempt counts against the socket peer, whatever address it claims.
    statuses = [
        (await attempt(client, f"x{n}@example.com", "guess", **{"X-Forwarded-For": f"198.51.100.{n}"})).status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]


async def test_forwarded_for_from_a_trusted_proxy_is_honoured(client, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["127.0.0.1/32"])
    monkeypatch.setattr(get_settings(), "login_rate_limit", "3/minute")

    async def from_(xff: str, n: int) -> int:
        return (await attempt(client, f"y{n}@example.com", "guess", **{"X-Forwarded-For": xff})).status_code

    assert [await from_("203.0.113.1", n) for n in range(3)] == [401, 401, 401]
    assert await from_("203.0.113.1", 3) == 429
    # A client writing its own X-Forwarded-For only adds entries to the left of the proxy's.
    assert await from_("192.0.2.77, 203.0.113.1", 4) == 429
    # Another address has a window of its own.
    assert await from_("203.0.113.2", 5) == 401

    await make_user(session, email="behind@example.com", password="right-password")
    r = await attempt(client, "behind@example.com", "right-password", **{"X-Forwarded-For": "203.0.113.3"})
    assert r.status_code == 200
    assert (await session.execute(select(UserSession.ip))).scalars().all() == ["203.0.113.3"]


def _scope(peer: str | None, *headers: tuple[str, str], scheme: str = "http") -> dict[str, Any]:
    return {
        "type": "http",
        "scheme": scheme,
        "client": (peer, 4321) if peer else None,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
    }


def test_client_ip_walks_the_trusted_chain_from_the_right(monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["10.0.0.0/8", "fd00::/8"])
    xff = "X-Forwarded-For"
    assert client_ip(_scope("10.0.0.2", (xff, "198.51.100.7, 10.0.0.1"))) == "198.51.100.7"
    assert client_ip(_scope("10.0.0.2", (xff, "1.1.1.1"), (xff, "198.51.100.7"))) == "198.51.100.7"
    assert client_ip(_scope("10.0.0.2", (xff, "10.0.0.9, 10.0.0.1"))) == "10.0.0.9"  # all proxies
    assert client_ip(_scope("10.0.0.2", (xff, "198.51.100.7:5555"))) == "198.51.100.7"
    assert client_ip(_scope("10.0.0.2", (xff, "[2001:db8::1]:443"))) == "2001:db8::1"
    assert client_ip(_scope("10.0.0.2", (xff, "evil, 10.0.0.1"))) == "10.0.0.1"  # not an address
    assert client_ip(_scope("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_scope("::ffff:10.0.0.2", (xff, "198.51.100.7"))) == "198.51.100.7"
    assert client_ip(_scope("fd00::2", (xff, "2001:db8::5"))) == "2001:db8::5"
    # Untrusted or unknown peers are taken as they are.
    assert client_ip(_scope("192.0.2.1", (xff, "198.51.100.7"))) == "192.0.2.1"
    assert client_ip(_scope("testclient", (xff, "198.51.100.7"))) == "testclient"
    assert client_ip(_scope(None, (xff, "198.51.100.7"))) is None


def test_forwarded_proto_is_believed_from_trusted_proxies_only(monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["10.0.0.0/8", "not-a-cidr"])
    proto = "X-Forwarded-Proto"
    assert forwarded_proto(_scope("10.0.0.2", (proto, "https"))) == "https"
    assert forwarded_proto(_scope("10.0.0.2", (proto, "https, http"))) == "http"  # the proxy's own word
    assert forwarded_proto(_scope("10.0.0.2", (proto, "gopher"))) == "http"
    assert forwarded_proto(_scope("192.0.2.1", (proto, "https"))) == "http"
    assert forwarded_proto(_scope("192.0.2.1", scheme="https")) == "https"


# --- idle sessions ------------------------------------------------------------------------------


async def _last_seen(session, token: str) -> datetime:
    return (
        await session.execute(select(UserSession.last_seen_at).where(UserSession.token_hash == sha256(token)))
    ).scalar_one()


async def _set_last_seen(session, token: str, when: datetime) -> None:
    await session.execute(
        text("UPDATE user_session SET last_seen_at = :t WHERE token_hash = :h"), {"t": when, "h": sha256(token)}
    )


async def test_an_idle_session_ends(client, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "session_idle_minutes", 30)
    headers = await bearer(session, Role.viewer)
    token = headers["Authorization"].split()[1]
    await _set_last_seen(session, token, utcnow() - timedelta(minutes=31))
    r = await client.get("/api/v1/auth/me", headers=headers)
    assert r.status_code == 401
    assert r.json()["detail"] == "The token is invalid, expired or revoked"


async def test_an_active_session_stays_and_is_touched_at_most_once_a_minute(client, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "session_idle_minutes", 30)
    headers = await bearer(session, Role.viewer)
    token = headers["Authorization"].split()[1]

    recent = utcnow() - timedelta(seconds=30)
    await _set_last_seen(session, token, recent)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    assert await _last_seen(session, token) == recent  # seen within the minute: not written again

    a_while_ago = utcnow() - timedelta(minutes=29)
    await _set_last_seen(session, token, a_while_ago)
    before = utcnow()
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    touched = await _last_seen(session, token)
    assert touched >= before
    # ...which keeps it alive past the point it would have idled out.
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    assert await _last_seen(session, token) == touched


# --- HSTS ---------------------------------------------------------------------------------------


async def test_hsts_only_for_https(client, monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", ["127.0.0.1/32"])
    behind_tls = await client.get("/api/v1/auth/me", headers={"X-Forwarded-Proto": "https"})
    assert behind_tls.headers["Strict-Transport-Security"] == HSTS
    plain = await client.get("/api/v1/auth/me")
    assert "Strict-Transport-Security" not in plain.headers
    said_http = await client.get("/api/v1/auth/me", headers={"X-Forwarded-Proto": "http"})
    assert "Strict-Transport-Security" not in said_http.headers

    monkeypatch.setattr(get_settings(), "trusted_proxies", ["10.0.0.0/8"])
    spoofed = await client.get("/api/v1/auth/me", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


async def test_hsts_on_a_direct_https_connection(session):
    from app.main import create_app

    transport = httpx.ASGITransport(app=create_app(spa_dist=None))
    async with httpx.AsyncClient(transport=transport, base_url="https://tempo.test") as https_client:
        r = await https_client.get("/api/v1/auth/me")
    assert r.headers["Strict-Transport-Security"] == HSTS
