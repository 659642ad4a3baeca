"""Run the Alembic migrations shipped inside the package."""

from __future__ import annotations

from alembic import command

from patentpool.storage.engine import forget_schema, make_engine, schema_revision
from patentpool.storage.revisions import SCRIPT_LOCATION, alembic_config, head_revision

__all__ = ["SCRIPT_LOCATION", "alembic_config", "head_revision", "upgrade"]


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade the database to ``revision``; returns (revision before, revision after)."""
    engine = make_engine(url, create=True)
    forget_schema(engine)
    before = schema_revision(engine)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, schema_revision(engine)
