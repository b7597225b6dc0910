"""A real GraphQL client against a running Tempo, as an external tool would use one: ``gql``
over HTTPX, validating its documents against the schema it fetched by introspection, reading
a page, running a mutation, and reading ``extensions.cost``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from graphql import GraphQLError

from app.alerts.models import Alert
from app.auth import service as auth_service
from app.core.enums import Role
from tests.factories import make_account, make_user

BOOK = """
query Book($first: Int!) {
  accounts(first: $first, sort: "name") {
    totalCount
    edges { node { id name openAlerts { id status } } }
  }
}
"""
ACKNOWLEDGE = "mutation Ack($id: UUID!) { acknowledgeAlert(id: $id) { id status acknowledgedAt } }"


async def test_gql_reads_a_page_and_acknowledges_an_alert(committed_sessions, live_server):
    async with committed_sessions() as s:
        casey = await make_user(s, role=Role.csm, email="casey@example.com")
        mine = await make_account(s, name="Acme", owner_id=casey.id)
        theirs = await make_account(s, name="Bravo")
        alerts = [
            Alert(
                account_id=a.id,
                rule="critical_ticket",
                severity="high",
                dedupe_key=f"critical_ticket:{a.id}",
                title="A P1 ticket is open",
                opened_at=datetime.now(UTC),
            )
            for a in (mine, theirs)
        ]
        s.add_all(alerts)
        token, _, _ = await auth_service.login(s, casey.email, "correct-horse")
        await s.commit()

    transport = HTTPXAsyncTransport(url=f"{live_server}/graphql", headers={"Authorization": f"Bearer {token}"})
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        page = await session.execute(GraphQLRequest(BOOK, variable_values={"first": 10}), get_execution_result=True)
        assert page.data == {
            "accounts": {
                "totalCount": 2,
                "edges": [
                    {
                        "node": {
                            "id": str(mine.id),
                            "name": "Acme",
                            "openAlerts": [{"id": str(alerts[0].id), "status": "open"}],
                        }
                    },
                    {
                        "node": {
                            "id": str(theirs.id),
                            "name": "Bravo",
                            "openAlerts": [{"id": str(alerts[1].id), "status": "open"}],
                        }
                    },
                ],
            }
        }
        # requested: accounts 1 + 10 x (totalCount 1 + edges 1 + node 1 + id 1 + name 1 + openAlerts 1 + id 1
        # + status 1); actual: the 2 nodes that came back, not 10
        assert page.extensions is not None
        first_cost = page.extensions["cost"]
        assert (first_cost["requested"], first_cost["actual"]) == (1 + 10 * 8, 1 + 1 + 1 + 2 * 6)

        done = await session.execute(
            GraphQLRequest(ACKNOWLEDGE, variable_values={"id": str(alerts[0].id)}), get_execution_result=True
        )
        assert done.data is not None and done.data["acknowledgeAlert"]["status"] == "acknowledged"
        assert done.extensions is not None
        assert done.extensions["cost"]["requested"] == done.extensions["cost"]["actual"] == 4
        # introspection, the page and the mutation came out of one budget
        assert done.extensions["cost"]["remaining"] == first_cost["remaining"] - 4

        # someone else's account: the client raises with the server's error code
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(GraphQLRequest(ACKNOWLEDGE, variable_values={"id": str(alerts[1].id)}))
        assert refused.value.errors is not None
        assert refused.value.errors[0]["extensions"]["code"] == "FORBIDDEN"

        # the client checks a document against the schema before sending it
        with pytest.raises(GraphQLError, match="Cannot query field 'revenue'"):
            await session.execute(GraphQLRequest("{ revenue { arr } }"))
