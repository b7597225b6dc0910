"""A page of accounts with every relation runs the same statements whatever its size: each
relation is one batched call (DataLoaders), never one per account. The query is the one the
benchmark runs (``NESTED_ACCOUNTS_QUERY``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.enums import Role
from app.graphql.queries import NESTED_ACCOUNTS_QUERY
from tests.factories import bearer
from tests.graphql.book import busy_account

# Statements for the whole request, the caller's authentication included, whatever the page holds.
BOUND = 30


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_a_page_of_50_accounts_costs_what_a_page_of_10_does(graphql, session, engine):
    for n in range(50):
        await busy_account(session, n)
    headers = await bearer(session, Role.admin)
    await graphql(NESTED_ACCOUNTS_QUERY, headers, first=1)  # warm: sign-in touch, config versions read once

    answers, counts = {}, {}
    for first in (10, 50):
        with counted(engine) as statements:
            answers[first] = await graphql(NESTED_ACCOUNTS_QUERY, headers, first=first)
        counts[first] = len(statements)

    for first, body in answers.items():
        assert "errors" not in body, body["errors"]
        edges = body["data"]["accounts"]["edges"]
        assert len(edges) == first
        node = edges[-1]["node"]
        # every relation was really read, for the last account of the page too
        assert [len(node[k]) for k in ("renewals", "openAlerts", "tasks", "notes", "quadrantTimeline")] == [1] * 5
        assert [len(node[k]) for k in ("healthHistory", "usageTrend")] == [2, 12]
        assert node["health"]["healthScore"] is not None and node["explain"]["sentence"].startswith("68 → 62")
        assert node["healthTile"]["title"] == "Health"
    print(f"statements per request: first=10 -> {counts[10]}, first=50 -> {counts[50]}")
    assert counts[10] == counts[50]
    assert counts[50] <= BOUND
