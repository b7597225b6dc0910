"""churn calibration: logistic fits of churn on health from the book's outcomes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('churn_calibration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('outcomes', sa.Integer(), nullable=False),
    sa.Column('churned', sa.Integer(), nullable=False),
    sa.Column('intercept', sa.Float(), nullable=False),
    sa.Column('slope', sa.Float(), nullable=False),
    sa.Column('curve', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('usable', sa.Boolean(), nullable=False),
    sa.Column('brier_default', sa.Float(), nullable=False),
    sa.Column('brier_calibrated', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_churn_calibration'))
    )


def downgrade() -> None:
    op.drop_table('churn_calibration')
