"""API shapes of the book: pages, the filter language's fields, sort keys."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from app.accounts.access import ScopeName
from app.accounts.schemas import AccountSummary


class AccountsPage(BaseModel):
    items: list[AccountSummary]
    total: int
    page: int
    page_size: int
    # The filter as understood, in canonical form ("" when none).
    filter: str = ""
    scope: ScopeName = Field(default="all", description="Whose accounts the page lists (the scope applied)")


class FilterField(BaseModel):
    name: str
    label: str
    kind: str
    ops: list[str]
    # Closed vocabularies (enums, alert rules) and the values seen in the book (text fields).
    choices: list[str]


class OwnerChoice(BaseModel):
    id: uuid.UUID
    email: str
    name: str | None


class BookFields(BaseModel):
    """What the filter language knows: fields with their operators and values, and owners."""

    fields: list[FilterField]
    owners: list[OwnerChoice]


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
    "open_tickets",
    "-open_tickets",
    "usage_change",
    "-usage_change",
    "feature_adoption",
    "-feature_adoption",
    "last_touch_on",
    "-last_touch_on",
    "last_qbr_on",
    "-last_qbr_on",
]
