"""SQL for the book: filtering, sorting and paging accounts with their current health."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, func, nulls_last, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from app.accounts.access import EVERY_ACCOUNT, ListScope, ScopeName
from app.accounts.models import Account
from app.alerts.models import Alert
from app.auth.models import User
from app.book import filters
from app.core.enums import AlertStatus
from app.queue.ranking import OPPORTUNITY_RULES
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
    # whose accounts the request asks for (None: the caller's default, ``access.resolve_scope``)
    requested_scope: ScopeName | None = None
    # whose accounts are listed, within what the caller reads (the service resolves it)
    scope: ListScope = EVERY_ACCOUNT

    @property
    def names_owner(self) -> bool:
        """Whether the request names an owner itself (``owner_id``, or ``owner`` in the filter)."""
        return self.owner_id is not None or any(t.field == "owner" for t in self.query.terms)


# Sort keys: the book's columns. Those on account_health make the page query join it.
SORT_COLUMNS: dict[str, Any] = {
    "name": lambda: func.lower(col(Account.name)),
    "arr": lambda: col(Account.current_arr),
    "renewal_date": lambda: col(Account.next_renewal_date),
    "segment": lambda: col(Account.segment),
    "plan": lambda: col(Account.plan),
    "created_at": lambda: col(Account.created_at),
    "health_score": lambda: col(AccountHealth.health_score),
    "open_tickets": lambda: col(AccountHealth.open_tickets),
    "usage_change": lambda: col(AccountHealth.usage_change),
    "feature_adoption": lambda: col(AccountHealth.feature_adoption),
    "last_touch_on": lambda: col(AccountHealth.last_touch_on),
    "last_qbr_on": lambda: col(AccountHealth.last_qbr_on),
    "contract_start": filters.contract_start,
    "oldest_ticket_age_days": filters.oldest_ticket_age,
    "forecast_status": filters.forecast_order,
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
    scoped = flt.scope.condition()
    if scoped is not None:
        conditions.append(scoped)
    return conditions


def _filtered(stmt: Any, flt: BookFilter, with_health: bool) -> Any:
    if with_health or flt.query.needs_health:
        stmt = stmt.outerjoin(AccountHealth, col(AccountHealth.account_id) == col(Account.id))
    return stmt.where(*book_conditions(flt))


_OWNER = aliased(User, name="owner")
_OPEN_ALERTS = (
    select(func.count())
    .where(col(Alert.account_id) == col(Account.id), col(Alert.status) != AlertStatus.resolved.value)
    .correlate(Account)
    .scalar_subquery()
)
# The most severe of the account's active opportunity alerts (0 high, 1 medium, 2 low), as the
# queue reads alerts: open or acknowledged, or snoozed with the snooze over; on an active
# account. ``service`` turns it into the queue's expected expansion.
_OPPORTUNITY_SEVERITY = (
    select(func.min(case({"high": 0, "medium": 1}, value=col(Alert.severity), else_=2)))
    .where(
        col(Alert.account_id) == col(Account.id),
        col(Account.status) == "active",
        col(Alert.rule).in_(sorted(OPPORTUNITY_RULES)),
        or_(
            col(Alert.status).in_(("open", "acknowledged")),
            and_(col(Alert.status) == "snoozed", col(Alert.snoozed_until) <= func.now()),
        ),
    )
    .correlate(Account)
    .scalar_subquery()
)
# The columns of a book row (see ``schemas.AccountSummary``), as plain Core columns: no ORM
# entities to build for 50 rows a page.
ROW_COLUMNS: tuple[Any, ...] = (
    *(
        col(getattr(Account, c))
        for c in ("id", "external_id", "name", "segment", "plan", "icp_tier", "region", "status", "flag")
    ),
    col(Account.next_renewal_date).label("renewal_date"),
    col(Account.renewal_term),
    col(Account.current_arr).label("arr"),
    col(_OWNER.id).label("owner_id"),
    col(_OWNER.email).label("owner_email"),
    col(_OWNER.name).label("owner_name"),
    *(
        col(getattr(AccountHealth, c))
        for c in (
            "health_score", "band", "quadrant", "feature_adoption", "usage_change", "open_tickets", "last_touch_on",
            "last_qbr_on",
        )
    ),
    _OPEN_ALERTS.label("open_alerts"),
    filters.contract_start().label("contract_start"),
    filters.oldest_ticket_age().label("oldest_ticket_age_days"),
    filters.next_term_forecast().label("forecast_status"),
    _OPPORTUNITY_SEVERITY.label("opportunity_severity"),
)  # fmt: skip


def rows_select() -> Select[Any]:
    """Book rows: accounts with their owner, current health (``account_health``) and open alerts."""
    return (
        select(*ROW_COLUMNS)
        .select_from(Account)
        .outerjoin(_OWNER, _OWNER.id == Account.owner_id)  # type: ignore[arg-type]
        .outerjoin(AccountHealth, col(AccountHealth.account_id) == col(Account.id))
    )


def _order(sort: str, column: Any | None = None) -> list[Any]:
    descending = sort.startswith("-")
    key = SORT_COLUMNS[sort.lstrip("-")]() if column is None else column
    return [nulls_last(key.desc() if descending else key.asc())]


async def book_page(
    session: AsyncSession, flt: BookFilter, sort: str, offset: int, limit: int
) -> tuple[list[Any], int]:
    """``limit`` rows from ``offset`` and the total in one statement: the filter is evaluated once (a CTE that
    both the count and the page read), the page's rows join owner, health and alerts."""
    key = SORT_COLUMNS[sort.lstrip("-")]()
    matching = _filtered(
        select(col(Account.id).label("id"), key.label("k")), flt, sort.lstrip("-") in HEALTH_SORTS
    ).cte("matching")
    ids = (
        select(matching.c.id)
        .order_by(*_order(sort, matching.c.k), matching.c.id)
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )
    total = select(func.count()).select_from(matching).scalar_subquery()
    stmt = (
        rows_select()
        .add_columns(total.label("total"))
        .join(ids, ids.c.id == col(Account.id))
        .order_by(*_order(sort), col(Account.id))
    )
    rows = list((await session.execute(stmt)).mappings())
    if rows:
        return rows, int(rows[0]["total"])
    # past the last page: no row carries the total, count alone
    count: Any = await session.scalar(_filtered(select(func.count()).select_from(Account), flt, False))
    return [], int(count or 0)


