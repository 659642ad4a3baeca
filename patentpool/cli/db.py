"""``patentpool db``: create and upgrade the schema."""

from __future__ import annotations

import click

from patentpool.cli.common import App, pass_app


@click.group("db")
def db() -> None:
    """Create, upgrade and inspect the database schema.

    \b
    Example:
      patentpool --db sqlite:///pool.db db upgrade
    """


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Schema revision to reach.")
@pass_app
def upgrade(app: App, revision: str) -> None:
    """Create the schema, or upgrade it to the newest revision, keeping all data.

    \b
    Example:
      patentpool --db postgresql+psycopg://pool@localhost/pool db upgrade
    """
    from patentpool.storage.engine import safe_url
    from patentpool.storage.migrate import upgrade as run_upgrade

    before, after = run_upgrade(app.url, revision)
    where = safe_url(app.url)
    if before == after:
        click.echo(f"{where} is already at schema revision {after}")
    elif before is None:
        click.echo(f"created the patentpool schema in {where} (revision {after})")
    else:
        click.echo(f"upgraded {where} from revision {before} to {after}")


@db.command("current")
@pass_app
def current(app: App) -> None:
    """Print the schema revision the database is at.

    \b
    Example:
      patentpool db current
    """
    from patentpool.storage.engine import NoSchema, make_engine, safe_url, schema_revision
    from patentpool.storage.migrate import head_revision

    try:
        revision = schema_revision(make_engine(app.url))
    except NoSchema:  # a SQLite file that does not exist (and is not created)
        revision = None
    state = "no schema" if revision is None else f"revision {revision}"
    click.echo(f"{safe_url(app.url)}: {state} (this patentpool needs {head_revision()})")


COMMANDS = [db]
