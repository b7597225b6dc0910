"""Tests of the demo data generator (``app.demo``): determinism, the book's invariants,
a real load into PostgreSQL, and the churn ratios between quadrants (DESIGN section 17)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio
from alembic import command
from alembic.config import Config

from app.demo import DemoParams, generate, load_demo_data
from app.demo.generator import DemoBook
from app.demo.outcomes import churn_by_quadrant, ratios_to_champions

END = date(2026, 6, 30)
SMALL = DemoParams(accounts=60, months=18, seed=42, end_date=END)
WINDOW_START = date(2025, 1, 1)  # 18 months ending 2026-06-30
END_OF_WINDOW = datetime(2026, 7, 1, tzinfo=UTC)
# Columns that may point past the end of the window: deadlines and upcoming renewals.
FUTURE_OK = {("invoice", "due_at"), ("ticket", "sla_due_at"), ("account", "renewal_date"), ("renewal", "renewal_date")}

Table = list[dict[str, Any]]


def collect(book: DemoBook) -> dict[str, Table]:
    tables: dict[str, Table] = defaultdict(list)
    for batch in book.batches():
        tables[batch.table] += [dict(zip(batch.columns, row, strict=True)) for row in batch.rows()]
    return tables


@pytest.fixture(scope="module")
def small() -> dict[str, Table]:
    return collect(generate(SMALL))


def digest(params: DemoParams) -> str:
    sha = hashlib.sha256()
    for batch in generate(params).batches():
        sha.update(batch.table.encode())
        for row in batch.rows():
            sha.update(repr(row).encode())
    return sha.hexdigest()


def arr_on(lines: Table, account: Any, day: date) -> Decimal:
    """ARR per DESIGN section 11: live lines on ``day``, monthly amounts x 12."""
    total = Decimal(0)
    for line in lines:
        if (
            line["account_id"] == account
            and line["start_date"] <= day
            and (line["end_date"] is None or line["end_date"] > day)
        ):
            total += line["quantity"] * line["unit_amount"] * (12 if line["interval"] == "month" else 1)
    return total


# 1. Determinism -------------------------------------------------------------------------


def test_same_parameters_give_identical_rows_and_another_seed_differs() -> None:
    first = digest(SMALL)
    assert digest(SMALL) == first
    assert digest(DemoParams(accounts=60, months=18, seed=43, end_date=END)) != first


# 2. Invariants on a small book ----------------------------------------------------------


def test_row_counts_follow_from_the_parameters(small: dict[str, Table]) -> None:
    assert len(small["account"]) == 60
    assert len(small["user"]) == 5  # max(3, 60 / 150) CSMs + 2 leaders
    assert [u["email"] for u in small["user"]][:3] == [
        "csm01@demo.tempo.test",
        "csm02@demo.tempo.test",
        "csm03@demo.tempo.test",
    ]
    assert len(small["feature"]) == 13
    assert len(small["account_alias"]) == 120  # a domain and a stripe alias each
    assert len(small["data_source"]) == 6
    assert {a["external_id"] for a in small["account"]} == {f"acct_{i:06d}" for i in range(1, 61)}


def test_csms_alternate_between_the_two_leaders(small: dict[str, Table]) -> None:
    by_id = {u["id"]: u["email"] for u in small["user"]}
    assert [(u["email"], by_id.get(u["lead_id"])) for u in small["user"]] == [
        ("csm01@demo.tempo.test", "leader01@demo.tempo.test"),
        ("csm02@demo.tempo.test", "leader02@demo.tempo.test"),
        ("csm03@demo.tempo.test", "leader01@demo.tempo.test"),
        ("leader01@demo.tempo.test", None),
        ("leader02@demo.tempo.test", None),
    ]


def test_subscription_lines_end_after_they_start(small: dict[str, Table]) -> None:
    bad = [
        line
        for line in small["subscription_line"]
        if line["end_date"] is not None and line["end_date"] <= line["start_date"]
    ]
    assert bad == []


def test_current_arr_is_the_sum_of_live_lines_and_status_follows_it(small: dict[str, Table]) -> None:
    lines = small["subscription_line"]
    for account in small["account"]:
        expected = arr_on(lines, account["id"], END)
        assert account["current_arr"] == expected, account["external_id"]
        assert (account["status"] == "churned") == (expected == 0), account["external_id"]


def test_ticket_lifecycle_is_consistent(small: dict[str, Table]) -> None:
    wrong = []
    for t in small["ticket"]:
        resolved = t["resolved_at"] is not None
        if resolved != (t["status"] in ("solved", "closed")) or (t["csat"] is not None and not resolved):
            wrong.append(t["source_id"])
        for later in ("first_response_at", "resolved_at"):
            if t[later] is not None and t[later] < t["opened_at"]:
                wrong.append(t["source_id"])
    assert wrong == []


def _dated_values(small: dict[str, Table]) -> list[tuple[str, str, Any]]:
    values = []
    for table, rows in small.items():
        for row in rows:
            for column, value in row.items():
                if isinstance(value, date) and (table, column) not in FUTURE_OK:
                    values.append((table, column, value))
    return values


def test_nothing_is_dated_after_the_end_date(small: dict[str, Table]) -> None:
    late = [
        (table, column, value)
        for table, column, value in _dated_values(small)
        if (value >= END_OF_WINDOW if isinstance(value, datetime) else value > END)
    ]
    assert late == []
    future = [r for r in small["renewal"] if r["renewal_date"] > END]
    assert all(r["outcome"] is None and r["closed_at"] is None for r in future)
    assert all(END < r["renewal_date"] <= END + timedelta(days=365) for r in future)


def test_timestamps_are_timezone_aware(small: dict[str, Table]) -> None:
    naive = [(t, c) for t, c, v in _dated_values(small) if isinstance(v, datetime) and v.tzinfo is None]
    assert naive == []


def movements(lines: Table) -> dict[str, int]:
    """Classify every change of an account's ARR (DESIGN section 11), from the lines alone."""
    by_account: dict[Any, Table] = defaultdict(list)
    for line in lines:
        by_account[line["account_id"]].append(line)
    found: dict[str, int] = defaultdict(int)
    for own in by_account.values():
        days = sorted({line["start_date"] for line in own} | {line["end_date"] for line in own if line["end_date"]})
        ever_paid, zero_since = False, None
        for day in days:
            before = {line["product"]: line for line in own if _live(line, day - timedelta(days=1))}
            after = {line["product"]: line for line in own if _live(line, day)}
            if not before and after:
                if not ever_paid:
                    found["new"] += 1
                else:
                    assert zero_since is not None
                    found[
                        "reactivation_within_30_days" if (day - zero_since).days <= 30 else "reactivation_after_30_days"
                    ] += 1
                ever_paid = True
            elif before and not after:
                failed = any(line["cancellation_reason"] == "payment_failed" for line in before.values())
                found["involuntary_churn" if failed else "voluntary_churn"] += 1
                zero_since = day
            elif before:
                for product, line in after.items():
                    old = before.get(product)
                    if old is None:
                        found["cross_sell"] += 1
                        continue
                    found["seat_expansion"] += line["quantity"] > old["quantity"]
                    found["plan_upgrade"] += line["unit_amount"] > old["unit_amount"]
                    found["contraction"] += (
                        line["quantity"] < old["quantity"] or line["unit_amount"] < old["unit_amount"]
                    )
                found["contraction"] += len(set(before) - set(after))
    return found


