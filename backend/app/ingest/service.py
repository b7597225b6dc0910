"""Ingest orchestration: validate each item, resolve its account, write, keep the rest.

A bad item is rejected with its field paths and never sinks its neighbours; an item
whose account is unknown is stored as an unmatched record and replayed as soon as an
account or alias that resolves it arrives. Every call appends one row to the ingest log
in the same transaction (its source, item count and touched accounts); the debounced
``rescore_pending`` job folds the log into data-source freshness and rescore requests.
Nothing here updates a row that concurrent calls share, so calls do not queue up.
``sources`` reads that freshness back, counting logged calls not yet folded in.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.errors import FieldError, NotFound, Unprocessable, field_errors
from app.core.jobs import Job, enqueue
from app.core.models import utcnow
from app.core.types import storable
from app.identity import repository as identity_repository
from app.identity import service as identity
from app.ingest import repository
from app.ingest.accounts_writer import write_accounts
from app.ingest.schemas import (
    ITEM_MODELS,
    DataSourcePublic,
    IngestResult,
    ItemError,
    Kind,
    Rejected,
    RejectionPage,
    RejectionPublic,
)
from app.ingest.writers import WRITERS, Outcome, Resolved

RESCORE_DEBOUNCE_SECONDS = 0.5
# How long refused items stay listed per source.
REJECTION_RETENTION_DAYS = 90
# Usage arrives as a stream; everything else can open an alert now and is rescored first.
USAGE_KINDS = frozenset({Kind.events, Kind.usage_daily})


def _validate(kind: Kind, raw_items: list[Any]) -> tuple[list[tuple[int, Any]], list[Rejected]]:
    model: Any = ITEM_MODELS[kind]
    valid: list[tuple[int, Any]] = []
    rejected: list[Rejected] = []
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, dict):
            rejected.append(Rejected(index=index, errors=[ItemError(loc=[], msg="each item must be a JSON object")]))
            continue
        raw_id = raw.get("external_id" if kind == Kind.accounts else "id")
        try:
            valid.append((index, model.model_validate(raw)))
        except ValidationError as exc:
            errors = [ItemError(loc=e.loc, msg=e.msg) for e in field_errors(exc, prefix=())]
            rejected.append(Rejected(index=index, id=str(raw_id) if raw_id is not None else None, errors=errors))
        except (TypeError, ValueError) as exc:  # a validator tripped on an unexpected shape: still the item's fault
            errors = [ItemError(loc=[], msg=f"invalid item: {exc}")]
            rejected.append(Rejected(index=index, id=str(raw_id) if raw_id is not None else None, errors=errors))
    return valid, rejected


def _item_id(kind: Kind, item: Any) -> str:
    return str(item.item_id if hasattr(item, "item_id") else item.id)


def _dedupe(kind: Kind, items: list[tuple[int, Any]]) -> tuple[list[tuple[int, Any]], int]:
    """Within one batch the last copy of an id wins (events: the first); others are duplicates."""
    chosen: dict[str, tuple[int, Any]] = {}
    for index, item in items:
        key = _item_id(kind, item)
        if kind == Kind.events and key in chosen:
            continue
        chosen[key] = (index, item)
    kept = sorted(chosen.values(), key=lambda pair: pair[0])
    return kept, len(items) - len(kept)


class Ingestor:
    """One ingest call (or replay) inside the caller's unit of work."""

    def __init__(self, session: AsyncSession, source: str, reference: str | None = None) -> None:
        self.session = session
        self.source = source
        self.reference = reference  # the delivery (a Stripe event id), kept with rejections
        self.result = IngestResult()
        self.touched: dict[uuid.UUID, Any] = {}
        # accounts whose subscription lines changed: the revenue engine recomputes them
        self.lines_touched: set[uuid.UUID] = set()

    def _merge(self, out: Outcome) -> None:
        self.result.accepted += out.accepted
        self.result.updated += out.updated
        self.result.duplicates += out.duplicates
        self.result.rejected += out.rejected
        self.result.warnings += out.warnings
        for account_id, day in out.touched.items():
            self.touched[account_id] = min(day, self.touched.get(account_id, day))

    async def run(self, kind: Kind, raw_items: list[Any]) -> IngestResult:
        valid, rejected = _validate(kind, raw_items)
        self.result.rejected += rejected
        valid, duplicates = _dedupe(kind, valid)
        self.result.duplicates += duplicates
        if kind == Kind.accounts:
            out, _, keys = await write_accounts(self.session, valid)
            self._merge(out)
            await self._replay(keys)
            if out.touched:
                # a CRM's contract renewal date wins over billing: renewals catch up after commit
                ids = [str(a) for a in sorted(out.touched)]
                enqueue(self.session, Job.sync_renewals, ids, job_id=f"renewals:{uuid.uuid4()}")
        else:
            await self._write(kind, valid, store_unmatched=True)
        await self._finish(len(raw_items) - len(self.result.rejected), 1 if kind in USAGE_KINDS else 0)
        self.result.rejected.sort(key=lambda r: r.index)
        await record_rejections(self.session, self.source, kind, self.result.rejected, self.reference)
        return self.result

    async def _write(
        self,
        kind: Kind,
        items: list[tuple[int, Any]],
        store_unmatched: bool,
        found: dict[tuple[str, str], uuid.UUID] | None = None,
    ) -> list[int]:
        """Write items whose account resolves (``found``: keys the caller resolved already);
        returns the indexes that did not resolve."""
        if found is None:
            found = await identity.resolve(self.session, {i.account_key for _, i in items})
        resolved: list[Resolved] = []
        unmatched: list[tuple[int, Any]] = []
        for index, item in items:
            account_id = found.get(identity.normalise(*item.account_key))
            if account_id is None:
                unmatched.append((index, item))
            else:
                resolved.append(Resolved(index, item, account_id))
        if resolved:
            out = await WRITERS[kind](self.session, resolved, self.source)
            self._merge(out)
            if kind == Kind.subscriptions:
                self.lines_touched.update(out.touched)
        if store_unmatched and unmatched:
            self.result.unmatched += len(unmatched)
            await identity_repository.store_unmatched(
                self.session,
                [
                    {
                        "kind": kind.value,
                        "item_id": _item_id(kind, item),
                        "account_key_type": item.account_key[0],
                        "account_key": item.account_key[1],
                        "payload": item.model_dump(mode="json", exclude_unset=True)
                        | {"account": item.account, "account_key_type": item.account_key_type},
                        "source": self.source,
                    }
                    for _, item in unmatched
                ],
            )
        return [index for index, _ in unmatched]

    async def _replay(self, keys: list[tuple[str, str]]) -> None:
        """Ingest stored unmatched records that ``keys`` now resolve.

        A record counts as replayed only once its item is stored. One that resolves but
        cannot be stored (a currency without rates, a payload today's rules refuse) is
        marked rejected with its reasons and stays listed; it is never dropped.
        """
        records = await identity_repository.pending_unmatched_for(self.session, keys)
        found = await identity.resolve(self.session, {(r.account_key_type, r.account_key) for r in records})
        groups: dict[tuple[Kind, str], list[Any]] = {}
        for record in records:
            if found.get(identity.normalise(record.account_key_type, record.account_key)) is not None:
                groups.setdefault((Kind(record.kind), record.source or self.source), []).append(record)
        resolved_ids: dict[uuid.UUID, uuid.UUID] = {}
        rejected_ids: dict[uuid.UUID, tuple[uuid.UUID, list[dict[str, Any]]]] = {}
        for (kind, source), group in groups.items():
            valid, invalid = _validate(kind, [r.payload for r in group])
            replay = Ingestor(self.session, source)
            await replay._write(kind, valid, store_unmatched=False, found=found)
            self.touched.update(replay.touched)
            self.lines_touched |= replay.lines_touched
            failed = {r.index: r for r in [*invalid, *replay.result.rejected]}
            for index, record in enumerate(group):
                account_id = found[identity.normalise(record.account_key_type, record.account_key)]
                if index in failed:
                    failed[index].id = record.item_id
                    rejected_ids[record.id] = (account_id, [e.model_dump() for e in failed[index].errors])
                else:
                    resolved_ids[record.id] = account_id
            await record_rejections(self.session, source, kind, list(failed.values()), reference="replay")
        await identity_repository.mark_resolved(self.session, resolved_ids)
        await identity_repository.mark_rejected(self.session, rejected_ids)
        self.result.replayed += len(resolved_ids)
        self.result.replay_rejected += len(rejected_ids)

    async def _finish(self, received: int, priority: int = 1) -> None:
        if self.lines_touched:
            # the revenue engine recomputes these accounts' movements (after commit), also
            # when the lines arrived by replay from the unmatched inbox
            ids = [str(a) for a in sorted(self.lines_touched)]
            enqueue(self.session, Job.rebuild_revenue, ids, job_id=f"revenue:{uuid.uuid4()}")
        if received > 0 or self.touched:
            await repository.log_batch(self.session, self.source, received, self.touched, priority)
        if self.touched:
            window = int(time.time() // RESCORE_DEBOUNCE_SECONDS)
            enqueue(
                self.session,
                Job.rescore_pending,
                job_id=f"rescore-pending:{window}",
                defer_seconds=RESCORE_DEBOUNCE_SECONDS,
            )


async def ingest(
    session: AsyncSession,
    kind: Kind,
    raw_items: list[Any],
    source: str | None = None,
    reference: str | None = None,
    actor: str | None = None,
    ip: str | None = None,
) -> IngestResult:
    """Ingest one batch. With ``actor`` (a call to the ingest API), the batch is one audit entry,
    ``ingest.<kind>`` with its counts, never one per item; webhooks and replays pass none."""
    result = await Ingestor(session, source or kind.value, reference).run(kind, raw_items)
    if actor is not None:
        audit.record(
            session,
            actor,
            f"ingest.{kind.value}",
            "data_source",
            source or kind.value,
            {
                "items": len(raw_items),
                "accepted": result.accepted,
                "updated": result.updated,
                "duplicates": result.duplicates,
                "unmatched": result.unmatched,
                "rejected": len(result.rejected),
            },
            ip=ip,
        )
    return result


async def replay_for_keys(session: AsyncSession, keys: list[tuple[str, str]], source: str = "aliases") -> IngestResult:
    """Replay unmatched records after aliases or accounts were added outside ingest
    (``replayed``: stored; ``replay_rejected``: resolved but refused, kept as rejected)."""
    ingestor = Ingestor(session, source)
    await ingestor._replay([identity.normalise(t, k) for t, k in keys])
    await ingestor._finish(0)
    return ingestor.result


async def record_rejections(
    session: AsyncSession, source: str, kind: Kind | None, rejected: list[Rejected], reference: str | None = None
) -> None:
    """Keep what a source sent and Tempo refused, with the reasons (listed per source)."""
    if rejected:
        await repository.add_rejections(
            session,
            [
                {
                    "source": storable(source),
                    "kind": kind.value if kind else None,
                    "item_id": storable(r.id) if r.id is not None else None,
                    "reference": storable(reference) if reference is not None else None,
                    "errors": [
                        {"loc": [storable(x) if isinstance(x, str) else x for x in e.loc], "msg": storable(e.msg)}
                        for e in r.errors
                    ],
                }
                for r in rejected
            ],
        )


async def prune_rejections(session: AsyncSession) -> int:
    return await repository.prune_rejections(session, REJECTION_RETENTION_DAYS)


async def rejections(session: AsyncSession, source: str, page: int, page_size: int) -> RejectionPage:
    rows, total = await repository.rejections_page(session, source, page, page_size)
    return RejectionPage(
        items=[RejectionPublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


async def sources(session: AsyncSession) -> list[DataSourcePublic]:
    """Every source with its freshness, counting ingest calls not yet folded into it."""
    now = utcnow()
    out = []
    for s in await repository.sources(session):
        age = (now - s["last_received_at"]) if s["last_received_at"] else None
        out.append(
            DataSourcePublic(
                key=s["key"],
                name=s["name"],
                owner_id=s["owner_id"],
                owner_email=s["owner_email"],
                owner_name=s["owner_name"],
                stale_after_days=s["stale_after_days"],
                last_received_at=s["last_received_at"],
                items_received=int(s["items_received"]),
                rejected=int(s["rejected"]),
                age_hours=round(age.total_seconds() / 3600, 1) if age is not None else None,
                stale=age is None or age > timedelta(days=s["stale_after_days"]),
            )
        )
    return out


async def update_source(
    session: AsyncSession, key: str, changes: dict[str, Any], actor: str, ip: str | None = None
) -> DataSourcePublic:
    """Set a source's staleness threshold and owner (``changes``: only what changes; an
    ``owner_id`` of None clears the owner). The owner is an active user. Takes effect at the next
    freshness check (the hourly ``stale_sources`` flow opens or resolves its alert)."""
    current = await repository.source_settings(session, key)
    if current is None:
        raise NotFound(f"No data source '{key}'")
    days = changes.get("stale_after_days")
    if "stale_after_days" in changes and days is None:
        raise Unprocessable(
            "stale_after_days: must be a number of days from 1 to 365",
            errors=[FieldError(loc=["body", "stale_after_days"], msg="must be a number of days from 1 to 365")],
        )
    owner_id = changes.get("owner_id", current["owner_id"])
    if "owner_id" in changes and owner_id is not None:
        found = await repository.active_user_email(session, owner_id)
        msg = f"no user with id {owner_id}" if found is None else f"{found[0]} is not active"
        if found is None or not found[1]:
            raise Unprocessable(f"owner_id: {msg}", errors=[FieldError(loc=["body", "owner_id"], msg=msg)])
    await repository.save_source_settings(
        session, key, days if days is not None else int(current["stale_after_days"]), owner_id
    )
    detail = {k: (str(v) if k == "owner_id" and v is not None else v) for k, v in changes.items()}
    audit.record(session, actor, "data_source.update", "data_source", key, detail, ip=ip)
    return next(s for s in await sources(session) if s.key == key)
