"""revenue freshness: when the rollups were last rebuilt, and an index to tell when lines last changed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'revenue_state',
        sa.Column('id', sa.SmallInteger(), nullable=False),
        sa.Column('rollups_built_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint('id = 1', name=op.f('ck_revenue_state_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_revenue_state')),
    )
    op.create_index(op.f('ix_subscription_line_updated_at'), 'subscription_line', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_subscription_line_updated_at'), table_name='subscription_line')
    op.drop_table('revenue_state')
