"""The demo logins ``tempo up`` prints: an admin, the CSM with the biggest book and their lead."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth import repository as auth_repository
from app.auth import service as auth
from app.auth.security import hash_password
from app.core.db import unit_of_work
from app.core.enums import Role
from app.demo import repository

DEMO_EMAIL = "demo@tempo.test"
DEMO_PASSWORD = "tempo-demo"  # noqa: S105 - printed for the local demo login


async def ensure_demo_admin(email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> None:
    async with unit_of_work() as session:
        if await auth_repository.user_by_email(session, email) is None:
            await auth.create_user(
                session, email=email, role=Role.admin, name="Demo Admin", password=password, actor="cli"
            )


@dataclass(frozen=True)
class DemoLogins:
    csm: str | None = None
    leader: str | None = None


async def demo_logins(password: str = DEMO_PASSWORD) -> DemoLogins:
    """The CSM owning the most active accounts and the leader they report to, with the demo
    password (set once, when the demo user has none), so a new user can also see Tempo as a CSM
    sees it (their own book) and as a team lead does (the team, the leadership screen)."""
    async with unit_of_work() as session:
        csm = await repository.busiest_csm(session)
        if csm is None:
            return DemoLogins()
        lead = await repository.active_leader(session, csm.lead_id) if csm.lead_id else None
        for row in (csm, lead):
            if row is not None and row.password_hash is None:
                await repository.set_password_hash(session, row.id, hash_password(password))
        return DemoLogins(str(csm.email), str(lead.email) if lead else None)


async def account_count() -> int:
    async with unit_of_work() as session:
        return await repository.account_count(session)
