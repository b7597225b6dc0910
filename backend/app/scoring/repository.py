"""SQL of the scoring engine: raw inputs by component, previous quadrants, writing snapshots,
quadrant moves and each account's current health, which dates are stored; config versions;
rescore requests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.enums import Quadrant
from app.core.models import utcnow
from app.scoring.components import COMPONENTS
from app.scoring.config import ScoringConfigBody, default_body
from app.scoring.engine import Scores, num
from app.scoring.models import RescoreRequest, ScoringConfig

Inputs = dict[str, dict[str, Any]]


def day_end(as_of: date) -> datetime:
    """The first instant after ``as_of`` (UTC): signals count when strictly before it."""
    return datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=UTC)


async def fetch_inputs(session: AsyncSession, ids: Sequence[uuid.UUID], as_of: date) -> dict[uuid.UUID, Inputs]:
    """Every component's raw values for ``ids`` as of ``as_of``: one set-based query each."""
    out: dict[uuid.UUID, Inputs] = {i: {} for i in ids}
    if not ids:
        return out
    base = {"ids": list(ids), "as_of": as_of, "d_end": day_end(as_of)}
    for name, comp in COMPONENTS.items():
        rows = (await session.execute(text(comp.sql), {**base, **comp.params(as_of)})).mappings()
        for row in rows:
            values = {
                k: (float(v) if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v)
                for k, v in row.items()
            }
            account: uuid.UUID = row["account_id"]
            del values["account_id"]
            out[account][name] = values
    return out


async def tune_for_bulk_reads(session: AsyncSession) -> None:
    """For the rest of the transaction: large set-based reads sort in memory, and run without JIT
    (its compile time exceeds its gain here)."""
    await session.execute(text("SET LOCAL work_mem = '64MB'"))
    await session.execute(text("SET LOCAL jit = off"))


async def previous_quadrants(
    session: AsyncSession, ids: Sequence[uuid.UUID], before: date
) -> dict[uuid.UUID, Quadrant | None]:
    """The quadrant of each account's latest snapshot dated before ``before``."""
    if not ids:
        return {}
    rows = await session.execute(
        text(
            """
            SELECT a.id, p.quadrant
            FROM unnest(CAST(:ids AS uuid[])) AS a(id)
            LEFT JOIN LATERAL (
                SELECT s.quadrant FROM health_snapshot s
                WHERE s.account_id = a.id AND s.as_of < :before
                ORDER BY s.as_of DESC LIMIT 1
            ) p ON true
            """
        ),
        {"ids": list(ids), "before": before},
    )
    return {i: (Quadrant(q) if q else None) for i, q in rows}


