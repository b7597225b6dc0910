"""nothing dropped: unmatched records keep a rejected status, rejections are listed per source, usage minutes may be unknown, Stripe usage-priced items

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # demo books loaded before this revision left the feature id sequence behind the copied
    # catalog ids, so the first new feature name a source sent failed; move it past them
    op.execute("SELECT setval(pg_get_serial_sequence('feature', 'id'), greatest((SELECT max(id) FROM feature), 1))")
    op.add_column(
        'unmatched_record', sa.Column('status', sa.String(), server_default='pending', nullable=False)
    )
    op.add_column('unmatched_record', sa.Column('errors', postgresql.JSONB(astext_type=sa.Text()), nullable=True))
    op.execute("UPDATE unmatched_record SET status = 'resolved' WHERE resolved_at IS NOT NULL")
    op.create_check_constraint(
        op.f('ck_unmatched_record_status'), 'unmatched_record', "status IN ('pending', 'resolved', 'rejected')"
    )
    op.drop_index('ix_unmatched_record_pending_key', table_name='unmatched_record')
    op.create_index(
        'ix_unmatched_record_pending_key',
        'unmatched_record',
        ['account_key_type', 'account_key'],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        'ingest_rejection',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('source', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=True),
        sa.Column('item_id', sa.String(), nullable=True),
        sa.Column('reference', sa.String(), nullable=True),
        sa.Column('errors', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ingest_rejection')),
    )
    op.create_index(
        'ix_ingest_rejection_source_received', 'ingest_rejection', ['source', sa.text('received_at DESC')], unique=False
    )
    op.alter_column('usage_daily', 'minutes', existing_type=sa.Float(), nullable=True)
    op.create_table(
        'stripe_usage_item',
        sa.Column('item_id', sa.String(), nullable=False),
        sa.Column('account_key_type', sa.String(), nullable=False),
        sa.Column('account_key', sa.String(), nullable=False),
        sa.Column('product', sa.String(), nullable=False),
        sa.Column('plan', sa.String(), nullable=True),
        sa.Column('currency', sa.String(), nullable=True),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('cancellation_reason', sa.String(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('item_id', name=op.f('pk_stripe_usage_item')),
    )


def downgrade() -> None:
    op.drop_table('stripe_usage_item')
    op.execute('UPDATE usage_daily SET minutes = 0 WHERE minutes IS NULL')
    op.alter_column('usage_daily', 'minutes', existing_type=sa.Float(), nullable=False)
    op.drop_index('ix_ingest_rejection_source_received', table_name='ingest_rejection')
    op.drop_table('ingest_rejection')
    op.drop_index(
        'ix_unmatched_record_pending_key',
        table_name='unmatched_record',
        postgresql_where=sa.text("status = 'pending'"),
    )
    # rejected records go back to waiting (the old schema had no other place for them)
    op.create_index(
        'ix_unmatched_record_pending_key',
        'unmatched_record',
        ['account_key_type', 'account_key'],
        unique=False,
        postgresql_where=sa.text('resolved_at IS NULL'),
    )
    op.drop_constraint(op.f('ck_unmatched_record_status'), 'unmatched_record', type_='check')
    op.drop_column('unmatched_record', 'errors')
    op.drop_column('unmatched_record', 'status')
