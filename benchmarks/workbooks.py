"""A large sales report imported as a CSV file and as a workbook, side by side in one run.

    python benchmarks/workbooks.py [--lines 1000000 250000] [--seed 1] [--keep DIR]

For each number of lines: the generator's S register and licensing (SYNTHETIC data, see
generate.py) with a sales report of that many lines, written once as CSV (the generator's
file) and once as an ``.xlsx`` workbook holding the same lines, numbers typed as numbers
(written straight as the sheet's XML). Each file is imported by ``patentpool import`` in a fresh
process into a fresh SQLite database that already holds the register; the figures are that
process's wall time and peak memory (``ru_maxrss`` from ``wait4``), the ratio workbook / CSV,
and the memory per line, so that a peak that grows with the file shows.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
PATENTPOOL = [sys.executable, "-m", "patentpool.cli"]


def _cli() -> list[str]:
    """The patentpool command of this Python."""
    exe = Path(sys.executable).with_name("patentpool")
    return [str(exe)] if exe.exists() else PATENTPOOL


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
        '"xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="Sales" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
        '"worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(value: str, number: bool) -> str:
    if number:
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def _workbook(csv_path: Path, out: Path) -> None:
    """The CSV file's lines as the Sales sheet of an .xlsx workbook, units and net sales as
    numbers. Written straight as the sheet's XML (openpyxl's writer takes minutes for a
    million rows; the file is the same kind of workbook Excel writes, with inline strings)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with (
            csv_path.open(newline="", encoding="utf-8") as fh,
            archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet,
        ):
            rows = csv.reader(fh)
            header = next(rows)
            numbers = {header.index("units"), header.index("net_sales")}
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = ["<row>" + "".join(_cell(c, False) for c in header) + "</row>"]
            for row in rows:
                chunk.append(
                    "<row>"
                    + "".join(_cell(c, i in numbers) if c else "<c/>" for i, c in enumerate(row))
                    + "</row>"
                )
                if len(chunk) >= 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk.clear()
            sheet.write("".join(chunk).encode() + b"</sheetData></worksheet>")


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def _database(folder: Path, data: Path, name: str) -> str:
    """A new database holding the register only: one left by an earlier run in a ``--keep``
    folder is removed first (it already holds the report, whose import would change
    nothing and measure nothing)."""
    path = folder / f"{name}.db"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    cli = [*_cli(), "--db", url]
    subprocess.run([*cli, "db", "upgrade"], check=True, stdout=subprocess.DEVNULL)
    register = [str(data / n) for n in ("alliance.yaml", "patents.csv", "licensing.yaml")]
    subprocess.run([*cli, "import", *register], check=True, stdout=subprocess.DEVNULL)
    return url


def measure(lines: int, seed: int, work: Path) -> list[tuple[str, int, float, float]]:
    data = work / f"data-{lines}"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--size", "S", "--seed", str(seed),
         "--out", str(data), "--sales-lines", str(lines)],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    sales = next(data.glob("sales-*.csv"))
    book = sales.with_suffix(".xlsx")
    started = time.perf_counter()
    _workbook(sales, book)
    took = time.perf_counter() - started
    sizes = f"{book.stat().st_size / 1e6:.0f} MB; CSV {sales.stat().st_size / 1e6:.0f} MB"
    print(f"  {lines:,} lines: workbook written in {took:.1f} s ({sizes})")
    out = []
    for kind, path in (("csv", sales), ("xlsx", book)):
        url = _database(work, data, f"{kind}-{lines}")
        wall, peak = _run([*_cli(), "--db", url, "import", str(path)])
        out.append((kind, lines, wall, peak))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 250_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        work = args.keep or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        results = [row for n in args.lines for row in measure(n, args.seed, work)]
    print(f"{'file':<6} {'lines':>10} {'wall s':>8} {'peak MB':>8} {'KB/line':>8} {'xlsx/csv':>9}")
    walls = {(kind, n): wall for kind, n, wall, _ in results}
    for kind, n, wall, peak in results:
        ratio = f"{wall / walls[('csv', n)]:.2f}" if kind == "xlsx" else ""
        print(f"{kind:<6} {n:>10,} {wall:>8.2f} {peak:>8.0f} {peak * 1024 / n:>8.2f} {ratio:>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
