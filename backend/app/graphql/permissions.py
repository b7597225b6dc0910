"""Permission classes: every mutation, and every sensitive field, names the roles that reach it,
from the one table of them (``app.auth.permissions``). Which *accounts* a caller reads or
changes is the services' to say (``app.accounts.access``), as for REST.

- mutations: ``Works`` (admin, leader, csm: REST's ``Worker``);
- notes (an account's notes, a renewal's owner notes: what the CS team writes down about a
  customer): ``ReadsNotes``, the people who work accounts. Stricter than REST's account
  picture, which shows notes to every reader;
- people (owner and author emails) and revenue figures (ARR, revenue metrics, ARR at stake):
  ``ReadsPeople`` and ``ReadsRevenue``, every signed-in role, as REST shows them. Each has its
  own class so that narrowing one is a one-line change here.

A refusal is a GraphQL error with ``extensions.code`` ``FORBIDDEN``; the rest of the answer
stands.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission
from strawberry.types import Info

from app.auth import permissions
from app.core.enums import Role


class RolePermission(BasePermission):
    """Admits the roles in ``roles``; refuses the others with ``message``."""

    roles: ClassVar[frozenset[Role]] = frozenset()
    error_extensions: ClassVar[dict[str, Any]] = {"code": "FORBIDDEN"}  # type: ignore[misc]

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        return info.context.principal.role in self.roles


class Works(RolePermission):
    """Admins, leaders and CSMs: the people who change accounts (REST's ``Worker``)."""

    roles = permissions.WORK
    message = "Your role may not change accounts"


class ReadsNotes(RolePermission):
    roles = permissions.WORK
    message = "Your role may not read notes"


class ReadsPeople(RolePermission):
    roles = permissions.READ
    message = "Your role may not read people's contact details"


class ReadsRevenue(RolePermission):
    roles = permissions.READ
    message = "Your role may not read revenue figures"
