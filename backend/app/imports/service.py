"""Spreadsheet import: map columns to ingest items and run them through ingest in chunks.

The semantics are exactly those of JSON ingest (``app.ingest.service.Ingestor``): the
same validation, identity resolution, unmatched records and idempotency; this module
adds column mapping, value normalisation, row numbers in the report, duplicate-row
dropping, optional creation of missing accounts, and chunked progress.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import service as identity
from app.imports.parsing import Sheet
from app.imports.presets import Derive
from app.imports.schemas import FieldInfo, ImportReport, KindFields, RowRejected, RowWarning
from app.imports.values import normalise
from app.ingest.schemas import ITEM_MODELS, ItemError, Kind
from app.ingest.service import Ingestor

CHUNK_ROWS = 2000
ChunkSession = Callable[[], AbstractAsyncContextManager[AsyncSession]]

# Column names that commonly carry a field, beyond the field's own name.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "external_id": ("account_id", "customer_id", "company_id", "id"),
    "account": ("account_id", "account_external_id", "customer_id", "company_id", "account"),
    "name": ("account_name", "company_name", "company"),
    "id": ("ticket_id", "subscription_id", "invoice_id", "event_id", "response_id", "contact_id"),
    "opened_at": ("created_at", "submitted_at"),
    "resolved_at": ("closed_at", "solved_at"),
    "timestamp": ("occurred_at", "created_at", "time"),
    "mrr": ("mrr_amount", "monthly_amount"),
    "arr": ("arr_amount",),
    "quantity": ("seats", "qty"),
    "plan": ("plan_tier", "plan_name"),
    "date": ("usage_date", "day"),
    "feature": ("feature_name", "feature_key"),
    "events": ("usage_count", "count"),
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def kind_fields(kind: Kind) -> KindFields:
    model = ITEM_MODELS[kind]
    fields = []
    for name, info in model.model_fields.items():
        annotation = getattr(info.annotation, "__name__", None) or str(info.annotation)
        fields.append(FieldInfo(name=name, required=info.is_required(), description=annotation.replace("typing.", "")))
    return KindFields(kind=kind.value, fields=fields)


def suggest_mapping(kind: Kind, columns: list[str]) -> dict[str, str]:
    by_norm = {_norm(c): c for c in columns}
    mapping: dict[str, str] = {}
    for f in kind_fields(kind).fields:
        for candidate in (f.name, *_SYNONYMS.get(f.name, ())):
            if _norm(candidate) in by_norm and by_norm[_norm(candidate)] not in mapping.values():
                mapping[f.name] = by_norm[_norm(candidate)]
                break
    return mapping


class MappingError(ValueError):
    def __init__(self, errors: list[ItemError]) -> None:
        super().__init__("; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors))
        self.errors = errors


def check_mapping(kind: Kind, mapping: dict[str, str], columns: list[str]) -> None:
    fields = {f.name: f for f in kind_fields(kind).fields}
    errors = []
    for target, source in mapping.items():
        if target not in fields:
            errors.append(ItemError(loc=["mapping", target], msg=f"'{target}' is not a field of {kind.value}"))
        elif not source.startswith("=") and source not in columns:
            errors.append(ItemError(loc=["mapping", target], msg=f"column '{source}' is not in the file"))
    for f in fields.values():
        if f.required and f.name not in mapping:
            errors.append(ItemError(loc=["mapping", f.name], msg=f"required field '{f.name}' is not mapped"))
    if errors:
        raise MappingError(errors)


@dataclass
class ImportPlan:
    kind: Kind
    mapping: dict[str, str]
    source: str
    dry_run: bool = False
    create_missing_accounts: bool = False
    day_first: bool = False
    derive: Derive | None = None
    aggregate: bool = False
    row_id: str | None = None


@dataclass
class _Row:
    number: int
    item: dict[str, Any]
    row_key: str | None = None


@dataclass
class _Totals:
    report: ImportReport
    rows: list[_Row] = field(default_factory=list)


def build_item(row: dict[str, str], plan: ImportPlan) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for target, source in plan.mapping.items():
        if source.startswith("="):
            item[target] = source[1:]
            continue
        text = row.get(source, "")
        if text.strip():
            item[target] = normalise(target, text, plan.day_first)
    if plan.derive is not None:
        plan.derive(row, item)
    return item


def _item_label(kind: Kind, item: dict[str, Any]) -> str | None:
    value = item.get("external_id" if kind == Kind.accounts else "id")
    return str(value) if value is not None else None


async def _aggregate_usage(session: AsyncSession, rows: list[_Row], report: ImportReport) -> list[_Row]:
    """Sum usage rows that land on the same account, day and feature (first row's number kept).

    Keys are resolved first, so rows naming two subscriptions of one account add up.
    """
    model = ITEM_MODELS[Kind.usage_daily]
    valid: list[tuple[_Row, Any]] = []
    for row in rows:
        try:
            valid.append((row, model.model_validate(row.item)))
        except ValidationError as exc:
            errors = [ItemError(loc=list(e["loc"]), msg=e["msg"]) for e in exc.errors(include_url=False)]
            report.rejected.append(RowRejected(row=row.number, id=row.row_key, errors=errors))
    found = await identity.resolve(session, {item.account_key for _, item in valid})
    groups: dict[tuple[Any, ...], _Row] = {}
    for row, item in valid:
        owner = found.get(identity.normalise(*item.account_key), item.account_key)
        key = (owner, item.date, item.feature)
        if key not in groups:
            groups[key] = _Row(row.number, dict(row.item))
            for n in ("events", "minutes", "api_calls", "active_users"):
                groups[key].item[n] = getattr(item, n)
            continue
        target = groups[key].item
        target["events"] += item.events
        target["minutes"] += item.minutes
        target["api_calls"] += item.api_calls
        target["active_users"] = max(target["active_users"], item.active_users)
        report.merged += 1
    return list(groups.values())


def prepare(sheet: Sheet, plan: ImportPlan) -> tuple[list[_Row], ImportReport]:
    report = ImportReport(kind=plan.kind.value, dry_run=plan.dry_run, rows=len(sheet.rows), mapping=plan.mapping)
    rows: list[_Row] = []
    seen: set[str] = set()
    for number, raw in zip(sheet.row_numbers, sheet.rows, strict=True):
        row_key = raw.get(plan.row_id, "").strip() if plan.row_id else None
        if row_key:
            if row_key in seen:
                report.duplicates += 1
                report.warnings.append(
                    RowWarning(row=number, id=row_key, message=f"duplicate row id {row_key}; skipped")
                )
                continue
            seen.add(row_key)
        rows.append(_Row(number, build_item(raw, plan), row_key))
    return rows, report


async def _create_missing_accounts(session: AsyncSession, plan: ImportPlan, chunk: list[_Row]) -> int:
    keys = {
        str(r.item["account"])
        for r in chunk
        if r.item.get("account") and r.item.get("account_key_type", identity.EXTERNAL_ID) == identity.EXTERNAL_ID
    }
    if not keys:
        return 0
    found = await identity.resolve(session, {(identity.EXTERNAL_ID, k) for k in keys})
    missing = sorted(k for k in keys if (identity.EXTERNAL_ID, k) not in found)
    if not missing:
        return 0
    result = await Ingestor(session, plan.source).run(Kind.accounts, [{"external_id": k, "name": k} for k in missing])
    return result.accepted


async def run_import(sheet: Sheet, plan: ImportPlan, chunk_session: ChunkSession) -> AsyncIterator[dict[str, Any]]:
    """Yield ``{"type": "progress", ...}`` after each chunk, then ``{"type": "result", ...}``."""
    rows, report = prepare(sheet, plan)
    if plan.aggregate:
        async with chunk_session() as session:
            rows = await _aggregate_usage(session, rows, report)
    done = report.rows - len(rows)
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        async with chunk_session() as session:
            if plan.create_missing_accounts:
                report.accounts_created += await _create_missing_accounts(session, plan, chunk)
            result = await Ingestor(session, plan.source).run(plan.kind, [r.item for r in chunk])
        _merge(report, result, chunk, plan.kind)
        done += len(chunk)
        yield {"type": "progress", "rows_done": done, "rows_total": report.rows}
    report.rejected.sort(key=lambda r: r.row)
    report.warnings.sort(key=lambda w: w.row)
    yield {"type": "result", **report.model_dump(mode="json")}


def _merge(report: ImportReport, result: Any, chunk: list[_Row], kind: Kind) -> None:
    report.accepted += result.accepted
    report.updated += result.updated
    report.duplicates += result.duplicates
    report.unmatched += result.unmatched
    report.replayed += result.replayed
    for rejected in result.rejected:
        row = chunk[rejected.index]
        report.rejected.append(
            RowRejected(row=row.number, id=_item_label(kind, row.item) or row.row_key, errors=rejected.errors)
        )
    for warning in result.warnings:
        row = chunk[warning.index]
        report.warnings.append(RowWarning(row=row.number, id=warning.id, message=warning.message))
