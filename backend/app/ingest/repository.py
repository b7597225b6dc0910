"""SQL for ingest: bulk upserts that report what was inserted, updated or unchanged, the
accounts the accounts kind writes, and the ingest log with the data-source freshness it feeds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    RowMapping,
    String,
    Table,
    Uuid,
    any_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.accounts.models import Account, AccountRevision, Contact
from app.auth.models import User
from app.ingest.models import DataSource, IngestRejection
from app.revenue.models import SubscriptionLine
from app.usage.models import Feature

# asyncpg allows 32,767 bind parameters per statement: multi-row VALUES go in chunks under it,
# and lookups of up to MAX_ITEMS keys (more when unmatched records replay) bind one array
# each (``= ANY(:keys)``, ``unnest(:a, :b)``) instead of a parameter per key.
_MAX_PARAMS = 30_000


def _chunks(rows: list[dict[str, Any]], model: Any) -> list[list[dict[str, Any]]]:
    """``rows`` for ``model`` in parts of at most ``_MAX_PARAMS`` parameters (every column
    counted: client-side defaults such as ids and timestamps are parameters too)."""
    size = max(1, _MAX_PARAMS // len(model.__table__.columns))
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _texts(name: str, values: Sequence[str]) -> Any:
    return bindparam(name, list(values), type_=ARRAY(String))


def _uuids(name: str, values: Sequence[uuid.UUID]) -> Any:
    return bindparam(name, list(values), type_=ARRAY(Uuid))


async def upsert(
    session: AsyncSession, table: Table, keys: Sequence[str], rows: list[dict[str, Any]]
) -> dict[tuple[Any, ...], bool]:
    """Insert or update ``rows`` (all with the same columns) on the unique ``keys``.

    Returns key -> True (inserted) / False (updated). Rows whose values were already
    stored are left untouched and are absent from the result: they are duplicates.
    """
    if not rows:
        return {}
    columns = list(rows[0])
    changing = [c for c in columns if c not in keys]
    stmt = insert(table)
    returning: list[Any] = [table.c[k] for k in keys] + [literal_column("(xmax = 0)").label("inserted")]
    if changing:
        set_: dict[str, Any] = {c: stmt.excluded[c] for c in changing}
        if "updated_at" in table.c:
            set_["updated_at"] = func.now()
        stmt = stmt.on_conflict_do_update(
            index_elements=list(keys),
            set_=set_,
            where=tuple_(*[table.c[c] for c in changing]).is_distinct_from(
                tuple_(*[stmt.excluded[c] for c in changing])
            ),
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(keys))
    # executemany with RETURNING: compiled once, sent in batches ("insertmanyvalues").
    result = await session.execute(stmt.returning(*returning), rows)
    return {tuple(row[: len(keys)]): bool(row[-1]) for row in result}


async def accounts_by_external_id(session: AsyncSession, external_ids: list[str]) -> dict[str, Account]:
    """The stored accounts among ``external_ids``, loaded into the session for the writer to change."""
    if not external_ids:
        return {}
    query = select(Account).where(col(Account.external_id) == any_(_texts("ids", sorted(set(external_ids)))))
    return {a.external_id: a for a in (await session.execute(query)).scalars()}


async def accounts_with_subscription_lines(session: AsyncSession, account_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    if not account_ids:
        return set()
    return set(
        (
            await session.execute(
                select(col(SubscriptionLine.account_id))
                .where(col(SubscriptionLine.account_id) == any_(_uuids("ids", sorted(set(account_ids)))))
                .distinct()
            )
        ).scalars()
    )


async def users_by_email(session: AsyncSession, emails: set[str]) -> dict[str, uuid.UUID]:
    if not emails:
        return {}
    rows = await session.execute(
        select(func.lower(col(User.email)), col(User.id)).where(
            func.lower(col(User.email)) == any_(_texts("emails", sorted({e.lower() for e in emails})))
        )
    )
    return {e: i for e, i in rows}


async def contacts_by_email(
    session: AsyncSession, pairs: set[tuple[uuid.UUID, str]]
) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
    if not pairs:
        return {}
    wanted = sorted({(a, e.lower()) for a, e in pairs})
    # joined against arrays: a row list ``(account, email) IN (...)`` of thousands of pairs
    # is more than PostgreSQL's stack takes
    given = (
        func.unnest(_uuids("accounts", [a for a, _ in wanted]), _texts("emails", [e for _, e in wanted]))
        .table_valued(column("account_id", Uuid), column("email", String))
        .render_derived(name="wanted")
    )
    rows = await session.execute(
        select(col(Contact.account_id), func.lower(col(Contact.email)), col(Contact.id)).join(
            given,
            (col(Contact.account_id) == given.c.account_id) & (func.lower(col(Contact.email)) == given.c.email),
        )
    )
    return {(a, e): i for a, e, i in rows}


async def feature_ids(session: AsyncSession, keys: set[str]) -> dict[str, int]:
    """Feature id per key, creating features for keys seen for the first time."""
    if not keys:
        return {}
    query = select(col(Feature.key), col(Feature.id)).where(col(Feature.key) == any_(_texts("keys", sorted(keys))))
    found = {k: int(i) for k, i in await session.execute(query) if i is not None}
    missing = sorted(keys - found.keys())
    if missing:  # only the first batch naming a feature writes; the rest just read
        for part in _chunks([{"key": k, "name": k.replace("_", " ").title()} for k in missing], Feature):
            await session.execute(insert(Feature).values(part).on_conflict_do_nothing(index_elements=["key"]))
        found = {k: int(i) for k, i in await session.execute(query) if i is not None}
    return found


async def feature_patterns(session: AsyncSession) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(col(Feature.id), col(Feature.event_pattern))
        .where(col(Feature.event_pattern).is_not(None))
        .order_by(col(Feature.id))
    )
    return [(int(i), str(p)) for i, p in rows if i is not None]


async def log_batch(
    session: AsyncSession, source: str, items: int, since: dict[uuid.UUID, date], priority: int = 1
) -> None:
    """Append this call to the ingest log (folded later by ``fold_log``)."""
    ordered = sorted(since.items())
    await session.execute(
        text(
            "INSERT INTO ingest_log (source, items, account_ids, since, priority) "
            "VALUES (:source, :items, CAST(:ids AS uuid[]), CAST(:days AS date[]), :priority)"
        ),
        {
            "source": source,
            "items": items,
            "ids": [a for a, _ in ordered],
            "days": [d for _, d in ordered],
            "priority": priority,
        },
    )


_FOLD = text("""
WITH taken AS (
    DELETE FROM ingest_log
    WHERE id IN (SELECT id FROM ingest_log ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
    RETURNING source, items, received_at, account_ids, since, priority
), sources AS (
    INSERT INTO data_source (id, key, name, last_received_at, items_received, stale_after_days, created_at)
    SELECT gen_random_uuid(), source, initcap(replace(source, '-', ' ')), max(received_at), sum(items), 10, now()
    FROM taken GROUP BY source ORDER BY source
    ON CONFLICT (key) DO UPDATE
        SET last_received_at = greatest(data_source.last_received_at, excluded.last_received_at),
            items_received = data_source.items_received + excluded.items_received
), touched AS (
    SELECT u.account_id, min(u.since) AS since, min(taken.priority) AS priority
    FROM taken, unnest(taken.account_ids, taken.since) AS u(account_id, since)
    GROUP BY u.account_id
)
SELECT (SELECT count(*) FROM taken) AS calls,
       coalesce(array_agg(account_id ORDER BY account_id), '{}') AS account_ids,
       coalesce(array_agg(since ORDER BY account_id), '{}') AS since,
       coalesce(array_agg(priority ORDER BY account_id), '{}') AS priority
FROM touched
""")


@dataclass(frozen=True)
class Folded:
    """Ingest calls folded into freshness: how many, and per touched account its earliest
    signal date and most urgent rescore priority (what scoring is asked to redo)."""

    calls: int
    touched: list[tuple[uuid.UUID, date, int]]


async def fold_log(session: AsyncSession, limit: int = 2000) -> Folded:
    """Fold logged ingest calls into data-source freshness; returns what they touched."""
    row = (await session.execute(_FOLD, {"limit": limit})).one()
    return Folded(int(row.calls), list(zip(row.account_ids, row.since, row.priority, strict=True)))


_SOURCES = text("""
WITH l AS (SELECT source, max(received_at) AS last_received_at, sum(items) AS items FROM ingest_log GROUP BY source),
     r AS (SELECT source, count(*) AS rejected FROM ingest_rejection GROUP BY source),
     keys AS (SELECT key FROM data_source UNION SELECT source FROM l UNION SELECT source FROM r)
SELECT k.key, coalesce(d.name, initcap(replace(k.key, '-', ' '))) AS name,
       d.owner_id, o.email AS owner_email, o.name AS owner_name, coalesce(d.stale_after_days, 10) AS stale_after_days,
       CASE WHEN d.last_received_at IS NULL THEN l.last_received_at
            WHEN l.last_received_at IS NULL THEN d.last_received_at
            ELSE greatest(d.last_received_at, l.last_received_at) END AS last_received_at,
       coalesce(d.items_received, 0) + coalesce(l.items, 0) AS items_received,
       coalesce(r.rejected, 0) AS rejected
FROM keys k
LEFT JOIN data_source d ON d.key = k.key
LEFT JOIN l ON l.source = k.key
LEFT JOIN r ON r.source = k.key
LEFT JOIN "user" o ON o.id = d.owner_id
ORDER BY 1
""")


async def sources(session: AsyncSession) -> list[RowMapping]:
    """Every source with its last delivery and item count, adding ingest calls not yet folded in."""
    return list((await session.execute(_SOURCES)).mappings())


async def source_settings(session: AsyncSession, key: str) -> RowMapping | None:
    """A source's owner and staleness threshold (defaults for one known only from its calls or
    rejections); None for a key no source, call or rejection has."""
    row = await session.execute(
        text(
            """
            SELECT k.key, d.owner_id, coalesce(d.stale_after_days, 10) AS stale_after_days
            FROM (SELECT CAST(:key AS text) AS key) k
            LEFT JOIN data_source d ON d.key = k.key
            WHERE d.id IS NOT NULL
               OR EXISTS (SELECT 1 FROM ingest_log WHERE source = k.key)
               OR EXISTS (SELECT 1 FROM ingest_rejection WHERE source = k.key)
            """
        ),
        {"key": key},
    )
    return row.mappings().first()


async def save_source_settings(
    session: AsyncSession, key: str, stale_after_days: int, owner_id: uuid.UUID | None
) -> None:
    """Write a source's owner and threshold, creating its row when only its calls existed so far
    (the ingest log folds into it later as into any other)."""
    stmt = insert(DataSource).values(
        id=uuid.uuid4(),
        key=key,
        name=func.initcap(func.replace(key, "-", " ")),
        stale_after_days=stale_after_days,
        owner_id=owner_id,
        items_received=0,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={"stale_after_days": stmt.excluded.stale_after_days, "owner_id": stmt.excluded.owner_id},
    )
    await session.execute(stmt)


async def active_user_email(session: AsyncSession, user_id: uuid.UUID) -> tuple[str, bool] | None:
    """(email, is active) of a user; None when there is no such user."""
    row = (await session.execute(select(col(User.email), col(User.is_active)).where(col(User.id) == user_id))).first()
    return (str(row[0]), bool(row[1])) if row else None


# -- subscription line versions (see ``line_versions``) ------------------------------------

_LATEST_VERSIONS = text("""
SELECT DISTINCT ON (source_id) id, source_id, product, plan, quantity, unit_amount, interval, currency, start_date,
       end_date,
       cancellation_reason, state_at, count(*) OVER (PARTITION BY source_id) AS versions
