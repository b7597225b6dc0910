"""Limits on request bodies, applied before anything reads or parses them.

``BodyLimits`` (ASGI middleware) refuses:

* a body larger than ``max_request_bytes`` (1 MiB by default) with a 413: at once when its
  ``Content-Length`` says so, else as soon as the bytes streamed in pass the limit, so a
  50 MB body to ``/api/v1/auth/login`` or ``/graphql`` costs at most ~1 MiB of reading.
  Routes that take larger bodies and check them themselves (``OWN_LIMITS``: ingest,
  Segment and Stripe through ``core.http.read_body``, imports through their upload) get
  their own limit here instead, with the same words, so whichever check sees the body
  first answers alike;
* JSON nested deeper than ``json_max_depth`` (64 levels by default) with a 400, before any
  parser recurses into it. Bodies of the routes above are checked by ``read_body`` after it
  decodes them (a gzip body's nesting is only visible then). Every other body is read
  whole here before the app runs (it is at most ``max_request_bytes``; the app gets it in
  one message) and, when it may be JSON (no content type, or one naming JSON or text),
  scanned.

Refusals are problem+json (or the dialect of a path given one, e.g. Segment's shape), like
every other error. ``app.main.create_app`` adds it first (``app.add_middleware(BodyLimits)``
before the other middleware), so it is the innermost: request ids, security headers and
CORS apply to its answers too.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Mapping
from itertools import accumulate

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import get_settings
from app.core.errors import BadPayload, PayloadTooLarge, error_response

# Bodies of ingest calls, Segment and Stripe deliveries (app.ingest.schemas.MAX_BYTES).
INGEST_MAX_BYTES = 10 * 1024 * 1024
# Import uploads (app.imports.router.MAX_UPLOAD_BYTES), and room for the form around the file.
UPLOAD_MAX_BYTES = 50 * 1024 * 1024
MULTIPART_ENVELOPE = 1024 * 1024

# Path prefix -> the limit of routes that read (and check) large bodies themselves.
OWN_LIMITS: dict[str, int] = {
    "/api/v1/ingest/": INGEST_MAX_BYTES,
    "/api/v1/webhooks/stripe": INGEST_MAX_BYTES,
    "/segment/": INGEST_MAX_BYTES,
    "/api/v1/import/": UPLOAD_MAX_BYTES + MULTIPART_ENVELOPE,
}


def declared_too_large(size: int, limit: int) -> str:
    return f"The body is {size:,} bytes; the limit is {limit:,} bytes per call"


def streamed_too_large(limit: int) -> str:
    return f"The body exceeds the limit of {limit:,} bytes per call"


def too_deep(max_depth: int) -> str:
    return f"JSON nested deeper than {max_depth} levels"


_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def json_depth(data: bytes) -> int:
    """How deeply ``data`` nests arrays and objects, counting ``[`` and ``{`` outside strings
    (``{"a": [1]}`` is 2). A byte scan in C-speed steps (escapes dropped, then everything
    but quotes and brackets, then the strings), so it costs less than parsing; text that is
    not JSON gets a number too, which only matters when it is large."""
    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    outside = b"".join(data.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    return max(accumulate(array("b", outside.translate(_STEPS))), default=0)


def check_json_depth(data: bytes, max_depth: int | None = None) -> None:
    """``BadPayload`` (400) when ``data`` nests deeper than ``max_depth`` (default: the setting)."""
    limit = get_settings().json_max_depth if max_depth is None else max_depth
    if json_depth(data) > limit:
        raise BadPayload(too_deep(limit))


class _Refused(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def _too_large(detail: str) -> _Refused:
    return _Refused(PayloadTooLarge.status, PayloadTooLarge.title, detail)


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), None)


def _may_be_json(content_type: str | None) -> bool:
    """Whether a body may be parsed as JSON: FastAPI reads one without a content type as
    JSON, and ``+json`` types are JSON; forms and files are not."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return "json" in media or media.startswith("text/")


def _response(scope: Scope, error: _Refused) -> Response:
    """problem+json, or the error dialect the app gives the path (``core.errors``)."""
    return error_response(scope.get("app"), scope["path"], error.status, error.title, error.detail)


class BodyLimits:
    """Refuses request bodies that are too large (413) or nest JSON too deeply (400)."""

    def __init__(self, app: ASGIApp, own_limits: Mapping[str, int] | None = None) -> None:
        self.app = app
        limits = OWN_LIMITS if own_limits is None else own_limits
        self.own_limits = sorted(limits.items(), key=lambda item: -len(item[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        own = next((limit for prefix, limit in self.own_limits if scope["path"].startswith(prefix)), None)
        limit = settings.max_request_bytes if own is None else own
        declared = _header(scope, b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _response(scope, _too_large(declared_too_large(int(declared), limit)))(scope, receive, send)
            return
        if own is not None:
            await self._counted(scope, receive, send, limit)
        elif (declared or "0").strip() != "0" or _header(scope, b"transfer-encoding") is not None:
            max_depth = settings.json_max_depth if _may_be_json(_header(scope, b"content-type")) else None
            await self._whole(scope, receive, send, limit, max_depth)
        else:
            await self.app(scope, receive, send)  # no body

    async def _whole(self, scope: Scope, receive: Receive, send: Send, limit: int, max_depth: int | None) -> None:
        """Read the body (at most ``limit`` bytes) and scan it before the app runs; the app then
        gets it in one message."""
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                await _response(scope, _too_large(streamed_too_large(limit)))(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if max_depth is not None and json_depth(body) > max_depth:
            refused = _Refused(BadPayload.status, BadPayload.title, too_deep(max_depth))
            await _response(scope, refused)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: a disconnect
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through as the route reads it, counting; past ``limit`` the read fails
        and this answers in place of whatever the app makes of that."""
        refused: _Refused | None = None
        started = False
        received = 0

        async def counted() -> Message:
            nonlocal received, refused
            if refused is not None:
                raise refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = _too_large(streamed_too_large(limit))
                    raise refused
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused is not None:
                return  # the app's answer to a body it never got: ours goes instead
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if refused is None:
                raise
        if refused is not None and not started:
            await _response(scope, refused)(scope, receive, send)
