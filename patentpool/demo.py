"""``patentpool demo``: a fresh SQLite register built from the shipped IGRS sample.

The demo is a list of steps; each takes the demo's state and returns lines to print, so later
capabilities (royalties, regimes, reports) add a step rather than a new command.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from patentpool.core.licensing import Program
from patentpool.core.register import CountBy, count_declarations
from patentpool.errors import InvalidInput
from patentpool.resources import samples_dir
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

MARKER = ".patentpool-demo"
#: The date the demo reports "in force" on: the end of the sample's first quarter.
DEMO_DATE = dt.date(2026, 3, 31)
CLOSE_DATE = dt.date(2026, 4, 15)  # the demo's first quarter is closed and invoiced on this day


@dataclass
class DemoState:
    folder: Path
    url: str
    samples: Path
    lines: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


#: A step returns its lines, or yields them as it goes.
DemoStep = Callable[[DemoState], Iterable[str]]


def prepare_folder(folder: Path) -> None:
    """Create the demo folder, or empty an earlier demo's; refuse anything else."""
    if folder.exists():
        if not folder.is_dir():
            raise InvalidInput(f"{folder} exists and is not a folder; choose another with --dir")
        contents = list(folder.iterdir())
        if contents and not (folder / MARKER).is_file():
            raise InvalidInput(
                f"{folder} is not empty and was not made by `patentpool demo`; "
                "refusing to overwrite it (choose another folder with --dir)"
            )
        dispose_all()
        for item in contents:
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item)
            else:
                item.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by `patentpool demo`; it may overwrite this folder\n")


def step_register(state: DemoState) -> list[str]:
    from patentpool.services.imports import import_paths
    from patentpool.storage.repository import load_register

    upgrade(state.url)
    with session_for(state.url, lock="import") as session:
        folder = state.samples / "igrs-v1"
        import_paths(
            session, [folder / "alliance.yaml", folder / "patents.csv", folder / "events.csv"]
        )
        register = load_register(session)
    rows, total = count_declarations(register, "IGRS", "1.0", DEMO_DATE, CountBy.MEMBER)
    names = register.member_index()
    width = max(len(names[r.group].name) for r in rows)
    lines = [
        f"Loaded the IGRS sample register (illustrative, invented patents) into {state.url}",
        f"  {len(register.members)} members, {len(register.patents)} patents, "
        f"{len(register.declarations)} declarations, {len(register.events)} dated events "
        "(lapses, revocations, a portfolio sale, re-evaluations)",
        "",
        f"IGRS 1.0 declarations per member (in force on {DEMO_DATE.isoformat()}):",
        f"  {'member':<{width}}  declared  essential  in force  essential in force",
    ]
    for r in rows:
        lines.append(
            f"  {names[r.group].name:<{width}}  {r.declared:>8}  {r.essential:>9}  "
            f"{r.in_force:>8}  {r.essential_in_force:>18}"
        )
    lines.append(
        f"  {'total':<{width}}  {total.declared:>8}  {total.essential:>9}  "
        f"{total.in_force:>8}  {total.essential_in_force:>18}"
    )
    return lines


def step_licensing(state: DemoState) -> list[str]:
    """Licensees, the programme, a year of sales and payments; Q1's royalties and split."""
    from patentpool.core.periods import Period
    from patentpool.services import lifecycle
    from patentpool.services.closing import close_quarter
    from patentpool.services.imports import import_paths
    from patentpool.services.royalties import royalties

    folder = state.samples / "igrs-v1"
    files = [
        folder / "licensing.yaml",
        *sorted(folder.glob("sales-*.csv")),
        folder / "payments.csv",
    ]
    period = Period.parse("2026Q1")
    with session_for(state.url, lock="import") as session:
        summary = import_paths(session, files)
    # the quarter closed as `patentpool close` closes it, and its run approved and published
    with session_for(state.url, lock="invoices:igrs-v1") as session:
        lifecycle.accept_reports(session, "igrs-v1", period, None, None, "demo")
        closed = close_quarter(session, "igrs-v1", period, CLOSE_DATE, allow_missing=False)
        result = royalties(session, "igrs-v1", period)
        run = closed.run
        if lifecycle.run_states(session, [run.id])[run.id].status == lifecycle.DRAFT:
            lifecycle.approve_run(session, run.id, "demo")
            lifecycle.publish_run(session, run.id, None, "demo")
    counts = {entity: n for (entity, _action), n in summary.changes.items()}
    lines = [
        f"Loaded {counts.get('licensee', 0)} licensees, {counts.get('program', 0)} programme, "
        f"{counts.get('sales report', 0)} quarterly sales reports and "
        f"{counts.get('payment', 0)} payments (illustrative)",
        "",
        f"Royalties due for igrs-v1 in {period} ({result.currency}):",
        f"  {'licensee':<24} {'units':>10} {'gross':>13} {'cap':>10} {'discount':>12} {'due':>13}",
    ]
    for item in result.licensees:
        lines.append(
            f"  {item.licensee:<24} {item.units:>10,} {item.gross:>13,.2f} "
            f"{item.cap_reduction:>10,.2f} {item.discount:>12,.2f} {item.due:>13,.2f}"
        )
    lines.append(
        f"  {'total due':<24} {'':>10} {'':>13} {'':>10} {'':>12} {result.total_due:>13,.2f}"
    )
    doc = run.result
    lines += [
        "",
        f"Closed {period}: {len(closed.issued)} invoices issued on {CLOSE_DATE} "
        f"({closed.invoices[0][0].number} to {closed.invoices[-1][0].number}), "
        f"run {doc['run_id']} approved and published",
        "",
        f"Distribution of what was collected for {period} "
        f"(policy {doc['policy']}, run {doc['run_id']}):",
        f"  collected {Decimal(doc['collected']):,.2f}, "
        f"admin fee {Decimal(doc['admin_fee']):,.2f}, "
        f"distributable {Decimal(doc['distributable']):,.2f}",
    ]
    lines += _members(doc)
    return lines + _second_quarter(state)


