"""ASGI middleware of every response: the request's id and log line, security headers, and
URLs that cannot be stored refused.

Plain ASGI classes rather than Starlette's ``BaseHTTPMiddleware``, which costs close to a
millisecond per request.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.core.logging import bound
from app.core.proxy import forwarded_proto

log = logging.getLogger("app.request")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_QUIET = ("/healthz", "/readyz", "/assets/")


class RequestContext:
    """Gives each request an id (the caller's ``X-Request-ID`` when it is a sane token, else a
    new one), returns it in ``X-Request-ID``, binds it to every log line of the request, and
    logs one line when the response starts: method, path, status and time taken."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        path: str = scope["path"]

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("X-Request-ID", request_id)
                log.log(
                    logging.DEBUG if path.startswith(_QUIET) else logging.INFO,
                    "%s %s %s",
                    scope["method"],
                    path,
                    message["status"],
                    extra={"status": message["status"], "ms": round((time.perf_counter() - started) * 1000, 1)},
                )
            await send(message)

        with bound(request_id=request_id):
            await self.app(scope, receive, send_with_id)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Sent only for https requests: browsers ignore it over plain http (RFC 6797), and a server
# reached over plain http may have no TLS to pin its clients to.
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Security headers on every response; a plain ASGI middleware (Starlette's
    ``BaseHTTPMiddleware`` costs close to a millisecond per request). HSTS when the request came
    over https, directly or as a trusted proxy's ``X-Forwarded-Proto`` says (``core/proxy.py``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        extra = dict(SECURITY_HEADERS)
        extra["Content-Security-Policy"] = SPA_CSP
        if path.startswith("/embed/"):
            # Tiles are made to be framed and loaded by other sites: their route sets
            # frame-ancestors from the token's origins, so no X-Frame-Options (it cannot list them).
            del extra["X-Frame-Options"]
            extra["Cross-Origin-Resource-Policy"] = "cross-origin"
        else:
            extra["Cross-Origin-Resource-Policy"] = "same-origin"
        if path.startswith("/api/"):
            extra["Cache-Control"] = "no-store"
        if forwarded_proto(scope) == "https":
            extra["Strict-Transport-Security"] = HSTS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


SPA_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
)


class StorableUrl:
    """Refuses a URL whose path or query holds a NUL character (``%00``): PostgreSQL cannot
    store or compare such text, so it would otherwise surface as a server error."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope.get("path", "").encode()
            if b"%00" in raw or b"\x00" in raw or b"%00" in scope.get("query_string", b""):
                response = problem_response(400, "Bad request", "The URL holds a NUL character (%00)")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
