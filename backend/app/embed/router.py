"""Embedding routes: issuing tokens, configurations and keys (``/api/v1``), and the tile route
(``/embed/tiles/{kind}/{account_id}``) that answers JSON, an iframe document or SVG.

The tile route takes an embed token (or, for people trying a tile out, a session token or API
key that reads the account). An HTML request without a token but with ``config`` gets the
*shell*: the iframe document without data, framable by that configuration's origins, whose script
takes the token from the URL fragment or a postMessage handshake. No cookie is ever read or set.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts import access
from app.auth import permissions
from app.auth.dependencies import Admin, Embedder
from app.auth.service import authenticate
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import Forbidden, NotFound, Unauthorized, problem_doc
from app.embed import service
from app.embed.schemas import (
    MEDIA,
    EmbedConfigurationCreate,
    EmbedConfigurationPublic,
    EmbedConfigurationUpdate,
    EmbedKeyPublic,
    EmbedTokenCreate,
    EmbedTokenCreated,
    Format,
)
from app.tiles import render
from app.tiles.schemas import Theme, Tile, TileKind

router = APIRouter(prefix="/api/v1", tags=["embedding"])
tile_router = APIRouter(tags=["embedding"])

_embed_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="EmbedToken",
    description="An embed token (POST /api/v1/embed-tokens); a session token or API key also reads tiles",
)


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: problem_doc("No such token or configuration")}
CONFLICT: dict[int | str, dict[str, Any]] = {409: problem_doc("The configuration is paused or revoked")}


@router.post(
    "/embed-tokens",
    operation_id="createEmbedToken",
    response_model=EmbedTokenCreated,
    status_code=201,
    responses=CONFLICT,
)
async def create_embed_token(body: EmbedTokenCreate, principal: Embedder, session: SessionDep) -> EmbedTokenCreated:
    """A short-lived, read-only token for the named tiles of the named accounts, framable or
    fetchable from the named origins (admin, or an API key with the `embed` scope)."""
    return await service.issue(session, principal, body)


@router.delete("/embed-tokens/{jti}", operation_id="revokeEmbedToken", status_code=204, responses=NOT_FOUND)
async def revoke_embed_token(jti: uuid.UUID, principal: Embedder, session: SessionDep) -> Response:
    await service.revoke_token(session, principal, jti)
    return Response(status_code=204)


@router.get(
    "/embed-configurations", operation_id="listEmbedConfigurations", response_model=list[EmbedConfigurationPublic]
)
async def list_embed_configurations(principal: Admin, session: SessionDep) -> list[EmbedConfigurationPublic]:
    return await service.list_configurations(session)


@router.post(
    "/embed-configurations",
    operation_id="createEmbedConfiguration",
    response_model=EmbedConfigurationPublic,
    status_code=201,
)
async def create_embed_configuration(
    body: EmbedConfigurationCreate, principal: Admin, session: SessionDep
) -> EmbedConfigurationPublic:
    return await service.create_configuration(session, principal, body)


@router.patch(
    "/embed-configurations/{configuration_id}",
    operation_id="updateEmbedConfiguration",
    response_model=EmbedConfigurationPublic,
    responses=NOT_FOUND | CONFLICT,
)
async def update_embed_configuration(
    configuration_id: uuid.UUID, body: EmbedConfigurationUpdate, principal: Admin, session: SessionDep
) -> EmbedConfigurationPublic:
    """Rename, pause (its tokens are refused until it is active again) or revoke (for good)."""
    return await service.update_configuration(session, principal, configuration_id, body)


@router.get("/embed-keys", operation_id="listEmbedKeys", response_model=list[EmbedKeyPublic])
async def list_embed_keys(principal: Admin, session: SessionDep) -> list[EmbedKeyPublic]:
    return await service.list_keys(session)


@router.post("/embed-keys/rotate", operation_id="rotateEmbedKeys", response_model=list[EmbedKeyPublic])
async def rotate_embed_keys(principal: Admin, session: SessionDep) -> list[EmbedKeyPublic]:
    """Sign new tokens with a new key; the old ones keep verifying for one token lifetime."""
    return await service.rotate_keys(session, principal)


def negotiate(accept: str | None) -> Format:
    """The format ``Accept`` prefers among ours (by q-value, then order); JSON when none is named."""
    best: tuple[float, int, Format] | None = None
    for position, part in enumerate((accept or "").split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        for fmt, ours in MEDIA.items():
            if media.strip().lower() == ours and quality > 0 and (best is None or (quality, -position) > best[:2]):
                best = (quality, -position, fmt)
    return best[2] if best else "json"


def frame_csp(origins: list[str] | tuple[str, ...] | None) -> str:
    ancestors = " ".join(origins) if origins else "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    )


TILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: problem_doc("No such account, or (the shell) no such configuration"),
    200: {
        "description": "The tile: JSON, the iframe document, or SVG",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Tile"}},
            "text/html": {"schema": {"type": "string"}},
            "image/svg+xml": {"schema": {"type": "string"}},
        },
    },
}


@tile_router.get(
    "/embed/tiles/{kind}/{account_id}",
    operation_id="getEmbedTile",
    response_model=Tile,
    responses=TILE_RESPONSES,
)
async def get_embed_tile(
    kind: TileKind,
    account_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    theme: Annotated[Theme, Query()],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_embed_bearer)],
    format: Annotated[Format | None, Query(description="Overrides Accept")] = None,
    config: Annotated[
        uuid.UUID | None, Query(description="HTML without a token: the configuration whose origins may frame it")
    ] = None,
) -> Response:
    fmt = format or negotiate(request.headers.get("accept"))
    notice = get_settings().embed_refresh_notice_seconds
    headers = {"Cache-Control": "no-store", "Vary": "Accept, Origin, Authorization"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        if fmt == "html" and config is not None:
            framers = await service.shell_origins(session, config)
            if framers is None:
                raise NotFound("No embed configuration by that id")
            page = render.html_document(
                None, theme, kind=kind, account_id=account_id, origins=framers, refresh_notice=notice
            )
            return HTMLResponse(page, headers=headers | {"Content-Security-Policy": frame_csp(framers)})
        raise Unauthorized("Send 'Authorization: Bearer <embed token>' (or, for HTML, the shell's ?config=<id>)")
    token = credentials.credentials
    origins: tuple[str, ...]
    if token.count(".") == 2:  # a JWT: an embed token
        claims = await service.authorise(session, token)
        service.require_tile(claims, kind, account_id)
        origins = claims.origins
    else:
        principal = await authenticate(session, token)
        if principal is None:
            raise Unauthorized("The token is invalid, expired or revoked")
        if not permissions.READ.admits(principal.role, principal.scopes):
            raise Forbidden("This API key's scopes do not cover reading")
        await access.require_read(session, principal, account_id)
        origins = ()
    origin = request.headers.get("origin")
    if origin and origin in origins:
        headers |= {"Access-Control-Allow-Origin": origin}
    if fmt == "html":
        headers |= {"Content-Security-Policy": frame_csp(origins or ("'self'",))}
    body = await service.tile_body(session, kind, account_id, fmt, theme, origins, notice)
    return Response(body, media_type=MEDIA[fmt], headers=headers)


@tile_router.options("/embed/tiles/{kind}/{account_id}", include_in_schema=False)
async def preflight_embed_tile(kind: str, account_id: str, request: Request) -> Response:
    """CORS preflight for hosts that fetch a tile from the browser: allowed for any origin, since
    the preflight carries no token; the answer itself names the origin only when the token lists it."""
    origin = request.headers.get("origin")
    if not origin:
        return Response(status_code=204)
    return Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET",
            "Access-Control-Allow-Headers": "Authorization, Accept",
            "Access-Control-Max-Age": "600",
            "Vary": "Origin",
        },
    )
