"""A quarter priced in several processes: the royalties of one process, or none at all."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest
from paths import benchmark
from pgserver import PostgresServer
from sqlalchemy import text
from sqlalchemy.orm import Session

from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult
from patentpool.errors import InvalidInput
from patentpool.services import priced_apart
from patentpool.services.imports import import_paths
from patentpool.services.priced_apart import Priced, pricing_processes, summarize_apart
from patentpool.services.royalties import program_context, royalties
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.shared_view import opened, shared_view

PROGRAM, PERIOD = "sbs-pool", Period.parse("2026Q1")
LOCK = f"distribute:{PROGRAM}:{PERIOD}"

gen = benchmark("generate")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic size S, seed 5, 3,000 sales lines of many licensee groups."""
    out = tmp_path_factory.mktemp("apart") / "s"
    gen.generate(gen.SIZES["S"], 5, out, 3_000)
    return out


@pytest.fixture
def quarter(db_url: str, folder: Path) -> str:
    with session_for(db_url, lock="import") as session:
        import_paths(
            session, [folder / n for n in ("alliance.yaml", "patents.csv", "licensing.yaml")]
        )
    with session_for(db_url, lock="import") as session:
        import_paths(session, [folder / "sales-2026Q1.csv", folder / "payments.csv"])
    return db_url


def _priced(url: str, processes: int) -> RoyaltyResult:
    with session_for(url, lock=LOCK) as session:
        return royalties(session, PROGRAM, PERIOD, detail=False, processes=processes)


def _context(session: Session) -> Priced:
    ctx = program_context(session, PROGRAM)
    return Priced(ctx.program, ctx.register, ctx.licensees, ctx.counted)


def _apart(url: str, processes: int = 2, lock: str | None = LOCK) -> RoyaltyResult | None:
    with session_for(url, lock=lock) as session:
        return summarize_apart(session, _context(session), PERIOD, processes)


def test_the_quarter_priced_apart_is_the_quarter_priced_in_one_process(quarter: str) -> None:
    one = _priced(quarter, 1)
    assert len(one.licensees) > 10
    assert one.total_due > 0
    for processes in (2, 3):
        apart = _apart(quarter, processes)
        assert apart is not None, "priced apart, not handed back"
        assert apart == one
        assert apart.by_country == one.by_country
        assert [str(v) for v in apart.royalties_by_country().values()] == [
            str(v) for v in one.royalties_by_country().values()
        ]
        assert _priced(quarter, processes) == one


def test_not_apart_when_the_transaction_has_written(quarter: str) -> None:
    one = _priced(quarter, 1)
    with session_for(quarter, lock=LOCK) as session:
        ctx = _context(session)
        session.execute(text("UPDATE licensees SET name = name"))  # a change, if no difference
        assert shared_view(session) is None
        assert summarize_apart(session, ctx, PERIOD, 2) is None
        # priced in this process instead, and still right
        assert royalties(session, PROGRAM, PERIOD, detail=False, processes=2) == one


def test_not_apart_on_sqlite_without_the_write_lock(quarter: str, backend: str) -> None:
    found = _apart(quarter, lock=None)
    # a server's snapshot is shared whatever the lock; SQLite needs the lock to hold still
    assert (found is None) == (backend == "sqlite")


def test_not_apart_while_another_thread_runs(quarter: str) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _apart(quarter) is None
    finally:
        release.set()
        other.join()


def test_not_apart_in_one_process(quarter: str) -> None:
    assert _apart(quarter, processes=1) is None


def test_a_share_that_fails_is_priced_again_here(
    quarter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(view: object) -> object:
        raise RuntimeError("the other process cannot read")

    monkeypatch.setattr(priced_apart, "opened", broken)  # in the forked processes too
    assert _apart(quarter) is None
    assert _priced(quarter, 2) == _priced(quarter, 1)


def test_a_process_that_cannot_be_forked_leaves_the_quarter_here(
    quarter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _priced(quarter, 1)

    def refused() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    assert _apart(quarter, processes=3) is None
    assert _priced(quarter, 3) == one


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_line_that_cannot_be_priced_stops_the_quarter_where_one_process_stops(
    quarter: str, where: str
) -> None:
    with session_for(quarter, lock="import") as session:
        lids = [
            r[0]
            for r in session.execute(
                text("SELECT DISTINCT licensee_id FROM sales_reports ORDER BY licensee_id")
            )
        ]
        lid = lids[0] if where == "first" else lids[-1]
        report = session.execute(
            text("SELECT min(id) FROM sales_reports WHERE licensee_id = :l"), {"l": lid}
        ).scalar()
        session.execute(
            text(
                "UPDATE sales_lines SET category = 'zither' WHERE id = "
                "(SELECT min(id) FROM sales_lines WHERE report_id = :r)"
            ),
            {"r": report},
        )
    messages = []
    for processes in (1, 2):
        with pytest.raises(InvalidInput) as raised:
            _priced(quarter, processes)
        messages.append(str(raised.value))
    assert "zither" in messages[0]
    assert messages[1] == messages[0]


@pytest.mark.postgres
def test_a_forked_process_reads_the_snapshot_not_what_was_committed_since(
    pg_server: PostgresServer, pg_template: str, folder: Path
) -> None:
    url = pg_server.create_database("t", template=pg_template)
    with session_for(url, lock="import") as session:
        import_paths(session, [folder / "alliance.yaml", folder / "patents.csv"])
    count = text("SELECT count(*) FROM patents WHERE title = 'renamed'")
    with session_for(url) as session:
        assert session.execute(count).scalar() == 0
        view = shared_view(session)
        assert view is not None
        assert view.snapshot
        with session_for(url) as other:  # committed once the snapshot was taken
            other.execute(text("UPDATE patents SET title = 'renamed'"))
        reads, writes = os.pipe()
        pid = os.fork()
        if pid == 0:  # the forked process
            try:
                with opened(view) as forked:
                    os.write(writes, pickle.dumps(forked.execute(count).scalar()))
            finally:
                os._exit(0)
        os.close(writes)
        with os.fdopen(reads, "rb") as pipe:
            seen = pickle.loads(pipe.read())
        os.waitpid(pid, 0)
    assert seen == 0
    with session_for(url) as session:
        assert session.execute(count).scalar() > 0
    dispose_all()


def test_the_processes_come_from_the_machine_or_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    monkeypatch.delenv("PATENTPOOL_PRICING_PROCESSES", raising=False)
    assert pricing_processes() == priced_apart.MOST_PROCESSES
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert pricing_processes() == 1
    for raw, expected in (("1", 1), ("3", 3), (" 2 ", 2), ("0", 1), ("two", 1), ("-2", 1)):
        monkeypatch.setenv("PATENTPOOL_PRICING_PROCESSES", raw)
        assert pricing_processes() == expected
