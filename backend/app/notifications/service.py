"""Notification rules: channels (a webhook's signing secret, audited changes) and deliveries,
every event to every subscribed channel, one row per attempt series, sent by a job after
commit; failures retry with exponential backoff and end dead-lettered (visible, retryable)."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core import jobs, outbound
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.enums import DeliveryChannel, DeliveryStatus
from app.core.errors import FieldError, NotFound, Unprocessable
from app.core.jobs import Job
from app.core.models import utcnow
from app.notifications import repository, sender
from app.notifications.models import Delivery, NotificationChannel
from app.notifications.schemas import ChannelCreate, ChannelPublic, DeliveryPublic, DigestChannel


async def list_channels(session: AsyncSession) -> list[ChannelPublic]:
    """Oldest first, without their secrets (a secret is shown once, at creation)."""
    return [
        ChannelPublic.model_validate(c).model_copy(update={"secret": None}) for c in await repository.channels(session)
    ]


async def create_channel(session: AsyncSession, payload: ChannelCreate, actor: str) -> ChannelPublic:
    """A webhook always signs: without a secret of its own it gets a generated one, returned this once.

    A URL must also pass the outbound policy with DNS (app.core.outbound): every address its
    host resolves to public, or allow-listed; else a 422 on ``target`` saying why.
    """
    if payload.kind in (DeliveryChannel.webhook, DeliveryChannel.slack):
        try:
            await outbound.check(payload.target)
        except outbound.OutboundRefused as exc:
            reason = str(exc)
            raise Unprocessable(
                f"body.target: {reason}",
                errors=[FieldError(loc=["body", "target"], msg=reason, type="outbound_refused")],
            ) from None
    secret = payload.secret
    if payload.kind == DeliveryChannel.webhook and secret is None:
        secret = "whsec_" + secrets.token_urlsafe(32)
    channel = NotificationChannel(
        name=payload.name, kind=payload.kind.value, target=payload.target, secret=secret, events=payload.events
    )
    await repository.add_channel(session, channel)
    record(session, actor, "channel.create", "notification_channel", channel.id, {"kind": channel.kind})
    return ChannelPublic.model_validate(channel)


async def delete_channel(session: AsyncSession, channel_id: uuid.UUID, actor: str) -> None:
    """Its deliveries stay (their ``channel_id`` is set null), so the history is kept."""
    channel = await repository.get_channel(session, channel_id)
    if channel is None:
        raise NotFound(f"No channel {channel_id}")
    await repository.delete_channel(session, channel)
    record(session, actor, "channel.delete", "notification_channel", channel_id)


def destination(kind: str, target: str) -> str:
    """Where a channel sends, shown to non-admins: an email address as is, a URL by its host."""
    if kind == DeliveryChannel.email:
        return target
    return urlsplit(target).hostname or "(a URL)"


async def digest_channels(session: AsyncSession, event_type: str) -> list[DigestChannel]:
    """Every channel, oldest first, by where it sends and whether it takes ``event_type``."""
    return [
        DigestChannel(
            id=c.id,
            name=c.name,
            kind=DeliveryChannel(c.kind),
            destination=destination(c.kind, c.target),
            takes_digest=not c.events or event_type in c.events,
            is_active=c.is_active,
        )
        for c in await repository.channels(session)
    ]


def delivery_public(delivery: Delivery, *, full_target: bool) -> DeliveryPublic:
    """A delivery as its API shape; without ``full_target`` a URL target shows its host only."""
    shown = DeliveryPublic.model_validate(delivery)
    if full_target:
        return shown
    return shown.model_copy(update={"target": destination(delivery.channel, delivery.target)})


async def list_deliveries(session: AsyncSession, status: DeliveryStatus | None, limit: int) -> list[DeliveryPublic]:
    return [DeliveryPublic.model_validate(d) for d in await repository.deliveries(session, status, limit)]


async def retry(session: AsyncSession, delivery_id: uuid.UUID, actor: str) -> DeliveryPublic:
    """Send a delivery again now, with a fresh set of attempts (the way out of the dead letters)."""
    delivery = await repository.get_delivery(session, delivery_id)
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id}")
    delivery.status = DeliveryStatus.pending.value
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    # A fresh job id: arq drops a job whose id it still holds, and the earlier attempts' may be held.
    jobs.enqueue(session, Job.deliver, str(delivery.id), job_id=f"deliver:{delivery.id}:retry:{utcnow():%H%M%S}")
    record(session, actor, "delivery.retry", "delivery", delivery_id)
    return DeliveryPublic.model_validate(delivery)


async def send_test(session: AsyncSession, event_type: str) -> list[DeliveryPublic]:
    """A ping to every channel subscribed to ``event_type``, to check URLs, secrets and SMTP."""
    sent = await emit(
        session, event_type, {"text": "Tempo test notification", "subject": "Tempo test notification", "text_body": ""}
    )
    return [DeliveryPublic.model_validate(d) for d in sent]


async def emit(session: AsyncSession, event_type: str, payload: dict[str, Any]) -> list[Delivery]:
    """Queue ``event_type`` to every active channel subscribed to it (empty list = everything)."""
    return [await emit_to(session, channel, event_type, payload) for channel in await subscribed(session, event_type)]


async def subscribed(session: AsyncSession, event_type: str) -> list[NotificationChannel]:
    """The active channels that take ``event_type``: for a sender that writes each its own payload."""
    return await repository.subscribed(session, event_type)


async def get_channel(session: AsyncSession, channel_id: uuid.UUID) -> NotificationChannel:
    channel = await repository.get_channel(session, channel_id)
    if channel is None:
        raise NotFound(f"No channel {channel_id}")
    return channel


async def get_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery | None:
    return await repository.get_delivery(session, delivery_id)


async def emit_to(
    session: AsyncSession, channel: NotificationChannel, event_type: str, payload: dict[str, Any]
) -> Delivery:
    """Queue one delivery of ``payload`` to ``channel`` (whatever it subscribes to)."""
    return await _queue(session, channel.id, DeliveryChannel(channel.kind), channel.target, event_type, payload)


async def email_to(session: AsyncSession, address: str, event_type: str, payload: dict[str, Any]) -> Delivery:
    """Queue an email to one address that is no channel's (a person asking for a test)."""
    return await _queue(session, None, DeliveryChannel.email, address, event_type, payload)


