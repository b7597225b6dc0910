"""rescore requests: accounts waiting for an incremental rescore

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 10:36:03.504186
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rescore_request',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_rescore_request_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_rescore_request'))
    )


def downgrade() -> None:
    op.drop_table('rescore_request')
