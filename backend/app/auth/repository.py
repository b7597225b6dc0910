"""SQL for users, sessions and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.auth.models import ApiKey, User, UserSession


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(func.lower(col(User.email)) == email.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def active_session(session: AsyncSession, token_hash: str, now: datetime) -> tuple[UserSession, User] | None:
    stmt = (
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)  # type: ignore[arg-type]
        .where(
            col(UserSession.token_hash) == token_hash,
            UserSession.revoked_at.is_(None),  # type: ignore[union-attr]
            col(UserSession.expires_at) > now,
            User.is_active.is_(True),  # type: ignore[attr-defined]
        )
    )
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> ApiKey | None:
    stmt = select(ApiKey).where(col(ApiKey.prefix) == prefix)
    return (await session.execute(stmt)).scalar_one_or_none()


async def touch_api_key(session: AsyncSession, key_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))  # type: ignore[arg-type]


async def revoke_session(session: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(UserSession).where(UserSession.id == session_id).values(revoked_at=now)  # type: ignore[arg-type]
    )


async def list_api_keys(session: AsyncSession) -> list[ApiKey]:
    result = await session.execute(select(ApiKey).order_by(ApiKey.created_at.desc()))  # type: ignore[attr-defined]
    return list(result.scalars())
