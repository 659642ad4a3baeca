"""The portal on a copy of the demo's register, with the users of ``portal_setup``.

The register with its users is built once per session (a SQLite file, a PostgreSQL template
database); each test gets a copy of its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from portal_setup import Portal, add_users, demo_register

from patentpool.storage.engine import dispose_all, make_engine
from patentpool.storage.migrate import upgrade


@pytest.fixture(scope="session")
def portal_template(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo register with the portal's users, as a SQLite file; copy it before use."""
    path = tmp_path_factory.mktemp("portal") / "portal.db"
    shutil.copy(demo_database, path)
    url = f"sqlite:///{path}"
    upgrade(url)
    add_users(url)
    make_engine(url).dispose()
    return path


@pytest.fixture
def portal(portal_template: Path, tmp_path: Path) -> Iterator[Portal]:
    """The portal on a SQLite copy of the demo register."""
    path = tmp_path / "portal.db"
    shutil.copy(portal_template, path)
    yield Portal(f"sqlite:///{path}", tmp_path)
    dispose_all()


@pytest.fixture(scope="session")
def pg_portal_template(pg_server: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo register with the portal's users in a PostgreSQL database nobody is connected
    to: the template of ``pg_portal``'s databases."""
    url: str = pg_server.create_database("portal_template")
    demo_register(url, tmp_path_factory.mktemp("pg-portal"))
    add_users(url)
    make_engine(url).dispose()
    return url


@pytest.fixture
def pg_portal(pg_server: Any, pg_portal_template: str, tmp_path: Path) -> Iterator[Portal]:
    """The portal on the demo register in a PostgreSQL database of its own."""
    url = pg_server.create_database("portal", template=pg_portal_template)
    yield Portal(url, tmp_path)
    dispose_all()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_portal(request: pytest.FixtureRequest) -> Portal:
    """The portal on SQLite and on PostgreSQL."""
    found: Portal = request.getfixturevalue("portal" if request.param == "sqlite" else "pg_portal")
    return found
