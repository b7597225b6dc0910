"""``POST /api/v1/ingest/{kind}`` (pinned) and ``GET /api/v1/sources``."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.auth.dependencies import Ingester, Reader
from app.core.db import SessionDep
from app.core.errors import BadPayload, PayloadTooLarge, Problem
from app.core.http import read_body
from app.ingest import service
from app.ingest.schemas import MAX_BYTES, MAX_ITEMS, DataSourcePublic, IngestResult, Kind

router = APIRouter(prefix="/api/v1", tags=["ingest"])


async def read_items(request: Request) -> list[Any]:
    body = await read_body(request, MAX_BYTES)
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadPayload(f"The body is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise BadPayload('The body must be a JSON object {"items": [...]}')
    items: list[Any] = payload["items"]
    if len(items) > MAX_ITEMS:
        raise PayloadTooLarge(f"{len(items):,} items sent; the limit is {MAX_ITEMS:,} per call")
    return items


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["items"],
                    "properties": {"items": {"type": "array", "maxItems": MAX_ITEMS, "items": {"type": "object"}}},
                }
            }
        },
    }
}


@router.post(
    "/ingest/{kind}",
    operation_id="ingest:push",
    response_model=IngestResult,
    openapi_extra=_BODY_DOC,
    responses={400: {"model": Problem}, 413: {"model": Problem}},
)
async def ingest_items(
    kind: Kind,
    request: Request,
    principal: Ingester,
    session: SessionDep,
    source: Annotated[
        str | None,
        Query(
            max_length=100,
            pattern=r"^[a-z0-9][a-z0-9:_\-.]*$",
            description="Data source name for freshness (default: the kind)",
        ),
    ] = None,
) -> IngestResult:
    """Ingest a batch; the answer comes only after the accepted items are committed."""
    items = await read_items(request)
    return await service.ingest(session, kind, items, source=source)


@router.get("/sources", operation_id="sources:list", response_model=list[DataSourcePublic])
async def list_sources(principal: Reader, session: SessionDep) -> list[DataSourcePublic]:
    return await service.sources(session)