def _live(line: dict[str, Any], day: date) -> bool:
    return bool(line["start_date"] <= day and (line["end_date"] is None or line["end_date"] > day))


def test_every_revenue_movement_occurs(small: dict[str, Table]) -> None:
    found = movements(small["subscription_line"])
    expected = (
        "new",
        "seat_expansion",
        "plan_upgrade",
        "cross_sell",
        "contraction",
        "voluntary_churn",
        "involuntary_churn",
        "reactivation_within_30_days",
        "reactivation_after_30_days",
    )
    assert [kind for kind in expected if found[kind] == 0] == []


def test_renewal_outcomes_match_the_subscription_lines(small: dict[str, Table]) -> None:
    lines = small["subscription_line"]
    closed = [r for r in small["renewal"] if r["renewal_date"] <= END]
    assert closed and all(r["outcome"] is not None for r in closed)
    for renewal in closed:
        before = arr_on(lines, renewal["account_id"], renewal["renewal_date"] - timedelta(days=1))
        after = arr_on(lines, renewal["account_id"], renewal["renewal_date"])
        outcome = (
            "churned" if after == 0 else "expanded" if after > before else "contracted" if after < before else "renewed"
        )
        assert (renewal["arr_up_for_renewal"], renewal["outcome"]) == (before, outcome)


def _live_days(lines: Table) -> dict[Any, set[date]]:
    live: dict[Any, set[date]] = defaultdict(set)
    for line in lines:
        day = max(line["start_date"], WINDOW_START)
        stop = line["end_date"] or END + timedelta(days=1)
        while day < stop:
            live[line["account_id"]].add(day)
            day += timedelta(days=1)
    return live


def test_usage_only_while_the_account_is_live(small: dict[str, Table]) -> None:
    live = _live_days(small["subscription_line"])
    outside = [(u["account_id"], u["day"]) for u in small["usage_daily"] if u["day"] not in live[u["account_id"]]]
    assert outside == []
    assert min(u["day"] for u in small["usage_daily"]) >= WINDOW_START


def test_activity_masks_only_hold_real_days(small: dict[str, Table]) -> None:
    for row in small["usage_user_activity"]:
        month: date = row["month"]
        assert month.day == 1 and WINDOW_START <= month <= END
        next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        last_day = min(next_month - timedelta(days=1), END).day
        assert 0 < row["active_days"] < 1 << last_day, row


