"""Patent events stored and read back, on SQLite and PostgreSQL, and carried by backups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pgserver import PostgresServer
from register_files import write, write_register

from patentpool.cli import cli
from patentpool.core.model import Essentiality, EventKind, PatentEvent
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.repository import load_register

EVENTS = """\
publication_number,date,event,country,owner,standard,version,essentiality,evaluator,expiry,note
EP1000002B1,2026-02-01,lapsed,DE,,,,,,,annuity unpaid
EP1000002B1,2026-03-31,assigned,,TCL Corporation,,,,,,portfolio sale
EP1000002B1,2026-01-15,evaluated,,,IGRS,1.0,not_essential,Evalco,,
CN101000001B,2026-05-01,assigned,,,,,,,,sold outside the pool
CN101000001B,2026-06-30,expiry_changed,,,,,,,2027-01-10,term extension
"""


def _import(url: str, *paths: Path) -> None:
    with session_for(url) as session:
        import_paths(session, list(paths))


def _events(url: str) -> tuple[PatentEvent, ...]:
    with session_for(url) as session:
        return load_register(session).events


def test_events_are_stored_and_read_back(db_url: str, tmp_path: Path) -> None:
    _import(db_url, write_register(tmp_path), write(tmp_path, "events.csv", EVENTS))
    today = dt.datetime.now(dt.UTC).date()
    assert _events(db_url) == (
        PatentEvent(
            "CN101000001",
            dt.date(2026, 5, 1),
            EventKind.ASSIGNED,
            note="sold outside the pool",
            recorded=today,
        ),
        PatentEvent(
            "CN101000001",
            dt.date(2026, 6, 30),
            EventKind.EXPIRY_CHANGED,
            expiry=dt.date(2027, 1, 10),
            note="term extension",
            recorded=today,
        ),
        PatentEvent(
            "EP1000002",
            dt.date(2026, 3, 31),
            EventKind.ASSIGNED,
            owner="tcl",
            note="portfolio sale",
            recorded=today,
        ),
        PatentEvent(
            "EP1000002",
            dt.date(2026, 1, 15),
            EventKind.EVALUATED,
            standard="IGRS",
            version="1.0",
            essentiality=Essentiality.NOT_ESSENTIAL,
            evaluator="Evalco",
            recorded=today,
        ),
        PatentEvent(
            "EP1000002",
            dt.date(2026, 2, 1),
            EventKind.LAPSED,
            country="DE",
            note="annuity unpaid",
            recorded=today,
        ),
    )


def test_an_event_imported_again_changes_nothing_and_a_changed_one_replaces_it(
    db_url: str, tmp_path: Path
) -> None:
    events = write(tmp_path, "events.csv", EVENTS)
    _import(db_url, write_register(tmp_path), events)
    before = _events(db_url)
    _import(db_url, events)
    assert _events(db_url) == before
    changed = EVENTS.replace("TCL Corporation", "Lenovo")
    _import(db_url, write(tmp_path, "events.csv", changed))
    owners = [e.owner for e in _events(db_url) if e.kind is EventKind.ASSIGNED]
    assert owners == [None, "lenovo"]
    assert len(_events(db_url)) == len(before)


@pytest.fixture
def second_url(empty_db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if empty_db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        yield server.create_database("restored")
    dispose_all()


def test_a_backup_carries_the_events(db_url: str, second_url: str, tmp_path: Path) -> None:
    _import(db_url, write_register(tmp_path), write(tmp_path, "events.csv", EVENTS))
    runner = CliRunner()
    backup = tmp_path / "backup"
    assert runner.invoke(cli, ["--db", db_url, "export", str(backup)]).exit_code == 0
    assert (backup / "patent_events.jsonl").read_text(encoding="utf-8").count("\n") == 5
    result = runner.invoke(cli, ["--db", second_url, "restore", str(backup)])
    assert result.exit_code == 0, result.stderr
    assert _events(second_url) == _events(db_url)


def test_the_register_export_carries_the_events_and_imports_back(
    sqlite_url: str, tmp_path: Path
) -> None:
    _import(sqlite_url, write_register(tmp_path), write(tmp_path, "events.csv", EVENTS))
    runner = CliRunner()
    out = tmp_path / "exported"
    result = runner.invoke(cli, ["--db", sqlite_url, "export", "--register-only", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "events.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "publication_number,date,event,country,owner,standard,version,essentiality,evaluator,"
        "expiry,note"
    )
    again = f"sqlite:///{tmp_path / 'again.db'}"
    assert runner.invoke(cli, ["--db", again, "db", "upgrade"]).exit_code == 0
    _import(again, out)
    assert _events(again) == _events(sqlite_url)
