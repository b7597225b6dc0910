"""Reading the audit log: newest first page by page, one actor's entries, and the distinct
actions for the admin console's filters.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_at_id", "audit_log", [sa.text("at DESC"), sa.text("id DESC")], unique=False)
    op.create_index(
        "ix_audit_log_actor_at_id", "audit_log", ["actor", sa.text("at DESC"), sa.text("id DESC")], unique=False
    )
    op.create_index("ix_audit_log_action", "audit_log", ["action"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_at_id", table_name="audit_log")
    op.drop_index("ix_audit_log_at_id", table_name="audit_log")
