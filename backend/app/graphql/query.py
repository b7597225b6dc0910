"""The ``Query`` root: the caller, accounts (the book, with its filter language and sorts), lists
of alerts, renewals, playbook runs and tasks as connections, and the aggregate views.

Each field calls the service its REST route calls, with the route's defaults and bounds, so
both APIs answer the same question the same way (read scopes included: ``app.accounts.access``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, get_args

import strawberry

from app.accounts.access import SCOPE_NAMES, ScopeName
from app.alerts import service as alerts
from app.book import service as book
from app.book.schemas import SortKey
from app.core.enums import AccountStatus, Forecast, PlaybookRunStatus, Role, Severity
from app.core.types import query_date
from app.flows import metrics_summary
from app.graphql.account import Account, account_of
from app.graphql.aggregates import QuadrantDistribution, Queue, RenewalRollup, Retention, RevenueSummary
from app.graphql.connections import Connection, Window, connection, window
from app.graphql.context import Info
from app.graphql.convert import of
from app.graphql.permissions import ReadsRevenue
from app.graphql.records import Alert, PlaybookRun, Renewal, Task
from app.playbooks import service as playbooks
from app.quadrants import service as quadrants
from app.queue import service as queue
from app.renewals import service as renewals
from app.renewals.schemas import TermFilter
from app.revenue import metrics
from app.tasks import service as tasks

SORTS = frozenset(get_args(SortKey))
ALERT_STATUSES = ("active", "open", "acknowledged", "snoozed", "resolved", "all")
RENEWAL_STATUSES = ("open", "closed", "all")
TERMS: tuple[str, ...] = get_args(TermFilter)
INTERVALS = ("month", "quarter", "ttm")
RUN_LIMIT = 500  # REST's largest page of playbook runs


def one_of(name: str, value: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(sorted(allowed))}")
    return value


# GraphQL lists every account the caller reads unless asked for a scope: the API's clients are
# scripts and tools, which paged through the whole book before scopes existed (REST's lists
# default by role, for the app's pages).
SCOPE_ARG = "Whose accounts: mine (owned or on the account team), team (my team's), all (the default here)"


def scope_of(value: str | None) -> ScopeName:
    """A list's scope argument (``app.accounts.access``): mine, team or all (the default)."""
    if value is None:
        return "all"
    one_of("scope", value, SCOPE_NAMES)
    return value  # type: ignore[return-value]


def bounded(name: str, value: str | None, longest: int) -> str | None:
    if value is not None and len(value) > longest:
        raise ValueError(f"{name} is longer than {longest} characters")
    return value


def day(name: str, value: date | None) -> date | None:
    if value is None:
        return None
    try:
        return query_date(value)
    except ValueError as exc:
        raise ValueError(f"{name} {exc}") from None


def within(name: str, value: int | None, low: int, high: int) -> int | None:
    if value is not None and not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high:,}")
    return value


@strawberry.type
class Viewer:
    id: uuid.UUID
    role: Role


