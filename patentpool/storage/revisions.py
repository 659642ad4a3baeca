"""Where the Alembic migrations shipped inside the package are, and the newest revision.

Apart from :mod:`patentpool.storage.migrate` (which runs them on an engine), so that the
schema check of :mod:`patentpool.storage.engine` can name the revision it needs without an
import cycle.
"""

from __future__ import annotations

import functools

from alembic.config import Config
from alembic.script import ScriptDirectory

SCRIPT_LOCATION = "patentpool.storage:migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        cfg.attributes["url"] = url
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest revision of the migrations shipped with this code: read from their
    scripts once per process (they do not change under it), since every session's schema
    check asks for it (loading the scripts took most of a cheap request's time)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head
