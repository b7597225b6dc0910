"""Connector routes: ``POST /api/v1/webhooks/stripe`` (pinned) and the Segment tracking API
``POST /segment/v1/{track,identify,group,page,screen,alias,batch,import}``.

Neither takes a bearer token: a Stripe delivery is authenticated by its signature (400
without a valid one, per Stripe's semantics), a Segment call by its write key (401
without it). Both answer 503 until their secret is configured, and 200 for every
authenticated, well-formed delivery, reporting per-item results like ``/api/v1/ingest``.
Bodies may be gzip- or deflate-encoded. Errors under ``/segment/`` take Segment's shape.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request, Security
from fastapi.security import APIKeyHeader, HTTPBasicCredentials
from sqlalchemy.ext.asyncio import AsyncSession

from app.connectors import stripe
from app.connectors.segment.process import process
from app.connectors.segment.wire import SegmentError, SegmentResult, check_write_key, write_key
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import PROBLEM_JSON, BadPayload, PayloadTooLarge, Problem, ServiceUnavailable
from app.core.http import read_body
from app.ingest.schemas import MAX_BYTES, MAX_ITEMS

router = APIRouter()

_stripe_signature = APIKeyHeader(
    name="Stripe-Signature",
    scheme_name="StripeSignature",
    description="Stripe's webhook signature (t=<unix>,v1=<HMAC-SHA256 hex>), made with the endpoint's signing secret",
    auto_error=False,
)
SegmentAuth = Annotated[HTTPBasicCredentials | None, Security(write_key)]


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "content": {PROBLEM_JSON: {}}} for code in codes}


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_SEGMENT_MESSAGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["track", "identify", "group", "page", "screen", "alias"]},
        "messageId": {"type": "string"},
        "userId": {"type": "string"},
        "anonymousId": {"type": "string"},
        "event": {"type": "string"},
        "groupId": {"type": "string"},
        "previousId": {"type": "string"},
        "name": {"type": "string", "description": "page/screen name"},
        "writeKey": {"type": "string", "description": "The write key, when not sent as Basic auth"},
        "timestamp": {"type": "string", "format": "date-time"},
        "properties": {"type": "object"},
        "traits": {"type": "object"},
        "context": {"type": "object", "properties": {"groupId": {"type": "string"}}},
    },
}


async def _read_body(request: Request) -> bytes:
    return await read_body(request, MAX_BYTES)


def _parse(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:  # bad JSON, bad UTF-8, or an integer of more than 4,300 digits
        raise BadPayload(f"The body is not valid JSON: {exc}") from exc


async def _message(request: Request) -> dict[str, Any]:
    message = _parse(await _read_body(request))
    if not isinstance(message, dict):
        raise BadPayload("The body must be a JSON object (one Segment message)")
    return message


@router.post(
    "/api/v1/webhooks/stripe",
    operation_id="receiveStripeEvent",
    tags=["webhooks"],
    response_model=stripe.StripeProcessed | stripe.StripeIgnored,
    responses=_problems(400, 413, 503),
    openapi_extra=_json_body({"type": "object", "description": "A Stripe event"}),
)
async def stripe_webhook(
    request: Request,
    session: SessionDep,
    signature: Annotated[str | None, Security(_stripe_signature)],
) -> stripe.StripeProcessed | stripe.StripeIgnored:
    """Receive a Stripe event: subscriptions become subscription lines, invoices invoices (source ``stripe``).

    Each event id is applied once, and never after a later event (by Stripe's ``created``)
    about the same subscription, invoice or customer: such deliveries are acknowledged
    (200) without changing the current state, ``outcome`` ``duplicate`` or ``stale`` saying which."""
    settings = get_settings()
    secret = settings.stripe_webhook_secret
    if not secret:
        raise ServiceUnavailable("Stripe webhooks are not configured")
    body = await _read_body(request)
    stripe.verify_signature(body, signature, secret, settings.stripe_webhook_tolerance_seconds)
    return await stripe.handle_event(session, _parse(body))


_SEGMENT_ROUTE: dict[str, Any] = {
    "tags": ["segment"],
    "response_model": SegmentResult,
    "responses": {code: {"model": SegmentError} for code in (400, 401, 413, 415, 503)},
}
_SINGLE = {
    "track": "A ``track`` call: one usage event (``properties.feature`` names the feature).",
    "identify": "An ``identify`` call: binds the user to ``traits.groupId``/``traits.company.id``; "
    "a known user with an email or name becomes a contact of the account.",
    "group": "A ``group`` call: binds the user to the group (the account key); with "
    "TEMPO_SEGMENT_GROUP_ACCOUNTS its traits create or update the account.",
    "page": "A ``page`` call: a usage event named ``Viewed <name> Page``.",
    "screen": "A ``screen`` call: a usage event named ``Viewed <name> Screen``.",
    "alias": "An ``alias`` call: ``previousId`` and ``userId`` share their group binding.",
}
# analytics.js posts to one-letter paths (/v1/t, /v1/p, ...): the same calls, undocumented.
_SHORT = {"t": "track", "i": "identify", "g": "group", "p": "page", "s": "screen", "a": "alias"}


async def _segment_payload(request: Request, credentials: HTTPBasicCredentials | None) -> dict[str, Any]:
    payload = await _message(request)
    check_write_key(credentials, payload)
    return payload


def _single_route(kind: str) -> Any:
    async def endpoint(request: Request, credentials: SegmentAuth, session: SessionDep) -> SegmentResult:
        return await process(session, [await _segment_payload(request, credentials)], kind)

    endpoint.__doc__ = _SINGLE[kind]
    endpoint.__name__ = f"segment_{kind}"
    return endpoint


for _kind in _SINGLE:
    router.post(
        f"/segment/v1/{_kind}",
        operation_id=f"segment{_kind.title()}",
        openapi_extra=_json_body(_SEGMENT_MESSAGE),
        **_SEGMENT_ROUTE,
    )(_single_route(_kind))
for _short, _kind in _SHORT.items():
    router.post(f"/segment/v1/{_short}", include_in_schema=False, response_model=SegmentResult)(_single_route(_kind))


_BATCH_BODY = _json_body(
    {
        "type": "object",
        "required": ["batch"],
        "properties": {
            "batch": {"type": "array", "maxItems": MAX_ITEMS, "items": _SEGMENT_MESSAGE},
            "context": {"type": "object", "description": "Applies to every message (a message's own context wins)"},
            "writeKey": {"type": "string"},
        },
    }
)


async def _batch(request: Request, credentials: HTTPBasicCredentials | None, session: AsyncSession) -> SegmentResult:
    payload = await _segment_payload(request, credentials)
    messages = payload.get("batch")
    if not isinstance(messages, list):
        raise BadPayload('The body must be a JSON object {"batch": [...]}')
    if len(messages) > MAX_ITEMS:
        raise PayloadTooLarge(f"{len(messages):,} messages sent; the limit is {MAX_ITEMS:,} per call")
    context = payload.get("context")
    return await process(session, messages, context=context if isinstance(context, dict) else None)


@router.post("/segment/v1/batch", operation_id="segmentBatch", openapi_extra=_BATCH_BODY, **_SEGMENT_ROUTE)
async def segment_batch(request: Request, credentials: SegmentAuth, session: SessionDep) -> SegmentResult:
    """Several messages, each with its ``type``; groups are bound before events resolve."""
    return await _batch(request, credentials, session)


@router.post("/segment/v1/import", operation_id="segmentImport", openapi_extra=_BATCH_BODY, **_SEGMENT_ROUTE)
async def segment_import(request: Request, credentials: SegmentAuth, session: SessionDep) -> SegmentResult:
    """Segment's historical import endpoint: a batch, as ``/segment/v1/batch``."""
    return await _batch(request, credentials, session)


router.post("/segment/v1/b", include_in_schema=False, response_model=SegmentResult)(segment_batch)
