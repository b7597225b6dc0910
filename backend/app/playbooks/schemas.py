"""API shapes of playbooks and runs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.enums import Band, PlaybookRunStatus, TriggerType
from app.tasks.schemas import TaskPublic


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    due_offset_days: int = Field(default=0, ge=0, le=365)
    assignee_role: str = Field(
        default="owner",
        pattern="^(owner|leader|support_lead|csm|admin)$",
        description="owner (or csm): the account owner; leader: the owner's lead (else the first active leader); "
        "support_lead: the user named by TEMPO_SUPPORT_LEAD_EMAIL (else the owner's lead); admin: the first admin",
    )


class PlaybookPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    key: str
    name: str
    description: str | None
    trigger_type: TriggerType
    trigger_value: str | None
    trigger_bands: list[Band]
    steps: list[Step]
    email_subject_template: str | None
    email_body_template: str | None
    is_active: bool
    is_builtin: bool


class PlaybookDefinition(BaseModel):
    """What a play does: its trigger, its steps and its email (templates)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    trigger_type: TriggerType = TriggerType.manual
    # alert_rule: rule names; quadrant_move: "from->to" (quadrants or *); renewal_milestone: days; manual: none
    trigger_value: str | None = Field(
        default=None,
        max_length=200,
        description="alert_rule: one or more rule names, comma-separated; renewal_milestone: one or more days "
        "before renewal (90,60); quadrant_move: from->to, each a quadrant or *",
    )
    trigger_bands: list[Band] = Field(
        default_factory=list, max_length=3, description="Fire only on accounts in these health bands (empty: any)"
    )
    steps: list[Step] = Field(default_factory=list, max_length=30)
    email_subject_template: str | None = Field(default=None, max_length=500)
    email_body_template: str | None = Field(default=None, max_length=20_000)
    is_active: bool = True


class PlaybookCreate(PlaybookDefinition):
    key: str = Field(min_length=2, max_length=80, pattern="^[a-z0-9][a-z0-9-]*$")


class PlaybookUpdate(BaseModel):
    """Send only what changes."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    trigger_type: TriggerType | None = None
    trigger_value: str | None = Field(default=None, max_length=200)
    trigger_bands: list[Band] | None = Field(default=None, max_length=3)
    steps: list[Step] | None = Field(default=None, max_length=30)
    email_subject_template: str | None = Field(default=None, max_length=500)
    email_body_template: str | None = Field(default=None, max_length=20_000)
    is_active: bool | None = None


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID


class DraftPreviewRequest(BaseModel):
    """A definition not saved yet, rendered on an account (the editor's live preview)."""

    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    definition: PlaybookDefinition


class WindowEffect(BaseModel):
    """Runs old enough to judge after ``days``, and how many were followed by an improvement."""

    days: int
    measured: int
    improved: int
    rate: float | None
    mean_health_change: float | None


class PlaybookEffectiveness(BaseModel):
    playbook_id: uuid.UUID
    key: str
    name: str
    runs: int
    active: int
    completed: int
    windows: list[WindowEffect]


class DraftTask(BaseModel):
    title: str
    due_date: date
    assignee_role: str
    assignee_id: uuid.UUID | None = None
    assignee_name: str | None = Field(default=None, description="Who the task goes to, by name")


class EmailDraft(BaseModel):
    subject: str
    body: str
    to: str | None = Field(default=None, description="The contact it is written to (champion, else primary)")
    to_name: str | None = None


class PlayPreview(BaseModel):
    tasks: list[DraftTask]
    email: EmailDraft | None


class PlaybookRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    alert_id: uuid.UUID | None = None


class PlaybookRunPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    playbook_id: uuid.UUID
    account_id: uuid.UUID
    alert_id: uuid.UUID | None
    status: PlaybookRunStatus
    outcome: str | None
    started_at: datetime
    completed_at: datetime | None
    health_at_start: float | None
    quadrant_at_start: str | None
    email_draft: dict[str, Any] | None
    tasks: list[TaskPublic] = Field(default_factory=list)
    playbook_name: str | None = None
    account_name: str | None = None


class PlaybookRunComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: str | None = Field(default=None, max_length=500)
