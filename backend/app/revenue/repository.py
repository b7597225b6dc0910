"""SQL of the revenue engine: subscription lines in, movements, ARR by month and period
rollups out; today's ARR on the account."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.revenue.engine import Line, Movement, Rates

# ARR of a line, as the commercial component computes it (monthly amounts x 12).
LINE_ARR = "s.quantity * s.unit_amount * CASE s.interval WHEN 'month' THEN 12 ELSE 1 END"


async def lock_accounts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    """Hold each account's revenue lock until the transaction ends: rebuilds of one account
    (jobs after concurrent webhooks) take turns instead of both deleting and both inserting.
    Locks are taken in id order, so two batches never wait on each other; the shared book
    lock lets them run beside each other but not beside a whole-book rebuild."""
    await session.execute(text("SELECT pg_advisory_xact_lock_shared(hashtextextended('revenue:book', 0))"))
    await session.execute(
        text(
            "SELECT pg_advisory_xact_lock(hashtextextended('revenue:' || id::text, 0)) "
            "FROM (SELECT unnest(CAST(:ids AS uuid[])) AS id ORDER BY 1) ordered"
        ),
        {"ids": sorted(set(ids))},
    )


async def lock_book(session: AsyncSession) -> None:
    """The whole book's revenue, alone: one lock rather than one per account (PostgreSQL's
    lock table holds a few thousand)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('revenue:book', 0))"))


async def lines_of(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Line]]:
    rows = await session.execute(
        text(
            """
            SELECT account_id, product, quantity, unit_amount, interval, start_date, end_date, cancellation_reason,
                   currency
            FROM subscription_line WHERE account_id = ANY(CAST(:ids AS uuid[]))
            ORDER BY account_id, start_date
            """
        ),
        {"ids": list(ids)},
    )
    out: dict[uuid.UUID, list[Line]] = {i: [] for i in ids}
    for r in rows:
        out[r.account_id].append(
            Line(
                r.product, r.quantity, r.unit_amount, r.interval, r.start_date, r.end_date, r.cancellation_reason,
                r.currency,
            )
        )  # fmt: skip
    return out


async def rates(session: AsyncSession, currencies: Iterable[str | None], reporting: str) -> Rates:
    """The exchange rates that convert ``currencies`` to the reporting currency (every day known)."""
    wanted = sorted({c for c in currencies if c and c != reporting} | ({reporting} if reporting != "EUR" else set()))
    per_eur: dict[str, list[tuple[date, Decimal]]] = {c: [] for c in wanted}
    if any(c != reporting for c in wanted):
        rows = await session.execute(
            text("SELECT currency, day, per_eur FROM fx_rate WHERE currency = ANY(CAST(:c AS text[])) ORDER BY 1, 2"),
            {"c": wanted},
        )
        for currency, day, rate in rows:
            per_eur[currency].append((day, rate))
    return Rates(reporting=reporting, per_eur=per_eur)


