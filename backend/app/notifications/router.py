"""Notification channels (webhook, Slack-compatible webhook, email) and deliveries,
including the dead letters, which can be retried; the weekly digest's preview and tests."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Admin, Lead, Reader
from app.core.db import SessionDep
from app.core.enums import DeliveryStatus, Role
from app.core.errors import Problem
from app.flows import weekly_digest
from app.notifications import service
from app.notifications.schemas import ChannelCreate, ChannelPublic, DeliveryPublic, DigestChannel
from app.reports.schemas import Digest, DigestTestRequest, SlackMessage

channels_router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
digest_router = APIRouter(prefix="/api/v1/digest", tags=["notifications"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}


@channels_router.get("/channels", operation_id="listChannels", response_model=list[ChannelPublic])
async def channels(principal: Admin, session: SessionDep) -> list[ChannelPublic]:
    return await service.list_channels(session)


@channels_router.post("/channels", operation_id="createChannel", response_model=ChannelPublic, status_code=201)
async def create_channel(payload: ChannelCreate, principal: Admin, session: SessionDep) -> ChannelPublic:
    return await service.create_channel(session, payload, principal.actor)


@channels_router.delete("/channels/{channel_id}", operation_id="deleteChannel", status_code=204, responses=NOT_FOUND)
async def delete_channel(channel_id: uuid.UUID, principal: Admin, session: SessionDep) -> None:
    await service.delete_channel(session, channel_id, principal.actor)


@channels_router.get("/deliveries", operation_id="listDeliveries", response_model=list[DeliveryPublic])
async def deliveries(
    principal: Admin,
    session: SessionDep,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryPublic]:
    """Newest first; `status=dead` lists the dead letters."""
    return await service.list_deliveries(session, status, limit)


@channels_router.post(
    "/deliveries/{delivery_id}/retry",
    operation_id="retryDelivery",
    response_model=DeliveryPublic,
    responses=NOT_FOUND,
)
async def retry(delivery_id: uuid.UUID, principal: Admin, session: SessionDep) -> DeliveryPublic:
    """Send a dead (or failed) delivery again, with a fresh set of attempts."""
    return await service.retry(session, delivery_id, principal.actor)


@channels_router.post("/test", operation_id="testChannel", response_model=list[DeliveryPublic])
async def test(
    principal: Admin, session: SessionDep, event: Literal["test.ping"] = "test.ping"
) -> list[DeliveryPublic]:
    """Send a ping to every channel (to check URLs, secrets and SMTP)."""
    return await service.send_test(session, event)


@digest_router.get(
    "/preview",
    operation_id="previewDigest",
    response_model=Digest | SlackMessage,
    responses={
        200: {
            "description": "html: the email as HTML, its charts as data: URIs (for a sandboxed frame); json: the "
            "digest's data (Digest); slack: the Slack message (SlackMessage)",
            "content": {"text/html": {"schema": {"type": "string"}}},
        }
    },
)
async def preview_digest(
    principal: Reader,
    session: SessionDep,
    scope: Annotated[ScopeName | None, Query(description=SCOPE_HELP)] = None,
    format: Literal["html", "json", "slack"] = "html",
) -> Any:
    """This week's digest as the scope's recipients would get it today: the leadership metrics
    with their week-over-week change, revenue at risk, quadrant movers, renewals at risk,
    the top of the queue and data warnings. The HTML's ``X-Scope`` header (the data's
    ``scope``) says whose accounts it holds."""
    digest, found = await weekly_digest.preview(session, principal, scope, format)
    if isinstance(found, str):
        return HTMLResponse(found, headers={"X-Scope": digest.scope})
    return found


@digest_router.post(
    "/test",
    operation_id="sendTestDigest",
    response_model=list[DeliveryPublic],
    status_code=202,
    responses={403: {"model": Problem}, 404: {"model": Problem}, 422: {"model": Problem}},
)
async def send_test_digest(payload: DigestTestRequest, principal: Reader, session: SessionDep) -> list[DeliveryPublic]:
    """Send this week's digest now, as a test: by email to yourself (your default scope), or to
    a notification channel (admins and leaders). It goes out like any delivery (after the
    request, retried on failure); the answer lists the deliveries to follow (a URL target by
    its host, except for admins). 422 when email is needed and no SMTP relay is set up
    (TEMPO_SMTP_HOST)."""
    sent = await weekly_digest.send_test(session, principal, payload.channel_id)
    return [service.delivery_public(d, full_target=principal.role == Role.admin) for d in sent]


@digest_router.get(
    "/deliveries/{delivery_id}",
    operation_id="getTestDigestDelivery",
    response_model=DeliveryPublic,
    responses=NOT_FOUND,
)
async def test_digest_delivery(delivery_id: uuid.UUID, principal: Reader, session: SessionDep) -> DeliveryPublic:
    """Where a test digest's delivery stands (pending, delivered, failed, dead), for whoever
    asked for it: your own emails; admins and leaders any test."""
    found = await weekly_digest.delivery_of_test(session, principal, delivery_id)
    return service.delivery_public(found, full_target=principal.role == Role.admin)


@digest_router.get("/channels", operation_id="listDigestChannels", response_model=list[DigestChannel])
async def digest_channels(principal: Lead, session: SessionDep) -> list[DigestChannel]:
    """The channels a test digest can go to (admins and leaders), by where they send and whether
    they take the weekly digest; a URL shows its host only."""
    return await service.digest_channels(session, weekly_digest.EVENT)


# What main.py mounts: the channels and deliveries, and the digest.
router = APIRouter()
router.include_router(channels_router)
router.include_router(digest_router)
