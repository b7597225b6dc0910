"""Full rescore of the book for one day, and a DuckDB reference of the same formulas.

Tempo's run is timed end to end (claim shards, read every component set-based, score,
write snapshots, moves and current health, commit). The reference is an independent
implementation of DESIGN §6 in DuckDB SQL — raw values, curves, renormalised weights,
axes — over the same rows, exported from PostgreSQL first (export time reported apart);
its compute time is the baseline for the ratio, and its scores must agree with Tempo's.
"""

from __future__ import annotations

import asyncio
import csv
import tempfile
import time
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import asyncpg
import duckdb

from app.scoring.config import ScoringConfigBody


def curve_sql(expr: str, points: list[tuple[float, float]]) -> str:
    """A piecewise-linear curve as a CASE expression, clamped at the ends, NULL stays NULL."""
    parts = [f"WHEN ({expr}) IS NULL THEN NULL", f"WHEN ({expr}) <= {points[0][0]} THEN {points[0][1]}"]
    for (x0, y0), (x1, y1) in pairwise(points):
        parts.append(f"WHEN ({expr}) <= {x1} THEN {y0} + ({y1} - {y0}) * (({expr}) - {x0}) / ({x1} - {x0})")
    parts.append(f"ELSE {points[-1][1]}")
    return "CASE " + " ".join(parts) + " END"


def wmean_sql(items: list[tuple[float, str]]) -> str:
    """Weighted mean over the non-NULL items (renormalised); NULL when none has a value."""
    num = " + ".join(f"coalesce({w} * ({e}), 0)" for w, e in items)
    den = " + ".join(f"CASE WHEN ({e}) IS NULL THEN 0 ELSE {w} END" for w, e in items)
    return f"CASE WHEN ({den}) > 0 THEN ({num}) / ({den}) END"


EXPORTS = {
    "account": "SELECT id, seats_purchased, plan, status, signup_date, declared_arr FROM account",
    "feature": "SELECT id, is_core, array_to_string(plans, '|') AS plans FROM feature",
    "usage_first": "SELECT account_id, min(day) AS first_day FROM usage_daily GROUP BY account_id",
    "usage_daily": (
        "SELECT account_id, day, feature_id, events, minutes FROM usage_daily WHERE day > $1::date - 28 AND day <= $1"
    ),
    "user_activity": (
        "SELECT account_id, month, user_hash, active_days FROM usage_user_activity "
        "WHERE month >= date_trunc('month', $1::date - 55)::date AND month <= $1"
    ),
    "ticket": "SELECT account_id, priority, status, opened_at, resolved_at, escalated FROM ticket",
    "survey": (
        "SELECT account_id, kind, score, responded_at, coalesce(contact_id::text, lower(contact_email), id::text) "
        "AS respondent FROM survey_response WHERE responded_at >= $1::date - 200"
    ),
    "touch": "SELECT account_id, kind, sentiment, occurred_at FROM touchpoint",
    "contact": "SELECT account_id, role FROM contact",
    "invoice": "SELECT account_id, issued_at, due_at, paid_at, status FROM invoice",
    "line": "SELECT account_id, quantity, unit_amount, interval, start_date, end_date FROM subscription_line",
}


async def export(dsn: str, as_of: date, folder: Path) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    counts: dict[str, int] = {}
    try:
        for name, sql in EXPORTS.items():
            path = folder / f"{name}.csv"
            args = (as_of,) if "$1" in sql else ()
            rows = await conn.fetch(sql, *args)
            with path.open("w", newline="") as f:
                w = csv.writer(f)
                w.writerow(rows[0].keys() if rows else ["none"])
                for r in rows:
                    w.writerow(["" if v is None else v for v in r.values()])
            counts[name] = len(rows)
    finally:
        await conn.close()
    return counts


