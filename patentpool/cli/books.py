"""The quarter's books: ``reports accept``, ``runs approve`` and ``publish``, ``invoices``,
``receivables`` and ``report account``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from patentpool.cli.common import App, format_option, money, pass_app, period_callback, render_rows
from patentpool.cli.dates import AS_OF_ALIASES, DATE, AliasedOption, as_of_option
from patentpool.cli.distributions import runs
from patentpool.cli.workbooks import check_xlsx, table_format_options, write_xlsx
from patentpool.core.periods import Period


@click.group("reports")
def reports() -> None:
    """Licensees' sales reports: submitted when imported, then accepted by staff.

    \b
    Example:
      patentpool reports accept --program igrs-v1 --period 2026Q1
    """


@reports.command("accept")
@click.option("--program", required=True, help="Programme id.")
@click.option("--period", required=True, callback=period_callback, help="Quarter, e.g. 2026Q1.")
@click.option("--licensee", help="Only this licensee's report (default: every one).")
@click.option("--reason", help="Why a correction replaces an accepted report (required then).")
@pass_app
def reports_accept(
    app: App, program: str, period: Period, licensee: str | None, reason: str | None
) -> None:
    """Accept the submitted reports of a quarter (their current revisions).

    A correction of a report that was already accepted is accepted like the first, but only
    with --reason, which is kept with it.

    \b
    Example:
      patentpool reports accept --program igrs-v1 --period 2026Q1
      patentpool reports accept --program igrs-v1 --period 2026Q2 --licensee example-home
    """
    from patentpool.services import book_commands

    done = book_commands.accept_reports(app.url, program, period, licensee, reason)
    if not done:
        click.echo(f"{program} {period}: nothing to accept (every report is accepted)")
        return
    for item in done:
        why = f" (correction: {item.reason})" if item.reason else ""
        click.echo(f"accepted {item.licensee} {period} revision {item.revision}{why}")
    click.echo(f"{program} {period}: {len(done)} report(s) accepted")


@runs.command("approve")
@click.argument("run_id", type=int)
@pass_app
def runs_approve(app: App, run_id: int) -> None:
    """Approve a draft distribution run, so that it can be published.

    \b
    Example:
      patentpool runs approve 2
    """
    from patentpool.services import book_commands

    state = book_commands.approve_run(app.url, run_id)
    click.echo(f"run {run_id}: {state.text()}")


@runs.command("publish")
@click.argument("run_id", type=int)
@click.option("--reason", help="Why it supersedes the period's published run (required then).")
@pass_app
def runs_publish(app: App, run_id: int, reason: str | None) -> None:
    """Publish an approved run: members' statements show it from now on.

    A published run is never changed: a later run of the same period, once published with
    --reason, supersedes it, and both say so.

    \b
    Example:
      patentpool runs publish 2 --reason "hybrid policy adopted"
    """
    from patentpool.services import book_commands

    state = book_commands.publish_run(app.url, run_id, reason)
    click.echo(f"run {run_id}: {state.text()}")


@click.group("invoices")
def invoices() -> None:
    """Numbered invoices and credit notes.

    \b
    Example:
      patentpool invoices issue --program igrs-v1 --period 2026Q1 --date 2026-04-15
      patentpool invoices list --program igrs-v1
    """


@invoices.command("issue")
@click.option("--program", required=True, help="Programme id.")
@click.option("--period", required=True, callback=period_callback, help="Quarter, e.g. 2026Q1.")
@click.option("--date", "day", type=DATE, help="Issue date (YYYY-MM-DD; default today).")
@pass_app
def invoices_issue(app: App, program: str, period: Period, day: dt.datetime | None) -> None:
    """Issue one invoice to each licensee owing money for the quarter.

    Numbers run without gaps per programme and year (IGRS-2026-0001); an invoice is due
    payment_terms_days after it is issued. Issuing again issues nothing new; when a correction
    changed what a licensee owes, its invoice is cancelled by a credit note and a new one
    issued.

    \b
    Example:
      patentpool invoices issue --program igrs-v1 --period 2026Q1 --date 2026-04-15
    """
    from patentpool.core.money import round_money
    from patentpool.services import book_commands

    issued = day.date() if day is not None else dt.date.today()
    done = book_commands.issue_invoices(app.url, program, period, issued)
    for doc in (*done.credit_notes, *done.invoices):
        what = f"credit note for {doc.credits}" if doc.credits else f"due {doc.due}"
        click.echo(f"{doc.number} {doc.licensee:<24} {money(doc.amount):>14} {doc.currency} {what}")
    total = money(round_money(done.total, done.currency))
    click.echo(
        f"{program} {period}: {len(done.invoices)} invoice(s) issued ({total} {done.currency}), "
        f"{len(done.credit_notes)} credit note(s), {done.unchanged} already invoiced"
    )


INVOICE_COLUMNS = [
    "number",
    "kind",
    "program",
    "licensee",
    "period",
    "issued",
    "due",
    "amount",
    "currency",
    "credits",
    "late_interest",
]


@invoices.command("list")
@click.option("--program", help="Only this programme's invoices.")
@format_option
@pass_app
def invoices_list(app: App, program: str | None, fmt: str) -> None:
    """List invoices and credit notes, by programme, year and number.

    \b
    Example:
      patentpool invoices list --program igrs-v1 --format csv
    """
    from patentpool.services import book_commands
    from patentpool.services.portal_books import invoice_row

    rows = [invoice_row(d) for d in book_commands.list_invoices(app.url, program)]
    click.echo(render_rows(rows, INVOICE_COLUMNS, fmt))


RECEIVABLE_COLUMNS = [
    "program",
    "licensee",
    "currency",
    "not yet due",
    "1-30",
    "31-60",
    "61-90",
    "over 90",
    "interest",
    "on account",
    "total",
]


@click.command("receivables")
@click.option(
    "--as-of",
    *AS_OF_ALIASES,
    "as_of",
    cls=AliasedOption,
    type=DATE,
    required=True,
    help="The day (YYYY-MM-DD).",
)
@click.option("--program", help="Only this programme.")
@table_format_options
@pass_app
def receivables_cmd(
    app: App, as_of: dt.datetime, program: str | None, fmt: str, output: Path | None
) -> None:
    """What each licensee owes on a day: open invoices by days past due, interest, total.

    Interest is simple, on actual days over 365, from the day after an invoice's due date,
    rounded once per invoice; "on account" is what was paid beyond the invoices.

    \b
    Example:
      patentpool receivables --as-of 2026-06-30
      patentpool receivables --as-of 2026-06-30 --format xlsx -o receivables.xlsx
    """
    check_xlsx(fmt, output)
    from patentpool.services import book_commands
    from patentpool.services.portal_books import receivable_rows

    rows = receivable_rows(book_commands.receivables(app.url, as_of.date(), program))
    if fmt == "xlsx":
        _receivables_xlsx(app, output, as_of.date(), rows)
        return
    if fmt == "table" and not rows:
        click.echo(f"no invoices as of {as_of.date()}")
        return
    click.echo(render_rows(rows, RECEIVABLE_COLUMNS, fmt))


def _receivables_xlsx(
    app: App, output: Path | None, day: dt.date, rows: list[dict[str, Any]]
) -> None:
    """The receivables as a workbook: amounts as numbers to the currency's minor unit."""
    from patentpool.reports.workbook import table

    money_columns = set(RECEIVABLE_COLUMNS[3:])
    columns = [(c, "money" if c in money_columns else "text") for c in RECEIVABLE_COLUMNS]
    currencies = {row["currency"] for row in rows}
    write_xlsx(
        app,
        output,
        f"Receivables as of {day.isoformat()}",
        [table("Receivables", columns, rows)],
        currency=currencies.pop() if len(currencies) == 1 else None,
    )


