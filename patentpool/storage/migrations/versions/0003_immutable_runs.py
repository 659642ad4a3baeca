"""distribution runs cannot be changed or deleted once made

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "distribution runs are immutable once made"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION patentpool_runs_immutable() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER distribution_runs_no_{event.lower()} BEFORE {event} "
                "ON distribution_runs FOR EACH ROW EXECUTE FUNCTION patentpool_runs_immutable()"
            )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER distribution_runs_no_{event.lower()} BEFORE {event} "
                f"ON distribution_runs BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade() -> None:
    for event in ("update", "delete"):
        op.execute(
            f"DROP TRIGGER distribution_runs_no_{event} ON distribution_runs"
            if op.get_bind().dialect.name == "postgresql"
            else f"DROP TRIGGER distribution_runs_no_{event}"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION patentpool_runs_immutable()")
