"""the register

Revision ID: 0001
Revises:
Create Date: 2026-11-27 23:01:41.549871
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    _parties_and_imports()
    _patents()
    _standards_and_declarations()


def _parties_and_imports() -> None:
    """The alliance, the imports and their changes, the members and the standards."""
    op.create_table(
        "alliance",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alliance")),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("joined", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_table(
        "standards",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standards")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_key", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f("fk_changes_import_id_imports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_entity_key"), ["entity_key"], unique=False)


def _patents() -> None:
    """The members' aliases and the patents."""
    op.create_table(
        "member_aliases",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_member_aliases_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("member_id", "alias", name=op.f("pk_member_aliases")),
    )
    op.create_table(
        "patents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("jurisdiction", sa.String(length=4), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=True),
        sa.Column("owner_id", sa.String(length=64), nullable=False),
        sa.Column("family", sa.String(length=64), nullable=True),
        sa.Column("filing_date", sa.Date(), nullable=False),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_patents_owner_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patents")),
        sa.UniqueConstraint("key", name=op.f("uq_patents_key")),
    )
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patents_family"), ["family"], unique=False)
        batch_op.create_index(batch_op.f("ix_patents_owner_id"), ["owner_id"], unique=False)


def _standards_and_declarations() -> None:
    """The standards' versions, the declarations, the validations and the sections."""
    op.create_table(
        "standard_versions",
        sa.Column("standard_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("supersedes", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["standards.id"],
            name=op.f("fk_standard_versions_standard_id_standards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("standard_id", "id", name=op.f("pk_standard_versions")),
    )
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.String(length=64), nullable=False),
        sa.Column("section", sa.String(length=200), nullable=True),
        sa.Column("essentiality", sa.String(length=16), nullable=False),
        sa.Column("evaluator", sa.String(length=300), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["patents.id"],
            name=op.f("fk_declarations_patent_id_patents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["standard_id", "version_id"],
            ["standard_versions.standard_id", "standard_versions.id"],
            name=op.f("fk_declarations_standard_id_standard_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
        sa.UniqueConstraint(
            "patent_id", "standard_id", "version_id", name=op.f("uq_declarations_patent_id")
        ),
    )
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_declarations_version", ["standard_id", "version_id"], unique=False
        )

    op.create_table(
        "patent_validations",
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["patents.id"],
            name=op.f("fk_patent_validations_patent_id_patents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patent_id", "country", name=op.f("pk_patent_validations")),
    )
    op.create_table(
        "version_sections",
        sa.Column("standard_id", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.String(length=64), nullable=False),
        sa.Column("section", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id", "version_id"],
            ["standard_versions.standard_id", "standard_versions.id"],
            name=op.f("fk_version_sections_standard_id_standard_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "standard_id", "version_id", "section", name=op.f("pk_version_sections")
        ),
    )


def downgrade() -> None:
    op.drop_table("version_sections")
    op.drop_table("patent_validations")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_index("ix_declarations_version")

    op.drop_table("declarations")
    op.drop_table("standard_versions")
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patents_owner_id"))
        batch_op.drop_index(batch_op.f("ix_patents_family"))

    op.drop_table("patents")
    op.drop_table("member_aliases")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_entity_key"))

    op.drop_table("changes")
    op.drop_table("standards")
    op.drop_table("members")
    op.drop_table("imports")
    op.drop_table("alliance")