def reference_sql(body: ScoringConfigBody, as_of: date) -> str:
    d = f"DATE '{as_of.isoformat()}'"
    d_end = f"TIMESTAMPTZ '{(as_of + timedelta(days=1)).isoformat()} 00:00:00+00'"
    # four-week windows (see app/scoring/components/usage.py)
    cur_lo, prev_lo, prev_hi = as_of - timedelta(days=27), as_of - timedelta(days=55), as_of - timedelta(days=28)

    def in_window(lo: date, hi: date) -> str:
        # user active in [lo, hi]: any set bit of a month row whose day falls in the window
        return (
            f"(active_days & (CASE WHEN month > DATE '{hi}' OR last_day(month) < DATE '{lo}' THEN 0 ELSE "
            f"((1::BIGINT << day(least(last_day(month), DATE '{hi}'))) - 1) "
            f"& ~((1::BIGINT << (day(greatest(month, DATE '{lo}')) - 1)) - 1) END))"
        )

    cur_bits, prev_bits = in_window(cur_lo, as_of), in_window(prev_lo, prev_hi)
    c = body.components

    def m(comp: str, metric: str, expr: str) -> str:
        mc = c[comp].metrics[metric]
        return curve_sql(expr, list(mc.curve))

    def comp_sql(comp: str, exprs: dict[str, str]) -> str:
        items = [(c[comp].metrics[k].weight, f"s_{comp}_{k}") for k in exprs if k in c[comp].metrics]
        return wmean_sql(items)

    raw = {
        "usage": {
            "login_frequency": "CASE WHEN has_usage AND seats > 0 THEN coalesce(user_days, 0) * 30.0 / 28 / seats END",
            "feature_adoption": "CASE WHEN has_usage AND core_available > 0 THEN coalesce(core_used, 0) / core_available END",
            "time_in_platform": "CASE WHEN has_usage AND active_users > 0 THEN coalesce(minutes, 0) / active_users / 4.0 END",
            "user_growth": "CASE WHEN has_usage AND prev_users > 0 THEN (coalesce(active_users, 0) - prev_users) / prev_users END",
        },
        "support": {
            "urgent_open": "coalesce(urgent, 0)",
            "open_tickets": "coalesce(open_count, 0)",
            "oldest_open_days": f"coalesce({d} - CAST(timezone('UTC', oldest_open) AS DATE), 0)",
            "ticket_volume": "CASE WHEN prior_90d > 0 THEN recent_14d / (prior_90d / (90.0 / 14)) END",
            "escalations": "coalesce(escalations, 0)",
        },
        "sentiment": {"nps": "nps", "nps_trend": "nps_90d - nps_prior", "csat": "csat"},
        "relationship": {
            "days_since_touch": f"{d} - last_day_touch",
            "touch_sentiment": "CASE last_sentiment WHEN 'negative' THEN -1 WHEN 'neutral' THEN 0 WHEN 'positive' THEN 1 END",
            "days_since_qbr": f"{d} - last_qbr",
            "stakeholder_coverage": "coalesce(has_sponsor, 0) + coalesce(has_champion, 0)",
        },
        "commercial": {
            "invoice_overdue_days": "CASE WHEN has_invoice THEN greatest(coalesce(overdue_days, 0), 0) END",
            "arr_change_12m": "CASE WHEN arr_year_ago > 0 THEN (arr_now - arr_year_ago) / arr_year_ago END",
        },
    }
    scored: list[str] = []
    for comp, metrics in raw.items():
        for k, expr in metrics.items():
            if k in c[comp].metrics:
                scored.append(f"{m(comp, k, expr)} AS s_{comp}_{k}")
    # QBR "none" scores its missing value when the relationship has any other data.
    qbr_missing = c["relationship"].metrics.get("days_since_qbr")
    qbr_fill = ""
    if qbr_missing is not None and qbr_missing.missing is not None:
        others = [f"s_relationship_{k}" for k in raw["relationship"] if k != "days_since_qbr"]
        qbr_fill = (
            f", CASE WHEN s_relationship_days_since_qbr IS NULL AND ({' OR '.join(o + ' IS NOT NULL' for o in others)}) "
            f"THEN {qbr_missing.missing} ELSE s_relationship_days_since_qbr END AS s_relationship_days_since_qbr_f"
        )
    comps = {
        comp: comp_sql(comp, metrics).replace("s_relationship_days_since_qbr", "s_relationship_days_since_qbr_f")
        for comp, metrics in raw.items()
    }
    health = wmean_sql([(c[k].weight, f"c_{k}") for k in comps])
    axis = wmean_sql([(c[k].weight, f"c_{k}") for k in body.health_axis])
    # Built from the config and dates only (no outside input).
    return f"""
WITH acc AS (
    SELECT a.id, a.seats_purchased AS seats, a.plan, a.status, a.signup_date, a.declared_arr,
           coalesce(f.first_day <= {d}, false) AS has_usage
    FROM account a LEFT JOIN usage_first f ON f.account_id = a.id
),
per_user AS (
    SELECT account_id,
           sum(bit_count({cur_bits})) AS user_days,
           count(DISTINCT user_hash) FILTER (WHERE {cur_bits} <> 0) AS active_users,
           count(DISTINCT user_hash) FILTER (WHERE {prev_bits} <> 0) AS prev_users
    FROM user_activity GROUP BY account_id
),
used AS (
    SELECT u.account_id, sum(u.minutes) AS minutes,
           count(DISTINCT u.feature_id) FILTER (
               WHERE u.events > 0 AND f.is_core AND (coalesce(f.plans, '') = '' OR list_contains(string_split(f.plans, '|'), a.plan))
           ) AS core_used
    FROM usage_daily u JOIN feature f ON f.id = u.feature_id JOIN acc a ON a.id = u.account_id
    GROUP BY u.account_id
),
avail AS (
    SELECT a.id AS account_id, count(*) AS core_available FROM acc a JOIN feature f
      ON f.is_core AND (coalesce(f.plans, '') = '' OR list_contains(string_split(f.plans, '|'), a.plan))
    GROUP BY a.id
),
t AS (
    SELECT *, (resolved_at >= {d_end} OR (resolved_at IS NULL AND status IN ('open', 'pending'))) AS is_open
    FROM ticket WHERE opened_at < {d_end}
),
sup AS (
    SELECT account_id,
           count(*) FILTER (WHERE is_open AND priority <= 2 AND opened_at <= {d_end} - INTERVAL 24 HOUR) AS urgent,
           count(*) FILTER (WHERE is_open) AS open_count,
           min(opened_at) FILTER (WHERE is_open) AS oldest_open,
           count(*) FILTER (WHERE opened_at >= {d_end} - INTERVAL 14 DAY) AS recent_14d,
           count(*) FILTER (WHERE opened_at >= {d_end} - INTERVAL 104 DAY AND opened_at < {d_end} - INTERVAL 14 DAY) AS prior_90d,
           count(*) FILTER (WHERE escalated AND opened_at >= {d_end} - INTERVAL 90 DAY) AS escalations
    FROM t GROUP BY account_id
),
s AS (SELECT * FROM survey WHERE responded_at < {d_end} AND responded_at >= {d_end} - INTERVAL 180 DAY),
nps_latest AS (
    SELECT account_id, avg(score) AS nps FROM (
        SELECT account_id, score, row_number() OVER (PARTITION BY account_id, respondent ORDER BY responded_at DESC) AS rn
        FROM s WHERE kind = 'nps') WHERE rn = 1 GROUP BY account_id
),
sent AS (
    SELECT account_id,
           avg(score) FILTER (WHERE kind = 'nps' AND responded_at >= {d_end} - INTERVAL 90 DAY) AS nps_90d,
           avg(score) FILTER (WHERE kind = 'nps' AND responded_at < {d_end} - INTERVAL 90 DAY) AS nps_prior,
           avg(score) FILTER (WHERE kind = 'csat' AND responded_at >= {d_end} - INTERVAL 90 DAY) AS csat
    FROM s GROUP BY account_id
),
tt AS (SELECT *, CAST(timezone('UTC', occurred_at) AS DATE) AS dday FROM touch WHERE occurred_at < {d_end} AND kind <> 'note'),
rel AS (
    SELECT account_id, max(dday) AS last_day_touch, max(dday) FILTER (WHERE kind = 'qbr') AS last_qbr,
           arg_max(sentiment, occurred_at) FILTER (WHERE sentiment IS NOT NULL) AS last_sentiment
    FROM tt GROUP BY account_id
),
ppl AS (
    SELECT account_id, max(CASE WHEN role = 'executive_sponsor' THEN 1 ELSE 0 END) AS has_sponsor,
           max(CASE WHEN role = 'champion' THEN 1 ELSE 0 END) AS has_champion
    FROM contact GROUP BY account_id
),
inv AS (
    SELECT account_id, true AS has_invoice,
           max({d} - CAST(timezone('UTC', due_at) AS DATE)) FILTER (
               WHERE due_at < {d_end} AND (paid_at IS NULL OR paid_at >= {d_end}) AND NOT (status = 'paid' AND paid_at IS NULL)
           ) AS overdue_days
    FROM invoice WHERE issued_at < {d_end} AND status NOT IN ('draft', 'void') GROUP BY account_id
),
arr AS (
    SELECT account_id,
           sum(quantity * unit_amount * CASE interval WHEN 'month' THEN 12 ELSE 1 END)
               FILTER (WHERE start_date <= {d} AND (end_date IS NULL OR end_date > {d})) AS arr_now,
           sum(quantity * unit_amount * CASE interval WHEN 'month' THEN 12 ELSE 1 END)
               FILTER (WHERE start_date <= {d} - 365 AND (end_date IS NULL OR end_date > {d} - 365)) AS arr_year_ago
    FROM line GROUP BY account_id
),
has_lines AS (SELECT DISTINCT account_id FROM line),
joined AS (
    SELECT a.*, pu.user_days, pu.active_users, pu.prev_users, u.minutes, u.core_used, av.core_available,
           sup.urgent, sup.open_count, sup.oldest_open, sup.recent_14d, sup.prior_90d, sup.escalations,
           n.nps, sent.nps_90d, sent.nps_prior, sent.csat, rel.last_day_touch, rel.last_qbr, rel.last_sentiment,
           ppl.has_sponsor, ppl.has_champion, inv.has_invoice, inv.overdue_days, arr.arr_now, arr.arr_year_ago,
           CASE WHEN hl.account_id IS NOT NULL THEN coalesce(arr.arr_now, 0) > 0
                ELSE a.status = 'active' AND (a.signup_date IS NULL OR a.signup_date <= {d}) END AS is_customer
    FROM acc a
    LEFT JOIN per_user pu ON pu.account_id = a.id LEFT JOIN used u ON u.account_id = a.id
    LEFT JOIN avail av ON av.account_id = a.id LEFT JOIN sup ON sup.account_id = a.id
    LEFT JOIN nps_latest n ON n.account_id = a.id LEFT JOIN sent ON sent.account_id = a.id
    LEFT JOIN rel ON rel.account_id = a.id LEFT JOIN ppl ON ppl.account_id = a.id
    LEFT JOIN inv ON inv.account_id = a.id LEFT JOIN arr ON arr.account_id = a.id
    LEFT JOIN has_lines hl ON hl.account_id = a.id
),
scored AS (SELECT id, is_customer, {", ".join(scored)} FROM joined),
filled AS (SELECT *{qbr_fill} FROM scored),
comps AS (SELECT id, is_customer, {", ".join(f"{e} AS c_{k}" for k, e in comps.items())} FROM filled)
SELECT id, {health} AS health_score, c_usage AS usage_axis, {axis} AS health_axis
FROM comps WHERE is_customer
"""


