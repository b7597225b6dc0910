"""SQL for users, sessions and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.auth.models import ApiKey, User, UserDevice, UserSession


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(func.lower(col(User.email)) == email.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


# Every authenticated request runs one of these two: plain columns, no ORM entities.
async def active_session(session: AsyncSession, token_hash: str, now: datetime, idle_since: datetime) -> Any | None:
    """(session id, user id, role, email, last seen) of a live session of an active user: not
    revoked, not expired, and used since ``idle_since``."""
    last_seen = func.coalesce(col(UserSession.last_seen_at), col(UserSession.created_at))
    stmt: Any = (
        select(
            col(UserSession.id).label("session_id"),
            col(User.id),
            col(User.role),
            col(User.email),
            last_seen.label("last_seen_at"),
        )
        .join(User, col(User.id) == col(UserSession.user_id))
        .where(
            col(UserSession.token_hash) == token_hash,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.expires_at) > now,
            last_seen > idle_since,
            col(User.is_active).is_(True),
        )
    )
    return (await session.execute(stmt)).first()


async def touch_session(session: AsyncSession, session_id: uuid.UUID, now: datetime, older_than: datetime) -> None:
    """Record use, at most once per interval, skipping a row another request is touching
    (as ``touch_api_key``)."""
    await session.execute(
        text(
            """
            UPDATE user_session SET last_seen_at = :now
            WHERE id = (SELECT id FROM user_session
                        WHERE id = :id AND (last_seen_at IS NULL OR last_seen_at < :older_than)
                        FOR UPDATE SKIP LOCKED)
            """
        ),
        {"now": now, "id": session_id, "older_than": older_than},
    )


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> Any | None:
    """(id, key hash, role, revoked/expiry/last-used times) of the key with this prefix."""
    stmt = select(
        col(ApiKey.id),
        col(ApiKey.key_hash),
        col(ApiKey.role),
        col(ApiKey.revoked_at),
        col(ApiKey.expires_at),
        col(ApiKey.last_used_at),
        col(ApiKey.scopes),
    ).where(col(ApiKey.prefix) == prefix)
    return (await session.execute(stmt)).first()


async def touch_api_key(session: AsyncSession, key_id: uuid.UUID, now: datetime, older_than: datetime) -> None:
    """Record use, at most once per interval. Concurrent requests with the same key skip a
    row another request is already touching instead of queueing on its lock (which would
    hold every one of them until the first commits)."""
    await session.execute(
        text(
            """
            UPDATE api_key SET last_used_at = :now
            WHERE id = (SELECT id FROM api_key WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :older_than)
                        FOR UPDATE SKIP LOCKED)
            """
        ),
        {"now": now, "id": key_id, "older_than": older_than},
    )


async def known_device(session: AsyncSession, user_id: uuid.UUID, token_hash: str) -> uuid.UUID | None:
    """The id of the user's device with this token hash, if it is one of theirs."""
    stmt = select(col(UserDevice.id)).where(
        col(UserDevice.user_id) == user_id, col(UserDevice.token_hash) == token_hash
    )
    found: uuid.UUID | None = (await session.execute(stmt)).scalar_one_or_none()
    return found


async def touch_device(session: AsyncSession, device_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(UserDevice).where(col(UserDevice.id) == device_id).values(last_used_at=now))


async def count_failed_login(session: AsyncSession, user_id: uuid.UUID) -> int:
    """Add a wrong password to the user's count, atomically (concurrent guesses all count);
    the new count. The row stays locked until the request commits."""
    stmt = (
        update(User)
        .where(col(User.id) == user_id)
        .values(failed_logins=col(User.failed_logins) + 1)
        .returning(col(User.failed_logins))
    )
    return int((await session.execute(stmt)).scalar_one())


async def block_login(session: AsyncSession, user_id: uuid.UUID, until: datetime) -> None:
    """Unknown devices wait until ``until`` (never shortening a longer wait already set)."""
    await session.execute(
        update(User)
        .where(col(User.id) == user_id)
        .values(login_blocked_until=func.greatest(func.coalesce(col(User.login_blocked_until), until), until))
    )


async def clear_failed_logins(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    """A successful sign-in: the count starts again and nobody waits."""
    await session.execute(
        update(User).where(col(User.id) == user_id).values(failed_logins=0, login_blocked_until=None, last_login_at=now)
    )


async def revoke_session(session: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(UserSession).where(UserSession.id == session_id).values(revoked_at=now)  # type: ignore[arg-type]
    )


async def revoke_user_sessions(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> int:
    """End every open session of the user; how many were open."""
    result = await session.execute(
        update(UserSession)
        .where(
            col(UserSession.user_id) == user_id,
            col(UserSession.revoked_at).is_(None),
            col(UserSession.expires_at) > now,
        )
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def list_users(session: AsyncSession) -> list[RowMapping]:
    """Every user with their lead's name and email, by role (admins first) then email."""
    stmt = text(
        """
        SELECT u.id, u.email, u.name, u.role, u.is_active, u.lead_id, l.name AS lead_name, l.email AS lead_email,
               u.last_login_at, u.created_at
        FROM "user" u LEFT JOIN "user" l ON l.id = u.lead_id
        ORDER BY array_position(ARRAY['admin', 'leader', 'csm', 'product', 'viewer'], u.role), lower(u.email)
        """
    )
    return list((await session.execute(stmt)).mappings())


async def list_api_keys(session: AsyncSession) -> list[tuple[ApiKey, str | None]]:
    """Every key, newest first, with the email of who created it."""
    stmt = (
        select(ApiKey, col(User.email))
        .outerjoin(User, col(User.id) == col(ApiKey.created_by_id))
        .order_by(col(ApiKey.created_at).desc(), col(ApiKey.id))
    )
    return [(key, email) for key, email in (await session.execute(stmt)).all()]


async def creator_email(session: AsyncSession, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    found: str | None = (await session.execute(select(col(User.email)).where(col(User.id) == user_id))).scalar()
    return found
