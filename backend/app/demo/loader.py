"""Bulk loading of the demo book into PostgreSQL: COPY only, one transaction.

- Refuses to load into a database that already has accounts unless ``replace=True``,
  which truncates ``account`` and everything that references it (the whole book) and
  removes the previous demo users, features and data sources.
- Account-level tables are copied as Python records (``copy_records_to_table``); the hot
  tables (``usage_daily``, ``usage_user_activity``) are encoded to PostgreSQL's binary COPY
  format with numpy and copied with ``FREEZE`` (they are truncated in this transaction).
- Heavy tables are produced block by block in a worker thread while the previous block is
  being copied, so generation and PostgreSQL's ingestion overlap and memory stays bounded.
- Following PostgreSQL's "Populating a Database" advice, the foreign keys and the plain
  non-unique secondary indexes of the bulk-loaded tables, and the primary keys of the two
  hot tables, are dropped for the load and re-created from the catalog's own definitions
  (so re-validated) before the commit. Other primary keys and all unique constraints stay
  in place. Everything happens in the load's transaction: other sessions never see the
  tables without their constraints, and a failure rolls everything back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import asyncpg

from app.demo import catalog as cat
from app.demo import copybin
from app.demo.feedback import load_feedback
from app.demo.generator import BLOCK_TABLES, Batch, DemoBook, DemoParams, generate

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, int], None]
# Bulk-loaded tables whose foreign keys and secondary indexes are rebuilt after the load.
BULK_TABLES = (
    "contact",
    "account_alias",
    "subscription_line",
    "invoice",
    "renewal",
    "usage_daily",
    "usage_user_activity",
    "ticket",
    "survey_response",
    "touchpoint",
)
BINARY_TABLES = ("usage_daily", "usage_user_activity")
# Tables whose primary key is rebuilt after the load rather than maintained row by row.
PK_REBUILD_TABLES = BINARY_TABLES


@dataclass
class DemoSummary:
    """Rows loaded per table and wall-clock seconds (generation included)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class _Deferred:
    constraints: list[tuple[str, str, str]]  # table, constraint name, definition (PKs first)
    indexes: list[tuple[str, str]]  # index name, definition


