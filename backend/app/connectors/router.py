"""Connector routes: ``POST /api/v1/webhooks/stripe`` (pinned) and ``POST /segment/v1/{track,identify,group,batch}``.

Neither takes a bearer token: a Stripe delivery is authenticated by its signature (400
without a valid one, per Stripe's semantics), a Segment call by its write key (401
without it). Both answer 503 until their secret is configured, and 200 for every
authenticated, well-formed delivery, reporting per-item results like ``/api/v1/ingest``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Request, Security
from fastapi.security import APIKeyHeader, HTTPBasicCredentials

from app.connectors import segment, stripe
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
SegmentAuth = Annotated[HTTPBasicCredentials, Security(segment.write_key)]


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
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadPayload(f"The body is not valid JSON: {exc}") from exc


async def _message(request: Request) -> dict[str, Any]:
    message = _parse(await _read_body(request))
    if not isinstance(message, dict):
        raise BadPayload("The body must be a JSON object (one Segment message)")
    return message


@router.post(
    "/api/v1/webhooks/stripe",
    operation_id="webhooks:stripe",
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
    """Receive a Stripe event: subscriptions become subscription lines, invoices invoices (source ``stripe``)."""
    settings = get_settings()
    secret = settings.stripe_webhook_secret
    if not secret:
        raise ServiceUnavailable("Stripe webhooks are not configured")
    body = await _read_body(request)
    stripe.verify_signature(body, signature, secret, settings.stripe_webhook_tolerance_seconds)
    return await stripe.handle_event(session, _parse(body))


_SEGMENT_ROUTE: dict[str, Any] = {
    "tags": ["segment"],
    "response_model": segment.SegmentResult,
    "responses": _problems(400, 413, 503),
}


@router.post(
    "/segment/v1/track", operation_id="segment:track", openapi_extra=_json_body(_SEGMENT_MESSAGE), **_SEGMENT_ROUTE
)
async def segment_track(request: Request, _: SegmentAuth, session: SessionDep) -> segment.SegmentResult:
    """A Segment ``track`` call: one usage event."""
    return await segment.process(session, [await _message(request)], "track")


@router.post(
    "/segment/v1/identify",
    operation_id="segment:identify",
    openapi_extra=_json_body(_SEGMENT_MESSAGE),
    **_SEGMENT_ROUTE,
)
async def segment_identify(request: Request, _: SegmentAuth, session: SessionDep) -> segment.SegmentResult:
    """A Segment ``identify`` call: ignored unless ``traits.groupId``/``traits.company.id`` binds the user."""
    return await segment.process(session, [await _message(request)], "identify")


@router.post(
    "/segment/v1/group", operation_id="segment:group", openapi_extra=_json_body(_SEGMENT_MESSAGE), **_SEGMENT_ROUTE
)
async def segment_group(request: Request, _: SegmentAuth, session: SessionDep) -> segment.SegmentResult:
    """A Segment ``group`` call: binds the user to the group (the account key)."""
    return await segment.process(session, [await _message(request)], "group")


@router.post(
    "/segment/v1/batch",
    operation_id="segment:batch",
    openapi_extra=_json_body(
        {
            "type": "object",
            "required": ["batch"],
            "properties": {"batch": {"type": "array", "maxItems": MAX_ITEMS, "items": _SEGMENT_MESSAGE}},
        }
    ),
    **_SEGMENT_ROUTE,
)
async def segment_batch(request: Request, _: SegmentAuth, session: SessionDep) -> segment.SegmentResult:
    """Several Segment messages, each with its ``type``; groups are bound before tracks resolve."""
    payload = await _message(request)
    messages = payload.get("batch")
    if not isinstance(messages, list):
        raise BadPayload('The body must be a JSON object {"batch": [...]}')
    if len(messages) > MAX_ITEMS:
        raise PayloadTooLarge(f"{len(messages):,} messages sent; the limit is {MAX_ITEMS:,} per call")
    return await segment.process(session, messages)
