"""NPS and CSAT survey responses."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, SmallInteger
from sqlmodel import Field, SQLModel

from app.core.enums import SurveyKind, values
from app.core.models import created_at, one_of, tz, uuid_pk


class SurveyResponse(SQLModel, table=True):
    __tablename__ = "survey_response"
    __table_args__ = (
        one_of("kind", values(SurveyKind), nullable=False),
        CheckConstraint(
            "(kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind = 'csat' AND score BETWEEN 1 AND 5)",
            name="score_range",
        ),
        Index("ix_survey_response_account_responded", "account_id", "responded_at"),
    )

    id: uuid.UUID = uuid_pk()
    source_id: str = Field(unique=True)
    account_id: uuid.UUID = Field(foreign_key="account.id", ondelete="CASCADE")
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contact.id", ondelete="SET NULL")
    contact_email: str | None = None
    kind: str
    score: int = Field(sa_column=Column(SmallInteger, nullable=False))
    responded_at: datetime = tz(nullable=False)
    comment: str | None = None
    created_at: datetime = created_at()
