"""subscription lines keep their history: one row per version of a source's line

A change of quantity, price or plan on a line the source keeps under one id closes the
current version on the change date and opens a new one, so the unique key becomes
(source, source_id, start_date). ``state_at`` is when the source's state took effect
(Stripe's event time), so an older state never overwrites a newer one.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('subscription_line', sa.Column('state_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE subscription_line SET state_at = updated_at')
    op.alter_column('subscription_line', 'state_at', nullable=False, server_default=sa.text('now()'))
    op.drop_constraint('uq_subscription_line_source_source_id', 'subscription_line', type_='unique')
    op.create_unique_constraint(
        'uq_subscription_line_source_source_id_start_date', 'subscription_line', ['source', 'source_id', 'start_date']
    )


def downgrade() -> None:
    # Only the latest version of each line can stay under the old one-row-per-id key.
    op.execute(
        """
        DELETE FROM subscription_line s USING subscription_line newer
        WHERE newer.source = s.source AND newer.source_id = s.source_id AND newer.start_date > s.start_date
        """
    )
    op.drop_constraint('uq_subscription_line_source_source_id_start_date', 'subscription_line', type_='unique')
    op.create_unique_constraint(
        'uq_subscription_line_source_source_id', 'subscription_line', ['source', 'source_id']
    )
    op.drop_column('subscription_line', 'state_at')
