"""``patentpool users``: the portal's accounts, and ``patentpool serve``: the portal itself."""

from __future__ import annotations

import os
import sys

import click

from patentpool.cli.common import App, format_option, pass_app, render_rows

ROLES = ("staff", "member", "licensee", "counsel")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@click.group("users")
def users() -> None:
    """The portal's users: staff, member, licensee and counsel accounts, and API tokens.

    \b
    Example:
      patentpool users list
    """


def _password(password_stdin: bool, random_password: bool) -> tuple[str, bool]:
    """The new password, and whether it was made here (and must be shown once)."""
    if password_stdin and random_password:
        raise click.UsageError("give --password-stdin or --random-password, not both")
    if random_password:
        import secrets

        return secrets.token_urlsafe(15), True
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return click.prompt("Password", hide_input=True, confirmation_prompt=True), False


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--member", help="The member a member user is bound to (its id).")
@click.option("--licensee", help="The licensee a licensee user is bound to (its id).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--random-password", is_flag=True, help="Make a random password and print it once.")
@pass_app
def users_add(
    app: App,
    name: str,
    role: str,
    member: str | None,
    licensee: str | None,
    password_stdin: bool,
    random_password: bool,
) -> None:
    """Add a portal user NAME; the password (at least 12 characters) is asked for, read from
    standard input, or made at random and printed once.

    \b
    Example:
      patentpool users add alice --role staff --random-password
      patentpool users add lenovo-audit --role member --member lenovo --random-password
    """
    from patentpool.services import accounts

    password, made = _password(password_stdin, random_password)
    account = accounts.add_user(
        app.url, name, role, password, member=member, licensee=licensee, by=_os_user()
    )
    click.echo(f"added {account.role.value} user {account.name}")
    if made:
        click.echo(f"password (shown once): {password}")


@users.command("list")
@format_option
@pass_app
def users_list(app: App, fmt: str) -> None:
    """List the portal's users: role, member or licensee, enabled or not.

    \b
    Example:
      patentpool users list --format json
    """
    from patentpool.services import accounts

    rows = [
        {
            "name": a.name,
            "role": a.role.value,
            "member": a.member or "",
            "licensee": a.licensee or "",
            "disabled": "yes" if a.disabled else "no",
            "created_at": a.created_at.isoformat(timespec="seconds"),
        }
        for a in accounts.list_users(app.url)
    ]
    click.echo(
        render_rows(rows, ["name", "role", "member", "licensee", "disabled", "created_at"], fmt)
    )


@users.command("disable")
@click.argument("name")
@pass_app
def users_disable(app: App, name: str) -> None:
    """Disable user NAME: it can no longer sign in, its sessions end, its tokens are revoked.

    \b
    Example:
      patentpool users disable lenovo-audit
    """
    from patentpool.services import accounts

    accounts.disable_user(app.url, name, by=_os_user())
    click.echo(f"disabled {name}: its sessions ended and its tokens were revoked")


@users.command("token")
@click.argument("name")
@click.option(
    "--expires", "days", type=click.IntRange(min=1), metavar="DAYS", help="Expire after DAYS days."
)
@pass_app
def users_token(app: App, name: str, days: int | None) -> None:
    """Make an API token for user NAME, printed once (only its hash is kept).

    \b
    Example:
      patentpool users token alice --expires 90
    """
    from patentpool.services import accounts

    token = accounts.issue_token(app.url, name, days, by=_os_user())
    click.echo(token)


@users.command("revoke-token")
@click.argument("name")
@pass_app
def users_revoke_token(app: App, name: str) -> None:
    """Revoke every API token of user NAME.

    \b
    Example:
      patentpool users revoke-token alice
    """
    from patentpool.services import accounts

    count = accounts.revoke_tokens(app.url, name, by=_os_user())
    click.echo(f"revoked {count} token(s) of {name}")


def _os_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--https",
    is_flag=True,
    help="The portal is reached over TLS (a reverse proxy): cookies are marked Secure.",
)
@click.option("--insecure-http", is_flag=True, help="Allow listening beyond localhost without TLS.")
@pass_app
def serve(app: App, host: str, port: int, workers: int, https: bool, insecure_http: bool) -> None:
    """Serve the portal (pages and the API) on the register, with uvicorn.

    Listening beyond localhost needs --https (behind a TLS reverse proxy) or --insecure-http.

    \b
    Example:
      patentpool --db sqlite:///patentpool.db serve --port 8000
      patentpool serve --host 0.0.0.0 --https --workers 2
    """
    if host not in LOCAL_HOSTS and not (https or insecure_http):
        raise click.UsageError(
            f"--host {host} listens beyond localhost: give --https (behind TLS) or --insecure-http"
        )
    from patentpool.services import accounts

    accounts.list_users(app.url)  # the schema is checked before the server starts
    import uvicorn

    os.environ["PATENTPOOL_DATABASE_URL"] = app.url
    os.environ["PATENTPOOL_PORTAL_HTTPS"] = "1" if https else ""
    click.echo(f"serving {accounts.shown_url(app.url)} on http://{host}:{port}/", err=True)
    uvicorn.run(
        "patentpool.portal.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        server_header=False,
        proxy_headers=https,
        log_level="warning",
    )


COMMANDS = [users, serve]
