"""Renewals: the list (pinned, streamed as CSV, JSON or NDJSON for scripts), the forecast
rollup, and forecast edits."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from app.accounts.access import SCOPE_HELP, ScopeName
from app.auth.dependencies import Reader, Worker
from app.core.db import SessionDep
from app.core.enums import Forecast
from app.core.errors import Problem
from app.core.format import csv_chunks
from app.renewals import service
from app.renewals.schemas import (
    ExportFormat,
    RenewalRow,
    RenewalsPage,
    RenewalStatus,
    RenewalUpdate,
    Rollup,
    TermFilter,
)
from app.revenue.schemas import Freshness

router = APIRouter(prefix="/api/v1/renewals", tags=["renewals"])
ScopeParam = Annotated[ScopeName | None, Query(description=SCOPE_HELP)]

MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


def _json(rows: list[RenewalRow], fresh: Freshness, scope: ScopeName) -> Iterator[str]:
    yield '{"items":['
    for n, row in enumerate(rows):
        yield ("," if n else "") + row.model_dump_json()
    yield f'],"total":{len(rows)},"freshness":{fresh.model_dump_json()},"scope":"{scope}"}}'


def _ndjson(rows: list[RenewalRow], fresh: Freshness, scope: ScopeName) -> Iterator[str]:
    for row in rows:
        yield row.model_dump_json() + "\n"


# decimals per number column: money to the cent, scores to a tenth, probabilities to 0.01 %
_CSV_PLACES = {"arr_up_for_renewal": 2, "churn_probability": 4, "health_score": 1}


def _csv(rows: list[RenewalRow], fresh: Freshness, scope: ScopeName) -> Iterator[str]:
    columns = list(RenewalRow.model_fields)
    return csv_chunks(
        columns,
        (
            [getattr(row, c).value if hasattr(getattr(row, c), "value") else getattr(row, c) for c in columns]
            for row in rows
        ),
        [_CSV_PLACES.get(c) for c in columns],
    )


@router.get(
    "",
    operation_id="listRenewals",
    response_model=RenewalsPage,
    responses={
        200: {
            "description": "Renewals (JSON: {items, total}; NDJSON: one renewal per line; CSV: a header row)",
            "content": {"text/csv": {}, "application/x-ndjson": {}},
        }
    },
)
async def list_renewals(
    principal: Reader,
    session: SessionDep,
    within_days: Annotated[
        int | None, Query(ge=0, le=3660, description="renewing from today to today + N days")
    ] = None,
    status: RenewalStatus = "open",
    format: ExportFormat = "json",
    forecast: Forecast | None = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    owner_id: uuid.UUID | None = None,
    term: Annotated[
        TermFilter,
        Query(description="term renewals (annual, multi_year, contract) by default; all adds monthly billing cycles"),
    ] = "term",
    scope: ScopeParam = None,
) -> StreamingResponse:
    """Renewals by date (open ones by default), each with its term, the account's health,
    churn probability and the forecast health suggests beside the team's. An account's
    renewal is its CRM contract date when one is ahead, else its next billing cycle. Only
    the renewals of the scope's accounts (``scope`` in the answer, ``X-Scope`` in NDJSON and
    CSV, says which)."""
    applied = await service.scope_for(session, principal, scope, owner_id)
    rows = await service.list_renewals(
        session,
        principal,
        within_days,
        status,
        forecast.value if forecast else None,
        segment,
        owner_id,
        term=term,
        scope=applied,
    )
    fresh = await service.freshness(session)
    body = {"json": _json, "ndjson": _ndjson, "csv": _csv}[format](rows, fresh, applied.name)
    # NDJSON and CSV carry no envelope: how fresh they are and whose they are travel in headers
    headers = {
        "X-Computed-At": fresh.computed_at.isoformat() if fresh.computed_at else "",
        "X-Rebuild-Pending": "true" if fresh.rebuild_pending else "false",
        "X-Scope": applied.name,
    }
    if format == "csv":
        headers["Content-Disposition"] = 'attachment; filename="renewals.csv"'
    return StreamingResponse(body, media_type=MEDIA[format], headers=headers)


@router.get("/rollup", operation_id="getRenewalsRollup", response_model=Rollup)
async def rollup(
    principal: Reader,
    session: SessionDep,
    within_days: Annotated[int, Query(ge=1, le=3660)] = 90,
    term: TermFilter = "term",
    scope: ScopeParam = None,
) -> Rollup:
    """Open renewals in the next N days by forecast (the team's, and what health suggests),
    over the scope's accounts."""
    return await service.rollup(session, principal, within_days, term, scope)


@router.patch(
    "/{renewal_id}", operation_id="updateRenewal", response_model=RenewalRow, responses={404: {"model": Problem}}
)
async def update_renewal(
    renewal_id: uuid.UUID, payload: RenewalUpdate, principal: Worker, session: SessionDep
) -> RenewalRow:
    """Set the forecast (commit, upside, risk, churn; null clears) and notes."""
    return await service.update(session, principal, renewal_id, payload)
