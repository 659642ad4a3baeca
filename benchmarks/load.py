"""A bounded load on the portal: N concurrent signed-in sessions of mixed roles for D seconds.

The data is SYNTHETIC (generate.py). The register of a size (M by default) is imported into a
fresh database (a SQLite file in a temporary folder, or ``--db URL`` reset - never a register
you keep), one user per session is made, ``patentpool serve --workers W`` is started on
127.0.0.1, and every session signs in through the login form (all at once; the time that
takes is printed apart); then, for D seconds, each asks its role's pages and API routes in
turn (licensees also upload one small report of their own, the same each time). It prints
p50/p95/p99 latency and the errors of each route, and checks that every upload accepted is
stored once.

    python benchmarks/load.py --size M --workers 1
    python benchmarks/load.py --size M --workers 2 --db postgresql+psycopg://bench@localhost/bench
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import httpx

HERE = Path(__file__).resolve().parent
PASSWORD = "load benchmark password"
REPORT_PERIOD = "2027Q4"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", HERE / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def prepare(size: str, seed: int, url: str | None, work: Path, sessions: int) -> tuple[str, dict]:
    """The database with the register, its sales and one user per session."""
    from patentpool.services import accounts, commands

    run = _module("run")
    data = run.ensure_data(size, seed, None, work / "data")
    url = run.fresh_database(url, work)
    run._import(url, data, run.REGISTER_FILES + run.SALES_FILES)
    members = sorted(m.id for m in commands.register(url).members)
    licensees = sorted(commands.licensees(url))
    roles = ("member", "licensee", "licensee", "staff", "counsel")
    users: dict[str, tuple[str, str | None]] = {}
    for i in range(sessions):
        role = roles[i % len(roles)]
        party = members[i % len(members)] if role == "member" else None
        party = licensees[i % len(licensees)] if role == "licensee" else party
        name = f"load{i:03d}"
        accounts.add_user(
            url,
            name,
            role,
            PASSWORD,
            member=party if role == "member" else None,
            licensee=party if role == "licensee" else None,
            by="benchmark",
        )
        users[name] = (role, party)
    return url, {"users": users, "program": run.PROGRAM, "period": run.PERIOD}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PATENTPOOL_DATABASE_URL": url}
    args = ["serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen([sys.executable, "-m", "patentpool", *args], env=env)
    # each worker reads the register and computes the latest quarter before it serves: on a
    # busy machine that takes minutes
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the portal did not start")


def _routes(role: str, party: str | None, program: str, period: str) -> list[tuple[str, str]]:
    """(name, path) of what a session of the role asks, in turn."""
    start = [("GET /", "/"), ("GET /api/v1/me", "/api/v1/me")]
    if role == "member":
        return [
            *start,
            ("GET /api/v1/members/{m}/statement", f"/api/v1/members/{party}/statement"),
            ("GET /api/v1/patents?member=", f"/api/v1/patents?member={party}"),
        ]
    if role == "licensee":
        query = f"?program={program}&period={period}"
        return [
            *start,
            ("GET /api/v1/licensees/{l}/royalties", f"/api/v1/licensees/{party}/royalties{query}"),
            (
                "POST /api/v1/licensees/{l}/sales-reports",
                f"/api/v1/licensees/{party}/sales-reports",
            ),
            ("GET /licensees/{l}/upload", f"/licensees/{party}/upload"),
        ]
    if role == "staff":
        return [
            *start,
            (
                "GET /api/v1/programs/{p}/royalties",
                f"/api/v1/programs/{program}/royalties?period={period}",
            ),
        ]
    return [*start, ("GET /api/v1/patents?country=", "/api/v1/patents?country=DE")]


def _report(licensee: str) -> bytes:
    return (
        "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
        f"{licensee},{REPORT_PERIOD},DE,CN,tv,100,5000.00\n"
    ).encode()


SIGN_IN = "sign in (GET + POST /login)"


async def sign_in(
    client: httpx.AsyncClient, name: str, times: dict[str, list[float]], errors: dict[str, int]
) -> str | None:
    """The session signed in through the login form; the CSRF token of its pages, or None."""
    began = time.perf_counter()
    try:
        page = (await client.get("/login")).text
        csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed = await client.post(
            "/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf}
        )
        times[SIGN_IN].append(time.perf_counter() - began)
        if signed.status_code != 303:
            errors[SIGN_IN] += 1
            return None
        start = (await client.get("/")).text
        return start.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    except (httpx.HTTPError, IndexError):
        errors[SIGN_IN] += 1
        return None


async def session(
    client: httpx.AsyncClient,
    csrf: str,
    role: str,
    party: str | None,
    setup: dict,
    until: float,
    times: dict[str, list[float]],
    errors: dict[str, int],
    accepted: set[str],
) -> None:
    """A signed-in session asking its role's routes in turn until the time is up."""
    routes = _routes(role, party, setup["program"], setup["period"])
    turn = 0
    while time.monotonic() < until:
        label, path = routes[turn % len(routes)]
        turn += 1
        began = time.perf_counter()
        try:
            if label.startswith("POST"):
                response = await client.post(
                    path,
                    headers={"x-csrf-token": csrf},
                    files={"file": ("report.csv", _report(str(party)), "text/csv")},
                )
            else:
                response = await client.get(path)
        except httpx.HTTPError:
            errors[label] += 1
            continue
        times[label].append(time.perf_counter() - began)
        if response.status_code >= 400:
            errors[label] += 1
        elif label.startswith("POST"):
            accepted.add(str(party))


