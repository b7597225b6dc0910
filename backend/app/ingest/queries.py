"""Read side of ingest: data-source freshness and the unmatched-records list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.models import utcnow
from app.identity.models import UnmatchedRecord
from app.ingest.schemas import Kind
from app.ingest.views import DataSourcePublic, UnmatchedPage, UnmatchedRecordPublic

_SOURCES = text("""
SELECT coalesce(d.key, l.source) AS key, coalesce(d.name, initcap(replace(l.source, '-', ' '))) AS name,
       d.owner_id, coalesce(d.stale_after_days, 10) AS stale_after_days,
       CASE WHEN d.last_received_at IS NULL THEN l.last_received_at
            WHEN l.last_received_at IS NULL THEN d.last_received_at
            ELSE greatest(d.last_received_at, l.last_received_at) END AS last_received_at,
       coalesce(d.items_received, 0) + coalesce(l.items, 0) AS items_received
FROM data_source d
FULL JOIN (SELECT source, max(received_at) AS last_received_at, sum(items) AS items
           FROM ingest_log GROUP BY source) l ON l.source = d.key
ORDER BY 1
""")


async def sources(session: AsyncSession) -> list[DataSourcePublic]:
    """Every source with its freshness, counting ingest calls not yet folded into it."""
    now = utcnow()
    out = []
    for s in (await session.execute(_SOURCES)).mappings():
        age = (now - s["last_received_at"]) if s["last_received_at"] else None
        out.append(
            DataSourcePublic(
                key=s["key"],
                name=s["name"],
                owner_id=s["owner_id"],
                stale_after_days=s["stale_after_days"],
                last_received_at=s["last_received_at"],
                items_received=int(s["items_received"]),
                age_hours=round(age.total_seconds() / 3600, 1) if age is not None else None,
                stale=age is None or age > timedelta(days=s["stale_after_days"]),
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
