"""The GraphQL schema (``openapi/schema.graphql``): queries, mutations, and the limits every
operation passes (depth, tokens, aliases, cost), the error codes and masking."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)

from app.graphql.cost import QueryCost
from app.graphql.errors import MASKED_MESSAGE, ErrorCodes, RollbackOnDatabaseError, should_mask
from app.graphql.mutations import Mutation
from app.graphql.query import Query

MAX_DEPTH = 8
MAX_TOKENS = 2000
MAX_ALIASES = 15

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    extensions=[
        # Shared instances where the extension keeps no state: the limiters become validation
        # rules, and ValidationCache keys on the rules, so fresh instances per request would
        # miss it every time (validation was most of a small query's time).
        ParserCache(maxsize=256),
        ValidationCache(maxsize=256),
        QueryDepthLimiter(max_depth=MAX_DEPTH),
        MaxTokensLimiter(max_token_count=MAX_TOKENS),
        # counts aliases inside fragments too (strawberry >= 0.315.7)
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        QueryCost,
        ErrorCodes,
        # no SQL (or anything else not written for the caller) in an error: app.graphql.errors
        MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE),
        RollbackOnDatabaseError,
    ],
)
