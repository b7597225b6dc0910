"""SQL of the ``alert`` table, its only writer: the facts rules need beyond the snapshot,
firings of account rules, source alerts (``data_stale``), reading and the lifecycle; and the
reads behind alert precision (the active thresholds, the health history as it was)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.repository import WORKS_ON_SQL
from app.alerts.rules import AlertThresholds

LOOKUPS = text(
    """
    SELECT a.id, a.name, hb.health_score AS health_before, r.renewal_date, r.arr_up_for_renewal,
           m.from_quadrant, m.to_quadrant, m.moved_on
    FROM account a
    LEFT JOIN LATERAL (
        SELECT s.health_score FROM health_snapshot s
        WHERE s.account_id = a.id AND s.as_of <= CAST(:before AS date)
        ORDER BY s.as_of DESC LIMIT 1
    ) hb ON true
    LEFT JOIN LATERAL (
        SELECT renewal_date, arr_up_for_renewal FROM renewal
        WHERE account_id = a.id AND outcome IS NULL AND renewal_date >= CAST(:d AS date) AND term <> 'monthly'
        ORDER BY renewal_date LIMIT 1
    ) r ON true
    LEFT JOIN LATERAL (
        SELECT from_quadrant, to_quadrant, moved_on FROM quadrant_move
        WHERE account_id = a.id AND moved_on <= CAST(:d AS date)
        ORDER BY moved_on DESC LIMIT 1
    ) m ON true
    WHERE a.id = ANY(CAST(:ids AS uuid[]))
    """
)


async def lookups(session: AsyncSession, ids: Sequence[uuid.UUID], as_of: date, before: date) -> dict[uuid.UUID, Any]:
    rows = await session.execute(LOOKUPS, {"ids": list(ids), "d": as_of, "before": before})
    return {r.id: r for r in rows}


async def write_firings(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    rules: Sequence[str],
    firings: Sequence[tuple[uuid.UUID, str, str, str, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Open (or refresh) one alert per (rule, account) that fired; resolve the ones that did not.

    A snoozed alert whose snooze has passed opens again; acknowledged ones stay acknowledged.
    Returns the alerts opened now (not the refreshed ones).
    """
    opened: list[dict[str, Any]] = []
    if firings:
        result = await session.execute(
            text(
                """
                INSERT INTO alert (id, account_id, rule, severity, status, dedupe_key, title, facts, opened_at,
                                   last_evaluated_at)
                SELECT gen_random_uuid(), a, r, sev, 'open', r || ':' || a::text, t, CAST(f AS jsonb), now(), now()
                FROM unnest(CAST(:a AS uuid[]), CAST(:r AS text[]), CAST(:sev AS text[]), CAST(:t AS text[]),
                            CAST(:f AS text[])) AS x(a, r, sev, t, f)
                ON CONFLICT (dedupe_key) WHERE status <> 'resolved' DO UPDATE SET
                    severity = excluded.severity, title = excluded.title, facts = excluded.facts,
                    last_evaluated_at = now(),
                    status = CASE WHEN alert.status = 'snoozed' AND alert.snoozed_until <= now() THEN 'open'
                                  ELSE alert.status END
                RETURNING id, account_id, rule, severity, title, facts, (xmax = 0) AS inserted
                """
            ),
            {
                "a": [f[0] for f in firings],
                "r": [f[1] for f in firings],
                "sev": [f[2] for f in firings],
                "t": [f[3] for f in firings],
                "f": [json.dumps(f[4], default=str) for f in firings],
            },
        )
        opened = [dict(r) for r in result.mappings() if r["inserted"]]
    await session.execute(
        text(
            """
            UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_reason = 'condition cleared',
                             last_evaluated_at = now()
            WHERE account_id = ANY(CAST(:ids AS uuid[])) AND rule = ANY(CAST(:rules AS text[]))
              AND status <> 'resolved' AND NOT (dedupe_key = ANY(CAST(:keep AS text[])))
            """
        ),
        {"ids": list(ids), "rules": list(rules), "keep": [f"{f[1]}:{f[0]}" for f in firings]},
    )
    return opened