def _members(doc: dict[str, Any]) -> list[str]:
    return [
        f"  {m['member']:<16} {m['basis']:<14} {float(m['share']):>8.2%} "
        f"{Decimal(m['amount']):>13,.2f}"
        for m in doc["members"]
    ]


def _second_quarter(state: DemoState) -> list[str]:
    """2026Q2's distribution, and the dated events that make its shares differ from Q1's."""
    from patentpool.core.periods import Period
    from patentpool.services.distributions import run_distribution
    from patentpool.storage.repository import load_register

    period = Period.parse("2026Q2")
    with session_for(state.url, lock="import") as session:
        run = run_distribution(session, "igrs-v1", period)
        register = load_register(session)
    names = {p.key: p.publication_number for p in register.patents}
    first = period.first_day
    doc = run.result
    lines = [
        "",
        f"Distribution for {period} (policy {doc['policy']}, run {doc['run_id']}): its shares "
        "differ from 2026Q1's because of these dated events (illustrative), each counted from "
        "its day, the quarter's last day included:",
    ]
    for e in sorted(register.events, key=lambda e: (e.date, e.patent)):
        if first <= e.date <= period.last_day:
            lines.append(f"  {e.date.isoformat()}  {names[e.patent]} {e.what()}")
    return [*lines, "", *_members(doc)]


def step_regimes(state: DemoState) -> list[str]:
    """The open-versus-closed comparison for IGRS 1.0 on the demo register."""
    from patentpool.core import regimes
    from patentpool.io.scenario import load_scenario
    from patentpool.reports.compare_text import render_comparison
    from patentpool.services.licensing import load_programs
    from patentpool.storage.repository import load_register

    path = state.samples / "regimes" / "igrs.yaml"
    loaded = load_scenario(path, today=DEMO_DATE)
    with session_for(state.url) as session:
        register = load_register(session)
        programs = {k: v[0] for k, v in load_programs(session).items()}
    scenario = loaded.scenario(register, programs)
    text = render_comparison(scenario, regimes.compare(scenario), "table")
    return [
        f"Open (GSM-style) versus closed (CDMA-style) licensing for IGRS 1.0 ({path.name}, "
        "illustrative demand and cost; see docs/regimes.md):",
        "",
        *text.splitlines(),
    ]


