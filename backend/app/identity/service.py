"""Identity resolution: which account does a source's key refer to?

Keys are ``(key_type, key)``: ``external_id`` looks at the account itself; every other
type (``domain``, ``stripe``, ``segment``, ``zendesk``, ...) looks up ``account_alias``.
Domains are compared lower-case.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import repository

EXTERNAL_ID = "external_id"


def normalise(key_type: str, key: str) -> tuple[str, str]:
    key_type = key_type.strip().lower()
    key = key.strip()
    return key_type, key.lower() if key_type == "domain" else key


async def resolve(session: AsyncSession, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], uuid.UUID]:
    keys = {normalise(t, k) for t, k in keys}
    external = [k for t, k in keys if t == EXTERNAL_ID]
    aliases = [(t, k) for t, k in keys if t != EXTERNAL_ID]
    found: dict[tuple[str, str], uuid.UUID] = {
        (EXTERNAL_ID, k): v for k, v in (await repository.accounts_by_external_id(session, external)).items()
    }
    found.update(await repository.accounts_by_alias(session, aliases))
    return found
