"""API key scopes hold on GraphQL as on REST, through a real GraphQL client (``gql`` over HTTPX):
a key scoped to ``read`` reads but never writes, whatever role its row names; a key scoped to
``ingest`` does not read at all; an ``admin`` key does both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.httpx import HTTPXAsyncTransport

from app.alerts.models import Alert
from app.auth import service as auth_service
from app.core.enums import ApiKeyScope, Role
from tests.factories import make_account

BOOK = "query { accounts(first: 5) { totalCount edges { node { name } } } }"
ACKNOWLEDGE = "mutation Ack($id: UUID!) { acknowledgeAlert(id: $id) { status } }"


def _client(live_server: str, key: str) -> Client:
    transport = HTTPXAsyncTransport(url=f"{live_server}/graphql", headers={"Authorization": f"Bearer {key}"})
    return Client(transport=transport)


async def test_scoped_keys_on_graphql(committed_sessions, live_server):
    async with committed_sessions() as s:
        account = await make_account(s, name="Acme")
        alert = Alert(
            account_id=account.id,
            rule="critical_ticket",
            severity="high",
            dedupe_key=f"critical_ticket:{account.id}",
            title="A P1 ticket is open",
            opened_at=datetime.now(UTC),
        )
        s.add(alert)
        read_row, read_key = await auth_service.create_api_key(s, name="bi", role=None, scopes=[ApiKeyScope.read])
        # Its row saying admin (written by hand in SQL) changes nothing: the scope decides.
        read_row.role = Role.admin.value
        _, ingest_key = await auth_service.create_api_key(s, name="pipeline", role=None, scopes=[ApiKeyScope.ingest])
        _, admin_key = await auth_service.create_api_key(s, name="ops", role=None, scopes=[ApiKeyScope.admin])
        await s.commit()

    async with _client(live_server, read_key) as session:
        page = await session.execute(GraphQLRequest(BOOK))
        assert page == {"accounts": {"totalCount": 1, "edges": [{"node": {"name": "Acme"}}]}}
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(GraphQLRequest(ACKNOWLEDGE, variable_values={"id": str(alert.id)}))
        assert refused.value.errors is not None
        assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"

    # an ingest key reads nothing: the endpoint itself refuses it (403 before any document runs)
    with pytest.raises(TransportServerError) as forbidden:
        async with _client(live_server, ingest_key) as session:
            await session.execute(GraphQLRequest(BOOK))
    assert forbidden.value.code == 403

    async with _client(live_server, admin_key) as session:
        done = await session.execute(GraphQLRequest(ACKNOWLEDGE, variable_values={"id": str(alert.id)}))
        assert done == {"acknowledgeAlert": {"status": "acknowledged"}}