@strawberry.type
class Query:
    @strawberry.field(description="The caller: a signed-in user or an API key")
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(id=principal.id, role=principal.role)

    @strawberry.field(description="One account the caller reads")
    async def account(self, info: Info, id: uuid.UUID) -> Account:
        async with info.context.db() as session:
            return account_of(await book.account_summary(session, info.context.principal, id))

    @strawberry.field(
        description="The book: accounts the caller reads, filtered in the book's filter language (e.g. "
        "`renewal_in<=60 band=at_risk owner=me`) and sorted by a column (`-arr` by default, `-` descending)"
    )
    async def accounts(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        filter: str | None = None,
        sort: str = "-arr",
        q: str | None = None,
        segment: str | None = None,
        plan: str | None = None,
        status: AccountStatus | None = None,
        owner_id: uuid.UUID | None = None,
        external_id: str | None = None,
        scope: Annotated[str | None, strawberry.argument(description=SCOPE_ARG)] = None,
    ) -> Connection[Account]:
        at = Window.of(first, after)
        one_of("sort", sort, SORTS)
        principal = info.context.principal
        flt = book.book_filter(
            principal,
            bounded("q", q or None, 200),
            bounded("segment", segment, 100),
            bounded("plan", plan, 100),
            status,
            owner_id,
            bounded("externalId", external_id, 300),
            bounded("filter", filter, 2000),
            scope_of(scope),
        )

        async with info.context.db() as session:
            rows, total = await book.window(session, principal, flt, sort, at.offset, at.first)
        return connection([account_of(s) for s in rows], total, at.offset)

    @strawberry.field(description="Alerts on the accounts the caller reads: the most severe first, then the newest")
    async def alerts(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        status: Annotated[str, strawberry.argument(description="active: anything not resolved")] = "active",
        rule: str | None = None,
        severity: Severity | None = None,
        account_id: uuid.UUID | None = None,
        owner_id: uuid.UUID | None = None,
    ) -> Connection[Alert]:
        at = Window.of(first, after)
        one_of("status", status, ALERT_STATUSES)
        bounded("rule", rule, 50)

        async with info.context.db() as session:
            found, total = await alerts.window(
                session,
                info.context.principal,
                status=status,
                rule=rule,
                severity=severity,
                account_id=account_id,
                owner_id=owner_id,
                offset=at.offset,
                limit=at.first,
            )
        return connection([of(Alert, a) for a in found], total, at.offset)

    @strawberry.field(description="Renewals by date (open ones by default), with health and the suggested forecast")
    async def renewals(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        within_days: int | None = None,
        status: str = "open",
        forecast: Forecast | None = None,
        segment: str | None = None,
        owner_id: uuid.UUID | None = None,
        term: str = "term",
        scope: Annotated[str | None, strawberry.argument(description=SCOPE_ARG)] = None,
    ) -> Connection[Renewal]:
        at = Window.of(first, after)
        within("withinDays", within_days, 0, 3660)
        one_of("status", status, RENEWAL_STATUSES)
        requested = scope_of(scope)
        async with info.context.db() as session:
            applied = await renewals.scope_for(session, info.context.principal, requested, owner_id)
            rows = await renewals.list_renewals(
                session,
                info.context.principal,
                within_days,
                status,
                forecast.value if forecast else None,
                bounded("segment", segment, 100),
                owner_id,
                term=one_of("term", term, TERMS),  # type: ignore[arg-type]
                scope=applied,
            )
        return window(rows, at, lambda x: of(Renewal, x))

    @strawberry.field(description="Playbook runs, newest first, with their tasks (the newest 500)")
    async def playbook_runs(
        self,
        info: Info,
        first: int,
        after: str | None = None,
        account_id: uuid.UUID | None = None,
        playbook_id: uuid.UUID | None = None,
        status: PlaybookRunStatus | None = None,
    ) -> Connection[PlaybookRun]:
        at = Window.of(first, after)
        async with info.context.db() as session:
            runs = await playbooks.list_runs(
                session, info.context.principal, account_id, playbook_id, status, RUN_LIMIT
            )
        return window(runs, at, lambda x: of(PlaybookRun, x))

    @strawberry.field(description="Open tasks by due date (an account's, or mine: assigned to me), the first 500")
    async def tasks(
        self, info: Info, first: int, after: str | None = None, account_id: uuid.UUID | None = None, mine: bool = False
    ) -> Connection[Task]:
        at = Window.of(first, after)
        async with info.context.db() as session:
            found = await tasks.list_open(session, info.context.principal, account_id, mine)
        return window(found, at, lambda x: of(Task, x))

    @strawberry.field(description="Count and ARR per quadrant on a date (default: the latest fully scored one)")
    async def quadrant_distribution(self, info: Info, as_of: date | None = None) -> QuadrantDistribution:
        async with info.context.db() as session:
            view = await quadrants.view(session, day("asOf", as_of))
        return of(QuadrantDistribution, view)

    @strawberry.field(permission_classes=[ReadsRevenue], description="ARR, NRR/GRR, churn, LTV and 18 months of series")
    async def revenue_summary(self, info: Info) -> RevenueSummary:
        async with info.context.db() as session:
            summary = await metrics_summary.summary(session)
        return of(RevenueSummary, summary)

    @strawberry.field(
        permission_classes=[ReadsRevenue],
        description="Starting and ending ARR, every movement, NRR, GRR and churn per period (default: 18 months)",
    )
    async def retention(
        self,
        info: Info,
        date_from: Annotated[date | None, strawberry.argument(name="from")] = None,
        date_to: Annotated[date | None, strawberry.argument(name="to")] = None,
        interval: str = "month",
        segment: str | None = None,
        plan: str | None = None,
        icp_tier: str | None = None,
    ) -> Retention:
        one_of("interval", interval, INTERVALS)
        async with info.context.db() as session:
            report = await metrics.retention(
                session,
                interval,  # type: ignore[arg-type]
                day("from", date_from),
                day("to", date_to),
                bounded("segment", segment, 100),
                bounded("plan", plan, 100),
                bounded("icpTier", icp_tier, 100),
            )
        return of(Retention, report)

    @strawberry.field(description="Open renewals in the next N days by forecast: the team's, and what health suggests")
    async def renewal_rollup(
        self,
        info: Info,
        within_days: int = 90,
        term: str = "term",
        scope: Annotated[str | None, strawberry.argument(description=SCOPE_ARG)] = None,
    ) -> RenewalRollup:
        within("withinDays", within_days, 1, 3660)
        requested = scope_of(scope)
        async with info.context.db() as session:
            rollup = await renewals.rollup(
                session,
                info.context.principal,
                within_days,
                one_of("term", term, TERMS),  # type: ignore[arg-type]
                requested,
            )
        return of(RenewalRollup, rollup)

    @strawberry.field(
        description="The ranked queue: accounts with active alerts by ARR at stake (risks), then by expected "
        "expansion (opportunities). scope: mine, team or all (by default a CSM's own, a leader's team's, "
        "everyone's for others); ownerId overrides it"
    )
    async def queue(
        self,
        info: Info,
        scope: str | None = None,
        owner_id: uuid.UUID | None = None,
        kind: str | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> Queue:
        if scope is not None:
            one_of("scope", scope, ("mine", "team", "all"))
        if kind is not None:
            one_of("kind", kind, ("risk", "opportunity"))
        within("page", page, 1, 10_000)
        within("pageSize", page_size, 1, 200)
        async with info.context.db() as session:
            found = await queue.build_for(
                session,
                info.context.principal,
                scope,  # type: ignore[arg-type]  # checked by one_of above
                owner_id,
                kind,
                page,
                page_size,
            )
        return of(Queue, found)
