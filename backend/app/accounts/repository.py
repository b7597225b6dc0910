"""SQL for the book and the account profile. Returns composable statements where it can."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, nulls_last, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from app.accounts.models import Account, Contact
from app.auth.models import User
from app.scoring.models import AccountHealth


@dataclass(frozen=True)
class BookFilter:
    q: str | None = None
    segment: str | None = None
    plan: str | None = None
    status: str | None = None
    owner_id: uuid.UUID | None = None
    external_id: str | None = None


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
    return conditions


def book_select(flt: BookFilter) -> Any:
    """Accounts with their owner and current health (``account_health``: the latest snapshot)."""
    owner = aliased(User, name="owner")
    stmt: Any = (
        select(Account, owner, col(AccountHealth.health_score), col(AccountHealth.band), col(AccountHealth.quadrant))
        .outerjoin(owner, owner.id == Account.owner_id)  # type: ignore[arg-type]
        .outerjoin(AccountHealth, col(AccountHealth.account_id) == col(Account.id))
        .where(*book_conditions(flt))
    )
    return stmt


async def book_page(
    session: AsyncSession, flt: BookFilter, sort: str, page: int, page_size: int
) -> tuple[list[Any], int]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    offset = (page - 1) * page_size

    def ordered(column: Any) -> list[Any]:
        return [nulls_last(column.desc() if descending else column.asc()), col(Account.id)]

    if key == "health_score":
        stmt = book_select(flt)
        order = ordered(col(AccountHealth.health_score))
        rows = await session.execute(stmt.order_by(*order).offset(offset).limit(page_size))
    else:
        # Pick the page on the account table alone (index order), then join owner and
        # latest health for those rows only.
        column: Any = {
            "name": func.lower(col(Account.name)),
            "arr": col(Account.current_arr),
            "renewal_date": col(Account.renewal_date),
            "segment": col(Account.segment),
            "plan": col(Account.plan),
            "created_at": col(Account.created_at),
        }[key]
        order = ordered(column)
        ids = (
            select(col(Account.id)).where(*book_conditions(flt)).order_by(*order).offset(offset).limit(page_size)
        ).subquery("page")
        stmt = book_select(BookFilter())
        rows = await session.execute(stmt.join(ids, ids.c.id == col(Account.id)).order_by(*order))
    # The outer joins never change the count: count accounts alone.
    total: Any = await session.scalar(select(func.count()).select_from(Account).where(*book_conditions(flt)))
    return list(rows.all()), int(total or 0)


async def account_row(session: AsyncSession, account_id: uuid.UUID) -> Any | None:
    return (await session.execute(book_select(BookFilter()).where(col(Account.id) == account_id))).first()


async def contacts_of(session: AsyncSession, account_id: uuid.UUID) -> list[Contact]:
    result = await session.execute(
        select(Contact)
        .where(col(Contact.account_id) == account_id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.name))
    )
    return list(result.scalars())
