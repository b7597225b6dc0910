"""Authentication and account administration rules. Never commits: the caller's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth import backoff, permissions, repository
from app.auth.models import ApiKey, User, UserDevice, UserSession
from app.auth.schemas import ApiKeyPublic, KeyStatus, UserAdmin
from app.auth.security import (
    SESSION_PREFIX,
    api_key_prefix,
    hash_password,
    new_api_key,
    new_device_token,
    new_session_token,
    sha256,
    verify_password,
)
from app.core import format
from app.core.config import get_settings
from app.core.enums import ApiKeyScope, Role
from app.core.errors import Conflict, FieldError, NotFound, TooManyRequests, Unauthorized, Unprocessable
from app.core.models import utcnow

# last_used_at (keys) and last_seen_at (sessions) are written at most this often, so reads
# stay read-only.
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)
SESSION_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user or an API key, with the role that bounds it."""

    kind: str  # "user" | "api_key"
    id: uuid.UUID
    role: Role
    email: str | None = None
    session_id: uuid.UUID | None = None
    # An API key's scopes (``ApiKeyScope``; with read, ingest or admin they bound the key instead
    # of its role, ``permissions.Permission.admits``); users have none.
    scopes: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.id if self.kind == "user" else None


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    role: Role,
    name: str | None = None,
    password: str | None = None,
    lead_id: uuid.UUID | None = None,
    actor: str = "system",
) -> User:
    if await repository.user_by_email(session, email):
        raise Conflict(f"A user with email {email} already exists")
    if lead_id is not None:
        await _check_lead(session, lead_id, None)
    user = User(
        email=email.strip(),
        name=name,
        role=role.value,
        password_hash=hash_password(password) if password else None,
        lead_id=lead_id,
    )
    session.add(user)
    await session.flush()
    details = {"email": user.email, "role": user.role, **({"lead_id": str(lead_id)} if lead_id else {})}
    record(session, actor, "user.create", "user", user.id, details)
    return user


def _bad_lead(msg: str) -> Unprocessable:
    return Unprocessable(f"lead_id: {msg}", errors=[FieldError(loc=["body", "lead_id"], msg=msg, type="lead")])


