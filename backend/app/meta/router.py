"""Facts about this installation the SPA needs (currency, version, today's date)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app import __version__
from app.auth.dependencies import Reader
from app.core.config import get_settings
from app.core.models import utcnow

router = APIRouter(prefix="/api/v1", tags=["meta"])


class Connectors(BaseModel):
    """Which push sources are switched on (their secrets are set), and how Segment behaves."""

    stripe: bool = Field(description="Stripe webhooks are configured (TEMPO_STRIPE_WEBHOOK_SECRET)")
    segment: bool = Field(description="The Segment tracking API is configured (TEMPO_SEGMENT_WRITE_KEY)")
    segment_group_accounts: bool = Field(
        description="Segment group traits create and update accounts (TEMPO_SEGMENT_GROUP_ACCOUNTS)"
    )


class Meta(BaseModel):
    version: str
    reporting_currency: str
    today: date
    connectors: Connectors


@router.get("/meta", operation_id="getMeta", response_model=Meta)
async def get_meta(principal: Reader) -> Meta:
    settings = get_settings()
    return Meta(
        version=__version__,
        reporting_currency=settings.reporting_currency,
        today=utcnow().date(),
        connectors=Connectors(
            stripe=bool(settings.stripe_webhook_secret),
            segment=bool(settings.segment_write_key),
            segment_group_accounts=settings.segment_group_accounts,
        ),
    )
