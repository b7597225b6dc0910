"""Touches a person logs in Tempo: who may log one, the item ingest takes for it, and reading
it back. Writing goes through ingest like a CRM's touch (``app.flows.touch_logged``), so the
account is rescored exactly as for one that arrived by ingest."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.accounts import service as accounts
from app.auth.service import Principal
from app.core.errors import FieldError, NotFound, Unprocessable
from app.core.models import utcnow
from app.touchpoints import repository
from app.touchpoints.schemas import TouchCreate, TouchpointPublic

# Touches logged in Tempo carry a source id of their own kind: ``tempo:<uuid>``.
SOURCE_ID_PREFIX = "tempo:"


async def ingest_item(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, touch: TouchCreate
) -> dict[str, Any]:
    """The touchpoints ingest item (DESIGN §5) for a touch the caller logs on the account, once
    ``access`` says they may change it; the caller is the CSM who made the touch."""
    await access.require_write(session, principal, account_id)
    names = await accounts.names(session, [account_id])
    if account_id not in names:
        raise NotFound(f"No account with id {account_id}")
    external_id, _ = names[account_id]
    await _require_contacts_of(session, account_id, touch.contact_ids)
    return {
        "id": f"{SOURCE_ID_PREFIX}{uuid.uuid4()}",
        "account": external_id,
        "account_key_type": "external_id",
        "kind": touch.kind.value,
        "csm_email": principal.email,
        "occurred_at": (touch.occurred_at or utcnow()).isoformat(),
        "sentiment": touch.sentiment.value if touch.sentiment else None,
        "summary": touch.summary,
        "contact_ids": [str(c) for c in touch.contact_ids],
    }


async def _require_contacts_of(session: AsyncSession, account_id: uuid.UUID, contact_ids: list[uuid.UUID]) -> None:
    """Each of ``contact_ids`` is a contact of the account; a 422 names every one that is not."""
    accounts_of = await repository.contact_accounts(session, contact_ids)
    errors = [
        FieldError(loc=["body", "contact_ids", i], msg="not a contact of this account", type="value_error")
        for i, contact_id in enumerate(contact_ids)
        if accounts_of.get(contact_id) != account_id
    ]
    if errors:
        raise Unprocessable(f"contact_ids.{errors[0].loc[2]}: not a contact of this account", errors=errors)


async def recent(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, limit: int
) -> list[TouchpointPublic]:
    """The account's touches, newest first, for a caller who may read it (``access``)."""
    await access.require_read(session, principal, account_id)
    if account_id not in await accounts.names(session, [account_id]):
        raise NotFound(f"No account with id {account_id}")
    return [TouchpointPublic.model_validate(t) for t in await repository.latest(session, account_id, limit)]


async def logged(session: AsyncSession, source_id: str) -> TouchpointPublic:
    """The touchpoint ingest stored for ``source_id``."""
    found = await repository.by_source_id(session, source_id)
    if found is None:
        raise NotFound(f"No touchpoint {source_id}")
    return TouchpointPublic.model_validate(found)
