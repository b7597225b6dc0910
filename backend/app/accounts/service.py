"""The book, the account picture, and what a CSM changes on an account (flag, owner, tags,
notes)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts import filters, picture, repository
from app.accounts.models import Account
from app.accounts.schemas import (
    AccountsPage,
    AccountSummary,
    AccountUpdate,
    BookFields,
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


def summary(row: Mapping[str, Any]) -> AccountSummary:
    """A book row (``repository.ROW_COLUMNS``) as the API shows it."""
    owner = OwnerRef(id=row["owner_id"], email=row["owner_email"], name=row["owner_name"]) if row["owner_id"] else None
    health = row["health_score"]
    return AccountSummary.model_validate(
        {
            **row,
            "owner": owner,
            "arr": float(row["arr"]),
            "health_score": round(health, 1) if health is not None else None,
        }
    )


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


async def account_summary(session: AsyncSession, account_id: uuid.UUID) -> AccountSummary:
    """One account as a book row."""
    rows = await session.execute(repository.rows_select().where(col(Account.id) == account_id))
    row = rows.mappings().first()
    if row is None:
        raise NotFound(f"No account with id {account_id}")
    return summary(row)


async def account_picture(session: AsyncSession, account_id: uuid.UUID) -> str:
    """The account picture as JSON text (``AccountDetail``), written by Postgres."""
    now = utcnow()
    raw = await picture.picture(session, account_id, now.date(), now, now - timedelta(days=180))
    if raw is None:
        raise NotFound(f"No account with id {account_id}")
    return raw


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
    return await account_summary(session, account_id)


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