def email_configured() -> bool:
    """Whether an SMTP relay is set (TEMPO_SMTP_HOST): without one every email delivery fails."""
    return bool(get_settings().smtp_host)


async def _queue(
    session: AsyncSession,
    channel_id: uuid.UUID | None,
    kind: DeliveryChannel,
    target: str,
    event_type: str,
    payload: dict[str, Any],
) -> Delivery:
    """A delivery row, sent by a job after commit and retried like any other. The payload is
    stored as it will be sent (a retry sends the same thing)."""
    delivery = Delivery(
        channel_id=channel_id,
        channel=kind.value,
        target=target,
        event_type=event_type,
        payload=payload,
        next_attempt_at=utcnow(),
    )
    await repository.add_delivery(session, delivery)
    jobs.enqueue(session, Job.deliver, str(delivery.id), job_id=f"deliver:{delivery.id}:0")
    return delivery


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, ... after the 1st, 2nd, 3rd failed attempt."""
    return timedelta(seconds=get_settings().delivery_backoff_seconds * 2 ** (attempts - 1))


async def deliver(delivery_id: uuid.UUID) -> str | None:
    """Attempt one delivery if it is due; returns its new status (None if nothing to do)."""
    # Its own transaction: the row stays locked while sending, and the outcome commits with it.
    async with unit_of_work() as session:
        delivery = await repository.lock_sendable(session, delivery_id)
        if delivery is None:
            return None
        secret = None
        if delivery.channel_id:
            channel = await repository.get_channel(session, delivery.channel_id)
            secret = channel.secret if channel else None
        if delivery.channel == DeliveryChannel.webhook:
            outcome = await sender.webhook(
                delivery.target, secret, str(delivery.id), delivery.event_type, delivery.payload
            )
        elif delivery.channel == DeliveryChannel.slack:
            outcome = await sender.slack(delivery.target, delivery.event_type, delivery.payload)
        else:
            outcome = await sender.email(delivery.target, delivery.event_type, delivery.payload)
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        if outcome.ok:
            delivery.status = DeliveryStatus.delivered.value
            delivery.delivered_at = utcnow()
            delivery.last_error = None
            delivery.next_attempt_at = None
        elif delivery.attempts >= get_settings().delivery_max_attempts:
            delivery.status = DeliveryStatus.dead.value
            delivery.last_error = outcome.error
            delivery.next_attempt_at = None
        else:
            delay = backoff(delivery.attempts)
            delivery.status = DeliveryStatus.failed.value
            delivery.last_error = outcome.error
            delivery.next_attempt_at = utcnow() + delay
            jobs.enqueue(
                session,
                Job.deliver,
                str(delivery.id),
                job_id=f"deliver:{delivery.id}:{delivery.attempts}",
                defer_seconds=delay.total_seconds(),
            )
        return delivery.status


async def due(session: AsyncSession) -> list[uuid.UUID]:
    """Deliveries whose next attempt is due (a job lost with Redis is picked up here)."""
    return await repository.due_ids(session)


def alert_payload(alert: dict[str, Any], account_name: str | None) -> dict[str, Any]:
    where = f" — {account_name}" if account_name else ""
    text_line = f"[{alert.get('severity', 'alert')}] {alert['title']}{where}"
    return {
        "alert": {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in alert.items() if k != "inserted"},
        "account_name": account_name,
        "text": text_line,
        "subject": f"Tempo alert: {alert['title']}{where}",
    }
