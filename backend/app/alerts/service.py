"""Alerts: evaluating the account rules for accounts on a date (after scoring today: see
``app.flows.scoring_pass``, which starts plays and notifications for what opens), source
alerts, the list, and the lifecycle a person drives (acknowledge, snooze, resolve)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.alerts import repository as repo
from app.alerts.rules import AccountFacts, AlertThresholds, evaluate, rule_names
from app.alerts.schemas import AlertPublic, AlertsPage, as_utc
from app.audit.service import record
from app.auth.service import Principal
from app.core.enums import Quadrant, Severity
from app.core.errors import BadPayload, Conflict, NotFound
from app.core.models import utcnow


@dataclass
class Evaluation:
    """What one evaluation did: how many rules fired, which alerts opened (new rows as
    dicts), and the name of each account evaluated."""

    fired: int = 0
    opened: list[dict[str, Any]] = field(default_factory=list)
    names: dict[uuid.UUID, str] = field(default_factory=dict)


async def evaluate_accounts(
    session: AsyncSession,
    as_of: date,
    scored: Sequence[tuple[uuid.UUID, dict[str, dict[str, Any]], float | None, Quadrant | None]],
    absent: Sequence[uuid.UUID],
    thresholds: AlertThresholds,
) -> Evaluation:
    """Open, refresh or resolve every account rule's alert for these accounts.

    ``scored`` is (account, raw inputs, health score, quadrant) of today's snapshots;
    accounts in ``absent`` are not customers today: all their account alerts resolve.
    """
    ids = [s[0] for s in scored]
    looked = await repo.lookups(session, ids, as_of, as_of - timedelta(days=thresholds.health_drop_days))
    firings = []
    for account_id, inputs, health, quadrant in scored:
        row = looked.get(account_id)
        if row is None:
            continue
        facts = AccountFacts(
            account_id=account_id,
            name=row.name,
            as_of=as_of,
            inputs=inputs,
            health=health,
            health_before=row.health_before,
            quadrant=quadrant,
            last_move=(
                (Quadrant(row.from_quadrant) if row.from_quadrant else None, Quadrant(row.to_quadrant), row.moved_on)
                if row.to_quadrant
                else None
            ),
            next_renewal=(row.renewal_date, float(row.arr_up_for_renewal)) if row.renewal_date else None,
        )
        for fired in evaluate(facts, thresholds):
            firings.append((account_id, fired.rule, fired.severity.value, fired.title, fired.facts))
    opened = await repo.write_firings(session, [*ids, *absent], rule_names(thresholds), firings)
    names = {s[0]: looked[s[0]].name for s in scored if s[0] in looked}
    return Evaluation(fired=len(firings), opened=opened, names=names)


async def list_alerts(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str,
    rule: str | None,
    severity: Severity | None,
    account_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    page: int,
    page_size: int,
) -> AlertsPage:
    """Newest first within severity (high first)."""
    items, total = await window(
        session,
        principal,
        status=status,
        rule=rule,
        severity=severity,
        account_id=account_id,
        owner_id=owner_id,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return AlertsPage(items=items, total=total, page=page, page_size=page_size)


async def window(
    session: AsyncSession,
    principal: Principal,
    *,
    status: str,
    rule: str | None,
    severity: Severity | None,
    account_id: uuid.UUID | None,
    owner_id: uuid.UUID | None,
    offset: int,
    limit: int,
) -> tuple[list[AlertPublic], int]:
    """``limit`` alerts from ``offset`` in ``list_alerts``' order, and how many there are."""
    params = {
        "status": status,
        "rule": rule,
        "severity": severity.value if severity else None,
        "account_id": account_id,
        "owner_id": owner_id,
        "limit": limit,
        "offset": offset,
        **access.read_scope(principal).params(),
    }
    total = await repo.count(session, params)
    return [AlertPublic.model_validate(r) for r in await repo.page(session, params)], total


async def active_of(session: AsyncSession, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[AlertPublic]]:
    """The active (not resolved) alerts of accounts the caller has read already."""
    rows = await repo.active_of_accounts(session, account_ids)
    return {a: [AlertPublic.model_validate(r) for r in found] for a, found in rows.items()}


async def get(session: AsyncSession, alert_id: uuid.UUID) -> AlertPublic:
    row = await repo.one(session, alert_id)
    if row is None:
        raise NotFound(f"No alert {alert_id}")
    return AlertPublic.model_validate(row)


async def _writable(session: AsyncSession, principal: Principal, alert_id: uuid.UUID) -> dict[str, Any]:
    """The caller may act on this alert (``access``: its account's people; an alert about a
    data source, on no account, is for leaders and admins) and it is not resolved: its row."""
    row = await repo.one(session, alert_id)
    if row is None:
        raise NotFound(f"No alert {alert_id}")
    if row["account_id"] is None:
        access.require_every_account(principal, "Only leaders and admins act on alerts about a data source")
    else:
        await access.require_write(session, principal, row["account_id"], missing=f"No alert {alert_id}")
    if row["status"] == "resolved":
        raise Conflict("The alert is resolved; a new one opens if its condition returns")
    return row


async def acknowledge(session: AsyncSession, principal: Principal, alert_id: uuid.UUID) -> AlertPublic:
    await _writable(session, principal, alert_id)
    await repo.acknowledge(session, alert_id, principal.user_id)
    record(session, principal.actor, "alert.acknowledge", "alert", alert_id)
    return await get(session, alert_id)


async def snooze(
    session: AsyncSession, principal: Principal, alert_id: uuid.UUID, until: datetime | None = None
) -> AlertPublic:
    """Snooze until ``until``; without it, for the rule's snooze days in the active config."""
    now = utcnow()
    if until is not None:
        until = as_utc(until)
        if until <= now or until > now + timedelta(days=366):
            raise BadPayload("until must be in the future and at most a year ahead")
    row = await _writable(session, principal, alert_id)
    details: dict[str, Any] = {}
    if until is None:
        _, thresholds = await repo.active_thresholds(session)
        days = thresholds.snooze_for(row["rule"])
        until, details = now + timedelta(days=days), {"days": days}
    await repo.snooze(session, alert_id, until)
    record(session, principal.actor, "alert.snooze", "alert", alert_id, {"until": until.isoformat(), **details})
    return await get(session, alert_id)


async def resolve(session: AsyncSession, principal: Principal, alert_id: uuid.UUID, reason: str | None) -> AlertPublic:
    await _writable(session, principal, alert_id)
    await repo.resolve(session, alert_id, reason or "resolved by hand")
    record(session, principal.actor, "alert.resolve", "alert", alert_id, {"reason": reason})
    return await get(session, alert_id)


# -- source alerts ---------------------------------------------------------------------------


async def raise_data_stale(
    session: AsyncSession, source: str, title: str, facts: dict[str, Any], last_received_at: datetime | None
) -> dict[str, Any] | None:
    """One open ``data_stale`` alert per source (dedupe key ``data_stale:<source>``); the
    alert when this call opened it."""
    return await repo.open_source_alert(
        session,
        rule="data_stale",
        severity=Severity.medium.value,
        key=f"data_stale:{source}",
        title=title,
        facts=facts,
        signal_at=last_received_at,
    )


async def clear_data_stale(session: AsyncSession, source: str) -> int:
    return await repo.resolve_by_key(session, f"data_stale:{source}", "source sent data again")
