"""API shapes of data hygiene: fill rates, checks, the score and the accounts behind each."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.accounts.access import ScopeName
from app.core.enums import Severity

CheckUnit = Literal["accounts", "records", "sources"]
PartKind = Literal["fill_rate", "check"]
AccountsFormat = Literal["json", "csv"]


class HygieneFillRate(BaseModel):
    """How many of the accounts a field applies to have it filled in."""

    key: str = Field(description="The field: segment, icp_tier, plan, owner, renewal_date...")
    label: str
    definition: str = Field(description="What counts as filled in, over which accounts")
    filled: int
    total: int = Field(description="Active accounts in scope the field applies to")
    rate: float | None = Field(description="filled / total; null when no account applies")
    missing_arr: float = Field(description="ARR of the accounts where it is missing")
    weight: float = Field(description="Its weight in the score (0: shown, not scored)")
    threshold: float = Field(description="The lowest rate that needs no attention")
    needs_attention: bool = Field(description="The rate is below the threshold")
    accounts_key: str = Field(description="Key for GET /api/v1/hygiene/checks/{key}/accounts: missing:<field>")


class HygieneCheck(BaseModel):
    """One consistency check: how many accounts (or records, or sources) fail it."""

    key: str
    label: str
    definition: str = Field(description="What fails the check, in one sentence")
    unit: CheckUnit = Field(description="What failing and total count")
    measurable: bool = Field(description="False when Tempo holds nothing to check (see note)")
    note: str | None = Field(default=None, description="Why a check measures nothing, or what it adds")
    failing: int
    total: int
    share: float | None = Field(description="failing / total; null when total is 0")
    severity: Severity = Field(description="How much harm a failing account (record, source) does")
    arr_affected: float | None = Field(description="ARR of the failing accounts; null for book-wide checks")
    oldest_days: float | None = Field(
        default=None, description="Unmatched backlog: days the oldest waiting record has waited"
    )
    book_wide: bool = Field(description="About the whole book (sources, unmatched records), whatever the scope")
    weight: float = Field(description="Its weight in the score (0: shown, not scored)")
    threshold: float = Field(
        description="Accounts: the largest share that needs no attention; sources: the largest count; "
        "unmatched records: the longest wait in days"
    )
    needs_attention: bool
    lists_accounts: bool = Field(description="GET /api/v1/hygiene/checks/{key}/accounts lists the accounts behind it")


class HygieneScorePart(BaseModel):
    """One term of the score: a fill rate, or the share of accounts passing a check."""

    key: str = Field(description="fill:<field> or check:<check>")
    label: str
    kind: PartKind
    weight: float
    value: float | None = Field(description="0..1 (fill rate, or 1 - failing share); null: measures nothing")
    counted: bool = Field(description="In the score (a part that measures nothing is left out with its weight)")


class Hygiene(BaseModel):
    scope: ScopeName = Field(description="Whose accounts these figures are about (the scope applied)")
    as_of: datetime
    silent_days: int = Field(description="An account without any signal for this many days is silent")
    accounts: int = Field(description="Active accounts in scope (ARR above 0, or not churned)")
    arr: float = Field(description="Their ARR")
    score: float | None = Field(
        description="0-100, one decimal: the weighted mean of score_parts' values; null for an empty book"
    )
    score_formula: str = Field(description="How the score is computed, in one sentence")
    score_parts: list[HygieneScorePart]
    fill_rates: list[HygieneFillRate]
    checks: list[HygieneCheck]


class HygieneColumn(BaseModel):
    key: str
    label: str


class HygieneAccount(BaseModel):
    id: uuid.UUID
    external_id: str
    name: str
    owner_email: str | None
    arr: float
    values: dict[str, str | float | int | None] = Field(
        description="The offending values, by column key (dates as ISO text)"
    )


class HygieneAccounts(BaseModel):
    key: str
    label: str
    definition: str
    scope: ScopeName
    columns: list[HygieneColumn] = Field(description="The keys of each item's values, with their labels")
    items: list[HygieneAccount] = Field(description="Largest ARR first")
    total: int = Field(description="Accounts behind the check (items may stop at the limit)")
