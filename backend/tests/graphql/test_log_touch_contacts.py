"""``logTouch`` names the contacts who took part, as REST's route does, and refuses one that is no
contact of the account in the words of its own arguments."""

from __future__ import annotations

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.enums import Role
from app.touchpoints.models import Touchpoint
from tests.factories import make_account, make_contact, make_user

LOG = """mutation($id: UUID!, $contacts: [UUID!]) {
  logTouch(accountId: $id, kind: meeting, summary: "Onboarding kick-off", contactIds: $contacts) {
    kind summary contactIds
  }
}"""


async def test_log_touch_with_contacts(graphql, session):
    casey = await make_user(session, role=Role.csm)
    token, _, _ = await auth_service.login(session, casey.email, "correct-horse")
    headers = {"Authorization": f"Bearer {token}"}
    account = await make_account(session, owner_id=casey.id)
    dana = await make_contact(session, account, name="Dana Diaz")
    eli = await make_contact(session, account, name="Eli Ek")
    stranger = await make_contact(session, await make_account(session), name="Stan Ger")

    body = await graphql(LOG, headers, id=str(account.id), contacts=[str(dana.id), str(eli.id)])
    assert body["data"]["logTouch"] == {
        "kind": "meeting",
        "summary": "Onboarding kick-off",
        "contactIds": [str(dana.id), str(eli.id)],
    }
    none_named = await graphql(LOG, headers, id=str(account.id))
    assert none_named["data"]["logTouch"]["contactIds"] == []

    refused = await graphql(LOG, headers, id=str(account.id), contacts=[str(stranger.id), str(dana.id)])
    error = refused["errors"][0]
    assert error["message"] == "contactIds.0: not a contact of this account"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert [e["loc"] for e in error["extensions"]["errors"]] == [["input", "contactIds", 0]]
    stored = (await session.execute(select(Touchpoint.contact_ids).where(Touchpoint.account_id == account.id))).all()
    assert sorted(len(row.contact_ids) for row in stored) == [0, 2]
