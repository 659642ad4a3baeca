"""``patentpool close``: a quarter's books closed in one command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from patentpool.cli.common import App, money, pass_app, period_callback
from patentpool.cli.dates import DATE
from patentpool.core.periods import Period


@click.command("close")
@click.option("--program", required=True, help="Programme id.")
@click.option("--period", required=True, callback=period_callback, help="Quarter, e.g. 2026Q1.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the invoices and member statements (default: close-PROGRAM-PERIOD).",
)
@click.option("--date", "day", type=DATE, help="Issue date of the invoices (default today).")
@click.option(
    "--allow-missing", is_flag=True, help="Close although licensees bound to report have not."
)
@pass_app
def close_cmd(
    app: App,
    program: str,
    period: Period,
    out: Path | None,
    day: dt.datetime | None,
    allow_missing: bool,
) -> None:
    """Close a quarter: check the reports, price it, invoice it, make the distribution run.

    Refuses while a licensee bound to report (signed by the quarter's last day) has not
    (unless --allow-missing) or a report is not accepted. Then prices the quarter, issues the
    invoices, makes the distribution run (a draft, for `runs approve` and `runs publish`),
    writes every invoice and every member statement as HTML and PDF into the folder, and
    prints one summary. Closing again issues no invoice twice.

    \b
    Example:
      patentpool close --program igrs-v1 --period 2026Q1 --allow-missing --out close-2026Q1
    """
    from patentpool.services import book_commands

    issued = day.date() if day is not None else dt.date.today()
    done = book_commands.close_quarter(
        app.url, program, period, issued, allow_missing=allow_missing
    )
    folder = out if out is not None else Path(f"close-{program}-{period}")
    written, skipped = _render(app, done, folder)
    cur = done.program.currency
    lines = [
        f"{program} {period} closed: collected {money(done.collected)} {cur}, "
        f"fee {money(done.fee)}, distributable {money(done.distributable)}",
        f"invoices issued: {len(done.issued)} (credit notes {len(done.credit_notes)}; "
        f"{len(done.invoices)} standing for the quarter)",
        f"distribution run {done.run.id} ({'reproduced' if done.run.reproduced else 'new'}, "
        f"draft until `patentpool runs approve {done.run.id}` and `runs publish {done.run.id}`)",
        f"missing reporters: {', '.join(done.missing) if done.missing else 'none'}",
        f"wrote {written} file(s) into {folder}" + (f" ({skipped})" if skipped else ""),
    ]
    click.echo("\n".join(lines))


def _render(app: App, done: object, folder: Path) -> tuple[int, str]:
    """Every invoice and member statement of the close, HTML and PDF, with a progress bar."""
    from patentpool.reports.errors import MissingDependency
    from patentpool.reports.invoice import PaymentTerms, invoice_context
    from patentpool.reports.member import member_context
    from patentpool.reports.render import render
    from patentpool.services.closing import Closed

    assert isinstance(done, Closed)
    register = done.register
    issuer = register.alliance.name if register.alliance else None
    illustrative = register.illustrative
    jobs: list[tuple[str, object, str]] = []
    for doc, royalty in done.invoices:
        terms = PaymentTerms(doc.issued, (doc.due - doc.issued).days, doc.number, None, issuer)
        context = invoice_context(
            royalty,
            done.program,
            done.licensees[doc.licensee],
            done.period,
            terms,
            done.corrections.get(doc.licensee, ()),
        )
        jobs.append(("invoice", context, f"invoice-{doc.number}"))
    for member in sorted(m.id for m in register.members):
        statement = member_context(register, member, [done.stored], None, done.period.last_day)
        jobs.append(("member", statement, f"member-{member}"))
    folder.mkdir(parents=True, exist_ok=True)
    written, skipped = 0, ""
    with app.progress("Writing invoices and statements", len(jobs) * 2) as advance:
        for kind, report, name in jobs:
            for fmt in ("html", "pdf"):
                try:
                    result = render(kind, report, fmt, illustrative=illustrative)
                except MissingDependency as exc:
                    skipped = f"PDF skipped: {exc}"
                    advance(1)
                    continue
                path = folder / f"{name}.{fmt}"
                if isinstance(result, bytes):
                    path.write_bytes(result)
                else:
                    path.write_text(result, encoding="utf-8")
                written += 1
                advance(1)
    return written, skipped


COMMANDS = [close_cmd]
