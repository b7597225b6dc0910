"""Users, API keys and SPA sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Index, Text, text
from sqlmodel import Field, SQLModel

from app.core.enums import Role, values
from app.core.models import created_at, one_of, tz, uuid_pk


class User(SQLModel, table=True):
    __tablename__ = "user"
    __table_args__ = (
        one_of("role", values(Role), nullable=False),
        Index("uq_user_email_lower", text("lower(email)"), unique=True),
    )

    id: uuid.UUID = uuid_pk()
    email: str
    name: str | None = None
    role: str = Field(default=Role.viewer.value)
    password_hash: str | None = None
    is_active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})
    # The person this user reports to (a CSM's team lead): "team" scopes and the tasks a play
    # gives to "the lead" follow it.
    lead_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL", index=True)
    created_at: datetime = created_at()
    last_login_at: datetime | None = tz()
    # Wrong passwords since the last sign-in, and until when unknown devices must wait
    # before the next attempt (``app.auth.service.login``).
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    login_blocked_until: datetime | None = tz()


class ApiKey(SQLModel, table=True):
    """A key is shown once; only its SHA-256 is stored (keys carry 256 bits of entropy)."""

    __tablename__ = "api_key"
    __table_args__ = (one_of("role", values(Role), nullable=False),)

    id: uuid.UUID = uuid_pk()
    name: str
    prefix: str = Field(unique=True)
    key_hash: str
    role: str
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at()
    last_used_at: datetime | None = tz()
    expires_at: datetime | None = tz()
    revoked_at: datetime | None = tz()
    # Beyond the role (``ApiKeyScope``): "embed" issues embed tokens, whatever the role.
    scopes: list[str] = Field(default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"})


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    id: uuid.UUID = uuid_pk()
    token_hash: str = Field(unique=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    created_at: datetime = created_at()
    expires_at: datetime = tz(nullable=False)
    last_seen_at: datetime | None = tz()
    revoked_at: datetime | None = tz()
    ip: str | None = None
    user_agent: str | None = None


class UserDevice(SQLModel, table=True):
    """A browser or script that signed in as the user before (a random token it keeps, stored
    as its SHA-256). Sign-in delays after wrong passwords never apply to a known device, so
    someone guessing a user's password cannot lock the user out."""

    __tablename__ = "user_device"

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(unique=True)
    created_at: datetime = created_at()
    last_used_at: datetime | None = tz()
