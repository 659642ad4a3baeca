"""Run the Alembic migrations shipped inside the package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from patentpool.storage.engine import make_engine, schema_revision

SCRIPT_LOCATION = "patentpool.storage:migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Upgrade the database to ``revision``; returns (revision before, revision after)."""
    engine = make_engine(url, create=True)
    before = schema_revision(engine)
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, schema_revision(engine)
