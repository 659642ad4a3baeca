"""The command line run in the tests' own process, on the database at a URL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from patentpool.cli import cli


def run(url: str, *args: str | Path) -> tuple[int, str, str]:
    """``patentpool --db URL ARGS...``: its exit code, standard output and standard error."""
    result = CliRunner().invoke(cli, ["--db", url, *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def run_ok(url: str, *args: str | Path) -> str:
    """:func:`run` of a command that must succeed: its standard output."""
    code, out, err = run(url, *args)
    assert code == 0, err
    return out
