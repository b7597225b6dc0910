"""SQL for reading the audit log (writing it is ``service.record``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action_prefix: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


# One page, newest first, keyset on (at, id) (``ix_audit_log_at_id``, or ``ix_audit_log_actor_at_id``
# for one actor); then who each actor is, for that page only.
_PAGE = """
WITH page AS (
    SELECT a.id, a.at, a.actor, a.action, a.entity, a.entity_id, a.detail, a.ip
    FROM audit_log a
    WHERE {where}
    ORDER BY a.at DESC, a.id DESC
    LIMIT :limit
)
SELECT p.*,
       coalesce(u.email, k.name, p.actor) AS actor_label
FROM page p
LEFT JOIN "user" u ON p.actor LIKE 'user:%' AND u.id::text = substr(p.actor, 6)
LEFT JOIN api_key k ON p.actor LIKE 'api\\_key:%' AND k.id::text = substr(p.actor, 9)
ORDER BY p.at DESC, p.id DESC
"""


# Each filter of ``AuditFilter`` that is a plain comparison, bound under its own name.
_CONDITIONS = (
    ("actor", "a.actor = :actor"),
    ("entity", "a.entity = :entity"),
    ("entity_id", "a.entity_id = :entity_id"),
    ("since", "a.at >= :since"),
    ("until", "a.at < :until"),
)


async def page(
    session: AsyncSession, given: AuditFilter, after: tuple[datetime, int] | None, limit: int
) -> list[RowMapping]:
    """Up to ``limit`` entries matching ``given``, older than ``after`` (at, id), newest first."""
    where = ["true"]
    params: dict[str, Any] = {"limit": limit}
    for field, condition in _CONDITIONS:
        value = getattr(given, field)
        if value is not None:
            where.append(condition)
            params[field] = value
    if given.action_prefix:
        where.append("a.action LIKE :action_prefix ESCAPE '\\'")
        params["action_prefix"] = _like_prefix(given.action_prefix)
    if after is not None:
        where.append("(a.at, a.id) < (:after_at, :after_id)")
        params["after_at"], params["after_id"] = after
    stmt = text(_PAGE.format(where=" AND ".join(where)))
    return list((await session.execute(stmt, params)).mappings())


async def user_id_by_email(session: AsyncSession, email: str) -> str | None:
    row = (
        await session.execute(text('SELECT id::text FROM "user" WHERE lower(email) = lower(:email)'), {"email": email})
    ).first()
    return str(row[0]) if row else None


# Distinct values by skipping through an index (one probe per value), so the cost follows the
# number of values, not the length of the log.
_DISTINCT = """
WITH RECURSIVE v AS (
    (SELECT {column} AS value FROM audit_log ORDER BY {column} LIMIT 1)
    UNION ALL
    SELECT (SELECT {column} FROM audit_log WHERE {column} > v.value ORDER BY {column} LIMIT 1)
    FROM v WHERE v.value IS NOT NULL
)
SELECT value FROM v WHERE value IS NOT NULL LIMIT :cap
"""


async def distinct(session: AsyncSession, column: str, cap: int) -> list[str]:
    """The distinct ``entity`` or ``action`` values of the log, sorted, at most ``cap``."""
    if column not in {"entity", "action"}:
        raise ValueError(column)
    rows = await session.execute(text(_DISTINCT.format(column=column)), {"cap": cap})
    return [str(r[0]) for r in rows]
