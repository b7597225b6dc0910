"""Notification channels (webhook, Slack-compatible webhook, email) and deliveries,
including the dead letters, which can be retried."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from app.auth.dependencies import Admin
from app.core.db import SessionDep
from app.core.enums import DeliveryStatus
from app.core.errors import Problem
from app.notifications import service
from app.notifications.schemas import ChannelCreate, ChannelPublic, DeliveryPublic

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


@router.get("/channels", operation_id="listChannels", response_model=list[ChannelPublic])
async def channels(principal: Admin, session: SessionDep) -> list[ChannelPublic]:
    return await service.list_channels(session)


@router.post("/channels", operation_id="createChannel", response_model=ChannelPublic, status_code=201)
async def create_channel(payload: ChannelCreate, principal: Admin, session: SessionDep) -> ChannelPublic:
    return await service.create_channel(session, payload, principal.actor)


@router.delete("/channels/{channel_id}", operation_id="deleteChannel", status_code=204, responses=NOT_FOUND)
async def delete_channel(channel_id: uuid.UUID, principal: Admin, session: SessionDep) -> None:
    await service.delete_channel(session, channel_id, principal.actor)


@router.get("/deliveries", operation_id="listDeliveries", response_model=list[DeliveryPublic])
async def deliveries(
    principal: Admin,
    session: SessionDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryPublic]:
    """Newest first; `status=dead` lists the dead letters."""
    return await service.list_deliveries(session, status, limit)


@router.post(
    "/deliveries/{delivery_id}/retry",
    operation_id="retryDelivery",
    response_model=DeliveryPublic,
    responses=NOT_FOUND,
)
async def retry(delivery_id: uuid.UUID, principal: Admin, session: SessionDep) -> DeliveryPublic:
    """Send a dead (or failed) delivery again, with a fresh set of attempts."""
    return await service.retry(session, delivery_id, principal.actor)


@router.post("/test", operation_id="testChannel", response_model=list[DeliveryPublic])
async def test(
    principal: Admin, session: SessionDep, event: Literal["test.ping"] = "test.ping"
) -> list[DeliveryPublic]:
    """Send a ping to every channel (to check URLs, secrets and SMTP)."""
    return await service.send_test(session, event)
