"""``patentpool report KIND``: the pool, member, licence, distribution, invoice and comparison
reports as HTML, Markdown, PDF, Word or JSON."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from patentpool.cli.common import App, pass_app, resolve_licensee, resolve_member, user_errors
from patentpool.cli.dates import DATE, as_of_option
from patentpool.core.periods import Period
from patentpool.errors import NotFound
from patentpool.reports.errors import ReportError
from patentpool.reports.formats import BINARY_FORMATS, FORMATS, PAPERS

if TYPE_CHECKING:  # the renderers are imported by the command that renders, not by --help
    from patentpool.core.licensing import Licensee, Program
    from patentpool.core.model import Register
    from patentpool.core.runs import StoredRun

F = TypeVar("F", bound=Callable[..., Any])


def output_options(func: F) -> F:
    """The options every report takes."""
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="html",
            show_default=True,
            help="Output format (json: the report's figures).",
        ),
        click.option(
            "-o",
            "--output",
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="Write to FILE instead of standard output.",
        ),
        click.option(
            "--templates",
            "templates_dir",
            type=click.Path(path_type=Path),
            metavar="DIR",
            help="Your own templates, searched before the defaults.",
        ),
        click.option(
            "--locale",
            default="en",
            show_default=True,
            help="Language and number formats: en, en_GB, de, fr, ja...",
        ),
        click.option(
            "--paper",
            type=click.Choice(PAPERS),
            default="a4",
            show_default=True,
            help="Page size of PDF and Word output.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def check_output(output: Path | None) -> None:
    """Refuse, before any work, an output path that cannot be written."""
    if output is None:
        return
    if output.is_dir():
        raise ReportError(f"-o: {output} is a folder; give a file name")
    parent = output.parent
    if not parent.is_dir():
        raise ReportError(f"-o: the folder {parent} does not exist")


def emit(kind: str, context: Any, options: dict[str, Any], register: Register | None) -> None:
    """Render and write the report; ``register``: the register it was made from, whose
    alliance says whether the figures are invented (every page then says so)."""
    fmt = options["fmt"]
    output: Path | None = options["output"]
    from patentpool.reports.render import render

    illustrative = bool(register and register.illustrative)
    result = render(
        kind,
        context,
        fmt,
        options["templates_dir"],
        options["locale"],
        paper=options["paper"],
        illustrative=illustrative,
    )
    if output is not None:
        if isinstance(result, bytes):
            output.write_bytes(result)
        else:
            output.write_text(result, encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
        return
    if isinstance(result, bytes):
        if sys.stdout.isatty():
            raise ReportError(f"--format {fmt} is binary: give -o FILE")
        sys.stdout.buffer.write(result)
        sys.stdout.flush()
    else:
        click.echo(result, nl=False)


def _prepare(options: dict[str, Any]) -> None:
    check_output(options["output"])
    templates = options["templates_dir"]
    if templates is not None and not templates.is_dir():
        raise ReportError(f"--templates: {templates} is not a folder")
    if options["fmt"] in BINARY_FORMATS and options["output"] is None and sys.stdout.isatty():
        raise ReportError(f"--format {options['fmt']} is binary: give -o FILE")


def _today(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def _licensing(
    app: App, /, licensee_id: str | None, program_id: str
) -> tuple[Licensee | None, Program]:
    licensees, programs = app.load_licensing()
    if licensee_id is not None:
        licensee_id = resolve_licensee(licensees.values(), licensee_id)
    if program_id not in programs:
        raise NotFound("programme", program_id)
    return (licensees[licensee_id] if licensee_id is not None else None), programs[program_id]


def _run_option(func: F) -> F:
    return click.option(
        "--run",
        "run_id",
        type=click.IntRange(min=1),
        metavar="N",
        help="Show stored distribution run N (see `patentpool runs list`); default: the latest "
        "revision of each period.",
    )(func)


def _stored_runs(
    app: App,
    program_ids: list[str],
    run_id: int | None,
    period: Period | None = None,
    *,
    published_only: bool = False,
) -> list[StoredRun]:
    """The latest run of each period of each programme (only ``period``'s, when given);
    ``run_id``'s period shows that run; ``published_only``: the runs members see."""
    from patentpool.services.commands import NoSuchRun, report_runs

    try:
        return report_runs(app.url, program_ids, run_id, period, published_only=published_only)
    except NoSuchRun:
        raise ReportError(f"--run: there is no distribution run {run_id}") from None


@click.group("report")
def report() -> None:
    """Reports for people: HTML (one file, printable), Markdown, PDF, Word or JSON.

    \b
    Example:
      patentpool report pool -o pool.html
      patentpool report member --member lenovo --format pdf -o lenovo.pdf
      patentpool report pool --templates my-templates/ --locale de -o pool.html
    """


@report.command("pool")
@as_of_option("Count as of this day (YYYY-MM-DD; default today).")
@output_options
@pass_app
def pool(app: App, /, as_of: dt.datetime | None, **options: Any) -> None:
    """Counts per standard version, member and office; awaiting evaluation; double dipping;
    the expiry timeline and what it does to shares.

    \b
    Example:
      patentpool report pool --as-of 2026-03-31 -o pool.html
    """
    from patentpool.reports.pool import pool_context

    with user_errors():
        _prepare(options)
        register = app.load_register()
        programs = list(app.load_licensing()[1].values())
        emit("pool", pool_context(register, programs, _today(as_of)), options, register)


@report.command("member")
@click.option("--member", "member_id", required=True, help="The member's id, name or alias.")
@as_of_option("As of this day (YYYY-MM-DD; default today).")
@_run_option
@output_options
@pass_app
def member(
    app: App, /, member_id: str, as_of: dt.datetime | None, run_id: int | None, **options: Any
) -> None:
    """A member's own statement: its patents, counts, share and amount per run, and what
    changed; other members only as totals.

    Members see published runs only (`patentpool runs publish N`): each programme's periods
    show their published run; --run N shows published run N for its period instead.
    The statement names the run, revision, date and inputs checksum of each run it shows.

    \b
    Example:
      patentpool report member --member lenovo --format pdf -o lenovo.pdf
      patentpool report member --member lenovo --run 1 -o lenovo.html
    """
    from patentpool.reports.member import member_context

    with user_errors():
        _prepare(options)
        register = app.load_register()
        member_id = resolve_member(register, member_id)
        programs = sorted(app.load_licensing()[1])
        runs = _stored_runs(app, programs, run_id, published_only=True)
        context = member_context(register, member_id, runs, None, _today(as_of))
        emit("member", context, options, register)


@report.command("license")
@click.option("--licensee", "licensee_id", required=True, help="The licensee's id or name.")
@click.option("--program", "program_id", required=True, help="The programme's id.")
@as_of_option("Patents in force on this day (YYYY-MM-DD; default today).")
@output_options
@pass_app
def license_(
    app: App, /, licensee_id: str, program_id: str, as_of: dt.datetime | None, **options: Any
) -> None:
    """The licence for lawyers: parties, standard, term, rates in plain words, FRAND
    undertaking, and the licensed patents by country.

    \b
    Example:
      patentpool report license --licensee example-home --program igrs-v1 --format docx -o l.docx
    """
    from patentpool.reports.license import license_context

    with user_errors():
        _prepare(options)
        register = app.load_register()
        licensee, program = _licensing(app, licensee_id, program_id)
        assert licensee is not None
        context = license_context(register, program, licensee, register.alliance, _today(as_of))
        emit("license", context, options, register)


@report.command("distribution")
@click.option("--program", "program_id", required=True, help="The programme's id.")
@click.option("--period", help="The quarter, e.g. 2026Q1 (default: the period of --run).")
@_run_option
@output_options
@pass_app
def distribution(
    app: App, /, program_id: str, period: str | None, run_id: int | None, **options: Any
) -> None:
    """One distribution run: collected, fee, distributable, each member's basis, share and
    amount, and the rule written out.

    The statement shows the period's latest run, or run N with --run N, and names its run,
    revision, date and inputs checksum.

    \b
    Example:
      patentpool report distribution --program igrs-v1 --period 2026Q1 -o d.html
      patentpool report distribution --program igrs-v1 --run 1 -o d.html
    """
    from patentpool.reports.distribution import distribution_context

    with user_errors():
        _prepare(options)
        if period is None and run_id is None:
            raise ReportError("--period: give the quarter (e.g. --period 2026Q1) or --run N")
        quarter = Period.parse(period, "--period") if period is not None else None
        _, program = _licensing(app, None, program_id)
        # with --run, every period is read so that a run of another period is named as such
        only = quarter if run_id is None else None
        runs = _stored_runs(app, [program_id], run_id, only)
        run = _chosen_run(runs, program_id, quarter, run_id)
        register = app.load_register()
        emit("distribution", distribution_context(run, program, register), options, register)


def _chosen_run(
    runs: list[StoredRun], program_id: str, quarter: Period | None, run_id: int | None
) -> StoredRun:
    if run_id is not None:
        run = next((r for r in runs if r.stamp.run == run_id), None)
        if run is None:
            raise ReportError(f"--run: run {run_id} is not a distribution run of {program_id}")
        if quarter is not None and run.distribution.period != quarter:
            raise ReportError(
                f"--run: run {run_id} is of {run.distribution.period}, not of {quarter}"
            )
        return run
    found = next((r for r in runs if r.distribution.period == quarter), None)
    if found is None:
        raise ReportError(f"--period: no distribution run of {program_id} for {quarter}")
    return found


@report.command("invoice")
@click.option("--licensee", "licensee_id", required=True, help="The licensee's id or name.")
@click.option("--program", "program_id", required=True, help="The programme's id.")
@click.option("--period", required=True, help="The quarter, e.g. 2026Q1.")
@click.option("--issued", type=DATE, help="Issue date (default today).")
@click.option(
    "--days", type=click.IntRange(min=0), default=30, show_default=True, help="Days to pay."
)
@click.option("--number", help="The invoice's reference.")
@click.option("--pay-to", help="Account or address to pay to, as printed.")
@output_options
@pass_app
def invoice(
    app: App,
    /,
    licensee_id: str,
    program_id: str,
    period: str,
    issued: dt.datetime | None,
    days: int,
    number: str | None,
    pay_to: str | None,
    **options: Any,
) -> None:
    """Royalties due from one licensee for one quarter, line by line, with payment terms.

    \b
    Example:
      patentpool report invoice --licensee example-home --program igrs-v1 --period 2026Q1 -o i.html
    """
    from patentpool.reports.invoice import PaymentTerms, invoice_context

    with user_errors():
        _prepare(options)
        quarter = Period.parse(period, "--period")
        licensee, program = _licensing(app, licensee_id, program_id)
        assert licensee is not None
        licensee_id = licensee.id
        result = app.royalties(program_id, quarter, licensee_id)
        own = next((r for r in result.licensees if r.licensee == licensee_id), None)
        if own is None:
            raise ReportError(
                f"--period: {licensee_id} reported no sales under {program_id} for {quarter}"
            )
        register = app.load_register()
        terms = PaymentTerms(
            _today(issued),
            days,
            number,
            pay_to,
            register.alliance.name if register.alliance else None,
        )
        from patentpool.services.commands import report_corrections

        corrected = report_corrections(app.url, program_id, licensee_id, quarter.year_to_date())
        context = invoice_context(own, program, licensee, quarter, terms, corrected)
        emit("invoice", context, options, register)


@report.command("compare")
@click.argument(
    "scenario_file", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--sweep",
    "sweep_spec",
    metavar="PARAMETER=FROM:TO[:STEP]",
    help="Also sweep one parameter, as in `patentpool compare --sweep`.",
)
@output_options
@pass_app
def compare(app: App, /, scenario_file: Path, sweep_spec: str | None, **options: Any) -> None:
    """Licensing regimes compared: tables, charts (royalty stack, output, welfare; the sweep as
    lines) and a short reading.

    \b
    Example:
      patentpool report compare samples/regimes/inline-demo.yaml --sweep makers=1:10
    """
    from patentpool.cli.compare import parse_sweep
    from patentpool.core import regimes
    from patentpool.reports.compare import compare_context
    from patentpool.services.files import read_scenario

    with user_errors():
        _prepare(options)
        loaded = read_scenario(scenario_file, dt.date.today())
        register = app.load_register() if loaded.needs_register else None
        programs = app.load_licensing()[1] if loaded.needs_programs else None
        if loaded.needs_programs and register is None:
            register = app.load_register()
        scenario = loaded.scenario(register, programs)
        sweep = None
        if sweep_spec is not None:
            parameter, values = parse_sweep(sweep_spec)
            swept = scenario
            if parameter == "holders":  # the sweep replaces the holders
                swept = regimes.Scenario(
                    scenario.name, scenario.market, regimes.symmetric_holders(1), scenario.regimes
                )
            sweep = (parameter, regimes.sweep(swept, parameter, values))
        context = compare_context(scenario, regimes.compare(scenario), sweep)
        emit("compare", context, options, register)


COMMANDS = [report]
