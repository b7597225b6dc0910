"""What the account picture says of access (DESIGN §16, ``app.accounts.access``): whether the
caller may change the account (``can_edit``), so the page greys out what they may not do
before they try, and who is on the account team."""

from __future__ import annotations

import pytest

from app.accounts.models import AccountTeamMember
from app.auth import service as auth_service
from app.core.config import get_settings
from app.core.enums import Role
from tests.factories import make_account, make_user


async def headers_of(session, user) -> dict[str, str]:
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def book(session):
    """Olive (a CSM) owns Acme; Tomás (a CSM) is on Acme's team; Oscar (a CSM) is not."""
    owner = await make_user(session, role=Role.csm, email="olive@example.com", name="Olive Owner")
    teammate = await make_user(session, role=Role.csm, email="tomas@example.com", name="Tomás Team")
    engineer = await make_user(session, role=Role.product, email="sol@example.com", name=None)
    other = await make_user(session, role=Role.csm, email="oscar@example.com", name="Oscar Other")
    acme = await make_account(session, name="Acme", owner_id=owner.id)
    session.add(AccountTeamMember(account_id=acme.id, user_id=teammate.id, role="Second CSM"))
    await session.flush()
    session.add(AccountTeamMember(account_id=acme.id, user_id=engineer.id, role=None))
    await session.flush()
    return {"owner": owner, "teammate": teammate, "engineer": engineer, "other": other, "acme": acme}


async def picture(client, account, headers) -> dict:
    r = await client.get(f"/api/v1/accounts/{account.id}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize(
    ("who", "can_edit"),
    [
        ("admin", True),
        ("leader", True),
        ("owner", True),  # the CSM who owns it
        ("teammate", True),  # a CSM on its team
        ("other", False),  # a CSM on neither
        ("viewer", False),
        ("product", False),
        ("engineer", False),  # on the team, but a product user changes nothing
    ],
)
async def test_can_edit_is_the_access_policys_answer(client, session, book, who, can_edit):
    if who in ("admin", "leader", "viewer", "product"):
        user = await make_user(session, role=Role(who))
    else:
        user = book[who]
    p = await picture(client, book["acme"], await headers_of(session, user))
    assert p["can_edit"] is can_edit


async def test_can_edit_is_the_same_answer_as_a_write(client, session, book):
    """``can_edit`` false is the 403 the CSM would get; true, the write goes through."""
    for user, status in ((book["other"], 403), (book["teammate"], 200)):
        headers = await headers_of(session, user)
        assert (await picture(client, book["acme"], headers))["can_edit"] is (status == 200)
        r = await client.patch(f"/api/v1/accounts/{book['acme'].id}", json={"flag": "red"}, headers=headers)
        assert r.status_code == status, r.text


async def test_the_picture_names_the_team_in_the_order_it_was_formed(client, session, book):
    p = await picture(client, book["acme"], await headers_of(session, book["other"]))
    assert p["team"] == [
        {"user_id": str(book["teammate"].id), "email": "tomas@example.com", "name": "Tomás Team", "role": "Second CSM"},
        {"user_id": str(book["engineer"].id), "email": "sol@example.com", "name": None, "role": None},
    ]
    assert p["owner"]["email"] == "olive@example.com"  # the owner is not on the team list
    # the same people, in the same order, as the team endpoint's
    listed = await client.get(
        f"/api/v1/accounts/{book['acme'].id}/team", headers=await headers_of(session, book["owner"])
    )
    assert [m["user_id"] for m in listed.json()] == [m["user_id"] for m in p["team"]]


async def test_an_account_without_a_team_has_an_empty_one(client, session, book):
    lone = await make_account(session, name="Lone", owner_id=book["other"].id)
    p = await picture(client, lone, await headers_of(session, book["other"]))
    assert (p["team"], p["can_edit"]) == ([], True)
    # ...and its owner's change of team shows in the next picture
    r = await client.put(
        f"/api/v1/accounts/{lone.id}/team",
        json={"members": [{"user_id": str(book["owner"].id), "role": "Exec sponsor"}]},
        headers=await headers_of(session, book["other"]),
    )
    assert r.status_code == 200, r.text
    p = await picture(client, lone, await headers_of(session, book["owner"]))
    assert [(m["name"], m["role"]) for m in p["team"]] == [("Olive Owner", "Exec sponsor")]
    assert p["can_edit"] is True  # Olive is on Lone's team now


async def test_a_csm_key_reads_the_picture_but_may_change_nothing(client, session, book):
    _, key = await auth_service.create_api_key(session, name="csm script", role=Role.csm)
    p = await picture(client, book["acme"], {"Authorization": f"Bearer {key}"})
    assert p["can_edit"] is False
    _, lead_key = await auth_service.create_api_key(session, name="lead script", role=Role.leader)
    assert (await picture(client, book["acme"], {"Authorization": f"Bearer {lead_key}"}))["can_edit"] is True


async def test_a_csm_limited_to_their_book_reads_their_accounts_only(client, session, book, monkeypatch):
    monkeypatch.setattr(get_settings(), "csm_read_whole_book", False)
    r = await client.get(f"/api/v1/accounts/{book['acme'].id}", headers=await headers_of(session, book["other"]))
    assert r.status_code == 404  # not theirs: as if it did not exist
    p = await picture(client, book["acme"], await headers_of(session, book["teammate"]))
    assert p["can_edit"] is True
