"""SQL of playbooks and their runs: the library, runs with names, the account context a
template sees, and what happened to the account after a run started."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account
from app.core.enums import PlaybookRunStatus
from app.playbooks.models import Playbook, PlaybookRun

# Each run with the account's latest snapshot on or before start + 30 and + 60 days (only
# once that day has passed): the effect of a run is judged on those two dates.
RUN_OUTCOMES = text(
    """
    SELECT r.playbook_id, r.status, r.health_at_start, r.quadrant_at_start,
           CAST(r.started_at AT TIME ZONE 'UTC' AS date) AS started_on,
           h30.health_score AS health_30, h30.quadrant AS quadrant_30,
           h60.health_score AS health_60, h60.quadrant AS quadrant_60
    FROM playbook_run r
    LEFT JOIN LATERAL (
        SELECT s.health_score, s.quadrant FROM health_snapshot s
        WHERE s.account_id = r.account_id
          AND s.as_of > CAST(r.started_at AT TIME ZONE 'UTC' AS date)
          AND s.as_of <= CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 30
        ORDER BY s.as_of DESC LIMIT 1
    ) h30 ON CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 30 <= :today
    LEFT JOIN LATERAL (
        SELECT s.health_score, s.quadrant FROM health_snapshot s
        WHERE s.account_id = r.account_id
          AND s.as_of > CAST(r.started_at AT TIME ZONE 'UTC' AS date)
          AND s.as_of <= CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 60
        ORDER BY s.as_of DESC LIMIT 1
    ) h60 ON CAST(r.started_at AT TIME ZONE 'UTC' AS date) + 60 <= :today
    """
)


async def run_outcomes(session: AsyncSession, today: date) -> list[Any]:
    return list((await session.execute(RUN_OUTCOMES, {"today": today})).mappings())


async def runs(
    session: AsyncSession, account_id: uuid.UUID | None, playbook_id: uuid.UUID | None, status: str | None, limit: int
) -> list[Any]:
    """Runs, newest first, with their playbook's and account's names."""
    stmt = (
        select(PlaybookRun, col(Playbook.name), col(Account.name))
        .join(Playbook, col(Playbook.id) == col(PlaybookRun.playbook_id))
        .join(Account, col(Account.id) == col(PlaybookRun.account_id))
        .order_by(col(PlaybookRun.started_at).desc())
        .limit(limit)
    )
    if account_id:
        stmt = stmt.where(col(PlaybookRun.account_id) == account_id)
    if playbook_id:
        stmt = stmt.where(col(PlaybookRun.playbook_id) == playbook_id)
    if status:
        stmt = stmt.where(col(PlaybookRun.status) == status)
    return list((await session.execute(stmt)).all())


async def owners_and_arr(
    session: AsyncSession, account_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[Any, float, str | None]]:
    """Per account: (owner id, ARR, health band)."""
    rows = await session.execute(
        text(
            "SELECT a.id, a.owner_id, coalesce(a.current_arr, a.declared_arr, 0)::float8, h.band FROM account a "
            "LEFT JOIN account_health h ON h.account_id = a.id WHERE a.id = ANY(CAST(:ids AS uuid[]))"
        ),
        {"ids": account_ids},
    )
    return {a: (o, arr, band) for a, o, arr, band in rows}


async def automatic_runs_on(session: AsyncSession, day: date) -> dict[Any, int]:
    """Runs alerts started on ``day`` (no person started them), by the account's owner."""
    rows = await session.execute(
        text(
            """
            SELECT a.owner_id, count(*) FROM playbook_run r JOIN account a ON a.id = r.account_id
            WHERE r.alert_id IS NOT NULL AND r.started_by_id IS NULL
              AND r.started_at >= CAST(:day AS date) AND r.started_at < CAST(:day AS date) + 1
            GROUP BY a.owner_id
            """
        ),
        {"day": day},
    )
    return {o: int(n) for o, n in rows}


LIBRARY_FIELDS = (
    "name",
    "description",
    "trigger_type",
    "trigger_value",
    "trigger_bands",
    "steps",
    "email_subject_template",
    "email_body_template",
)


async def ensure_library(session: AsyncSession, library: list[dict[str, Any]]) -> list[Playbook]:
    """Insert the built-in playbooks missing by key; bring the built-in ones nobody edited
    (``edited_at`` unset: they belong to the library) up to its current version, and switch
    off those it no longer has. Edited ones are the team's and stay as they are.

    Runs on every read of the library (a queue page, a scoring pass that opens alerts), so it
    reads first and writes, and locks, only what is missing or differs: an upsert would lock
    every row it meets, and an insert of keys present would wait on a concurrent one.
    Returns every playbook (``all_playbooks``), read once when nothing was missing."""
    plays = await all_playbooks(session)
    present = {p.key for p in plays if p.is_builtin}
    rows = {p["key"]: {"trigger_bands": [], **p, "is_builtin": True} for p in library}
    missing = [r for key, r in rows.items() if key not in present]
    if missing:
        await session.execute(insert(Playbook).values(missing).on_conflict_do_nothing(index_elements=["key"]))
        plays = await all_playbooks(session)
    changed = False
    for play in plays:
        if not play.is_builtin or play.edited_at is not None:
            continue
        target = rows.get(play.key)
        if target is None:
            changed |= play.is_active
            play.is_active = False
        elif any(getattr(play, f) != target.get(f) for f in LIBRARY_FIELDS):
            changed = True
            for f in LIBRARY_FIELDS:
                setattr(play, f, target.get(f))
    if changed:  # a name may have changed: read again in the library's order
        await session.flush()
        plays = await all_playbooks(session)
    return plays


