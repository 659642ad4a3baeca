"""``patentpool audit``: a member's own list against the register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from patentpool.cli.common import (
    App,
    encoding_option,
    format_option,
    pass_app,
    render_rows,
    resolve_member,
)
from patentpool.errors import PatentpoolError

#: the exit status when the lists differ, and when nothing could be audited
DIFFER, UNUSABLE = 1, 2


class NotAudited(click.ClickException):
    """Nothing was audited: ``Error: ...`` and exit status 2 (1 means the lists differ)."""

    exit_code = UNUSABLE


@click.command("audit")
@click.option("--member", required=True, help="Member id, name or alias whose patents are audited.")
@click.option(
    "--against",
    "against",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The member's own list: a patents CSV, the CSV of `patents list`, or one number per line.",
)
@click.option("--jurisdiction", help="Office for bare numbers such as 7123456 (e.g. US).")
@encoding_option
@format_option
@pass_app
def audit(
    app: App,
    member: str,
    against: Path,
    jurisdiction: str | None,
    encoding: str,
    fmt: str,
) -> None:
    """Compare a member's own list of patents with the register.

    Reports each patent missing from the register, unknown to the member, or held
    with different fields (owner, dates, status, version, essentiality). The list is
    a patents CSV (as imported), the CSV that `patentpool patents list --member ID
    --format csv` writes, or one number per line.

    Exit status 0 when they agree, 1 when they differ, 2 when nothing could be
    audited: the file is unreadable, has no number column or has bad rows, the
    member is unknown, or the database cannot be used.

    \b
    Example:
      patentpool patents list --member lenovo --format csv > lenovo-patents.csv
      patentpool audit --member lenovo --against lenovo-patents.csv
    """
    try:
        findings = _audit(app, member, against, jurisdiction, fmt, encoding.lower())
    except NotAudited:
        raise
    except PatentpoolError as exc:
        raise NotAudited(str(exc)) from exc
    except click.ClickException as exc:
        raise NotAudited(exc.format_message()) from exc
    if findings:
        raise SystemExit(DIFFER)


def _audit(
    app: App, member: str, against: Path, jurisdiction: str | None, fmt: str, encoding: str
) -> int:
    """Print the audit; the number of findings."""
    from patentpool.core.audit import audit_member
    from patentpool.services.files import ImportFailed, member_list

    register = app.load_register()
    member = resolve_member(register, member)
    try:
        claimed = member_list(
            against, register, jurisdiction.upper() if jurisdiction else None, encoding
        )
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise NotAudited(f"{against}: {len(exc.problems)} problem(s); nothing was audited") from exc
    findings = audit_member(register, member, claimed, dt.date.today())
    rows = [
        {
            "patent": f.patent,
            "finding": f.kind.value,
            "details": "; ".join(f.details),
            "source": f.source,
        }
        for f in findings
    ]
    payload = {
        "member": member,
        "against": str(against),
        "listed": len(claimed),
        "agree": not findings,
        "findings": rows,
    }
    if fmt == "table":
        if findings:
            click.echo(render_rows(rows, ["patent", "finding", "details"], fmt))
            click.echo(
                f"\n{len(findings)} difference(s) between {against} and the register for {member}"
            )
        else:
            click.echo(
                f"{against} and the register agree on all {len(claimed)} patents of {member}"
            )
    else:
        click.echo(
            render_rows(rows, ["patent", "finding", "details", "source"], fmt, json_payload=payload)
        )
    return len(findings)


COMMANDS = [audit]
