"""``patentpool distribute`` and ``runs``: a quarter's royalties split among the members,
stored as runs that can be listed, shown and compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from patentpool.cli.common import App, format_option, money, pass_app, period_callback, render_rows
from patentpool.cli.workbooks import check_xlsx, table_format_options, write_xlsx
from patentpool.core.periods import Period


def _params(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not key=value")
        out[key.strip()] = val.strip()
    return out


@click.command("distribute")
@click.option("--program", required=True, help="Programme id.")
@click.option("--period", required=True, callback=period_callback, help="Quarter, e.g. 2026Q1.")
@click.option("--policy", help="Distribution policy (default: the programme's).")
@click.option(
    "--param",
    "params",
    multiple=True,
    callback=_params,
    help="Policy parameter key=value (repeatable).",
)
@click.option(
    "--basis",
    type=click.Choice(["collected", "due"]),
    default="collected",
    show_default=True,
    help="Split what was paid, or what is due.",
)
@table_format_options
@pass_app
def distribute_cmd(
    app: App,
    program: str,
    period: Period,
    policy: str | None,
    params: dict[str, str],
    basis: str,
    fmt: str,
    output: Path | None,
) -> None:
    """Split a quarter's royalties: the pool's fee, then each member's share and amount.

    The run is stored with its inputs' checksum. Running it again on unchanged inputs
    reproduces the same run (and says so); changed inputs make a new revision.

    \b
    Example:
      patentpool distribute --program igrs-v1 --period 2026Q1
      patentpool distribute --program igrs-v1 --period 2026Q1 --policy hybrid --param alpha=0.2
      patentpool distribute --program igrs-v1 --period 2026Q1 --format xlsx -o q1-run.xlsx
    """
    from patentpool.services import commands

    check_xlsx(fmt, output)
    run, degenerate = commands.distribute(
        app.url, program, period, policy, params, basis, note=fmt == "table"
    )
    if fmt == "json":
        click.echo(run.text)
        return
    doc = run.result
    if fmt == "xlsx":
        run_xlsx(app, output, doc)
        return
    rows = [{k: m[k] for k in ("member", "basis", "share", "amount")} for m in doc["members"]]
    if fmt == "csv":
        click.echo(render_rows(rows, ["member", "basis", "share", "amount"], "csv"))
        return
    state = (
        "reproduced the stored run (inputs unchanged)" if run.reproduced else "stored as a new run"
    )
    click.echo(
        f"{doc['program']} {doc['period']}: run {doc['run_id']} "
        f"(revision {doc['revision']}), {state}\n"
        f"policy {doc['policy']}{' ' + json.dumps(doc['params']) if doc['params'] else ''}, "
        f"basis {doc['basis']}\n"
        f"collected {doc['collected']} {doc['currency']}, admin fee {doc['admin_fee']}, "
        f"distributable {doc['distributable']}\n"
    )
    click.echo(render_rows(rows, ["member", "basis", "share", "amount"], "table"))
    if degenerate is not None:
        click.echo(f"\nnote: {degenerate.sentence()}")
    click.echo(f"\nrounding: {doc['rounding']}; inputs sha256 {doc['inputs_sha256']}")


@click.group("runs")
def runs() -> None:
    """Stored distribution runs.

    \b
    Example:
      patentpool runs list
      patentpool runs diff 1 2
    """


@runs.command("list")
@click.option("--program", help="Only this programme's runs.")
@format_option
@pass_app
def runs_list(app: App, program: str | None, fmt: str) -> None:
    """List stored distribution runs.

    A run computed from a sales report that was corrected since is marked "superseded by a
    correction" (which report, which revisions) until a new run of its period is made. The
    status is draft, approved or published, with the published run it supersedes or that
    supersedes it, and why.

    \b
    Example:
      patentpool runs list --program igrs-v1
    """
    from patentpool.services import book_commands, commands

    found = commands.runs(app.url, program)
    states = book_commands.run_states(app.url)
    rows = [
        {
            "run": r.id,
            "program": r.program,
            "period": str(r.period),
            "revision": r.revision,
            "policy": r.policy,
            "basis": r.basis,
            "distributable": r.result["distributable"],
            "created_at": r.created_at,
            "inputs_sha256": r.inputs_sha256[:12],
            "status": states[r.id].text(),
            "superseded": r.superseded or "",
        }
        for r in found
    ]
    click.echo(
        render_rows(
            rows,
            [
                "run",
                "program",
                "period",
                "revision",
                "policy",
                "basis",
                "distributable",
                "created_at",
                "inputs_sha256",
                "status",
                "superseded",
            ],
            fmt,
        )
    )


def run_xlsx(app: App, output: Path | None, doc: dict[str, Any]) -> None:
    """A distribution run's members and figures as a workbook."""
    from patentpool.reports.workbook import table

    columns = [
        ("member", "text"),
        ("basis", "text"),
        ("share", "share"),
        ("share_exact", "text"),
        ("amount", "money"),
    ]
    members = [*doc["members"], {"member": "total", "amount": doc["distributable"]}]
    facts = [
        ("program", doc["program"]),
        ("period", doc["period"]),
        ("policy", doc["policy"]),
        ("params", json.dumps(doc["params"]) if doc["params"] else ""),
        ("basis", doc["basis"]),
        ("currency", doc["currency"]),
    ]
    amounts = [(k, doc[k]) for k in ("collected", "admin_fee", "distributable")]
    facts += [("rounding", doc["rounding"]), ("inputs_sha256", doc["inputs_sha256"])]
    sheets = [
        table("Members", columns, members),
        table("Amounts", [("figure", "text"), ("amount", "money")], amounts),
        table("Run", ["fact", "value"], facts),
    ]
    title = f"Distribution of {doc['program']} {doc['period']}"
    source = (
        f"distribution run {doc['run_id']} (revision {doc['revision']}, "
        f"made {doc['created_at']}, inputs sha256 {doc['inputs_sha256'][:12]})"
    )
    write_xlsx(app, output, title, sheets, source=source, currency=doc["currency"])


