"""SQL of embedding. ``standing`` is the one query a tile request makes before it reads the tile:
the signing key, the configuration and the token, by primary key each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from app.embed.models import EmbedConfiguration, EmbedSigningKey, EmbedToken


async def existing_accounts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    rows = await session.execute(text("SELECT id FROM account WHERE id = ANY(:ids)"), {"ids": list(ids)})
    return set(rows.scalars())


async def current_key(session: AsyncSession) -> str | None:
    row = await session.execute(
        select(col(EmbedSigningKey.kid))
        .where(col(EmbedSigningKey.retires_at).is_(None))
        .order_by(col(EmbedSigningKey.created_at).desc())
        .limit(1)
    )
    return row.scalar_one_or_none()


async def add_key(session: AsyncSession, kid: str) -> None:
    """Adds a key; two first requests racing each add one, and both keys verify."""
    await session.execute(
        text("INSERT INTO embed_signing_key (kid) VALUES (:kid) ON CONFLICT DO NOTHING"), {"kid": kid}
    )


async def retire_keys(session: AsyncSession, at: datetime) -> None:
    await session.execute(
        update(EmbedSigningKey).where(col(EmbedSigningKey.retires_at).is_(None)).values(retires_at=at)
    )


async def keys(session: AsyncSession) -> list[EmbedSigningKey]:
    rows = await session.execute(select(EmbedSigningKey).order_by(col(EmbedSigningKey.created_at).desc()))
    return list(rows.scalars())


async def configuration(session: AsyncSession, configuration_id: uuid.UUID) -> EmbedConfiguration | None:
    return await session.get(EmbedConfiguration, configuration_id)


async def configuration_for(session: AsyncSession, actor: str, origins: Sequence[str]) -> EmbedConfiguration | None:
    """The caller's active configuration for exactly these origins (the newest, if several)."""
    rows = await session.execute(
        select(EmbedConfiguration)
        .where(
            col(EmbedConfiguration.created_by) == actor,
            col(EmbedConfiguration.origins) == list(origins),
            col(EmbedConfiguration.status) == "active",
        )
        .order_by(col(EmbedConfiguration.created_at).desc())
        .limit(1)
    )
    return rows.scalar_one_or_none()


def _live(now: datetime) -> Any:
    """Tokens neither expired nor revoked."""
    return (col(EmbedToken.expires_at) > now, col(EmbedToken.revoked_at).is_(None))


async def live_tokens(session: AsyncSession, configuration_id: uuid.UUID, now: datetime) -> int:
    count = await session.scalar(
        select(func.count()).where(col(EmbedToken.configuration_id) == configuration_id, *_live(now))
    )
    return int(count or 0)


async def configurations(session: AsyncSession, now: datetime) -> list[tuple[EmbedConfiguration, int]]:
    live = (
        select(col(EmbedToken.configuration_id), func.count().label("live"))
        .where(*_live(now))
        .group_by(col(EmbedToken.configuration_id))
        .subquery()
    )
    rows = await session.execute(
        select(EmbedConfiguration, live.c.live)
        .outerjoin(live, live.c.configuration_id == EmbedConfiguration.id)
        .order_by(col(EmbedConfiguration.created_at).desc())
    )
    return [(c, int(n or 0)) for c, n in rows.all()]


async def add_token(session: AsyncSession, token: EmbedToken, now: datetime) -> None:
    session.add(token)
    await session.execute(
        update(EmbedConfiguration)
        .where(col(EmbedConfiguration.id) == token.configuration_id)
        .values(tokens_issued=col(EmbedConfiguration.tokens_issued) + 1, last_issued_at=now)
    )


async def prune_tokens(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(text("DELETE FROM embed_token WHERE expires_at < :before"), {"before": before})
    return int(getattr(result, "rowcount", 0) or 0)


async def token(session: AsyncSession, jti: uuid.UUID) -> EmbedToken | None:
    return await session.get(EmbedToken, jti)


STANDING = text(
    """
    SELECT (SELECT k.retires_at IS NULL OR k.retires_at > :now FROM embed_signing_key k WHERE k.kid = :kid) AS key_ok,
           c.status, c.origins, t.revoked_at IS NOT NULL AS revoked, t.jti IS NOT NULL AS issued
      FROM (SELECT 1) one
      LEFT JOIN embed_configuration c ON c.id = :cfg
      LEFT JOIN embed_token t ON t.jti = :jti
    """
)


async def standing(session: AsyncSession, kid: str, cfg: uuid.UUID, jti: uuid.UUID, now: datetime) -> dict[str, Any]:
    row = (await session.execute(STANDING, {"kid": kid, "cfg": cfg, "jti": jti, "now": now})).mappings().one()
    return dict(row)
