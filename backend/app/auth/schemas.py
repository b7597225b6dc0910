from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.enums import ApiKeyScope, Role
from app.core.types import Email


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str | None
    role: Role
    lead_id: uuid.UUID | None = Field(default=None, description="Whom the user reports to (their team lead)")


class LoginRequest(BaseModel):
    email: Email
    password: str = Field(min_length=1, max_length=1024)
    device_token: str | None = Field(
        default=None,
        max_length=200,
        description="The device_token an earlier sign-in on this device returned: a device the user "
        "signed in from before is never made to wait by other people's wrong passwords.",
    )


class LoginResponse(BaseModel):
    token: str
    expires_at: datetime
    user: UserPublic
    device_token: str = Field(
        description="Keep it (it identifies this device to this user) and send it with the next sign-in."
    )


class UserCreate(BaseModel):
    email: Email
    name: str | None = Field(default=None, max_length=200)
    role: Role = Role.viewer
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    lead_id: uuid.UUID | None = Field(
        default=None, description="Whom the user reports to: an active user, not the user themself"
    )


class UserUpdate(BaseModel):
    """Send only what changes; ``lead_id: null`` clears the lead."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    lead_id: uuid.UUID | None = Field(
        default=None, description="Whom the user reports to: an active user, not the user themself (null: nobody)"
    )
    is_active: bool | None = Field(
        default=None,
        description="false deactivates the user: they cannot sign in and their open sessions end; true lets them "
        "back in",
    )


class UserAdmin(BaseModel):
    """A user as the admin console lists them."""

    id: uuid.UUID
    email: str
    name: str | None
    role: Role
    is_active: bool
    lead_id: uuid.UUID | None
    lead_name: str | None
    lead_email: str | None
    last_login_at: datetime | None = Field(description="The last successful sign-in (null: never)")
    created_at: datetime


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role | None = Field(
        default=None,
        description="What the key acts as. Required for a key without the read, ingest or admin scope; a key "
        "with them acts within them, as admin (admin scope) or viewer, which is its role when left out",
    )
    scopes: list[ApiKeyScope] = Field(
        default_factory=list,
        max_length=len(ApiKeyScope),
        description="read: reading; ingest: sending data (ingest and import); admin: everything; embed: issuing "
        "embed tokens. With read, ingest or admin the key may do only what they cover",
    )


KeyStatus = Literal["active", "revoked", "expired"]


class ApiKeyPublic(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    role: Role
    scopes: list[ApiKeyScope]
    created_at: datetime
    created_by_id: uuid.UUID | None = None
    created_by_email: str | None = Field(default=None, description="Who created it (null: the CLI or a deleted user)")
    last_used_at: datetime | None = Field(description="Written at most once a minute (null: never used)")
    expires_at: datetime | None = None
    revoked_at: datetime | None
    status: KeyStatus = "active"


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself; shown only once.")