async def book_all(session: AsyncSession, flt: BookFilter, sort: str, limit: int) -> list[Any]:
    """Every row the filter selects (for exports), in the book's order."""
    # rows_select already joins account_health, so every condition applies directly
    stmt = rows_select().where(*book_conditions(flt)).order_by(*_order(sort), col(Account.id)).limit(limit)
    return list((await session.execute(stmt)).mappings())


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


async def row(session: AsyncSession, account_id: uuid.UUID) -> Any | None:
    """One account as a book row."""
    rows = await session.execute(rows_select().where(col(Account.id) == account_id))
    return rows.mappings().first()


# Each account's primary contact (several flagged primary: the champion first, then one with
# a title, then by name), with its source id as a number when that id is a Segment
# pseudonym: the Segment connector gives a contact the same pseudonym its events carry as
# their user id, and binds that user (``segment_user_binding``, keyed by the same number).
_PRIMARY_CONTACTS = text(
    """
    SELECT DISTINCT ON (c.account_id) c.account_id, c.email,
           CASE WHEN EXISTS (SELECT 1 FROM segment_user_binding b WHERE b.user_hash = p.number)
                THEN c.source_id END AS segment_pseudonym
    FROM contact c
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.source_id ~ '^-?[0-9]{1,19}$' THEN
                   CASE WHEN CAST(c.source_id AS numeric) BETWEEN -9223372036854775808 AND 9223372036854775807
                        THEN CAST(c.source_id AS bigint) END
               END AS number
    ) p
    WHERE c.account_id = ANY(CAST(:ids AS uuid[])) AND c.is_primary
    ORDER BY c.account_id, (c.role = 'champion') DESC NULLS LAST, c.title IS NULL, c.name, c.id
    """
)


async def primary_contacts(session: AsyncSession, account_ids: list[uuid.UUID]) -> list[Any]:
    """(account_id, email, segment_pseudonym) of the primary contact of each account that has one."""
    if not account_ids:
        return []
    return list((await session.execute(_PRIMARY_CONTACTS, {"ids": account_ids})).mappings())


async def owners(session: AsyncSession) -> list[User]:
    """Users who own at least one account, by email."""
    rows = await session.execute(
        select(User).where(col(User.id).in_(select(col(Account.owner_id)).distinct())).order_by(col(User.email))
    )
    return list(rows.scalars())