async def accounts_with_lines(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.execute(text("SELECT DISTINCT account_id FROM subscription_line ORDER BY account_id"))
    return [r for (r,) in rows]


async def replace(
    session: AsyncSession, ids: Sequence[uuid.UUID], moves: dict[uuid.UUID, list[Movement]], today: date, cap: date
) -> int:
    """Replace the movements and monthly ARR of ``ids``; set their ARR today from the lines.
    ``cap`` is the last month start kept (the month after today)."""
    params = {"ids": list(ids)}
    await session.execute(text("DELETE FROM arr_movement WHERE account_id = ANY(CAST(:ids AS uuid[]))"), params)
    await session.execute(text("DELETE FROM arr_month WHERE account_id = ANY(CAST(:ids AS uuid[]))"), params)
    flat = [(a, m) for a in ids for m in moves.get(a, [])]
    if flat:
        await session.execute(
            text(
                """
                INSERT INTO arr_movement (account_id, "on", kind, detail, amount, arr_after)
                SELECT * FROM unnest(CAST(:a AS uuid[]), CAST(:on AS date[]), CAST(:kind AS text[]),
                                     CAST(:detail AS text[]), CAST(:amount AS numeric[]), CAST(:after AS numeric[]))
                """
            ),
            {
                "a": [a for a, _ in flat],
                "on": [m.on for _, m in flat],
                "kind": [m.kind for _, m in flat],
                "detail": [m.detail for _, m in flat],
                "amount": [m.amount for _, m in flat],
                "after": [m.arr_after for _, m in flat],
            },
        )
    # ARR at the start of month m = ARR after the last movement dated before m
    await session.execute(
        text(
            """
            INSERT INTO arr_month (account_id, month, arr)
            WITH last AS (
                SELECT DISTINCT ON (account_id, "on") account_id, "on", arr_after
                FROM arr_movement WHERE account_id = ANY(CAST(:ids AS uuid[]))
                ORDER BY account_id, "on", id DESC
            ), seg AS (
                SELECT account_id, "on" AS valid_from, arr_after,
                       lead("on") OVER (PARTITION BY account_id ORDER BY "on") AS valid_to
                FROM last
            )
            SELECT s.account_id, CAST(m AS date), s.arr_after
            FROM seg s, generate_series(
                date_trunc('month', s.valid_from) + interval '1 month',
                CASE WHEN s.valid_to IS NULL THEN CAST(:cap AS date) ELSE date_trunc('month', s.valid_to) END,
                interval '1 month') AS m
            WHERE s.arr_after > 0 AND CAST(m AS date) <= CAST(:cap AS date)
            """
        ),
        {**params, "cap": cap},
    )
    await session.execute(
        text(
            f"""
            UPDATE account a SET current_arr = coalesce(x.arr, 0)
            FROM (SELECT a0.id, (SELECT sum({LINE_ARR} * fx_to_reporting(s.currency, :today, :reporting))
                                 FROM subscription_line s
                                 WHERE s.account_id = a0.id AND s.start_date <= :today
                                   AND (s.end_date IS NULL OR s.end_date > :today)) AS arr
                  FROM account a0 WHERE a0.id = ANY(CAST(:ids AS uuid[]))
                    AND EXISTS (SELECT 1 FROM subscription_line s0 WHERE s0.account_id = a0.id)) x
            WHERE a.id = x.id
            """  # noqa: S608 - LINE_ARR is a constant
        ),
        {**params, "today": today, "reporting": get_settings().reporting_currency},
    )
    return len(flat)


async def set_status(session: AsyncSession, status: dict[uuid.UUID, str]) -> None:
    """Each account's status as billing says it is (only where it changed)."""
    if not status:
        return
    await session.execute(
        text(
            """
            UPDATE account a SET status = x.status, updated_at = now()
            FROM unnest(CAST(:ids AS uuid[]), CAST(:status AS text[])) AS x(id, status)
            WHERE a.id = x.id AND a.status <> x.status
            """
        ),
        {"ids": list(status), "status": list(status.values())},
    )


ROLLUP = text(
    """
    INSERT INTO arr_rollup (kind, period_start, period_end, segment, plan, icp_tier, starting_arr, ending_arr,
        new, expansion_seat, expansion_plan, expansion_cross_sell, reactivation, contraction, churn_voluntary,
        churn_involuntary, fx, cohort_accounts, cohort_churned_accounts, cohort_ending_arr, cohort_retained_arr,
        cohort_contraction, cohort_churn_voluntary, cohort_churn_involuntary, accounts_end)
    WITH periods AS (
        SELECT CAST(ps AS date) AS ps, CAST(ps + make_interval(months => CAST(:length AS int)) AS date) AS pe
        FROM generate_series(CAST(:first AS date), CAST(:last AS date),
                             make_interval(months => CAST(:stride AS int))) AS ps
    ),
    starts AS (SELECT p.ps, m.account_id, m.arr FROM periods p JOIN arr_month m ON m.month = p.ps),
    -- periods ending after next month end with today's ARR (nothing moves after today)
    ends AS (SELECT p.ps, m.account_id, m.arr FROM periods p JOIN arr_month m ON m.month = least(p.pe, CAST(:cap AS date))),
    flows AS (
        SELECT p.ps, mv.account_id,
               sum(mv.amount) FILTER (WHERE mv.kind = 'new') AS new,
               sum(mv.amount) FILTER (WHERE mv.kind = 'expansion' AND mv.detail = 'seat') AS seat,
               sum(mv.amount) FILTER (WHERE mv.kind = 'expansion' AND mv.detail = 'plan') AS plan,
               sum(mv.amount) FILTER (WHERE mv.kind = 'expansion' AND mv.detail = 'cross_sell') AS cross_sell,
               sum(mv.amount) FILTER (WHERE mv.kind = 'reactivation') AS reactivation,
               sum(mv.amount) FILTER (WHERE mv.kind = 'contraction') AS contraction,
               sum(mv.amount) FILTER (WHERE mv.kind = 'churn' AND mv.detail = 'voluntary') AS churn_voluntary,
               sum(mv.amount) FILTER (WHERE mv.kind = 'churn' AND mv.detail = 'involuntary') AS churn_involuntary,
               sum(CASE mv.detail WHEN 'gain' THEN mv.amount ELSE -mv.amount END) FILTER (WHERE mv.kind = 'fx') AS fx
        FROM periods p JOIN arr_movement mv ON mv."on" >= p.ps AND mv."on" < p.pe
        GROUP BY p.ps, mv.account_id
    ),
    per_account AS (
        SELECT coalesce(s.ps, e.ps) AS ps, coalesce(s.account_id, e.account_id) AS account_id,
               coalesce(s.arr, 0) AS start_arr, coalesce(e.arr, 0) AS end_arr
        FROM starts s FULL JOIN ends e ON e.ps = s.ps AND e.account_id = s.account_id
    ),
    joined AS (
        SELECT coalesce(pa.ps, f.ps) AS ps, coalesce(pa.account_id, f.account_id) AS account_id,
               coalesce(pa.start_arr, 0) AS start_arr, coalesce(pa.end_arr, 0) AS end_arr, f.new, f.seat, f.plan,
               f.cross_sell, f.reactivation, f.contraction, f.churn_voluntary, f.churn_involuntary, f.fx
        FROM per_account pa FULL JOIN flows f ON f.ps = pa.ps AND f.account_id = pa.account_id
    )
    SELECT :kind, j.ps, p.pe, a.segment, a.plan, a.icp_tier,
           sum(j.start_arr), sum(j.end_arr),
           coalesce(sum(j.new), 0), coalesce(sum(j.seat), 0), coalesce(sum(j.plan), 0), coalesce(sum(j.cross_sell), 0),
           coalesce(sum(j.reactivation), 0), coalesce(sum(j.contraction), 0), coalesce(sum(j.churn_voluntary), 0),
           coalesce(sum(j.churn_involuntary), 0), coalesce(sum(j.fx), 0),
           count(*) FILTER (WHERE j.start_arr > 0),
           count(*) FILTER (WHERE j.start_arr > 0 AND j.end_arr = 0),
           coalesce(sum(j.end_arr) FILTER (WHERE j.start_arr > 0), 0),
           coalesce(sum(least(j.end_arr, j.start_arr)) FILTER (WHERE j.start_arr > 0), 0),
           coalesce(sum(j.contraction) FILTER (WHERE j.start_arr > 0), 0),
           coalesce(sum(j.churn_voluntary) FILTER (WHERE j.start_arr > 0), 0),
           coalesce(sum(j.churn_involuntary) FILTER (WHERE j.start_arr > 0), 0),
           count(*) FILTER (WHERE j.end_arr > 0)
    FROM joined j JOIN periods p ON p.ps = j.ps JOIN account a ON a.id = j.account_id
    GROUP BY j.ps, p.pe, a.segment, a.plan, a.icp_tier
    """
)

# kind -> (months between period starts, months in a period)
PERIOD_KINDS: dict[str, tuple[int, int]] = {"month": (1, 1), "quarter": (3, 3), "ttm": (1, 12)}


async def rebuild_rollups(session: AsyncSession, cap: date) -> None:
    """All period rollups from ``arr_month`` and ``arr_movement`` (a few seconds at 20k accounts)."""
    # one rebuild at a time: two would both delete, then both insert every row
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('revenue:rollups', 0))"))
    first: date | None = await session.scalar(text('SELECT min("on") FROM arr_movement'))
    await session.execute(text("DELETE FROM arr_rollup"))
    await session.execute(
        text(
            "INSERT INTO revenue_state (id, rollups_built_at) VALUES (1, clock_timestamp()) "
            "ON CONFLICT (id) DO UPDATE SET rollups_built_at = excluded.rollups_built_at"
        )
    )
    if first is None:
        return
    month0 = first.replace(day=1)
    for kind, (stride, length) in PERIOD_KINDS.items():
        start = month0
        if kind == "quarter":
            start = month0.replace(month=(month0.month - 1) // 3 * 3 + 1)
        await session.execute(
            ROLLUP,
            {"kind": kind, "first": start, "last": cap, "stride": stride, "length": length, "cap": cap},
        )


def _filters(segment: str | None, plan: str | None, icp_tier: str | None) -> tuple[str, dict[str, Any]]:
    clauses, params = [], {}
    for name, value in (("segment", segment), ("plan", plan), ("icp_tier", icp_tier)):
        if value is not None:
            clauses.append(f"{name} = :{name}")
            params[name] = value
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


async def periods(
    session: AsyncSession,
    kind: str,
    first: date,
    last: date,
    segment: str | None = None,
    plan: str | None = None,
    icp_tier: str | None = None,
) -> list[Any]:
    """Rollup rows summed over the account groups that match, one per period."""
    where, params = _filters(segment, plan, icp_tier)
    rows = await session.execute(
        text(
            f"""
            SELECT period_start, period_end,
                   sum(starting_arr) AS starting_arr, sum(ending_arr) AS ending_arr, sum(new) AS new,
                   sum(expansion_seat) AS expansion_seat, sum(expansion_plan) AS expansion_plan,
                   sum(expansion_cross_sell) AS expansion_cross_sell, sum(reactivation) AS reactivation,
                   sum(contraction) AS contraction, sum(churn_voluntary) AS churn_voluntary,
                   sum(churn_involuntary) AS churn_involuntary, sum(fx) AS fx,
                   sum(cohort_accounts) AS cohort_accounts,
                   sum(cohort_churned_accounts) AS cohort_churned_accounts,
                   sum(cohort_ending_arr) AS cohort_ending_arr, sum(cohort_retained_arr) AS cohort_retained_arr,
                   sum(cohort_contraction) AS cohort_contraction,
                   sum(cohort_churn_voluntary) AS cohort_churn_voluntary,
                   sum(cohort_churn_involuntary) AS cohort_churn_involuntary, sum(accounts_end) AS accounts_end
            FROM arr_rollup
            WHERE kind = :kind AND period_start >= :first AND period_start <= :last{where}
            GROUP BY period_start, period_end ORDER BY period_start
            """  # noqa: S608 - the filter clauses are fixed column names; values are bound
        ),
        {"kind": kind, "first": first, "last": last, **params},
    )
    return list(rows.mappings())


async def net_new_windows(session: AsyncSession, end: date) -> Any:
    """Net new ARR from existing customers (expansion + reactivation - contraction - churn)
    over the 7, 14, 30 and 60 days before ``end``."""
    row = await session.execute(
        text(
            """
            WITH m AS (
                SELECT "on", CASE WHEN kind IN ('expansion', 'reactivation') THEN amount ELSE -amount END AS net
                FROM arr_movement
                WHERE "on" >= CAST(:end AS date) - 60 AND "on" < :end AND kind NOT IN ('new', 'fx')
            )
            SELECT coalesce(sum(net) FILTER (WHERE "on" >= CAST(:end AS date) - 7), 0) AS d7,
                   coalesce(sum(net) FILTER (WHERE "on" >= CAST(:end AS date) - 14), 0) AS d14,
                   coalesce(sum(net) FILTER (WHERE "on" >= CAST(:end AS date) - 30), 0) AS d30,
                   coalesce(sum(net), 0) AS d60
            FROM m
            """
        ),
        {"end": end},
    )
    return row.mappings().one()


async def freshness(session: AsyncSession) -> tuple[datetime | None, datetime | None]:
    """(when the rollups were last rebuilt, when a subscription line last changed)."""
    row = (
        await session.execute(
            text(
                "SELECT (SELECT rollups_built_at FROM revenue_state WHERE id = 1) AS built, "
                "(SELECT max(updated_at) FROM subscription_line) AS changed"
            )
        )
    ).one()
    return row.built, row.changed


async def store_rates(session: AsyncSession, rows: list[dict[str, Any]], source: str) -> int:
    """Add or replace rates by (currency, day)."""
    await session.execute(
        text(
            """
            INSERT INTO fx_rate (currency, day, per_eur, source)
            SELECT c, d, r, :source FROM unnest(CAST(:c AS text[]), CAST(:d AS date[]), CAST(:r AS numeric[])) AS x(c, d, r)
            ON CONFLICT (currency, day) DO UPDATE SET per_eur = excluded.per_eur, source = excluded.source
            """
        ),
        {
            "c": [r["currency"] for r in rows],
            "d": [r["day"] for r in rows],
            "r": [r["per_eur"] for r in rows],
            "source": source,
        },
    )
    return len(rows)


async def latest_rates(session: AsyncSession, today: date, reporting: str) -> list[Any]:
    """Each currency's rate in effect today, with its value in the reporting currency."""
    rows = await session.execute(
        text(
            """
            SELECT DISTINCT ON (currency) currency, day, per_eur::float8 AS per_eur, source,
                   fx_to_reporting(currency, CAST(:today AS date), :reporting)::float8 AS to_reporting
            FROM fx_rate WHERE day <= :today ORDER BY currency, day DESC
            """
        ),
        {"today": today, "reporting": reporting},
    )
    return list(rows.mappings())


# Months between two dates: the whole months to the last monthly anniversary on or before the
# later date, plus the days from it as a fraction of an average month (365.25 / 12 days).
_MONTHS_BETWEEN = """(w.months + ({to} - CAST({since} + make_interval(months => w.months) AS date)) / 30.4375)"""
_WHOLE_MONTHS = """CROSS JOIN LATERAL (
                SELECT CAST(extract(year FROM age({to}, {since})) * 12 + extract(month FROM age({to}, {since}))
                            AS int) AS months
            ) w"""


def _account_filters(segment: str | None, plan: str | None, icp_tier: str | None) -> tuple[str, dict[str, Any]]:
    """``_filters`` on the account table (alias ``a``)."""
    clauses, params = [], {}
    for name, value in (("segment", segment), ("plan", plan), ("icp_tier", icp_tier)):
        if value is not None:
            clauses.append(f"a.{name} = :{name}")
            params[name] = value
    return (" AND " + " AND ".join(clauses)) if clauses else "", params


async def logos(
    session: AsyncSession,
    kind: str,
    first: date,
    last: date,
    confirmed_before: date,
    segment: str | None = None,
    plan: str | None = None,
    icp_tier: str | None = None,
) -> dict[date, Any]:
    """Per period (as ``rebuild_rollups`` lays them out, starts ``first``..``last``): new logos
    (accounts with a new movement in it), reactivated logos (a reactivation movement), and the
    lifetimes ending in it: each account with a churn dated in the period before
    ``confirmed_before`` (confirmed), from its first ARR to its last such churn, in months."""
    stride, length = PERIOD_KINDS[kind]
    where, params = _account_filters(segment, plan, icp_tier)
    rows = await session.execute(
        text(
            f"""
            WITH periods AS (
                SELECT CAST(ps AS date) AS ps, CAST(ps + make_interval(months => CAST(:length AS int)) AS date) AS pe
                FROM generate_series(CAST(:first AS date), CAST(:last AS date),
                                     make_interval(months => CAST(:stride AS int))) AS ps
            ),
            moves AS (
                SELECT p.ps, mv.account_id, mv.kind, mv."on"
                FROM periods p
                JOIN arr_movement mv ON mv."on" >= p.ps AND mv."on" < p.pe
                JOIN account a ON a.id = mv.account_id
                WHERE mv.kind IN ('new', 'reactivation', 'churn'){where}
            ),
            counted AS (
                SELECT ps, count(DISTINCT account_id) FILTER (WHERE kind = 'new') AS new_logos,
                       count(DISTINCT account_id) FILTER (WHERE kind = 'reactivation') AS reactivated_logos
                FROM moves GROUP BY ps
            ),
            ended AS (
                SELECT m.ps, m.account_id, max(m."on") AS churned_on,
                       (SELECT min(f."on") FROM arr_movement f WHERE f.account_id = m.account_id AND f.kind = 'new')
                           AS first_on
                FROM moves m WHERE m.kind = 'churn' AND m."on" < CAST(:confirmed_before AS date)
                GROUP BY m.ps, m.account_id
            ),
            lives AS (
                SELECT ps, avg({_MONTHS_BETWEEN.format(to="churned_on", since="first_on")}) AS months,
                       count(*) AS churns
                FROM ended {_WHOLE_MONTHS.format(to="churned_on", since="first_on")}
                WHERE first_on IS NOT NULL GROUP BY ps
            )
            SELECT p.ps AS period_start, coalesce(c.new_logos, 0) AS new_logos,
                   coalesce(c.reactivated_logos, 0) AS reactivated_logos,
                   CAST(l.months AS float8) AS average_lifetime_months, coalesce(l.churns, 0) AS lifetime_churns
            FROM periods p LEFT JOIN counted c ON c.ps = p.ps LEFT JOIN lives l ON l.ps = p.ps
            """  # noqa: S608 - the filter clauses are fixed column names; values are bound
        ),
        {
            "first": first, "last": last, "stride": stride, "length": length, "confirmed_before": confirmed_before,
            **params,
        },
    )  # fmt: skip
    return {r["period_start"]: r for r in rows.mappings()}


async def lifetimes(
    session: AsyncSession,
    confirmed_before: date,
    segment: str | None = None,
    plan: str | None = None,
    icp_tier: str | None = None,
) -> Any:
    """All time: (mean months from first ARR to last confirmed churn, how many accounts) over
    the accounts with a churn dated before ``confirmed_before``."""
    where, params = _account_filters(segment, plan, icp_tier)
    row = await session.execute(
        text(
            f"""
            WITH ended AS (
                SELECT mv.account_id, max(mv."on") AS churned_on,
                       (SELECT min(f."on") FROM arr_movement f WHERE f.account_id = mv.account_id AND f.kind = 'new')
                           AS first_on
                FROM arr_movement mv JOIN account a ON a.id = mv.account_id
                WHERE mv.kind = 'churn' AND mv."on" < CAST(:confirmed_before AS date){where}
                GROUP BY mv.account_id
            )
            SELECT CAST(avg({_MONTHS_BETWEEN.format(to="churned_on", since="first_on")}) AS float8) AS months,
                   count(*) AS churns
            FROM ended {_WHOLE_MONTHS.format(to="churned_on", since="first_on")}
            WHERE first_on IS NOT NULL
            """  # noqa: S608 - the filter clauses are fixed column names; values are bound
        ),
        {"confirmed_before": confirmed_before, **params},
    )
    return row.mappings().one()
