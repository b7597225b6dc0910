"""rescore priority: alert-raising signals are rescored before usage

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('ingest_log', sa.Column('priority', sa.SmallInteger(), server_default=sa.text('1'), nullable=False))
    op.add_column(
        'rescore_request', sa.Column('priority', sa.SmallInteger(), server_default=sa.text('1'), nullable=False)
    )


def downgrade() -> None:
    op.drop_column('rescore_request', 'priority')
    op.drop_column('ingest_log', 'priority')
