"""Playbooks: the library, previews, starting runs (tasks + drafted email), automatic starts
from alerts, completing runs."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.audit.service import record
from app.core.enums import PlaybookRunStatus, TaskStatus, TriggerType
from app.core.errors import Conflict, NotFound
from app.core.models import utcnow
from app.playbooks import templating
from app.playbooks.context import account_context
from app.playbooks.library import LIBRARY
from app.playbooks.models import Playbook, PlaybookRun
from app.workflow.models import Task


def today() -> Any:
    return utcnow().date()


async def ensure_library(session: AsyncSession) -> None:
    """The built-in playbooks, once (kept as edited afterwards)."""
    await session.execute(
        insert(Playbook)
        .values([{**p, "is_builtin": True} for p in LIBRARY])
        .on_conflict_do_nothing(index_elements=["key"])
    )


async def list_playbooks(session: AsyncSession) -> list[Playbook]:
    await ensure_library(session)
    rows = await session.execute(select(Playbook).order_by(col(Playbook.is_builtin).desc(), col(Playbook.name)))
    return list(rows.scalars())


async def get(session: AsyncSession, playbook_id: uuid.UUID) -> Playbook:
    await ensure_library(session)
    found = await session.get(Playbook, playbook_id)
    if found is None:
        raise NotFound(f"No playbook {playbook_id}")
    return found


def matches(playbook: Playbook, rule: str, facts: dict[str, Any]) -> bool:
    """Does an alert (rule + facts) trigger this playbook?"""
    kind, value = playbook.trigger_type, playbook.trigger_value or ""
    if kind == TriggerType.alert_rule:
        return value == rule
    if kind == TriggerType.renewal_milestone:
        return rule == f"renewal_{value}"
    if kind == TriggerType.quadrant_move and rule == "quadrant_down":
        src, _, dst = value.partition("->")
        return src in ("*", facts.get("from")) and dst in ("*", facts.get("to"))
    return False


def suggest(library: list[Playbook], rule: str, facts: dict[str, Any]) -> Playbook | None:
    """The first active playbook of ``library`` (see ``list_playbooks``) this alert triggers."""
    return next((p for p in library if p.is_active and matches(p, rule, facts)), None)


async def draft(
    session: AsyncSession, playbook: Playbook, account_id: uuid.UUID, alert: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What starting the play would create: tasks (rendered titles, due dates) and the email."""
    context, meta = await account_context(session, account_id, today(), alert)
    day = today()
    tasks = [
        {
            "title": templating.render(step["title"], context, "steps"),
            "due_date": day + timedelta(days=int(step.get("due_offset_days", 0))),
            "assignee_role": step.get("assignee_role", "owner"),
        }
        for step in playbook.steps
    ]
    email = None
    if playbook.email_body_template:
        email = {
            "subject": templating.render(playbook.email_subject_template or "", context, "email_subject_template"),
            "body": templating.render(playbook.email_body_template, context, "email_body_template"),
        }
    return {"tasks": tasks, "email": email, "meta": meta}


async def start(
    session: AsyncSession,
    playbook: Playbook,
    account_id: uuid.UUID,
    actor: str,
    started_by: uuid.UUID | None = None,
    alert_id: uuid.UUID | None = None,
    alert: dict[str, Any] | None = None,
) -> PlaybookRun:
    """Start a run: one active run per playbook and account (a second start is a conflict)."""
    active = (
        await session.execute(
            select(PlaybookRun).where(
                col(PlaybookRun.playbook_id) == playbook.id,
                col(PlaybookRun.account_id) == account_id,
                col(PlaybookRun.status) == PlaybookRunStatus.active.value,
            )
        )
    ).scalar_one_or_none()
    if active is not None:
        raise Conflict(f"{playbook.name} is already running for this account (run {active.id})")
    planned = await draft(session, playbook, account_id, alert)
    meta = planned["meta"]
    run = PlaybookRun(
        playbook_id=playbook.id,
        account_id=account_id,
        alert_id=alert_id,
        started_by_id=started_by,
        health_at_start=meta["health"],
        quadrant_at_start=meta["quadrant"],
        email_draft=planned["email"],
    )
    session.add(run)
    await session.flush()
    for t in planned["tasks"]:
        session.add(
            Task(
                account_id=account_id,
                playbook_run_id=run.id,
                title=t["title"],
                due_date=t["due_date"],
                # the account's owner does "owner" steps; other roles stay unassigned for a lead to pick
                assignee_id=meta["owner_id"] if t["assignee_role"] == "owner" else None,
                created_by_id=started_by,
            )
        )
    await session.flush()
    record(session, actor, "playbook_run.start", "playbook_run", run.id, {"playbook": playbook.key})
    return run


async def start_for_new_alerts(session: AsyncSession, new_alerts: list[dict[str, Any]]) -> int:
    """Automatic starts: a newly opened alert starts the playbook its rule triggers."""
    started = 0
    library = await list_playbooks(session)
    for alert in new_alerts:
        playbook = suggest(library, alert["rule"], alert["facts"])
        if playbook is None or playbook.trigger_type == TriggerType.manual:
            continue
        async with session.begin_nested():
            try:
                await start(session, playbook, alert["account_id"], "system:alerts", alert_id=alert["id"], alert=alert)
                started += 1
            except (Conflict, templating.TemplateProblem):
                continue  # already running, or a template that cannot render: leave it to a person
    return started


async def complete(session: AsyncSession, run_id: uuid.UUID, outcome: str | None, actor: str) -> PlaybookRun:
    run = await session.get(PlaybookRun, run_id)
    if run is None:
        raise NotFound(f"No playbook run {run_id}")
    if run.status != PlaybookRunStatus.active.value:
        raise Conflict("The run is already finished")
    run.status = PlaybookRunStatus.completed.value
    run.outcome = outcome
    run.completed_at = utcnow()
    await session.execute(
        text("UPDATE task SET status = 'cancelled' WHERE playbook_run_id = :r AND status = :open"),
        {"r": run_id, "open": TaskStatus.open.value},
    )
    record(session, actor, "playbook_run.complete", "playbook_run", run_id, {"outcome": outcome})
    return run
