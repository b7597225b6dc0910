"""Spreadsheet import: map columns to ingest items and run them through ingest in chunks.

The semantics are exactly those of JSON ingest (``app.ingest.service.Ingestor``): the
same validation, identity resolution, unmatched records and idempotency; this module
adds column and value mapping, value normalisation, row numbers in the report, skipped
footers, warnings instead of rejections for bad optional cells (``checks``), reported
duplicate keys, duplicate-row dropping, optional creation of missing accounts (for rows
that passed validation only), and chunked progress.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.identity import service as identity
from app.imports.checks import check
from app.imports.parsing import Sheet
from app.imports.presets import Derive, Preset, columns_read, detect, find_column, resolve_mapping
from app.imports.schemas import (
    SKIPPED_LISTED,
    FieldInfo,
    ImportPreview,
    ImportReport,
    KindFields,
    RowRejected,
    RowSkipped,
    RowWarning,
)
from app.imports.values import (
    OMIT,
    ValueMaps,
    cell_value,
    choices,
    describe,
    field_type,
    finish_item,
    from_cells,
    merge_value_maps,
    normalise,
)
from app.ingest.schemas import ITEM_MODELS, ItemError, Kind
from app.ingest.service import Ingestor

CHUNK_ROWS = 2000
DISTINCT_VALUES = 25  # a column with more different values gets no value-mapping list
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
    """The fields a file's columns can fill, each described for the person mapping them."""
    fields = [
        FieldInfo(
            name=name,
            required=info.is_required(),
            type=field_type(kind, name).value,
            description=describe(kind, name),
            choices=choices(kind, name),
        )
        for name, info in ITEM_MODELS[kind].model_fields.items()
        if from_cells(kind, name)
    ]
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


def check_mapping(kind: Kind, mapping: dict[str, str], columns: list[str], values: ValueMaps | None = None) -> None:
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
    for target in values or {}:
        if target not in fields:
            errors.append(ItemError(loc=["values", target], msg=f"'{target}' is not a field of {kind.value}"))
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
    row_id: str | None = None  # the preset's, in this file's spelling once resolved
    values: ValueMaps = field(default_factory=dict)
    preset: Preset | None = None

    @property
    def derive(self) -> Derive | None:
        return self.preset.derive if self.preset else None

    @property
    def aggregate(self) -> bool:
        return self.preset.aggregate if self.preset else False


def apply_preset(plan: ImportPlan, columns: list[str], given: dict[str, str] | None) -> None:
    """The preset's mapping in this file's columns, with the given mapping over it; without
    either, columns named like the fields map themselves."""
    mapping = resolve_mapping(plan.preset, columns) if plan.preset else {}
    mapping.update(given or {})
    plan.mapping = mapping or suggest_mapping(plan.kind, columns)
    if plan.preset and plan.row_id:
        plan.row_id = find_column(columns, [plan.row_id]) or plan.row_id


def unmapped_columns(columns: list[str], mapping: dict[str, str], preset: Preset | None) -> list[str]:
    used = {source for source in mapping.values() if not source.startswith("=")}
    used |= columns_read(preset, columns) if preset else set()
    return [c for c in columns if c not in used]


def distinct_values(sheet: Sheet) -> dict[str, list[str]]:
    """Per column, its different non-blank values when there are few (sorted)."""
    found: dict[str, set[str]] = {c: set() for c in sheet.columns}
    for row in sheet.rows:
        for column, values in list(found.items()):
            text = row.get(column, "").strip()
            if text:
                values.add(text)
                if len(values) > DISTINCT_VALUES:
                    del found[column]
    return {c: sorted(v) for c, v in found.items() if v}


def _skipped_rows(skipped: list[tuple[int, str]]) -> list[RowSkipped]:
    return [RowSkipped(row=n, reason=why) for n, why in skipped[:SKIPPED_LISTED]]


