"""patentpool's import and quarter against what the machine does at best, on SYNTHETIC data.

    python benchmarks/ratios.py --size S|M|L [--seed N] [--sales-lines N] [--data DIR]
                                [--db URL] [--runs N] [--json FILE] [--quiet]

Each run measures, side by side on the same generated files (``benchmarks/generate.py``) and a
fresh database:

- floor: the CSV files (patents, sales, payments) read with Python's ``csv`` module and their
  rows inserted as they are, text, into a new SQLite file with ``executemany``, in this process;
- import: ``patentpool import`` of the same files and the two YAML files (register, then sales);
- read: one ``SELECT * FROM sales_lines`` fetched whole through the driver, in this process;
- quarter: the quarter's compute, ``patentpool royalties`` and one
  ``patentpool distribute --policy per-patent-country``.

The imports and the quarter run as ``benchmarks/run.py`` runs its steps: each in a fresh
process, timed around its work, start-up and imports not counted. The ratios printed are
import / floor (and the sales file alone: import-sales / its floor) and quarter / read. With
``--db URL`` (a PostgreSQL database whose schema is dropped and created again: never point it
at a register you keep) every run also measures the import, the read and the quarter on that
database, and prints its quarter / the SQLite quarter. With ``--runs N``: N runs, then each
figure's median and range.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling scripts
from siblings import sibling

HERE = Path(__file__).resolve().parent
CSV_FILES = ("patents.csv", "sales-2026Q1.csv", "payments.csv")
SALES_FILE = "sales-2026Q1.csv"
IMPORTS = ("import-register", "import-sales")
QUARTER = ("royalties", "distribute-per-patent-country")



def insert_raw(path: Path, conn: sqlite3.Connection, table: str) -> int:
    """A CSV file's rows into ``table`` as they are read (text): the floor of an import."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        header = next(rows)
        columns = ", ".join(f'"{name}"' for name in header)
        conn.execute(f'CREATE TABLE "{table}" ({columns})')
        marks = ", ".join("?" for _ in header)
        conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
    count: int = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return count


def floor(data: Path, db: Path, names: Sequence[str]) -> float:
    """Seconds to read ``names`` with ``csv`` and insert their rows raw into a new SQLite db."""
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    try:
        for n, name in enumerate(names):
            insert_raw(data / name, conn, f"t{n}")
        conn.commit()
    finally:
        conn.close()
    return time.perf_counter() - started


def read_sales_lines(url: str) -> tuple[float, int]:
    """Seconds to fetch every sales line (``SELECT *``) through the database's driver."""
    from patentpool.storage.engine import make_engine

    engine = make_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            started = time.perf_counter()
            cursor.execute("SELECT * FROM sales_lines")
            rows = cursor.fetchall()
            took = time.perf_counter() - started
            cursor.close()
        finally:
            raw.close()
    finally:
        engine.dispose()
    return took, len(rows)


def one_database(run: ModuleType, url: str | None, data: Path, workdir: Path) -> dict[str, Any]:
    """The imports, the read and the quarter on one fresh database: seconds of each."""
    url = run.fresh_database(url, workdir)
    steps = {name: run.run_in_child(name, url, data, None) for name in IMPORTS}
    read_s, lines = read_sales_lines(url)
    steps.update({name: run.run_in_child(name, url, data, None) for name in QUARTER})
    return {
        "import_s": sum(steps[name]["wall_s"] for name in IMPORTS),
        "import_sales_s": steps["import-sales"]["wall_s"],
        "read_s": read_s,
        "lines": lines,
        "quarter_s": sum(steps[name]["wall_s"] for name in QUARTER),
        "steps": {name: step["wall_s"] for name, step in steps.items()},
    }


