"""Login, logout, the current user, users and API keys."""

from __future__ import annotations

import time
import uuid
from math import ceil

from fastapi import APIRouter, Request, Response, status
from limits import parse
from limits.aio.strategies import MovingWindowRateLimiter

from app.auth import backoff, repository, service
from app.auth.dependencies import Admin, Reader
from app.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    LoginResponse,
    UserAdmin,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from app.core import format
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NotFound, Problem, TooManyRequests, Unauthorized, problem_response
from app.core.proxy import client_ip

router = APIRouter(prefix="/api/v1", tags=["auth"])
# Per client address (``core/proxy.client_ip``), never per email: a window per email would let
# anyone who knows an email lock its user out. Guessing one user's password is slowed instead by
# the backoff in ``service.sign_in``, which a device the user signed in from before is exempt from.
_limiter = MovingWindowRateLimiter(backoff.MEMORY)

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again", "schema": {"type": "integer"}}}


async def _check_login_rate(ip: str | None) -> None:
    """Too many attempts from one address, whoever they are for, wait for the window to move."""
    limit = parse(get_settings().login_rate_limit)
    key = f"ip:{ip or 'unknown'}"
    if not await _limiter.hit(limit, "login", key):
        stats = await _limiter.get_window_stats(limit, "login", key)
        seconds = max(1, ceil(stats.reset_time - time.time()))
        raise TooManyRequests(
            f"Too many sign-in attempts from this address; try again in {format.seconds(seconds)}",
            headers={"Retry-After": str(seconds)},
        )


@router.post(
    "/auth/login",
    operation_id="logIn",
    response_model=LoginResponse,
    responses={
        401: {"model": Problem},
        429: {
            "model": Problem,
            "headers": _RETRY_AFTER,
            "description": "Too many attempts from this address, or too many wrong passwords for this email "
            "from a device its user has not signed in from before",
        },
    },
)
async def login(body: LoginRequest, request: Request, session: SessionDep) -> LoginResponse | Response:
    ip = client_ip(request)
    await _check_login_rate(ip)
    try:
        signed_in = await service.sign_in(
            session,
            body.email,
            body.password,
            device_token=body.device_token,
            ip=ip,
            user_agent=request.headers.get("user-agent"),
        )
    except (Unauthorized, TooManyRequests) as refused:
        # Answered, not raised: raising would roll back the wrong password's count and the audit
        # entry with it; returning lets the request's unit of work commit them.
        return problem_response(refused.status, refused.title, refused.detail, headers=refused.headers)
    return LoginResponse(
        token=signed_in.token,
        expires_at=signed_in.session.expires_at,
        user=UserPublic.model_validate(signed_in.user),
        device_token=signed_in.device_token,
    )


@router.post("/auth/logout", operation_id="logOut", status_code=status.HTTP_204_NO_CONTENT)
async def logout(principal: Reader, session: SessionDep) -> Response:
    await service.logout(session, principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/auth/me", operation_id="getMe", response_model=UserPublic)
async def me(principal: Reader, session: SessionDep) -> UserPublic:
    if principal.user_id is None:
        # An API key has no user; describe the key's identity instead.
        return UserPublic(id=principal.id, email=f"api-key:{principal.id}", name=None, role=principal.role)
    user = await repository.user_by_id(session, principal.user_id)
    if user is None:
        raise NotFound("User not found")
    return UserPublic.model_validate(user)


@router.post(
    "/users",
    operation_id="createUser",
    response_model=UserPublic,
    status_code=201,
    tags=["admin"],
    responses={409: {"model": Problem, "description": "A user with that email exists"}},
)
async def create_user(body: UserCreate, principal: Admin, session: SessionDep) -> UserPublic:
    """A user; ``lead_id`` sets whom they report to (team scopes follow it)."""
    user = await service.create_user(
        session,
        email=str(body.email),
        role=body.role,
        name=body.name,
        password=body.password,
        lead_id=body.lead_id,
        actor=principal.actor,
    )
    return UserPublic.model_validate(user)


@router.get("/users", operation_id="listUsers", response_model=list[UserAdmin], tags=["admin"])
async def list_users(principal: Admin, session: SessionDep) -> list[UserAdmin]:
    """Every user, active or not, with their lead and last sign-in: admins first, then leaders,
    CSMs, product and viewers, each by email."""
    return await service.users(session)


@router.patch(
    "/users/{user_id}",
    operation_id="updateUser",
    response_model=UserPublic,
    tags=["admin"],
    responses={
        404: {"model": Problem},
        422: {"model": Problem, "description": "A lead that cannot be, or deactivating or demoting yourself"},
    },
)
async def update_user(user_id: uuid.UUID, body: UserUpdate, principal: Admin, session: SessionDep) -> UserPublic:
    """Name, role, lead and whether the user is active (send only what changes; ``lead_id: null``
    clears the lead). The lead is an active user other than the user themself. Deactivating
    ends the user's open sessions at once; nobody deactivates or demotes themself."""
    user = await service.update_user(session, user_id, body.model_dump(exclude_unset=True), principal.actor)
    return UserPublic.model_validate(user)


@router.get("/api-keys", operation_id="listApiKeys", response_model=list[ApiKeyPublic], tags=["admin"])
async def list_api_keys(principal: Admin, session: SessionDep) -> list[ApiKeyPublic]:
    """Every key, newest first: scopes, role, who created it, when it was last used, and whether
    it still works."""
    return await service.api_keys(session)


@router.post(
    "/api-keys",
    operation_id="createApiKey",
    response_model=ApiKeyCreated,
    status_code=201,
    tags=["admin"],
    responses={
        422: {
            "model": Problem,
            "description": "No role and no read, ingest or admin scope, or a role its scopes contradict",
        }
    },
)
async def create_api_key(body: ApiKeyCreate, principal: Admin, session: SessionDep) -> ApiKeyCreated:
    """A new key; the key itself is in this answer only. With the read, ingest or admin scope the
    key may do only what they cover; without them it acts by its role."""
    api_key, key = await service.create_api_key(
        session,
        name=body.name,
        role=body.role,
        scopes=body.scopes,
        created_by=principal.user_id,
        actor=principal.actor,
    )
    creator = await repository.creator_email(session, api_key.created_by_id)
    return ApiKeyCreated(**service.key_public(api_key, creator).model_dump(), key=key)


@router.delete(
    "/api-keys/{key_id}",
    operation_id="revokeApiKey",
    response_model=ApiKeyPublic,
    tags=["admin"],
    responses={404: {"model": Problem}},
)
async def revoke_api_key(key_id: uuid.UUID, principal: Admin, session: SessionDep) -> ApiKeyPublic:
    """Revoke a key: it is refused from the next request on (revoking twice changes nothing)."""
    api_key = await service.revoke_api_key(session, key_id, principal.actor)
    return service.key_public(api_key, await repository.creator_email(session, api_key.created_by_id))
