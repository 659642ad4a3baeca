"""sales lines indexed in the order they are priced

``ix_sales_lines_report_id`` (the report alone) becomes ``ix_sales_lines_report_line``, on the
report, the line and the id: a report's lines are read in that order (``ORDER BY line, id``)
by walking the index, with no sort of the lines at each read. Its first column still finds a
report's lines, for a correction or a deletion.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_sales_lines_report_id", table_name="sales_lines")
    op.create_index("ix_sales_lines_report_line", "sales_lines", ["report_id", "line", "id"])


def downgrade() -> None:
    op.drop_index("ix_sales_lines_report_line", table_name="sales_lines")
    op.create_index("ix_sales_lines_report_id", "sales_lines", ["report_id"], unique=False)
