"""Playbooks: the library, previews, starting runs (tasks + drafted email), automatic starts
from alerts, completing runs."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.alerts import repository as alerts
from app.alerts.rules import AlertThresholds, rule_names
from app.audit.service import record
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import PlaybookRunStatus, Quadrant, TriggerType, move_direction, values
from app.core.errors import Conflict, FieldError, NotFound, ProblemError, Unprocessable, field_errors
from app.core.models import utcnow
from app.playbooks import repository, templating
from app.playbooks.context import account_context
from app.playbooks.library import LIBRARY
from app.playbooks.models import Playbook, PlaybookRun
from app.playbooks.schemas import PlaybookDefinition, PlaybookEffectiveness, PlaybookRunPublic, WindowEffect
from app.scoring import service as scoring
from app.tasks import repository as tasks
from app.tasks.models import Task
from app.tasks.schemas import TaskPublic

# A run "improved" the account when, N days after it started, health is up by at least
# this many points or the account sits in a better quadrant than at the start.
IMPROVEMENT_POINTS = 5.0
EFFECT_WINDOWS = (30, 60)


class InvalidPlaybook(ProblemError):
    status = 422
    title = "Validation error"


def _invalid(field: str, msg: str) -> InvalidPlaybook:
    return InvalidPlaybook(f"{field}: {msg}", errors=[FieldError(loc=["body", field], msg=msg, type="playbook")])


def check_definition(defn: PlaybookDefinition, thresholds: AlertThresholds) -> PlaybookDefinition:
    """The trigger names something that exists, and every template parses."""
    kind, value = defn.trigger_type, (defn.trigger_value or "").strip()
    listed = trigger_values(value)
    if kind == TriggerType.manual:
        value = ""
    elif kind == TriggerType.alert_rule:
        known = [*rule_names(thresholds), "data_stale"]
        if not listed or any(v not in known for v in listed):
            wrong = next((v for v in listed if v not in known), value)
            raise _invalid("trigger_value", f"unknown alert rule {wrong!r}; one or more of {', '.join(known)}")
        value = ",".join(listed)
    elif kind == TriggerType.renewal_milestone:
        days = sorted(thresholds.renewal_days)
        if not listed or any(not v.isdigit() or int(v) not in days for v in listed):
            raise _invalid(
                "trigger_value", f"renewal milestones are {', '.join(map(str, days))} days before renewal (one or more)"
            )
        value = ",".join(listed)
    elif kind == TriggerType.quadrant_move:
        src, arrow, dst = value.partition("->")
        allowed = [*values(Quadrant), "*"]
        if not arrow or src not in allowed or dst not in allowed:
            raise _invalid("trigger_value", "a quadrant move is from->to, each a quadrant or *, e.g. *->churn_risk")
    for field in ("email_subject_template", "email_body_template"):
        if template := getattr(defn, field):
            templating.check(template, field)
    for n, step in enumerate(defn.steps):
        templating.check(step.title, f"steps.{n}.title")
    return defn.model_copy(update={"trigger_value": value or None})


def today() -> Any:
    return utcnow().date()


async def thresholds(session: AsyncSession) -> AlertThresholds:
    """The active config's alert rules (what a trigger may name)."""
    return (await scoring.load_active(session)).body.alerts


async def ensure_library(session: AsyncSession) -> list[Playbook]:
    """The built-in playbooks, once (kept as edited afterwards); every playbook, built-in first."""
    return await repository.ensure_library(session, LIBRARY)


async def list_playbooks(session: AsyncSession) -> list[Playbook]:
    return await ensure_library(session)


async def get(session: AsyncSession, playbook_id: uuid.UUID) -> Playbook:
    await ensure_library(session)
    found = await repository.get(session, playbook_id)
    if found is None:
        raise NotFound(f"No playbook {playbook_id}")
    return found


