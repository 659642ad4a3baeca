"""The command-line interface: thin click commands that call the library.

Each subject has its own module; this one builds the ``patentpool`` group.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from patentpool import __version__
from patentpool.cli.common import App
from patentpool.errors import PatentpoolError
from patentpool.gcpause import settle_imports_at_work


class PoolGroup(click.Group):
    """Turns every library error into ``Error: ...`` and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PatentpoolError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=PoolGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "url",
    envvar="PATENTPOOL_DATABASE_URL",
    default="sqlite:///patentpool.db",
    show_default=True,
    metavar="URL",
    help="Database URL (also PATENTPOOL_DATABASE_URL), e.g. postgresql+psycopg://user@host/pool.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bars (they are drawn on a terminal only)."
)
@click.version_option(__version__, prog_name="patentpool")
@click.pass_context
def cli(ctx: click.Context, url: str, quiet: bool) -> None:
    """Administer the patent pool of a standards alliance.

    \b
    Example:
      patentpool demo
      patentpool --db sqlite:///pool.db db upgrade
      patentpool --db sqlite:///pool.db import samples/igrs-v1/
    """
    ctx.obj = App(url=url, quiet=quiet)


def _register_commands() -> None:
    from patentpool.cli import (
        audit,
        books,
        closing,
        compare,
        db,
        demo,
        distributions,
        exporting,
        history,
        importing,
        licensing,
        numbers,
        register,
        report,
        template,
        users,
    )

    for module in (
        db,
        importing,
        register,
        history,
        audit,
        numbers,
        exporting,
        licensing,
        distributions,
        books,
        closing,
        compare,
        report,
        template,
        users,
        demo,
    ):
        for command in module.COMMANDS:
            cli.add_command(command)


_register_commands()


def main() -> None:
    """The console entry point: an unexpected failure is one line, not a traceback.

    Set PATENTPOOL_DEBUG=1 to see the traceback of an unexpected failure.
    """
    settle_imports_at_work()
    try:
        cli(prog_name="patentpool", standalone_mode=True)
    except Exception as exc:
        if os.environ.get("PATENTPOOL_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected {type(exc).__name__}: {exc} "
            "(set PATENTPOOL_DEBUG=1 for details, and please report it)",
            err=True,
        )
        sys.exit(1)
