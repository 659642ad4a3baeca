"""``patentpool history``: what happened to a patent, when, and from which file."""

from __future__ import annotations

import click

from patentpool.cli.common import App, format_option, pass_app, render_rows
from patentpool.errors import InvalidInput


@click.command("history")
@click.argument("patent")
@format_option
@pass_app
def history(app: App, patent: str, fmt: str) -> None:
    """Show every recorded change to PATENT and its declarations.

    Each import that added or changed the patent (owner, dates, status, validated
    states) or one of its declarations (section, essentiality, evaluator) is listed
    with when it happened, what changed and the file and line it came from.

    \b
    Example:
      patentpool history "CN 101183215 B"
    """
    from patentpool.services.history import patent_history
    from patentpool.storage.engine import session_for

    with session_for(app.url) as session:
        key, changes = patent_history(session, patent)
    if not changes:
        raise InvalidInput(f"no recorded change for {key}: it was never imported")
    rows = [
        {
            "at": c.at,
            "import": c.import_id,
            "what": c.entity if c.entity == "patent" else c.key,
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


COMMANDS = [history]
