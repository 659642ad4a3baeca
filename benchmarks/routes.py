"""What each route of the portal's load costs, one request at a time: ms of wall and CPU.

The data is SYNTHETIC (generate.py). Prepares a database as ``load.py`` does (the register of
a size and its quarter of sales, one user per role), builds the portal in this process (its
worker start - register read, latest quarter computed - is timed apart), signs one user of
each role in, then asks each of ``load.py``'s routes N times in a row, alone: a request's
wall time and the process's CPU time (user + system, every thread: the server's work and the
test client's, which is small) over it. The first request of a route is given apart (it
fills what the worker keeps); the median of the others is the steady cost.

    python benchmarks/routes.py --size M -n 20
    python benchmarks/routes.py --size M --db postgresql+psycopg://bench@localhost/bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling scripts
from siblings import sibling

HERE = Path(__file__).resolve().parent



def _cpu() -> float:
    return time.process_time()


def measure(url: str, setup: dict[str, object], count: int) -> list[tuple[str, ...]]:
    """(route, role, first ms, wall ms, cpu ms) of each route: the first request, then the
    median wall and CPU time of the ``count`` after it."""
    from fastapi.testclient import TestClient

    from patentpool.portal.app import create_app

    load = sibling("load")
    users = setup["users"]
    assert isinstance(users, dict)
    began, cpu = time.perf_counter(), _cpu()
    rows: list[tuple[str, ...]] = []
    with TestClient(create_app(url)) as client:
        start = time.perf_counter() - began, _cpu() - cpu
        rows.append(("worker start", "", "", f"{start[0] * 1000:.0f}", f"{start[1] * 1000:.0f}"))
        for name, (role, party) in users.items():
            page = client.get("/login").text
            csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            signed = client.post(
                "/login", data={"username": name, "password": load.PASSWORD, "csrf_token": csrf}
            )
            assert signed.status_code == 200, signed.text  # followed to the start page
            token = signed.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            for label, path in load._routes(role, party, setup["program"], setup["period"]):
                walls, cpus = [], []
                for _ in range(count + 1):
                    began, cpu = time.perf_counter(), _cpu()
                    if label.startswith("POST"):
                        answer = client.post(
                            path,
                            headers={"x-csrf-token": token},
                            files={"file": ("report.csv", load._report(str(party)), "text/csv")},
                        )
                    else:
                        answer = client.get(path)
                    walls.append((time.perf_counter() - began) * 1000)
                    cpus.append((_cpu() - cpu) * 1000)
                    if answer.status_code >= 400:
                        raise SystemExit(f"{label}: {answer.status_code} {answer.text[:200]}")
                wall, used = statistics.median(walls[1:]), statistics.median(cpus[1:])
                rows.append((f"`{label}`", role, f"{walls[0]:.0f}", f"{wall:.1f}", f"{used:.1f}"))
            client.cookies.clear()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="URL", help="database URL (default: a new SQLite file)")
    parser.add_argument("-n", type=int, default=20, help="requests of each route after the first")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="patentpool-routes-") as folder:
        url, setup = sibling("load").prepare(args.size, args.seed, args.db, Path(folder), 5)
        rows = measure(url, setup, args.n)
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{kind}, size {args.size}, one request at a time, median of {args.n} after the first")
    print("| route | role | first ms | wall ms | cpu ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
