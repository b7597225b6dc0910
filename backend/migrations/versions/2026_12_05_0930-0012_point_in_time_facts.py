"""point in time: contacts since when, tickets escalated when, an account's plan and limits by date

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('contact', sa.Column('since', sa.Date(), nullable=True))
    op.add_column('ticket', sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'account_revision',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.Uuid(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('plan', sa.String(), nullable=True),
        sa.Column('seats_purchased', sa.Integer(), nullable=True),
        sa.Column('seat_limit', sa.Integer(), nullable=True),
        sa.Column('api_call_limit', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'], ['account.id'], name=op.f('fk_account_revision_account_id_account'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_revision')),
        sa.UniqueConstraint('account_id', 'valid_from', name=op.f('uq_account_revision_account_id_valid_from')),
    )


def downgrade() -> None:
    op.drop_table('account_revision')
    op.drop_column('ticket', 'escalated_at')
    op.drop_column('contact', 'since')
