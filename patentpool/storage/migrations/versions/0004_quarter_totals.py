"""quarter totals: a quarter's royalties priced once for every distribution

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quarter_totals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("total_due", sa.String(length=40), nullable=False),
        sa.Column("by_country", sa.Text(), nullable=False),
        sa.Column("priced_lines", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_quarter_totals_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarter_totals")),
        sa.UniqueConstraint(
            "program_id", "period", "inputs_sha256", name=op.f("uq_quarter_totals_program_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("quarter_totals")
