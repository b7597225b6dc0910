"""Per-request GraphQL context: the caller, a session, and DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.fastapi import BaseContext

from app.auth.dependencies import Reader
from app.auth.service import Principal
from app.core.db import SessionDep


@dataclass
class Context(BaseContext):
    principal: Principal
    session: AsyncSession

    def __post_init__(self) -> None:
        super().__init__()


async def get_context(principal: Reader, session: SessionDep) -> Context:
    return Context(principal=principal, session=session)


ContextDep = Annotated[Context, Depends(get_context)]
