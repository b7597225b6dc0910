"""Deliveries: every event to every subscribed channel, one row per attempt series, sent by a
job after commit; failures retry with exponential backoff and end dead-lettered (visible)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import jobs
from app.core.config import get_settings
from app.core.db import unit_of_work
from app.core.enums import DeliveryChannel, DeliveryStatus
from app.core.jobs import Job
from app.core.models import utcnow
from app.notifications import sender
from app.notifications.models import Delivery, NotificationChannel


async def emit(session: AsyncSession, event_type: str, payload: dict[str, Any]) -> list[Delivery]:
    """Queue ``event_type`` to every active channel subscribed to it (empty list = everything)."""
    channels = (
        await session.execute(
            select(NotificationChannel).where(
                col(NotificationChannel.is_active),
                text("(cardinality(events) = 0 OR :e = ANY(events))").bindparams(e=event_type),
            )
        )
    ).scalars()
    out = []
    for channel in channels:
        delivery = Delivery(
            channel_id=channel.id,
            channel=channel.kind,
            target=channel.target,
            event_type=event_type,
            payload=payload,
            next_attempt_at=utcnow(),
        )
        session.add(delivery)
        await session.flush()
        jobs.enqueue(session, Job.deliver, str(delivery.id), job_id=f"deliver:{delivery.id}:0")
        out.append(delivery)
    return out


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s, ... after the 1st, 2nd, 3rd failed attempt."""
    return timedelta(seconds=get_settings().delivery_backoff_seconds * 2 ** (attempts - 1))


async def deliver(delivery_id: uuid.UUID) -> str | None:
    """Attempt one delivery if it is due; returns its new status (None if nothing to do)."""
    async with unit_of_work() as session:
        delivery = (
            await session.execute(
                select(Delivery)
                .where(
                    col(Delivery.id) == delivery_id,
                    col(Delivery.status).in_([DeliveryStatus.pending.value, DeliveryStatus.failed.value]),
                )
                .with_for_update(skip_locked=True)
            )
        ).scalar_one_or_none()
        if delivery is None:
            return None
        secret = None
        if delivery.channel_id:
            channel = await session.get(NotificationChannel, delivery.channel_id)
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
    rows = await session.execute(
        select(col(Delivery.id)).where(
            col(Delivery.status).in_([DeliveryStatus.pending.value, DeliveryStatus.failed.value]),
            col(Delivery.next_attempt_at) <= utcnow(),
        )
    )
    return list(rows.scalars())


def alert_payload(alert: dict[str, Any], account_name: str | None) -> dict[str, Any]:
    where = f" — {account_name}" if account_name else ""
    text_line = f"[{alert.get('severity', 'alert')}] {alert['title']}{where}"
    return {
        "alert": {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in alert.items() if k != "inserted"},
        "account_name": account_name,
        "text": text_line,
        "subject": f"Tempo alert: {alert['title']}{where}",
    }
