"""Saved views: the built-ins, a user's own, sharing, canonical filters, and the scope each
opens with."""

from __future__ import annotations

from app.core.enums import Role
from tests.factories import bearer


async def test_builtin_views_come_first_and_are_fixed(client, session):
    headers = await bearer(session, Role.csm)
    views = (await client.get("/api/v1/views", headers=headers)).json()
    assert [(v["key"], v["name"], v["query"]["filter"]) for v in views] == [
        (
            "renewing-60-at-risk-no-qbr",
            "Renewing in 60 days · at risk · no QBR in 90 days",
            "renewal_in<=60 band=at_risk qbr>90",
        ),
        ("at-risk", "At risk", "band=at_risk"),
        ("renewing-90", "Renewing in 90 days", "renewal_in<=90"),
        ("no-touch-30", "No touch in 30 days", "last_touch>30"),
        ("expansion-ready", "Expansion ready", "health>80 adoption>70%"),
        ("renewal-risk", "Renewal risk", "renewal_in<90 health<70"),
        ("needs-attention", "Needs attention", "usage_change<-30%"),
        ("high-value-at-risk", "High value at risk", "arr>50k health<60"),
    ]
    assert all(v["is_builtin"] and v["shared"] and not v["mine"] for v in views)
    # a CSM opens them over their own book
    assert {v["scope"] for v in views} == {"mine"}
    # every built-in filter is valid in the book
    for v in views:
        r = await client.get("/api/v1/accounts", params={"filter": v["query"]["filter"]}, headers=headers)
        assert r.status_code == 200, (v["key"], r.text)
    assert (await client.delete(f"/api/v1/views/{views[0]['id']}", headers=headers)).status_code == 403


async def test_own_and_shared_views(client, session):
    casey = await bearer(session, Role.csm)
    sam = await bearer(session, Role.viewer)
    bad = await client.post("/api/v1/views", json={"name": "Mine", "query": {"filter": "band=bad"}}, headers=casey)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "filter", 0]
    made = await client.post(
        "/api/v1/views",
        json={
            "name": "Renewing soon, no QBR",
            "query": {"filter": "renewal_in<=60d band:at_risk  qbr>90", "sort": "renewal_date"},
        },
        headers=casey,
    )
    assert made.status_code == 201, made.text
    view = made.json()
    assert view["query"] == {"filter": "renewal_in<=60 band=at_risk qbr>90", "sort": "renewal_date", "q": ""}
    assert view["mine"] and not view["shared"]
    dup = await client.post("/api/v1/views", json={"name": "Renewing soon, no QBR", "query": {}}, headers=casey)
    assert dup.status_code == 409

    names = lambda r: [v["name"] for v in r.json() if not v["is_builtin"]]  # noqa: E731
    assert names(await client.get("/api/v1/views", headers=sam)) == []
    assert (await client.patch(f"/api/v1/views/{view['id']}", json={"shared": True}, headers=sam)).status_code == 403
    shared = await client.patch(
        f"/api/v1/views/{view['id']}", json={"shared": True, "name": "At-risk renewals"}, headers=casey
    )
    assert shared.status_code == 200 and shared.json()["shared"]
    listed = await client.get("/api/v1/views", headers=sam)
    assert names(listed) == ["At-risk renewals"] and not listed.json()[-1]["mine"]
    assert (await client.delete(f"/api/v1/views/{view['id']}", headers=casey)).status_code == 204
    assert names(await client.get("/api/v1/views", headers=casey)) == []


async def test_a_view_opens_over_the_callers_scope_unless_its_filter_names_an_owner(client, session):
    casey = await bearer(session, Role.csm)
    made = await client.post(
        "/api/v1/views",
        json={"name": "Olive's renewals", "query": {"filter": "owner=olive@example.com renewal_in<=90"}},
        headers=casey,
    )
    assert (made.status_code, made.json()["scope"]) == (201, "all")
    plain = await client.post(
        "/api/v1/views", json={"name": "At risk, big", "query": {"filter": "band=at_risk arr>50k"}}, headers=casey
    )
    assert (plain.status_code, plain.json()["scope"]) == (201, "mine")

    def scopes(r):
        return {v["name"]: v["scope"] for v in r.json() if not v["is_builtin"]}

    assert scopes(await client.get("/api/v1/views", headers=casey)) == {
        "At risk, big": "mine",
        "Olive's renewals": "all",
    }
    # the toggle on Team: views open over the team, an owner's view still over everyone
    team = await client.get("/api/v1/views", params={"scope": "team"}, headers=casey)
    assert scopes(team) == {"At risk, big": "team", "Olive's renewals": "all"}
    assert {v["scope"] for v in team.json() if v["is_builtin"]} == {"team"}
    # an admin's default is everyone
    admin = await bearer(session, Role.admin)
    assert {v["scope"] for v in (await client.get("/api/v1/views", headers=admin)).json()} == {"all"}
    bad = await client.get("/api/v1/views", params={"scope": "mine,team"}, headers=casey)
    assert bad.status_code == 422
