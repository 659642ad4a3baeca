"""Faults and concurrency lose nothing: killed imports, imports and distributions at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from licensing_files import LICENSING, PAYMENTS
from register_files import write, write_register
from sqlalchemy import text

from patentpool.core.periods import Period
from patentpool.services.imports import import_paths
from patentpool.services.licensing import licensing_state
from patentpool.storage import licensing_repo
from patentpool.storage.engine import make_engine, session_for
from patentpool.storage.repository import load_register

SALES_HEADER = "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"


def cli(url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PATENTPOOL_DEBUG": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "patentpool", "--db", url, *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def snapshot(url: str) -> tuple[object, ...]:
    with session_for(url) as session:
        state = licensing_state(session)
        lines = licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
        return (load_register(session), dict(state.licensees), sorted(state.programs),
                dict(state.reports), state.payments, len(lines))


def big_sales(folder: Path, lines: int) -> Path:
    path = folder / "sales-big.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(SALES_HEADER)
        row = "acme,2025Q4,US,CN,tv,{},\n"
        fh.writelines(row.format(i % 97 + 1) for i in range(lines))
    return path


@pytest.fixture
def pool(db_url: str, tmp_path: Path) -> str:
    folder = write_register(tmp_path)
    write(folder, "licensing.yaml", LICENSING)
    with session_for(db_url) as session:
        import_paths(session, [folder / "alliance.yaml", folder / "patents.csv", folder / "licensing.yaml"])
    return db_url


def in_transaction(url: str, db_file: Path | None) -> bool:
    """Has the import process begun writing (journal file / advisory lock held)?"""
    if db_file is not None:
        return Path(f"{db_file}-journal").exists() or Path(f"{db_file}-wal").exists()
    with make_engine(url).connect() as conn:
        held = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"))
        return bool(held.scalar_one())


def test_import_killed_halfway_leaves_the_register_as_before(pool: str, tmp_path: Path) -> None:
    sales_dir = tmp_path / "sales"
    sales_dir.mkdir()
    lines = 400_000
    big_sales(sales_dir, lines)
    before = snapshot(pool)
    db_file = Path(pool.removeprefix("sqlite:///")) if pool.startswith("sqlite") else None
    process = cli(pool, "import", str(sales_dir))
    deadline = time.monotonic() + 60
    while not in_transaction(pool, db_file):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never began writing"
        time.sleep(0.01)
    # On PostgreSQL the lock is taken before the file is read: wait until well inside. On
    # SQLite the journal appears only once the checked lines are copied into the register,
    # which takes a fraction of a second: kill at once.
    time.sleep(0.3 if db_file is None else 0.0)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert snapshot(pool) == before
    done = cli(pool, "import", str(sales_dir))
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert snapshot(pool)[-1] == lines


def test_two_imports_at_once_are_both_applied_once(pool: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    big_sales(a, 20_000)
    write(b, "sales.csv", SALES_HEADER + "beta,2025Q4,DE,DE,phone,10,1000.00\n")
    write(b, "payments.csv", PAYMENTS.replace("acme", "beta").replace("675.00", "5.00"))
    runs = [cli(pool, "import", str(a)), cli(pool, "import", str(b)), cli(pool, "import", str(a))]
    results = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0, 0], results
    with session_for(pool) as session:
        lines = licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
        reports = licensing_repo.report_checksums(session, "demo-v1", [Period.parse("2025Q4")])
    assert len(lines) == 20_001
    assert [(r["licensee"], r["revision"], r["lines"]) for r in reports] == [("acme", 1, 20_000), ("beta", 1, 1)]


def test_two_distributions_at_once_store_one_run(pool: str, tmp_path: Path) -> None:
    write(tmp_path, "sales.csv", SALES_HEADER + "acme,2025Q4,US,CN,tv,1000,\n")
    assert cli(pool, "import", str(tmp_path / "sales.csv")).wait(timeout=60) == 0
    args = ("distribute", "--program", "demo-v1", "--period", "2025Q4", "--basis", "due", "--format", "json")
    runs = [cli(pool, *args) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0, 0], outputs
    documents = [json.loads(out) for out, _ in outputs]
    assert {d["run_id"] for d in documents} == {documents[0]["run_id"]}
    assert outputs[0][0] == outputs[1][0] == outputs[2][0]
    with make_engine(pool).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM distribution_runs")).scalar_one() == 1
