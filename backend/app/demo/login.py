"""The demo logins ``tempo up`` prints: an admin, and the CSM with the biggest book."""

from __future__ import annotations

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


async def demo_csm_login(password: str = DEMO_PASSWORD) -> str | None:
    """The CSM owning the most active accounts, with the demo password (set once, when the
    demo user has none), so a new user can also see Tempo as a CSM sees it: their own book."""
    async with unit_of_work() as session:
        row = await repository.busiest_csm(session)
        if row is None:
            return None
        if row.password_hash is None:
            await repository.set_password_hash(session, row.id, hash_password(password))
        return str(row.email)


async def account_count() -> int:
    async with unit_of_work() as session:
        return await repository.account_count(session)
