"""sales lines in other currencies

- ``sales_lines.currency``: the currency of a line's net sales when it names one (null: the
  programme's);
- ``report_fx``: per report and currency, the rate chosen at import that converts them into
  the programme's currency - exact, as a fraction ``n/d`` - with its rule, the day of the
  rate (or the first and last days averaged) and the source of the rates.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_lines") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
    op.create_table(
        "report_fx",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("target", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["sales_reports.id"],
            name=op.f("fk_report_fx_report_id_sales_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "currency", name=op.f("pk_report_fx")),
    )


def downgrade() -> None:
    op.drop_table("report_fx")
    with op.batch_alter_table("sales_lines") as batch:
        batch.drop_column("currency")
