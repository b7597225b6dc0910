"""The book, the account picture, and what a CSM changes on an account (flag, owner, tags,
notes)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts import filters, picture, repository
from app.accounts.models import Account
from app.accounts.schemas import (
    AccountDetail,
    AccountsPage,
    AccountSummary,
    AccountUpdate,
    BookFields,
    ContactPublic,
    FilterField,
    NoteView,
    OwnerChoice,
    OwnerRef,
)
from app.audit.service import record
from app.auth.models import User
from app.core.errors import BadPayload, Forbidden, NotFound
from app.core.models import utcnow
from app.workflow.models import Note


def _summary_fields(row: Any) -> dict[str, Any]:
    account: Account = row[0]
    owner = row[1]
    h = row[2]
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
        "health_score": round(h.health_score, 1) if h is not None and h.health_score is not None else None,
        "band": h.band if h is not None else None,
        "quadrant": h.quadrant if h is not None else None,
        "feature_adoption": h.feature_adoption if h is not None else None,
        "usage_change": h.usage_change if h is not None else None,
        "open_tickets": h.open_tickets if h is not None else None,
        "last_touch_on": h.last_touch_on if h is not None else None,
        "last_qbr_on": h.last_qbr_on if h is not None else None,
        "open_alerts": int(row[3] or 0),
    }


def summary(row: Any) -> AccountSummary:
    return AccountSummary(**_summary_fields(row))


async def book(session: AsyncSession, flt: repository.BookFilter, sort: str, page: int, page_size: int) -> AccountsPage:
    rows, total = await repository.book_page(session, flt, sort, page, page_size)
    return AccountsPage(
        items=[summary(r) for r in rows], total=total, page=page, page_size=page_size, filter=flt.query.text
    )


async def fields(session: AsyncSession) -> BookFields:
    seen = await repository.facets(session)
    owners = await session.execute(
        select(User).where(col(User.id).in_(select(col(Account.owner_id)).distinct())).order_by(col(User.email))
    )
    return BookFields(
        fields=[FilterField(**{**f, "choices": f["choices"] or seen.get(f["name"], [])}) for f in filters.catalogue()],
        owners=[OwnerChoice(id=u.id, email=u.email, name=u.name) for u in owners.scalars()],
    )


async def account_detail(session: AsyncSession, account_id: uuid.UUID) -> AccountDetail:
    row = await repository.account_row(session, account_id)
    if row is None:
        raise NotFound(f"No account with id {account_id}")
    account: Account = row[0]
    contacts = await repository.contacts_of(session, account_id)
    now = utcnow()
    sections = await picture.picture(session, account_id, now.date(), now, now - timedelta(days=180))
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
        **sections,
    )


async def update_account(
    session: AsyncSession, account_id: uuid.UUID, payload: AccountUpdate, actor: str
) -> AccountSummary:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"No account with id {account_id}")
    changed = payload.model_dump(exclude_unset=True)
    if (
        "owner_id" in changed
        and changed["owner_id"] is not None
        and await session.get(User, changed["owner_id"]) is None
    ):
        raise BadPayload(f"No user {changed['owner_id']}")
    if "tags" in changed:
        changed["tags"] = sorted(set(changed["tags"] or []))
    if "flag" in changed and changed["flag"] is not None:
        changed["flag"] = changed["flag"].value
    for key, value in changed.items():
        setattr(account, key, value)
    account.updated_at = utcnow()
    await session.flush()
    record(session, actor, "account.update", "account", account_id, {k: str(v) for k, v in changed.items()})
    row = await repository.account_row(session, account_id)
    return summary(row)


async def add_note(
    session: AsyncSession, account_id: uuid.UUID, body: str, author_id: uuid.UUID | None, actor: str
) -> NoteView:
    if await session.get(Account, account_id) is None:
        raise NotFound(f"No account with id {account_id}")
    note = Note(account_id=account_id, author_id=author_id, body=body)
    session.add(note)
    await session.flush()
    record(session, actor, "note.create", "note", note.id, {"account_id": str(account_id)})
    author = await session.get(User, author_id) if author_id else None
    return NoteView(
        id=note.id,
        body=note.body,
        created_at=note.created_at,
        author_id=author_id,
        author=(author.name or author.email) if author else None,
    )


async def delete_note(
    session: AsyncSession, account_id: uuid.UUID, note_id: uuid.UUID, user_id: uuid.UUID | None, actor: str
) -> None:
    note = await session.get(Note, note_id)
    if note is None or note.account_id != account_id:
        raise NotFound(f"No note {note_id} on this account")
    if note.author_id != user_id:
        raise Forbidden("Only the author deletes a note")
    await session.delete(note)
    record(session, actor, "note.delete", "note", note_id, {"account_id": str(account_id)})
