"""book facts on account_health (adoption, usage change, open tickets, last touch/QBR),
saved view keys and sharing

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('account_health', sa.Column('feature_adoption', sa.Float(), nullable=True))
    op.add_column('account_health', sa.Column('usage_change', sa.Float(), nullable=True))
    op.add_column('account_health', sa.Column('open_tickets', sa.Integer(), nullable=True))
    op.add_column('account_health', sa.Column('last_touch_on', sa.Date(), nullable=True))
    op.add_column('account_health', sa.Column('last_qbr_on', sa.Date(), nullable=True))
    # Fill them from each account's latest snapshot (the one account_health points at).
    op.execute(
        """
        UPDATE account_health h SET
            feature_adoption = (s.inputs->'usage'->>'feature_adoption')::float8,
            usage_change = CASE WHEN (s.inputs->'usage'->>'prev_user_days')::float8 > 0
                THEN ((s.inputs->'usage'->>'user_days')::float8 - (s.inputs->'usage'->>'prev_user_days')::float8)
                     / (s.inputs->'usage'->>'prev_user_days')::float8 END,
            open_tickets = (s.inputs->'support'->>'open_tickets')::float8::int,
            last_touch_on = s.as_of - (s.inputs->'relationship'->>'days_since_touch')::float8::int,
            last_qbr_on = s.as_of - (s.inputs->'relationship'->>'days_since_qbr')::float8::int
        FROM health_snapshot s
        WHERE s.account_id = h.account_id AND s.as_of = h.as_of
        """
    )
    op.add_column('saved_view', sa.Column('key', sa.String(), nullable=True))
    op.create_unique_constraint(op.f('uq_saved_view_key'), 'saved_view', ['key'])
    op.add_column('saved_view', sa.Column('shared', sa.Boolean(), server_default=sa.text('false'), nullable=False))


def downgrade() -> None:
    op.drop_column('saved_view', 'shared')
    op.drop_constraint(op.f('uq_saved_view_key'), 'saved_view', type_='unique')
    op.drop_column('saved_view', 'key')
    op.drop_column('account_health', 'last_qbr_on')
    op.drop_column('account_health', 'last_touch_on')
    op.drop_column('account_health', 'open_tickets')
    op.drop_column('account_health', 'usage_change')
    op.drop_column('account_health', 'feature_adoption')
