"""one renewal definition: renewals carry their term and source; the account mirrors its next one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERMS = "'monthly', 'annual', 'multi_year', 'contract'"


def upgrade() -> None:
    op.add_column('renewal', sa.Column('term', sa.String(), server_default='annual', nullable=False))
    op.add_column('renewal', sa.Column('source', sa.String(), server_default='billing', nullable=False))
    op.create_check_constraint('term', 'renewal', f'term IN ({TERMS})')
    op.create_check_constraint('source', 'renewal', "source IN ('crm', 'billing')")
    op.add_column('account', sa.Column('next_renewal_date', sa.Date(), nullable=True))
    op.add_column('account', sa.Column('renewal_term', sa.String(), nullable=True))
    op.create_check_constraint('renewal_term', 'account', f'renewal_term IN ({TERMS})')
    op.create_index(op.f('ix_account_next_renewal_date'), 'account', ['next_renewal_date'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_next_renewal_date'), table_name='account')
    op.drop_constraint(op.f('ck_account_renewal_term'), 'account', type_='check')
    op.drop_column('account', 'renewal_term')
    op.drop_column('account', 'next_renewal_date')
    op.drop_constraint(op.f('ck_renewal_source'), 'renewal', type_='check')
    op.drop_constraint(op.f('ck_renewal_term'), 'renewal', type_='check')
    op.drop_column('renewal', 'source')
    op.drop_column('renewal', 'term')
