"""An account's whole picture, what a CSM changes on it (flag, owner, tags), and notes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import picture, repository
from app.accounts.models import Note
from app.accounts.schemas import AccountUpdate, NoteView
from app.audit.service import record
from app.core.config import get_settings
from app.core.errors import BadPayload, Forbidden, NotFound
from app.core.models import utcnow


async def account_picture(session: AsyncSession, account_id: uuid.UUID) -> str:
    """The account picture as JSON text (``AccountDetail``), written by Postgres."""
    now = utcnow()
    settings = get_settings()
    raw = await picture.picture(
        session,
        account_id,
        now.date(),
        now,
        now - timedelta(days=180),
        settings.reporting_currency,
        settings.revenue_bridge_days,
    )
    if raw is None:
        raise NotFound(f"No account with id {account_id}")
    return raw


async def update_account(session: AsyncSession, account_id: uuid.UUID, payload: AccountUpdate, actor: str) -> None:
    """Flag, owner and tags: what a CSM changes on an account in Tempo itself."""
    account = await repository.get(session, account_id)
    if account is None:
        raise NotFound(f"No account with id {account_id}")
    changed = payload.model_dump(exclude_unset=True)
    if (
        "owner_id" in changed
        and changed["owner_id"] is not None
        and await repository.user(session, changed["owner_id"]) is None
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


async def add_note(
    session: AsyncSession, account_id: uuid.UUID, body: str, author_id: uuid.UUID | None, actor: str
) -> NoteView:
    if await repository.get(session, account_id) is None:
        raise NotFound(f"No account with id {account_id}")
    note = Note(account_id=account_id, author_id=author_id, body=body)
    await repository.add_note(session, note)
    record(session, actor, "note.create", "note", note.id, {"account_id": str(account_id)})
    author = await repository.user(session, author_id) if author_id else None
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
    note = await repository.note(session, note_id)
    if note is None or note.account_id != account_id:
        raise NotFound(f"No note {note_id} on this account")
    if note.author_id != user_id:
        raise Forbidden("Only the author deletes a note")
    await repository.delete_note(session, note)
    record(session, actor, "note.delete", "note", note_id, {"account_id": str(account_id)})


async def names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """``(external_id, name)`` of each of these accounts (ingest items name accounts so)."""
    return await repository.names(session, ids)
