"""API shapes of saved views on the book."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.accounts.access import ScopeName
from app.book.schemas import SortKey

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]


class ViewQuery(BaseModel):
    """The book's query parameters a view keeps (the same as the book URL's)."""

    model_config = ConfigDict(extra="forbid")

    filter: str = Field(default="", max_length=2000)
    sort: SortKey = "-arr"
    q: str = Field(default="", max_length=200)


class SavedViewPublic(BaseModel):
    id: uuid.UUID
    key: str | None
    name: str
    description: str | None = None
    query: ViewQuery
    is_builtin: bool
    shared: bool
    owner_id: uuid.UUID | None
    mine: bool
    scope: ScopeName = Field(
        default="all",
        description="Whose accounts to open the view over, for the caller: the scope asked for (else the "
        "caller's default), or all when the view's filter names an owner itself",
    )


class SavedViewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    query: ViewQuery
    shared: bool = False


class SavedViewUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    query: ViewQuery | None = None
    shared: bool | None = None
