"""The day a command looks at: ``--as-of DATE``, also accepted as ``--in-force-on DATE``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DATE = click.DateTime(["%Y-%m-%d"])
#: the names ``--as-of`` is also accepted under; --help shows ``--as-of`` only
AS_OF_ALIASES = ("--in-force-on",)


class AliasedOption(click.Option):
    """An option accepted under several names whose --help shows the first name only."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        names = self.opts
        self.opts = names[:1]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = names


def as_of_option(help: str) -> Callable[[F], F]:
    """``--as-of DATE`` (YYYY-MM-DD), passed as ``as_of``; ``--in-force-on`` is the same."""
    return click.option("--as-of", *AS_OF_ALIASES, "as_of", cls=AliasedOption, type=DATE, help=help)
