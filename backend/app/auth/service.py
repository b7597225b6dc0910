"""Authentication and account administration rules. Never commits: the caller's unit of work does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.auth import repository
from app.auth.models import ApiKey, User, UserSession
from app.auth.security import (
    SESSION_PREFIX,
    api_key_prefix,
    hash_password,
    new_api_key,
    new_session_token,
    sha256,
    verify_password,
)
from app.core.config import get_settings
from app.core.enums import Role
from app.core.errors import Conflict, NotFound, Unauthorized
from app.core.models import utcnow

# last_used_at is written at most this often per key, so reads stay read-only.
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a signed-in user or an API key, with the role that bounds it."""

    kind: str  # "user" | "api_key"
    id: uuid.UUID
    role: Role
    email: str | None = None
    session_id: uuid.UUID | None = None

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
    actor: str = "system",
) -> User:
    if await repository.user_by_email(session, email):
        raise Conflict(f"A user with email {email} already exists")
    user = User(
        email=email.strip(),
        name=name,
        role=role.value,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    await session.flush()
    record(session, actor, "user.create", "user", user.id, {"email": user.email, "role": user.role})
    return user


async def login(
    session: AsyncSession, email: str, password: str, ip: str | None = None, user_agent: str | None = None
) -> tuple[str, UserSession, User]:
    user = await repository.user_by_email(session, email)
    if not verify_password(password, user.password_hash if user else None) or user is None or not user.is_active:
        raise Unauthorized("Incorrect email or password")
    now = utcnow()
    token = new_session_token()
    user_session = UserSession(
        token_hash=sha256(token),
        user_id=user.id,
        expires_at=now + timedelta(hours=get_settings().session_ttl_hours),
        last_seen_at=now,
        ip=ip,
        user_agent=(user_agent or "")[:300] or None,
    )
    user.last_login_at = now
    session.add_all([user_session, user])
    record(session, f"user:{user.id}", "session.create", "user_session", None, ip=ip)
    return token, user_session, user


async def logout(session: AsyncSession, principal: Principal) -> None:
    if principal.session_id is not None:
        await repository.revoke_session(session, principal.session_id, utcnow())
        record(session, principal.actor, "session.revoke", "user_session", principal.session_id)


async def authenticate(session: AsyncSession, token: str) -> Principal | None:
    now = utcnow()
    if token.startswith(SESSION_PREFIX):
        found = await repository.active_session(session, sha256(token), now)
        if found is None:
            return None
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
    return Principal("api_key", key.id, Role(key.role))


async def create_api_key(
    session: AsyncSession, *, name: str, role: Role, created_by: uuid.UUID | None = None, actor: str = "system"
) -> tuple[ApiKey, str]:
    key, prefix = new_api_key()
    api_key = ApiKey(name=name, prefix=prefix, key_hash=sha256(key), role=role.value, created_by_id=created_by)
    session.add(api_key)
    await session.flush()
    record(session, actor, "api_key.create", "api_key", api_key.id, {"name": name, "role": role.value})
    return api_key, key


async def revoke_api_key(session: AsyncSession, key_id: uuid.UUID, actor: str) -> ApiKey:
    key = await session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("No such API key")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        record(session, actor, "api_key.revoke", "api_key", key.id)
    return key
