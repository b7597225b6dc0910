from __future__ import annotations

from datetime import date

from app.core.enums import Role
from app.renewals import service as renewals
from app.scoring.models import AccountHealth, ScoringConfig
from tests.factories import bearer, make_account, make_contact, make_user


async def _book(session):
    owner = await make_user(session, role=Role.csm, email="owner@example.com", name="Olivia Owner")
    a = await make_account(
        session,
        name="Acme Corp",
        external_id="ext-acme",
        arr=120_000,
        segment="Enterprise",
        owner_id=owner.id,
        renewal_date=date(2027, 1, 15),
    )
    b = await make_account(
        session, name="Bravo Ltd", external_id="ext-bravo", arr=8_000, segment="SMB", renewal_date=None
    )
    c = await make_account(
        session, name="Charlie Inc", external_id="ext-charlie", arr=45_500.5, segment="Mid-Market", status="churned"
    )
    await renewals.sync(session)  # the CRM dates become the accounts' next renewals
    return owner, a, b, c


async def test_book_sorts_pages_and_counts(client, session):
    await _book(session)
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts", params={"sort": "-arr", "page_size": 2}, headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert (body["total"], body["page"], body["page_size"]) == (3, 1, 2)
    assert [i["name"] for i in body["items"]] == ["Acme Corp", "Charlie Inc"]
    assert body["items"][1]["arr"] == 45500.5
    r2 = await client.get("/api/v1/accounts", params={"sort": "-arr", "page_size": 2, "page": 2}, headers=headers)
    assert [i["name"] for i in r2.json()["items"]] == ["Bravo Ltd"]
    asc = await client.get("/api/v1/accounts", params={"sort": "name"}, headers=headers)
    assert [i["external_id"] for i in asc.json()["items"]] == ["ext-acme", "ext-bravo", "ext-charlie"]
    # Missing renewal dates sort last in both directions (Bravo has none; Charlie churned, so
    # its CRM date renews nothing).
    for sort in ("renewal_date", "-renewal_date"):
        by_renewal = await client.get("/api/v1/accounts", params={"sort": sort}, headers=headers)
        names = [i["name"] for i in by_renewal.json()["items"]]
        assert names[0] == "Acme Corp" and set(names[1:]) == {"Bravo Ltd", "Charlie Inc"}, sort


async def test_book_filters(client, session):
    owner, *_ = await _book(session)
    headers = await bearer(session, Role.viewer)

    async def names(**params):
        r = await client.get("/api/v1/accounts", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return [i["name"] for i in r.json()["items"]]

    assert await names(external_id="ext-bravo") == ["Bravo Ltd"]
    assert await names(external_id="ext-missing") == []
    assert await names(q="ACME") == ["Acme Corp"]
    assert await names(q="ext-ch") == ["Charlie Inc"]
    assert await names(segment="SMB") == ["Bravo Ltd"]
    assert await names(status="churned") == ["Charlie Inc"]
    assert await names(owner_id=str(owner.id)) == ["Acme Corp"]
    first = (await client.get("/api/v1/accounts", params={"q": "acme"}, headers=headers)).json()["items"][0]
    assert first["owner"] == {"id": str(owner.id), "email": "owner@example.com", "name": "Olivia Owner"}
    assert first["health_score"] is None and first["quadrant"] is None


async def test_book_shows_the_current_health(client, session):
    """The book reads account_health (each account's latest snapshot, kept by the scoring
    engine: see tests/scoring/test_components.py for how it is kept)."""
    _, a, b, _ = await _book(session)
    session.add(ScoringConfig(version=1, body={}, is_active=True))
    await session.flush()
    session.add_all(
        [
            AccountHealth(
                account_id=a.id,
                as_of=date(2026, 11, 2),
                config_version=1,
                health_score=55.06,
                band="at_risk",
                quadrant="churn_risk",
            ),
            AccountHealth(
                account_id=b.id,
                as_of=date(2026, 11, 2),
                config_version=1,
                health_score=70.0,
                band="watch",
                quadrant="relationship_dependent",
            ),
        ]
    )
    await session.flush()
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts", params={"sort": "-health_score"}, headers=headers)
    rows = [(i["name"], i["health_score"], i["band"], i["quadrant"]) for i in r.json()["items"]]
    assert rows == [
        ("Bravo Ltd", 70.0, "watch", "relationship_dependent"),
        ("Acme Corp", 55.06, "at_risk", "churn_risk"),  # as computed: displays round once
        ("Charlie Inc", None, None, None),
    ]


async def test_bad_parameters_get_problem_json_with_the_field(client, session):
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts", params={"sort": "revenue", "page_size": 0}, headers=headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert sorted(tuple(e["loc"]) for e in r.json()["errors"]) == [("query", "page_size"), ("query", "sort")]


async def test_account_detail(client, session):
    _, a, *_ = await _book(session)
    await make_contact(session, a, name="Zed Sponsor", role="executive_sponsor", is_primary=False)
    await make_contact(session, a, name="Amy Champion", role="champion", is_primary=True)
    headers = await bearer(session, Role.viewer)
    r = await client.get(f"/api/v1/accounts/{a.id}", headers=headers)
    assert r.status_code == 200
    body = r.json()
    assert (body["name"], body["segment"], body["arr"], body["renewal_date"]) == (
        "Acme Corp",
        "Enterprise",
        120000.0,
        "2027-01-15",
    )
    assert [(c["name"], c["role"], c["is_primary"]) for c in body["contacts"]] == [
        ("Amy Champion", "champion", True),
        ("Zed Sponsor", "executive_sponsor", False),
    ]


async def test_unknown_account_is_a_404_problem(client, session):
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts/6a1e7c43-0000-4000-8000-000000000000", headers=headers)
    assert r.status_code == 404
    assert r.json()["detail"] == "No account with id 6a1e7c43-0000-4000-8000-000000000000"
    assert (await client.get("/api/v1/accounts/not-a-uuid", headers=headers)).status_code == 422