def test_distinct_users_from_masks_equal_the_days_max_active_users(small: dict[str, Table]) -> None:
    from_masks: dict[tuple[Any, date], int] = defaultdict(int)
    for row in small["usage_user_activity"]:
        month, mask = row["month"], row["active_days"]
        for bit in range(31):
            if mask >> bit & 1:
                from_masks[row["account_id"], month.replace(day=bit + 1)] += 1
    from_rollup: dict[tuple[Any, date], int] = defaultdict(int)
    for row in small["usage_daily"]:
        key = (row["account_id"], row["day"])
        from_rollup[key] = max(from_rollup[key], row["active_users"])
    assert {k: v for k, v in from_rollup.items() if v} == dict(from_masks)


# 3. Loading into a real PostgreSQL -------------------------------------------------------

ADMIN_DSN = os.environ.get("TEMPO_DEMO_TEST_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@pytest_asyncio.fixture
async def demo_database() -> AsyncIterator[str]:
    """A new database migrated to head; dropped afterwards."""
    name = f"tempo_demo_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(ADMIN_DSN)
    await admin.execute(f"CREATE DATABASE {name}")
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + f"/{name}"
    try:
        cfg = Config(str(ALEMBIC_INI))
        cfg.attributes["database_url"] = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        cfg.attributes["configure_logger"] = False
        await asyncio.to_thread(command.upgrade, cfg, "head")
        yield dsn
    finally:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await admin.close()


async def _db_counts(conn: asyncpg.Connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        where = " WHERE id <> 0" if table == "feature" else ""  # id 0 'unattributed' is the migration's
        counts[table] = await conn.fetchval(f'SELECT count(*) FROM "{table}"{where}')  # noqa: S608 - our table names
    return counts


async def _schema(conn: asyncpg.Connection) -> set[tuple[str, str, bool]]:
    constraints = await conn.fetch("SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint")
    indexes = await conn.fetch("SELECT indexname, indexdef, true FROM pg_indexes WHERE schemaname = 'public'")
    return {(r[0], r[1], r[2]) for r in [*constraints, *indexes]}


@pytest.mark.asyncio
async def test_load_into_postgres_matches_the_summary_and_refuses_to_load_twice(demo_database: str) -> None:
    params = DemoParams(accounts=40, months=18, seed=7, end_date=END)
    conn = await asyncpg.connect(demo_database)
    try:
        schema_before = await _schema(conn)
        reported: list[tuple[str, int, int]] = []
        summary = await load_demo_data(conn, params, lambda t, done, total: reported.append((t, done, total)))
        assert await _db_counts(conn, list(summary.rows)) == summary.rows
        assert summary.rows["account"] == 40 and summary.rows["user"] == 5 and summary.rows["feature"] == 13
        assert {t for t, _, _ in reported} == set(summary.rows)
        assert all(done <= total for _, done, total in reported)
        generated = {t: n for t, n in summary.rows.items() if t != "product_feedback"}  # derived from tickets
        book_rows = {table: sum(len(b) for b in generate(params).batches() if b.table == table) for table in generated}
        assert generated == book_rows
        with pytest.raises(ValueError, match="already has 40 rows"):
            await load_demo_data(conn, params)
        assert await conn.fetchval("SELECT count(*) FROM account") == 40
        again = await load_demo_data(conn, params, replace=True)
        assert again.rows == summary.rows
        assert await _db_counts(conn, list(again.rows)) == again.rows
        assert await _schema(conn) == schema_before  # constraints and indexes rebuilt exactly
        # a feature a source names after the load gets a fresh id, past the catalog's
        new_id = await conn.fetchval("INSERT INTO feature (key, name) VALUES ('after-load', 'After load') RETURNING id")
        assert new_id == await conn.fetchval("SELECT max(id) FROM feature") > 13
    finally:
        await conn.close()


# 4. Signals predict outcomes ------------------------------------------------------------


def test_churn_ratios_between_quadrants_90_days_before_renewal() -> None:
    # Only the account-level simulation runs here (no usage rows), so a big book is cheap
    # and the ratios are measured on ~7,000 renewals rather than a noisy handful.
    book = generate(DemoParams(accounts=20000, months=18, seed=42, end_date=END))
    outcomes = churn_by_quadrant(book, horizon_days=90)
    ratio = ratios_to_champions(outcomes)
    assert sum(o.renewals for o in outcomes.values()) > 5000
    assert 1.6 <= ratio["frustrated_power_users"] <= 2.8
    assert ratio["churn_risk"] >= 3.0
    assert (
        ratio["frustrated_power_users"] < ratio["churn_risk"] and ratio["relationship_dependent"] < ratio["churn_risk"]
    )
    champions = outcomes["champions"].expansion_rate
    assert all(champions > o.expansion_rate for name, o in outcomes.items() if name != "champions")
