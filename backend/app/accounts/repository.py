"""SQL for the book: filtering, sorting and paging accounts with their current health."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, nulls_last, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from app.accounts import filters
from app.accounts.models import Account, Contact
from app.alerts.models import Alert
from app.auth.models import User
from app.core.enums import AlertStatus
from app.scoring.models import AccountHealth


@dataclass(frozen=True)
class BookFilter:
    q: str | None = None
    segment: str | None = None
    plan: str | None = None
    status: str | None = None
    owner_id: uuid.UUID | None = None
    external_id: str | None = None
    # the filter language (see ``filters``), with what it needs to resolve relative terms
    query: filters.BookQuery = field(default_factory=filters.BookQuery)
    today: date | None = None
    user_id: uuid.UUID | None = None


# Sort keys: the book's columns. Those on account_health make the page query join it.
SORT_COLUMNS: dict[str, Any] = {
    "name": lambda: func.lower(col(Account.name)),
    "arr": lambda: col(Account.current_arr),
    "renewal_date": lambda: col(Account.renewal_date),
    "segment": lambda: col(Account.segment),
    "plan": lambda: col(Account.plan),
    "created_at": lambda: col(Account.created_at),
    "health_score": lambda: col(AccountHealth.health_score),
    "open_tickets": lambda: col(AccountHealth.open_tickets),
    "usage_change": lambda: col(AccountHealth.usage_change),
    "feature_adoption": lambda: col(AccountHealth.feature_adoption),
    "last_touch_on": lambda: col(AccountHealth.last_touch_on),
    "last_qbr_on": lambda: col(AccountHealth.last_qbr_on),
}
HEALTH_SORTS = frozenset(
    {"health_score", "open_tickets", "usage_change", "feature_adoption", "last_touch_on", "last_qbr_on"}
)


def book_conditions(flt: BookFilter) -> list[Any]:
    conditions: list[Any] = []
    if flt.q:
        pattern = f"%{flt.q.strip().lower()}%"
        conditions.append(
            or_(func.lower(col(Account.name)).like(pattern), func.lower(col(Account.external_id)).like(pattern))
        )
    if flt.segment:
        conditions.append(col(Account.segment) == flt.segment)
    if flt.plan:
        conditions.append(col(Account.plan) == flt.plan)
    if flt.status:
        conditions.append(col(Account.status) == flt.status)
    if flt.owner_id:
        conditions.append(col(Account.owner_id) == flt.owner_id)
    if flt.external_id:
        conditions.append(col(Account.external_id) == flt.external_id)
    if flt.query.terms:
        conditions += filters.conditions(flt.query, flt.today or date.today(), flt.user_id)  # noqa: DTZ011
    return conditions


def _filtered(stmt: Any, flt: BookFilter, with_health: bool) -> Any:
    if with_health or flt.query.needs_health:
        stmt = stmt.outerjoin(AccountHealth, col(AccountHealth.account_id) == col(Account.id))
    return stmt.where(*book_conditions(flt))


def rows_select() -> Select[Any]:
    """Accounts with their owner, current health (``account_health``) and open alerts."""
    owner = aliased(User, name="owner")
    open_alerts = (
        select(func.count())
        .where(col(Alert.account_id) == col(Account.id), col(Alert.status) != AlertStatus.resolved.value)
        .correlate(Account)
        .scalar_subquery()
    )
    return (
        select(Account, owner, AccountHealth, open_alerts.label("open_alerts"))
        .outerjoin(owner, owner.id == Account.owner_id)  # type: ignore[arg-type]
        .outerjoin(AccountHealth, col(AccountHealth.account_id) == col(Account.id))
    )


def _order(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    column = SORT_COLUMNS[sort.lstrip("-")]()
    return [nulls_last(column.desc() if descending else column.asc()), col(Account.id)]


async def book_page(
    session: AsyncSession, flt: BookFilter, sort: str, page: int, page_size: int
) -> tuple[list[Any], int]:
    # Pick the page's ids first (joining account_health only when the filter or the sort
    # reads it), then fetch owner, health and alert counts for those rows only.
    order = _order(sort)
    ids = (
        _filtered(select(col(Account.id)), flt, sort.lstrip("-") in HEALTH_SORTS)
        .order_by(*order)
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).subquery("page")
    rows = await session.execute(rows_select().join(ids, ids.c.id == col(Account.id)).order_by(*order))
    total: Any = await session.scalar(_filtered(select(func.count()).select_from(Account), flt, False))
    return list(rows.all()), int(total or 0)


async def book_all(session: AsyncSession, flt: BookFilter, sort: str, limit: int) -> list[Any]:
    """Every row the filter selects (for exports), in the book's order."""
    # rows_select already joins account_health, so every condition applies directly
    stmt = rows_select().where(*book_conditions(flt)).order_by(*_order(sort)).limit(limit)
    return list((await session.execute(stmt)).all())


async def account_row(session: AsyncSession, account_id: uuid.UUID) -> Any | None:
    return (await session.execute(rows_select().where(col(Account.id) == account_id))).first()


async def contacts_of(session: AsyncSession, account_id: uuid.UUID) -> list[Contact]:
    result = await session.execute(
        select(Contact)
        .where(col(Contact.account_id) == account_id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.name))
    )
    return list(result.scalars())


async def facets(session: AsyncSession) -> dict[str, list[str]]:
    """Distinct values of the book's text columns, for filter pickers."""
    out: dict[str, list[Any]] = {}
    for name, column in (
        ("segment", col(Account.segment)),
        ("plan", col(Account.plan)),
        ("icp_tier", col(Account.icp_tier)),
        ("region", col(Account.region)),
        ("industry", col(Account.industry)),
        ("channel", col(Account.acquisition_channel)),
    ):
        rows = await session.execute(select(column).where(column.is_not(None)).distinct().order_by(column).limit(200))
        out[name] = [v for (v,) in rows]
    tags = await session.execute(
        select(func.unnest(col(Account.tags)).label("tag")).distinct().order_by("tag").limit(200)
    )
    out["tag"] = [v for (v,) in tags]
    return out
