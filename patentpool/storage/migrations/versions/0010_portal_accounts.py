"""portal accounts: users, server-side sessions, API tokens, the login log and portal events

Passwords are argon2id hashes; sessions and tokens are kept as the SHA-256 of the secret the
browser or client holds, so a copy of the database opens no account.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "portal_users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("member_id", sa.String(64)),
        sa.Column("licensee_id", sa.String(64)),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_portal_users"),
        sa.UniqueConstraint("name", name="uq_portal_users_name"),
    )
    op.create_table(
        "portal_sessions",
        sa.Column("id_sha256", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id_sha256", name="pk_portal_sessions"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["portal_users.id"],
            name="fk_portal_sessions_user_id_portal_users",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "portal_tokens",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN),
        sa.Column("revoked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("id", name="pk_portal_tokens"),
        sa.UniqueConstraint("token_sha256", name="uq_portal_tokens_token_sha256"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["portal_users.id"],
            name="fk_portal_tokens_user_id_portal_users",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "portal_logins",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_portal_logins"),
    )
    op.create_index("ix_portal_logins_at", "portal_logins", ["at"])
    op.create_table(
        "portal_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_portal_events"),
    )


def downgrade() -> None:
    op.drop_table("portal_events")
    op.drop_index("ix_portal_logins_at", table_name="portal_logins")
    op.drop_table("portal_logins")
    op.drop_table("portal_tokens")
    op.drop_table("portal_sessions")
    op.drop_table("portal_users")