FROM subscription_line
WHERE source = :source AND source_id = ANY(CAST(:ids AS text[]))
ORDER BY source_id, start_date DESC
""")


async def latest_line_versions(session: AsyncSession, source: str, ids: Sequence[str]) -> dict[str, Any]:
    """The latest version of each of these lines, after locking every version of them: a
    concurrent call about the same lines waits, then reads what this one wrote."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    await session.execute(
        text(
            "SELECT 1 FROM subscription_line WHERE source = :source AND source_id = ANY(CAST(:ids AS text[])) "
            "ORDER BY source_id, start_date FOR UPDATE"
        ),
        {"source": source, "ids": wanted},
    )
    rows = await session.execute(_LATEST_VERSIONS, {"source": source, "ids": wanted})
    return {r.source_id: r for r in rows}


async def insert_line_versions(session: AsyncSession, rows: list[dict[str, Any]]) -> dict[tuple[str, date], bool]:
    """New lines and new versions (a concurrent insert of the same first version wins last).

    Returns, per ``(source_id, start_date)`` written, whether the row is new (``False``: a
    concurrent call had inserted it and this one changed it); rows a concurrent call had
    already written identically are absent, so callers count them as duplicates.
    """
    if not rows:
        return {}
    table = SubscriptionLine.__table__  # type: ignore[attr-defined]
    columns = [c for c in rows[0] if c not in ("source", "source_id", "start_date")]
    found: dict[tuple[str, date], bool] = {}
    for part in _chunks(rows, SubscriptionLine):
        stmt = insert(SubscriptionLine).values(part)
        stmt = stmt.on_conflict_do_update(
            index_elements=["source", "source_id", "start_date"],
            set_={c: stmt.excluded[c] for c in columns} | {"updated_at": func.now()},
            where=tuple_(*(table.c[c] for c in columns)).is_distinct_from(tuple_(*(stmt.excluded[c] for c in columns))),
        )
        written = await session.execute(
            stmt.returning(table.c.source_id, table.c.start_date, literal_column("xmax = 0").label("inserted"))
        )
        found.update({(str(i), d): bool(new) for i, d, new in written})
    return found


