"""GraphQL types of the aggregate views: the quadrant distribution, leadership revenue metrics
and retention periods, the renewal forecast rollup and the priority queue. REST's shapes, field
for field (closed vocabularies REST writes as literals are strings here)."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import type as from_model
from strawberry.scalars import JSON

from app.graphql.permissions import ReadsPeople, ReadsRevenue
from app.quadrants.schemas import QuadrantCount, QuadrantCutoffs, QuadrantView
from app.queue.schemas import (
    ContextContract,
    ContextPerson,
    ContextTicket,
    ContextTouch,
    ContextUsage,
    QueueAccount,
    QueueAlert,
    QueueContext,
    QueueItem,
    QueuePage,
    RunProgress,
    SuggestedPlay,
)
from app.renewals.schemas import Rollup, RollupRow
from app.revenue.schemas import (
    Churn,
    Expansion,
    Freshness,
    NetNew,
    Period,
    RetentionReport,
    RevenueChurn,
    SeriesPoint,
    Summary,
)

# -- quadrants -------------------------------------------------------------------------------


@from_model(model=QuadrantCount, all_fields=True, description="Accounts and ARR in one quadrant")
class QuadrantCountType:
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=QuadrantCutoffs, all_fields=True, description="Where the quadrant's axes are cut")
class QuadrantCutoffsType:
    pass


@from_model(model=QuadrantView, description="Where the book sits in the Usage-Health quadrant on one date")
class QuadrantDistribution:
    as_of: strawberry.auto
    cutoffs: strawberry.auto
    summary: strawberry.auto
    unplaced: strawberry.auto


# -- revenue ---------------------------------------------------------------------------------


@from_model(model=Freshness, all_fields=True)
class RevenueFreshness:
    pass


@from_model(model=Expansion, all_fields=True, description="Expansion ARR by kind")
class ExpansionSplit:
    pass


@from_model(model=Churn, all_fields=True, description="Churned ARR by kind")
class ChurnSplit:
    pass


@from_model(model=RevenueChurn, all_fields=True)
class RevenueChurnRate:
    pass


@from_model(model=Period, all_fields=True, description="One period's ARR movements and retention")
class RetentionPeriod:
    pass


@from_model(model=RetentionReport, all_fields=True, description="Retention by period")
class Retention:
    interval: str = strawberry.field(description="month, quarter or ttm")


@from_model(model=NetNew, all_fields=True)
class NetNewArr:
    pass


@from_model(model=SeriesPoint, all_fields=True, description="One month of the leadership series")
class RevenueSeriesPoint:
    pass


@from_model(model=Summary, all_fields=True, description="The leadership numbers, with 18 months of series")
class RevenueSummary:
    pass


# -- renewals --------------------------------------------------------------------------------


@from_model(model=RollupRow, all_fields=True)
class RollupLine:
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=Rollup, all_fields=True, description="Open renewals in the next N days by forecast")
class RenewalRollup:
    term: str = strawberry.field(description="term, all, monthly, annual, multi_year or contract")
    total_arr: float = strawberry.field(permission_classes=[ReadsRevenue])


# -- the queue -------------------------------------------------------------------------------


@from_model(model=QueueAlert, all_fields=True)
class QueueItemAlert:
    facts: JSON = strawberry.field(description="What fired the alert (the rule's numbers)")


@from_model(model=QueueAccount, all_fields=True)
class QueueItemAccount:
    owner_name: str | None = strawberry.field(permission_classes=[ReadsPeople])
    owner_email: str | None = strawberry.field(permission_classes=[ReadsPeople])
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=RunProgress, all_fields=True, description="A play already running on the account")
class QueueRunProgress:
    pass


@from_model(model=ContextTicket, all_fields=True, description="An open support ticket")
class QueueContextTicket:
    pass


@from_model(model=ContextPerson, all_fields=True, description="A stakeholder at the account")
class QueueContextPerson:
    name: str | None = strawberry.field(permission_classes=[ReadsPeople])
    email: str | None = strawberry.field(permission_classes=[ReadsPeople])


@from_model(model=ContextTouch, all_fields=True, description="A logged call, meeting, email or QBR")
class QueueContextTouch:
    by: str | None = strawberry.field(permission_classes=[ReadsPeople])


@from_model(model=ContextContract, all_fields=True, description="The account's contract")
class QueueContextContract:
    arr: float = strawberry.field(permission_classes=[ReadsRevenue])


@from_model(model=ContextUsage, all_fields=True, description="Weekly active users, last 12 weeks")
class QueueContextUsage:
    pass


@from_model(model=QueueContext, all_fields=True, description="The account's context attached to a queue item")
class QueueItemContext:
    pass


@from_model(model=SuggestedPlay, all_fields=True, description="The play the top alert triggers, drafted")
class QueuePlay:
    task_assignees: list[str | None] = strawberry.field(permission_classes=[ReadsPeople])
    email_to: str | None = strawberry.field(permission_classes=[ReadsPeople])
    email_to_name: str | None = strawberry.field(permission_classes=[ReadsPeople])


@from_model(model=QueueItem, all_fields=True, description="A risk or an opportunity, ranked, with why in one line")
class QueueEntry:
    kind: str = strawberry.field(description="risk or opportunity")
    value: float = strawberry.field(
        permission_classes=[ReadsRevenue],
        description="risk: ARR at stake if we act now; opportunity: expected expansion ARR",
    )


@from_model(model=QueuePage, all_fields=True, description="The ranked queue: one page of it")
class Queue:
    total_at_stake: float = strawberry.field(permission_classes=[ReadsRevenue])
    probability_source: str = strawberry.field(
        description="calibrated: churn probability fitted on the book's own outcomes; default: the config's curve"
    )
    scope: str = strawberry.field(description="The scope the queue applied: mine, team or all")
