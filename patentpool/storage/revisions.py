"""Where the Alembic migrations shipped inside the package are, and the newest revision.

Apart from :mod:`patentpool.storage.migrate` (which runs them on an engine), so that the
schema check of :mod:`patentpool.storage.engine` can name the revision it needs without an
import cycle - and without importing Alembic: every command and every portal session checks
the schema, and importing Alembic and loading its scripts cost a command about half a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "patentpool.storage:migrations"
#: The newest revision of the migrations shipped with this code. A new migration sets it;
#: ``tests/storage/test_storage.py`` checks it against the scripts' own head.
HEAD_REVISION = "0013"


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


def head_revision() -> str:
    """The newest revision of the migrations shipped with this code."""
    return HEAD_REVISION


def scripts_head() -> str | None:
    """The head revision as the migration scripts tell it (loads every script)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