async def all_playbooks(session: AsyncSession) -> list[Playbook]:
    """Built-in first, then by name."""
    rows = await session.execute(select(Playbook).order_by(col(Playbook.is_builtin).desc(), col(Playbook.name)))
    return list(rows.scalars())


async def get(session: AsyncSession, playbook_id: uuid.UUID) -> Playbook | None:
    return await session.get(Playbook, playbook_id)


async def key_taken(session: AsyncSession, key: str) -> bool:
    return (await session.execute(select(col(Playbook.id)).where(col(Playbook.key) == key))).first() is not None


async def add(session: AsyncSession, row: Playbook | PlaybookRun) -> None:
    session.add(row)
    await session.flush()


async def get_run(session: AsyncSession, run_id: uuid.UUID) -> PlaybookRun | None:
    return await session.get(PlaybookRun, run_id)


async def active_run(session: AsyncSession, playbook_id: uuid.UUID, account_id: uuid.UUID) -> PlaybookRun | None:
    return (
        await session.execute(
            select(PlaybookRun).where(
                col(PlaybookRun.playbook_id) == playbook_id,
                col(PlaybookRun.account_id) == account_id,
                col(PlaybookRun.status) == PlaybookRunStatus.active.value,
            )
        )
    ).scalar_one_or_none()


_ACCOUNT_CONTEXT = text(
    """
    SELECT a.id, a.name, a.plan, a.segment, coalesce(a.current_arr, a.declared_arr, 0)::float8 AS arr,
           a.owner_id, u.name AS owner_name, u.email AS owner_email,
           s.as_of, s.health_score, s.band, s.quadrant, s.usage_score, s.support_score, s.sentiment_score,
           s.relationship_score, s.commercial_score, s.inputs,
           r.renewal_date,
           c.name AS contact_name, c.email AS contact_email,
           coalesce(lead.id, leader.id) AS lead_id, coalesce(lead.name, leader.name) AS lead_name,
           coalesce(lead.email, leader.email) AS lead_email,
           sl.id AS support_lead_id, sl.name AS support_lead_name, sl.email AS support_lead_email,
           adm.id AS admin_id, coalesce(adm.name, adm.email) AS admin_name
    FROM account a
    LEFT JOIN "user" u ON u.id = a.owner_id
    LEFT JOIN account_health h ON h.account_id = a.id
    LEFT JOIN health_snapshot s ON s.account_id = a.id AND s.as_of = h.as_of
    LEFT JOIN LATERAL (
        SELECT renewal_date FROM renewal
        WHERE account_id = a.id AND outcome IS NULL AND renewal_date >= :today AND term <> 'monthly'
        ORDER BY renewal_date LIMIT 1
    ) r ON true
    LEFT JOIN LATERAL (
        SELECT name, email FROM contact WHERE account_id = a.id
        ORDER BY (role = 'champion') DESC NULLS LAST, is_primary DESC, name LIMIT 1
    ) c ON true
    -- the owner's lead; without one, the longest-standing active leader
    LEFT JOIN "user" lead ON lead.id = u.lead_id AND lead.is_active
    LEFT JOIN LATERAL (
        SELECT id, name, email FROM "user" WHERE role = 'leader' AND is_active ORDER BY created_at, email LIMIT 1
    ) leader ON true
    LEFT JOIN "user" sl ON lower(sl.email) = lower(CAST(:support_lead AS text)) AND sl.is_active
    LEFT JOIN LATERAL (
        SELECT id, name, email FROM "user" WHERE role = 'admin' AND is_active ORDER BY created_at, email LIMIT 1
    ) adm ON true
    WHERE a.id = :id
    """
)


async def account_context_row(
    session: AsyncSession, account_id: uuid.UUID, today: date, support_lead_email: str | None
) -> dict[str, Any] | None:
    """The account, owner, latest snapshot, next renewal and champion a template reads, and
    the people a play's steps go to: the owner's lead (else the first active leader), the
    support lead (the user with ``support_lead_email``), the first active admin."""
    params = {"id": account_id, "today": today, "support_lead": support_lead_email}
    row = (await session.execute(_ACCOUNT_CONTEXT, params)).mappings().first()
    return dict(row) if row is not None else None
