"""The GraphQL schema (``openapi/schema.graphql``): queries, mutations, and the limits every
operation passes (depth, tokens, aliases, cost), the error codes and masking."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from app.graphql.cost import QueryCost
from app.graphql.errors import MASKED_MESSAGE, ErrorCodes, RollbackOnDatabaseError, code_of, should_mask
from app.graphql.mutations import Mutation
from app.graphql.query import Query

MAX_DEPTH = 8
MAX_TOKENS = 2000
MAX_ALIASES = 15

# The depth and alias limits as validation rules, made once: ValidationCache keys on the rule
# classes, and the limiter extensions make new classes for each instance, so a fresh limiter per
# request missed the cache every time (validation was most of a small query's time). Extension
# instances themselves are never shared between requests: they hold the request's context.
LIMIT_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    # counts aliases inside fragments too (strawberry >= 0.315.7)
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]

log = logging.getLogger("app.graphql")


class Schema(strawberry.Schema):
    """Logs what went wrong on Tempo's side as errors, with the traceback (strawberry's way);
    what the caller got wrong (a refused query, a missing account, a spent budget) at info,
    one line, so a host's bad query does not fill the error log."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        for error in errors:
            if should_mask(error):
                StrawberryLogger.error(error, execution_context)
            else:
                log.info(
                    "GraphQL request refused (%s): %s",
                    (error.extensions or {}).get("code") or code_of(error),
                    error.message,
                )


schema = Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        # hosts send the same few queries again and again: parse and validate each text once
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        QueryCost,
        ErrorCodes,
        # no SQL (or anything else not written for the caller) in an error: app.graphql.errors
        lambda: MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE),
        RollbackOnDatabaseError,
    ],
)
