"""Shapes book rows and account profiles from repository rows."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import repository
from app.accounts.models import Account
from app.accounts.schemas import AccountDetail, AccountsPage, AccountSummary, ContactPublic, OwnerRef
from app.core.errors import NotFound


def _summary_fields(row: Any) -> dict[str, Any]:
    account: Account = row[0]
    owner = row[1]
    return {
        "id": account.id,
        "external_id": account.external_id,
        "name": account.name,
        "segment": account.segment,
        "plan": account.plan,
        "icp_tier": account.icp_tier,
        "region": account.region,
        "owner": OwnerRef.model_validate(owner) if owner is not None else None,
        "arr": float(account.current_arr),
        "renewal_date": account.renewal_date,
        "status": account.status,
        "flag": account.flag,
        "health_score": round(row[2], 1) if row[2] is not None else None,
        "band": row[3],
        "quadrant": row[4],
    }


async def book(session: AsyncSession, flt: repository.BookFilter, sort: str, page: int, page_size: int) -> AccountsPage:
    rows, total = await repository.book_page(session, flt, sort, page, page_size)
    return AccountsPage(
        items=[AccountSummary(**_summary_fields(r)) for r in rows], total=total, page=page, page_size=page_size
    )


async def account_detail(session: AsyncSession, account_id: uuid.UUID) -> AccountDetail:
    row = await repository.account_row(session, account_id)
    if row is None:
        raise NotFound(f"No account with id {account_id}")
    account: Account = row[0]
    contacts = await repository.contacts_of(session, account_id)
    return AccountDetail(
        **_summary_fields(row),
        domains=account.domains,
        industry=account.industry,
        acquisition_channel=account.acquisition_channel,
        signup_date=account.signup_date,
        onboarding_completed_at=account.onboarding_completed_at,
        seats_purchased=account.seats_purchased,
        seat_limit=account.seat_limit,
        api_call_limit=account.api_call_limit,
        contract_start=account.contract_start,
        tags=account.tags,
        contacts=[ContactPublic.model_validate(c) for c in contacts],
    )
