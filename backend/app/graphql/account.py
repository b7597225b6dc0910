"""The ``Account`` type: the book's row (REST's ``AccountSummary``) and every relation of the
account, each read through a DataLoader (``loaders``), and its tiles.

An Account is only ever built from a row the caller read under ``access`` (the book, or one
account), so its relations need no check of their own beyond the fields' permission classes.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, cast

import strawberry
from strawberry.experimental.pydantic import type as from_model

from app.accounts.schemas import AccountSummary, OwnerRef
from app.graphql.context import Info
from app.graphql.convert import of
from app.graphql.health import Health, HealthExplanation, HealthPoint, QuadrantMove
from app.graphql.permissions import ReadsNotes, ReadsPeople, ReadsRevenue
from app.graphql.records import Alert, Note, Renewal, Task, UsageWeek
from app.graphql.tiles import Tile
from app.tiles.schemas import TileKind

# Bounds of the relations' arguments (daily snapshots go back 120 days, weekly ones 18 months).
MAX_HISTORY_DAYS = 1100
MAX_TIMELINE_DAYS = 3660
MAX_USAGE_WEEKS = 104
RENEWAL_STATUSES = ("open", "closed", "all")


def _within(name: str, value: int, top: int) -> int:
    if not 1 <= value <= top:
        raise ValueError(f"{name} must be between 1 and {top:,}")
    return value


@from_model(model=OwnerRef, all_fields=True, description="The user who owns an account")
class Owner:
    email: str = strawberry.field(permission_classes=[ReadsPeople])


@from_model(model=AccountSummary, description="An account: its row in the book, and everything about it")
class Account:
    id: strawberry.auto
    external_id: strawberry.auto
    name: strawberry.auto
    segment: strawberry.auto
    plan: strawberry.auto
    icp_tier: strawberry.auto
    region: strawberry.auto
    owner: strawberry.auto
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])
    renewal_date: date | None = strawberry.field(
        description="The next renewal: the CRM's contract date, else the next billing cycle"
    )
    renewal_term: strawberry.auto
    status: strawberry.auto
    flag: strawberry.auto
    health_score: strawberry.auto
    band: strawberry.auto
    quadrant: strawberry.auto
    feature_adoption: strawberry.auto
    usage_change: strawberry.auto
    open_tickets: strawberry.auto
    last_touch_on: strawberry.auto
    last_qbr_on: strawberry.auto
    open_alert_count: int = strawberry.field(description="Alerts not resolved")

    @strawberry.field(description="Health now: the latest snapshot (or computed now when none is stored yet)")
    async def health(self, info: Info) -> Health | None:
        found = await info.context.loaders.health.load(self.id)
        return of(Health, found) if found is not None else None

    @strawberry.field(description="Scores on each stored date of the last `days` days, oldest first")
    async def health_history(self, info: Info, days: int = 90) -> list[HealthPoint]:
        points = await info.context.loaders.history.load((self.id, _within("days", days, MAX_HISTORY_DAYS)))
        return [of(HealthPoint, p) for p in points]

    @strawberry.field(description="Quadrant moves of the last `days` days, oldest first")
    async def quadrant_timeline(self, info: Info, days: int = 365) -> list[QuadrantMove]:
        moves = await info.context.loaders.moves.load((self.id, _within("days", days, MAX_TIMELINE_DAYS)))
        return [of(QuadrantMove, m) for m in moves]

    @strawberry.field(
        description="Why health changed from `from` (default: 30 days before `to`) to `to` (default: the latest "
        "snapshot); null without a snapshot on both dates"
    )
    async def explain(
        self,
        info: Info,
        date_from: Annotated[date | None, strawberry.argument(name="from")] = None,
        date_to: Annotated[date | None, strawberry.argument(name="to")] = None,
    ) -> HealthExplanation | None:
        found = await info.context.loaders.explain.load((self.id, date_from, date_to))
        return of(HealthExplanation, found) if found is not None else None

    @strawberry.field(description="Renewals of every term, newest first (status: open, closed or all)")
    async def renewals(self, info: Info, status: str = "all") -> list[Renewal]:
        if status not in RENEWAL_STATUSES:
            raise ValueError(f"status must be one of {', '.join(RENEWAL_STATUSES)}")
        return [of(Renewal, r) for r in await info.context.loaders.renewals.load((self.id, status))]

    @strawberry.field(description="Alerts not resolved: the most severe first, then the newest")
    async def open_alerts(self, info: Info) -> list[Alert]:
        return [of(Alert, a) for a in await info.context.loaders.open_alerts.load(self.id)]

    @strawberry.field(description="Open tasks, and those finished in the last 30 days")
    async def tasks(self, info: Info) -> list[Task]:
        return [of(Task, t) for t in await info.context.loaders.tasks.load(self.id)]

    @strawberry.field(permission_classes=[ReadsNotes], description="The newest notes (50 at most)")
    async def notes(self, info: Info) -> list[Note] | None:
        return [of(Note, n) for n in await info.context.loaders.notes.load(self.id)]

    @strawberry.field(description="Events and minutes per week over the last `weeks` weeks, oldest first")
    async def usage_trend(self, info: Info, weeks: int = 12) -> list[UsageWeek]:
        found = await info.context.loaders.usage.load((self.id, _within("weeks", weeks, MAX_USAGE_WEEKS)))
        return [of(UsageWeek, w) for w in found]

    @strawberry.field(description="Health score, band, 90-day trend and what moved it")
    async def health_tile(self, info: Info) -> Tile | None:
        return await _tile(info, TileKind.health, self.id)

    @strawberry.field(description="Quadrant, where the account sits on both axes, and its last move")
    async def quadrant_tile(self, info: Info) -> Tile | None:
        return await _tile(info, TileKind.quadrant, self.id)

    @strawberry.field(description="Next renewal: days to go, ARR up for renewal, forecast")
    async def renewal_tile(self, info: Info) -> Tile | None:
        return await _tile(info, TileKind.renewal, self.id)

    @strawberry.field(description="Active user-days, week by week")
    async def usage_trend_tile(self, info: Info) -> Tile | None:
        return await _tile(info, TileKind.usage_trend, self.id)


def account_of(row: AccountSummary) -> Account:
    """The Account of a book row (``app.book.service``: read under the caller's scope)."""
    return of(Account, row, open_alert_count=row.open_alerts)


async def _tile(info: Info, kind: TileKind, account_id: uuid.UUID) -> Tile | None:
    found = await info.context.loaders.tiles[kind].load(account_id)
    # The model itself is the source of the Tile's fields (strawberry reads them by attribute):
    # converting it with ``from_pydantic`` cost ~4 ms a tile, most of a tile request.
    return cast(Tile, found)
