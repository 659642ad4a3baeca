"""report sums: each sales report keeps its number of lines and units

What a distribution checks before it reuses a quarter's totals (every current report's
revision, checksum, lines and units) is then read from the reports alone, not summed again
over a million sales lines.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_reports") as batch:
        batch.add_column(sa.Column("lines", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("units", sa.BigInteger(), nullable=False, server_default="0"))
    op.execute(
        "UPDATE sales_reports SET "
        "lines = (SELECT count(*) FROM sales_lines WHERE sales_lines.report_id = sales_reports.id), "
        "units = (SELECT coalesce(sum(units), 0) FROM sales_lines "
        "WHERE sales_lines.report_id = sales_reports.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("sales_reports") as batch:
        batch.drop_column("units")
        batch.drop_column("lines")
