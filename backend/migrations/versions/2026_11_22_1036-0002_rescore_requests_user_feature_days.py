"""ingest log, rescore requests and usage user-feature-day pairs

ingest_log: one row per accepted ingest call, folded into freshness and rescore requests.

rescore_request: accounts waiting for an incremental rescore.
usage_user_feature_day: which users used a feature on a day (kept like raw events),
so active users per feature and day stay exact without recounting.

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
    op.create_table('ingest_log',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('account_ids', sa.ARRAY(sa.Uuid()), nullable=False),
    sa.Column('since', sa.ARRAY(sa.Date()), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_log'))
    )
    op.create_table('usage_user_feature_day',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('feature_id', sa.SmallInteger(), nullable=False),
    sa.Column('user_hash', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_usage_user_feature_day_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['feature_id'], ['feature.id'], name=op.f('fk_usage_user_feature_day_feature_id_feature')),
    sa.PrimaryKeyConstraint('account_id', 'day', 'feature_id', 'user_hash', name=op.f('pk_usage_user_feature_day'))
    )
    op.create_index(op.f('ix_usage_user_feature_day_day'), 'usage_user_feature_day', ['day'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_usage_user_feature_day_day'), table_name='usage_user_feature_day')
    op.drop_table('usage_user_feature_day')
    op.drop_table('ingest_log')
    op.drop_table('rescore_request')
