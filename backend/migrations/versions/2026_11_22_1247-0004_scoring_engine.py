"""scoring engine: account health (latest per account), snapshot ARR and raw inputs,
run cadence, shard date ranges

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 12:47:14.626157
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('account_health',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=False),
    sa.Column('health_score', sa.Float(), nullable=True),
    sa.Column('band', sa.String(), nullable=True),
    sa.Column('quadrant', sa.String(), nullable=True),
    sa.Column('usage_axis', sa.Float(), nullable=True),
    sa.Column('health_axis', sa.Float(), nullable=True),
    sa.Column('coverage', sa.Float(), nullable=False),
    sa.CheckConstraint("band IS NULL OR band IN ('healthy', 'watch', 'at_risk')", name=op.f('ck_account_health_band')),
    sa.CheckConstraint("quadrant IS NULL OR quadrant IN ('champions', 'frustrated_power_users', 'relationship_dependent', 'churn_risk')", name=op.f('ck_account_health_quadrant')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_health_account_id_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_account_health'))
    )
    op.create_index('ix_account_health_score', 'account_health', ['health_score'], unique=False)
    op.add_column('health_snapshot', sa.Column('arr', sa.Float(), server_default=sa.text('0'), nullable=False))
    # Snapshots keep raw inputs only: scores and weights follow from them and the config version.
    op.alter_column('health_snapshot', 'components', new_column_name='inputs')
    op.add_column('scoring_run', sa.Column('cadence', sa.String(), server_default=sa.text("'daily'"), nullable=False))
    op.create_check_constraint(
        op.f('ck_scoring_run_cadence'), 'scoring_run', "cadence IN ('daily', 'weekly', 'history')"
    )
    op.add_column('scoring_run_shard', sa.Column('date_to', sa.Date(), nullable=True))
    op.execute('UPDATE scoring_run_shard SET date_to = as_of')
    op.alter_column('scoring_run_shard', 'date_to', nullable=False)
    op.add_column('scoring_run_shard', sa.Column('error', sa.String(), nullable=True))
    op.create_index('ix_usage_user_activity_month', 'usage_user_activity', ['month'])
    op.create_index('ix_scoring_run_shard_queued', 'scoring_run_shard', ['run_id', 'account_bucket', 'as_of'],
                    postgresql_where=sa.text("status = 'queued'"))


def downgrade() -> None:
    op.drop_index('ix_scoring_run_shard_queued', table_name='scoring_run_shard')
    op.drop_index('ix_usage_user_activity_month', table_name='usage_user_activity')
    op.drop_column('scoring_run_shard', 'error')
    op.drop_column('scoring_run_shard', 'date_to')
    op.drop_constraint(op.f('ck_scoring_run_cadence'), 'scoring_run', type_='check')
    op.drop_column('scoring_run', 'cadence')
    op.alter_column('health_snapshot', 'inputs', new_column_name='components')
    op.drop_column('health_snapshot', 'arr')
    op.drop_index('ix_account_health_score', table_name='account_health')
    op.drop_table('account_health')