def preview(sheet: Sheet, kind: Kind, chosen: Preset | None) -> ImportPreview:
    detected = detect(sheet.columns)
    preset = chosen or (detected if detected and detected.kind == kind else None)
    suggested = suggest_mapping(kind, sheet.columns)
    preset_mapping = resolve_mapping(preset, sheet.columns) if preset else None
    return ImportPreview(
        columns=sheet.columns,
        sample=sheet.rows[:5],
        rows=len(sheet.rows),
        suggested_mapping=suggested,
        detected_preset=detected.key if detected else None,
        preset_mapping=preset_mapping,
        unmapped_columns=unmapped_columns(sheet.columns, preset_mapping or suggested, preset),
        skipped=len(sheet.skipped),
        skipped_rows=_skipped_rows(sheet.skipped),
        distinct_values=distinct_values(sheet),
    )


def value_maps(preset: Preset | None, given: dict[str, dict[str, Any]] | None) -> ValueMaps:
    return merge_value_maps(preset.values if preset else None, given)


@dataclass
class _Row:
    number: int
    item: dict[str, Any]
    row_key: str | None = None
    sources: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (column, cell text)
    model: Any = None


def _read_aliases(plan: ImportPlan, columns: list[str]) -> dict[str, str]:
    """The preset's spelling of each column it reads -> this file's spelling (case may differ)."""
    if plan.preset is None:
        return {}
    names = (*plan.preset.reads, *(c for t in plan.preset.mapping for c in plan.preset.candidates(t)))
    found = {name: find_column(columns, [name]) for name in names if not name.startswith("=")}
    return {name: column for name, column in found.items() if column is not None and column != name}


def build_item(
    row: dict[str, str], plan: ImportPlan, sources: dict[str, tuple[str, str]] | None = None
) -> dict[str, Any] | str:
    """The item of one row, or the reason the preset leaves it out (a string)."""
    item: dict[str, Any] = {}
    for target, source in plan.mapping.items():
        if source.startswith("="):
            value = normalise(plan.kind, target, source[1:], plan.day_first)
            text = source
        else:
            text = row.get(source, "")
            value = cell_value(plan.kind, target, text, plan.day_first, plan.values)
        if value is not OMIT:
            item[target] = value
            if sources is not None and not source.startswith("="):
                sources[target] = (source, text.strip())
    if plan.derive is not None:
        reason = plan.derive(row, item)
        if reason:
            return reason
    finish_item(plan.kind, item)
    return item


def _skip(report: ImportReport, row: int, reason: str) -> None:
    report.skipped += 1
    if len(report.skipped_rows) < SKIPPED_LISTED:
        report.skipped_rows.append(RowSkipped(row=row, reason=reason))


def prepare(sheet: Sheet, plan: ImportPlan) -> tuple[list[_Row], ImportReport]:
    report = ImportReport(
        kind=plan.kind.value,
        dry_run=plan.dry_run,
        rows=len(sheet.rows),
        mapping=plan.mapping,
        values=plan.values,
        unmapped_columns=unmapped_columns(sheet.columns, plan.mapping, plan.preset),
    )
    for number, why in sheet.skipped:
        _skip(report, number, why)
    aliases = _read_aliases(plan, sheet.columns)
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
        cells = {**raw, **{name: raw[column] for name, column in aliases.items()}} if aliases else raw
        sources: dict[str, tuple[str, str]] = {}
        built = build_item(cells, plan, sources)
        if isinstance(built, str):
            _skip(report, number, built)
            continue
        rows.append(_Row(number, built, row_key, sources))
    report.skipped_rows.sort(key=lambda s: s.row)
    return rows, report


def _item_label(kind: Kind, item: dict[str, Any]) -> str | None:
    value = item.get("external_id" if kind == Kind.accounts else "id")
    return str(value) if value is not None else None


def check_rows(rows: list[_Row], kind: Kind, report: ImportReport) -> list[_Row]:
    """Rows whose item validates (bad optional values left out, with warnings); the rest rejected."""
    valid: list[_Row] = []
    for row in rows:
        checked = check(kind, row.item, row.sources)
        label = _item_label(kind, row.item) or row.row_key
        if checked.model is None:
            report.rejected.append(RowRejected(row=row.number, id=label, errors=checked.errors))
            continue
        for name, message in checked.warnings:
            report.warnings.append(RowWarning(row=row.number, id=label, field=name, message=message))
        row.item, row.model = checked.item, checked.model
        valid.append(row)
    return valid


