"""Alerts: list with filters, acknowledge, snooze, resolve (an account's alerts by the people
who may change the account: ``app.accounts.access``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from app.alerts import precision, service
from app.alerts.schemas import AlertPrecision, AlertPublic, AlertsPage, ResolveRequest, SnoozeRequest
from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.enums import Severity
from app.core.errors import Problem

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}, 409: {"model": Problem}}


@router.get("", operation_id="listAlerts", response_model=AlertsPage)
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
    return await service.list_alerts(
        session,
        principal,
        status=status,
        rule=rule,
        severity=severity,
        account_id=account_id,
        owner_id=owner_id,
        page=page,
        page_size=page_size,
    )


# Before the /{alert_id} routes, so "precision" is never read as an alert id.
@router.get("/precision", operation_id="getAlertPrecision", response_model=AlertPrecision)
async def alert_precision(principal: Reader, session: SessionDep) -> AlertPrecision:
    """Per account rule, the share of its firings followed within 90 days by what it warns
    about (risk: a churn, a contraction or a health drop; opportunity: an expansion),
    back-tested on a year of health history ending 90 days ago. A firing counts at its onset.
    Computed once a day per config version (``computed_at``)."""
    return await precision.report(session)


@router.post("/{alert_id}/ack", operation_id="acknowledgeAlert", response_model=AlertPublic, responses=NOT_FOUND)
async def acknowledge(alert_id: uuid.UUID, principal: Worker, session: SessionDep) -> AlertPublic:
    return await service.acknowledge(session, principal, alert_id)


@router.post("/{alert_id}/snooze", operation_id="snoozeAlert", response_model=AlertPublic, responses=NOT_FOUND)
async def snooze(
    alert_id: uuid.UUID, principal: Worker, session: SessionDep, payload: SnoozeRequest | None = None
) -> AlertPublic:
    """Snooze until a time; without one (no body, or no ``until``) for the rule's snooze days."""
    return await service.snooze(session, principal, alert_id, payload.until if payload else None)


@router.post("/{alert_id}/resolve", operation_id="resolveAlert", response_model=AlertPublic, responses=NOT_FOUND)
async def resolve(alert_id: uuid.UUID, payload: ResolveRequest, principal: Worker, session: SessionDep) -> AlertPublic:
    return await service.resolve(session, principal, alert_id, payload.reason)
