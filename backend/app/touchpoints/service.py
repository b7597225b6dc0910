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
from app.core.errors import NotFound
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
    return {
        "id": f"{SOURCE_ID_PREFIX}{uuid.uuid4()}",
        "account": external_id,
        "account_key_type": "external_id",
        "kind": touch.kind.value,
        "csm_email": principal.email,
        "occurred_at": (touch.occurred_at or utcnow()).isoformat(),
        "sentiment": touch.sentiment.value if touch.sentiment else None,
        "summary": touch.summary,
    }


async def logged(session: AsyncSession, source_id: str) -> TouchpointPublic:
    """The touchpoint ingest stored for ``source_id``."""
    found = await repository.by_source_id(session, source_id)
    if found is None:
        raise NotFound(f"No touchpoint {source_id}")
    return TouchpointPublic.model_validate(found)
