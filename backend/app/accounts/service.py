"""An account's whole picture, what a CSM changes on it (flag, owner, tags), notes, and its
team. Who may read or change which account is ``access``'s to say: every function here that
a person drives takes the caller's ``Principal``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access, picture, repository
from app.accounts.models import Note
from app.accounts.schemas import AccountUpdate, NoteView, TeamMemberIn, TeamMemberPublic
from app.audit.service import record
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import Role
from app.core.errors import BadPayload, FieldError, Forbidden, NotFound, Unprocessable
from app.core.models import utcnow


async def account_picture(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> str:
    """The account picture as JSON text (``AccountDetail``), written by Postgres, with the
    account team and whether the caller may change the account (``can_edit``)."""
    can_edit = await access.require_read_can_write(session, principal, account_id)
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
        can_edit,
    )
    if raw is None:
        raise NotFound(f"No account with id {account_id}")
    return raw


async def update_account(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, payload: AccountUpdate
) -> None:
    """Flag, owner and tags: what a CSM changes on an account in Tempo itself (reassigning
    it to another owner is for leaders and admins)."""
    await access.require_write(session, principal, account_id)
    account = await repository.get(session, account_id)
    if account is None:
        raise NotFound(f"No account with id {account_id}")
    changed = payload.model_dump(exclude_unset=True)
    if "owner_id" in changed and changed["owner_id"] != account.owner_id and not access.writes_every_account(principal):
        raise Forbidden(access.LEADS_REASSIGN)
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
    record(session, principal.actor, "account.update", "account", account_id, {k: str(v) for k, v in changed.items()})


# Who may own an account: the roles that change accounts (a product user or viewer could not
# work one).
OWNER_ROLES = frozenset({Role.admin, Role.leader, Role.csm})


async def reassign(
    session: AsyncSession, principal: Principal, account_ids: Sequence[uuid.UUID], owner_id: uuid.UUID
) -> tuple[list[uuid.UUID], list[uuid.UUID], list[uuid.UUID]]:
    """Move accounts to a new owner (leaders and admins; an active CSM, leader or admin),
    one ``account.reassign`` audit entry per account moved. Answers ``(moved, unchanged,
    missing)``: ids listed twice count once; ids of no account are reported, not refused."""
    access.require_every_account(principal, access.LEADS_REASSIGN)
    owner = await repository.user(session, owner_id)
    if owner is None or not owner.is_active or owner.role not in OWNER_ROLES:
        raise Unprocessable(
            f"No active CSM, leader or admin with id {owner_id}",
            errors=[FieldError(loc=["body", "owner_id"], msg="must be an active CSM, leader or admin")],
        )
    moved: list[uuid.UUID] = []
    unchanged: list[uuid.UUID] = []
    missing: list[uuid.UUID] = []
    now = utcnow()
    for account_id in dict.fromkeys(account_ids):
        account = await repository.get(session, account_id)
        if account is None:
            missing.append(account_id)
            continue
        if account.owner_id == owner_id:
            unchanged.append(account_id)
            continue
        before = account.owner_id
        account.owner_id = owner_id
        account.updated_at = now
        moved.append(account_id)
        record(
            session,
            principal.actor,
            "account.reassign",
            "account",
            account_id,
            {"from": str(before) if before else None, "to": str(owner_id)},
        )
    await session.flush()
    return moved, unchanged, missing


async def add_note(session: AsyncSession, principal: Principal, account_id: uuid.UUID, body: str) -> NoteView:
    await access.require_write(session, principal, account_id)
    if await repository.get(session, account_id) is None:
        raise NotFound(f"No account with id {account_id}")
    author_id = principal.user_id
    # a key has no user: the note remembers the key, so only that key (or an admin) deletes it
    author_key_id = principal.id if principal.kind == "api_key" else None
    note = Note(account_id=account_id, author_id=author_id, author_key_id=author_key_id, body=body)
    await repository.add_note(session, note)
    record(session, principal.actor, "note.create", "note", note.id, {"account_id": str(account_id)})
    author = await repository.user(session, author_id) if author_id else None
    return NoteView(
        id=note.id,
        body=note.body,
        created_at=note.created_at,
        author_id=author_id,
        author=(author.name or author.email) if author else None,
    )


NOTES_PER_ACCOUNT = 50  # as the account picture lists them


async def notes_of(session: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[NoteView]]:
    """Each account's newest notes, for accounts the caller has read already."""
    found = await repository.notes_of(session, account_ids, NOTES_PER_ACCOUNT)
    return {
        account_id: [
            NoteView(
                id=note.id,
                body=note.body,
                created_at=note.created_at,
                author_id=note.author_id,
                author=(author.name or author.email) if author else None,
            )
            for note, author in notes
        ]
        for account_id, notes in found.items()
    }


def _wrote(principal: Principal, note: Note) -> bool:
    if principal.kind == "api_key":
        return note.author_key_id is not None and note.author_key_id == principal.id
    return note.author_id is not None and note.author_id == principal.user_id


async def delete_note(session: AsyncSession, principal: Principal, account_id: uuid.UUID, note_id: uuid.UUID) -> None:
    """Its author (the user, or the API key, that wrote it) deletes a note, or an admin."""
    await access.require_write(session, principal, account_id)
    note = await repository.note(session, note_id)
    if note is None or note.account_id != account_id:
        raise NotFound(f"No note {note_id} on this account")
    if principal.role != Role.admin and not _wrote(principal, note):
        raise Forbidden("Only the author deletes a note")
    await repository.delete_note(session, note)
    record(session, principal.actor, "note.delete", "note", note_id, {"account_id": str(account_id)})


# -- the account team --------------------------------------------------------------------


async def team(session: AsyncSession, principal: Principal, account_id: uuid.UUID) -> list[TeamMemberPublic]:
    """Who works the account besides its owner."""
    await access.require_read(session, principal, account_id)
    if await repository.get(session, account_id) is None:
        raise NotFound(f"No account with id {account_id}")
    return [
        TeamMemberPublic(
            user_id=u.id, email=u.email, name=u.name, user_role=Role(u.role), role=m.role, added_at=m.added_at
        )
        for m, u in await repository.team(session, account_id)
    ]


async def set_team(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, members: list[TeamMemberIn]
) -> list[TeamMemberPublic]:
    """Replace the team: admins, leaders, or the CSM who owns the account."""
    await access.require_owner_or_lead(session, principal, account_id)
    if await repository.get(session, account_id) is None:
        raise NotFound(f"No account with id {account_id}")
    wanted = {m.user_id: m.role for m in members}
    found = await repository.users(session, list(wanted))
    errors = [
        FieldError(loc=["body", "members", n, "user_id"], msg="no such active user")
        for n, m in enumerate(members)
        if m.user_id not in found or not found[m.user_id].is_active
    ]
    errors += [
        FieldError(loc=["body", "members", n, "user_id"], msg="listed twice")
        for n, m in enumerate(members)
        if any(o.user_id == m.user_id for o in members[:n])
    ]
    if errors:
        raise Unprocessable(f"{len(errors)} team member(s) refused", errors=errors)
    before = sorted(str(m.user_id) for m, _ in await repository.team(session, account_id))
    await repository.replace_team(session, account_id, wanted)
    after = await team(session, principal, account_id)
    record(
        session,
        principal.actor,
        "account.team.set",
        "account",
        account_id,
        {"before": before, "after": sorted(str(m.user_id) for m in after)},
    )
    return after


async def names(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """``(external_id, name)`` of each of these accounts (ingest items name accounts so)."""
    return await repository.names(session, ids)
