"""``patentpool demo``: the whole tool on the shipped IGRS sample."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo")
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path),
    default=Path("patentpool-demo"),
    show_default=True,
    help="Working folder; only an earlier demo's folder is overwritten.",
)
def demo(folder: Path) -> None:
    """Build a fresh SQLite register from the shipped IGRS sample and show what it holds.

    The sample's patents, owners and royalties are invented for illustration.

    \b
    Example:
      patentpool demo --dir /tmp/igrs-demo
    """
    from patentpool.demo import run_demo

    run_demo(folder, echo=click.echo)  # each line as it comes (click.echo flushes)


COMMANDS = [demo]
