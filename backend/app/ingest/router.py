"""``POST /api/v1/ingest/<kind>`` (pinned: one operation per kind), ``GET /api/v1/sources`` and each
source's rejections."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from app.auth.dependencies import Admin, Ingester, Reader
from app.core.db import SessionDep
from app.core.errors import BadPayload, NotFound, PayloadTooLarge, Problem
from app.core.http import read_body
from app.core.openapi import ref
from app.core.proxy import client_ip
from app.ingest import service
from app.ingest.schemas import (
    ITEM_MODELS,
    MAX_BYTES,
    MAX_ITEMS,
    DataSourcePublic,
    DataSourceUpdate,
    IngestResult,
    Kind,
    RejectionPage,
)

router = APIRouter(prefix="/api/v1", tags=["ingest"])


async def read_items(request: Request) -> list[Any]:
    body = await read_body(request, MAX_BYTES)
    try:
        payload = json.loads(body)
    except ValueError as exc:  # bad JSON, bad UTF-8, or an integer of more than 4,300 digits
        raise BadPayload(f"The body is not valid JSON: {exc}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise BadPayload('The body must be a JSON object {"items": [...]}')
    items: list[Any] = payload["items"]
    if len(items) > MAX_ITEMS:
        raise PayloadTooLarge(f"{len(items):,} items sent; the limit is {MAX_ITEMS:,} per call")
    return items


def _batch_name(kind: Kind) -> str:
    return f"{ITEM_MODELS[kind].__name__}Batch"


# The body of each ingest operation, ``{"items": [<the kind's item>]}``, as named schemas (the
# body is read raw, so one bad item is reported by index while its neighbours go through).
BATCH_SCHEMAS: dict[str, dict[str, Any]] = {
    _batch_name(kind): {
        "type": "object",
        "title": _batch_name(kind),
        "required": ["items"],
        "properties": {"items": {"type": "array", "maxItems": MAX_ITEMS, "items": ref(ITEM_MODELS[kind])}},
    }
    for kind in Kind
}


def _body_doc(kind: Kind) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref(_batch_name(kind))}}}}


SourceParam = Annotated[
    str | None,
    Query(
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9:_\-.]*$",
        description="Data source name for freshness (default: the kind)",
    ),
]


def _ingest_route(kind: Kind) -> Any:
    async def endpoint(
        request: Request, principal: Ingester, session: SessionDep, source: SourceParam = None
    ) -> IngestResult:
        items = await read_items(request)
        return await service.ingest(session, kind, items, source=source, actor=principal.actor, ip=client_ip(request))

    endpoint.__doc__ = (
        f"Ingest a batch of {kind.value} (up to {MAX_ITEMS:,} items or {MAX_BYTES // (1024 * 1024)} MB; gzip or "
        "deflate bodies welcome). The answer comes only after the accepted items are committed; each refused item "
        "is reported with its index and reasons."
    )
    endpoint.__name__ = f"ingest_{kind.name}"
    return endpoint


# One operation per kind at its pinned path, so typed clients get each kind's item schema.
for _kind in Kind:
    router.post(
        f"/ingest/{_kind.value}",
        operation_id="ingest" + "".join(w.title() for w in _kind.value.split("-")),
        response_model=IngestResult,
        openapi_extra=_body_doc(_kind),
        responses={400: {"model": Problem}, 413: {"model": Problem}, 415: {"model": Problem}},
    )(_ingest_route(_kind))


@router.post("/ingest/{kind}", include_in_schema=False)
async def unknown_kind(kind: str, principal: Ingester) -> None:
    raise NotFound(f"No ingest kind '{kind}'; the kinds are {', '.join(k.value for k in Kind)}")


@router.get("/sources", operation_id="listSources", response_model=list[DataSourcePublic])
async def list_sources(principal: Reader, session: SessionDep) -> list[DataSourcePublic]:
    """Every data source with its last delivery, staleness threshold and owner."""
    return await service.sources(session)


@router.patch(
    "/sources/{key}",
    operation_id="updateSource",
    response_model=DataSourcePublic,
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
async def update_source(
    key: Annotated[str, Path(max_length=100)],
    body: DataSourceUpdate,
    request: Request,
    principal: Admin,
    session: SessionDep,
) -> DataSourcePublic:
    """A source's staleness threshold (1 to 365 days) and owner (an active user, or null). Send
    only what changes."""
    return await service.update_source(
        session, key, body.model_dump(exclude_unset=True), principal.actor, client_ip(request)
    )


@router.get("/sources/{key}/rejections", operation_id="listSourceRejections", response_model=RejectionPage)
async def list_rejections(
    key: Annotated[str, Path(max_length=100)],
    principal: Reader,
    session: SessionDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RejectionPage:
    """What this source sent that was not stored, newest first, with the reasons (kept 90 days)."""
    return await service.rejections(session, key, page, page_size)
