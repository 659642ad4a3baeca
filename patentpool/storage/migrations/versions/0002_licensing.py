"""licensing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 23:09:18.024352
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _licensees_programs_and_runs()
    _payments_and_sales()


def _licensees_programs_and_runs() -> None:
    """The licensees, the programmes and the distribution runs."""
    op.create_table(
        "licensees",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("member", sa.Boolean(), nullable=False),
        sa.Column("signed", sa.Date(), nullable=True),
        sa.Column("good_standing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licensees")),
    )
    op.create_table(
        "programs",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("standard_id", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"], ["standards.id"], name=op.f("fk_programs_standard_id_standards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
    )
    op.create_table(
        "distribution_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=64), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_distribution_runs_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distribution_runs")),
        sa.UniqueConstraint(
            "program_id", "period", "revision", name=op.f("uq_distribution_runs_program_id")
        ),
    )


def _payments_and_sales() -> None:
    """The payments, the sales reports and their lines."""
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("licensee_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("received", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["licensee_id"], ["licensees.id"], name=op.f("fk_payments_licensee_id_licensees")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_payments_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "program_id",
            "licensee_id",
            "period",
            "received",
            "amount",
            name=op.f("uq_payments_program_id"),
        ),
    )
    op.create_table(
        "sales_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("licensee_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["licensee_id"], ["licensees.id"], name=op.f("fk_sales_reports_licensee_id_licensees")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_sales_reports_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_reports")),
        sa.UniqueConstraint(
            "program_id",
            "licensee_id",
            "period",
            "revision",
            name=op.f("uq_sales_reports_program_id"),
        ),
    )
    with op.batch_alter_table("sales_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sales_reports_current", ["program_id", "period", "current"], unique=False
        )

    op.create_table(
        "sales_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("country_of_sale", sa.String(length=2), nullable=False),
        sa.Column("country_of_manufacture", sa.String(length=2), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("net_sales", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["sales_reports.id"],
            name=op.f("fk_sales_lines_report_id_sales_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_lines")),
    )
    with op.batch_alter_table("sales_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sales_lines_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sales_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_lines_report_id"))

    op.drop_table("sales_lines")
    with op.batch_alter_table("sales_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_reports_current")

    op.drop_table("sales_reports")
    op.drop_table("payments")
    op.drop_table("distribution_runs")
    op.drop_table("programs")
    op.drop_table("licensees")
