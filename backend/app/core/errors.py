"""Problem Details (RFC 9457) for every error the API returns.

Clients always get ``application/problem+json`` with ``type``, ``title``, ``status``,
``detail`` and, for validation errors, ``errors`` listing each field path and reason --
except under a path prefix given its own dialect (a protocol whose clients expect
another error shape, e.g. Segment's ``{code, message}``): same status, same words.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

# SQLSTATEs of a database that is there but not serving: shutting down (57P01 admin, 57P02
# crash), starting up (57P03), or a connection that failed (class 08). A 503, not a 500.
DATABASE_UNAVAILABLE = frozenset({"57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"})
PROBLEM_JSON = "application/problem+json"


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str | None = None


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """Raise from services and dependencies; rendered as problem+json."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class NotFound(ProblemError):
    status = 404
    title = "Not found"


class Unauthorized(ProblemError):
    status = 401
    title = "Not authenticated"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ProblemError):
    status = 403
    title = "Forbidden"


class Conflict(ProblemError):
    status = 409
    title = "Conflict"


class TooManyRequests(ProblemError):
    status = 429
    title = "Too many requests"


class PayloadTooLarge(ProblemError):
    status = 413
    title = "Payload too large"


class BadPayload(ProblemError):
    status = 400
    title = "Malformed request body"


class ServiceUnavailable(ProblemError):
    status = 503
    title = "Service unavailable"


class Unprocessable(ProblemError):
    status = 422
    title = "Validation error"


def field_errors(
    exc: ValidationError | RequestValidationError, prefix: tuple[str | int, ...] = ("body",)
) -> list[FieldError]:
    """Pydantic's errors as problem+json field errors: the path from the request's root (a
    request's own errors carry it already) and just why (pydantic prefixes the messages of
    custom validators with "Value error, ")."""
    errors = exc.errors(include_url=False) if isinstance(exc, ValidationError) else exc.errors()
    start = () if isinstance(exc, RequestValidationError) else prefix
    return [
        FieldError(
            loc=[*start, *(p if isinstance(p, int) else str(p) for p in err.get("loc", ()))],
            msg=str(err.get("msg", "invalid")).removeprefix("Value error, "),
            type=err.get("type"),
        )
        for err in errors
    ]


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail, errors=errors)
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def problem_doc(description: str) -> dict[str, Any]:
    """An error answer as a route documents it (``responses=``): problem+json, and why."""
    return {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": description}


# Responses documented on every route so generated clients know the error shape.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: problem_doc(desc)
    for code, desc in (
        (400, "Malformed request (a body that is not JSON, a URL with a NUL character)"),
        (401, "Not authenticated"),
        (403, "Forbidden"),
        (422, "Validation error"),
    )
}


# PostgreSQL's refusals of text it cannot encode: character_not_in_repertoire (a NUL in text)
# and untranslatable_character (\u0000 in jsonb)
_UNSTORABLE_TEXT = frozenset({"22021", "22P05"})
_UNSTORABLE_DETAIL = (
    "The request holds text with a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored"
)

# A dialect renders (status, title, detail, field errors, headers) in another protocol's shape.
ErrorDialect = Callable[[int, str, str | None, list[FieldError] | None, dict[str, str] | None], JSONResponse]


def error_response(
    app: Any,
    path: str,
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """problem+json, or the error dialect ``app`` gives ``path`` (``install_error_handlers``)."""
    dialects: Mapping[str, ErrorDialect] = getattr(getattr(app, "state", None), "error_dialects", None) or {}
    for prefix, dialect in dialects.items():
        if path.startswith(prefix):
            return dialect(status, title, detail, errors, headers)
    return problem_response(status, title, detail, errors, headers)


def _respond(
    request: Request,
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return error_response(request.app, request.url.path, status, title, detail, errors, headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return _respond(request, 500, "Internal server error", "An unexpected error occurred.")


def install_error_handlers(app: FastAPI, dialects: Mapping[str, ErrorDialect] | None = None) -> None:
    app.state.error_dialects = dict(dialects or {})
    app.add_exception_handler(Exception, _unexpected)

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return _respond(request, exc.status, exc.title, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_errors(exc)
        first = errors[0] if errors else None
        detail = f"{'.'.join(map(str, first.loc))}: {first.msg}" if first else "Invalid request"
        return _respond(request, 422, "Validation error", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}.get(exc.status_code, "Error")
        return _respond(request, exc.status_code, title, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return _respond(request, 409, "Conflict", "The change conflicts with existing data.")

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(OSError)
    @app.exception_handler(TimeoutError)
    async def _db_down(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in _UNSTORABLE_TEXT:
            # a body field the endpoint's own checks let through: the caller's text, not our fault
            return _respond(request, 422, "Validation error", _UNSTORABLE_DETAIL)
        if (
            isinstance(exc, DBAPIError)
            and not isinstance(exc, OperationalError | InterfaceError)
            and not exc.connection_invalidated
            and getattr(exc.orig, "sqlstate", None) not in DATABASE_UNAVAILABLE
        ):
            return await _unexpected(request, exc)
        log.warning("database unavailable: %s", type(exc).__name__)
        return _respond(
            request,
            503,
            "Service unavailable",
            "The database is not reachable; retry shortly.",
            headers={"Retry-After": "5"},
        )
