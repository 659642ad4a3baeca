"""patent events: the register through time

A patent's dated events (assigned, lapsed, revoked, restored, evaluated, expiry_changed), each
true from its date and recorded on the day of its import. A changed expiry is kept here, apart
from the patent's own expiry date. Existing registers have no events: every answer stays as it
was.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patent_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("owner_id", sa.String(64), nullable=True),
        sa.Column("standard_id", sa.String(64), nullable=True),
        sa.Column("version_id", sa.String(64), nullable=True),
        sa.Column("essentiality", sa.String(16), nullable=True),
        sa.Column("evaluator", sa.String(300), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["patents.id"],
            name="fk_patent_events_patent_id_patents",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name="fk_patent_events_owner_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_patent_events"),
    )
    op.create_index("ix_patent_events_patent_id", "patent_events", ["patent_id"])


def downgrade() -> None:
    op.drop_index("ix_patent_events_patent_id", table_name="patent_events")
    op.drop_table("patent_events")
