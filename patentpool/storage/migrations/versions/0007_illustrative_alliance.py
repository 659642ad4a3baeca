"""illustrative alliance: a sample register with invented figures says so

The alliance keeps whether its register is illustrative (the shipped samples are), so that
every report made from it says on every page that the figures are invented. Existing
registers are not illustrative.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alliance") as batch:
        batch.add_column(
            sa.Column("illustrative", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("alliance") as batch:
        batch.drop_column("illustrative")
