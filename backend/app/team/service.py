"""The team view: coverage per CSM of a leader's team (or everyone's), with the change over
30 days, and reassigning accounts between owners."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.accounts import service as accounts
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.models import utcnow
from app.queue import service as queue
from app.scoring import calibration, risk
from app.scoring import service as scoring
from app.team import repository
from app.team.schemas import ReassignIn, ReassignResult, TeamDefinitions, TeamRow, TeamScope, TeamView

TREND_DAYS = 30

DEFINITIONS = TeamDefinitions(
    accounts="Active accounts the person owns, within the scope.",
    arr="Σ current ARR of those accounts (declared ARR where no subscription data exists).",
    at_risk_arr=(
        "Revenue at risk of those accounts: Σ ARR x churn probability(health) x saveable fraction(days to "
        "the next term renewal), the same figure as the Leadership page and the queue."
    ),
    touched_share=(
        "Share of those accounts with at least one touchpoint (call, email, meeting, QBR or note, by anyone) "
        "in the last 30 days."
    ),
    overdue_tasks=(
        "Open tasks due before today on those accounts, whoever they are assigned to "
        "(tasks assigned to the person on other accounts are not counted)."
    ),
    open_alerts="Active alerts on those accounts: open, acknowledged, or snoozed with the snooze over.",
    queue_items="Items in the Today queue for those accounts (risks and opportunities).",
    trend=(
        "Change over 30 days: revenue at risk against the same accounts and ARR valued with the health score "
        "each had 30 days ago and days to renewal counted from then; touched share against touches in the "
        "30 days before that."
    ),
)


async def scope_accounts(session: AsyncSession, scope: access.ListScope) -> set[uuid.UUID] | None:
    """The active accounts of a list's scope; None when it is every account."""
    if scope.condition() is None:
        return None
    return set(await repository.scope_accounts(session, scope.params()))


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _change(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else now - then


async def team_view(session: AsyncSession, principal: Principal, requested: TeamScope | None) -> TeamView:
    """One row per active CSM of the scope (a leader's team, or everyone), one per anybody
    else owning accounts in it, one for the accounts nobody owns; the totals; definitions."""
    scope = await access.resolve_scope(session, principal, requested)
    params = scope.params()
    now = utcnow()
    today = scoring.today()
    then = today - timedelta(days=TREND_DAYS)

    owner_of = await repository.scope_accounts(session, params)
    stakes, source = await risk.accounts_at_stake(
        session, accounts=None if scope.condition() is None else set(owner_of)
    )
    at_risk: defaultdict[uuid.UUID | None, float] = defaultdict(float)
    for s in stakes:
        at_risk[owner_of.get(s.id)] += s.at_stake

    body = (await scoring.load_active(session)).body
    curve, _ = await calibration.probability_curve(session, body)
    at_risk_then: defaultdict[uuid.UUID | None, float] = defaultdict(float)
    for r in await repository.risk_inputs_as_of(session, then, params):
        p = risk.churn_probability(curve, r["health_score"])
        at_risk_then[r["owner_id"]] += risk.at_stake(r["arr"], p, r["days_to_renewal"])

    books = {b["owner_id"]: b for b in await repository.books(session, now, params)}
    overdue = await repository.overdue_tasks(session, today, params)
    alerts = await repository.active_alerts(session, params)
    items = Counter(i.account.owner_id for i in (await queue.ranked(session, None, None, scope=scope)).items)

    listed = [] if scope.name == "all" else [u for u in (scope.user_id, *scope.owners) if u is not None]
    owners = [o for o in books if o is not None]
    people = await repository.people(session, scope.name == "all", listed, owners)

    def row(user_id: uuid.UUID | None, person: dict[str, Any] | None) -> TeamRow:
        book = books.get(user_id, {})
        count = int(book.get("accounts", 0))
        touched, before = int(book.get("touched", 0)), int(book.get("touched_before", 0))
        share, share_then = _share(touched, count), _share(before, count)
        now_risk, then_risk = round(at_risk[user_id], 2), round(at_risk_then[user_id], 2)
        return TeamRow(
            user_id=user_id,
            name=person["name"] if person else None,
            email=person["email"] if person else None,
            role=person["role"] if person else None,
            is_active=bool(person["is_active"]) if person else True,
            lead_id=person["lead_id"] if person else None,
            lead_name=person["lead_name"] if person else None,
            accounts=count,
            arr=round(float(book.get("arr", 0.0)), 2),
            at_risk_arr=now_risk,
            at_risk_arr_30d_ago=then_risk,
            at_risk_change=round(now_risk - then_risk, 2),
            touched_accounts=touched,
            touched_accounts_30d_ago=before,
            touched_share=share,
            touched_share_30d_ago=share_then,
            touched_change=_change(share, share_then),
            overdue_tasks=overdue.get(user_id, 0),
            open_alerts=alerts.get(user_id, 0),
            queue_items=items.get(user_id, 0),
        )

    # CSMs first (by name), then anyone else who owns accounts here, then nobody's accounts
    ordered = sorted(people, key=lambda p: p["role"] != "csm")
    rows = [row(p["id"], p) for p in ordered]
    if None in books:
        rows.append(row(None, None))
    return TeamView(
        scope=scope.name,
        as_of=today,
        currency=get_settings().reporting_currency,
        probability_source=source,
        rows=rows,
        totals=_totals(rows),
        definitions=DEFINITIONS,
    )


def _totals(rows: Sequence[TeamRow]) -> TeamRow:
    count = sum(r.accounts for r in rows)
    touched = sum(r.touched_accounts for r in rows)
    before = sum(r.touched_accounts_30d_ago for r in rows)
    share, share_then = _share(touched, count), _share(before, count)
    now_risk = round(sum(r.at_risk_arr for r in rows), 2)
    then_risk = round(sum(r.at_risk_arr_30d_ago for r in rows), 2)
    return TeamRow(
        user_id=None,
        name="Total",
        email=None,
        role=None,
        is_active=True,
        lead_id=None,
        lead_name=None,
        accounts=count,
        arr=round(sum(r.arr for r in rows), 2),
        at_risk_arr=now_risk,
        at_risk_arr_30d_ago=then_risk,
        at_risk_change=round(now_risk - then_risk, 2),
        touched_accounts=touched,
        touched_accounts_30d_ago=before,
        touched_share=share,
        touched_share_30d_ago=share_then,
        touched_change=_change(share, share_then),
        overdue_tasks=sum(r.overdue_tasks for r in rows),
        open_alerts=sum(r.open_alerts for r in rows),
        queue_items=sum(r.queue_items for r in rows),
    )


async def reassign(session: AsyncSession, principal: Principal, payload: ReassignIn) -> ReassignResult:
    """Move accounts to a new owner through the accounts service (its checks and audit)."""
    moved, unchanged, missing = await accounts.reassign(session, principal, payload.account_ids, payload.owner_id)
    return ReassignResult(owner_id=payload.owner_id, moved=moved, unchanged=unchanged, missing=missing)