async def everyone(
    base: str,
    setup: dict,
    duration: float,
    times: dict[str, list[float]],
    errors: dict[str, int],
    accepted: set[str],
) -> tuple[float, float]:
    """Every session signs in (all at once), then the load runs for ``duration`` seconds:
    (seconds the sign-ins took, seconds the load took)."""
    users = setup["users"]
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in users]
    try:
        began = time.monotonic()
        tokens = await asyncio.gather(
            *(sign_in(c, name, times, errors) for c, name in zip(clients, users, strict=True))
        )
        signed_in = time.monotonic() - began
        began = time.monotonic()
        await asyncio.gather(
            *(
                session(c, csrf, role, party, setup, began + duration, times, errors, accepted)
                for c, csrf, (role, party) in zip(clients, tokens, users.values(), strict=True)
                if csrf is not None
            )
        )
        return signed_in, time.monotonic() - began
    finally:
        for c in clients:
            await c.aclose()


def _quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def table(times: dict[str, list[float]], errors: dict[str, int], duration: float) -> str:
    rows = [
        "| route | requests | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in sorted(set(times) | set(errors)):
        found = times.get(label, [])
        if found:
            p50, p95, p99 = (_quantile(found, q) * 1000 for q in (0.5, 0.95, 0.99))
            rows.append(
                f"| `{label}` | {len(found)} | {p50:.0f} | {p95:.0f} | {p99:.0f} "
                f"| {errors.get(label, 0)} |"
            )
        else:
            rows.append(f"| `{label}` | 0 | | | | {errors.get(label, 0)} |")
    total = sum(len(v) for v in times.values())
    rows.append(
        f"\n{total} requests in {duration:.0f} s ({total / duration:.1f}/s), "
        f"{sum(errors.values())} errors"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="URL", help="database URL (default: a new SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="patentpool-load-") as folder:
        url, setup = prepare(args.size, args.seed, args.db, Path(folder), args.sessions)
        port = free_port()
        server = serve(url, args.workers, port)
        times: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        accepted: set[str] = set()
        try:
            signed_in, duration = asyncio.run(
                everyone(f"http://127.0.0.1:{port}", setup, args.duration, times, errors, accepted)
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # workers still busy with the last requests
                server.kill()
                server.wait(timeout=30)
        from patentpool.services import commands

        stored = [
            r
            for r in commands.report_revisions(url, None, None, None)
            if str(r.period) == REPORT_PERIOD
        ]
        kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"{kind}, {args.workers} worker(s), {args.sessions} sessions, size {args.size}")
        print(f"sign-ins: {signed_in:.0f} s for all {args.sessions} at once, then the load:")
        print(table(times, errors, duration))
        once = sorted(r.licensee for r in stored) == sorted(accepted)
        print(
            f"uploads: {len(accepted)} licensees' reports accepted, {len(stored)} stored "
            f"({'each once' if once else 'NOT each once'})"
        )
        return 0 if once else 1


if __name__ == "__main__":
    sys.exit(main())
