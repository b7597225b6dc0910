"""The demo logins ``tempo up`` prints: the CSM with the most active accounts, and the leader
they report to, both given the demo password when they have none (and never changed after)."""

from __future__ import annotations

from app.auth import service as auth
from app.core.enums import Role
from app.demo.login import DEMO_PASSWORD, DemoLogins, demo_logins
from tests.factories import make_account, make_user


async def test_the_busiest_csm_and_their_lead_can_sign_in(committed_sessions):
    async with committed_sessions() as s:
        lead = await make_user(s, role=Role.leader, email="lead@demo.test", password=None)
        busy = await make_user(s, role=Role.csm, email="busy@demo.test", password=None, lead_id=lead.id)
        quiet = await make_user(s, role=Role.csm, email="quiet@demo.test", password=None)
        for n in range(3):
            await make_account(s, name=f"Busy {n}", owner_id=busy.id)
        await make_account(s, name="Quiet", owner_id=quiet.id)
        await s.commit()

    assert await demo_logins(DEMO_PASSWORD) == DemoLogins(csm="busy@demo.test", leader="lead@demo.test")
    async with committed_sessions() as s:
        for email in ("busy@demo.test", "lead@demo.test"):
            _, _, user = await auth.login(s, email, DEMO_PASSWORD)
            assert user.email == email
        await s.commit()


async def test_no_leader_login_when_the_csm_has_no_active_lead(committed_sessions):
    async with committed_sessions() as s:
        gone = await make_user(s, role=Role.leader, email="gone@demo.test", password=None, is_active=False)
        solo = await make_user(s, role=Role.csm, email="solo@demo.test", password="own-password", lead_id=gone.id)
        await make_account(s, name="Solo", owner_id=solo.id)
        await s.commit()

    assert await demo_logins(DEMO_PASSWORD) == DemoLogins(csm="solo@demo.test", leader=None)
    async with committed_sessions() as s:
        # a password the user already had is kept
        _, _, user = await auth.login(s, "solo@demo.test", "own-password")
        assert user.email == "solo@demo.test"
        await s.commit()


async def test_an_empty_book_has_no_demo_logins(committed_sessions):
    assert await demo_logins(DEMO_PASSWORD) == DemoLogins()
