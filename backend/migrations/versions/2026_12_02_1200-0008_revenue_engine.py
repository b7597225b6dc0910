"""revenue engine: ARR movements, ARR by account and month, period rollups

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('arr_movement',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('detail', sa.String(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('arr_after', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.CheckConstraint("kind IN ('new', 'expansion', 'contraction', 'churn', 'reactivation')", name=op.f('ck_arr_movement_kind')),
    sa.CheckConstraint("detail IS NULL OR detail IN ('seat', 'plan', 'cross_sell', 'voluntary', 'involuntary')", name=op.f('ck_arr_movement_detail')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_arr_movement_positive')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_arr_movement_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arr_movement'))
    )
    op.create_index('ix_arr_movement_account_on', 'arr_movement', ['account_id', 'on'], unique=False)
    op.create_index('ix_arr_movement_on', 'arr_movement', ['on'], unique=False)
    op.create_table('arr_month',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('arr', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_arr_month_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'month', name=op.f('pk_arr_month'))
    )
    op.create_index('ix_arr_month_month', 'arr_month', ['month'], unique=False)
    op.create_table('arr_rollup',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('segment', sa.String(), nullable=True),
    sa.Column('plan', sa.String(), nullable=True),
    sa.Column('icp_tier', sa.String(), nullable=True),
    sa.Column('starting_arr', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('ending_arr', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('new', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('expansion_seat', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('expansion_plan', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('expansion_cross_sell', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('reactivation', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('contraction', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('churn_voluntary', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('churn_involuntary', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('cohort_accounts', sa.Integer(), nullable=False),
    sa.Column('cohort_churned_accounts', sa.Integer(), nullable=False),
    sa.Column('cohort_ending_arr', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('cohort_retained_arr', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('cohort_contraction', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('cohort_churn_voluntary', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('cohort_churn_involuntary', sa.Numeric(precision=20, scale=8), nullable=False),
    sa.Column('accounts_end', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('month', 'quarter', 'ttm')", name=op.f('ck_arr_rollup_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arr_rollup'))
    )
    op.create_index('ix_arr_rollup_kind_start', 'arr_rollup', ['kind', 'period_start'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_arr_rollup_kind_start', table_name='arr_rollup')
    op.drop_table('arr_rollup')
    op.drop_index('ix_arr_month_month', table_name='arr_month')
    op.drop_table('arr_month')
    op.drop_index('ix_arr_movement_on', table_name='arr_movement')
    op.drop_index('ix_arr_movement_account_on', table_name='arr_movement')
    op.drop_table('arr_movement')
