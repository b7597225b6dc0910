"""Write the audit trail (``record``, called by services for every write they make) and read it
back for the admin console."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import repository
from app.audit.models import AuditLog
from app.audit.repository import AuditFilter
from app.audit.schemas import AuditEntry, AuditFacets, AuditPage
from app.core.errors import FieldError, Unprocessable

# The filter lists are for people to choose from: more values than this is a log gone wrong.
FACETS_CAP = 500


def record(
    session: AsyncSession,
    actor: str,
    action: str,
    entity: str,
    entity_id: object | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    session.add(
        AuditLog(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=str(entity_id) if entity_id is not None else None,
            detail=detail,
            ip=ip,
        )
    )


def _invalid(field: str, msg: str) -> Unprocessable:
    return Unprocessable(f"{field}: {msg}", errors=[FieldError(loc=["query", field], msg=msg)])


def encode_cursor(at: datetime, entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The (at, id) a cursor stands for; 422 naming ``cursor`` for anything this did not hand out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, _, id_text = raw.partition("|")
        at, entry_id = datetime.fromisoformat(at_text), int(id_text)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise _invalid("cursor", "not a cursor this log handed out") from exc
    if at.tzinfo is None or entry_id < 1:
        raise _invalid("cursor", "not a cursor this log handed out")
    return at, entry_id


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


async def entries(
    session: AsyncSession,
    *,
    actor: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> AuditPage:
    """Entries newest first, ``limit`` at a time. ``actor``: an actor as stored (``user:<id>``,
    ``api_key:<id>``, ``system``, ``cli``) or a user's email (their ``user:<id>``; an email nobody
    has matches nothing); ``action``: a prefix (``ingest.``); ``since`` inclusive, ``until``
    exclusive (times without a zone are UTC)."""
    since, until = _utc(since), _utc(until)
    if since is not None and until is not None and until <= since:
        raise _invalid("until", "must be after since")
    if actor is not None and "@" in actor:
        user_id = await repository.user_id_by_email(session, actor.strip())
        if user_id is None:
            return AuditPage(items=[], next_cursor=None)
        actor = f"user:{user_id}"
    after = decode_cursor(cursor) if cursor else None
    given = AuditFilter(actor=actor, entity=entity, entity_id=entity_id, action_prefix=action, since=since, until=until)
    rows = await repository.page(session, given, after, limit + 1)
    items = [AuditEntry.model_validate(dict(r)) for r in rows[:limit]]
    more = len(rows) > limit
    return AuditPage(items=items, next_cursor=encode_cursor(items[-1].at, items[-1].id) if more else None)


async def facets(session: AsyncSession) -> AuditFacets:
    """The distinct entities and actions in the log, sorted."""
    return AuditFacets(
        entities=await repository.distinct(session, "entity", FACETS_CAP),
        actions=await repository.distinct(session, "action", FACETS_CAP),
    )
