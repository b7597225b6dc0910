"""``POST /api/v1/import/{kind}``: CSV/XLSX upload with column mapping, dry run and progress."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.dependencies import Ingester, Reader
from app.core.db import SessionDep, unit_of_work
from app.core.errors import BadPayload, FieldError, PayloadTooLarge, Problem, ProblemError
from app.core.jobs import discard_pending_jobs
from app.core.limits import UPLOAD_MAX_BYTES, check_json_depth
from app.core.proxy import client_ip
from app.imports import service
from app.imports.parsing import SpreadsheetError, read_sheet
from app.imports.presets import PRESETS, Preset
from app.imports.presets import detect as detect_preset
from app.imports.schemas import ImportDetected, ImportPreview, ImportReport, KindFields, PresetPublic
from app.ingest.schemas import Kind

router = APIRouter(prefix="/api/v1/import", tags=["import"])
MAX_UPLOAD_BYTES = UPLOAD_MAX_BYTES  # the body limit BodyLimits also applies to import paths
NDJSON = "application/x-ndjson"


class BadUpload(ProblemError):
    status = 422
    title = "Validation error"


async def _read(file: UploadFile) -> Any:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        return read_sheet(file.filename or "upload.csv", data)
    except SpreadsheetError as exc:
        raise BadUpload(f"file: {exc}", errors=[FieldError(loc=["body", "file"], msg=str(exc))]) from exc


@router.get("/presets", operation_id="listImportPresets", response_model=list[PresetPublic])
async def presets(principal: Reader) -> list[PresetPublic]:
    return [
        PresetPublic(
            key=p.key,
            kind=p.kind.value,
            name=p.name,
            description=p.description,
            mapping=p.mapping,
            values=p.values,
            reads=list(p.reads),
        )
        for p in PRESETS.values()
    ]


@router.get("/fields", operation_id="listImportFields", response_model=list[KindFields])
async def fields(principal: Reader) -> list[KindFields]:
    return [service.kind_fields(kind) for kind in Kind]


def _preset(kind: Kind, preset: str | None) -> Preset | None:
    chosen = PRESETS.get(preset) if preset else None
    if preset and chosen is None:
        raise BadUpload(
            f"preset: unknown preset '{preset}'",
            errors=[FieldError(loc=["body", "preset"], msg=f"choose one of {sorted(PRESETS)}")],
        )
    if chosen is not None and chosen.kind != kind:
        raise BadUpload(
            f"preset: '{preset}' imports {chosen.kind.value}, not {kind.value}",
            errors=[FieldError(loc=["body", "preset"], msg=f"imports {chosen.kind.value}")],
        )
    return chosen


@router.post("/detect", operation_id="detectImport", response_model=ImportDetected, responses={413: {"model": Problem}})
async def detect(principal: Ingester, file: Annotated[UploadFile, File()]) -> ImportDetected:
    """Which known export a file is, from its header row (Salesforce, HubSpot, Zendesk...),
    so the SPA can choose the preset and kind as soon as a file is dropped."""
    sheet = await _read(file)
    found = detect_preset(sheet.columns)
    return ImportDetected(
        detected_preset=found.key if found else None,
        kind=found.kind.value if found else None,
        columns=sheet.columns,
        rows=len(sheet.rows),
    )


@router.post(
    "/{kind}/preview", operation_id="previewImport", response_model=ImportPreview, responses={413: {"model": Problem}}
)
async def preview(
    kind: Kind,
    principal: Ingester,
    file: Annotated[UploadFile, File()],
    preset: Annotated[str | None, Form(description="Resolve this preset's mapping against the file")] = None,
) -> ImportPreview:
    chosen = _preset(kind, preset)
    sheet = await _read(file)
    return service.preview(sheet, kind, chosen)


def _json_object(name: str, text: str | None, shape: str, valid: Callable[[Any], bool]) -> Any:
    if not text:
        return None
    try:
        # the JSON depth limit of every body, before the parser recurses (a form field is
        # not scanned by BodyLimits: the multipart body around it is not JSON)
        check_json_depth(text.encode("utf-8", "surrogatepass"))
    except BadPayload as exc:
        raise BadUpload(f"{name}: {exc.detail}", errors=[FieldError(loc=["body", name], msg=str(exc.detail))]) from exc
    try:
        given = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadUpload(
            f"{name}: not valid JSON ({exc.msg})", errors=[FieldError(loc=["body", name], msg="not valid JSON")]
        ) from exc
    if not isinstance(given, dict) or not valid(given):
        raise BadUpload(f"{name}: must be an object of {shape}", errors=[FieldError(loc=["body", name], msg=shape)])
    return given


def _scalar_maps(given: dict[str, Any]) -> bool:
    scalars = (str, int, float, bool, type(None))
    return all(isinstance(t, dict) and all(isinstance(v, scalars) for v in t.values()) for t in given.values())


def _plan(
    kind: Kind,
    preset: str | None,
    values: str | None,
    dry_run: bool,
    create_missing_accounts: bool | None,
    day_first: bool,
    source: str | None,
) -> service.ImportPlan:
    chosen = _preset(kind, preset)
    given_values = _json_object("values", values, "field -> {source value: target value}", _scalar_maps)
    defaults = chosen.defaults if chosen else {}
    return service.ImportPlan(
        kind=kind,
        mapping={},
        source=source or f"import:{kind.value}",
        dry_run=dry_run,
        create_missing_accounts=create_missing_accounts
        if create_missing_accounts is not None
        else defaults.get("create_missing_accounts", False),
        day_first=day_first,
        row_id=chosen.row_id if chosen else None,
        values=service.value_maps(chosen, given_values),
        preset=chosen,
    )


@router.post(
    "/{kind}",
    operation_id="runImport",
    response_model=ImportReport,
    responses={413: {"model": Problem}, 200: {"content": {NDJSON: {}}}},
)
async def run(
    kind: Kind,
    request: Request,
    principal: Ingester,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX; the first row holds column names")],
    mapping: Annotated[str | None, Form(description='JSON {"field": "column"}; "=value" is a constant')] = None,
    preset: Annotated[str | None, Form()] = None,
    values: Annotated[
        str | None,
        Form(
            description='JSON {"field": {"source value": target}}, matched case-insensitively; '
            "merged over the preset's; a null target leaves the field out"
        ),
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
    create_missing_accounts: Annotated[bool | None, Form()] = None,
    day_first: Annotated[bool, Form(description="Read 03/04/2024 as 3 April")] = False,
    source: Annotated[str | None, Form(max_length=100)] = None,
) -> Any:
    plan = _plan(kind, preset, values, dry_run, create_missing_accounts, day_first, source)
    given = _json_object(
        "mapping", mapping, "field -> column name", lambda m: all(isinstance(v, str) for v in m.values())
    )
    sheet = await _read(file)
    service.apply_preset(plan, sheet.columns, given)
    try:
        service.check_mapping(kind, plan.mapping, sheet.columns, plan.values)
    except service.MappingError as exc:
        raise BadUpload(str(exc), errors=[FieldError(loc=e.loc, msg=e.msg) for e in exc.errors]) from exc

    audit = _Audit(principal.actor, plan, file.filename, client_ip(request))
    if NDJSON in request.headers.get("accept", ""):
        # Long imports: each chunk is its own transaction, progress is streamed.
        return StreamingResponse(_stream(sheet, plan, audit), media_type=NDJSON)

    final: dict[str, Any] = {}
    async for event in service.run_import(sheet, plan, lambda: _savepoint(session, plan.dry_run)):
        final = event
    final.pop("type", None)
    audit.write(session, final)
    return ImportReport.model_validate(final)


@dataclass(frozen=True)
class _Audit:
    """Who ran an import, for its one audit entry."""

    actor: str
    plan: service.ImportPlan
    file_name: str | None
    ip: str | None

    def write(self, session: AsyncSession, outcome: dict[str, Any]) -> None:
        service.audit_import(session, self.actor, self.plan, outcome, self.file_name, self.ip)


@asynccontextmanager
async def _savepoint(session: AsyncSession, dry_run: bool) -> AsyncIterator[AsyncSession]:
    """One chunk's savepoint; a dry run rolls it back with the jobs it queued."""
    async with session.begin_nested() as savepoint:
        yield session
        if dry_run:
            await savepoint.rollback()
            discard_pending_jobs(session)


async def _stream(sheet: Any, plan: service.ImportPlan, audit: _Audit) -> AsyncIterator[bytes]:
    @asynccontextmanager
    async def own_transaction() -> AsyncIterator[AsyncSession]:
        async with unit_of_work() as session, _savepoint(session, plan.dry_run) as chunk:
            yield chunk

    done: dict[str, Any] = {}
    try:
        async for event in service.run_import(sheet, plan, own_transaction):
            done = event
            yield (json.dumps(event) + "\n").encode()
    except Exception as exc:  # the stream has started: report in-band
        stopped = f"import stopped: {type(exc).__name__}"
        yield (json.dumps({"type": "error", "detail": stopped}) + "\n").encode()
        done = {"stopped": stopped, "rows_done": done.get("rows_done"), "rows": done.get("rows_total")}
    if done.get("type") == "result" or "stopped" in done:
        async with unit_of_work() as session:
            audit.write(session, done)
