"""What a query costs, and each caller's budget of points.

**Estimate** (static, before anything runs): every field costs 1 plus what its selection costs;
a field that pages (a connection's ``first``, the queue's ``pageSize``) multiplies its selection
by that number. ``{ accounts(first: 50) { edges { node { name health { healthScore } } } } }``
costs 1 + 50 x (1 + 1 + 1 + 1 + 1) = 251. Fragments count where they are spread.

**Actual** (after it ran): the same count over what the answer holds: a paging field's lists
count each item they returned (not each one asked for), other lists their costliest item, a
null its field alone. So actual <= requested.

**Budget**: ``TEMPO_GRAPHQL_POINTS_PER_MINUTE`` points per caller (user or API key) in a fixed
window of ``WINDOW_SECONDS``, kept in Redis. A query reserves its estimate before it runs and gets back
what it did not use. A query whose estimate alone exceeds ``TEMPO_GRAPHQL_MAX_QUERY_COST`` is refused
(``extensions.code`` ``COST_LIMIT``), one that the budget left cannot pay is refused
(``THROTTLED``, with ``retryAfterSeconds``); neither runs. Every answer carries
``extensions.cost``: ``{requested, actual, remaining, resetSeconds}``. Without Redis the
budget is not kept (the app works on, as everywhere else) and ``remaining`` is null.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
)
from graphql.pyutils import Undefined
from strawberry.extensions import SchemaExtension

from app.core.config import get_settings
from app.core.jobs import get_pool

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
# Arguments that say how many items a field answers: its selection costs that many times.
PAGING_ARGUMENTS = ("first", "pageSize")
KEY_PREFIX = "tempo:graphql:points:"
WARN_EVERY_SECONDS = 60.0
_warned_at = -WARN_EVERY_SECONDS

# -- the estimate and the actual count -----------------------------------------------------


@dataclass(frozen=True)
class Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]

    def fields(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> Iterator[tuple[FieldNode, GraphQLField | None]]:
        """The fields of a selection, fragments spread, each with its definition (None for
        introspection's meta fields)."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found = parent.fields.get(selection.name.value) if isinstance(parent, GraphQLObjectType) else None
                yield selection, found
            elif isinstance(selection, InlineFragmentNode):
                on = self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                yield from self.fields(selection.selection_set, on)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    yield from self.fields(
                        fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value)
                    )

    def multiplier(self, node: FieldNode, definition: GraphQLField | None) -> int | None:
        """How many items the field pages through (None: it does not page)."""
        if definition is None:
            return None
        for name in PAGING_ARGUMENTS:
            if name not in definition.args:
                continue
            given = next((a.value for a in node.arguments or () if a.name.value == name), None)
            value: Any = definition.args[name].default_value
            if isinstance(given, IntValueNode):
                value = int(given.value)
            elif isinstance(given, VariableNode):
                value = self.variables.get(given.name.value, value)
            return max(value, 0) if isinstance(value, int) and value is not Undefined else 1
        return None

    def estimate(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None) -> int:
        total = 0
        for node, definition in self.fields(selection_set, parent):
            children = 0
            if node.selection_set is not None:
                child = get_named_type(definition.type) if definition is not None else None
                children = self.estimate(node.selection_set, child)
            total += 1 + (self.multiplier(node, definition) or 1) * children
        return total

    def actual(self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None, data: Any, each: bool) -> int:
        """``each``: the selection is a paging field's, whose lists count every item."""
        total = 0
        for node, definition in self.fields(selection_set, parent):
            total += 1
            value = data.get((node.alias or node.name).value) if isinstance(data, dict) else None
            if node.selection_set is None or value is None:
                continue
            child = get_named_type(definition.type) if definition is not None else None
            pages = self.multiplier(node, definition) is not None
            items = value if isinstance(value, list) else [value]
            costs = [self.actual(node.selection_set, child, item, pages) for item in items if item is not None]
            total += sum(costs) if isinstance(value, list) and each else max(costs, default=0)
        return total


def _walk(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None) -> Walk:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return Walk(schema, fragments, variables or {})


