"""Build the ranked queue: every account with active alerts, ranked by ARR at stake."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.auth.service import Principal
from app.core.enums import Role
from app.core.format import score, short_money
from app.playbooks import service as playbooks
from app.playbooks.models import Playbook
from app.playbooks.templating import TemplateProblem
from app.queue import ranking, repository
from app.queue.schemas import QueueAccount, QueueAlert, QueueItem, QueuePage, SuggestedPlay
from app.scoring import calibration, risk
from app.scoring import service as scoring


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
    scope: str | None,
    owner_id: uuid.UUID | None,
    kind: str | None,
    page: int,
    page_size: int,
) -> QueuePage:
    """The queue a caller reads (``access``: a CSM who does not read the whole book sees the
    accounts they own or are on the team of): one owner's, else ``mine`` (the caller's own; the
    default for CSMs) or ``all`` (the default for others)."""
    if owner_id is None:
        mine = scope == "mine" or (scope is None and principal.role == Role.csm)
        owner_id = principal.user_id if mine else None
    return await build(session, owner_id, kind, page, page_size, scope=access.read_scope(principal))


async def build(
    session: AsyncSession,
    owner_id: uuid.UUID | None,
    kind: str | None,
    page: int,
    page_size: int,
    *,
    scope: access.ReadScope = access.WHOLE_BOOK,
) -> QueuePage:
    today = scoring.today()
    body = (await scoring.load_active(session)).body
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
        severity_order = {"high": 0, "medium": 1, "low": 2}
        for item_kind in ("risk", "opportunity"):
            alerts = [g for g in group if (g["rule"] in ranking.OPPORTUNITY_RULES) == (item_kind == "opportunity")]
            if not alerts or (kind and kind != item_kind):
                continue
            alerts.sort(key=lambda g: (severity_order[g["severity"]], -g["opened_at"].timestamp()))
            listed = [
                QueueAlert(
                    id=g["alert_id"],
                    rule=g["rule"],
                    severity=g["severity"],
                    status="open" if g["alert_status"] == "snoozed" else g["alert_status"],
                    title=g["title"],
                    opened_at=g["opened_at"],
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
    start = (page - 1) * page_size
    shown = items[start : start + page_size]
    facts = {r["alert_id"]: r["facts"] for r in rows}
    library = await playbooks.list_playbooks(session) if shown else []
    for item in shown:  # the play for the page shown only: drafting reads the account
        item.play = await _play(session, library, item, facts[item.alerts[0].id])
    return QueuePage(
        items=shown,
        total=len(items),
        total_at_stake=sum(i.value for i in items if i.kind == "risk"),
        page=page,
        page_size=page_size,
        probability_source=probability_source,
    )


async def _play(
    session: AsyncSession, library: list[Playbook], item: QueueItem, facts: dict[str, Any]
) -> SuggestedPlay | None:
    top = item.alerts[0]
    playbook = playbooks.suggest(library, top.rule, facts)
    if playbook is None:
        return None
    try:
        drafted = await playbooks.draft(
            session, playbook, item.account.id, {"title": top.title, "rule": top.rule, "facts": facts}
        )
    except TemplateProblem:
        return None
    email = drafted["email"] or {}
    running = await repository.active_run_id(session, playbook.id, item.account.id)
    return SuggestedPlay(
        running_run_id=running,
        playbook_id=playbook.id,
        key=playbook.key,
        name=playbook.name,
        tasks=[t["title"] for t in drafted["tasks"]],
        email_subject=email.get("subject"),
        email_body=email.get("body"),
    )