async def _account_count(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM account"))


async def _refuse_if_loaded(conn: asyncpg.Connection) -> None:
    existing = await _account_count(conn)
    if existing:
        raise ValueError(
            f"the account table already has {existing} rows; refusing to load demo data "
            "on top of them (pass replace=True to truncate the book and reload)"
        )


async def _prepare(conn: asyncpg.Connection, book: DemoBook, replace: bool) -> None:
    await conn.execute("SET LOCAL synchronous_commit = off")
    await conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
    if replace:
        await conn.execute("TRUNCATE account CASCADE")
    else:
        await conn.execute("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE")
        await _refuse_if_loaded(conn)
    # Emptied in this transaction so that COPY ... FREEZE is allowed (they hold no rows:
    # every row references an account, and no table references them).
    await conn.execute(f"TRUNCATE {', '.join(BINARY_TABLES)}")
    # Demo staff from an earlier load (any book size) and anyone holding our ids.
    await conn.execute(
        'DELETE FROM "user" WHERE lower(email) LIKE $1 OR id = ANY($2::uuid[])',
        f"%@{cat.DEMO_EMAIL_DOMAIN}",
        book.staff.ids,
    )
    features = [f.key for f in cat.FEATURES]
    ids = [f.id for f in cat.FEATURES]
    await conn.execute("DELETE FROM feature WHERE id = ANY($1::int[]) OR key = ANY($2::text[])", ids, features)
    await conn.execute("DELETE FROM data_source WHERE key = ANY($1::text[])", [k for k, _ in cat.DATA_SOURCES])


async def _defer_constraints(conn: asyncpg.Connection) -> _Deferred:
    """Drop the bulk tables' foreign keys and secondary indexes (and the binary tables'
    primary keys); return their catalog definitions to re-create them after the load."""
    constraints = await conn.fetch(
        "SELECT conrelid::regclass::text AS tbl, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def "
        "FROM pg_constraint WHERE (contype = 'f' AND conrelid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)) "
        "OR (contype = 'p' AND conrelid IN (SELECT to_regclass(t) FROM unnest($2::text[]) AS t)) "
        "ORDER BY contype DESC, 1, 2",
        list(BULK_TABLES),
        list(PK_REBUILD_TABLES),
    )
    indexes = await conn.fetch(
        "SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index i "
        "WHERE indrelid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t) AND NOT indisunique "
        "AND NOT indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        # Plain column indexes only: re-creating partial or expression indexes from their
        # deparsed text can change how the catalog spells them.
        "AND indpred IS NULL AND indexprs IS NULL ORDER BY 1",
        list(BULK_TABLES),
    )
    deferred = _Deferred(
        [(r["tbl"], r["name"], r["def"]) for r in constraints], [(r["name"], r["def"]) for r in indexes]
    )
    for name, _ in deferred.indexes:
        await conn.execute(f"DROP INDEX {name}")
    for table, name, _ in reversed(deferred.constraints):
        await conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return deferred


async def _timed(conn: asyncpg.Connection, sql: str) -> None:
    started = time.perf_counter()
    await conn.execute(sql)
    log.debug("%.1fs %s", time.perf_counter() - started, sql)


async def _restore_constraints(conn: asyncpg.Connection, deferred: _Deferred) -> None:
    for table, name, definition in deferred.constraints:
        if definition.startswith("PRIMARY KEY"):
            await _timed(conn, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in deferred.indexes:
        await _timed(conn, definition)
    for table, name, definition in deferred.constraints:
        if not definition.startswith("PRIMARY KEY"):
            await _timed(conn, f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


Prepared = list[tuple[Batch, memoryview | None]]


class _Copier:
    """Copies batches and keeps the counts and the progress reports."""

    def __init__(self, conn: asyncpg.Connection, book: DemoBook, progress: ProgressFn | None):
        self.conn, self.book, self.progress = conn, book, progress
        self.rows: dict[str, int] = {}
        self.items: dict[str, int] = {}

    async def copy(self, batch: Batch, payload: memoryview | None = None, estimate: int | None = None) -> None:
        if len(batch):
            if payload is not None:
                await self.conn.copy_to_table(
                    batch.table, source=payload, columns=list(batch.columns), format="binary", freeze=True
                )
            else:
                await self.conn.copy_records_to_table(
                    batch.table, records=batch.records or [], columns=list(batch.columns)
                )
        done = self.rows.get(batch.table, 0) + len(batch)
        self.rows[batch.table] = done
        self.book.count_items(batch, self.items)
        if self.progress is not None:
            self.progress(batch.table, done, max(done, estimate or done))

    def prepare_block(self, block: int) -> Prepared:
        """Generate a block and encode its hot tables (runs in a worker thread)."""
        prepared: Prepared = []
        for batch in self.book.block_batches(block):
            payload = None
            if batch.table in BINARY_TABLES and batch.arrays:
                payload = memoryview(copybin.encode(batch.arrays))
            prepared.append((batch, payload))
        return prepared

    async def copy_blocks(self) -> None:
        loop = asyncio.get_running_loop()
        blocks = self.book.n_blocks
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-gen") as pool:
            pending = loop.run_in_executor(pool, self.prepare_block, 0)
            for block in range(blocks):
                prepared = await pending
                if block + 1 < blocks:
                    pending = loop.run_in_executor(pool, self.prepare_block, block + 1)
                for batch, payload in prepared:
                    done = self.rows.get(batch.table, 0) + len(batch)
                    await self.copy(batch, payload, estimate=done * blocks // (block + 1))
                del prepared


FEATURE_SEQUENCE_PAST_ROWS = (
    "SELECT setval(pg_get_serial_sequence('feature', 'id'), greatest((SELECT max(id) FROM feature), 1))"
)


async def load_demo_data(
    conn: asyncpg.Connection,
    params: DemoParams,
    progress: ProgressFn | None = None,
    *,
    replace: bool = False,
) -> DemoSummary:
    """Generate the demo book for ``params`` and load it with COPY in one transaction.

    ``progress(table, rows_done, rows_total_or_estimate)`` is called after every COPY.
    Raises ``ValueError`` if accounts exist and ``replace`` is false.
    """
    started = time.perf_counter()
    if not replace:
        await _refuse_if_loaded(conn)
    book = await asyncio.to_thread(generate, params)
    copier = _Copier(conn, book, progress)
    async with conn.transaction():
        await _prepare(conn, book, replace)
        deferred = await _defer_constraints(conn)
        for batch in await asyncio.to_thread(lambda: list(book.static_batches())):
            await copier.copy(batch)
        await copier.copy_blocks()
        await copier.copy(book.data_source_batch(copier.items))
        await _restore_constraints(conn, deferred)
        # the catalog's features were copied with their ids: move the id sequence past them,
        # or the first feature a source names afterwards collides with one
        await conn.execute(FEATURE_SEQUENCE_PAST_ROWS)
        # derived from the loaded tickets (not generated rows)
        copier.rows["product_feedback"] = await load_feedback(conn)
        if progress:
            progress("product_feedback", copier.rows["product_feedback"], copier.rows["product_feedback"])
        for table in copier.rows:
            await _timed(conn, f'ANALYZE "{table}"')
    for table in BLOCK_TABLES:
        copier.rows.setdefault(table, 0)
    return DemoSummary(rows=dict(copier.rows), seconds=time.perf_counter() - started)