def one_run(run: ModuleType, data: Path, other: str | None) -> dict[str, Any]:
    """The floors and both databases' figures of one run, with their ratios."""
    with tempfile.TemporaryDirectory(prefix="patentpool-ratios-") as tmp:
        workdir = Path(tmp)
        figures: dict[str, Any] = {
            "floor_s": floor(data, workdir / "floor.db", CSV_FILES),
            "floor_sales_s": floor(data, workdir / "floor-sales.db", (SALES_FILE,)),
        }
        databases = {"SQLite": one_database(run, None, data, workdir)}
        if other is not None:
            databases["PostgreSQL"] = one_database(run, other, data, workdir)
    for db in databases.values():
        db["import_ratio"] = db["import_s"] / figures["floor_s"]
        db["import_sales_ratio"] = db["import_sales_s"] / figures["floor_sales_s"]
        db["quarter_ratio"] = db["quarter_s"] / db["read_s"]
    figures["databases"] = databases
    if other is not None:
        figures["postgresql_ratio"] = (
            databases["PostgreSQL"]["quarter_s"] / databases["SQLite"]["quarter_s"]
        )
    return figures


#: What is printed of each run, and summarised over the runs: (label, database, key, unit).
ROWS: tuple[tuple[str, str | None, str, str], ...] = (
    ("floor: csv + executemany, all CSV files", None, "floor_s", "s"),
    ("floor: the sales file alone", None, "floor_sales_s", "s"),
    ("import (register + sales)", "db", "import_s", "s"),
    ("import-sales", "db", "import_sales_s", "s"),
    ("read: SELECT * FROM sales_lines", "db", "read_s", "s"),
    ("quarter: royalties + distribute", "db", "quarter_s", "s"),
    ("import / floor", "db", "import_ratio", "x"),
    ("import-sales / its floor", "db", "import_sales_ratio", "x"),
    ("quarter / read", "db", "quarter_ratio", "x"),
    ("quarter PostgreSQL / SQLite", None, "postgresql_ratio", "x"),
)


def lines_of(runs: Sequence[dict[str, Any]]) -> list[tuple[str, list[float], str]]:
    """Every figure's label, its value in each run and its unit."""
    out = []
    for label, where, key, unit in ROWS:
        if where is None:
            if key in runs[0]:
                out.append((label, [r[key] for r in runs], unit))
            continue
        for name in runs[0]["databases"]:
            out.append((f"{label} [{name}]", [r["databases"][name][key] for r in runs], unit))
    return out


def report(runs: Sequence[dict[str, Any]]) -> str:
    """One column per run; with more than one run, the median and the range."""
    many = len(runs) > 1
    head = f"{'':<44}" + "".join(f"{f'run {n}':>10}" for n in range(1, len(runs) + 1))
    if many:
        head += f"{'median':>10}  range"
    text = [head.rstrip()]
    for label, values, unit in lines_of(runs):
        row = f"{label:<44}" + "".join(f"{v:>9.2f}{unit}" for v in values)
        if many:
            row += f"{statistics.median(values):>9.2f}{unit}  {min(values):.2f}-{max(values):.2f}"
        text.append(row)
    return "\n".join(text)


def summary(runs: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each figure's median, smallest and largest value over the runs."""
    return {
        label: {"median": statistics.median(values), "min": min(values), "max": max(values)}
        for label, values, _unit in lines_of(runs)
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sales-lines", type=int, default=None, help="override the size's")
    parser.add_argument("--data", type=Path, help="folder of the benchmark files")
    parser.add_argument(
        "--db", metavar="URL", help="also measure on this PostgreSQL database (reset first)"
    )
    parser.add_argument("--runs", type=int, default=1, help="how many runs (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs: at least 1")
    if args.db is not None and not args.db.startswith("postgresql"):
        parser.error("--db: a PostgreSQL URL (SQLite is always measured)")
    run = sibling("run")
    name = f"{args.size}-seed{args.seed}"
    if args.sales_lines is not None:
        name += f"-{args.sales_lines}"
    data = args.data or Path(tempfile.gettempdir()) / "patentpool-bench" / name
    run.ensure_data(args.size, args.seed, args.sales_lines, data)
    show = not args.quiet and sys.stderr.isatty()
    runs = []
    for n in range(1, args.runs + 1):
        if show:
            print(f"run {n} of {args.runs}...", file=sys.stderr, flush=True)
        runs.append(one_run(run, data, args.db))
    databases = " and ".join(runs[0]["databases"])
    print(f"size {args.size}, seed {args.seed}, {databases}, {len(runs)} run(s)")
    print(report(runs))
    if args.json is not None:
        document = {
            "size": args.size,
            "seed": args.seed,
            "sales_lines": args.sales_lines,
            "machine": run.machine(),
            "runs": runs,
            "summary": summary(runs),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
