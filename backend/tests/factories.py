"""Small async factories with keyword overrides: ``await make_account(s, segment="Enterprise")``."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Account, Contact
from app.auth import service as auth_service
from app.auth.models import User
from app.core.enums import Role

_seq = itertools.count(1)


async def make_user(
    session: AsyncSession, *, role: Role = Role.csm, password: str | None = "correct-horse", **overrides: Any
) -> User:
    n = next(_seq)
    user = await auth_service.create_user(
        session,
        email=overrides.pop("email", f"user{n}@example.com"),
        role=role,
        name=overrides.pop("name", f"User {n}"),
        password=password,
    )
    for key, value in overrides.items():
        setattr(user, key, value)
    await session.flush()
    return user


async def make_account(session: AsyncSession, **overrides: Any) -> Account:
    n = next(_seq)
    fields: dict[str, Any] = {
        "external_id": f"acct-{n}",
        "name": f"Account {n}",
        "segment": "SMB",
        "plan": "Growth",
        "current_arr": Decimal("12000"),
        "renewal_date": date(2027, 3, 1),
    }
    fields.update(overrides)
    if "arr" in fields:
        fields["current_arr"] = Decimal(str(fields.pop("arr")))
    account = Account(**fields)
    session.add(account)
    await session.flush()
    return account


async def make_contact(session: AsyncSession, account: Account, **overrides: Any) -> Contact:
    n = next(_seq)
    fields: dict[str, Any] = {"name": f"Contact {n}", "email": f"c{n}@example.com", **overrides}
    contact = Contact(account_id=account.id, **fields)
    session.add(contact)
    await session.flush()
    return contact


async def bearer(session: AsyncSession, role: Role = Role.admin) -> dict[str, str]:
    """Headers for a freshly signed-in user with ``role``."""
    user = await make_user(session, role=role)
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}