def _root(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> tuple[Any, Any]:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None, None
    return operation, schema.get_root_type(operation.operation)


def estimate(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None
) -> int:
    operation, root = _root(schema, document, operation_name)
    return 0 if operation is None else _walk(schema, document, variables).estimate(operation.selection_set, root)


def actual(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    data: Any,
) -> int:
    operation, root = _root(schema, document, operation_name)
    if operation is None or data is None:
        return 0
    return _walk(schema, document, variables).actual(operation.selection_set, root, data, False)


# -- the budget ------------------------------------------------------------------------------

# Reserve ARGV[1] points when the window's total stays within ARGV[2]; the window (ARGV[3]
# seconds) starts with its first query. Answers {reserved (1/0), points used, seconds left}.
_RESERVE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  local ttl = redis.call('TTL', KEYS[1])
  if ttl < 0 then ttl = tonumber(ARGV[3]) end
  return {0, used, ttl}
end
used = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return {1, used, redis.call('TTL', KEYS[1])}
"""
# Give back ARGV[1] points of the window, if it is still open. Answers {points used, seconds left}.
_REFUND = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, tonumber(ARGV[2])} end
local used = redis.call('DECRBY', KEYS[1], ARGV[1])
if used < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') used = 0 end
return {used, redis.call('TTL', KEYS[1])}
"""
_READ = """
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[1]) end
return {tonumber(redis.call('GET', KEYS[1]) or '0'), ttl}
"""


@dataclass(frozen=True)
class Budget:
    used: int
    reset_seconds: int

    @property
    def remaining(self) -> int:
        return max(get_settings().graphql_points_per_minute - self.used, 0)


async def _eval(script: str, key: str, *args: int) -> list[int] | None:
    """A budget script's answer; None when Redis cannot be reached (the budget is not kept)."""
    try:
        pool = await get_pool()
        answer = await pool.eval(script, 1, key, *args)  # type: ignore[no-untyped-call]
    except Exception as exc:  # Redis down or not configured: serve, do not count
        global _warned_at
        now = time.monotonic()
        if now - _warned_at >= WARN_EVERY_SECONDS:  # once a minute, not once a query
            _warned_at = now
            log.warning("GraphQL cost budget unavailable (queries are served uncounted): %s", exc)
        return None
    return [int(x) for x in answer]


async def reserve(key: str, points: int) -> tuple[bool, Budget | None]:
    answer = await _eval(_RESERVE, key, points, get_settings().graphql_points_per_minute, WINDOW_SECONDS)
    if answer is None:
        return True, None
    return bool(answer[0]), Budget(answer[1], answer[2])


async def refund(key: str, points: int, budget: Budget) -> Budget:
    if points <= 0:
        return budget
    answer = await _eval(_REFUND, key, points, WINDOW_SECONDS)
    return budget if answer is None else Budget(answer[0], answer[1])


async def read(key: str) -> Budget | None:
    answer = await _eval(_READ, key, WINDOW_SECONDS)
    return None if answer is None else Budget(answer[0], answer[1])


# -- the extension ---------------------------------------------------------------------------


def _refusal(message: str, **extensions: Any) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


class QueryCost(SchemaExtension):
    """Prices each operation before it runs (refusing what is too dear or over budget) and
    reports ``extensions.cost`` on every answer."""

    def __init__(self) -> None:
        self.requested = 0
        self.spent = 0
        self.budget: Budget | None = None
        self.counted = False

    def _key(self) -> str | None:
        principal = getattr(self.execution_context.context, "principal", None)
        return f"{KEY_PREFIX}{principal.actor}" if principal is not None else None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        schema: GraphQLSchema = context.schema._schema
        document = context.graphql_document
        key = self._key()
        if document is None or key is None:
            yield
            return
        self.counted = True
        self.requested = estimate(schema, document, context.operation_name, context.variables)
        settings = get_settings()
        if self.requested > settings.graphql_max_query_cost:
            self.budget = await read(key)
            context.result = _refusal(
                f"The query would cost {self.requested:,} points; at most {settings.graphql_max_query_cost:,} "
                "are allowed (ask for fewer items with `first`, or fewer fields)",
                code="COST_LIMIT",
                cost=self.requested,
                maxCost=settings.graphql_max_query_cost,
            )
            yield
            return
        reserved, self.budget = await reserve(key, self.requested)
        if not reserved and self.budget is not None:
            context.result = _refusal(
                f"The query would cost {self.requested:,} points; {self.budget.remaining:,} of "
                f"{settings.graphql_points_per_minute:,} are left this minute",
                code="THROTTLED",
                retryAfterSeconds=max(self.budget.reset_seconds, 1),
            )
            yield
            return
        yield
        result = context.result
        data = result.data if isinstance(result, ExecutionResult) else getattr(result, "data", None)
        self.spent = actual(schema, document, context.operation_name, context.variables, data)
        if self.budget is not None:
            self.budget = await refund(key, self.requested - self.spent, self.budget)

    async def get_results(self) -> dict[str, Any]:
        if not self.counted and (key := self._key()) is not None:
            self.budget = await read(key)  # refused before it ran (a bad query): it cost nothing
        return {
            "cost": {
                "requested": self.requested,
                "actual": self.spent,
                "remaining": self.budget.remaining if self.budget is not None else None,
                "resetSeconds": self.budget.reset_seconds if self.budget is not None else None,
            }
        }
