"""declaration licensing: what an ETSI declaration says of licensing terms

A declaration keeps whether its owner is prepared to grant licences on FRAND terms and
whether only on condition of reciprocity (ETSI's LICD_DEC_PREP_TO_GRANT_FLAG and
LICD_REC_CONDI_FLAG); unknown (null) for declarations that do not say.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.add_column(sa.Column("frand", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("reciprocity", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("reciprocity")
        batch.drop_column("frand")
