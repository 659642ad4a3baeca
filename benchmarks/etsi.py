"""The ETSI export import at scale: a generated export in the real file's shape, imported into
a fresh SQLite register; prints rows read, time, rows per second and peak memory.

The export is SYNTHETIC: 40 columns in ETSI's order, ``;``-separated, every cell quoted,
UTF-8, one row per declaration x version x patent; invented companies (a tenth of the rows
are members'), specifications (a third of the rows are LTE's 36-series), publication cells
of one to three publications joined by `` | ``, some rows with an application number only.

    python benchmarks/etsi.py --rows 1000000            # generate and import, print figures
    python benchmarks/etsi.py --rows 1000000 --keep /tmp/isld.csv   # keep (or reuse) it
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from patentpool.io.etsi import COLUMNS  # noqa: E402

MEMBERS = [(f"member-{i:02d}", f"Member Number {i} Telecom Co., Ltd.") for i in range(20)]
OTHERS = [f"Other Radio Company {i} AB" for i in range(2000)]
SPECS = [f"36.{n}" for n in range(101, 460, 7)] + [f"38.{n}" for n in range(101, 460, 5)]
SPECS += [f"25.{n}" for n in range(101, 460, 3)]
COUNTRIES = ["EP European Patent Office", "US UNITED STATES", "CN CHINA", "WO Patent Cooperation Treaty"]  # noqa: E501


def generate(path: Path, rows: int, seed: int = 1) -> None:
    """Write a synthetic export of ``rows`` rows to ``path``."""
    rnd = random.Random(seed)
    lte = [s for s in SPECS if s.startswith("36.")]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.writerow(COLUMNS)
        for n in range(rows):
            member = rnd.random() < 0.1
            company = MEMBERS[rnd.randrange(20)][1] if member else rnd.choice(OTHERS)
            spec = rnd.choice(lte) if rnd.random() < 0.33 else rnd.choice(SPECS)
            country = rnd.choice(COUNTRIES)
            code = country[:2]
            serial = 3_000_000 + n // 2
            if code == "EP":
                publ = f"EP{serial} A1 | EP{serial} B1" if rnd.random() < 0.7 else f"EP{serial} A1"
            elif code == "US":
                publ = f"US2017{serial:07d} A1 | US10{serial:06d} B2"
            elif code == "CN":
                publ = f"CN10{serial:07d} A" if rnd.random() < 0.9 else ""
            else:
                publ = f"WO2017{serial:06d} A1"
            application = f"{code}2017{serial:08d}" if code == "CN" else f"{code}17{serial:06d}"
            year, month = rnd.randrange(2005, 2020), rnd.randrange(1, 13)
            day = f"{year}-{month:02d}-{rnd.randrange(1, 29):02d}"
            family = str(900_000 + n // 3) if rnd.random() < 0.9 else "-1"
            row = [
                str(40_000 + n // 50), f"ISLD-{n // 50:08d}", day, day, company, "1",
                "1", "0" if rnd.random() < 0.8 else "1", str(700_000 + n // 3), str(n // 3),
                "-1", "3GPP", "1", "TS", f"TS 1{spec[:2]} {spec[3:]}", "-1", "15.0.0", "TS",
                spec, "15.3.0", "Basis Patent" if n % 3 == 0 else "Family Member", application,
                publ, f"Synthetic method and apparatus number {n} for wireless communication",
                f"CN2016{n:08d}|US62{n:06d}", country, day, "1", "LTE", "1",
                f"{rnd.randrange(4, 11)}.{rnd.randrange(1, 9)}.{rnd.randrange(1, 9)},5.3.2",
                family, application, publ.split(" | ")[0], "1", "", "0", "0", "1", "0",
            ]  # fmt: skip
            out.writerow(row)


def _register(folder: Path) -> str:
    """A fresh SQLite register with the members and the LTE standard."""
    import yaml

    from patentpool.services.imports import import_files
    from patentpool.storage.migrate import upgrade

    url = f"sqlite:///{folder / 'bench.db'}"
    upgrade(url)
    alliance = {
        "alliance": {"id": "bench", "name": "Benchmark alliance (synthetic)", "illustrative": True},
        "members": [{"id": i, "name": name} for i, name in MEMBERS],
        "standards": [{"id": "LTE", "name": "LTE", "versions": [{"id": "15"}]}],
    }
    (folder / "alliance.yaml").write_text(yaml.safe_dump(alliance), encoding="utf-8")
    import_files(url, [folder / "alliance.yaml"])
    return url


def _child(url: str, export: Path) -> None:
    """The import alone, in this process: prints its figures as JSON."""
    from patentpool.services.etsi import import_etsi

    start, cpu = time.perf_counter(), time.process_time()
    summary = import_etsi(url, export, "LTE", "15", ["36.*"])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "rows_read": summary.rows_read,
        "kept": summary.kept,
        "added": {f"{e} {a}": n for (e, a), n in summary.changes.items()},
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "rows_per_second": round(summary.rows_read / seconds),
        "rows_per_cpu_second": round(summary.rows_read / cpu),
        "load_average": [round(x, 1) for x in os.getloadavg()],
        "peak_mb": round(peak_mb),
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--keep", type=Path, help="write the export here and keep it (an existing file is used)"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = args.keep or folder / "isld.csv"
        start = time.perf_counter()
        if not export.exists():
            generate(export, args.rows)
        size = export.stat().st_size
        print(f"export of {size / 1e6:,.0f} MB, made in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        url = _register(folder)
        done = subprocess.run(
            [sys.executable, __file__, "--child", url, str(export)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
