"""``patentpool history`` and ``sales-reports``: what happened to a patent or a sales report,
when, and from which file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from patentpool.cli.common import App, format_option, pass_app, period_callback, render_rows
from patentpool.errors import InvalidInput

if TYPE_CHECKING:
    from patentpool.core.periods import Period


@click.command("history")
@click.argument("patent", required=False)
@click.option(
    "--portal",
    is_flag=True,
    help="Instead: every change made through the portal or to its users, and by whom.",
)
@format_option
@pass_app
def history(app: App, patent: str | None, portal: bool, fmt: str) -> None:
    """Show every recorded change to PATENT and its declarations.

    Each import that added or changed the patent (owner, dates, status, validated
    states) or one of its declarations (section, essentiality, evaluator) is listed
    with when it happened, what changed and the file and line it came from. Its
    dated events are listed beside them: when each became true (its detail) and when
    it was recorded (its time). With --portal: the uploads, distribution runs and user
    changes made through the portal (or by `patentpool users`), each with the user who
    made it.

    \b
    Example:
      patentpool history "CN 101183215 B"
      patentpool history --portal
    """
    from patentpool.services import commands

    if portal:
        _portal_history(app, fmt)
        return
    if patent is None:
        raise click.UsageError("give a PATENT, or --portal")

    key, changes = commands.patent_history(app.url, patent)
    if not changes:
        raise InvalidInput(f"no recorded change for {key}: it was never imported")
    rows = [
        {
            "at": c.at,
            "import": c.import_id,
            "what": c.entity if c.entity in ("patent", "event") else c.key,
            "action": c.action,
            "detail": c.detail,
            "source": c.source,
        }
        for c in changes
    ]
    click.echo(
        render_rows(
            rows,
            ["at", "import", "what", "action", "detail", "source"],
            fmt,
            json_payload={"patent": key, "changes": rows},
        )
    )


def _portal_history(app: App, fmt: str) -> None:
    from patentpool.services import accounts

    rows = [
        {
            "at": e.at.isoformat(timespec="seconds"),
            "user": e.username,
            "action": e.action,
            "detail": e.detail,
        }
        for e in accounts.events(app.url)
    ]
    click.echo(render_rows(rows, ["at", "user", "action", "detail"], fmt))


@click.command("sales-reports")
@click.option("--program", help="Only this programme's reports.")
@click.option("--licensee", help="Only this licensee's reports.")
@click.option(
    "--period", callback=period_callback, help="Only this quarter's reports, e.g. 2026Q1."
)
@format_option
@pass_app
def sales_reports(
    app: App, program: str | None, licensee: str | None, period: Period | None, fmt: str
) -> None:
    """List every revision of the sales reports: lines, units, when, by whom, from which file.

    A report imported again with other lines is a correction: a new revision, the
    current one; the earlier revisions are kept with their lines.

    \b
    Example:
      patentpool sales-reports --licensee acme --period 2026Q1
    """
    from patentpool.services import commands

    found = commands.report_revisions(app.url, program, licensee, period)
    rows = [
        {
            "program": r.program,
            "licensee": r.licensee,
            "period": r.period,
            "revision": r.revision,
            "current": "yes" if r.current else "no",
            "lines": r.lines,
            "units": r.units,
            "imported_at": r.imported_at,
            "by": r.imported_by or "",
            "import": r.import_id or "",
            "source": r.source,
        }
        for r in found
    ]
    columns = ["program", "licensee", "period", "revision", "current", "lines", "units"]
    columns += ["imported_at", "by", "import", "source"]
    click.echo(render_rows(rows, columns, fmt))


COMMANDS = [history, sales_reports]
