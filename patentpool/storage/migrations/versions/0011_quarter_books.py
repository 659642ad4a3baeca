"""the quarter's books: accepted reports, run approval and publication, invoices

- ``report_acceptances``: the sales report revisions staff accepted (a revision without one
  is submitted), with the reason a correction replaced an accepted revision;
- ``run_status``: a distribution run approved, then published (superseding an earlier
  published run of its period, with the reason); rows are only added, runs never change;
- ``invoices``: invoices and credit notes, numbered without gaps per programme and year;
- ``fx_rates``: reference rates, units of each currency per euro by day;
- ``payments.invoice``: the invoice a payment names, if any; ``currency``,
  ``received_amount`` and ``fx``: what was received in another currency, and the day's rate
  that converted it.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_acceptances",
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["sales_reports.id"],
            name=op.f("fk_report_acceptances_report_id_sales_reports"),
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_acceptances")),
    )
    op.create_table(
        "run_status",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=True),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["distribution_runs.id"],
            name=op.f("fk_run_status_run_id_distribution_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["supersedes"],
            ["distribution_runs.id"],
            name=op.f("fk_run_status_supersedes_distribution_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_status")),
        sa.UniqueConstraint("run_id", "status", name=op.f("uq_run_status_run_id")),
    )
    op.create_index(op.f("ix_run_status_run_id"), "run_status", ["run_id"])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("credits", sa.String(length=40), nullable=True),
        sa.Column("licensee_id", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("issued", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("amount", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("late_interest", sa.String(length=40), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["licensee_id"], ["licensees.id"], name=op.f("fk_invoices_licensee_id_licensees")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_invoices_program_id_programs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
        sa.UniqueConstraint("program_id", "year", "sequence", name=op.f("uq_invoices_program_id")),
    )
    op.create_index(op.f("ix_invoices_licensee_id"), "invoices", ["licensee_id"])
    op.create_table(
        "fx_rates",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.String(length=40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("day", "currency", name=op.f("pk_fx_rates")),
    )
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("invoice", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch.add_column(sa.Column("received_amount", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("fx", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        for column in ("fx", "received_amount", "currency", "invoice"):
            batch.drop_column(column)
    op.drop_table("fx_rates")
    op.drop_index(op.f("ix_invoices_licensee_id"), table_name="invoices")
    op.drop_table("invoices")
    op.drop_index(op.f("ix_run_status_run_id"), table_name="run_status")
    op.drop_table("run_status")
    op.drop_table("report_acceptances")
