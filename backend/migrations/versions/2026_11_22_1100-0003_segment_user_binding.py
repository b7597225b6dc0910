"""segment user binding: the Segment group each end user belongs to (keyed user hash)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('segment_user_binding',
    sa.Column('user_hash', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('group_id', sa.String(), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('user_hash', name=op.f('pk_segment_user_binding'))
    )


def downgrade() -> None:
    op.drop_table('segment_user_binding')
