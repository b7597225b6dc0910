"""Request and response bodies of embedding (``POST /api/v1/embed-tokens`` is pinned)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field

from app.core.enums import EmbedStatus
from app.tiles.schemas import TileKind

DEFAULT_PORTS = {"http": 80, "https": 443}

# The tile route's answers: JSON, the iframe document, SVG.
Format = Literal["json", "html", "svg"]
MEDIA: dict[Format, str] = {"json": "application/json", "html": "text/html", "svg": "image/svg+xml"}


def origin(value: str) -> str:
    """A web origin as browsers compare them: ``scheme://host[:port]``, lower case, without the
    default port; no path, query, fragment or credentials; never a wildcard."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an origin: {exc}") from exc
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"{value!r} is not an origin: write it as https://host or https://host:port")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"{value!r} is not an origin: no path, query, fragment or credentials")
    if "*" in parts.hostname:
        raise ValueError(f"{value!r}: wildcards are not allowed, name each origin")
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    suffix = f":{port}" if port is not None and port != DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{suffix}"


Origin = Annotated[str, Field(max_length=300, examples=["https://host.example"]), AfterValidator(origin)]


def _unique_kinds(kinds: list[TileKind]) -> list[TileKind]:
    return sorted(set(kinds))


def _unique_origins(origins: list[str]) -> list[str]:
    return sorted(set(origins))


Kinds = Annotated[list[TileKind], Field(min_length=1, max_length=len(TileKind)), AfterValidator(_unique_kinds)]
Origins = Annotated[list[Origin], Field(min_length=1, max_length=20), AfterValidator(_unique_origins)]


class EmbedTokenCreate(BaseModel):
    tiles: Kinds = Field(description="The tile kinds the token opens")
    account_ids: list[uuid.UUID] = Field(min_length=1, max_length=100, description="The accounts whose tiles it opens")
    origins: Origins = Field(description="The host pages' origins that may frame or fetch the tiles")
    ttl_seconds: int | None = Field(
        default=None, ge=1, description="Lifetime; default and maximum are settings (600 s at most)"
    )
    configuration_id: uuid.UUID | None = Field(
        default=None,
        description="The embed configuration the token belongs to; when left out, the caller's configuration "
        "for exactly these origins (created on first use)",
    )


class EmbedTokenCreated(BaseModel):
    token: str
    expires_at: datetime
    configuration_id: uuid.UUID
    jti: uuid.UUID = Field(description="The token's id, to revoke it before it expires")
    refresh_after: datetime = Field(description="When tiles tell their host the token is about to expire")


class EmbedConfigurationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    origins: Origins
    tiles: Kinds


class EmbedConfigurationUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: EmbedStatus | None = Field(
        default=None, description="paused refuses its tokens until set active again; revoked is for good"
    )


class EmbedConfigurationPublic(BaseModel):
    id: uuid.UUID
    name: str
    origins: list[str]
    tiles: list[TileKind]
    status: EmbedStatus
    created_by: str
    created_at: datetime
    updated_at: datetime
    tokens_issued: int
    last_issued_at: datetime | None
    tokens_live: int = Field(description="Tokens issued and neither expired nor revoked")


class EmbedKeyPublic(BaseModel):
    kid: str
    created_at: datetime
    retires_at: datetime | None = Field(description="After this, tokens signed with it are refused (null: current)")
    current: bool
