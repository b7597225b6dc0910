"""The one dependency every route uses to require a permission.

``require_role(permission)`` authenticates the bearer token (session token or API key) and
admits the caller when the permission does (``permissions.Permission.admits``): by role, or,
for an API key scoped to read, ingest or admin, by those scopes. The aliases below are what
routers use, so the permission table lives in ``permissions.py`` only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import permissions
from app.auth.permissions import Permission
from app.auth.service import Principal, authenticate
from app.core.db import SessionDep
from app.core.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="API key or session token")


async def current_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send 'Authorization: Bearer <api key or session token>'")
    principal = await authenticate(session, credentials.credentials)
    if principal is None:
        raise Unauthorized("The token is invalid, expired or revoked")
    request.state.principal = principal
    return principal


def require_role(allowed: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting whom ``allowed`` admits; users carry no scopes, so they go by role."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not allowed.admits(principal.role, principal.scopes):
            if principal.scopes & permissions.LIMITING_SCOPES:
                held = ", ".join(sorted(principal.scopes))
                raise Forbidden(f"This API key's scopes ({held}) do not cover this")
            raise Forbidden(f"Role '{principal.role}' may not do this")
        return principal

    dependency.__name__ = "require_" + "_".join(sorted(r.value for r in allowed))
    return dependency


Reader = Annotated[Principal, Depends(require_role(permissions.READ))]
Worker = Annotated[Principal, Depends(require_role(permissions.WORK))]
Lead = Annotated[Principal, Depends(require_role(permissions.LEAD))]
Admin = Annotated[Principal, Depends(require_role(permissions.ADMIN))]
Ingester = Annotated[Principal, Depends(require_role(permissions.INGEST))]
Embedder = Annotated[Principal, Depends(require_role(permissions.EMBED))]
# For a router mounted behind the admin requirement when its package may not import auth
# (``audit``: auth records its writes there): ``app.include_router(r, dependencies=[ADMIN_ONLY])``.
ADMIN_ONLY = Depends(require_role(permissions.ADMIN))