async def update_line_versions(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Rewrite stored versions by id (every column given, for each row)."""
    for row in rows:
        values = {k: v for k, v in row.items() if k != "id"}
        await session.execute(
            update(SubscriptionLine)
            .where(col(SubscriptionLine.id) == row["id"])
            .values(**values, updated_at=func.now())
        )


async def ticket_escalations(session: AsyncSession, ids: Sequence[str]) -> dict[str, bool]:
    """Whether each stored ticket among ``ids`` is escalated (new ones are absent)."""
    if not ids:
        return {}
    rows = await session.execute(
        text("SELECT source_id, escalated FROM ticket WHERE source_id = ANY(CAST(:ids AS text[]))"),
        {"ids": list(set(ids))},
    )
    return {str(i): bool(e) for i, e in rows}


async def accounts_with_revisions(session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    if not ids:
        return set()
    rows = await session.execute(
        text("SELECT DISTINCT account_id FROM account_revision WHERE account_id = ANY(CAST(:ids AS uuid[]))"),
        {"ids": list(ids)},
    )
    return {r for (r,) in rows}


async def add_revisions(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Plan and limits from a date on (``date.min``: from the start); a second change on the
    same day replaces the first."""
    # in chunks: 5,000 accounts' first changes are 10,000 rows of 6 columns
    for part in _chunks(rows, AccountRevision):
        stmt = insert(AccountRevision).values(part)
        stmt = stmt.on_conflict_do_update(
            index_elements=["account_id", "valid_from"],
            set_={c: stmt.excluded[c] for c in ("plan", "seats_purchased", "seat_limit", "api_call_limit")},
        )
        await session.execute(stmt)


async def known_currencies(session: AsyncSession) -> set[str]:
    """Currencies Tempo has exchange rates for (and the euro, which they are quoted in)."""
    rows = await session.execute(text("SELECT DISTINCT currency FROM fx_rate"))
    return {c for (c,) in rows} | {"EUR"}


async def add_rejections(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 5000):
        await session.execute(insert(IngestRejection), rows[start : start + 5000])


async def rejections_page(
    session: AsyncSession, source: str, page: int, page_size: int
) -> tuple[list[IngestRejection], int]:
    """A source's rejections, newest first, and how many it has in all."""
    stmt = select(IngestRejection).where(col(IngestRejection.source) == source)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.execute(
        stmt.order_by(col(IngestRejection.received_at).desc(), col(IngestRejection.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return list(rows.scalars()), int(total or 0)


async def prune_rejections(session: AsyncSession, days: int) -> int:
    result = await session.execute(
        text("DELETE FROM ingest_rejection WHERE received_at < now() - make_interval(days => :days)"),
        {"days": days},
    )
    return int(getattr(result, "rowcount", 0) or 0)