def run_reference(folder: Path, body: ScoringConfigBody, as_of: date) -> dict[str, Any]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name in EXPORTS:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{folder / name}.csv', header=true)")
    sql = reference_sql(body, as_of)
    started = time.perf_counter()
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return {"seconds": seconds, "scores": {str(r[0]): (r[1], r[2], r[3]) for r in rows}}


async def tempo_rescore(as_of: date, workers: int) -> dict[str, Any]:
    from app.core.db import unit_of_work
    from app.core.enums import RunCadence, RunKind
    from app.flows import scoring_pass
    from app.scoring import runs

    async with unit_of_work() as session:
        run = await runs.create_run(session, RunKind.daily, as_of, as_of, RunCadence.daily, "bench")
        run_id = run.id
    started = time.perf_counter()
    await asyncio.gather(*(scoring_pass.work_run(run_id) for _ in range(workers)))
    seconds = time.perf_counter() - started
    async with unit_of_work() as session:
        done = await runs.get_run(session, run_id)
        assert done.status == "succeeded", done.error
        return {"seconds": seconds, "snapshots": done.snapshots_written, "shards": done.total_shards}


async def stored_scores(dsn: str, as_of: date) -> dict[str, tuple[float | None, float | None, float | None]]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT account_id::text, health_score, usage_axis, health_axis FROM health_snapshot WHERE as_of = $1",
            as_of,
        )
    finally:
        await conn.close()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def compare(ours: dict[str, tuple[Any, ...]], ref: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    worst = 0.0
    mismatched = 0
    for key in set(ours) | set(ref):
        a, b = ours.get(key), ref.get(key)
        if a is None or b is None:
            mismatched += 1
            continue
        for x, y in zip(a, b, strict=True):
            if (x is None) != (y is None):
                mismatched += 1
            elif x is not None and y is not None:
                worst = max(worst, abs(float(x) - float(y)))
    return {"accounts": len(ours), "reference_accounts": len(ref), "max_abs_diff": worst, "mismatched": mismatched}


async def bench_rescore(dsn: str, as_of: date) -> dict[str, Any]:
    from app.core.db import dispose_engine, unit_of_work
    from app.scoring import service

    async with unit_of_work() as session:
        body = (await service.load_active(session)).body
    one = await tempo_rescore(as_of, workers=1)
    two = await tempo_rescore(as_of, workers=2)
    await dispose_engine()
    ours = await stored_scores(dsn, as_of)
    with tempfile.TemporaryDirectory(prefix="tempo-ref-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        rows = await export(dsn, as_of, folder)
        export_seconds = time.perf_counter() - started
        ref = run_reference(folder, body, as_of)
    return {
        "as_of": as_of.isoformat(),
        "one_worker": one,
        "two_workers": two,
        "duckdb_seconds": ref["seconds"],
        "export_seconds": export_seconds,
        "export_rows": rows,
        "agreement": compare(ours, ref["scores"]),
    }
