"""DataLoaders: one per relation of an account, made per request (``Context``), so a page of
accounts costs one batched call per relation, however many accounts it holds (no N+1).

Each batch calls the feature's batched service function (SQL in its repository) with the ids
of every account the request asked the relation of. A relation with arguments (a history's
``days``) keys on ``(account id, *arguments)`` and runs one call per distinct argument set.
Every batch holds the request's session for the length of its call (``Db``): one session
answers one statement at a time, and loaders of sibling fields are dispatched together.

No access check here: the accounts were resolved under the caller's read scope already.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from app.accounts import service as accounts
from app.accounts.schemas import NoteView, WeekUsage
from app.alerts import service as alerts
from app.alerts.schemas import AlertPublic
from app.renewals import service as renewals
from app.renewals.schemas import RenewalRow
from app.scoring import explain, health, history
from app.scoring.schemas import AccountHealth, Explanation, HistoryPoint, QuadrantMovePublic
from app.tasks import service as tasks
from app.tasks.schemas import TaskPublic
from app.tiles import service as tiles
from app.tiles.schemas import Tile, TileKind
from app.usage import service as usage

V = TypeVar("V")
Db = Callable[[], AbstractAsyncContextManager[AsyncSession]]
# A batched service function: (session, account ids, *arguments) -> value per account id.
Fetch = Callable[..., Awaitable[Mapping[uuid.UUID, V]]]


def by_account(db: Db, fetch: Fetch[V]) -> DataLoader[uuid.UUID, V]:
    async def load(ids: list[uuid.UUID]) -> list[V]:
        async with db() as session:
            found = await fetch(session, ids)
        return [found[i] for i in ids]

    return DataLoader(load)


def by_account_and(db: Db, fetch: Fetch[V]) -> DataLoader[tuple[Any, ...], V]:
    """Keys ``(account id, *arguments)``: one ``fetch(session, ids, *arguments)`` per argument set."""

    async def load(keys: list[tuple[Any, ...]]) -> list[V]:
        groups: dict[tuple[Any, ...], list[uuid.UUID]] = {}
        for key in keys:
            groups.setdefault(key[1:], []).append(key[0])
        found: dict[tuple[Any, ...], V] = {}
        async with db() as session:
            for arguments, ids in groups.items():
                values = await fetch(session, ids, *arguments)
                found.update({(i, *arguments): values[i] for i in ids})
        return [found[k] for k in keys]

    return DataLoader(load)


def tiles_of(db: Db, kind: TileKind) -> DataLoader[uuid.UUID, Tile | None]:
    async def fetch(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Tile | None]:
        found = await tiles.tiles(session, kind, ids)
        return {i: found.get(i) for i in ids}

    return by_account(db, fetch)


class Loaders:
    """The request's loaders, one per relation."""

    def __init__(self, db: Db) -> None:
        self.health: DataLoader[uuid.UUID, AccountHealth | None] = by_account(db, health.latest_healths)
        # keys: (account id, days)
        self.history: DataLoader[tuple[Any, ...], list[HistoryPoint]] = by_account_and(db, history.points_of)
        self.moves: DataLoader[tuple[Any, ...], list[QuadrantMovePublic]] = by_account_and(db, history.moves_of)
        # keys: (account id, from, to)
        self.explain: DataLoader[tuple[Any, ...], Explanation | None] = by_account_and(db, explain.explain_changes)
        # keys: (account id, status)
        self.renewals: DataLoader[tuple[Any, ...], list[RenewalRow]] = by_account_and(db, renewals.of_accounts)
        self.open_alerts: DataLoader[uuid.UUID, list[AlertPublic]] = by_account(db, alerts.active_of)
        self.tasks: DataLoader[uuid.UUID, list[TaskPublic]] = by_account(db, tasks.of_accounts)
        self.notes: DataLoader[uuid.UUID, list[NoteView]] = by_account(db, accounts.notes_of)
        # keys: (account id, weeks)
        self.usage: DataLoader[tuple[Any, ...], list[WeekUsage]] = by_account_and(db, usage.weekly_trend)
        self.tiles: dict[TileKind, DataLoader[uuid.UUID, Tile | None]] = {kind: tiles_of(db, kind) for kind in TileKind}
