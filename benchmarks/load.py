"""A bounded load on the portal: N concurrent signed-in sessions of mixed roles for D seconds.

The data is SYNTHETIC (generate.py). The register of a size (M by default) is imported into a
fresh database (a SQLite file in a temporary folder, or ``--db URL`` reset - never a register
you keep), one user per session is made, ``patentpool serve --workers W`` is started on
127.0.0.1 and waited for until its workers are idle (each reads the register and prices the
latest quarter when it starts), and every session signs in through the login form (all at
once; the time that takes is printed apart); then, for D seconds, each asks its role's
pages and API routes in turn (licensees also upload one small report of their own, the
same each time).

Each session is a person: after each answer it waits a think time drawn uniformly from
``--think`` seconds (0.5-1.5 by default; a seeded generator per session, so that a run is
repeatable) before its next request. ``--think 0`` is a closed loop with no pause (each
session asks again the moment it is answered: as many requests in flight as sessions), the
heaviest load the sessions can put on the portal. The offered rate is what the sessions
would ask if every answer were instant (sessions / mean think time); the achieved rate is
what was answered.

It prints p50/p95/p99 latency and the errors of each route, the requests, the offered and
achieved rates, the machine's load average at the start and end of the window, and checks
that every upload accepted is stored once.

    python benchmarks/load.py --size M --workers 1
    python benchmarks/load.py --size M --workers 1 --think 0
    python benchmarks/load.py --size M --workers 2 --db postgresql+psycopg://bench@localhost/bench
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling scripts
from siblings import sibling

HERE = Path(__file__).resolve().parent
PASSWORD = "load benchmark password"
REPORT_PERIOD = "2027Q4"



def prepare(size: str, seed: int, url: str | None, work: Path, sessions: int) -> tuple[str, dict]:
    """The database with the register, its sales and one user per session."""
    from patentpool.services import accounts, commands

    run = sibling("run")
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


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) a process and all its children have used (Linux: read
    from /proc; processes that ended meanwhile are left out)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        found = todo.pop()
        try:
            fields = Path(f"/proc/{found}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{found}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wait_warm(pid: int, every: float = 2.0, idle: float = 0.25, limit: float = 300) -> float:
    """Wait until the server's processes use less than ``idle`` of a CPU over ``every``
    seconds: each worker reads the register and prices the latest quarter when it starts, and
    the first worker to answer does not mean the others are done. The seconds waited."""
    began = time.monotonic()
    used = tree_cpu(pid)
    while time.monotonic() - began < limit:
        time.sleep(every)
        now = tree_cpu(pid)
        if now - used < idle * every:
            break
        used = now
    return time.monotonic() - began


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
#: What each error was: (route, HTTP status or the exception's name) -> how many.
ERROR_KINDS: Counter[tuple[str, str]] = Counter()


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


Think = tuple[float, float]


def parse_think(raw: str) -> Think:
    """``--think``: ``LOW-HIGH`` seconds (uniform), one number (always that long), or 0."""
    try:
        low, _, high = raw.partition("-")
        think = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{raw!r}: give seconds as LOW-HIGH or one number"
        ) from None
    if not 0 <= think[0] <= think[1]:
        raise argparse.ArgumentTypeError(f"{raw!r}: give 0 <= LOW <= HIGH")
    return think


def offered_rate(sessions: int, think: Think) -> float | None:
    """Requests a second the sessions ask if every answer is instant (None: unbounded)."""
    mean = (think[0] + think[1]) / 2
    return sessions / mean if mean > 0 else None


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
    pause: random.Random,
) -> None:
    """A signed-in session asking its role's routes in turn until the time is up, thinking
    between two requests (the first one after a think time too, so that the sessions do not
    all start at once)."""
    routes = _routes(role, party, setup["program"], setup["period"])
    low, high = setup["think"]
    turn = 0
    while True:
        if high > 0:
            await asyncio.sleep(pause.uniform(low, high))
        if time.monotonic() >= until:
            break
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
                # the body read as sent (a compressed document not decompressed): the time
                # is the portal's, not the load generator's on the same cores
                async with client.stream("GET", path) as response:
                    async for _ in response.aiter_raw():
                        pass
        except httpx.HTTPError as exc:
            errors[label] += 1
            ERROR_KINDS[label, type(exc).__name__] += 1
            continue
        times[label].append(time.perf_counter() - began)
        if response.status_code >= 400:
            errors[label] += 1
            ERROR_KINDS[label, str(response.status_code)] += 1
        elif label.startswith("POST"):
            accepted.add(str(party))


async def _sample_load(loads: list[float], every: float = 5.0) -> None:
    """The machine's 1-minute load average, every ``every`` seconds until cancelled."""
    while True:
        loads.append(os.getloadavg()[0])
        await asyncio.sleep(every)


