"""GraphQL types of an account's records: alerts, renewals, tasks, notes, playbook runs,
touchpoints, weekly usage. Each is REST's own shape (its pydantic model), so the two APIs say
the same thing in the same words; sensitive fields carry their permission class."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import type as from_model
from strawberry.scalars import JSON

from app.accounts.schemas import NoteView, WeekUsage
from app.alerts.schemas import AlertPublic
from app.graphql.permissions import ReadsNotes, ReadsPeople, ReadsRevenue
from app.playbooks.schemas import PlaybookRunPublic
from app.renewals.schemas import RenewalRow
from app.tasks.schemas import TaskPublic
from app.touchpoints.schemas import TouchpointPublic


@from_model(model=AlertPublic, all_fields=True, description="An alert: the rule that fired, its facts, its lifecycle")
class Alert:
    facts: JSON
    arr: float | None = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=RenewalRow, all_fields=True, description="A renewal, with health and the forecast it suggests")
class Renewal:
    owner_email: str | None = strawberry.field(permission_classes=[ReadsPeople])
    owner_name: str | None = strawberry.field(permission_classes=[ReadsPeople])
    arr_up_for_renewal: float = strawberry.field(permission_classes=[ReadsRevenue])
    owner_notes: str | None = strawberry.field(permission_classes=[ReadsNotes])


@from_model(model=TaskPublic, all_fields=True, description="A piece of work on an account")
class Task:
    pass


@from_model(model=NoteView, all_fields=True, description="A note on an account")
class Note:
    author: str | None = strawberry.field(permission_classes=[ReadsPeople], description="The author's name or email")


@from_model(model=PlaybookRunPublic, all_fields=True, description="A play started on an account, with its tasks")
class PlaybookRun:
    email_draft: JSON | None = strawberry.field(description='The email as drafted at start: {"subject", "body"}')


@from_model(model=TouchpointPublic, all_fields=True, description="A call, email, meeting, QBR or note with the account")
class Touchpoint:
    csm_email: str | None = strawberry.field(permission_classes=[ReadsPeople])


@from_model(model=WeekUsage, all_fields=True, description="Product usage in one week (Monday first)")
class UsageWeek:
    pass
