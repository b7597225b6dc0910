"""SQL of the ``notification_channel`` and ``delivery`` tables."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.enums import DeliveryStatus
from app.core.models import utcnow
from app.notifications.models import Delivery, NotificationChannel

# Statuses a delivery can still be sent from (dead letters wait for a manual retry).
SENDABLE = (DeliveryStatus.pending.value, DeliveryStatus.failed.value)


async def channels(session: AsyncSession) -> list[NotificationChannel]:
    """Every channel, oldest first."""
    rows = await session.execute(select(NotificationChannel).order_by(col(NotificationChannel.created_at)))
    return list(rows.scalars())


async def subscribed(session: AsyncSession, event_type: str) -> list[NotificationChannel]:
    """Active channels that take ``event_type`` (an empty ``events`` list takes everything)."""
    rows = await session.execute(
        select(NotificationChannel).where(
            col(NotificationChannel.is_active),
            text("(cardinality(events) = 0 OR :e = ANY(events))").bindparams(e=event_type),
        )
    )
    return list(rows.scalars())


async def get_channel(session: AsyncSession, channel_id: uuid.UUID) -> NotificationChannel | None:
    return await session.get(NotificationChannel, channel_id)


async def add_channel(session: AsyncSession, channel: NotificationChannel) -> None:
    """Insert now, so the caller has the id."""
    session.add(channel)
    await session.flush()


async def delete_channel(session: AsyncSession, channel: NotificationChannel) -> None:
    await session.delete(channel)


async def deliveries(session: AsyncSession, status: DeliveryStatus | None, limit: int) -> list[Delivery]:
    """Newest first, optionally of one status."""
    stmt = select(Delivery).order_by(col(Delivery.created_at).desc()).limit(limit)
    if status:
        stmt = stmt.where(col(Delivery.status) == status.value)
    return list((await session.execute(stmt)).scalars())


async def get_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery | None:
    return await session.get(Delivery, delivery_id)


async def add_delivery(session: AsyncSession, delivery: Delivery) -> None:
    """Insert now, so the caller has the id (the job it queues names it)."""
    session.add(delivery)
    await session.flush()


async def lock_sendable(session: AsyncSession, delivery_id: uuid.UUID) -> Delivery | None:
    """The delivery, locked, if it can still be sent; None if it cannot or another worker holds it
    (``skip_locked``: two jobs for one delivery never send it twice)."""
    return (
        await session.execute(
            select(Delivery)
            .where(col(Delivery.id) == delivery_id, col(Delivery.status).in_(SENDABLE))
            .with_for_update(skip_locked=True)
        )
    ).scalar_one_or_none()


async def due_ids(session: AsyncSession) -> list[uuid.UUID]:
    """Ids of sendable deliveries whose next attempt is due."""
    rows = await session.execute(
        select(col(Delivery.id)).where(col(Delivery.status).in_(SENDABLE), col(Delivery.next_attempt_at) <= utcnow())
    )
    return list(rows.scalars())
