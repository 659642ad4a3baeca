"""A quarter priced in several processes: the royalties of one process, or none at all.

Each scenario runs in a new interpreter (apart_scenarios.py): this process has threads of its
own (a browser's event loop), and a process with other threads never forks.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import benchmark
from pgserver import PostgresServer

from patentpool.core.royalties import RoyaltyResult
from patentpool.services import priced_apart
from patentpool.services.imports import import_paths
from patentpool.services.priced_apart import pricing_processes
from patentpool.storage.engine import dispose_all, session_for

SCENARIOS = Path(__file__).with_name("apart_scenarios.py")

gen = benchmark("generate")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic size S, seed 5, 3,000 sales lines of many licensee groups."""
    out = tmp_path_factory.mktemp("apart") / "s"
    gen.generate(gen.SIZES["S"], 5, out, 3_000)
    return out


def _register(url: str, folder: Path) -> None:
    with session_for(url, lock="import") as session:
        import_paths(
            session, [folder / n for n in ("alliance.yaml", "patents.csv", "licensing.yaml")]
        )


@pytest.fixture
def quarter(db_url: str, folder: Path) -> str:
    _register(db_url, folder)
    with session_for(db_url, lock="import") as session:
        import_paths(session, [folder / "sales-2026Q1.csv", folder / "payments.csv"])
    dispose_all()  # no connection of this process is left open while another one writes
    return db_url


def scenario(url: str, name: str) -> Any:
    """What the scenario ``name`` of apart_scenarios.py gives, run in a new interpreter."""
    done = subprocess.run(
        [sys.executable, str(SCENARIOS), url, name], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return pickle.loads(done.stdout)


def test_the_quarter_priced_apart_is_the_quarter_priced_in_one_process(quarter: str) -> None:
    one: RoyaltyResult = scenario(quarter, "one")
    assert len(one.licensees) > 10
    assert one.total_due > 0
    for name in ("apart-2", "apart-3"):
        apart = scenario(quarter, name)
        assert apart is not None, "priced apart, not handed back"
        assert apart == one
        assert apart.by_country == one.by_country
        assert [str(v) for v in apart.royalties_by_country().values()] == [
            str(v) for v in one.royalties_by_country().values()
        ]
    assert scenario(quarter, "priced-2") == one


def test_a_distribution_prices_a_quarter_not_kept_yet_apart_to_the_same_run(
    quarter: str,
) -> None:
    apart, checksum, result = scenario(quarter, "distributed-2")
    alone, checksum_alone, result_alone = scenario(quarter, "distributed-1")
    assert apart
    assert not alone
    assert checksum == checksum_alone
    made = ("run_id", "created_at")  # each run's own
    assert {k: v for k, v in result.items() if k not in made} == {
        k: v for k, v in result_alone.items() if k not in made
    }


def test_not_apart_when_the_transaction_has_written(quarter: str) -> None:
    shared, apart, priced = scenario(quarter, "after-writing")
    assert not shared
    assert apart is None
    assert priced == scenario(quarter, "one")  # priced in that process instead, and right


def test_not_apart_on_sqlite_without_the_write_lock(quarter: str, backend: str) -> None:
    # a server's snapshot is shared whatever the lock; SQLite needs the lock to hold still
    apart = scenario(quarter, "apart-without-lock")
    if backend == "sqlite":
        assert apart is None
    else:
        assert apart == scenario(quarter, "one")


def test_not_apart_while_another_thread_runs(quarter: str) -> None:
    assert scenario(quarter, "beside-a-thread") is None


def test_not_apart_in_one_process(quarter: str) -> None:
    assert scenario(quarter, "apart-in-one") is None


def test_a_process_that_cannot_be_forked_leaves_the_quarter_here(quarter: str) -> None:
    apart, priced = scenario(quarter, "fork-refused")
    assert apart is None
    assert priced == scenario(quarter, "one")


def test_a_share_that_fails_is_priced_again_here(quarter: str) -> None:
    apart, priced = scenario(quarter, "share-failing")
    assert apart is None
    assert priced == scenario(quarter, "one")


@pytest.mark.parametrize("where", ["first", "last"])
def test_a_line_that_cannot_be_priced_stops_the_quarter_where_one_process_stops(
    quarter: str, where: str
) -> None:
    from sqlalchemy import text

    with session_for(quarter, lock="import") as session:
        lids = [
            r[0]
            for r in session.execute(
                text("SELECT DISTINCT licensee_id FROM sales_reports ORDER BY licensee_id")
            )
        ]
        lid = lids[0] if where == "first" else lids[-1]  # the first share's, or the last's
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
    dispose_all()
    one = scenario(quarter, "refused-1")
    assert "zither" in one
    assert scenario(quarter, "refused-2") == one


@pytest.mark.postgres
def test_a_forked_process_reads_the_snapshot_not_what_was_committed_since(
    pg_server: PostgresServer, pg_template: str, folder: Path
) -> None:
    url = pg_server.create_database("t", template=pg_template)
    _register(url, folder)
    dispose_all()
    before, seen, after = scenario(url, "snapshot")
    assert before == seen == 0
    assert after > 0


def test_the_processes_come_from_the_machine_or_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PATENTPOOL_PRICING_PROCESSES", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    assert pricing_processes() == priced_apart.MOST_PROCESSES
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3, 5}, raising=False)
    assert pricing_processes() == 2  # the cores it may run on, not the machine's
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)  # a system without it
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert pricing_processes() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert pricing_processes() == 1
    for raw, expected in (("1", 1), ("3", 3), (" 2 ", 2), ("0", 1), ("two", 1), ("-2", 1)):
        monkeypatch.setenv("PATENTPOOL_PRICING_PROCESSES", raw)
        assert pricing_processes() == expected
