"""Facts about this installation the SPA needs (currency, version, today's date)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from app import __version__
from app.auth.dependencies import Reader
from app.core.config import get_settings
from app.core.models import utcnow

router = APIRouter(prefix="/api/v1", tags=["meta"])


class Meta(BaseModel):
    version: str
    reporting_currency: str
    today: date


@router.get("/meta", operation_id="meta:get", response_model=Meta)
async def get_meta(principal: Reader) -> Meta:
    return Meta(version=__version__, reporting_currency=get_settings().reporting_currency, today=utcnow().date())
