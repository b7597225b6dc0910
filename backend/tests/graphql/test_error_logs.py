"""What is logged when a query fails: the caller's mistakes at info, one line; Tempo's own
failures as errors with their traceback."""

from __future__ import annotations

import logging
import uuid

from app.core.enums import Role
from tests.factories import bearer


async def test_a_callers_mistake_is_logged_at_info_not_as_an_error(graphql, session, caplog):
    headers = await bearer(session, Role.viewer)
    with caplog.at_level(logging.INFO):
        missing = await graphql("query($id: UUID!) { account(id: $id) { name } }", headers, id=str(uuid.uuid4()))
        unknown = await graphql("{ nothingHere }", headers)
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert "nothingHere" in unknown["errors"][0]["message"]
    refused = [r for r in caplog.records if r.name == "app.graphql"]
    assert [r.levelno for r in refused] == [logging.INFO, logging.INFO]
    assert refused[0].getMessage().startswith("GraphQL request refused (NOT_FOUND): No account")
    assert not [r for r in caplog.records if r.name == "strawberry.execution" and r.levelno >= logging.ERROR]
