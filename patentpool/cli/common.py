"""What every command shares: the application object, output formats and error mapping."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from patentpool.reports.text import cell_text, table

if TYPE_CHECKING:  # imported by the commands that work, not by ``--help``
    from decimal import Decimal

    from patentpool.core.licensing import Licensee, Program
    from patentpool.core.model import Register
    from patentpool.core.periods import Period
    from patentpool.core.royalties import RoyaltyResult

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")
DEFAULT_URL = "sqlite:///patentpool.db"


@dataclass
class App:
    """Handed to every command as ``click``'s context object."""

    url: str = field(
        default_factory=lambda: os.environ.get("PATENTPOOL_DATABASE_URL") or DEFAULT_URL
    )
    quiet: bool = False

    def progress(self, label: str, total: int) -> AbstractContextManager[Callable[[int], None]]:
        """A progress bar on a terminal; nothing with --quiet or when stderr is not a terminal."""
        from patentpool.cli.progress import progress

        return progress(label, total, quiet=self.quiet)

    def load_register(self) -> Register:
        """The whole register as plain core values (raises a ClickException if unusable)."""
        from patentpool.services import commands

        return commands.register(self.url)

    def load_licensing(self) -> tuple[dict[str, Licensee], dict[str, Program]]:
        """Licensees and programmes by id."""
        from patentpool.services import commands

        return commands.licensing(self.url)

    def royalties(
        self, program_id: str, period: Period, licensee_id: str | None = None
    ) -> RoyaltyResult:
        """What is due for a quarter (see :func:`patentpool.services.royalties.royalties`)."""
        from patentpool.services import commands

        return commands.royalties(self.url, program_id, period, licensee_id)


pass_app = click.make_pass_decorator(App, ensure=True)


def period_callback(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> Period | None:
    """A ``--period`` option's quarter (2026Q1)."""
    from patentpool.core.periods import Period

    return None if value is None else Period.parse(value, "--period")


def money(value: Decimal) -> str:
    """An amount as a plain decimal string."""
    return format(value, "f")


#: The encodings ``--encoding`` takes (UTF-16 files are read by their byte order mark).
ENCODINGS = ("utf-8", "cp1252", "latin-1")


def dialect_options(func: F) -> F:
    """``--encoding`` and ``--decimal-comma``: how the command's CSV files are read."""
    func = click.option(
        "--decimal-comma",
        is_flag=True,
        help="Read net_sales and amount with a decimal comma (1.234,50) in files separated "
        "by ';' or tabs.",
    )(func)
    return encoding_option(func)


def encoding_option(func: F) -> F:
    """``--encoding``: the encoding of the command's CSV files without a byte order mark."""
    return click.option(
        "--encoding",
        type=click.Choice(ENCODINGS, case_sensitive=False),
        default="utf-8",
        show_default=True,
        help="Encoding of CSV files without a byte order mark (UTF-16 is read by its mark).",
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def render_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, json_payload: Any = None
) -> str:
    """Render rows as a plain-text table, JSON (``json_payload`` when given) or CSV."""
    if fmt == "json":
        payload = json_payload if json_payload is not None else list(rows)
        return json.dumps(payload, indent=2, default=str, ensure_ascii=False)
    if fmt == "csv":
        from patentpool.services.files import neutralise

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(cell_text(row.get(c))) for c in columns])
        return buf.getvalue().rstrip("\n")
    return table(rows, columns)


def resolve_member(register: Register, written: str) -> str:
    """The id of the member ``written`` names (its id, name or alias); when it was not the id,
    says on stderr which member it is."""
    from patentpool.core.names import member_names

    found = member_names((m.id, m.name, m.aliases) for m in register.members).resolve(written)
    if found != written:
        click.echo(f"{written!r} is member {found}", err=True)
    return found


def resolve_licensee(licensees: Iterable[Licensee], written: str) -> str:
    """The id of the licensee ``written`` names (its id or name), said as for members."""
    from patentpool.core.names import licensee_names

    found = licensee_names((lic.id, lic.name) for lic in licensees).resolve(written)
    if found != written:
        click.echo(f"{written!r} is licensee {found}", err=True)
    return found


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the library's user-facing errors into ``Error: ...`` and exit status 1."""
    from patentpool.errors import PatentpoolError

    try:
        yield
    except PatentpoolError as exc:
        raise click.ClickException(str(exc)) from exc