# -- reading alerts ------------------------------------------------------------------------

# what the caller reads (``app.accounts.access.ReadScope.params``); alerts on no account: everyone
_SCOPE = WORKS_ON_SQL

COUNT = text(
    f"""
    SELECT count(*) FROM alert al LEFT JOIN account a ON a.id = al.account_id
    WHERE (CAST(:status AS text) = 'all'
           OR (CAST(:status AS text) = 'active' AND al.status <> 'resolved')
           OR al.status = CAST(:status AS text))
      AND (CAST(:rule AS text) IS NULL OR al.rule = :rule)
      AND (CAST(:severity AS text) IS NULL OR al.severity = :severity)
      AND (CAST(:account_id AS uuid) IS NULL OR al.account_id = :account_id)
      AND (CAST(:owner_id AS uuid) IS NULL OR a.owner_id = :owner_id)
      AND (al.account_id IS NULL OR {_SCOPE})
    """  # noqa: S608 - WORKS_ON_SQL is a constant; values are bound
)

LIST = text(
    f"""
    SELECT al.*, a.name AS account_name, a.owner_id, coalesce(a.current_arr, a.declared_arr)::float8 AS arr
    FROM alert al LEFT JOIN account a ON a.id = al.account_id
    WHERE (CAST(:status AS text) = 'all'
           OR (CAST(:status AS text) = 'active' AND al.status <> 'resolved')
           OR al.status = CAST(:status AS text))
      AND (CAST(:rule AS text) IS NULL OR al.rule = :rule)
      AND (CAST(:severity AS text) IS NULL OR al.severity = :severity)
      AND (CAST(:account_id AS uuid) IS NULL OR al.account_id = :account_id)
      AND (CAST(:owner_id AS uuid) IS NULL OR a.owner_id = :owner_id)
      AND (al.account_id IS NULL OR {_SCOPE})
    ORDER BY CASE al.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, al.opened_at DESC, al.id
    LIMIT :limit OFFSET :offset
    """  # noqa: S608 - WORKS_ON_SQL is a constant; values are bound
)

ONE = text(
    """
    SELECT al.*, a.name AS account_name, a.owner_id, coalesce(a.current_arr, a.declared_arr)::float8 AS arr
    FROM alert al LEFT JOIN account a ON a.id = al.account_id
    WHERE al.id = :id
    """
)


OF_ACCOUNTS = text(
    """
    SELECT al.*, a.name AS account_name, a.owner_id, coalesce(a.current_arr, a.declared_arr)::float8 AS arr
    FROM alert al JOIN account a ON a.id = al.account_id
    WHERE al.account_id = ANY(CAST(:ids AS uuid[])) AND al.status <> 'resolved'
    ORDER BY al.account_id, CASE al.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, al.opened_at DESC, al.id
    """
)


