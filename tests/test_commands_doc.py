"""docs/commands.md holds every command's real --help; this test keeps it fresh.

Rewrite it on purpose with: PATENTPOOL_UPDATE_DOCS=1 pytest tests/test_commands_doc.py
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import click
from click.testing import CliRunner
from paths import ROOT

from patentpool.cli import cli

DOC = ROOT / "docs" / "commands.md"
HEADER = """# Command reference

Every `patentpool` command with its `--help`, exactly as the installed tool prints it (a test
checks that this page matches the code). Global options (`--db URL`, `--version`) go before the
command: `patentpool --db sqlite:///pool.db counts ...`.

A command that looks at one day (which patents are in force, what is counted) takes it as
`--as-of YYYY-MM-DD`; `--in-force-on YYYY-MM-DD` is accepted as the same option, and is not
repeated in the help below.
"""


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name in sorted(group.commands):
        command = group.commands[name]
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from walk(command, path)


def _forget_help_options(group: click.Group) -> None:
    """click caches each command's --help option the first time it is built; a test that ran
    a subcommand on its own (without the group's ``-h``) must not change this page."""
    for command in group.commands.values():
        if hasattr(command, "_help_option"):
            command._help_option = None
        if isinstance(command, click.Group):
            _forget_help_options(command)


def render() -> str:
    _forget_help_options(cli)
    parts = [HEADER]
    top = CliRunner().invoke(cli, ["--help"], terminal_width=100)
    parts.append(f"## patentpool\n\n```text\n{top.stdout.rstrip()}\n```\n")
    for path in walk(cli):
        result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100)
        assert result.exit_code == 0, result.output
        parts.append(f"## patentpool {' '.join(path)}\n\n```text\n{result.stdout.rstrip()}\n```\n")
    return "\n".join(parts)


def test_command_reference_is_current() -> None:
    text = render()
    if os.environ.get("PATENTPOOL_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, (
        "docs/commands.md is stale: run PATENTPOOL_UPDATE_DOCS=1 pytest tests/test_commands_doc.py"
    )
