"""The feature catalogue's API shapes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Bounded so a pattern stays readable, and cheap to check and to run on every event name.
PATTERN_MAX = 200
WINDOW_DAYS = 30
PREVIEW_TOP = 50

FeatureKey = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
FeatureName = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
PlanName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Pattern = Annotated[str, StringConstraints(max_length=PATTERN_MAX)]

_PATTERN_DOC = (
    f"A regular expression (at most {PATTERN_MAX} characters, valid in Python and PostgreSQL) searched for in "
    "event names: events it matches count for this feature, from the next event on. Empty or null: none"
)
_PLANS_DOC = "Plans the feature is on (each a plan some account has); empty: every plan"


class FeaturePublic(BaseModel):
    id: int
    key: str
    name: str
    is_core: bool = Field(description="Core features are what the usage score's feature adoption counts")
    plans: list[str] = Field(description="Plans the feature is on; empty: every plan")
    event_pattern: str | None
    events_30d: int = Field(description="Events counted for the feature in the last 30 days (daily usage)")
    accounts_30d: int = Field(description="Accounts that used the feature in the last 30 days")


class FeatureCatalogue(BaseModel):
    items: list[FeaturePublic]
    plans: list[str] = Field(description="The plans accounts have, for choosing a feature's plans")
    since: date = Field(description="First day of the usage window (30 days to today)")
    until: date


class FeatureCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: FeatureKey = Field(description="What events name the feature by (their `feature` field); not changed later")
    name: FeatureName
    is_core: bool = False
    plans: list[PlanName] = Field(default_factory=list, max_length=50, description=_PLANS_DOC)
    event_pattern: Pattern | None = Field(default=None, description=_PATTERN_DOC)


class FeatureUpdate(BaseModel):
    """Send only what changes."""

    model_config = ConfigDict(extra="forbid")

    name: FeatureName | None = None
    is_core: bool | None = None
    plans: list[PlanName] | None = Field(default=None, max_length=50, description=_PLANS_DOC)
    event_pattern: Pattern | None = Field(default=None, description=_PATTERN_DOC)


class PatternPreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    event_pattern: Pattern = Field(description=_PATTERN_DOC)
    feature_id: int | None = Field(
        default=None, ge=0, le=32767, description="The feature the pattern would be for (none: a new feature)"
    )


class FeatureRef(BaseModel):
    id: int
    key: str
    name: str


class PatternMatch(BaseModel):
    event: str = Field(description="An event name received in the last 30 days that the pattern matches")
    events: int = Field(description="Events by that name in the last 30 days")
    now: FeatureRef | None = Field(description="The feature a new event by this name counts for today (null: none)")
    after: FeatureRef | None = Field(description="The feature it would count for with this pattern")


class PatternPreview(BaseModel):
    """What a pattern would match among the event names of the last 30 days. Features take an
    event name in the order they were created: the first whose pattern matches wins."""

    matched_names: int = Field(description="Distinct event names the pattern matches")
    matched_events: int
    matches: list[PatternMatch] = Field(description=f"The {PREVIEW_TOP} most frequent matched names")
    taken: list[PatternMatch] = Field(
        description=f"Names it would take from another feature (or from none), up to {PREVIEW_TOP}"
    )
    kept_by_others: list[PatternMatch] = Field(
        description="Names it matches that an earlier feature keeps (its pattern matches them first)"
    )
    released: list[PatternMatch] = Field(
        description="Names the feature counts today that this pattern would no longer match"
    )
    names_scanned: int = Field(description="Distinct event names received in the last 30 days that were checked")
