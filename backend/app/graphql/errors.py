"""Which GraphQL errors a client reads as raised, and which as "An unexpected error occurred."

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

from collections.abc import AsyncIterator

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


class RollbackOnDatabaseError(SchemaExtension):
    """List it after ``MaskErrors``: extensions finish in reverse order, so this one still sees
    the original errors."""

    async def on_operation(self) -> AsyncIterator[None]:
        yield
        errors = getattr(self.execution_context.result, "errors", None) or []
        if any(e.original_error is not None and _from_database(e.original_error) for e in errors):
            await self.execution_context.context.session.rollback()
