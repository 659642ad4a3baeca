"""Time each step of a quarter on SYNTHETIC data: imports, royalties, distributions, statements.

    python benchmarks/run.py --size S|M|L [--seed N] [--db URL] [--sales-lines N]
                             [--data DIR] [--steps A,B] [--json FILE] [--profile DIR]
                             [--quiet]

Generates the data with ``benchmarks/generate.py`` if ``--data`` (default: a folder per size,
seed and number of lines under the system's temporary folder) does not hold it yet, creates a
fresh database (a SQLite file in a new temporary folder, or the ``--db`` URL, whose schema is
dropped and created again: never point it at a register you keep), then runs each step:

| step | what it does |
| --- | --- |
| import-register | ``patentpool import`` of alliance.yaml, patents.csv and licensing.yaml |
| import-sales | ``patentpool import`` of the quarter's sales report and payments.csv |
| royalties | the quarter's royalties, every line priced (``patentpool royalties``) |
| royalty-lines | the same with every priced line kept (``--format json``; not in the quarter) |
| distribute-POLICY | a stored distribution run, each policy but shapley (``distribute``) |
| shapley-20 | the shapley policy on a sub-programme of the 20 members holding most patents |
| statements | every member's statement rendered as HTML (``patentpool report member``) |

Each step runs in a fresh Python process, so the peak memory reported for it (the process's
``ru_maxrss``, which includes the interpreter and patentpool's imports, about 100 MB) is that
step's own (the sales import of a large file also starts a helper process that hashes lines;
it peaks at about 30 MB, measured from its ``/proc`` status, and is not counted). Wall time is
measured with ``time.perf_counter`` around the step's work inside that process (the process's
start-up and imports are not counted), and CPU time (user + system, from ``getrusage``, the helper's
included) over the same span: on a machine shared with other work, CPU time is the steadier
figure. ``rows`` is what the step works through (patents rows, sales lines, members),
and ``rows/s`` is rows over wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling scripts
from siblings import sibling

HERE = Path(__file__).resolve().parent
PERIOD = "2026Q1"
PROGRAM = "sbs-pool"
POLICIES = ("proportional", "per-patent-country", "per-family", "hybrid", "weighted")
SHAPLEY_MEMBERS = 20
REGISTER_FILES = ("alliance.yaml", "patents.csv", "licensing.yaml")
SALES_FILES = (f"sales-{PERIOD}.csv", "payments.csv")



def ensure_data(size: str, seed: int, lines: int | None, folder: Path) -> Path:
    """The benchmark files in ``folder``, generated unless all are there already."""
    names = REGISTER_FILES + SALES_FILES
    if all((folder / n).is_file() for n in names):
        return folder
    generate = sibling("generate")
    generate.generate(generate.SIZES[size], seed, folder, lines)
    return folder


def fresh_database(url: str | None, workdir: Path) -> str:
    """A database at the newest schema and empty: a new SQLite file, or ``url`` reset."""
    from sqlalchemy import text

    from patentpool.storage.engine import make_engine
    from patentpool.storage.migrate import upgrade

    if url is None:
        url = f"sqlite:///{workdir / 'bench.db'}"
    elif url.startswith("postgresql"):
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.unlink(missing_ok=True)
    upgrade(url)
    return url


# --------------------------------------------------------------------------------------------
# The steps, each run in its own process: return the number of rows worked through
# --------------------------------------------------------------------------------------------


def _import(url: str, data: Path, names: Sequence[str]) -> None:
    from patentpool.services.imports import import_paths
    from patentpool.storage.engine import session_for

    with session_for(url, lock="import") as session:
        import_paths(session, [data / n for n in names])


def _count_lines(path: Path) -> int:
    """Rows of a CSV file (lines but the header), counted from its bytes: a few milliseconds,
    so that counting the rows a step works through adds nothing to its time."""
    newlines = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            newlines += chunk.count(b"\n")
            last = chunk[-1:]
    lines = newlines + (last != b"\n")  # a last line without its newline
    return max(lines - 1, 0)


def step_import_register(url: str, data: Path) -> int:
    _import(url, data, REGISTER_FILES)
    return _count_lines(data / "patents.csv")


def step_import_sales(url: str, data: Path) -> int:
    _import(url, data, SALES_FILES)
    return _count_lines(data / SALES_FILES[0])


def _period() -> Any:
    from patentpool.core.periods import Period

    return Period.parse(PERIOD)


def step_royalties(url: str, data: Path) -> int:
    """As `patentpool royalties` (its table): every line priced, the quarter's totals kept;
    in as many processes as the command prices in (PATENTPOOL_PRICING_PROCESSES)."""
    from patentpool.services.commands import quarter_royalties

    result = quarter_royalties(url, PROGRAM, _period(), None, _no_resolve, detail=False)
    return sum(item.priced_lines for item in result.licensees)


def _no_resolve(licensees: Any, name: str) -> str:
    raise AssertionError("every licensee is priced")


def step_royalty_lines(url: str, data: Path) -> int:
    """As `patentpool royalties --format json`: every line priced and kept, for invoices."""
    from patentpool.services.royalties import royalties
    from patentpool.storage.engine import session_for

    with session_for(url) as session:
        result = royalties(session, PROGRAM, _period())
    return sum(len(item.lines) for item in result.licensees)


def step_distribute(policy: str) -> Callable[[str, Path], int]:
    def run(url: str, data: Path) -> int:
        """As `patentpool distribute --basis due` (a quarter whose totals are not kept yet
        is priced in as many processes as the command prices in)."""
        from patentpool.services.commands import distribute

        params = {"alpha": "0.2"} if policy == "hybrid" else {}
        distribute(url, PROGRAM, _period(), policy, params, "due", note=False)
        return _count_lines(data / SALES_FILES[0])

    return run


def step_shapley(url: str, data: Path) -> int:
    """Shapley values on a sub-programme: the register cut to its 20 biggest holders."""
    from collections import Counter

    from patentpool.core.allocation import distribute
    from patentpool.core.model import Register
    from patentpool.services.royalties import program_context
    from patentpool.storage import licensing_repo
    from patentpool.storage.engine import session_for

    with session_for(url) as session:
        ctx = program_context(session, PROGRAM)
        collected = licensing_repo.collected(licensing_repo.load_payments(session, PROGRAM),
                                             _period())  # fmt: skip
    register = ctx.register
    held = Counter(p.owner for p in register.patents)
    kept = {m for m, _ in held.most_common(SHAPLEY_MEMBERS)}
    patents = tuple(p for p in register.patents if p.owner in kept)
    keys = {p.key for p in patents}
    sub = Register(
        register.alliance,
        tuple(m for m in register.members if m.id in kept),
        register.standards,
        patents,
        tuple(d for d in register.declarations if d.patent in keys),
    )
    cpu = _cpu()
    started = time.perf_counter()
    distribute(ctx.program, sub, _period(), collected, None, "shapley")
    _STEP_TIMER["started"] = started  # only the policy is timed, not the loading
    _STEP_TIMER["cpu"] = cpu
    return len(kept)


def step_statements(url: str, data: Path) -> int:
    from patentpool.reports.member import member_context, shared_statements
    from patentpool.reports.render import render
    from patentpool.services.distributions import latest_distributions
    from patentpool.storage.engine import session_for
    from patentpool.storage.repository import load_register

    with session_for(url) as session:
        register = load_register(session)
        runs = latest_distributions(session, PROGRAM)
    as_of = dt.date(2026, 3, 31)
    with shared_statements():  # what every statement of the register shares, computed once
        for member in register.members:
            context = member_context(register, member.id, runs, None, as_of)
            html = render("member", context, "html")
            assert isinstance(html, str)
            assert html
    return len(register.members)


STEPS: dict[str, Callable[[str, Path], int]] = {
    "import-register": step_import_register,
    "import-sales": step_import_sales,
    "royalties": step_royalties,
    "royalty-lines": step_royalty_lines,
    **{f"distribute-{p}": step_distribute(p) for p in POLICIES},
    f"shapley-{SHAPLEY_MEMBERS}": step_shapley,
    "statements": step_statements,
}
#: Steps counted in the "whole quarter" target (every step but shapley).
QUARTER = tuple(s for s in STEPS if not s.startswith(("shapley", "royalty-lines")))
_STEP_TIMER: dict[str, float] = {}


def run_step(name: str, url: str, data: Path, profile: Path | None = None) -> dict[str, Any]:
    """Run one step in this process; its wall time, rows and this process's peak memory.

    With ``profile``, the step runs under pyinstrument (``pip install pyinstrument``; it slows
    the step down) and its call tree is written to ``profile/STEP.txt``.
    """
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
    before = _cpu()
    started = time.perf_counter()
    rows = STEPS[name](url, data)
    after = _cpu()
    if profiler is not None and profile is not None:
        profiler.stop()
        profile.mkdir(parents=True, exist_ok=True)
        text = profiler.output_text(unicode=False, color=False)
        (profile / f"{name}.txt").write_text(text, encoding="utf-8")
    wall = time.perf_counter() - _STEP_TIMER.pop("started", started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    cpu = after - _STEP_TIMER.pop("cpu", before)
    return {"step": name, "wall_s": wall, "cpu_s": cpu, "rows": rows, "peak_mb": peak}


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of the helper processes it waited for
    (the sales import hashes a large file's lines in a second process)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _preload(url: str | None = None) -> None:
    """Import what the steps use before the clock starts: imports are start-up, not work.

    That includes the database's driver (``psycopg`` takes about 0.2 s to import, ``sqlite3``
    next to nothing), which the step would otherwise import when it makes its engine, and
    the ORM's one-time set-up of its mapped classes."""
    import patentpool.io.sales_columns
    import patentpool.reports.member
    import patentpool.reports.render
    import patentpool.services.commands
    import patentpool.services.distributions
    import patentpool.services.imports
    import patentpool.services.quarters
    import patentpool.services.royalties
    import patentpool.storage.migrate  # noqa: F401

    if url is not None:
        from sqlalchemy.engine import make_url
        from sqlalchemy.orm import configure_mappers

        make_url(url).get_dialect().import_dbapi()
        configure_mappers()