def _key(model: Any) -> str:
    return str(model.item_id if hasattr(model, "item_id") else model.id)


def dedupe_keys(rows: list[_Row], kind: Kind, report: ImportReport) -> list[_Row]:
    """One row per key (external_id for accounts, id otherwise): like ingest, the last row wins
    (events: the first); every dropped row is a duplicate with a warning naming the kept row."""
    kept: dict[str, _Row] = {}
    dropped: list[tuple[_Row, str]] = []
    for row in rows:
        key = _key(row.model)
        if key in kept and kind == Kind.events:
            dropped.append((row, key))
            continue
        if key in kept:
            dropped.append((kept[key], key))
        kept[key] = row
    name = "external_id" if kind == Kind.accounts else "id"
    rule = "the first row wins" if kind == Kind.events else "the last row wins"
    for row, key in dropped:
        report.duplicates += 1
        message = f"duplicate {name} {key}: also on row {kept[key].number}, which is imported ({rule})"
        report.warnings.append(RowWarning(row=row.number, id=key, message=message))
    return sorted(kept.values(), key=lambda r: r.number)


async def _aggregate_usage(session: AsyncSession, rows: list[_Row], report: ImportReport) -> list[_Row]:
    """Sum usage rows that land on the same account, day and feature (first row's number kept).

    Keys are resolved first, so rows naming two subscriptions of one account add up.
    """
    found = await identity.resolve(session, {row.model.account_key for row in rows})
    groups: dict[tuple[Any, ...], _Row] = {}
    for row in rows:
        item = row.model
        owner = found.get(identity.normalise(*item.account_key), item.account_key)
        key = (owner, item.date, item.feature)
        if key not in groups:
            groups[key] = _Row(row.number, dict(row.item), row.row_key, model=item)
            for n in ("events", "minutes", "api_calls", "active_users"):
                if getattr(item, n) is not None:
                    groups[key].item[n] = getattr(item, n)
            continue
        target = groups[key].item
        target["events"] += item.events
        if item.minutes is not None:  # unknown minutes add nothing; known ones add up
            target["minutes"] = (target.get("minutes") or 0.0) + item.minutes
        target["api_calls"] += item.api_calls
        target["active_users"] = max(target["active_users"], item.active_users)
        report.merged += 1
    return list(groups.values())


async def _create_missing_accounts(session: AsyncSession, plan: ImportPlan, chunk: list[_Row]) -> int:
    """Minimal accounts for the unknown external ids of this chunk's rows (all of them valid)."""
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
    rows = check_rows(rows, plan.kind, report)
    if plan.aggregate:
        async with chunk_session() as session:
            rows = await _aggregate_usage(session, rows, report)
    else:
        rows = dedupe_keys(rows, plan.kind, report)
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


def audit_import(
    session: AsyncSession,
    actor: str,
    plan: ImportPlan,
    outcome: dict[str, Any],
    file_name: str | None = None,
    ip: str | None = None,
) -> None:
    """One audit entry for an import that wrote (a dry run writes nothing, so is not one):
    ``import.<kind>`` with its counts, never one per row. ``outcome``: the final report, or for
    a stream that stopped, what was done before it stopped."""
    if plan.dry_run:
        return
    rejected = outcome.get("rejected", [])
    detail: dict[str, Any] = {
        "file": file_name,
        "preset": plan.preset.key if plan.preset else None,
        "rows": outcome.get("rows"),
        "accepted": outcome.get("accepted", 0),
        "updated": outcome.get("updated", 0),
        "duplicates": outcome.get("duplicates", 0),
        "unmatched": outcome.get("unmatched", 0),
        "rejected": len(rejected) if isinstance(rejected, list) else rejected,
        "accounts_created": outcome.get("accounts_created", 0),
    }
    if "stopped" in outcome:
        detail["stopped"] = outcome["stopped"]
        detail["rows_done"] = outcome.get("rows_done")
    record(session, actor, f"import.{plan.kind.value}", "data_source", plan.source, detail, ip=ip)
