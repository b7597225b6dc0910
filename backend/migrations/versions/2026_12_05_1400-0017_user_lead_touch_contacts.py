"""Who a user reports to (team scopes, a play's steps for "the lead"), the contacts who took part
in a touch, the health bands a play is for, and when a person edited a play (built-in plays
nobody edited follow the library).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 15:41:42.574520
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("playbook", sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True))
    # plays edited before this version: any built-in whose stamps differ by more than its seeding
    op.execute(
        "UPDATE playbook SET edited_at = updated_at WHERE is_builtin AND updated_at > created_at + interval '1 second'"
    )
    op.add_column(
        "playbook", sa.Column("trigger_bands", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False)
    )
    op.add_column(
        "touchpoint", sa.Column("contact_ids", postgresql.ARRAY(sa.UUID()), server_default="{}", nullable=False)
    )
    op.add_column("user", sa.Column("lead_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_user_lead_id"), "user", ["lead_id"], unique=False)
    op.create_foreign_key(op.f("fk_user_lead_id_user"), "user", "user", ["lead_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    op.drop_constraint(op.f("fk_user_lead_id_user"), "user", type_="foreignkey")
    op.drop_index(op.f("ix_user_lead_id"), table_name="user")
    op.drop_column("user", "lead_id")
    op.drop_column("touchpoint", "contact_ids")
    op.drop_column("playbook", "trigger_bands")
    op.drop_column("playbook", "edited_at")
