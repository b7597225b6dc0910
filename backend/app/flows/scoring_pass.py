"""A scoring pass and what follows it: today's scores open or resolve alerts, a newly
opened alert starts the play its rule triggers and is sent to the notification channels.

Every way of scoring (the daily run, backfills, a rescore seconds after a signal, the CLI)
goes through the functions here, so the reactions are the same whichever started it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts import service as alerts
from app.notifications import service as notifications
from app.playbooks import service as playbooks
from app.scoring import runs
from app.scoring import service as scoring

log = logging.getLogger(__name__)


async def react(session: AsyncSession, today: scoring.ScoredToday) -> alerts.Evaluation:
    """Alerts for today's scores, then plays and notifications for the alerts that opened."""
    evaluation = await alerts.evaluate_accounts(
        session, today.as_of, today.scored, today.absent, today.config.body.alerts
    )
    if evaluation.opened:
        started = await playbooks.start_for_new_alerts(session, evaluation.opened)
        for alert in evaluation.opened:
            name = evaluation.names.get(alert["account_id"])
            await notifications.emit(session, "alert.opened", notifications.alert_payload(alert, name))
            log.debug(
                "alert opened: %s",
                alert["rule"],
                extra={"account_id": str(alert["account_id"]), "rule": alert["rule"], "severity": alert["severity"]},
            )
        log.info("%d alerts opened, %d plays started", len(evaluation.opened), started)
    return evaluation


async def score(
    session: AsyncSession, ids: Sequence[uuid.UUID], dates: Sequence[date], config: scoring.ActiveConfig
) -> int:
    """Score ``ids`` on ``dates``; reactions follow when one of them is today."""
    return await scoring.score_accounts(session, ids, dates, config, react=react)


async def rescore(session: AsyncSession, since: dict[uuid.UUID, date]) -> int:
    """Rescore accounts touched by signals (each from its earliest signal date to today)."""
    return await scoring.rescore(session, since, react=react)


async def work_run(run_id: uuid.UUID, progress: Callable[[runs.ShardResult], None] | None = None) -> int:
    """Work shards of a scoring run; shards that score today react in their transaction."""
    return await runs.work_run(run_id, react=react, progress=progress)


async def start_history(requested_by: str) -> uuid.UUID | None:
    """First scores of a fresh book (today now, history in the background)."""
    return await runs.start_history(requested_by, react=react)