def trigger_values(value: str | None) -> list[str]:
    """A trigger may name several rules or milestones: "seat_limit, api_limit" -> both."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def matches(playbook: Playbook, rule: str, facts: dict[str, Any], band: str | None = None) -> bool:
    """Does an alert (rule + facts) on an account in health ``band`` trigger this playbook?
    A play made for some bands only (``trigger_bands``) never fires on an unscored account."""
    if playbook.trigger_bands and band not in playbook.trigger_bands:
        return False
    kind, value = playbook.trigger_type, playbook.trigger_value or ""
    if kind == TriggerType.alert_rule:
        return rule in trigger_values(value)
    if kind == TriggerType.renewal_milestone:
        return rule in {f"renewal_{v}" for v in trigger_values(value)}
    if kind == TriggerType.quadrant_move and rule == "quadrant_down":
        src, _, dst = value.partition("->")
        return src in ("*", facts.get("from")) and dst in ("*", facts.get("to"))
    return False


def suggest(library: list[Playbook], rule: str, facts: dict[str, Any], band: str | None = None) -> Playbook | None:
    """The active playbook of ``library`` (see ``list_playbooks``) this alert triggers on an
    account in ``band``: one written for that band first, else the first for any band."""
    found = [p for p in library if p.is_active and matches(p, rule, facts, band)]
    return next((p for p in found if p.trigger_bands), found[0] if found else None)


async def draft(
    session: AsyncSession,
    playbook: Playbook | PlaybookDefinition,
    account_id: uuid.UUID,
    alert: dict[str, Any] | None = None,
    open_tickets: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """What starting the play would create: tasks (rendered titles, due dates) and the email.
    ``open_tickets``: the account's open tickets when the caller read them already."""
    context, meta = await account_context(session, account_id, today(), alert, open_tickets)
    day = today()
    steps = [s if isinstance(s, dict) else s.model_dump() for s in playbook.steps]
    # every template in one worker job, off the event loop, each under the render limits
    sources = {f"steps.{n}.title": step["title"] for n, step in enumerate(steps)}
    if playbook.email_body_template:
        sources["email_subject_template"] = playbook.email_subject_template or ""
        sources["email_body_template"] = playbook.email_body_template
    rendered = await templating.render_fields(sources, context)
    tasks = [
        {
            "title": rendered[f"steps.{n}.title"],
            "due_date": day + timedelta(days=int(step.get("due_offset_days", 0))),
            "assignee_role": (role := step.get("assignee_role", "owner")),
            "assignee_id": meta["assignees"].get(role),
            "assignee_name": meta["names"].get(role),
        }
        for n, step in enumerate(steps)
    ]
    email = None
    if playbook.email_body_template:
        email = {
            "subject": rendered["email_subject_template"],
            "body": rendered["email_body_template"],
            "to": meta["contact_email"],
            "to_name": meta["contact_name"],
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
    active = await repository.active_run(session, playbook.id, account_id)
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
    await repository.add(session, run)
    await tasks.add(
        session,
        [
            Task(
                account_id=account_id,
                playbook_run_id=run.id,
                title=t["title"],
                due_date=t["due_date"],
                # the owner, their lead, the support lead...: named by ``account_context``
                assignee_id=t["assignee_id"],
                created_by_id=started_by,
            )
            for t in planned["tasks"]
        ],
    )
    record(session, actor, "playbook_run.start", "playbook_run", run.id, {"playbook": playbook.key})
    return run


async def preview_for(
    session: AsyncSession, principal: Principal, playbook: Playbook | PlaybookDefinition, account_id: uuid.UUID
) -> dict[str, Any]:
    """``draft`` for a caller: on an account the caller reads (``access``)."""
    await access.require_read(session, principal, account_id)
    return await draft(session, playbook, account_id)


async def start_for(
    session: AsyncSession,
    principal: Principal,
    playbook_id: uuid.UUID,
    account_id: uuid.UUID,
    alert_id: uuid.UUID | None = None,
) -> PlaybookRunPublic:
    """A person starts the play: on an account they may change (``access``), for an alert of
    that account if one is named. The run as the API shows it."""
    playbook = await get(session, playbook_id)
    await access.require_write(session, principal, account_id)
    if alert_id is not None:
        alert = await alerts.one(session, alert_id)
        if alert is None or alert["account_id"] != account_id:
            raise Unprocessable(
                "alert_id names no alert of this account",
                errors=[FieldError(loc=["body", "alert_id"], msg="not an alert of this account", type="value_error")],
            )
    run = await start(session, playbook, account_id, principal.actor, principal.user_id, alert_id=alert_id)
    return await run_view(session, run)


SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


async def start_for_new_alerts(session: AsyncSession, new_alerts: list[dict[str, Any]]) -> int:
    """Automatic starts: a newly opened alert starts the playbook its rule triggers, up to
    ``auto_plays_per_owner_per_day`` per account owner and day, the most severe and valuable
    first (a first evaluation of a whole book must not bury each CSM under hundreds of
    tasks; the rest stay suggested in the queue)."""
    library = await list_playbooks(session)
    accounts = await repository.owners_and_arr(session, list({a["account_id"] for a in new_alerts}))
    candidates = [
        (alert, playbook)
        for alert in new_alerts
        if (playbook := suggest(library, alert["rule"], alert["facts"], accounts[alert["account_id"]][2])) is not None
        and playbook.trigger_type != TriggerType.manual
    ]
    if not candidates:
        return 0
    cap = get_settings().auto_plays_per_owner_per_day
    started_today = await repository.automatic_runs_on(session, today())
    candidates.sort(key=lambda c: (SEVERITY_ORDER.get(c[0]["severity"], 3), -accounts[c[0]["account_id"]][1]))
    started = 0
    for alert, playbook in candidates:
        owner = accounts[alert["account_id"]][0]
        if started_today.get(owner, 0) >= cap:
            continue
        async with session.begin_nested():
            try:
                await start(session, playbook, alert["account_id"], "system:alerts", alert_id=alert["id"], alert=alert)
            except (Conflict, templating.TemplateProblem):
                continue  # already running, or a template that cannot render: leave it to a person
        started_today[owner] = started_today.get(owner, 0) + 1
        started += 1
    return started


async def complete(session: AsyncSession, principal: Principal, run_id: uuid.UUID, outcome: str | None) -> PlaybookRun:
    """Finish a run (its open tasks are cancelled): by whoever may change its account."""
    actor = principal.actor
    run = await repository.get_run(session, run_id)
    if run is None:
        raise NotFound(f"No playbook run {run_id}")
    await access.require_write(session, principal, run.account_id, missing=f"No playbook run {run_id}")
    if run.status != PlaybookRunStatus.active.value:
        raise Conflict("The run is already finished")
    run.status = PlaybookRunStatus.completed.value
    run.outcome = outcome
    run.completed_at = utcnow()
    await tasks.cancel_open_of_run(session, run_id)
    record(session, actor, "playbook_run.complete", "playbook_run", run_id, {"outcome": outcome})
    return run


async def create(session: AsyncSession, key: str, defn: PlaybookDefinition, actor: str) -> Playbook:
    await ensure_library(session)
    if await repository.key_taken(session, key):
        raise Conflict(f"A playbook with key {key!r} exists")
    playbook = Playbook(key=key, **defn.model_dump(mode="json"))
    await repository.add(session, playbook)
    record(session, actor, "playbook.create", "playbook", playbook.id, {"key": key})
    return playbook


async def update(
    session: AsyncSession, playbook_id: uuid.UUID, changes: dict[str, Any], thresholds: AlertThresholds, actor: str
) -> Playbook:
    """Edit a play (built-in ones too: the library is seeded once and then belongs to the team).
    Runs already started keep the tasks and email they were given."""
    playbook = await get(session, playbook_id)
    current = PlaybookDefinition.model_validate({k: getattr(playbook, k) for k in PlaybookDefinition.model_fields})
    try:
        changed = PlaybookDefinition.model_validate({**current.model_dump(), **changes})
    except ValidationError as exc:  # e.g. null for a field a play must have
        errors = field_errors(exc)
        raise Unprocessable(f"{'.'.join(map(str, errors[0].loc))}: {errors[0].msg}", errors=errors) from exc
    merged = check_definition(changed, thresholds)
    for key, value in merged.model_dump(mode="json").items():
        setattr(playbook, key, value)
    playbook.updated_at = playbook.edited_at = utcnow()
    await session.flush()
    record(session, actor, "playbook.update", "playbook", playbook.id, {"fields": sorted(changes)})
    return playbook


def _improved(start_health: float | None, start_q: str | None, health: float | None, q: str | None) -> bool:
    if health is not None and start_health is not None and health - start_health >= IMPROVEMENT_POINTS:
        return True
    if q and start_q:
        return move_direction(Quadrant(start_q), Quadrant(q)) == "better"
    return False


async def effectiveness(session: AsyncSession) -> list[PlaybookEffectiveness]:
    """Per playbook: runs, and the share followed by an improvement within 30 and 60 days
    (health up >= IMPROVEMENT_POINTS or a better quadrant), among runs old enough to judge
    that have a snapshot in the window."""
    library = await list_playbooks(session)
    rows = await repository.run_outcomes(session, today())
    out = []
    for playbook in library:
        mine = [r for r in rows if r["playbook_id"] == playbook.id]
        windows = []
        for days in EFFECT_WINDOWS:
            judged = [r for r in mine if r[f"health_{days}"] is not None or r[f"quadrant_{days}"] is not None]
            improved = sum(
                _improved(r["health_at_start"], r["quadrant_at_start"], r[f"health_{days}"], r[f"quadrant_{days}"])
                for r in judged
            )
            changes = [
                r[f"health_{days}"] - r["health_at_start"]
                for r in judged
                if r[f"health_{days}"] is not None and r["health_at_start"] is not None
            ]
            windows.append(
                WindowEffect(
                    days=days,
                    measured=len(judged),
                    improved=improved,
                    rate=improved / len(judged) if judged else None,
                    mean_health_change=sum(changes) / len(changes) if changes else None,
                )
            )
        out.append(
            PlaybookEffectiveness(
                playbook_id=playbook.id,
                key=playbook.key,
                name=playbook.name,
                runs=len(mine),
                active=sum(r["status"] == PlaybookRunStatus.active.value for r in mine),
                completed=sum(r["status"] == PlaybookRunStatus.completed.value for r in mine),
                windows=windows,
            )
        )
    return out


async def run_view(session: AsyncSession, run: PlaybookRun) -> PlaybookRunPublic:
    view = PlaybookRunPublic.model_validate(run)
    view.tasks = [TaskPublic.model_validate(t) for t in (await tasks.by_run(session, [run.id]))[run.id]]
    return view


async def list_runs(
    session: AsyncSession,
    principal: Principal,
    account_id: uuid.UUID | None,
    playbook_id: uuid.UUID | None,
    status: PlaybookRunStatus | None,
    limit: int,
) -> list[PlaybookRunPublic]:
    """Runs, newest first, with their tasks and their playbook's and account's names (on the
    accounts the caller reads)."""
    if account_id is not None:
        await access.require_read(session, principal, account_id)
    rows = await repository.runs(session, account_id, playbook_id, status.value if status else None, limit)
    if account_id is None and access.read_scope(principal).restricted:
        shown = await access.visible(session, principal, [r[0].account_id for r in rows])
        rows = [r for r in rows if r[0].account_id in shown]
    by_run = await tasks.by_run(session, [r[0].id for r in rows])
    out = []
    for run, playbook_name, account_name in rows:
        view = PlaybookRunPublic.model_validate(run)
        view.tasks = [TaskPublic.model_validate(t) for t in by_run[run.id]]
        view.playbook_name, view.account_name = playbook_name, account_name
        out.append(view)
    return out
