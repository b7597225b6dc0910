"""Write the audit trail. Called by services for every write they make."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditLog


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
