"""The book (``GET /api/v1/accounts``) and the account profile."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from app.accounts import service
from app.accounts.repository import BookFilter
from app.accounts.schemas import AccountDetail, AccountsPage, SortKey
from app.auth.dependencies import Reader
from app.core.db import SessionDep
from app.core.enums import AccountStatus
from app.core.errors import Problem

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])


@router.get("", operation_id="accounts:list", response_model=AccountsPage)
async def list_accounts(
    principal: Reader,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    sort: SortKey = "-arr",
    q: Annotated[str | None, Query(max_length=200, description="Search name or external id")] = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    plan: Annotated[str | None, Query(max_length=100)] = None,
    status: AccountStatus | None = None,
    owner_id: uuid.UUID | None = None,
    external_id: Annotated[str | None, Query(max_length=300, description="Exact external id")] = None,
) -> AccountsPage:
    flt = BookFilter(
        q=q,
        segment=segment,
        plan=plan,
        status=status.value if status else None,
        owner_id=owner_id,
        external_id=external_id,
    )
    return await service.book(session, flt, sort, page, page_size)


@router.get(
    "/{account_id}", operation_id="accounts:get", response_model=AccountDetail, responses={404: {"model": Problem}}
)
async def get_account(account_id: uuid.UUID, principal: Reader, session: SessionDep) -> AccountDetail:
    return await service.account_detail(session, account_id)
