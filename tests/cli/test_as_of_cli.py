"""The day a command looks at is `--as-of DATE` everywhere; `--in-force-on DATE` is accepted
as the same option and left out of --help (docs/commands.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from test_docs import COMMANDS, command_id

from patentpool.cli import cli

DATED = [
    (path, command)
    for path, command in COMMANDS
    if any(
        isinstance(p, click.Option) and {"--as-of", "--in-force-on"} & set(p.opts)
        for p in command.params
    )
]


def test_every_command_that_takes_a_day_is_found() -> None:
    assert {command_id(path) for path, _ in DATED} >= {
        "patentpool patents list",
        "patentpool counts",
        "patentpool topdown",
        "patentpool report pool",
        "patentpool report member",
        "patentpool report license",
    }


@pytest.mark.parametrize(("path", "command"), DATED, ids=[command_id(p) for p, _ in DATED])
def test_as_of_and_in_force_on_are_one_option_and_help_shows_as_of(
    path: tuple[str, ...], command: click.Command
) -> None:
    dated = [
        p
        for p in command.params
        if isinstance(p, click.Option) and {"--as-of", "--in-force-on"} & set(p.opts)
    ]
    assert [(p.name, p.opts) for p in dated] == [("as_of", ["--as-of", "--in-force-on"])]
    shown = CliRunner().invoke(cli, [*path, "--help"], terminal_width=100).stdout
    assert "--as-of [%Y-%m-%d]" in shown
    assert "--in-force-on" not in shown


@pytest.fixture
def demo_url(demo_database: Path, tmp_path: Path) -> str:
    return f"sqlite:///{shutil.copy(demo_database, tmp_path / 'demo.db')}"


@pytest.mark.parametrize(
    "args",
    [
        ["patents", "list", "--country", "DE"],
        ["counts", "--standard", "IGRS", "--version", "1.0"],
        ["topdown", "--program", "igrs-v1", "--aggregate-rate", "5%"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_either_name_gives_the_same_answer(demo_url: str, args: list[str]) -> None:
    def output(*extra: str) -> str:
        result = CliRunner().invoke(cli, ["--db", demo_url, *args, *extra, "--format", "json"])
        assert result.exit_code == 0, result.output
        return result.stdout

    as_of = output("--as-of", "2010-06-30")
    assert output("--in-force-on", "2010-06-30") == as_of
    assert output("--as-of", "2026-03-31") != as_of  # the day is used
