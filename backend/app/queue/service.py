"""Build the ranked queue: every account with active alerts, ranked by ARR at stake."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.auth.service import Principal
from app.core.format import score, short_money
from app.playbooks import service as playbooks
from app.playbooks.models import Playbook
from app.playbooks.templating import TemplateProblem
from app.queue import ranking, repository
from app.queue.schemas import (
    ContextContract,
    ContextPerson,
    ContextTicket,
    ContextTouch,
    ContextUsage,
    QueueAccount,
    QueueAlert,
    QueueContext,
    QueueItem,
    QueuePage,
    RunProgress,
    SuggestedPlay,
)
from app.scoring import calibration, risk
from app.scoring import service as scoring
from app.support import repository as support_tickets

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def reason(kind: str, account: QueueAccount, value: float, top: QueueAlert) -> str:
    """ "$400K ARR · health 38, churn risk · renewal in 74 days · $149K at stake"."""
    parts = [f"{short_money(account.arr)} ARR"]
    if account.health_score is not None:
        where = f", {account.quadrant.value.replace('_', ' ')}" if account.quadrant else ""
        parts.append(f"health {score(account.health_score)}{where}")
    if account.days_to_renewal is not None:
        parts.append(f"renewal in {account.days_to_renewal} days")
    parts.append(f"{short_money(value)} at stake" if kind == "risk" else f"{short_money(value)} expansion")
    parts.append(top.title)
    return " · ".join(parts)


async def build_for(
    session: AsyncSession,
    principal: Principal,
    scope: access.ScopeName | None,
    owner_id: uuid.UUID | None,
    kind: str | None,
    page: int,
    page_size: int,
) -> QueuePage:
    """The queue a caller reads: one owner's, else the ``scope`` asked for (``mine``, ``team``
    or ``all``; by default a CSM's own, a leader's team's, everyone's for others:
    ``access.resolve_scope``), never beyond what the caller may read."""
    listed = await access.resolve_scope(session, principal, scope, names_owner=owner_id is not None)
    return await build(session, owner_id, kind, page, page_size, scope=listed)


@dataclass
class Ranked:
    """Every item of a queue in rank order, before a page is cut and dressed: what totals and
    counts over the whole queue read (the leadership overview, the team view)."""

    items: list[QueueItem]
    facts: dict[Any, Any]
    probability_source: str
    today: date


async def ranked(
    session: AsyncSession,
    owner_id: uuid.UUID | None,
    kind: str | None,
    *,
    scope: access.ListScope = access.EVERY_ACCOUNT,
) -> Ranked:
    """Every item of the queue (one owner's, else the scope's; ``kind``: risks or
    opportunities only), ranked, without the play and context a page carries."""
    today = scoring.today()
    body = (await scoring.load_active(session)).body
    floor = SEVERITY_ORDER[body.alerts.queue_min_severity.value]
    probability_curve, probability_source = await calibration.probability_curve(session, body)
    rows = await repository.active_alerts(session, today, owner_id, scope.params())
    by_account: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for r in rows:
        by_account[r["id"]].append(r)
    items: list[QueueItem] = []
    for group in by_account.values():
        first = group[0]
        renewal: date | None = first["renewal_date"]
        account = QueueAccount(
            id=first["id"],
            name=first["name"],
            owner_id=first["owner_id"],
            owner_name=first["owner_name"],
            owner_email=first["owner_email"],
            segment=first["segment"],
            arr=first["arr"],
            health_score=first["health_score"],
            band=first["band"],
            quadrant=first["quadrant"],
            renewal_date=renewal,
            days_to_renewal=(renewal - today).days if renewal else None,
        )
        probability = risk.churn_probability(probability_curve, account.health_score)
        saveable = risk.saveable_fraction(account.days_to_renewal)
        for item_kind in ("risk", "opportunity"):
            alerts = [g for g in group if (g["rule"] in ranking.OPPORTUNITY_RULES) == (item_kind == "opportunity")]
            # noise control: an item needs one alert at or above the config's severity floor
            if not alerts or (kind and kind != item_kind) or min(SEVERITY_ORDER[g["severity"]] for g in alerts) > floor:
                continue
            alerts.sort(key=lambda g: (SEVERITY_ORDER[g["severity"]], -g["opened_at"].timestamp()))
            listed = [
                QueueAlert(
                    id=g["alert_id"],
                    rule=g["rule"],
                    severity=g["severity"],
                    status="open" if g["alert_status"] == "snoozed" else g["alert_status"],
                    title=g["title"],
                    opened_at=g["opened_at"],
                    facts=g["facts"] or {},
                )
                for g in alerts
            ]
            value = (
                risk.at_stake(account.arr, probability, account.days_to_renewal)
                if item_kind == "risk"
                else ranking.expected_expansion(account.arr, probability)
            )
            items.append(
                QueueItem(
                    kind=item_kind,  # type: ignore[arg-type]
                    rank=0,
                    value=value,
                    churn_probability=probability,
                    saveable_fraction=saveable,
                    reason=reason(item_kind, account, value, listed[0]),
                    account=account,
                    alerts=listed,
                    freshest_signal_at=max(g["seen_at"] for g in alerts),
                )
            )
    # Risks first by ARR at stake, then opportunities by expected expansion; ties: freshest signal.
    items.sort(key=lambda i: (i.kind != "risk", -round(i.value, 2), -i.freshest_signal_at.timestamp()))
    for n, item in enumerate(items, 1):
        item.rank = n
    return Ranked(items, {r["alert_id"]: r["facts"] for r in rows}, probability_source, today)


async def build(
    session: AsyncSession,
    owner_id: uuid.UUID | None,
    kind: str | None,
    page: int,
    page_size: int,
    *,
    scope: access.ListScope = access.EVERY_ACCOUNT,
) -> QueuePage:
    """A page of the queue, its items with their play and the account's context; the totals
    are over every item of the queue, not the page."""
    queue = await ranked(session, owner_id, kind, scope=scope)
    items = queue.items
    start = (page - 1) * page_size
    shown = items[start : start + page_size]
    if shown:
        await _attach(session, shown, queue.facts, queue.today)
    return QueuePage(
        items=shown,
        total=len(items),
        total_at_stake=sum(i.value for i in items if i.kind == "risk"),
        total_expansion=sum(i.value for i in items if i.kind == "opportunity"),
        page=page,
        page_size=page_size,
        probability_source=queue.probability_source,
        scope=scope.name,
    )


async def _attach(session: AsyncSession, shown: list[QueueItem], facts: dict[Any, Any], today: date) -> None:
    """The play and the context of the items of the page shown (drafting reads the account)."""
    ids = list({i.account.id for i in shown})
    library = await playbooks.list_playbooks(session)
    runs = await repository.active_runs(session, ids)
    tickets = await support_tickets.open_tickets(session, ids, today)
    people, touches, rest = await repository.context_rows(session, ids, today)
    for item in shown:
        open_tickets = tickets.get(item.account.id, [])
        item.play = await _play(session, library, item, facts, runs, open_tickets)
        item.context = context_of(
            open_tickets, people[item.account.id], touches[item.account.id], rest[item.account.id]
        )


def context_of(
    tickets: list[dict[str, Any]], people: list[dict[str, Any]], touches: list[dict[str, Any]], rest: dict[str, Any]
) -> QueueContext:
    now, before = rest["user_days"], rest["prev_user_days"]
    weeks = rest["weeks"] or []
    return QueueContext(
        open_tickets=tickets[0]["open_count"] if tickets else 0,
        tickets=[ContextTicket.model_validate(t) for t in tickets],
        stakeholders=[ContextPerson.model_validate(p) for p in people],
        last_touches=[ContextTouch.model_validate(t) for t in touches],
        usage=ContextUsage(
            weeks=[w["week"] for w in weeks],
            active_users=[round(w["users"]) for w in weeks],
            change=round((now - before) / before, 3) if now is not None and before else None,
        ),
        contract=ContextContract.model_validate(rest),
    )


async def _play(
    session: AsyncSession,
    library: list[Playbook],
    item: QueueItem,
    facts: dict[Any, Any],
    runs: dict[tuple[Any, Any], dict[str, Any]],
    open_tickets: list[dict[str, Any]],
) -> SuggestedPlay | None:
    """The play of the item's most severe alert that has one (a play may be written for some
    bands only), drafted for the account."""
    band = item.account.band.value if item.account.band else None
    found = next(
        ((a, p) for a in item.alerts if (p := playbooks.suggest(library, a.rule, facts[a.id], band)) is not None),
        None,
    )
    if found is None:
        return None
    top, playbook = found
    try:
        alert = {"title": top.title, "rule": top.rule, "facts": facts[top.id]}
        drafted = await playbooks.draft(session, playbook, item.account.id, alert, open_tickets)
    except TemplateProblem:
        return None
    email = drafted["email"] or {}
    run = runs.get((playbook.id, item.account.id))
    return SuggestedPlay(
        running_run_id=run["run_id"] if run else None,
        running=RunProgress.model_validate(run) if run else None,
        playbook_id=playbook.id,
        key=playbook.key,
        name=playbook.name,
        alert_id=top.id,
        tasks=[t["title"] for t in drafted["tasks"]],
        task_assignees=[t["assignee_name"] for t in drafted["tasks"]],
        email_subject=email.get("subject"),
        email_body=email.get("body"),
        email_to=email.get("to"),
        email_to_name=email.get("to_name"),
    )
