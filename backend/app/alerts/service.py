"""Evaluate the account alert rules for accounts on a date (called by scoring for today)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts import repository as repo
from app.alerts.rules import AccountFacts, AlertThresholds, evaluate, rule_names
from app.core.enums import Quadrant
from app.notifications import service as notifications
from app.playbooks.service import start_for_new_alerts


async def evaluate_accounts(
    session: AsyncSession,
    as_of: date,
    scored: Sequence[tuple[uuid.UUID, dict[str, dict[str, Any]], float | None, Quadrant | None]],
    absent: Sequence[uuid.UUID],
    thresholds: AlertThresholds,
) -> int:
    """Open, refresh or resolve every account rule's alert for these accounts.

    ``scored`` is (account, raw inputs, health score, quadrant) of today's snapshots;
    accounts in ``absent`` are not customers today: all their account alerts resolve.
    Returns how many alerts fired.
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
    if opened:
        await start_for_new_alerts(session, opened)
        names = {s[0]: looked[s[0]].name for s in scored if s[0] in looked}
        for alert in opened:
            await notifications.emit(
                session, "alert.opened", notifications.alert_payload(alert, names.get(alert["account_id"]))
            )
    return len(firings)
