"""``patentpool audit``: a member's own list against the register."""

from __future__ import annotations

from pathlib import Path

import click

from patentpool.cli.common import App, format_option, pass_app, render_rows, resolve_member


@click.command("audit")
@click.option("--member", required=True, help="Member id, name or alias whose patents are audited.")
@click.option(
    "--against",
    "against",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The member's own list: a patents CSV, or one number per line.",
)
@click.option("--jurisdiction", help="Office for bare numbers such as 7123456 (e.g. US).")
@format_option
@pass_app
def audit(app: App, member: str, against: Path, jurisdiction: str | None, fmt: str) -> None:
    """Compare a member's own list of patents with the register.

    Reports each patent missing from the register, unknown to the member, or held
    with different fields (owner, dates, status, version, essentiality). Exit status
    0 when they agree, 1 when they differ.

    \b
    Example:
      patentpool audit --member lenovo --against lenovo-patents.csv
    """
    from patentpool.core.audit import audit_member
    from patentpool.io.member_list import read_member_list
    from patentpool.io.problems import ImportFailed

    register = app.load_register()
    member = resolve_member(register, member)
    try:
        claimed = read_member_list(
            against, register, jurisdiction.upper() if jurisdiction else None
        )
    except ImportFailed as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{against}: {len(exc.problems)} problem(s); nothing was audited"
        ) from exc
    findings = audit_member(register, member, claimed)
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
    if findings:
        raise SystemExit(1)


COMMANDS = [audit]
