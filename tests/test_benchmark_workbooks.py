"""benchmarks/workbooks.py on a few hundred lines: each file imported into a fresh database."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from paths import ROOT

WORKBOOKS = ROOT / "benchmarks" / "workbooks.py"


def _stored(db: Path) -> tuple[int, list[str]]:
    """(sales lines, when each import was made) of the database."""
    with sqlite3.connect(db) as conn:
        lines = conn.execute("SELECT count(*) FROM sales_lines").fetchone()[0]
        made = [at for (at,) in conn.execute("SELECT at FROM imports ORDER BY id")]
    return lines, made


def test_each_run_imports_both_files_into_fresh_databases(tmp_path: Path) -> None:
    args = [sys.executable, str(WORKBOOKS), "--lines", "300", "--keep", str(tmp_path)]
    seen: list[str] = []
    for _ in range(2):  # the second run in the kept folder measures the imports again
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        rows = [line.split() for line in done.stdout.splitlines() if line[:4] in ("csv ", "xlsx")]
        assert [(r[0], r[1]) for r in rows] == [("csv", "300"), ("xlsx", "300")]
        assert float(rows[1][-1]) > 0  # the workbook over the CSV time
        for kind in ("csv", "xlsx"):
            lines, made = _stored(tmp_path / f"{kind}-300.db")
            # every line stored; the register's import and the report's, both of this run
            assert lines == 300
            assert len(made) == 2
            assert not set(made) & set(seen)
            seen.extend(made)
