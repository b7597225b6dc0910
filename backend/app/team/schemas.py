"""API shapes of the team view (coverage per CSM) and of reassigning accounts."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TeamScope = Literal["team", "all"]


class TeamRow(BaseModel):
    """One owner's active accounts in the scope (``user_id`` null: the accounts nobody owns)."""

    user_id: uuid.UUID | None = Field(description="The owner; null for the row of accounts with no owner")
    name: str | None
    email: str | None
    role: str | None = Field(description="csm for the team's CSMs; another role when such a person owns accounts")
    is_active: bool
    lead_id: uuid.UUID | None
    lead_name: str | None
    accounts: int
    arr: float
    at_risk_arr: float
    at_risk_arr_30d_ago: float
    at_risk_change: float = Field(description="at_risk_arr - at_risk_arr_30d_ago")
    touched_accounts: int = Field(description="Accounts with a touchpoint in the last 30 days")
    touched_accounts_30d_ago: int = Field(description="Accounts with a touchpoint in the 30 days before those")
    touched_share: float | None = Field(description="Touched in the last 30 days / accounts (null: no accounts)")
    touched_share_30d_ago: float | None
    touched_change: float | None = Field(description="touched_share - touched_share_30d_ago")
    overdue_tasks: int
    open_alerts: int
    queue_items: int


class TeamDefinitions(BaseModel):
    """What each column counts, one sentence each (shown on hover)."""

    accounts: str
    arr: str
    at_risk_arr: str
    touched_share: str
    overdue_tasks: str
    open_alerts: str
    queue_items: str
    trend: str


class TeamView(BaseModel):
    scope: TeamScope = Field(description="Whose accounts: team (the caller's team) or all")
    as_of: date
    currency: str
    probability_source: Literal["calibrated", "default"]
    rows: list[TeamRow] = Field(description="One per active CSM in scope (by name), then other owners, then nobody")
    totals: TeamRow = Field(description="The sums over the rows (shares over all their accounts)")
    definitions: TeamDefinitions


class ReassignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_ids: list[uuid.UUID] = Field(min_length=1, max_length=500, description="The accounts to move (1 to 500)")
    owner_id: uuid.UUID = Field(description="Their new owner: an active CSM, leader or admin")


class ReassignResult(BaseModel):
    owner_id: uuid.UUID
    moved: list[uuid.UUID] = Field(description="Accounts now owned by owner_id that were someone else's (or nobody's)")
    unchanged: list[uuid.UUID] = Field(description="Accounts owner_id owned already")
    missing: list[uuid.UUID] = Field(description="Ids of no account")
