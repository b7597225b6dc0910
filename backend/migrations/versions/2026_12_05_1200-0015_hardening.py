"""hardening: Stripe events kept by id, account teams, sign-in backoff and known devices, notes remember the API key that wrote them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('stripe_event',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('type', sa.String(), nullable=False),
    sa.Column('object_id', sa.String(), nullable=True),
    sa.Column('created', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stripe_event'))
    )
    op.create_index('ix_stripe_event_object_created', 'stripe_event', ['object_id', 'created'], unique=False)
    op.create_table('user_device',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_device_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_device')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_device_token_hash'))
    )
    op.create_index(op.f('ix_user_device_user_id'), 'user_device', ['user_id'], unique=False)
    op.create_table('account_team',
    sa.Column('account_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_account_team_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_team_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'user_id', name=op.f('pk_account_team'))
    )
    op.create_index(op.f('ix_account_team_user_id'), 'account_team', ['user_id'], unique=False)
    op.add_column('note', sa.Column('author_key_id', sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f('fk_note_author_key_id_api_key'), 'note', 'api_key', ['author_key_id'], ['id'], ondelete='SET NULL')
    op.add_column('user', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.add_column('user', sa.Column('login_blocked_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('user', 'login_blocked_until')
    op.drop_column('user', 'failed_logins')
    op.drop_constraint(op.f('fk_note_author_key_id_api_key'), 'note', type_='foreignkey')
    op.drop_column('note', 'author_key_id')
    op.drop_index(op.f('ix_account_team_user_id'), table_name='account_team')
    op.drop_table('account_team')
    op.drop_index(op.f('ix_user_device_user_id'), table_name='user_device')
    op.drop_table('user_device')
    op.drop_index('ix_stripe_event_object_created', table_name='stripe_event')
    op.drop_table('stripe_event')