async def write_snapshots(
    session: AsyncSession,
    ids: Sequence[uuid.UUID],
    as_of: date,
    config_version: int,
    scores: Scores,
    inputs: Sequence[Inputs],
) -> int:
    """Upsert one date's snapshots in one statement (arrays unnested server-side)."""
    if not ids:
        return 0

    def col_(values: Any) -> list[float | None]:
        return [num(v) for v in values]

    comps = scores.components
    params = {
        "account_id": list(ids),
        "as_of": [as_of] * len(ids),
        "config_version": [config_version] * len(ids),
        "usage": col_(comps["usage"].score),
        "support": col_(comps["support"].score) if "support" in comps else [None] * len(ids),
        "sentiment": col_(comps["sentiment"].score) if "sentiment" in comps else [None] * len(ids),
        "relationship": col_(comps["relationship"].score) if "relationship" in comps else [None] * len(ids),
        "commercial": col_(comps["commercial"].score) if "commercial" in comps else [None] * len(ids),
        "usage_axis": col_(scores.usage_axis),
        "health_axis": col_(scores.health_axis),
        "health_score": col_(scores.health_score),
        "band": [b.value if b else None for b in scores.band],
        "quadrant": [q.value if q else None for q in scores.quadrant],
        "coverage": [float(c) for c in scores.coverage],
        "arr": [float(i.get("commercial", {}).get("arr") or 0.0) for i in inputs],
        "inputs": [json.dumps(i, separators=(",", ":")) for i in inputs],
        "now": utcnow(),
    }
    await session.execute(
        text(
            """
            INSERT INTO health_snapshot (account_id, as_of, config_version, usage_score, support_score,
                sentiment_score, relationship_score, commercial_score, usage_axis, health_axis, health_score,
                band, quadrant, coverage, arr, inputs, computed_at)
            SELECT t.*, :now FROM unnest(
                CAST(:account_id AS uuid[]), CAST(:as_of AS date[]), CAST(:config_version AS int[]),
                CAST(:usage AS float8[]), CAST(:support AS float8[]), CAST(:sentiment AS float8[]),
                CAST(:relationship AS float8[]), CAST(:commercial AS float8[]), CAST(:usage_axis AS float8[]),
                CAST(:health_axis AS float8[]), CAST(:health_score AS float8[]), CAST(:band AS text[]),
                CAST(:quadrant AS text[]), CAST(:coverage AS float8[]), CAST(:arr AS float8[]),
                CAST(:inputs AS jsonb[])
            ) AS t
            -- rows locked in account order, whoever writes: concurrent writers queue, never deadlock
            ORDER BY 1
            ON CONFLICT (account_id, as_of) DO UPDATE SET
                config_version = excluded.config_version, usage_score = excluded.usage_score,
                support_score = excluded.support_score, sentiment_score = excluded.sentiment_score,
                relationship_score = excluded.relationship_score, commercial_score = excluded.commercial_score,
                usage_axis = excluded.usage_axis, health_axis = excluded.health_axis,
                health_score = excluded.health_score, band = excluded.band, quadrant = excluded.quadrant,
                coverage = excluded.coverage, arr = excluded.arr, inputs = excluded.inputs,
                computed_at = excluded.computed_at
            """
        ),
        params,
    )
    # The latest snapshot per account, kept narrow for the book; older dates never overwrite newer.
    facts = [book_facts(i, as_of) for i in inputs]
    await session.execute(
        text(
            """
            INSERT INTO account_health (account_id, as_of, config_version, health_score, band, quadrant,
                usage_axis, health_axis, coverage, feature_adoption, usage_change, open_tickets,
                last_touch_on, last_qbr_on)
            SELECT * FROM unnest(
                CAST(:account_id AS uuid[]), CAST(:as_of AS date[]), CAST(:config_version AS int[]),
                CAST(:health_score AS float8[]), CAST(:band AS text[]), CAST(:quadrant AS text[]),
                CAST(:usage_axis AS float8[]), CAST(:health_axis AS float8[]), CAST(:coverage AS float8[]),
                CAST(:feature_adoption AS float8[]), CAST(:usage_change AS float8[]), CAST(:open_tickets AS int[]),
                CAST(:last_touch_on AS date[]), CAST(:last_qbr_on AS date[]))
            ORDER BY 1
            ON CONFLICT (account_id) DO UPDATE SET
                as_of = excluded.as_of, config_version = excluded.config_version,
                health_score = excluded.health_score, band = excluded.band, quadrant = excluded.quadrant,
                usage_axis = excluded.usage_axis, health_axis = excluded.health_axis, coverage = excluded.coverage,
                feature_adoption = excluded.feature_adoption, usage_change = excluded.usage_change,
                open_tickets = excluded.open_tickets, last_touch_on = excluded.last_touch_on,
                last_qbr_on = excluded.last_qbr_on
            WHERE account_health.as_of <= excluded.as_of
            """
        ),
        {k: params[k] for k in ("account_id", "as_of", "config_version", "health_score", "band", "quadrant")}
        | {k: params[k] for k in ("usage_axis", "health_axis", "coverage")}
        | {name: [f[name] for f in facts] for name in BOOK_FACTS},
    )
    return len(ids)


BOOK_FACTS = ("feature_adoption", "usage_change", "open_tickets", "last_touch_on", "last_qbr_on")


