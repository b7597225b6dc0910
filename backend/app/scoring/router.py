"""Scoring API: account health (with every input), history, explanations; config versions,
preview and activation; runs; validation."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.dependencies import Admin, Reader
from app.auth.service import Principal
from app.core.db import SessionDep
from app.core.enums import RunCadence, RunKind
from app.core.errors import PROBLEM_RESPONSES, BadPayload, Conflict, NotFound, Problem
from app.core.http import read_body
from app.core.types import QueryDate
from app.scoring import calibration, runs, service, validation
from app.scoring import config as cfg
from app.scoring import repository as repo
from app.scoring import runs_repository as runs_repo
from app.scoring.components import COMPONENTS
from app.scoring.explain import explain_change
from app.scoring.health import account_health
from app.scoring.history import health_history
from app.scoring.models import ScoringConfig
from app.scoring.preview import preview_config
from app.scoring.schemas import (
    AccountHealth,
    ActivationResult,
    CalibrationPublic,
    ComponentDefinition,
    ConfigCreate,
    ConfigDetail,
    ConfigPreview,
    ConfigPreviewRequest,
    ConfigVersion,
    Explanation,
    HealthHistory,
    MetricDefinition,
    RunCreate,
    RunPublic,
    RunsPage,
    ValidationReport,
)

# config versions are small positive integers (and PostgreSQL integers)
VersionParam = Annotated[int, Path(ge=1, le=2_147_483_647)]

accounts_router = APIRouter(prefix="/api/v1/accounts", tags=["health"])
router = APIRouter(prefix="/api/v1/scoring", tags=["scoring"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem}}
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/octet-stream")


@accounts_router.get(
    "/{account_id}/health", operation_id="getHealth", response_model=AccountHealth, responses=NOT_FOUND
)
async def get_health(
    account_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    as_of: Annotated[
        QueryDate | None, Query(description="Health as of this date (default: the latest snapshot)")
    ] = None,
) -> AccountHealth:
    await access.require_read(session, principal, account_id)  # a CSM's book, when they read no more
    return await account_health(session, account_id, as_of)


@accounts_router.get(
    "/{account_id}/health/history", operation_id="getHealthHistory", response_model=HealthHistory, responses=NOT_FOUND
)
async def get_history(
    account_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    date_from: Annotated[QueryDate | None, Query(alias="from", description="Default: 90 days before `to`")] = None,
    date_to: Annotated[QueryDate | None, Query(alias="to", description="Default: today")] = None,
) -> HealthHistory:
    await access.require_read(session, principal, account_id)
    return await health_history(session, account_id, date_from, date_to)


@accounts_router.get(
    "/{account_id}/health/explain", operation_id="explainHealth", response_model=Explanation, responses=NOT_FOUND
)
async def explain(
    account_id: uuid.UUID,
    principal: Reader,
    session: SessionDep,
    date_from: Annotated[QueryDate | None, Query(alias="from", description="Default: 30 days before `to`")] = None,
    date_to: Annotated[QueryDate | None, Query(alias="to", description="Default: the latest snapshot")] = None,
) -> Explanation:
    await access.require_read(session, principal, account_id)
    return await explain_change(session, account_id, date_from, date_to)


# -- config --------------------------------------------------------------------------------


def _definitions() -> list[ComponentDefinition]:
    return [
        ComponentDefinition(
            name=c.name,
            label=c.label,
            metrics=[
                MetricDefinition(name=m.name, label=m.label, unit=m.unit, description=m.description) for m in c.metrics
            ],
        )
        for c in COMPONENTS.values()
    ]


def _detail(row: ScoringConfig) -> ConfigDetail:
    return ConfigDetail(
        version=row.version or 0,
        name=row.name,
        is_active=row.is_active,
        created_at=row.created_at,
        activated_at=row.activated_at,
        created_by_id=row.created_by_id,
        body=cfg.ScoringConfigBody.model_validate(row.body),
        definitions=_definitions(),
    )


async def _version(session: AsyncSession, version: int) -> ScoringConfig:
    await repo.active_config(session)
    row = await repo.get_config(session, version)
    if row is None:
        raise NotFound(f"No scoring config version {version}")
    return row


@router.get("/config", operation_id="getScoringConfig", response_model=ConfigDetail)
async def get_active_config(principal: Reader, session: SessionDep) -> ConfigDetail:
    return _detail(await repo.active_config(session))


@router.get("/config/versions", operation_id="listScoringConfigVersions", response_model=list[ConfigVersion])
async def list_versions(principal: Reader, session: SessionDep) -> list[ConfigVersion]:
    await repo.active_config(session)
    return [ConfigVersion.model_validate(r) for r in await repo.list_configs(session)]


@router.get(
    "/config/versions/{version}",
    operation_id="getScoringConfigVersion",
    response_model=ConfigDetail,
    responses={**NOT_FOUND, 200: {"content": {"application/yaml": {}}}},
)
async def get_version(
    version: VersionParam,
    principal: Reader,
    session: SessionDep,
    format: Annotated[str, Query(pattern="^(json|yaml)$", description="yaml: the body as a YAML document")] = "json",
) -> ConfigDetail | Response:
    row = await _version(session, version)
    if format == "yaml":
        body = cfg.ScoringConfigBody.model_validate(row.body)
        return Response(
            cfg.to_yaml(body, row.name),
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="tempo-scoring-v{version}.yaml"'},
        )
    return _detail(row)


@router.post(
    "/config/versions",
    operation_id="createScoringConfig",
    response_model=ConfigDetail,
    status_code=201,
    responses=PROBLEM_RESPONSES,
)
async def create_version(payload: ConfigCreate, principal: Admin, session: SessionDep) -> ConfigDetail:
    """A new, inactive version. Versions never change; activate one to score with it."""
    return await _create(session, principal, payload.name, payload.body)


@router.post(
    "/config/versions/import",
    operation_id="importScoringConfig",
    response_model=ConfigDetail,
    status_code=201,
    responses=PROBLEM_RESPONSES,
    # application/octet-stream too: what generated clients send a file as
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/yaml": {"schema": {"type": "string"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_version(request: Request, principal: Admin, session: SessionDep) -> ConfigDetail:
    """A new, inactive version from a YAML document (as exported: `name:` and the body)."""
    raw = await read_body(request, 1_000_000)
    ctype = request.headers.get("content-type", "application/yaml").split(";")[0].strip().lower()
    if ctype not in YAML_TYPES:
        raise BadPayload(f"Send the config as application/yaml, not {ctype}")
    name, body = cfg.from_yaml(raw.decode("utf-8", errors="replace"))
    return await _create(session, principal, name, body)


async def _create(
    session: AsyncSession, principal: Principal, name: str | None, body: cfg.ScoringConfigBody
) -> ConfigDetail:
    row = await repo.add_config(session, body, name, principal.user_id)
    record(session, principal.actor, "scoring_config.create", "scoring_config", row.version, {"name": name})
    return _detail(row)


@router.post(
    "/config/versions/{version}/activate",
    operation_id="activateScoringConfig",
    response_model=ActivationResult,
    responses=NOT_FOUND,
)
async def activate(version: VersionParam, principal: Admin, session: SessionDep) -> ActivationResult:
    """Make a version the active one and re-score today with it (a run; watch its progress)."""
    await _version(session, version)
    await repo.activate_config(session, version)
    run = await runs.create_run(
        session, RunKind.daily, service.today(), service.today(), RunCadence.daily, principal.actor
    )
    runs.dispatch(session, run)
    record(session, principal.actor, "scoring_config.activate", "scoring_config", version, {"run_id": str(run.id)})
    return ActivationResult(version=version, run_id=run.id)


@router.post("/config/preview", operation_id="previewScoringConfig", response_model=ConfigPreview, responses=NOT_FOUND)
async def preview(payload: ConfigPreviewRequest, principal: Admin, session: SessionDep) -> ConfigPreview:
    """What would change if this config were active: quadrant and band moves, largest changes."""
    if payload.body is not None:
        body = payload.body
    else:
        body = cfg.ScoringConfigBody.model_validate((await _version(session, payload.version or 0)).body)
    return await preview_config(session, body)


# -- runs ----------------------------------------------------------------------------------


@router.post("/runs", operation_id="createScoringRun", response_model=RunPublic, status_code=202)
async def create_run(payload: RunCreate, principal: Admin, session: SessionDep) -> RunPublic:
    """Score all accounts for a date, or backfill a range; workers take its shards."""
    if payload.date_from and payload.date_to:
        kind, start, end = RunKind.backfill, payload.date_from, payload.date_to
    else:
        kind = RunKind.daily
        start = end = payload.as_of or service.today()
    if end > service.today():
        raise BadPayload("Cannot score a date in the future")
    run = await runs.create_run(session, kind, start, end, payload.cadence, principal.actor)
    runs.dispatch(session, run)
    record(session, principal.actor, "scoring_run.create", "scoring_run", run.id, payload.model_dump(mode="json"))
    return RunPublic.model_validate(run)


@router.get("/runs", operation_id="listScoringRuns", response_model=RunsPage)
async def list_runs(
    principal: Reader, session: SessionDep, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> RunsPage:
    return RunsPage(items=[RunPublic.model_validate(r) for r in await runs_repo.recent_runs(session, limit)])


@router.get("/runs/{run_id}", operation_id="getScoringRun", response_model=RunPublic, responses=NOT_FOUND)
async def get_run(run_id: uuid.UUID, principal: Reader, session: SessionDep) -> RunPublic:
    return RunPublic.model_validate(await runs.get_run(session, run_id))


async def _calibration_view(session: Any) -> CalibrationPublic:
    body = (await service.load_active(session)).body
    return CalibrationPublic.model_validate(
        {
            **calibration.describe(await calibration.latest(session)),
            "default_curve": body.churn_probability,
            "min_outcomes": calibration.MIN_OUTCOMES,
            "min_each": calibration.MIN_EACH,
        }
    )


@router.get("/calibration", operation_id="getCalibration", response_model=CalibrationPublic)
async def get_calibration(principal: Reader, session: SessionDep) -> CalibrationPublic:
    """Where the queue's churn probability comes from (refitted daily at 04:15 UTC)."""
    return await _calibration_view(session)


@router.post(
    "/calibration",
    operation_id="refitCalibration",
    response_model=CalibrationPublic,
    responses={**NOT_FOUND, 409: {"model": Problem, "description": "Not enough outcomes to calibrate"}},
)
async def refit_calibration(principal: Admin, session: SessionDep) -> CalibrationPublic:
    """Refit now; a 409 says how many outcomes there are when they are not enough."""
    if await calibration.refit(session) is None:
        raise Conflict(
            f"Not enough outcomes to calibrate: needs {calibration.MIN_OUTCOMES} with at least "
            f"{calibration.MIN_EACH} churned and {calibration.MIN_EACH} retained"
        )
    return await _calibration_view(session)


@router.get("/validation", operation_id="getScoringValidation", response_model=ValidationReport)
async def get_validation(
    principal: Reader,
    session: SessionDep,
    horizon_days: Annotated[int, Query(ge=7, le=365)] = 90,
) -> ValidationReport:
    return await validation.report(session, horizon_days)
