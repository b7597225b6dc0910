"""Shared column helpers and the metadata naming convention for every table."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, MetaData, text
from sqlmodel import Field, SQLModel

# Explicit constraint names make migrations reviewable and reversible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    """Timezone-aware now; naive datetimes are never stored."""
    return datetime.now(UTC)


def uuid_pk() -> Any:
    return Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": text("gen_random_uuid()")},
    )


def created_at() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
        sa_column_kwargs={"server_default": text("now()"), "nullable": False},
    )


def updated_at() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
        sa_column_kwargs={"server_default": text("now()"), "nullable": False, "onupdate": utcnow},
    )


def tz(nullable: bool = True, index: bool = False) -> Any:
    return Field(
        default=None,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]
        nullable=nullable,
        index=index,
    )


def one_of(column: str, values: Iterable[str], name: str | None = None, nullable: bool = True) -> CheckConstraint:
    """CHECK constraint restricting a text column to a closed vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({quoted})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name or column)