def step_reports(state: DemoState) -> Iterator[str]:
    """Every report for the IGRS sample, written into the demo folder."""
    from patentpool.core import regimes
    from patentpool.core.periods import Period
    from patentpool.io.scenario import load_scenario
    from patentpool.reports.compare import compare_context
    from patentpool.reports.distribution import distribution_context
    from patentpool.reports.errors import MissingDependency
    from patentpool.reports.invoice import PaymentTerms, invoice_context
    from patentpool.reports.license import license_context
    from patentpool.reports.member import member_context
    from patentpool.reports.pool import pool_context
    from patentpool.reports.render import render
    from patentpool.services.invoicing import standing_invoices
    from patentpool.services.licensing import load_programs
    from patentpool.services.lifecycle import published_everywhere
    from patentpool.services.royalties import royalties
    from patentpool.services.stored_runs import stored_runs
    from patentpool.storage.licensing_repo import load_licensees
    from patentpool.storage.repository import load_register

    period = Period.parse("2026Q1")
    with session_for(state.url) as session:
        register = load_register(session)
        licensees = load_licensees(session)
        program = load_programs(session)["igrs-v1"][0]
        runs = stored_runs(session, "igrs-v1", published=published_everywhere(session))
        due = royalties(session, "igrs-v1", period, "example-home").licensees[0]
        invoice = next(
            r
            for r in standing_invoices(session, "igrs-v1", period)
            if r.licensee_id == "example-home"
        )
        issuer = register.alliance.name if register.alliance else None
        terms = PaymentTerms(
            invoice.issued, (invoice.due - invoice.issued).days, invoice.number, None, issuer
        )
    scenario = load_scenario(state.samples / "regimes" / "igrs.yaml", today=DEMO_DATE).scenario(
        register, {program.id: program}
    )
    home = licensees["example-home"]
    contexts = {
        "pool": ("pool", pool_context(register, [program], DEMO_DATE)),
        "member-lenovo": ("member", member_context(register, "lenovo", runs, None, DEMO_DATE)),
        "license-example-home": (
            "license",
            license_context(register, program, home, register.alliance, DEMO_DATE),
        ),
        "distribution-2026Q1": ("distribution", distribution_context(runs[0], program, register)),
        "invoice-example-home-2026Q1": (
            "invoice",
            invoice_context(due, program, home, period, terms),
        ),
        "compare-igrs": ("compare", compare_context(scenario, regimes.compare(scenario))),
    }
    illustrative = register.illustrative  # the sample is
    folder = state.folder / "reports"
    folder.mkdir(exist_ok=True)
    yield f"Reports for the IGRS sample (illustrative), in {folder}:"
    for name, (kind, context) in contexts.items():  # a line as each report is written
        formats = ["html", "md", "pdf", "docx"] if kind == "license" else ["html", "md"]
        if kind == "distribution":
            formats.append("xlsx")  # the workbook: one sheet per table
        written = []
        for fmt in formats:
            try:
                result = render(kind, context, fmt, illustrative=illustrative)
            except MissingDependency as exc:
                yield f"  ({name}.{fmt} skipped: {exc})"
                continue
            path = folder / f"{name}.{fmt}"
            if isinstance(result, bytes):
                path.write_bytes(result)
            else:
                path.write_text(result, encoding="utf-8")
            state.outputs.append(path)
            written.append(path.name)
        yield f"  {', '.join(written)}"
    yield from _report_form(state, program, illustrative)


def _report_form(state: DemoState, program: Program, illustrative: bool) -> Iterator[str]:
    """The royalty report form IGRS licensees fill in, written into the demo's folder."""
    from patentpool.io.forms import SalesForm, sales_form

    form = SalesForm(program, program.schedule_on(DEMO_DATE), illustrative=illustrative)
    path = state.folder / f"{program.id}-royalty-report-form.xlsx"
    path.write_bytes(sales_form(form))
    state.outputs.append(path)
    yield f"The {program.id} royalty report form licensees fill in (Excel): {path}"


#: The demo's steps, in order, each with what it says as it starts; later capabilities append
#: theirs.
#: The demo's portal accounts: (user, role, member, licensee).
DEMO_ACCOUNTS = (
    ("demo-staff", "staff", None, None),
    ("demo-member", "member", "lenovo", None),
    ("demo-licensee", "licensee", None, "example-home"),
    ("demo-counsel", "counsel", None, None),
)


def step_portal(state: DemoState) -> list[str]:
    """One portal account per role, with a random password printed once (demo only)."""
    import secrets

    from patentpool.services.accounts import add_user

    lines = ["Portal accounts (demo only; each password is shown once, here):"]
    for name, role, member, licensee in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        add_user(state.url, name, role, password, member=member, licensee=licensee, by="demo")
        bound = member or licensee
        lines.append(f"  {name:<14} {role:<9} {bound or '':<13} password {password}")
    return lines


STEPS: list[tuple[str, DemoStep]] = [
    ("Creating the register and importing the IGRS sample's members and patents", step_register),
    ("Importing licensees, sales and payments; royalties and distribution", step_licensing),
    ("Comparing open and closed licensing for IGRS 1.0", step_regimes),
    ("Writing the reports", step_reports),
    ("Opening the portal: one account per role", step_portal),
]


def run_demo(
    folder: Path, samples: Path | None = None, echo: Callable[[str], None] | None = None
) -> DemoState:
    """Run every step; ``echo`` is given each line as soon as it is known: a step's title as
    the step starts (some take seconds), then its lines as the step gives them."""
    folder = folder.resolve()
    prepare_folder(folder)
    db_path = folder / "patentpool.db"
    state = DemoState(folder, f"sqlite:///{db_path}", samples or samples_dir())

    def say(lines: Iterable[str]) -> None:
        for line in lines:
            state.lines.append(line)
            if echo is not None:
                echo(line)

    for number, (title, step) in enumerate(STEPS, start=1):
        say([f"[{number}/{len(STEPS)}] {title} ..."])
        say(step(state))
        say([""])
    say(
        [
            f"The demo database is {db_path}",
            f"Explore it with: patentpool --db sqlite:///{db_path} counts --standard IGRS "
            "--version 1.0",
            f"Browse it with:  patentpool --db sqlite:///{db_path} serve",
            "  then open http://127.0.0.1:8000/ and sign in with one of the accounts above",
        ]
    )
    return state
