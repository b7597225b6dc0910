"""The GraphQL schema: accounts for now; health, quadrants and tiles join as they land."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import strawberry
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.types import Info

from app.accounts.schemas import AccountSummary
from app.book import service as book
from app.book.repository import BookFilter
from app.graphql.context import Context
from app.graphql.errors import MASKED_MESSAGE, RollbackOnDatabaseError, should_mask


@strawberry.type
class Owner:
    id: strawberry.ID
    email: str
    name: str | None


@strawberry.type
class Account:
    id: strawberry.ID
    external_id: str
    name: str
    segment: str | None
    plan: str | None
    arr: float
    renewal_date: date | None
    status: str
    health_score: float | None
    band: str | None
    quadrant: str | None
    owner: Owner | None

    @classmethod
    def from_summary(cls, s: AccountSummary) -> Account:
        owner = Owner(id=strawberry.ID(str(s.owner.id)), email=s.owner.email, name=s.owner.name) if s.owner else None
        return cls(
            id=strawberry.ID(str(s.id)),
            external_id=s.external_id,
            name=s.name,
            segment=s.segment,
            plan=s.plan,
            arr=s.arr,
            renewal_date=s.renewal_date,
            status=s.status.value,
            health_score=s.health_score,
            band=s.band.value if s.band else None,
            quadrant=s.quadrant.value if s.quadrant else None,
            owner=owner,
        )


@strawberry.type
class AccountConnection:
    items: list[Account]
    total: int


@strawberry.type
class Viewer:
    id: strawberry.ID
    role: str


@strawberry.type
class Query:
    @strawberry.field(description="The caller: a signed-in user or an API key.")
    def viewer(self, info: Info[Context, Any]) -> Viewer:
        p = info.context.principal
        return Viewer(id=strawberry.ID(str(p.id)), role=p.role.value)

    @strawberry.field(description="The book, sorted by ARR (descending) by default.")
    async def accounts(
        self,
        info: Info[Context, Any],
        page: int = 1,
        page_size: int = 50,
        sort: str = "-arr",
        segment: str | None = None,
    ) -> AccountConnection:
        page_size = max(1, min(page_size, 200))
        allowed = {"name", "arr", "renewal_date", "health_score", "segment", "plan", "created_at"}
        if sort.lstrip("-") not in allowed:
            raise ValueError(f"sort must be one of {sorted(allowed)}, optionally prefixed with '-'")
        ctx = info.context
        result = await book.book(ctx.session, ctx.principal, BookFilter(segment=segment), sort, max(page, 1), page_size)
        return AccountConnection(items=[Account.from_summary(s) for s in result.items], total=result.total)

    @strawberry.field
    async def account(self, info: Info[Context, Any], id: strawberry.ID) -> Account:
        ctx = info.context
        return Account.from_summary(await book.account_summary(ctx.session, ctx.principal, uuid.UUID(str(id))))


schema = strawberry.Schema(
    query=Query,
    extensions=[
        lambda: QueryDepthLimiter(max_depth=8),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: MaxAliasesLimiter(max_alias_count=15),
        # no SQL (or anything else not written for the caller) in an error: app.graphql.errors
        lambda: MaskErrors(should_mask_error=should_mask, error_message=MASKED_MESSAGE),
        RollbackOnDatabaseError,
    ],
)