async def active_of_accounts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The alerts not resolved of several accounts, in the list's order (severity, newest)."""
    out: dict[uuid.UUID, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for row in (await session.execute(OF_ACCOUNTS, {"ids": list(ids)})).mappings():
            out[row["account_id"]].append(dict(row))
    return out


async def count(session: AsyncSession, params: dict[str, Any]) -> int:
    return int(await session.scalar(COUNT, params) or 0)


async def page(session: AsyncSession, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in (await session.execute(LIST, params)).mappings()]


async def one(session: AsyncSession, alert_id: uuid.UUID) -> dict[str, Any] | None:
    row = (await session.execute(ONE, {"id": alert_id})).mappings().first()
    return dict(row) if row is not None else None


# -- lifecycle -----------------------------------------------------------------------------


async def acknowledge(session: AsyncSession, alert_id: uuid.UUID, user_id: uuid.UUID | None) -> None:
    await session.execute(
        text(
            "UPDATE alert SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by_id = :user, "
            "snoozed_until = NULL WHERE id = :id"
        ),
        {"id": alert_id, "user": user_id},
    )


async def snooze(session: AsyncSession, alert_id: uuid.UUID, until: datetime) -> None:
    await session.execute(
        text("UPDATE alert SET status = 'snoozed', snoozed_until = :until WHERE id = :id"),
        {"id": alert_id, "until": until},
    )


async def resolve(session: AsyncSession, alert_id: uuid.UUID, reason: str) -> None:
    await session.execute(
        text("UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_reason = :reason WHERE id = :id"),
        {"id": alert_id, "reason": reason},
    )


# -- source alerts (no account) -------------------------------------------------------------

_OPEN_SOURCE_ALERT = text("""
INSERT INTO alert (id, rule, severity, status, dedupe_key, title, facts, opened_at, signal_at, last_evaluated_at)
VALUES (gen_random_uuid(), :rule, :severity, 'open', :key, :title, CAST(:facts AS jsonb), now(),
        :signal_at, now())
ON CONFLICT (dedupe_key) WHERE status <> 'resolved'
DO UPDATE SET facts = excluded.facts, last_evaluated_at = now()
RETURNING id, account_id, rule, severity, title, facts, (xmax = 0) AS inserted
""")
_RESOLVE_SOURCE_ALERT = text("""
UPDATE alert SET status = 'resolved', resolved_at = now(), resolved_reason = :reason, last_evaluated_at = now()
WHERE dedupe_key = :key AND status <> 'resolved'
""")


async def open_source_alert(
    session: AsyncSession,
    *,
    rule: str,
    severity: str,
    key: str,
    title: str,
    facts: dict[str, Any],
    signal_at: datetime | None,
) -> dict[str, Any] | None:
    """Open the alert with this dedupe key, or refresh the facts of the one already open;
    the alert when this opened it (None: it was open already)."""
    row = (
        (
            await session.execute(
                _OPEN_SOURCE_ALERT,
                {
                    "rule": rule,
                    "severity": severity,
                    "key": key,
                    "title": title,
                    "facts": json.dumps(facts, default=str),
                    "signal_at": signal_at,
                },
            )
        )
        .mappings()
        .one()
    )
    return dict(row) if row["inserted"] else None


async def resolve_by_key(session: AsyncSession, key: str, reason: str) -> int:
    """Resolve the open alert with this dedupe key; returns 1 if there was one."""
    result = await session.execute(_RESOLVE_SOURCE_ALERT, {"key": key, "reason": reason})
    return int(getattr(result, "rowcount", 0) or 0)


# -- thresholds and the back-test of alert precision (``app.alerts.precision``) --------------

# The scoring config embeds the thresholds (``app.scoring`` imports ``app.alerts.rules``), so
# alerts read the active version's ``alerts`` here rather than through ``app.scoring``.
ACTIVE_THRESHOLDS = text("SELECT version, body -> 'alerts' AS alerts FROM scoring_config WHERE is_active")


async def active_thresholds(session: AsyncSession) -> tuple[int, AlertThresholds]:
    """The active config version and its alert thresholds (version 0 and the defaults before
    any config exists: scoring activates the default config on its first pass)."""
    row = (await session.execute(ACTIVE_THRESHOLDS)).first()
    if row is None:
        return 0, AlertThresholds()
    return row.version, AlertThresholds.model_validate(row.alerts or {})


BACKTEST_ACCOUNTS = text(
    """
    SELECT a.id FROM account a
    WHERE EXISTS (SELECT 1 FROM health_snapshot s
                  WHERE s.account_id = a.id AND s.as_of BETWEEN CAST(:start AS date) AND CAST(:end AS date))
    ORDER BY a.id
    """
)


async def backtest_accounts(session: AsyncSession, start: date, end: date) -> list[uuid.UUID]:
    """Accounts with a snapshot dated from ``start`` to ``end``."""
    return list((await session.scalars(BACKTEST_ACCOUNTS, {"start": start, "end": end})).all())


# Each account's snapshots from the one before ``start`` (whether a rule fired on it tells an
# onset at ``start`` from a condition already running) up to ``end``, each with:
# - what the rules read as it was on its date: raw inputs, health ``drop_days`` earlier, the
#   latest quadrant move, the next renewal (whatever its outcome is now);
# - what followed it in the ``follow_days`` after it: its lowest health on any snapshot (up to
#   ``until``), and the kinds of churn, contraction and expansion movements.
# The window runs on the narrow series (the later snapshots are read, not sent); the wide rows
# are joined after it.
BACKTEST_SNAPSHOTS = text(
    """
    WITH since AS (
        SELECT x.id AS account_id,
               coalesce((SELECT max(p.as_of) FROM health_snapshot p
                         WHERE p.account_id = x.id AND p.as_of < CAST(:start AS date)),
                        CAST(:start AS date)) AS since
        FROM unnest(CAST(:ids AS uuid[])) AS x(id)
    ), series AS (
        SELECT s.account_id, s.as_of,
               min(s.health_score) OVER (
                   PARTITION BY s.account_id ORDER BY s.as_of
                   RANGE BETWEEN INTERVAL '1 day' FOLLOWING AND CAST(:follow AS interval) FOLLOWING
               ) AS lowest_after
        FROM since
        JOIN health_snapshot s ON s.account_id = since.account_id
             AND s.as_of >= since.since AND s.as_of <= CAST(:until AS date)
    )
    SELECT s.account_id, s.as_of, s.health_score, s.quadrant, s.inputs, series.lowest_after,
           hb.health_score AS health_before, r.renewal_date, r.arr_up_for_renewal::float8 AS arr_up_for_renewal,
           m.from_quadrant, m.to_quadrant, m.moved_on, coalesce(mv.kinds, '{}') AS kinds_after
    FROM series
    JOIN health_snapshot s ON s.account_id = series.account_id AND s.as_of = series.as_of
    LEFT JOIN LATERAL (
        SELECT b.health_score FROM health_snapshot b
        WHERE b.account_id = s.account_id AND b.as_of <= s.as_of - CAST(:drop_days AS integer)
        ORDER BY b.as_of DESC LIMIT 1
    ) hb ON true
    LEFT JOIN LATERAL (
        SELECT n.renewal_date, n.arr_up_for_renewal FROM renewal n
        WHERE n.account_id = s.account_id AND n.renewal_date >= s.as_of AND n.term <> 'monthly'
        ORDER BY n.renewal_date LIMIT 1
    ) r ON true
    LEFT JOIN LATERAL (
        SELECT q.from_quadrant, q.to_quadrant, q.moved_on FROM quadrant_move q
        WHERE q.account_id = s.account_id AND q.moved_on <= s.as_of
        ORDER BY q.moved_on DESC LIMIT 1
    ) m ON true
    LEFT JOIN LATERAL (
        SELECT array_agg(DISTINCT v.kind) AS kinds FROM arr_movement v
        WHERE v.account_id = s.account_id AND v.kind IN ('churn', 'contraction', 'expansion')
          AND v."on" > s.as_of AND v."on" <= s.as_of + CAST(:follow_days AS integer)
    ) mv ON true
    WHERE series.as_of <= CAST(:end AS date)
    ORDER BY s.account_id, s.as_of
    """
)


async def backtest_snapshots(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    *,
    start: date,
    end: date,
    until: date,
    drop_days: int,
    follow_days: int,
) -> AsyncIterator[list[Any]]:
    """``BACKTEST_SNAPSHOTS`` of these accounts, one account's rows at a time (in date
    order): streamed, so memory holds one account's raw inputs, not the chunk's."""
    params = {
        "ids": list(ids),
        "start": start,
        "end": end,
        "until": until,
        "drop_days": drop_days,
        "follow_days": follow_days,
        "follow": timedelta(days=follow_days),
    }
    result = await session.stream(BACKTEST_SNAPSHOTS, params)
    rows: list[Any] = []
    async for row in result:
        if rows and row.account_id != rows[0].account_id:
            yield rows
            rows = []
        rows.append(row)
    if rows:
        yield rows
