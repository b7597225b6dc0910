"""Which GraphQL errors a client reads as raised, and which as "An unexpected error occurred."

Every error carries ``extensions.code`` (``ErrorCodes``): NOT_FOUND, FORBIDDEN, CONFLICT,
BAD_USER_INPUT (a refused argument, with the field errors in ``extensions.errors`` when there
are several), GRAPHQL_PARSE_FAILED and GRAPHQL_VALIDATION_FAILED (the query itself),
INTERNAL_SERVER_ERROR (masked), and the cost limiter's COST_LIMIT and THROTTLED.

Kept: errors about the query itself (syntax, validation, the depth/token/alias limits: no
original error), ``ProblemError`` (not found, forbidden: written for the caller) and
``ValueError`` (how resolvers refuse an argument, e.g. an unknown sort or a malformed id).
Masked: everything else, and always a database error, whose message holds the SQL and its
parameters (asyncpg's own refusals of a parameter are ``ValueError`` too). Strawberry logs
every error in full, traceback included (logger ``strawberry.execution``), before masking.

A query whose database work failed also rolls its session back (``RollbackOnDatabaseError``),
so the request's unit of work ends cleanly instead of committing an aborted transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from graphql import GraphQLError
from sqlalchemy.exc import SQLAlchemyError
from strawberry.extensions import SchemaExtension

from app.core.errors import ProblemError

MASKED_MESSAGE = "An unexpected error occurred."


def _from_database(error: BaseException) -> bool:
    return isinstance(error, SQLAlchemyError) or type(error).__module__.split(".")[0] == "asyncpg"


def should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None:
        return False
    if _from_database(original):
        return True
    return not isinstance(original, ProblemError | GraphQLError | ValueError)


# A problem's HTTP status, as a GraphQL error code.
CODES = {
    400: "BAD_USER_INPUT",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "BAD_USER_INPUT",
    422: "BAD_USER_INPUT",
    429: "THROTTLED",
    503: "SERVICE_UNAVAILABLE",
}


def code_of(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, ProblemError):
        return CODES.get(original.status, "BAD_REQUEST")
    if isinstance(original, ValueError):
        return "BAD_USER_INPUT"
    if original is None and error.message == MASKED_MESSAGE:
        return "INTERNAL_SERVER_ERROR"
    if original is None and error.path is None:
        return "GRAPHQL_PARSE_FAILED" if error.message.startswith("Syntax Error") else "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"


class ErrorCodes(SchemaExtension):
    """``extensions.code`` on every error that has none yet. List it before ``MaskErrors``:
    extensions finish in reverse order, so this one sees the errors as masked."""

    def on_operation(self) -> Iterator[None]:
        yield
        for error in getattr(self.execution_context.result, "errors", None) or []:
            if error.extensions and "code" in error.extensions:
                continue
            extensions = {**(error.extensions or {}), "code": code_of(error)}
            original = error.original_error
            if isinstance(original, ProblemError) and original.errors:
                extensions["errors"] = [e.model_dump(exclude_none=True) for e in original.errors]
            error.extensions = extensions


class RollbackOnDatabaseError(SchemaExtension):
    """List it after ``MaskErrors``: extensions finish in reverse order, so this one still sees
    the original errors."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        errors = getattr(self.execution_context.result, "errors", None) or []
        if any(e.original_error is not None and _from_database(e.original_error) for e in errors):
            await self.execution_context.context.session.rollback()
