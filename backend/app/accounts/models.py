"""Accounts, their contacts, and the notes people keep on them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ARRAY, BigInteger, Column, Index, Numeric, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.enums import AccountStatus, ContactRole, Flag, RenewalTerm, values
from app.core.models import created_at, one_of, tz, updated_at, uuid_pk


class Account(SQLModel, table=True):
    __tablename__ = "account"
    __table_args__ = (
        one_of("status", values(AccountStatus), nullable=False),
        one_of("flag", values(Flag)),
        one_of("renewal_term", values(RenewalTerm)),
        Index("ix_account_name_lower", text("lower(name)")),
        Index("ix_account_current_arr", "current_arr"),
    )

    id: uuid.UUID = uuid_pk()
    external_id: str = Field(unique=True)
    name: str
    domains: list[str] = Field(default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"})
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL", index=True)
    segment: str | None = Field(default=None, index=True)
    icp_tier: str | None = None
    plan: str | None = Field(default=None, index=True)
    industry: str | None = None
    region: str | None = None
    acquisition_channel: str | None = None
    signup_date: date | None = None
    onboarding_completed_at: datetime | None = tz()
    first_value_at: datetime | None = tz()
    seats_purchased: int | None = None
    seat_limit: int | None = None
    api_call_limit: int | None = None
    contract_start: date | None = None
    # The contract renewal date as a CRM sends it (ingest, imports). The account's next
    # renewal, whatever its source, is ``next_renewal_date`` (kept by renewals).
    renewal_date: date | None = Field(default=None, index=True)
    next_renewal_date: date | None = Field(default=None, index=True)
    renewal_term: str | None = None
    # Derived by the revenue engine from subscription lines (ARR > 0 => active).
    status: str = Field(default=AccountStatus.active.value, sa_column_kwargs={"server_default": "active"})
    # ARR declared at ingest; used only while the account has no subscription lines.
    declared_arr: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    # Today's ARR, maintained by the revenue engine so the book can sort on it cheaply.
    current_arr: Decimal = Field(default=Decimal(0), sa_type=Numeric(14, 2), sa_column_kwargs={"server_default": "0"})
    flag: str | None = None
    tags: list[str] = Field(default_factory=list, sa_type=ARRAY(Text), sa_column_kwargs={"server_default": "{}"})
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        one_of("role", values(ContactRole)),
        Index("ix_contact_email_lower", text("lower(email)")),
    )

    id: uuid.UUID = uuid_pk()
    source_id: str | None = Field(default=None, unique=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    name: str | None = None
    email: str | None = None
    title: str | None = None
    role: str | None = None
    # since when the person is a stakeholder (default: when Tempo first heard of them)
    since: date | None = None
    is_primary: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class AccountRevision(SQLModel, table=True):
    """What an account's plan and limits were from a date on, so a score for a past date reads
    the seats and plan of that date. The first revision holds from the start (``valid_from``
    is 0001-01-01): what a source first says is all Tempo knows of before. Written by ingest
    when the values change; accounts without revisions read their current values."""

    __tablename__ = "account_revision"
    __table_args__ = (UniqueConstraint("account_id", "valid_from"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    valid_from: date
    plan: str | None = None
    seats_purchased: int | None = None
    seat_limit: int | None = None
    api_call_limit: int | None = None
    created_at: datetime = created_at()


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (Index("ix_note_account_created", "account_id", "created_at"),)

    id: uuid.UUID = uuid_pk()
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    author_id: uuid.UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # the API key that wrote it, when no signed-in user did
    author_key_id: uuid.UUID | None = Field(default=None, foreign_key="api_key.id", ondelete="SET NULL")
    body: str
    created_at: datetime = created_at()
    updated_at: datetime = updated_at()


class AccountTeamMember(SQLModel, table=True):
    """Someone besides the owner who works the account (a second CSM, an SE, an exec sponsor).
    Team members, like the owner, may change the account (DESIGN §16's access policy)."""

    __tablename__ = "account_team"

    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE", primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user.id", ondelete="CASCADE", primary_key=True, index=True)
    role: str | None = None
    added_at: datetime = created_at()
