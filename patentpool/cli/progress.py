"""Progress bars for long steps (imports of big sales files, royalties over a million lines).

A bar is drawn on standard error only when it is a terminal and ``--quiet`` was not given, so
piped output and scripts see nothing of it. The library reports progress through a plain
callback (``advance(n)``: ``n`` more items done), so nothing outside ``patentpool/cli`` knows
about terminals.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import click

Advance = Callable[[int], None]


def shown(quiet: bool, stream: TextIO | None = None) -> bool:
    """Is a bar drawn? Not with ``--quiet``, and not when the stream is not a terminal."""
    target = stream if stream is not None else sys.stderr
    return not quiet and target.isatty()


def _ignore(n: int) -> None:
    del n


@contextmanager
def progress(
    label: str, total: int, *, quiet: bool = False, stream: TextIO | None = None
) -> Iterator[Advance]:
    """A bar of ``total`` items while the block runs; yields ``advance``."""
    target = stream if stream is not None else sys.stderr
    if not shown(quiet, target):
        yield _ignore
        return
    bar: Any
    with click.progressbar(length=total, label=label, file=target, show_pos=True) as bar:
        yield bar.update
