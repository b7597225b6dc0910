"""Embed configurations, signing keys and the tokens issued (for revoking one by id).

A configuration is one embedding of Tempo in another product: the origins that may frame it and
the tile kinds it may show. Every token names its configuration, so pausing or revoking one
stops all of its tokens at once, and listing them shows who embeds what.

Signing keys hold no secret: a key's secret is derived from ``TEMPO_SECRET_KEY`` and its id
(``tokens.secret_for``), so a copy of the database alone cannot sign a token. Rotating adds a
new key and gives the old ones a retirement time one token lifetime away: tokens already out
keep working until they expire, new ones are signed with the new key.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Text
from sqlmodel import Field, SQLModel

from app.core.enums import EmbedStatus, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class EmbedConfiguration(SQLModel, table=True):
    __tablename__ = "embed_configuration"
    __table_args__ = (one_of("status", values(EmbedStatus), nullable=False),)

    id: uuid.UUID = uuid_pk()
    name: str
    origins: list[str] = Field(sa_type=ARRAY(Text))
    tiles: list[str] = Field(sa_type=ARRAY(Text))
    status: str = Field(default=EmbedStatus.active.value, sa_column_kwargs={"server_default": "active"})
    created_by: str
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()
    tokens_issued: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_issued_at: datetime | None = tz()


class EmbedSigningKey(SQLModel, table=True):
    __tablename__ = "embed_signing_key"

    kid: str = Field(primary_key=True)
    created_at: datetime = created_at()
    retires_at: datetime | None = tz()


class EmbedToken(SQLModel, table=True):
    """A token issued (not the token: its id, configuration, scope and expiry), so a token can be
    revoked by id and a configuration shows what it has out. Pruned a day after it expires."""

    __tablename__ = "embed_token"

    jti: uuid.UUID = Field(primary_key=True)
    configuration_id: uuid.UUID = Field(foreign_key="embed_configuration.id", ondelete="CASCADE", index=True)
    kid: str
    issued_by: str
    issued_at: datetime = created_at()
    expires_at: datetime = tz(nullable=False, index=True)
    tiles: list[str] = Field(sa_type=ARRAY(Text))
    account_count: int
    revoked_at: datetime | None = tz()
    revoked_by: str | None = None
