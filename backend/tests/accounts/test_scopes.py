"""Whose accounts a list shows (``app.accounts.access``: mine, team, all, and the defaults),
in both forms the lists use (a SQLAlchemy condition, text SQL), and on the book's routes.

The org of every test here (lead → reports) and the accounts (owner, account team):

    Lena (leader) → Casey (csm), Sam (csm)        A1 Casey   A2 Sam   A3 Lena
    Leo (leader, no lead, nobody reports)          A4 Olive, Casey on its account team
    Olive (csm, no lead)                           A5 Olive   A6 nobody   A7 Leo

    mine   Casey: A1 A4    Lena: A3           Olive: A4 A5   Leo: A7
    team   Casey: A1 A2 A4 (shares Lena with Sam; Lena's own A3 is not a peer's)
           Lena:  A1 A2 A3 (her reports' and her own; A4 is Olive's)
           Olive: A4 A5    Leo: A7            (no lead, nobody reporting: as mine)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlmodel import col

from app.accounts import access
from app.accounts.models import Account, AccountTeamMember
from app.accounts.repository import IN_SCOPE_SQL
from app.auth import service as auth_service
from app.auth.models import User
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.enums import Role
from tests.factories import bearer, make_account, make_user

EVERYONE = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"]


@dataclass
class Org:
    users: dict[str, User]

    def principal(self, name: str) -> Principal:
        user = self.users[name]
        return Principal(kind="user", id=user.id, role=Role(user.role), email=user.email)


async def make_org(session: Any) -> Org:
    lena = await make_user(session, role=Role.leader, email="lena@example.com", name="Lena Lead")
    leo = await make_user(session, role=Role.leader, email="leo@example.com", name="Leo Lead")
    casey = await make_user(session, role=Role.csm, email="casey@example.com", name="Casey", lead_id=lena.id)
    sam = await make_user(session, role=Role.csm, email="sam@example.com", name="Sam", lead_id=lena.id)
    olive = await make_user(session, role=Role.csm, email="olive@example.com", name="Olive")
    owners = {"A1": casey, "A2": sam, "A3": lena, "A4": olive, "A5": olive, "A6": None, "A7": leo}
    for name, owner in owners.items():
        account = await make_account(session, name=name, owner_id=owner.id if owner else None)
        if name == "A4":
            session.add(AccountTeamMember(account_id=account.id, user_id=casey.id, role="Second CSM"))
    await session.flush()
    return Org({"lena": lena, "leo": leo, "casey": casey, "sam": sam, "olive": olive})


async def _names(session: Any, scope: access.ListScope) -> tuple[list[str], list[str]]:
    """The accounts of the scope through its SQLAlchemy condition and through its text SQL."""
    condition = scope.condition()
    stmt = select(col(Account.name)).order_by(col(Account.name))
    by_orm = list(await session.scalars(stmt if condition is None else stmt.where(condition)))
    sql = text(f"SELECT a.name FROM account a WHERE {IN_SCOPE_SQL} ORDER BY a.name")  # noqa: S608 - a constant
    by_text = list(await session.scalars(sql, scope.params()))
    return by_orm, by_text


@pytest.mark.parametrize(
    ("who", "requested", "scope", "expected"),
    [
        ("casey", "mine", "mine", ["A1", "A4"]),
        ("casey", "team", "team", ["A1", "A2", "A4"]),
        ("casey", "all", "all", EVERYONE),
        ("casey", None, "mine", ["A1", "A4"]),
        ("sam", "team", "team", ["A1", "A2"]),
        ("lena", "mine", "mine", ["A3"]),
        ("lena", "team", "team", ["A1", "A2", "A3"]),
        ("lena", None, "team", ["A1", "A2", "A3"]),
        ("leo", None, "all", EVERYONE),
        ("leo", "team", "team", ["A7"]),
        ("olive", "team", "team", ["A4", "A5"]),
        ("olive", None, "mine", ["A4", "A5"]),
    ],
)
async def test_each_scope_selects_exactly(session, who, requested, scope, expected):
    org = await make_org(session)
    resolved = await access.resolve_scope(session, org.principal(who), requested)
    assert resolved.name == scope
    assert await _names(session, resolved) == (expected, expected)


async def test_defaults_by_role_and_for_keys(session):
    org = await make_org(session)
    for role in (Role.admin, Role.product, Role.viewer):
        user = await make_user(session, role=role)
        principal = Principal(kind="user", id=user.id, role=role)
        assert (await access.resolve_scope(session, principal)).name == "all", role
    for role in Role:  # an API key has no user, so no book of its own: everyone's by default
        key = Principal(kind="api_key", id=uuid.uuid4(), role=role)
        assert (await access.resolve_scope(session, key)).name == "all", role
        # ...and nothing when it asks for its own
        assert await _names(session, await access.resolve_scope(session, key, "mine")) == ([], [])
    # a request that names an owner itself looks at everyone's accounts
    named = await access.resolve_scope(session, org.principal("casey"), None, names_owner=True)
    assert (named.name, (await _names(session, named))[0]) == ("all", EVERYONE)
    assert access.default_scope(org.principal("lena"), leads_anyone=False) == "all"
    assert access.default_scope(org.principal("lena"), leads_anyone=True) == "team"


async def test_a_csm_who_reads_only_their_own_gets_mine_whatever_they_ask(session, monkeypatch):
    org = await make_org(session)
    monkeypatch.setattr(get_settings(), "csm_read_whole_book", False)
    for requested in ("mine", "team", "all", None):
        resolved = await access.resolve_scope(session, org.principal("casey"), requested, names_owner=True)
        assert resolved.name == "mine"
        assert await _names(session, resolved) == (["A1", "A4"], ["A1", "A4"])
    # leaders are never restricted
    assert (await access.resolve_scope(session, org.principal("lena"), "all")).name == "all"


async def sign_in(session: Any, user: User) -> dict[str, str]:
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


async def test_the_book_lists_the_scope_and_says_which(client, session):
    org = await make_org(session)
    casey = await sign_in(session, org.users["casey"])
    lena = await sign_in(session, org.users["lena"])

    async def page(headers: dict[str, str], **params: Any) -> tuple[str, list[str], int]:
        r = await client.get("/api/v1/accounts", params={"sort": "name", **params}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        return body["scope"], [i["name"] for i in body["items"]], body["total"]

    assert await page(casey) == ("mine", ["A1", "A4"], 2)
    assert await page(casey, scope="team") == ("team", ["A1", "A2", "A4"], 3)
    assert await page(casey, scope="all", page_size=2) == ("all", ["A1", "A2"], 7)
    assert await page(lena) == ("team", ["A1", "A2", "A3"], 3)
    # the filter narrows the scope; naming an owner opens the default to everyone
    assert await page(casey, filter="owner=sam@example.com") == ("all", ["A2"], 1)
    assert await page(casey, filter="owner=sam@example.com", scope="mine") == ("mine", [], 0)
    assert await page(casey, owner_id=str(org.users["olive"].id)) == ("all", ["A4", "A5"], 2)
    assert await page(casey, filter="owner=me") == ("all", ["A1"], 1)
    bad = await client.get("/api/v1/accounts", params={"scope": "everyone"}, headers=casey)
    assert bad.status_code == 422

    export = await client.get("/api/v1/accounts/export", params={"scope": "team", "sort": "name"}, headers=casey)
    assert export.headers["x-scope"] == "team"
    lines = export.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["A1", "A2", "A4"]
    default_export = await client.get("/api/v1/accounts/export", params={"sort": "name"}, headers=casey)
    assert (default_export.headers["x-scope"], len(default_export.content.decode("utf-8-sig").splitlines())) == (
        "mine",
        3,
    )


async def test_graphql_accounts_take_the_scope(client, session):
    org = await make_org(session)
    casey = await sign_in(session, org.users["casey"])
    query = 'query($scope: String) { accounts(first: 10, sort: "name", scope: $scope) { totalCount edges { node { name } } } }'
    # unlike REST's, GraphQL's default is every account the caller reads (scripts page the book)
    for scope, expected in ((None, EVERYONE), ("mine", ["A1", "A4"]), ("team", ["A1", "A2", "A4"])):
        r = await client.post("/graphql", json={"query": query, "variables": {"scope": scope}}, headers=casey)
        data = r.json()["data"]["accounts"]
        assert ([e["node"]["name"] for e in data["edges"]], data["totalCount"]) == (expected, len(expected)), scope
    bad = await client.post("/graphql", json={"query": query, "variables": {"scope": "nope"}}, headers=casey)
    assert "scope must be one of all, mine, team" in bad.json()["errors"][0]["message"]


async def test_viewers_still_open_on_everything(client, session):
    await make_org(session)
    viewer = await bearer(session, Role.viewer)
    body = (await client.get("/api/v1/accounts", params={"sort": "name"}, headers=viewer)).json()
    assert (body["scope"], body["total"]) == ("all", 7)
