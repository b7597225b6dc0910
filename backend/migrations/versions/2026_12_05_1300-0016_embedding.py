"""embedding: embed configurations, signing key ids, issued embed tokens; API key scopes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('embed_configuration',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('origins', sa.ARRAY(sa.Text()), nullable=False),
    sa.Column('tiles', sa.ARRAY(sa.Text()), nullable=False),
    sa.Column('status', sa.String(), server_default='active', nullable=False),
    sa.Column('created_by', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('tokens_issued', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_issued_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'paused', 'revoked')", name=op.f('ck_embed_configuration_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_embed_configuration'))
    )
    op.create_table('embed_signing_key',
    sa.Column('kid', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('retires_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_embed_signing_key'))
    )
    op.create_table('embed_token',
    sa.Column('jti', sa.Uuid(), nullable=False),
    sa.Column('configuration_id', sa.Uuid(), nullable=False),
    sa.Column('kid', sa.String(), nullable=False),
    sa.Column('issued_by', sa.String(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tiles', sa.ARRAY(sa.Text()), nullable=False),
    sa.Column('account_count', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['configuration_id'], ['embed_configuration.id'], name=op.f('fk_embed_token_configuration_id_embed_configuration'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('jti', name=op.f('pk_embed_token'))
    )
    op.create_index(op.f('ix_embed_token_configuration_id'), 'embed_token', ['configuration_id'], unique=False)
    op.create_index(op.f('ix_embed_token_expires_at'), 'embed_token', ['expires_at'], unique=False)
    op.add_column('api_key', sa.Column('scopes', sa.ARRAY(sa.Text()), server_default='{}', nullable=False))


def downgrade() -> None:
    op.drop_column('api_key', 'scopes')
    op.drop_index(op.f('ix_embed_token_expires_at'), table_name='embed_token')
    op.drop_index(op.f('ix_embed_token_configuration_id'), table_name='embed_token')
    op.drop_table('embed_token')
    op.drop_table('embed_signing_key')
    op.drop_table('embed_configuration')