def run_in_child(name: str, url: str, data: Path, profile: Path | None) -> dict[str, Any]:
    """Run one step in a fresh process (so its peak memory is its own)."""
    extra = [] if profile is None else ["--profile", str(profile)]
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--step", name, "--db", url,
         "--data", str(data), *extra],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{out.stderr.strip()}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
    }


def table(results: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'step':<30} {'wall s':>8} {'cpu s':>8} {'rows':>10} {'rows/s':>10} {'peak MB':>8}"
    ]
    for r in results:
        rate = r["rows"] / r["wall_s"] if r["wall_s"] > 0 else 0.0
        lines.append(
            f"{r['step']:<30} {r['wall_s']:>8.2f} {r.get('cpu_s', 0.0):>8.2f} {r['rows']:>10,} "
            f"{rate:>10,.0f} {r['peak_mb']:>8.0f}"
        )
    quarter = sum(r["wall_s"] for r in results if r["step"] in QUARTER)
    cpu = sum(r.get("cpu_s", 0.0) for r in results if r["step"] in QUARTER)
    peak = max((r["peak_mb"] for r in results if r["step"] in QUARTER), default=0.0)
    label = "whole quarter"
    lines.append(f"{label:<30} {quarter:>8.2f} {cpu:>8.2f} {'':>10} {'':>10} {peak:>8.0f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("S", "M", "L"), default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", metavar="URL", help="database URL (default: a new SQLite file)")
    parser.add_argument("--sales-lines", type=int, default=None, help="override the size's")
    parser.add_argument("--data", type=Path, help="folder of the benchmark files")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures")
    parser.add_argument(
        "--steps", metavar="A,B", help="run only these steps (import-register always runs)"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="profile each step into DIR/STEP.txt"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step is not None:  # a child process: one step
        _preload(args.db)
        from patentpool.gcpause import settle_imports

        settle_imports()  # as the patentpool command does once its modules are imported
        print(json.dumps(run_step(args.step, args.db, args.data, args.profile)))
        return 0
    name = f"{args.size}-seed{args.seed}"
    if args.sales_lines is not None:
        name += f"-{args.sales_lines}"
    data = args.data or Path(tempfile.gettempdir()) / "patentpool-bench" / name
    show = not args.quiet and sys.stderr.isatty()
    if show:
        print(f"data in {data}", file=sys.stderr)
    ensure_data(args.size, args.seed, args.sales_lines, data)
    with tempfile.TemporaryDirectory(prefix="patentpool-bench-") as workdir:
        url = fresh_database(args.db, Path(workdir))
        results = []
        chosen = list(STEPS)
        if args.steps:
            wanted = set(args.steps.split(",")) | {"import-register"}
            unknown = wanted - set(STEPS)
            if unknown:
                parser.error(f"--steps: unknown step(s) {', '.join(sorted(unknown))}")
            chosen = [s for s in STEPS if s in wanted]
        for n, name in enumerate(chosen, start=1):
            if show:
                print(f"[{n}/{len(chosen)}] {name}...", file=sys.stderr, flush=True)
            results.append(run_in_child(name, url, data, args.profile))
    database = "PostgreSQL" if args.db and args.db.startswith("postgresql") else "SQLite"
    print(f"size {args.size}, seed {args.seed}, {database}")
    print(table(results))
    if args.json is not None:
        document = {
            "size": args.size,
            "seed": args.seed,
            "sales_lines": args.sales_lines,
            "database": database,
            "machine": machine(),
            "steps": results,
            "quarter_s": sum(r["wall_s"] for r in results if r["step"] in QUARTER),
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
