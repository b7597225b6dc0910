"""Login, logout, the current user, users and API keys."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status
from limits import parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from app.auth import repository, service
from app.auth.dependencies import Admin, Reader
from app.auth.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    LoginRequest,
    LoginResponse,
    UserCreate,
    UserPublic,
)
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NotFound, Problem, TooManyRequests

router = APIRouter(prefix="/api/v1", tags=["auth"])
_limiter = MovingWindowRateLimiter(MemoryStorage())


async def _check_login_rate(request: Request, body: LoginRequest) -> None:
    """Per client address and per email, so neither spraying nor guessing scales."""
    limit = parse(get_settings().login_rate_limit)
    client = request.client.host if request.client else "unknown"
    for key in (f"ip:{client}", f"email:{body.email.lower()}"):
        if not await _limiter.hit(limit, "login", key):
            raise TooManyRequests(
                "Too many sign-in attempts; wait a minute and try again", headers={"Retry-After": "60"}
            )


@router.post(
    "/auth/login",
    operation_id="logIn",
    response_model=LoginResponse,
    responses={401: {"model": Problem}, 429: {"model": Problem}},
)
async def login(body: LoginRequest, request: Request, session: SessionDep) -> LoginResponse:
    await _check_login_rate(request, body)
    token, user_session, user = await service.login(
        session,
        body.email,
        body.password,
        ip=request.client.host if request.client else None,
        user_agent=request.headers.get("user-agent"),
    )
    return LoginResponse(token=token, expires_at=user_session.expires_at, user=UserPublic.model_validate(user))


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
    user = await service.create_user(
        session, email=str(body.email), role=body.role, name=body.name, password=body.password, actor=principal.actor
    )
    return UserPublic.model_validate(user)


@router.get("/api-keys", operation_id="listApiKeys", response_model=list[ApiKeyPublic], tags=["admin"])
async def list_api_keys(principal: Admin, session: SessionDep) -> list[ApiKeyPublic]:
    return [ApiKeyPublic.model_validate(k) for k in await repository.list_api_keys(session)]


@router.post("/api-keys", operation_id="createApiKey", response_model=ApiKeyCreated, status_code=201, tags=["admin"])
async def create_api_key(body: ApiKeyCreate, principal: Admin, session: SessionDep) -> ApiKeyCreated:
    api_key, key = await service.create_api_key(
        session, name=body.name, role=body.role, created_by=principal.user_id, actor=principal.actor
    )
    return ApiKeyCreated(**ApiKeyPublic.model_validate(api_key).model_dump(), key=key)


@router.delete("/api-keys/{key_id}", operation_id="revokeApiKey", response_model=ApiKeyPublic, tags=["admin"])
async def revoke_api_key(key_id: uuid.UUID, principal: Admin, session: SessionDep) -> ApiKeyPublic:
    return ApiKeyPublic.model_validate(await service.revoke_api_key(session, key_id, principal.actor))
