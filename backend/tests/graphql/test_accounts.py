"""``accounts`` as a connection over the book: pages and cursors, the filter language and sorts,
argument refusals, and the caller's read scope."""

from __future__ import annotations

import base64

import pytest

from app.core.config import get_settings
from app.core.enums import Role
from app.graphql.connections import cursor
from tests.factories import bearer, make_account, make_user
from tests.graphql.book import HEALTH_NOW, score

PAGE = """
query Page($first: Int!, $after: String, $filter: String, $sort: String! = "-arr") {
  accounts(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { name arr healthScore band quadrant } }
  }
}
"""


@pytest.fixture
async def three(session):
    """Acme (300K, healthy champions), Bravo (200K, the worked example: 62.45, watch) and
    Charlie (100K, 40, at risk)."""
    acme = await make_account(session, name="Acme", arr=300_000)
    bravo = await make_account(session, name="Bravo", arr=200_000)
    charlie = await make_account(session, name="Charlie", arr=100_000)
    await score(session, acme, 85.0, "healthy", "champions")
    await score(session, bravo, HEALTH_NOW, "watch", "relationship_dependent")
    await score(session, charlie, 40.0, "at_risk", "churn_risk")
    return acme, bravo, charlie


def names(body):
    return [e["node"]["name"] for e in body["data"]["accounts"]["edges"]]


async def test_pages_walk_the_book_cursor_by_cursor(graphql, session, three):
    headers = await bearer(session, Role.viewer)
    first = await graphql(PAGE, headers, first=2)
    assert first["data"]["accounts"] == {
        "totalCount": 3,
        "pageInfo": {"hasNextPage": True, "endCursor": cursor(1)},
        "edges": [
            {
                "cursor": cursor(0),
                "node": {
                    "name": "Acme",
                    "arr": 300000.0,
                    "healthScore": 85.0,
                    "band": "healthy",
                    "quadrant": "champions",
                },
            },
            {
                "cursor": cursor(1),
                "node": {
                    "name": "Bravo",
                    "arr": 200000.0,
                    "healthScore": pytest.approx(62.4545, abs=1e-4),
                    "band": "watch",
                    "quadrant": "relationship_dependent",
                },
            },
        ],
    }
    # cursors are opaque to clients, positions to us
    assert base64.b64decode(cursor(1)) == b"o:1"
    second = await graphql(PAGE, headers, first=2, after=cursor(1))
    assert names(second) == ["Charlie"]
    assert second["data"]["accounts"]["pageInfo"] == {"hasNextPage": False, "endCursor": cursor(2)}
    # a window the book's pages do not line up with (1..2 in pages of 2)
    middle = await graphql(PAGE, headers, first=2, after=cursor(0))
    assert names(middle) == ["Bravo", "Charlie"]
    assert [e["cursor"] for e in middle["data"]["accounts"]["edges"]] == [cursor(1), cursor(2)]
    past = await graphql(PAGE, headers, first=2, after=cursor(2))
    assert past["data"]["accounts"] == {
        "totalCount": 3,
        "pageInfo": {"hasNextPage": False, "endCursor": None},
        "edges": [],
    }


async def test_the_filter_language_and_sorts_are_the_books(graphql, session, three):
    headers = await bearer(session, Role.viewer)
    assert names(await graphql(PAGE, headers, first=10, filter="band=at_risk,watch", sort="name")) == [
        "Bravo",
        "Charlie",
    ]
    assert names(await graphql(PAGE, headers, first=10, filter="health<60")) == ["Charlie"]
    assert names(await graphql(PAGE, headers, first=10, filter="arr>=150k quadrant!=champions")) == ["Bravo"]
    assert names(await graphql(PAGE, headers, first=10, sort="health_score")) == ["Charlie", "Bravo", "Acme"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 0}, "first must be between 1 and 100"),
        ({"first": 101}, "first must be between 1 and 100"),
        ({"first": 5, "after": "bm9wZQ=="}, "after must be a cursor this API returned"),
        ({"first": 5, "after": "%%%"}, "after must be a cursor this API returned"),
        ({"first": 5, "sort": "size"}, "sort must be one of"),
        ({"first": 5, "filter": "helth<60"}, "filter: unknown field 'helth'; did you mean 'health'?"),
    ],
)
async def test_refused_arguments_say_why(graphql, session, variables, message):
    headers = await bearer(session, Role.viewer)
    body = await graphql(PAGE, headers, **variables)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith(message), error
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["accounts"]


async def test_a_filter_error_carries_its_field_errors(graphql, session):
    body = await graphql(PAGE, await bearer(session, Role.viewer), first=5, filter="health<60 band=great")
    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "errors": [
            {
                "loc": ["query", "filter", 1],
                "msg": "unknown band 'great'; one of healthy, watch, at_risk",
                "type": "filter",
            }
        ],
    }


async def test_a_csm_limited_to_their_book_pages_through_it_alone(graphql, session, monkeypatch):
    monkeypatch.setattr(get_settings(), "csm_read_whole_book", False)
    headers = await bearer(session, Role.csm)
    casey = await make_user(session, role=Role.csm)
    me = (await graphql("{ viewer { id } }", headers))["data"]["viewer"]["id"]
    for name in ("Mine A", "Mine B"):
        await make_account(session, name=name, owner_id=me)
    await make_account(session, name="Casey's", owner_id=casey.id)
    body = await graphql(PAGE, headers, first=1, sort="name")
    assert names(body) == ["Mine A"] and body["data"]["accounts"]["totalCount"] == 2
    hidden = await make_account(session, name="Hidden", owner_id=casey.id)
    one = await graphql(f'{{ account(id: "{hidden.id}") {{ name }} }}', headers)
    assert one["data"] is None
    assert [(e["message"], e["extensions"]["code"]) for e in one["errors"]] == [
        (f"No account with id {hidden.id}", "NOT_FOUND")
    ]
