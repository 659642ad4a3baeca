"""``patentpool report KIND``: the pool, member, licence, distribution, invoice and comparison
reports as HTML, Markdown, PDF, Word or JSON."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from patentpool.cli.common import App, pass_app, user_errors
from patentpool.cli.dates import as_of_option
from patentpool.core.licensing import Licensee, Program
from patentpool.core.periods import Period
from patentpool.errors import NotFound
from patentpool.reports.errors import ReportError
from patentpool.reports.render import BINARY_FORMATS, FORMATS, PAPERS, render

F = TypeVar("F", bound=Callable[..., Any])
_DATE = click.DateTime(formats=["%Y-%m-%d"])


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


def emit(kind: str, context: Any, options: dict[str, Any]) -> None:
    fmt = options["fmt"]
    output: Path | None = options["output"]
    result = render(
        kind, context, fmt, options["templates_dir"], options["locale"], paper=options["paper"]
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
    if licensee_id is not None and licensee_id not in licensees:
        raise NotFound("licensee", licensee_id)
    if program_id not in programs:
        raise NotFound("programme", program_id)
    return (licensees[licensee_id] if licensee_id is not None else None), programs[program_id]


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
        emit("pool", pool_context(register, programs, _today(as_of)), options)


@report.command("member")
@click.option("--member", "member_id", required=True, help="The member's id.")
@as_of_option("As of this day (YYYY-MM-DD; default today).")
@output_options
@pass_app
def member(app: App, /, member_id: str, as_of: dt.datetime | None, **options: Any) -> None:
    """A member's own statement: its patents, counts, share and amount per run, and what
    changed; other members only as totals.

    \b
    Example:
      patentpool report member --member lenovo --format pdf -o lenovo.pdf
    """
    from patentpool.reports.member import member_context

    with user_errors():
        _prepare(options)
        register = app.load_register()
        if member_id not in register.member_index():
            raise NotFound("member", member_id)
        runs = []
        for program_id in sorted(app.load_licensing()[1]):
            runs.extend(app.distribution_runs(program_id))
        emit("member", member_context(register, member_id, runs, None, _today(as_of)), options)


@report.command("license")
@click.option("--licensee", "licensee_id", required=True, help="The licensee's id.")
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
        emit("license", context, options)


@report.command("distribution")
@click.option("--program", "program_id", required=True, help="The programme's id.")
@click.option("--period", required=True, help="The quarter, e.g. 2026Q1.")
@output_options
@pass_app
def distribution(app: App, /, program_id: str, period: str, **options: Any) -> None:
    """One distribution run: collected, fee, distributable, each member's basis, share and
    amount, and the rule written out.

    \b
    Example:
      patentpool report distribution --program igrs-v1 --period 2026Q1 -o d.html
    """
    from patentpool.reports.distribution import distribution_context

    with user_errors():
        _prepare(options)
        quarter = Period.parse(period, "--period")
        _, program = _licensing(app, None, program_id)
        runs = app.distribution_runs(program_id)
        run = next((r for r in runs if r.period == quarter), None)
        if run is None:
            raise ReportError(f"--period: no distribution run of {program_id} for {quarter}")
        emit("distribution", distribution_context(run, program, app.load_register()), options)


@report.command("invoice")
@click.option("--licensee", "licensee_id", required=True, help="The licensee's id.")
@click.option("--program", "program_id", required=True, help="The programme's id.")
@click.option("--period", required=True, help="The quarter, e.g. 2026Q1.")
@click.option("--issued", type=_DATE, help="Issue date (default today).")
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
        emit("invoice", invoice_context(own, program, licensee, quarter, terms), options)


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
    from patentpool.io.scenario import load_scenario
    from patentpool.reports.compare import compare_context

    with user_errors():
        _prepare(options)
        loaded = load_scenario(scenario_file, today=dt.date.today())
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
        emit("compare", compare_context(scenario, regimes.compare(scenario), sweep), options)


COMMANDS = [report]
