"""A person logs a touch (a call, a meeting, a QBR...) in Tempo: it goes in through ingest like a
CRM's touch, so the account's data source freshness and rescore request follow exactly as for
an ingested one, and the stored touchpoint is read back."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Principal
from app.core.enums import Kind
from app.core.errors import FieldError, Unprocessable
from app.ingest import service as ingest
from app.touchpoints import service as touchpoints
from app.touchpoints.schemas import TouchCreate, TouchpointPublic


async def log_touch(
    session: AsyncSession, principal: Principal, account_id: uuid.UUID, touch: TouchCreate
) -> TouchpointPublic:
    """Log the touch on an account the caller may change (``access``); the caller made it."""
    item = await touchpoints.ingest_item(session, principal, account_id, touch)
    result = await ingest.ingest(session, Kind.touchpoints, [item])
    if result.rejected:  # the item is built from a checked request: a refusal here is ingest's rules changing
        errors = [
            FieldError(loc=["body", *(str(x) for x in e.loc)], msg=e.msg, type="ingest")
            for e in result.rejected[0].errors
        ]
        raise Unprocessable(f"The touch was refused: {errors[0].msg}", errors=errors)
    return await touchpoints.logged(session, item["id"])
