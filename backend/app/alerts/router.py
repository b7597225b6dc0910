"""Alerts: list with filters, acknowledge, snooze, resolve."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import text

from app.alerts import repository as repo
from app.alerts.schemas import AlertPublic, AlertsPage, ResolveRequest, SnoozeRequest
from app.audit.service import record
from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.enums import Severity
from app.core.errors import BadPayload, Conflict, NotFound, Problem
from app.core.models import utcnow

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="alerts:list", response_model=AlertsPage)
async def list_alerts(
    principal: Reader,
    session: SessionDep,
    status: Annotated[
        Literal["active", "open", "acknowledged", "snoozed", "resolved", "all"],
        Query(description="active = anything not resolved"),
    ] = "active",
    rule: Annotated[str | None, Query(max_length=50)] = None,
    severity: Severity | None = None,
    account_id: uuid.UUID | None = None,
    owner_id: uuid.UUID | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> AlertsPage:
    """Newest first within severity (high first)."""
    params = {
        "status": status,
        "rule": rule,
        "severity": severity.value if severity else None,
        "account_id": account_id,
        "owner_id": owner_id,
        "limit": page_size,
        "offset": (page - 1) * page_size,
    }
    total = await session.scalar(repo.COUNT, params)
    rows = await session.execute(repo.LIST, params)
    items = [AlertPublic.model_validate(dict(r)) for r in rows.mappings()]
    return AlertsPage(items=items, total=int(total or 0), page=page, page_size=page_size)


async def _one(session: Any, alert_id: uuid.UUID) -> AlertPublic:
    row = (await session.execute(repo.ONE, {"id": alert_id})).mappings().first()
    if row is None:
        raise NotFound(f"No alert {alert_id}")
    return AlertPublic.model_validate(dict(row))


async def _transition(session: Any, alert_id: uuid.UUID, sql: str, params: dict[str, Any]) -> AlertPublic:
    current = await _one(session, alert_id)
    if current.status == "resolved":
        raise Conflict("The alert is resolved; a new one opens if its condition returns")
    await session.execute(text(sql), {"id": alert_id, **params})
    return await _one(session, alert_id)


@router.post("/{alert_id}/ack", operation_id="alerts:ack", response_model=AlertPublic, responses=NOT_FOUND)
async def acknowledge(alert_id: uuid.UUID, principal: Worker, session: SessionDep) -> AlertPublic:
    out = await _transition(
        session,
        alert_id,
        "UPDATE alert SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by_id = :user, "
        "snoozed_until = NULL WHERE id = :id",
        {"user": principal.user_id},
    )
    record(session, principal.actor, "alert.acknowledge", "alert", alert_id)
    return out


@router.post("/{alert_id}/snooze", operation_id="alerts:snooze", response_model=AlertPublic, responses=NOT_FOUND)
async def snooze(alert_id: uuid.UUID, payload: SnoozeRequest, principal: Worker, session: SessionDep) -> AlertPublic:
    now = utcnow()
    if payload.until <= now or payload.until > now + timedelta(days=366):
        raise BadPayload("until must be in the future and at most a year ahead")
    out = await _transition(
        session,
        alert_id,
        "UPDATE alert SET status = 'snoozed', snoozed_until = :until WHERE id = :id",
        {"until": payload.until},
    )
    record(session, principal.actor, "alert.snooze", "alert", alert_id, {"until": payload.until.isoformat()})
    return out


@router.post("/{alert_id}/resolve", operation_id="alerts:resolve", response_model=AlertPublic, responses=NOT_FOUND)
async def resolve(alert_id: uuid.UUID, payload: ResolveRequest, principal: Worker, session: SessionDep) -> AlertPublic:
    out = await _transition(
        session,
        alert_id,
        "UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_reason = :reason WHERE id = :id",
        {"reason": payload.reason or "resolved by hand"},
    )
    record(session, principal.actor, "alert.resolve", "alert", alert_id, {"reason": payload.reason})
    return out