COMMANDS = [reports, invoices, receivables_cmd]


def _add_account_report() -> None:
    """``report account`` joins the other reports (their options and formats)."""
    from patentpool.cli.report import _today, emit, output_options, report

    @report.command("account")
    @click.option("--licensee", "licensee_id", required=True, help="The licensee's id or name.")
    @click.option("--program", "program_id", required=True, help="The programme's id.")
    @as_of_option("As of this day (YYYY-MM-DD; default today).")
    @output_options
    @pass_app
    def account(
        app: App, /, licensee_id: str, program_id: str, as_of: dt.datetime | None, **options: Any
    ) -> None:
        """A licensee's statement of account: invoices, credit notes, payments, late interest
        to the day, the balance, and what is open by days past due.

        \b
        Example:
          patentpool report account --licensee example-home --program igrs-v1 -o a.html
        """
        from patentpool.cli.common import resolve_licensee, user_errors
        from patentpool.reports.account import account_context
        from patentpool.services import book_commands

        with user_errors():
            licensees, _ = app.load_licensing()
            found = resolve_licensee(licensees.values(), licensee_id)
            day = _today(as_of)
            statement, receivable, rate = book_commands.account(app.url, program_id, found, day)
            context = account_context(
                program_id, licensees[found].name, rate, statement, receivable
            )
            emit("account", context, options, app.load_register())


_add_account_report()