async def _check_lead(session: AsyncSession, lead_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
    """422 naming ``lead_id`` unless the lead is another user, and an active one."""
    if lead_id == user_id:
        raise _bad_lead("a user cannot be their own lead")
    lead = await repository.user_by_id(session, lead_id)
    if lead is None:
        raise _bad_lead(f"no user with id {lead_id}")
    if not lead.is_active:
        raise _bad_lead(f"{lead.email} is not active")


def _refuse(field: str, msg: str) -> Unprocessable:
    return Unprocessable(f"{field}: {msg}", errors=[FieldError(loc=["body", field], msg=msg)])


async def update_user(
    session: AsyncSession, user_id: uuid.UUID, changes: dict[str, Any], actor: str = "system"
) -> User:
    """Name, role, lead and whether the user is active (``changes``: only what changes; a
    ``lead_id`` of None clears it). Deactivating ends the user's open sessions; nobody
    deactivates or demotes themself (so an admin cannot lock the last admin out by mistake)."""
    user = await repository.user_by_id(session, user_id)
    if user is None:
        raise NotFound(f"No user with id {user_id}")
    if changes.get("lead_id") is not None:
        await _check_lead(session, changes["lead_id"], user.id)
    themself = actor == f"user:{user.id}"
    if themself and changes.get("is_active") is False:
        raise _refuse("is_active", "you cannot deactivate yourself")
    if themself and changes.get("role") is not None and Role(changes["role"]) != Role(user.role):
        raise _refuse("role", "you cannot change your own role")
    if "name" in changes:
        user.name = changes["name"]
    if changes.get("role") is not None:
        user.role = Role(changes["role"]).value
    if "lead_id" in changes:
        user.lead_id = changes["lead_id"]
    ended = 0
    if changes.get("is_active") is not None and bool(changes["is_active"]) != user.is_active:
        user.is_active = bool(changes["is_active"])
        if not user.is_active:
            ended = await repository.revoke_user_sessions(session, user.id, utcnow())
    await session.flush()
    detail: dict[str, Any] = {k: str(v) for k, v in changes.items() if k != "is_active"}
    if "is_active" in changes:
        detail["is_active"] = changes["is_active"]
        if ended:
            detail["sessions_ended"] = ended
    record(session, actor, "user.update", "user", user.id, detail)
    return user


async def users(session: AsyncSession) -> list[UserAdmin]:
    """Every user with their lead, by role (admins first) then email."""
    return [UserAdmin.model_validate(row) for row in await repository.list_users(session)]


@dataclass(frozen=True)
class SignedIn:
    token: str
    session: UserSession
    user: User
    # The device's token to send back at the next sign-in: the one it sent if it is known,
    # else a new one.
    device_token: str


def _blocked(blocked_until: datetime | None, now: datetime) -> TooManyRequests | None:
    if blocked_until is None or blocked_until <= now:
        return None
    seconds = backoff.retry_after(blocked_until, now)
    return TooManyRequests(
        f"Too many wrong passwords for this email; try again in {format.seconds(seconds)}, "
        "or from a device you have signed in from before",
        headers={"Retry-After": str(seconds)},
    )


async def _count_failure(
    session: AsyncSession, user_id: uuid.UUID, now: datetime, *, known_device: bool, ip: str | None
) -> None:
    settings = get_settings()
    failed = await repository.count_failed_login(session, user_id)
    seconds = backoff.block_seconds(failed, settings.login_backoff_after, settings.login_backoff_max_seconds)
    if seconds is None:
        return
    until = now + timedelta(seconds=seconds)
    await repository.block_login(session, user_id, until)
    detail = {"failed_logins": failed, "seconds": seconds, "until": until.isoformat(), "known_device": known_device}
    record(session, "anonymous", "user.login_blocked", "user", user_id, detail, ip=ip)


async def sign_in(
    session: AsyncSession,
    email: str,
    password: str,
    *,
    device_token: str | None = None,
    ip: str | None = None,
    user_agent: str | None = None,
) -> SignedIn:
    """Check the password and open a session; raises 401 (wrong email or password) or 429 (the
    email is in backoff and the caller is not one of its user's known devices).

    Wrong passwords are counted (``user.failed_logins``); from ``login_backoff_after`` of them
    on, each one makes devices the user never signed in from wait 1, 2, 4, ... seconds (at most
    ``login_backoff_max_seconds``) before the next attempt, refused before the password is even
    checked. A known device (its token from an earlier sign-in) never waits, so whoever guesses
    cannot lock the user out; its wrong passwords still count. Emails without an account answer
    the same way (``backoff.UnknownEmails``), so neither status nor Retry-After tells whether an
    account exists. Success forgets the count.

    Raising leaves the count and audit entry written but uncommitted: a caller that must keep
    them (the login route) commits before answering.
    """
    settings = get_settings()
    after, cap = settings.login_backoff_after, settings.login_backoff_max_seconds
    now = utcnow()
    user = await repository.user_by_email(session, email)
    device_id = None
    if user is not None and device_token:
        device_id = await repository.known_device(session, user.id, sha256(device_token))
    if device_id is None:
        blocked_until = user.login_blocked_until if user else backoff.MEMORY.unknown_emails.blocked_until(email, now)
        refused = _blocked(blocked_until, now)
        if refused is not None:
            raise refused

    # Checked against a fixed hash when there is no account, so timing does not tell; a
    # deactivated account fails like a wrong password (and counts like one).
    if not verify_password(password, user.password_hash if user else None) or user is None or not user.is_active:
        if user is None:
            backoff.MEMORY.unknown_emails.fail(email, now, after, cap)
        else:
            await _count_failure(session, user.id, now, known_device=device_id is not None, ip=ip)
        raise Unauthorized("Incorrect email or password")

    if device_id is not None and device_token:
        await repository.touch_device(session, device_id, now)
        kept_token = device_token
    else:
        kept_token = new_device_token()
        session.add(UserDevice(user_id=user.id, token_hash=sha256(kept_token), last_used_at=now))
    await repository.clear_failed_logins(session, user.id, now)
    token = new_session_token()
    user_session = UserSession(
        token_hash=sha256(token),
        user_id=user.id,
        expires_at=now + timedelta(hours=settings.session_ttl_hours),
        last_seen_at=now,
        ip=ip,
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(user_session)
    record(
        session,
        f"user:{user.id}",
        "session.create",
        "user_session",
        None,
        {"known_device": device_id is not None},
        ip=ip,
    )
    return SignedIn(token, user_session, user, kept_token)


async def login(
    session: AsyncSession, email: str, password: str, ip: str | None = None, user_agent: str | None = None
) -> tuple[str, UserSession, User]:
    """``sign_in`` from a new device, for scripts and tests: (session token, session, user)."""
    signed_in = await sign_in(session, email, password, ip=ip, user_agent=user_agent)
    return signed_in.token, signed_in.session, signed_in.user


async def logout(session: AsyncSession, principal: Principal) -> None:
    if principal.session_id is not None:
        await repository.revoke_session(session, principal.session_id, utcnow())
        record(session, principal.actor, "session.revoke", "user_session", principal.session_id)


async def authenticate(session: AsyncSession, token: str) -> Principal | None:
    now = utcnow()
    if token.startswith(SESSION_PREFIX):
        idle = timedelta(minutes=get_settings().session_idle_minutes)
        found = await repository.active_session(session, sha256(token), now, now - idle)
        if found is None:
            return None
        if now - found.last_seen_at > SESSION_TOUCH_INTERVAL:
            await repository.touch_session(session, found.session_id, now, now - SESSION_TOUCH_INTERVAL)
        return Principal("user", found.id, Role(found.role), found.email, found.session_id)
    prefix = api_key_prefix(token)
    if prefix is None:
        return None
    key = await repository.api_key_by_prefix(session, prefix)
    if key is None or key.key_hash != sha256(token) or key.revoked_at is not None:
        return None
    if key.expires_at is not None and key.expires_at <= now:
        return None
    if key.last_used_at is None or now - key.last_used_at > API_KEY_TOUCH_INTERVAL:
        await repository.touch_api_key(session, key.id, now, now - API_KEY_TOUCH_INTERVAL)
    scopes = frozenset(key.scopes or ())
    return Principal("api_key", key.id, scoped_role(scopes) or Role(key.role), scopes=scopes)


def scoped_role(scopes: Iterable[str]) -> Role | None:
    """The role a key limited by its scopes acts as (admin scope: admin, else viewer); None for a
    key without read, ingest or admin, which acts by the role it was given."""
    held = set(scopes)
    if not held & permissions.LIMITING_SCOPES:
        return None
    return Role.admin if ApiKeyScope.admin in held else Role.viewer


async def create_api_key(
    session: AsyncSession,
    *,
    name: str,
    role: Role | None,
    scopes: Iterable[ApiKeyScope] = (),
    created_by: uuid.UUID | None = None,
    actor: str = "system",
) -> tuple[ApiKey, str]:
    """A new key and the key itself (shown once). A key with the read, ingest or admin scope
    does only what they cover, as admin (admin scope) or viewer: ``role`` may be left out, and
    must be that role if given. Any other key needs ``role`` and acts by it."""
    granted = sorted({ApiKeyScope(s).value for s in scopes})
    derived = scoped_role(granted)
    if derived is None and role is None:
        raise _refuse("role", "give the key a role, or the read, ingest or admin scope")
    if derived is not None and role is not None and role != derived:
        raise _refuse(
            "role",
            f"a key with the scopes {', '.join(granted)} acts as {derived.value}; leave the role out or send "
            f"{derived.value}",
        )
    acting = derived or role
    assert acting is not None
    key, prefix = new_api_key()
    api_key = ApiKey(
        name=name, prefix=prefix, key_hash=sha256(key), role=acting.value, scopes=granted, created_by_id=created_by
    )
    session.add(api_key)
    await session.flush()
    record(
        session, actor, "api_key.create", "api_key", api_key.id, {"name": name, "role": acting.value, "scopes": granted}
    )
    return api_key, key


def key_status(key: ApiKey, now: datetime | None = None) -> KeyStatus:
    if key.revoked_at is not None:
        return "revoked"
    if key.expires_at is not None and key.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


_KNOWN_SCOPES = frozenset(s.value for s in ApiKeyScope)


def key_public(key: ApiKey, created_by_email: str | None) -> ApiKeyPublic:
    return ApiKeyPublic(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        role=Role(key.role),
        scopes=[ApiKeyScope(s) for s in key.scopes or () if s in _KNOWN_SCOPES],
        created_at=key.created_at,
        created_by_id=key.created_by_id,
        created_by_email=created_by_email,
        last_used_at=key.last_used_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        status=key_status(key),
    )


async def api_keys(session: AsyncSession) -> list[ApiKeyPublic]:
    """Every key, newest first, with who created it."""
    return [key_public(key, email) for key, email in await repository.list_api_keys(session)]


async def revoke_api_key(session: AsyncSession, key_id: uuid.UUID, actor: str) -> ApiKey:
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("No such API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        record(session, actor, "api_key.revoke", "api_key", key.id)
    return key
