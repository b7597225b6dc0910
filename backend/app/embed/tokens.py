"""Embed tokens: JWTs signed with HS256 under a key id (``kid`` in the header).

The payload names what the token opens and nothing else: ``tiles`` (kinds), ``acc`` (account
ids), ``origins`` (the hosts that may frame or fetch them), ``cfg`` (the configuration it
belongs to), ``jti`` (for the revocation list), ``iat``/``exp``, and ``aud`` = ``tempo-embed``
so no other kind of token can be passed off as one. A key's secret is an HMAC of the server
secret and the key id: rotating the key id needs no secret stored anywhere but the settings.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from app.core.config import get_settings

AUDIENCE = "tempo-embed"
ALGORITHM = "HS256"
EXPIRED = "The embed token has expired: ask the page that shows it for a new one"


def secret_for(kid: str) -> bytes:
    return hmac.new(get_settings().secret_key.encode(), f"tempo-embed:{kid}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class EmbedClaims:
    jti: uuid.UUID
    configuration_id: uuid.UUID
    tiles: frozenset[str]
    account_ids: frozenset[uuid.UUID]
    origins: tuple[str, ...]
    issued_at: datetime
    expires_at: datetime


def sign(kid: str, claims: EmbedClaims) -> str:
    payload = {
        "aud": AUDIENCE,
        "jti": str(claims.jti),
        "cfg": str(claims.configuration_id),
        "tiles": sorted(claims.tiles),
        "acc": sorted(str(a) for a in claims.account_ids),
        "origins": list(claims.origins),
        "iat": int(claims.issued_at.timestamp()),
        "exp": int(claims.expires_at.timestamp()),
    }
    return jwt.encode(payload, secret_for(kid), algorithm=ALGORITHM, headers={"kid": kid})


class TokenError(Exception):
    """Why a token was refused, in words for the caller; ``expired`` tells a tile to show its
    expired state instead of an error."""

    def __init__(self, detail: str, *, expired: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.expired = expired


@dataclass(frozen=True)
class Unverified:
    """What a token says before its signature is checked: only used to look up its key,
    configuration and revocation in one query, never to decide anything."""

    kid: str
    jti: uuid.UUID
    configuration_id: uuid.UUID


def peek(token: str) -> Unverified:
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, options={"verify_signature": False})
        return Unverified(str(header["kid"]), uuid.UUID(str(payload["jti"])), uuid.UUID(str(payload["cfg"])))
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise TokenError("This is not an embed token") from exc


def verify(token: str, kid: str) -> EmbedClaims:
    try:
        payload: dict[str, Any] = jwt.decode(
            token,
            secret_for(kid),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["exp", "iat", "jti", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError(EXPIRED, expired=True) from exc
    except jwt.PyJWTError as exc:
        raise TokenError("The embed token's signature or claims are not valid") from exc
    try:
        return EmbedClaims(
            jti=uuid.UUID(str(payload["jti"])),
            configuration_id=uuid.UUID(str(payload["cfg"])),
            tiles=frozenset(str(t) for t in payload["tiles"]),
            account_ids=frozenset(uuid.UUID(str(a)) for a in payload["acc"]),
            origins=tuple(str(o) for o in payload["origins"]),
            issued_at=datetime.fromtimestamp(int(payload["iat"]), UTC),
            expires_at=datetime.fromtimestamp(int(payload["exp"]), UTC),
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError("The embed token's claims are not valid") from exc
