"""Query cost: the static estimate on worked examples, the actual count, the per-caller budget
(COST_LIMIT, THROTTLED, ``extensions.cost`` on every answer), and the alias limit through
fragment spreads."""

from __future__ import annotations

import pytest
from graphql import parse

from app.core.config import get_settings
from app.core.enums import Role
from app.graphql import cost
from app.graphql.schema import schema
from tests.factories import bearer, make_account
from tests.graphql.book import score

BOOK = "{ accounts(first: 50) { edges { node { name health { healthScore } } } } }"


def estimate(query: str, **variables: object) -> int:
    return cost.estimate(schema._schema, parse(query), None, variables)


def test_the_estimate_on_worked_examples():
    # accounts 1 + 50 x (edges 1 + node 1 + name 1 + health 1 + healthScore 1)
    assert estimate(BOOK) == 251
    # a fragment counts where it is spread; `first` from a variable; viewer 1 + role 1
    query = """query($n: Int!) { ...F viewer { role } }
      fragment F on Query { alerts(first: $n) { totalCount edges { node { id } } } }"""
    assert estimate(query, n=10) == 1 + 10 * (1 + 1 + 1 + 1) + 2
    # the queue pages by pageSize, 20 when not given: 1 + 20 x (items 1 + rank 1) + total 1 x 20
    assert estimate("{ queue { total items { rank } } }") == 1 + 20 * (1 + 1 + 1)
    assert estimate("{ queue(pageSize: 2) { items { rank } } }") == 1 + 2 * 2
    # lists that do not page count their selection once
    assert estimate('{ account(id: "00000000-0000-4000-8000-000000000000") { notes { body } } }') == 1 + 1 + 1


async def test_every_answer_reports_its_cost_and_the_budget_left(graphql, session):
    for name, health in (("Acme", 85.0), ("Bravo", 70.0), ("Charlie", 40.0)):
        await score(session, await make_account(session, name=name), health, "healthy", "champions")
    headers = await bearer(session, Role.viewer)
    body = await graphql(BOOK, headers)
    # actual: accounts 1 + edges 1 + 3 x (node 1 + name 1 + health 1 + healthScore 1)
    assert body["extensions"]["cost"] == {"requested": 251, "actual": 14, "remaining": 10_000 - 14, "resetSeconds": 60}
    again = await graphql("{ viewer { role } }", headers)
    assert again["extensions"]["cost"]["remaining"] == 10_000 - 14 - 2
    # a query refused before it runs costs nothing, and says so too
    bad = await graphql("{ viewer { nope } }", headers)
    assert bad["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert bad["extensions"]["cost"]["requested"] == 0 and bad["extensions"]["cost"]["remaining"] == 10_000 - 16


async def test_a_query_dearer_than_the_limit_is_refused_unrun(graphql, session):
    fields = (
        "id externalId name arr segment plan icpTier region status flag healthScore band quadrant openTickets "
        "lastTouchOn usageChange openAlertCount"
    )
    query = (
        "{ a: accounts(first: 100) { edges { node { ...F } } } b: accounts(first: 100) { edges { node { ...F } } }"
        " c: accounts(first: 100) { edges { node { ...F } } } } fragment F on Account { FIELDS }"
    ).replace("FIELDS", fields)
    requested = 3 * (1 + 100 * (1 + 1 + len(fields.split())))
    assert requested > get_settings().graphql_max_query_cost
    body = await graphql(query, await bearer(session, Role.admin))
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == (
        f"The query would cost {requested:,} points; at most 5,000 are allowed "
        "(ask for fewer items with `first`, or fewer fields)"
    )
    assert error["extensions"] == {"code": "COST_LIMIT", "cost": requested, "maxCost": 5000}
    assert body["extensions"]["cost"] == {"requested": requested, "actual": 0, "remaining": 10_000, "resetSeconds": 60}


async def test_a_caller_over_budget_is_throttled_until_the_window_resets(graphql, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "graphql_points_per_minute", 10)
    headers = await bearer(session, Role.viewer)
    for left in (7, 4, 1):  # { viewer { id role } } costs 3
        body = await graphql("{ viewer { id role } }", headers)
        assert "errors" not in body and body["extensions"]["cost"]["remaining"] == left
    body = await graphql("{ viewer { id role } }", headers)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "The query would cost 3 points; 1 of 10 are left this minute"
    assert error["extensions"]["code"] == "THROTTLED"
    assert 1 <= error["extensions"]["retryAfterSeconds"] <= 60
    assert body["extensions"]["cost"]["remaining"] == 1
    # another caller has a budget of their own
    other = await graphql("{ viewer { id role } }", await bearer(session, Role.viewer))
    assert "errors" not in other


async def test_without_redis_queries_are_served_uncounted(graphql, session, held_jobs):
    body = await graphql("{ viewer { role } }", await bearer(session, Role.viewer))
    assert body["data"] == {"viewer": {"role": "viewer"}}
    assert body["extensions"]["cost"] == {"requested": 2, "actual": 2, "remaining": None, "resetSeconds": None}


ALIASES_8 = " ".join(f"a{i}: viewer {{ role }}" for i in range(8))


@pytest.mark.parametrize(
    "query",
    [
        "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(16)) + " }",
        # the same 16 aliases, hidden behind fragment spreads (counted since strawberry 0.315.7)
        "{ ...A ...A } fragment A on Query { EIGHT }".replace("EIGHT", ALIASES_8),
        "{ ...B } fragment B on Query { ...A ...A } fragment A on Query { EIGHT }".replace("EIGHT", ALIASES_8),
        "{ ... on Query { ...A } ...A } fragment A on Query { EIGHT }".replace("EIGHT", ALIASES_8),
    ],
)
async def test_an_alias_bomb_is_refused_through_fragments_too(graphql, session, query):
    body = await graphql(query, await bearer(session, Role.viewer))
    assert body["data"] is None
    assert body["errors"][0]["message"] == "16 aliases found. Allowed: 15"
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_fifteen_aliases_through_fragments_are_allowed(graphql, session):
    fourteen = " ".join(f"a{i}: viewer {{ role }}" for i in range(14))
    query = "{ ...A a14: viewer { role } } fragment A on Query { FOURTEEN }".replace("FOURTEEN", fourteen)
    body = await graphql(query, await bearer(session, Role.viewer))
    assert "errors" not in body and len(body["data"]) == 15
