"""Helpers of the GraphQL tests: post a query as a client would, and a small scored book."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

Run = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def graphql(client: httpx.AsyncClient) -> Run:
    """``await graphql(query, headers, **variables)``: the JSON answer of a POST to /graphql."""

    async def run(query: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
        r = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    return run