@runs.command("show")
@click.argument("run_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "xlsx"]),
    default="json",
    show_default=True,
    help="The run's JSON as made, or its tables as a workbook (with -o FILE).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Write the --format xlsx workbook to FILE.",
)
@pass_app
def runs_show(app: App, run_id: int, fmt: str, output: Path | None) -> None:
    """Print a stored run's JSON exactly as it was made.

    A run superseded by a correction of a sales report it was computed from says so on
    standard error, the JSON staying as it was made; so does a run whose shares are
    degenerate (a veto player, one member taking everything, nobody getting anything).

    \b
    Example:
      patentpool runs show 1
      patentpool runs show 1 --format xlsx -o run-1.xlsx
    """
    from patentpool.services import commands

    check_xlsx(fmt, output)
    run, degenerate = commands.run(app.url, run_id)
    if fmt == "xlsx":
        run_xlsx(app, output, run.result)
    else:
        click.echo(run.text)
    if run.superseded:
        click.echo(
            f"run {run.id} ({run.program} {run.period}) is {run.superseded}; make a new run "
            f"with `patentpool distribute --program {run.program} --period {run.period}`",
            err=True,
        )
    if degenerate is not None:
        click.echo(f"note: {degenerate.sentence()}", err=True)


@runs.command("diff")
@click.argument("a", type=int)
@click.argument("b", type=int)
@format_option
@pass_app
def runs_diff(app: App, a: int, b: int, fmt: str) -> None:
    """Who gained or lost what between two runs, and why (patents, sales reports).

    \b
    Example:
      patentpool runs diff 1 2
    """
    from patentpool.services import commands

    run_a, run_b, changes, general = commands.diff_runs(app.url, a, b)
    rows = [
        {
            "member": c.member,
            "before": money(c.before),
            "after": money(c.after),
            "change": f"{c.change:+f}",
            "why": "; ".join(c.reasons),
        }
        for c in changes
    ]
    payload = {"a": a, "b": b, "changes": rows, "inputs": general}
    if fmt == "table":
        click.echo(
            f"run {a} ({run_a.program} {run_a.period} rev {run_a.revision}) -> "
            f"run {b} ({run_b.program} {run_b.period} rev {run_b.revision})"
        )
        for line in general:
            click.echo(f"  {line}")
        click.echo("")
        if not rows:
            click.echo("no member's amount changed")
            return
    click.echo(
        render_rows(rows, ["member", "before", "after", "change", "why"], fmt, json_payload=payload)
    )


COMMANDS = [distribute_cmd, runs]
