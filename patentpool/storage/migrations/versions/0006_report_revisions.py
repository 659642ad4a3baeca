"""report revisions: who brought each revision of a sales report, and what runs used

- ``sales_reports.import_id`` and ``imported_by``: the import that brought a report's revision
  (when, which files) and who ran it (the OS user); None for the revisions imported before
  this migration;
- ``distribution_run_reports``: the sales report revisions each distribution run was computed
  from, so that a correction (a newer revision) marks the runs it supersedes. The rows of the
  runs stored before this migration are read from each run's stored inputs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "distribution_run_reports",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["sales_reports.id"],
            name=op.f("fk_distribution_run_reports_report_id_sales_reports"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["distribution_runs.id"],
            name=op.f("fk_distribution_run_reports_run_id_distribution_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "report_id", name=op.f("pk_distribution_run_reports")),
    )
    with op.batch_alter_table("sales_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("imported_by", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sales_reports_import_id_imports"), "imports", ["import_id"], ["id"]
        )
    _runs_reports()


def _runs_reports() -> None:
    """The report revisions of each stored run, from the sales reports its inputs list."""
    connection = op.get_bind()
    reports = {
        (program, licensee, period, revision): rid
        for rid, program, licensee, period, revision in connection.execute(
            sa.text("SELECT id, program_id, licensee_id, period, revision FROM sales_reports")
        )
    }
    runs = connection.execute(sa.text("SELECT id, program_id FROM distribution_runs")).all()
    for run_id, program in runs:
        inputs = connection.execute(
            sa.text("SELECT inputs FROM distribution_runs WHERE id = :id"), {"id": run_id}
        ).scalar_one()
        used = {
            reports.get((program, r["licensee"], r["period"], r["revision"]))
            for r in json.loads(inputs).get("sales_reports", [])
        } - {None}
        if used:
            connection.execute(
                sa.text(
                    "INSERT INTO distribution_run_reports (run_id, report_id) VALUES (:run, :report)"
                ),
                [{"run": run_id, "report": rid} for rid in sorted(used)],  # type: ignore[type-var]
            )


def downgrade() -> None:
    with op.batch_alter_table("sales_reports", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sales_reports_import_id_imports"), type_="foreignkey"
        )
        batch_op.drop_column("imported_by")
        batch_op.drop_column("import_id")
    op.drop_table("distribution_run_reports")