def book_facts(inputs: Inputs, as_of: date) -> dict[str, Any]:
    """What the book filters on, from one snapshot's raw inputs (see ``AccountHealth``)."""
    usage, support, relationship = (inputs.get(c, {}) for c in ("usage", "support", "relationship"))
    days, prev_days = usage.get("user_days"), usage.get("prev_user_days")
    touch, qbr = relationship.get("days_since_touch"), relationship.get("days_since_qbr")
    open_tickets = support.get("open_tickets")
    return {
        "feature_adoption": usage.get("feature_adoption"),
        "usage_change": (days - prev_days) / prev_days if days is not None and prev_days else None,
        "open_tickets": int(open_tickets) if open_tickets is not None else None,
        "last_touch_on": as_of - timedelta(days=int(touch)) if touch is not None else None,
        "last_qbr_on": as_of - timedelta(days=int(qbr)) if qbr is not None else None,
    }


async def delete_snapshots(session: AsyncSession, ids: Sequence[uuid.UUID], as_of: date) -> None:
    """Remove snapshots a rescore no longer produces (the account was not a customer then)."""
    if ids:
        await session.execute(
            text("DELETE FROM health_snapshot WHERE as_of = :d AND account_id = ANY(CAST(:ids AS uuid[]))"),
            {"d": as_of, "ids": list(ids)},
        )


async def write_moves(
    session: AsyncSession,
    as_of: date,
    config_version: int,
    moves: Sequence[tuple[uuid.UUID, Quadrant, Quadrant]],
    unchanged: Sequence[uuid.UUID],
) -> None:
    """Record quadrant moves on ``as_of``; clear moves a rescore no longer finds."""
    if unchanged:
        await session.execute(
            text("DELETE FROM quadrant_move WHERE moved_on = :d AND account_id = ANY(CAST(:ids AS uuid[]))"),
            {"d": as_of, "ids": list(unchanged)},
        )
    if moves:
        await session.execute(
            text(
                """
                INSERT INTO quadrant_move (account_id, moved_on, from_quadrant, to_quadrant, config_version)
                SELECT a, :d, f, t, :v FROM unnest(CAST(:a AS uuid[]), CAST(:f AS text[]), CAST(:t AS text[])) AS x(a, f, t)
                ORDER BY 1
                ON CONFLICT (account_id, moved_on) DO UPDATE SET
                    from_quadrant = excluded.from_quadrant, to_quadrant = excluded.to_quadrant,
                    config_version = excluded.config_version
                """
            ),
            {
                "d": as_of,
                "v": config_version,
                "a": [m[0] for m in moves],
                "f": [m[1].value for m in moves],
                "t": [m[2].value for m in moves],
            },
        )


async def stored_dates(session: AsyncSession, ids: Sequence[uuid.UUID], start: date, before: date) -> list[date]:
    """The dates from ``start`` up to (not including) ``before`` with a snapshot of any of ``ids``."""
    rows = await session.execute(
        text(
            "SELECT DISTINCT as_of FROM health_snapshot "
            "WHERE account_id = ANY(CAST(:ids AS uuid[])) AND as_of >= :start AND as_of < :window"
        ),
        {"ids": ids, "start": start, "window": before},
    )
    return list(rows.scalars())


async def any_snapshot(session: AsyncSession) -> bool:
    return bool(await session.scalar(text("SELECT 1 FROM health_snapshot LIMIT 1")))


async def first_data_day(session: AsyncSession) -> date | None:
    """The first day the book has usage or a subscription line."""
    first: date | None = await session.scalar(
        text("SELECT least((SELECT min(day) FROM usage_daily), (SELECT min(start_date) FROM subscription_line))")
    )
    return first


async def account_ids(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.execute(text("SELECT id FROM account ORDER BY id"))
    return [r for (r,) in rows]


# -- config versions ---------------------------------------------------------------------


async def active_config(session: AsyncSession) -> ScoringConfig:
    """The active version; the first call on an empty database activates the defaults."""
    found = (await session.execute(select(ScoringConfig).where(col(ScoringConfig.is_active)))).scalar_one_or_none()
    if found is not None:
        return found
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('scoring-config-default'))"))
    found = (await session.execute(select(ScoringConfig).where(col(ScoringConfig.is_active)))).scalar_one_or_none()
    if found is not None:
        return found
    cfg = ScoringConfig(
        name="Default (DESIGN §6)",
        body=default_body().model_dump(mode="json"),
        is_active=True,
        activated_at=utcnow(),
    )
    session.add(cfg)
    await session.flush()
    return cfg


async def get_config(session: AsyncSession, version: int) -> ScoringConfig | None:
    return await session.get(ScoringConfig, version)


