"""API shapes of the book: pages, the filter language's fields, sort keys."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from app.accounts.access import ScopeName
from app.accounts.schemas import AccountSummary
from app.core.enums import Forecast


class BookRow(AccountSummary):
    """One row of the book: the account's summary and the columns the book adds to it."""

    contract_start: date | None = Field(
        default=None,
        description="Start of the current contract term, the one that ends at the next renewal: the CRM's "
        "contract start when the CRM's renewal date is the next renewal, else the start of the billing cycle "
        "that ends at it (docs/metrics.md, Renewals); null when unknown",
    )
    days_since_primary_login: int | None = Field(
        default=None,
        description="Days since the primary contact was last active in the product (UTC dates). A contact is "
        "known in usage when events name the user by the contact's email, or when the Segment connector "
        "created the contact (contact and events then carry one pseudonym); null without a primary contact, "
        "or when no event of the account can be tied to them",
    )
    oldest_ticket_age_days: int | None = Field(
        default=None, description="Age in whole days of the oldest open (or pending) ticket; null without one"
    )
    forecast_status: Forecast | None = Field(
        default=None,
        description="The forecast set on the next term renewal (annual, multi-year, contract); null when not "
        "set or when the next renewal is a monthly cycle",
    )
    expansion_potential: float | None = Field(
        default=None,
        description="Expected expansion ARR as the queue ranks opportunities (ARR x 0.2 x (1 - churn "
        "probability)) for an active account with an open opportunity alert (expansion ready, seat limit, API "
        "limit) at or above the queue's severity floor; null otherwise. Computed per page: not sortable",
    )


class AccountsPage(BaseModel):
    items: list[BookRow]
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
    "contract_start",
    "-contract_start",
    "oldest_ticket_age_days",
    "-oldest_ticket_age_days",
    "forecast_status",
    "-forecast_status",
]
