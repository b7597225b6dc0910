"""REST's pydantic shapes as the GraphQL types made from them (``strawberry.experimental.pydantic``),
typed for mypy, which cannot see the ``from_pydantic`` the decorator adds."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel

T = TypeVar("T")


def of(graphql_type: type[T], model: BaseModel, **extra: Any) -> T:
    """The GraphQL object of ``model`` (``extra``: values of fields the model has not)."""
    return cast(T, graphql_type.from_pydantic(model, extra=extra or None))  # type: ignore[attr-defined]