async def list_configs(session: AsyncSession) -> list[ScoringConfig]:
    rows = await session.execute(select(ScoringConfig).order_by(col(ScoringConfig.version).desc()))
    return list(rows.scalars())


async def add_config(
    session: AsyncSession, body: ScoringConfigBody, name: str | None, created_by: uuid.UUID | None
) -> ScoringConfig:
    await active_config(session)  # version 1 is always the defaults
    cfg = ScoringConfig(name=name, body=body.model_dump(mode="json"), created_by_id=created_by)
    session.add(cfg)
    await session.flush()
    return cfg


async def activate_config(session: AsyncSession, version: int) -> None:
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('scoring-config-default'))"))
    await session.execute(update(ScoringConfig).where(col(ScoringConfig.is_active)).values(is_active=False))
    await session.execute(
        update(ScoringConfig).where(col(ScoringConfig.version) == version).values(is_active=True, activated_at=utcnow())
    )


_REQUEST_RESCORES = text("""
INSERT INTO rescore_request (account_id, since, requested_at, priority)
SELECT r.account_id, r.since, now(), r.priority
FROM unnest(CAST(:ids AS uuid[]), CAST(:since AS date[]), CAST(:priority AS smallint[])) AS r(account_id, since, priority)
WHERE EXISTS (SELECT 1 FROM account a WHERE a.id = r.account_id)
ORDER BY r.account_id
ON CONFLICT (account_id) DO UPDATE SET since = least(rescore_request.since, excluded.since),
    priority = least(rescore_request.priority, excluded.priority)
""")


async def request_rescores(session: AsyncSession, touched: Sequence[tuple[uuid.UUID, date, int]]) -> None:
    """Ask for accounts to be rescored from a date (the earliest and most urgent request wins).

    Accounts deleted since the signal are skipped."""
    if not touched:
        return
    ids, since, priority = zip(*sorted(touched), strict=True)
    await session.execute(_REQUEST_RESCORES, {"ids": list(ids), "since": list(since), "priority": list(priority)})


async def take_rescore_requests(session: AsyncSession, limit: int) -> dict[uuid.UUID, date]:
    """Delete and return up to ``limit`` requests, most urgent and oldest first; rows another
    transaction holds are skipped, so concurrent workers never claim the same account."""
    claimed = (
        select(col(RescoreRequest.account_id))
        .order_by(col(RescoreRequest.priority), col(RescoreRequest.requested_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = await session.execute(
        delete(RescoreRequest)
        .where(col(RescoreRequest.account_id).in_(claimed.scalar_subquery()))
        .returning(col(RescoreRequest.account_id), col(RescoreRequest.since))
    )
    return {a: s for a, s in rows}


async def thin_snapshots(session: AsyncSession, cutoff: date) -> int:
    """Delete snapshots before ``cutoff`` except Mondays'; returns how many went."""
    result = await session.execute(
        text("DELETE FROM health_snapshot WHERE as_of < :cutoff AND extract(isodow FROM as_of) <> 1"),
        {"cutoff": cutoff},
    )
    return int(getattr(result, "rowcount", 0) or 0)


_RISK_INPUTS = text("""
SELECT a.id, coalesce(a.current_arr, a.declared_arr, 0) AS arr, h.health_score, h.band, h.quadrant,
       CASE WHEN a.renewal_term <> 'monthly' AND a.next_renewal_date >= CAST(:today AS date)
            THEN a.next_renewal_date - CAST(:today AS date) END AS days_to_renewal
FROM account a LEFT JOIN account_health h ON h.account_id = a.id
WHERE a.status = 'active'
  AND (CAST(:owner AS uuid) IS NULL OR a.owner_id = CAST(:owner AS uuid))
  AND (CAST(:segment AS text) IS NULL OR a.segment = CAST(:segment AS text))
""")


async def risk_inputs(session: AsyncSession, today: date, owner_id: uuid.UUID | None, segment: str | None) -> list[Any]:
    """ARR, health, band, quadrant and days to the next term renewal of every active account in scope."""
    params = {"today": today, "owner": owner_id, "segment": segment}
    return list((await session.execute(_RISK_INPUTS, params)).mappings())
