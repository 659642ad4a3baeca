"""benchmarks/ratios.py on a tiny S quarter: the floor, the import, the read and the quarter."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT, benchmark
from pgserver import PostgresServer

RATIOS = ROOT / "benchmarks" / "ratios.py"



def test_the_floor_inserts_every_row_as_written(tmp_path: Path) -> None:
    source = tmp_path / "sales.csv"
    source.write_text('a,b\n1,"x, y"\n2,\n', encoding="utf-8")
    conn = sqlite3.connect(tmp_path / "floor.db")
    assert benchmark("ratios").insert_raw(source, conn, "t0") == 2
    assert conn.execute("SELECT * FROM t0").fetchall() == [("1", "x, y"), ("2", "")]


def test_ratios_runs_each_measure_and_summarises_the_runs(tmp_path: Path) -> None:
    out = tmp_path / "ratios.json"
    done = subprocess.run(
        [sys.executable, str(RATIOS), "--size", "S", "--sales-lines", "300", "--runs", "2",
         "--data", str(tmp_path / "data"), "--json", str(out), "--quiet"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    printed = done.stdout.splitlines()
    assert printed[0] == "size S, seed 1, SQLite, 2 run(s)"
    assert printed[1].split() == ["run", "1", "run", "2", "median", "range"]
    labels = [line[:44].strip() for line in printed[2:]]
    assert labels == [
        "floor: csv + executemany, all CSV files", "floor: the sales file alone",
        "import (register + sales) [SQLite]", "import-sales [SQLite]",
        "read: SELECT * FROM sales_lines [SQLite]", "quarter: royalties + distribute [SQLite]",
        "import / floor [SQLite]", "import-sales / its floor [SQLite]", "quarter / read [SQLite]",
    ]  # fmt: skip
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert len(figures["runs"]) == 2
    for run in figures["runs"]:
        db = run["databases"]["SQLite"]
        assert db["lines"] == 300  # the read fetched every sales line
        assert list(db["steps"]) == [
            "import-register", "import-sales", "royalties", "distribute-per-patent-country",
        ]  # fmt: skip
        assert db["import_ratio"] == db["import_s"] / run["floor_s"]
        assert db["quarter_ratio"] == db["quarter_s"] / db["read_s"]
        assert all(value > 0 for value in db["steps"].values())
    ratio = figures["summary"]["quarter / read [SQLite]"]
    assert ratio["min"] <= ratio["median"] <= ratio["max"]
    assert "postgresql_ratio" not in figures["runs"][0]


@pytest.mark.postgres
def test_ratios_also_measure_postgresql_against_sqlite(
    pg_server: PostgresServer, tmp_path: Path
) -> None:
    url = pg_server.create_database("ratios")
    done = subprocess.run(
        [sys.executable, str(RATIOS), "--size", "S", "--sales-lines", "300", "--db", url,
         "--data", str(tmp_path / "data"), "--json", str(tmp_path / "r.json"), "--quiet"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert printed[0] == "size S, seed 1, SQLite and PostgreSQL, 1 run(s)"
    assert "quarter / read [PostgreSQL]" in done.stdout
    assert printed[-1].startswith("quarter PostgreSQL / SQLite")
    (run,) = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["runs"]
    assert run["databases"]["PostgreSQL"]["lines"] == 300
    assert run["postgresql_ratio"] == (
        run["databases"]["PostgreSQL"]["quarter_s"] / run["databases"]["SQLite"]["quarter_s"]
    )
