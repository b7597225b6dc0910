"""Embedding rules: who issues tokens, what a token opens, and the configurations and keys behind
them. Never commits: the request's unit of work does.

Who may issue: an admin, or an API key with the ``embed`` scope (whatever its role), and only for
accounts the caller reads. A token is read-only by construction: the embed route is the only one
that accepts it, and it only reads tiles.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import access
from app.audit.service import record
from app.auth.service import Principal
from app.core.config import get_settings
from app.core.db import after_commit
from app.core.enums import ApiKeyScope, EmbedStatus, Role
from app.core.errors import Conflict, FieldError, Forbidden, NotFound, ProblemError, Unprocessable
from app.core.models import utcnow
from app.embed import cache, repository, tokens
from app.embed.models import EmbedConfiguration, EmbedToken
from app.embed.schemas import (
    EmbedConfigurationCreate,
    EmbedConfigurationPublic,
    EmbedConfigurationUpdate,
    EmbedKeyPublic,
    EmbedTokenCreate,
    EmbedTokenCreated,
    Format,
)
from app.embed.tokens import EmbedClaims, TokenError
from app.tiles import render
from app.tiles import service as tiles
from app.tiles.schemas import Theme, TileKind

PRUNE_AFTER = timedelta(days=1)


class EmbedRefused(ProblemError):
    """401 for an embed token that does not open anything; the title says "expired" when that is
    why (tiles show their expired state for it), and ``WWW-Authenticate`` carries RFC 6750's
    ``invalid_token`` with the reason."""

    status = 401
    title = "Embed token refused"

    def __init__(self, detail: str, *, expired: bool = False) -> None:
        challenge = f'Bearer error="invalid_token", error_description="{detail}"'
        super().__init__(detail, headers={"WWW-Authenticate": challenge})
        if expired:
            self.title = "Embed token expired"


def _invalid(field: str, msg: str) -> Unprocessable:
    return Unprocessable(msg, errors=[FieldError(loc=["body", field], msg=msg)])


def may_issue(principal: Principal) -> bool:
    return principal.role == Role.admin or ApiKeyScope.embed.value in principal.scopes


def require_issuer(principal: Principal) -> None:
    if not may_issue(principal):
        raise Forbidden("Issuing embed tokens needs an admin, or an API key with the 'embed' scope")


def public(config: EmbedConfiguration, live: int) -> EmbedConfigurationPublic:
    fields = set(EmbedConfigurationPublic.model_fields) - {"tokens_live"}
    return EmbedConfigurationPublic(**{name: getattr(config, name) for name in fields}, tokens_live=live)


async def _signing_key(session: AsyncSession) -> str:
    kid = await repository.current_key(session)
    if kid is None:
        kid = secrets.token_urlsafe(12)
        await repository.add_key(session, kid)
    return kid


async def _configuration(session: AsyncSession, principal: Principal, body: EmbedTokenCreate) -> EmbedConfiguration:
    if body.configuration_id is None:
        found = await repository.configuration_for(session, principal.actor, body.origins)
        if found is not None:
            if not set(body.tiles) <= set(found.tiles):
                found.tiles = sorted(set(found.tiles) | set(body.tiles))
            return found
        config = EmbedConfiguration(
            name=", ".join(body.origins), origins=body.origins, tiles=list(body.tiles), created_by=principal.actor
        )
        session.add(config)
        await session.flush()
        record(session, principal.actor, "embed_configuration.create", "embed_configuration", config.id, {})
        return config
    named = await repository.configuration(session, body.configuration_id)
    if named is None:
        raise _invalid("configuration_id", f"No embed configuration {body.configuration_id}")
    if named.status != EmbedStatus.active:
        raise Conflict(f"The embed configuration '{named.name}' is {named.status}: no tokens are issued for it")
    extra_origins = sorted(set(body.origins) - set(named.origins))
    if extra_origins:
        raise _invalid("origins", f"Not among the configuration's origins: {', '.join(extra_origins)}")
    extra_tiles = sorted(set(body.tiles) - set(named.tiles))
    if extra_tiles:
        raise _invalid("tiles", f"Not among the configuration's tiles: {', '.join(extra_tiles)}")
    return named


async def issue(session: AsyncSession, principal: Principal, body: EmbedTokenCreate) -> EmbedTokenCreated:
    require_issuer(principal)
    settings = get_settings()
    ttl = body.ttl_seconds or settings.embed_token_default_seconds
    if ttl > settings.embed_token_max_seconds:
        raise _invalid("ttl_seconds", f"ttl_seconds may be at most {settings.embed_token_max_seconds}")
    wanted = list(dict.fromkeys(body.account_ids))
    seen = await access.visible(session, principal, list(await repository.existing_accounts(session, wanted)))
    missing = [str(a) for a in wanted if a not in seen]
    if missing:
        raise _invalid("account_ids", f"No such account (or not one you read): {', '.join(missing)}")
    config = await _configuration(session, principal, body)
    now = utcnow().replace(microsecond=0)
    claims = EmbedClaims(
        jti=uuid.uuid4(),
        configuration_id=config.id,
        tiles=frozenset(body.tiles),
        account_ids=frozenset(wanted),
        origins=tuple(body.origins),
        issued_at=now,
        expires_at=now + timedelta(seconds=ttl),
    )
    kid = await _signing_key(session)
    await repository.add_token(
        session,
        EmbedToken(
            jti=claims.jti,
            configuration_id=config.id,
            kid=kid,
            issued_by=principal.actor,
            issued_at=now,
            expires_at=claims.expires_at,
            tiles=sorted(body.tiles),
            account_count=len(wanted),
        ),
        now,
    )
    await repository.prune_tokens(session, now - PRUNE_AFTER)
    notice = timedelta(seconds=min(settings.embed_refresh_notice_seconds, ttl))
    return EmbedTokenCreated(
        token=tokens.sign(kid, claims),
        expires_at=claims.expires_at,
        configuration_id=config.id,
        jti=claims.jti,
        refresh_after=claims.expires_at - notice,
    )


async def revoke_token(session: AsyncSession, principal: Principal, jti: uuid.UUID) -> None:
    require_issuer(principal)
    token = await repository.token(session, jti)
    if token is None:
        raise NotFound(f"No embed token {jti} (tokens are forgotten a day after they expire)")
    if principal.role != Role.admin and token.issued_by != principal.actor:
        raise Forbidden("Only an admin, or the key that issued it, revokes an embed token")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by = principal.actor
        record(session, principal.actor, "embed_token.revoke", "embed_token", jti, {})
    after_commit(session, cache.forget_standing)


async def list_configurations(session: AsyncSession) -> list[EmbedConfigurationPublic]:
    return [public(c, live) for c, live in await repository.configurations(session, utcnow())]


async def create_configuration(
    session: AsyncSession, principal: Principal, body: EmbedConfigurationCreate
) -> EmbedConfigurationPublic:
    config = EmbedConfiguration(
        name=body.name, origins=body.origins, tiles=list(body.tiles), created_by=principal.actor
    )
    session.add(config)
    await session.flush()
    await session.refresh(config)
    record(session, principal.actor, "embed_configuration.create", "embed_configuration", config.id, {})
    return public(config, 0)


async def update_configuration(
    session: AsyncSession, principal: Principal, configuration_id: uuid.UUID, body: EmbedConfigurationUpdate
) -> EmbedConfigurationPublic:
    config = await repository.configuration(session, configuration_id)
    if config is None:
        raise NotFound(f"No embed configuration {configuration_id}")
    changes = body.model_dump(exclude_none=True, mode="json")
    if config.status == EmbedStatus.revoked and changes.get("status", "revoked") != "revoked":
        raise Conflict("A revoked embed configuration stays revoked: create a new one")
    for name, value in changes.items():
        setattr(config, name, value)
    config.updated_at = utcnow()
    record(session, principal.actor, "embed_configuration.update", "embed_configuration", config.id, changes)
    await session.flush()
    after_commit(session, cache.forget_standing)
    return public(config, await repository.live_tokens(session, config.id, utcnow()))


async def list_keys(session: AsyncSession) -> list[EmbedKeyPublic]:
    found = await repository.keys(session)
    current = next((k.kid for k in found if k.retires_at is None), None)
    return [
        EmbedKeyPublic(kid=k.kid, created_at=k.created_at, retires_at=k.retires_at, current=k.kid == current)
        for k in found
    ]


async def rotate_keys(session: AsyncSession, principal: Principal) -> list[EmbedKeyPublic]:
    """A new current key; the keys before it keep verifying for one token lifetime (the longest a
    token signed just before the rotation lives), then retire."""
    overlap = timedelta(seconds=get_settings().embed_token_max_seconds)
    await repository.retire_keys(session, utcnow() + overlap)
    kid = secrets.token_urlsafe(12)
    await repository.add_key(session, kid)
    record(session, principal.actor, "embed_key.rotate", "embed_signing_key", None, {"kid": kid})
    after_commit(session, cache.forget_standing)
    return await list_keys(session)


async def authorise(session: AsyncSession, token: str, now: datetime | None = None) -> EmbedClaims:
    """The token's claims if it is signed by a key in service, unexpired, not revoked, and its
    configuration is active; ``EmbedRefused`` otherwise. What was checked is reused for a
    while (``app.embed.cache``)."""
    now = now or utcnow()
    known: tuple[str, EmbedClaims] | None = cache.verified.get(token)
    try:
        if known is None:
            seen = tokens.peek(token)
            kid, cfg, jti = seen.kid, seen.configuration_id, seen.jti
        else:
            kid, claims = known
            cfg, jti = claims.configuration_id, claims.jti
            if claims.expires_at <= now:
                raise TokenError(tokens.EXPIRED, expired=True)
        state = cache.standing.get((kid, cfg, jti))
        if state is None:
            state = await repository.standing(session, kid, cfg, jti, now)
            cache.standing.put((kid, cfg, jti), state)
        if not state["key_ok"]:
            raise TokenError("The embed token was signed with a key that is no longer in service")
        if known is None:
            claims = tokens.verify(token, kid)
            cache.verified[token] = (kid, claims)
    except TokenError as exc:
        raise EmbedRefused(exc.detail, expired=exc.expired) from exc
    if not state["issued"] or state["revoked"]:
        raise EmbedRefused("The embed token has been revoked")
    if state["status"] != EmbedStatus.active:
        raise EmbedRefused(f"The embed configuration is {state['status'] or 'gone'}")
    return claims


async def tile_body(
    session: AsyncSession,
    kind: TileKind,
    account_id: uuid.UUID,
    fmt: Format,
    theme: Theme,
    origins: tuple[str, ...],
    notice: int,
) -> str:
    """One account's tile as JSON, the iframe document (for these framing origins) or SVG,
    reused for a few seconds (``app.embed.cache``)."""
    key = (kind, account_id, fmt, theme, origins, notice)
    body: str | None = cache.bodies.get(key)
    if body is None:
        tile = (await tiles.tiles(session, kind, [account_id])).get(account_id)
        if tile is None:
            raise NotFound(f"No account {account_id}")
        if fmt == "svg":
            body = render.svg(tile, theme)
        elif fmt == "html":
            body = render.html_document(
                tile, theme, kind=kind, account_id=account_id, origins=origins, refresh_notice=notice
            )
        else:
            body = tile.model_dump_json()
        cache.bodies.put(key, body)
    return body


def require_tile(claims: EmbedClaims, kind: str, account_id: uuid.UUID) -> None:
    if kind not in claims.tiles:
        raise Forbidden(f"This embed token does not open {kind} tiles")
    if account_id not in claims.account_ids:
        raise Forbidden("This embed token does not open this account's tiles")


async def shell_origins(session: AsyncSession, configuration_id: uuid.UUID) -> list[str] | None:
    """The origins that may frame a configuration's tile shell (None: no such configuration).
    A paused or revoked one still gets its shell, which holds no data: its script then hears
    why from the tile request ("The embed configuration is paused") and shows it, instead of
    the host seeing a frame the browser blocked."""
    config = await repository.configuration(session, configuration_id)
    return None if config is None else list(config.origins)