async def everyone(
    base: str,
    setup: dict,
    duration: float,
    times: dict[str, list[float]],
    errors: dict[str, int],
    accepted: set[str],
) -> tuple[float, float, list[float]]:
    """Every session signs in (all at once), then the load runs for ``duration`` seconds:
    (seconds the sign-ins took, seconds the load took, the load averages sampled during it,
    the first at its start and the last at its end)."""
    users = setup["users"]
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in users]
    loads: list[float] = []
    try:
        began = time.monotonic()
        tokens = await asyncio.gather(
            *(sign_in(c, name, times, errors) for c, name in zip(clients, users, strict=True))
        )
        signed_in = time.monotonic() - began
        sampler = asyncio.create_task(_sample_load(loads))
        began = time.monotonic()
        await asyncio.gather(
            *(
                session(
                    c,
                    csrf,
                    role,
                    party,
                    setup,
                    began + duration,
                    times,
                    errors,
                    accepted,
                    random.Random(f"{setup['seed']} {name}"),
                )
                for c, csrf, name, (role, party) in zip(
                    clients, tokens, users, users.values(), strict=True
                )
                if csrf is not None
            )
        )
        took = time.monotonic() - began
        sampler.cancel()
        loads.append(os.getloadavg()[0])
        return signed_in, took, loads
    finally:
        for c in clients:
            await c.aclose()


def _quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _row(label: str, found: list[float], errors: int) -> str:
    if not found:
        return f"| {label} | 0 | | | | {errors} |"
    p50, p95, p99 = (_quantile(found, q) * 1000 for q in (0.5, 0.95, 0.99))
    return f"| {label} | {len(found)} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {errors} |"


def table(times: dict[str, list[float]], errors: dict[str, int]) -> str:
    """Each route's latencies and errors, then those of every page and API read together
    (what the goal's 300 ms is about) and of the uploads; sign-ins are not in the window."""
    rows = [
        "| route | requests | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label in sorted(set(times) | set(errors)):
        rows.append(_row(f"`{label}`", times.get(label, []), errors.get(label, 0)))
    for name, kind in (("every page and API read", "GET"), ("every upload", "POST")):
        labels = [label for label in set(times) | set(errors) if label.startswith(kind)]
        found = [t for label in labels for t in times.get(label, [])]
        rows.append(_row(f"**{name}**", found, sum(errors.get(label, 0) for label in labels)))
    return "\n".join(rows)


def rates(
    times: dict[str, list[float]],
    errors: dict[str, int],
    duration: float,
    sessions: int,
    think: Think,
) -> str:
    """The window's requests and errors, and the offered and achieved rates."""
    total = sum(len(v) for label, v in times.items() if label != SIGN_IN)
    failed = sum(n for label, n in errors.items() if label != SIGN_IN)
    offered = offered_rate(sessions, think)
    asked = "unbounded (no think time)" if offered is None else f"{offered:.1f}/s"
    return (
        f"{total} requests answered in {duration:.0f} s, {failed} errors; "
        f"offered rate {asked}, achieved {total / duration:.1f}/s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="URL", help="database URL (default: a new SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument(
        "--think",
        type=parse_think,
        default=(0.5, 1.5),
        metavar="LOW-HIGH",
        help="seconds each session waits between two requests, uniform (default 0.5-1.5; "
        "0: none, a closed loop)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="patentpool-load-") as folder:
        url, setup = prepare(args.size, args.seed, args.db, Path(folder), args.sessions)
        setup |= {"think": args.think, "seed": args.seed}
        port = free_port()
        server = serve(url, args.workers, port)
        warmed = wait_warm(server.pid)
        times: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        accepted: set[str] = set()
        try:
            signed_in, duration, loads = asyncio.run(
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
        low, high = args.think
        thinking = f"think {low:g}-{high:g} s" if high > 0 else "no think time"
        print(
            f"{kind}, {args.workers} worker(s), {args.sessions} sessions, size {args.size}, "
            f"{thinking}, {args.duration:g} s"
        )
        print(f"workers warm {warmed:.0f} s after the first answer (under 1/4 of a CPU)")
        sign_ins = times.pop(SIGN_IN, [])
        print(
            f"sign-ins: {signed_in:.0f} s for all {args.sessions} at once "
            f"(p50 {_quantile(sign_ins, 0.5):.1f} s, {errors.pop(SIGN_IN, 0)} refused), "
            "then the load:"
            if sign_ins
            else f"sign-ins: none succeeded ({errors.pop(SIGN_IN, 0)} refused)"
        )
        print(table(times, errors))
        print(rates(times, errors, duration, args.sessions, args.think))
        if ERROR_KINDS:
            kinds = ", ".join(
                f"{n} x {what} on {label}" for (label, what), n in ERROR_KINDS.items()
            )
            print(f"errors: {kinds}")
        print(
            f"load average: {loads[0]:.1f} at the start, {loads[-1]:.1f} at the end "
            f"(from {min(loads):.1f} to {max(loads):.1f}, sampled every 5 s)"
        )
        once = sorted(r.licensee for r in stored) == sorted(accepted)
        print(
            f"uploads: {len(accepted)} licensees' reports accepted, {len(stored)} stored "
            f"({'each once' if once else 'NOT each once'})"
        )
        return 0 if once else 1


if __name__ == "__main__":
    sys.exit(main())
