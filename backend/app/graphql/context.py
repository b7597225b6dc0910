"""Per-request GraphQL context: the caller, the request's session, and its DataLoaders.

GraphQL resolves sibling fields concurrently, but a session answers one statement at a time:
every use of the session goes through ``db()``, which holds it for the length of one service
call. Resolvers never wait on a loader while holding it (a loader's batch takes it too).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from app.auth.dependencies import Reader
from app.auth.service import Principal
from app.core.db import SessionDep
from app.graphql.loaders import Loaders


@dataclass
class Context(BaseContext):
    principal: Principal
    session: AsyncSession
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self.loaders = Loaders(self.db)

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        async with self.lock:
            yield self.session


Info = StrawberryInfo[Context, Any]


async def get_context(principal: Reader, session: SessionDep) -> Context:
    return Context(principal=principal, session=session)


ContextDep = Annotated[Context, Depends(get_context)]
