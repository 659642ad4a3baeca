"""``patentpool compare``: open versus closed licensing regimes on one scenario file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import click

from patentpool.cli.common import App, pass_app, user_errors
from patentpool.core import regimes
from patentpool.core.holders import YearOutcome, project
from patentpool.core.regimes import (
    SWEEP_PARAMETERS,
    WHOLE_PARAMETERS,
    Holder,
    Outcome,
    Scenario,
    show,
)
from patentpool.errors import InvalidInput
from patentpool.reports.compare_text import (
    SUMMARY,
    counted_label,
    holders_json,
    outcome_json,
    plain_number,
    render_comparison,
    summary_row,
    two_decimals,
)
from patentpool.reports.text import table

if TYPE_CHECKING:  # pydantic, for the command that reads a scenario, not for --help
    from patentpool.services.files import ScenarioFile

#: The longest sweep or projection the command accepts.
MAX_VALUES = 1000
MAX_YEARS = 200


@click.command("compare", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "scenario_file", metavar="SCENARIO.yaml", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--sweep",
    "sweep_spec",
    metavar="PARAMETER=FROM:TO[:STEP]",
    help="One row per value and regime; PARAMETER is one of "
    + ", ".join(SWEEP_PARAMETERS)
    + " (values may also be listed: makers=1,3,10).",
)
@click.option(
    "--years",
    "years_spec",
    metavar="FROM:TO",
    help="Project each year (patents in force on 1 January) with holders from the register.",
)
@pass_app
def compare(
    app: App, scenario_file: Path, fmt: str, sweep_spec: str | None, years_spec: str | None
) -> None:
    """Compare licensing regimes (open, closed, capped, published rate) on SCENARIO.yaml.

    For each regime: each holder's rate, the royalty stack, price, quantity, holders' and
    members' income, makers' profit, consumer surplus, welfare and the dead-weight loss against
    a royalty-free market. The model and every formula: docs/regimes.md.

    \b
    Examples:
      patentpool compare samples/regimes/inline-demo.yaml
      patentpool compare samples/regimes/inline-demo.yaml --sweep holders=1:30
      patentpool compare samples/regimes/igrs.yaml --years 2026:2040 --format json
    """
    from patentpool.services.files import read_scenario

    with user_errors():
        loaded = read_scenario(scenario_file, dt.date.today())
        if sweep_spec is not None and years_spec is not None:
            raise InvalidInput("--sweep and --years cannot be used together")
        if years_spec is not None:
            years = parse_years(years_spec)
            loaded.require_source()
            register = app.load_register()
            source = loaded.source_in(register)
            projection = project(register, source, loaded.market, loaded.regimes, years)
            click.echo(render_years(loaded, projection, fmt))
        elif sweep_spec is not None:
            parameter, values = parse_sweep(sweep_spec)
            scenario = _scenario(app, loaded, parameter)
            rows = regimes.sweep(scenario, parameter, values)
            click.echo(render_sweep(scenario, parameter, rows, fmt))
        else:
            scenario = _scenario(app, loaded, None)
            outcomes = regimes.compare(scenario)
            click.echo(render_comparison(scenario, outcomes, fmt, counted_label(loaded.source)))


def _scenario(app: App, loaded: ScenarioFile, parameter: str | None) -> Scenario:
    if parameter == "holders":  # the sweep replaces the holders: no register needed
        return Scenario(loaded.name, loaded.market, (Holder("h1", 1, "h1"),), loaded.regimes)
    register = app.load_register() if loaded.needs_register or loaded.needs_programs else None
    programs = app.load_licensing()[1] if loaded.needs_programs else None
    return loaded.scenario(register, programs)


# --- option values -----------------------------------------------------------------------


def _number(text: str, what: str) -> Fraction:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(f"{what}: {text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{what}: {text.strip()!r} is not a number")
    out_of_range = value != 0 and not -12 <= value.adjusted() <= 15
    if out_of_range or value != value.quantize(Decimal("1e-12")):
        raise InvalidInput(
            f"{what}: {text.strip()!r} is out of range "
            "(at most 15 digits before the decimal point and 12 after)"
        )
    return Fraction(value)


def parse_sweep(spec: str) -> tuple[str, tuple[Fraction, ...]]:
    """``PARAMETER=FROM:TO[:STEP]`` (both ends included, step 1 by default) or ``=V1,V2,...``."""
    name, equals, values = spec.partition("=")
    name = name.strip()
    if not equals or not name or not values.strip():
        raise InvalidInput(
            f"--sweep: expected PARAMETER=FROM:TO[:STEP] or PARAMETER=V1,V2,... (got {spec!r})"
        )
    if name not in SWEEP_PARAMETERS:
        raise InvalidInput(
            f"--sweep: unknown parameter {name!r}; choose from {', '.join(SWEEP_PARAMETERS)}"
        )
    what = f"--sweep {name}"
    if ":" in values:
        parts = values.split(":")
        if len(parts) not in (2, 3):
            raise InvalidInput(f"{what}: expected FROM:TO or FROM:TO:STEP (got {values!r})")
        given = [_number(p, what) for p in parts]
        _check_whole(name, given)
        start, stop = given[0], given[1]
        step = given[2] if len(given) == 3 else Fraction(1)
        if step <= 0:
            raise InvalidInput(f"{what}: the step must be greater than 0 (got {show(step)})")
        if start > stop:
            raise InvalidInput(f"{what}={values}: the range is empty (FROM is above TO)")
        count = int((stop - start) / step) + 1
        if count > MAX_VALUES:
            raise InvalidInput(f"{what}: {count} values; at most {MAX_VALUES}")
        points = tuple(start + i * step for i in range(count))
    else:
        points = tuple(_number(v, what) for v in values.split(","))
        _check_whole(name, points)
        if len(points) > MAX_VALUES:
            raise InvalidInput(f"{what}: {len(points)} values; at most {MAX_VALUES}")
    return name, points


def _check_whole(name: str, numbers: Sequence[Fraction]) -> None:
    if name in WHOLE_PARAMETERS:
        for n in numbers:
            if n.denominator != 1:
                raise InvalidInput(f"--sweep {name}: {show(n)} is not a whole number")


def parse_years(spec: str) -> range:
    """``FROM:TO`` (both included) or a single year."""
    first, colon, last = spec.partition(":")
    try:
        start = int(first.strip())
        stop = int(last.strip()) if colon else start
    except ValueError:
        raise InvalidInput(f"--years: expected FROM:TO, e.g. 2026:2040 (got {spec!r})") from None
    if not 1 <= start <= 9999 or not 1 <= stop <= 9999:
        raise InvalidInput(f"--years: expected years between 1 and 9999 (got {spec!r})")
    if start > stop:
        raise InvalidInput(f"--years {spec}: the range is empty (FROM is after TO)")
    if stop - start + 1 > MAX_YEARS:
        raise InvalidInput(f"--years: {stop - start + 1} years; at most {MAX_YEARS}")
    return range(start, stop + 1)


# --- output ------------------------------------------------------------------------------


def render_sweep(
    scenario: Scenario,
    parameter: str,
    rows: Sequence[tuple[Fraction, Sequence[Outcome]]],
    fmt: str,
) -> str:
    if fmt == "json":
        payload = {
            "scenario": scenario.name,
            "sweep": parameter,
            "rows": [
                {"value": plain_number(value)} | outcome_json(o)
                for value, outcomes in rows
                for o in outcomes
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    column = f"sweep {parameter}"
    lines = [{column: show(value)} | summary_row(o) for value, outcomes in rows for o in outcomes]
    return f"{scenario.name}: sweep of {parameter}\n\n{table(lines, [column, *SUMMARY])}"


def render_years(loaded: ScenarioFile, projection: Sequence[YearOutcome], fmt: str) -> str:
    source = loaded.source
    if fmt == "json":
        payload = {
            "scenario": loaded.name,
            "holders_from": None if source is None else str(source),
            "counts": None if source is None else source.counting.value,
            "years": [
                {
                    "year": y.year,
                    "on": y.on.isoformat(),
                    "holders": holders_json(y.holders),
                    "patents": y.patents,
                    "regimes": [outcome_json(o) for o in y.outcomes],
                }
                for y in projection
            ],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    names = [r.name for r in loaded.regimes]
    counted = counted_label(source)
    summary = [
        {"year": y.year, "holders": len(y.holders), counted: y.patents} | summary_row(o)
        for y in projection
        for o in y.outcomes
    ]
    income = [
        {"year": y.year, "member": h.member or h.id, counted: h.patents}
        | {o.regime.name: two_decimals(o.holder_income[h.id]) for o in y.outcomes}
        for y in projection
        for h in y.holders
    ]
    return "\n\n".join(
        [
            f"{loaded.name}: holders of {source} in force on 1 January of each year",
            table(summary, ["year", "holders", counted, *SUMMARY]),
            "Income, by member",
            table(income, ["year", "member", counted, *names]),
        ]
    )


COMMANDS = [compare]
