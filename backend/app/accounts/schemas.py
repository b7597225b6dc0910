from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.core.enums import AccountStatus, Band, ContactRole, Flag, Quadrant


class OwnerRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str | None


class AccountSummary(BaseModel):
    """One row of the book."""

    id: uuid.UUID
    external_id: str
    name: str
    segment: str | None
    plan: str | None
    icp_tier: str | None
    region: str | None
    owner: OwnerRef | None
    arr: float
    renewal_date: date | None
    status: AccountStatus
    flag: Flag | None
    health_score: float | None
    band: Band | None
    quadrant: Quadrant | None


class AccountsPage(BaseModel):
    items: list[AccountSummary]
    total: int
    page: int
    page_size: int


class ContactPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str | None
    email: str | None
    title: str | None
    role: ContactRole | None
    is_primary: bool


class AccountDetail(AccountSummary):
    domains: list[str]
    industry: str | None
    acquisition_channel: str | None
    signup_date: date | None
    onboarding_completed_at: datetime | None
    seats_purchased: int | None
    seat_limit: int | None
    api_call_limit: int | None
    contract_start: date | None
    tags: list[str]
    contacts: list[ContactPublic]


SortKey = Literal[
    "name",
    "-name",
    "arr",
    "-arr",
    "renewal_date",
    "-renewal_date",
    "health_score",
    "-health_score",
    "segment",
    "-segment",
    "plan",
    "-plan",
    "created_at",
    "-created_at",
]
