"""Relay-style connections over the lists REST serves: ``first`` (required, 1 to ``MAX_FIRST``),
``after`` (an opaque cursor), ``edges { cursor node }``, ``pageInfo { hasNextPage endCursor }``
and ``totalCount``.

A cursor is an edge's position in the list (base64 of ``o:<offset>``), so paging is REST's own
ordering, offset by offset. Services that page (the book, alerts) are asked for exactly the
window; services that answer whole lists (renewals, tasks, playbook runs) are sliced
(``window``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

MAX_FIRST = 100
# Deepest offset a cursor may name.
MAX_OFFSET = 1_000_000
_PREFIX = "o:"

Node = TypeVar("Node")
Item = TypeVar("Item")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Items in the whole list, not only this page")


def cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """Where the page after this cursor starts (0: the first page)."""
    if after is None:
        return 0
    try:
        text = base64.b64decode(after.encode(), validate=True).decode()
    except (binascii.Error, UnicodeError):
        text = ""
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise ValueError("after must be a cursor this API returned (an edge's cursor or pageInfo.endCursor)")
    position = int(text[len(_PREFIX) :])
    if position >= MAX_OFFSET:
        raise ValueError(f"after names a position past {MAX_OFFSET:,}: narrow the list with its filters")
    return position + 1


def check_first(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise ValueError(f"first must be between 1 and {MAX_FIRST}")
    return first


@dataclass(frozen=True)
class Window:
    """The part of a list a connection asks for."""

    offset: int
    first: int

    @classmethod
    def of(cls, first: int, after: str | None) -> Window:
        return cls(offset_after(after), check_first(first))


def connection(nodes: Sequence[Node], total: int, offset: int) -> Connection[Node]:
    """The connection of ``nodes``, the items from position ``offset`` of a list of ``total``."""
    edges = [Edge(cursor=cursor(offset + n), node=node) for n, node in enumerate(nodes)]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=offset + len(nodes) < total, end_cursor=edges[-1].cursor if edges else None),
        total_count=total,
    )


def window(items: Sequence[Item], at: Window, convert: Callable[[Item], Node]) -> Connection[Node]:
    """A connection over a whole list a service answered."""
    return connection([convert(i) for i in items[at.offset : at.offset + at.first]], len(items), at.offset)
