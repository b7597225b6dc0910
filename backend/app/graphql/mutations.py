"""The ``Mutation`` root: what a CSM does to an account's alerts, renewals, notes, touches, plays
and tasks. Each mutation calls the service its REST route calls (whose ``access`` checks decide
which accounts the caller may change), takes REST's request model for its input (same bounds,
same words when refused), and answers the updated object. Every one declares the roles it
admits (``permissions.Works``, REST's ``Worker``); a test holds every mutation to that.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry
from pydantic import BaseModel, ValidationError
from strawberry.utils.str_converters import to_camel_case

from app.accounts import service as accounts
from app.accounts.schemas import NoteCreate
from app.alerts import service as alerts
from app.alerts.schemas import ResolveRequest, SnoozeRequest
from app.core.enums import Forecast, Sentiment, TaskStatus, TouchpointKind
from app.core.errors import Unprocessable, field_errors
from app.flows.touch_logged import log_touch
from app.graphql.context import Info
from app.graphql.convert import of
from app.graphql.permissions import Works
from app.graphql.records import Alert, Note, PlaybookRun, Renewal, Task, Touchpoint
from app.playbooks import service as playbooks
from app.renewals import service as renewals
from app.renewals.schemas import RenewalUpdate
from app.tasks import service as tasks
from app.tasks.schemas import TaskUpdate
from app.touchpoints.schemas import TouchCreate

Model = TypeVar("Model", bound=BaseModel)


def checked(model: type[Model], **values: Any) -> Model:
    """The input as REST's request model takes it; refused as REST refuses it (422's words)."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not strawberry.UNSET})
    except ValidationError as exc:
        errors = [
            e.model_copy(update={"loc": [to_camel_case(p) if isinstance(p, str) else p for p in e.loc]})
            for e in field_errors(exc, prefix=("input",))
        ]
        words = "; ".join(f"{'.'.join(str(p) for p in e.loc[1:])}: {e.msg}" for e in errors)
        raise Unprocessable(words, errors=errors) from None


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[Works], description="Acknowledge an open or snoozed alert")
    async def acknowledge_alert(self, info: Info, id: uuid.UUID) -> Alert:
        async with info.context.db() as session:
            return of(Alert, await alerts.acknowledge(session, info.context.principal, id))

    @strawberry.mutation(
        permission_classes=[Works],
        description="Snooze an alert until a time (at most a year ahead); without one, for its rule's snooze days",
    )
    async def snooze_alert(self, info: Info, id: uuid.UUID, until: datetime | None = None) -> Alert:
        request = checked(SnoozeRequest, until=until)
        async with info.context.db() as session:
            return of(Alert, await alerts.snooze(session, info.context.principal, id, request.until))

    @strawberry.mutation(permission_classes=[Works], description="Resolve an alert by hand, saying why")
    async def resolve_alert(self, info: Info, id: uuid.UUID, reason: str | None = None) -> Alert:
        request = checked(ResolveRequest, reason=reason)
        async with info.context.db() as session:
            return of(Alert, await alerts.resolve(session, info.context.principal, id, request.reason))

    @strawberry.mutation(
        permission_classes=[Works],
        description="Set a renewal's forecast (null clears it) and, when given, the owner's notes",
    )
    async def set_renewal_forecast(
        self,
        info: Info,
        id: uuid.UUID,
        forecast: Forecast | None,
        owner_notes: Annotated[str | None, strawberry.argument(description="Left as it is when not given")] = (
            strawberry.UNSET
        ),
    ) -> Renewal:
        update = checked(RenewalUpdate, forecast=forecast, owner_notes=owner_notes)
        principal = info.context.principal
        async with info.context.db() as session:
            return of(Renewal, await renewals.update(session, principal, id, update))

    @strawberry.mutation(permission_classes=[Works], description="Add a note to an account")
    async def add_note(self, info: Info, account_id: uuid.UUID, body: str) -> Note:
        note = checked(NoteCreate, body=body)
        async with info.context.db() as session:
            return of(Note, await accounts.add_note(session, info.context.principal, account_id, note.body))

    @strawberry.mutation(
        permission_classes=[Works],
        description="Log a touch the caller made with an account: it counts like a touch from the CRM "
        "(relationship score) and the account is rescored",
    )
    async def log_touch(
        self,
        info: Info,
        account_id: uuid.UUID,
        kind: TouchpointKind,
        occurred_at: Annotated[datetime | None, strawberry.argument(description="Default: now")] = None,
        sentiment: Sentiment | None = None,
        summary: str | None = None,
        contact_ids: Annotated[
            list[uuid.UUID] | None, strawberry.argument(description="The account's contacts who took part")
        ] = None,
    ) -> Touchpoint:
        touch = checked(
            TouchCreate,
            kind=kind,
            occurred_at=occurred_at,
            sentiment=sentiment,
            summary=summary,
            contact_ids=strawberry.UNSET if contact_ids is None else contact_ids,
        )
        async with info.context.db() as session:
            try:
                logged = await log_touch(session, info.context.principal, account_id, touch)
            except Unprocessable as exc:  # REST's refusal of the body, worded for these arguments
                errors = [
                    e.model_copy(
                        update={"loc": ["input", *(to_camel_case(p) if isinstance(p, str) else p for p in e.loc[1:])]}
                    )
                    for e in exc.errors or []
                ]
                if not errors:
                    raise
                words = "; ".join(f"{'.'.join(str(p) for p in e.loc[1:])}: {e.msg}" for e in errors)
                raise Unprocessable(words, errors=errors) from None
            return of(Touchpoint, logged)

    @strawberry.mutation(
        permission_classes=[Works],
        description="Start a play on an account (for one of its alerts, if named): its tasks are created "
        "and its email drafted",
    )
    async def start_playbook(
        self, info: Info, playbook_id: uuid.UUID, account_id: uuid.UUID, alert_id: uuid.UUID | None = None
    ) -> PlaybookRun:
        async with info.context.db() as session:
            run = await playbooks.start_for(session, info.context.principal, playbook_id, account_id, alert_id=alert_id)
            return of(PlaybookRun, run)

    @strawberry.mutation(permission_classes=[Works], description="Mark a task done")
    async def complete_task(self, info: Info, id: uuid.UUID) -> Task:
        async with info.context.db() as session:
            done = await tasks.update(session, info.context.principal, id, TaskUpdate(status=TaskStatus.done))
        return of(Task, done)
