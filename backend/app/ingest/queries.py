"""Read side of ingest: data-source freshness and the unmatched-records list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.models import utcnow
from app.identity.models import UnmatchedRecord
from app.ingest.models import DataSource
from app.ingest.schemas import Kind
from app.ingest.views import DataSourcePublic, UnmatchedPage, UnmatchedRecordPublic


async def sources(session: AsyncSession) -> list[DataSourcePublic]:
    now = utcnow()
    rows = (await session.execute(select(DataSource).order_by(col(DataSource.key)))).scalars()
    out = []
    for s in rows:
        age = (now - s.last_received_at) if s.last_received_at else None
        out.append(
            DataSourcePublic(
                key=s.key,
                name=s.name,
                owner_id=s.owner_id,
                stale_after_days=s.stale_after_days,
                last_received_at=s.last_received_at,
                items_received=s.items_received,
                age_hours=round(age.total_seconds() / 3600, 1) if age is not None else None,
                stale=age is None or age > timedelta(days=s.stale_after_days),
            )
        )
    return out


async def unmatched_page(
    session: AsyncSession, kind: Kind | None, include_resolved: bool, page: int, page_size: int
) -> UnmatchedPage:
    stmt = select(UnmatchedRecord)
    if kind is not None:
        stmt = stmt.where(col(UnmatchedRecord.kind) == kind.value)
    if not include_resolved:
        stmt = stmt.where(col(UnmatchedRecord.resolved_at).is_(None))
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.execute(
        stmt.order_by(col(UnmatchedRecord.received_at).desc(), col(UnmatchedRecord.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return UnmatchedPage(
        items=[UnmatchedRecordPublic.model_validate(r, from_attributes=True) for r in rows.scalars()],
        total=int(total or 0),
        page=page,
        page_size=page_size,
    )
