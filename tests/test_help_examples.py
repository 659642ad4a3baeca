"""Every command's `Example:` block, as --help prints it and as a user would type it.

- each example stands on a line of its own in --help (click rewraps a paragraph unless it is
  marked with ``\\b``);
- each example runs, with exit status 0, in a folder holding the database `patentpool demo`
  builds and the files the examples name, so every id, file and run it names exists in the
  shipped sample. The commands run in the order docs/commands.md lists them, on one database
  (the `distribute` examples make the second run that `runs diff 1 2` compares), each
  distinct example once. Examples of `patentpool demo`, of `patentpool serve` (which listens
  until stopped) and of a PostgreSQL `--db` are parsed only.
"""

from __future__ import annotations

import itertools
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from paths import ROOT
from test_docs import command_id, walk

from patentpool.cli import cli
from patentpool.storage.engine import dispose_all

COMMANDS = list(walk(cli))
HELP_WIDTH = 100  # as docs/commands.md renders --help


def examples(command: click.Command) -> list[str]:
    """The lines of the command's `Example:` block, as its docstring writes them."""
    lines = (command.help or "").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"^\s*Examples?:\s*$", line))
    block = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line.strip())
    return block


def rendered_help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=HELP_WIDTH)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[command_id(p) for p, _ in COMMANDS])
def test_each_example_stands_on_its_own_line(path: tuple[str, ...], command: click.Command) -> None:
    block = examples(command)
    assert block, f"`{command_id(path)} --help` has an empty Example block"
    for line in block:
        assert line.startswith("patentpool "), (
            f"`{command_id(path)} --help`: example line {line!r} does not start with "
            "'patentpool': write each example whole, on a line of its own"
        )
    shown = [line.strip() for line in rendered_help(path).splitlines()]
    for line in block:
        assert line in shown, (
            f"`{command_id(path)} --help` runs the example {line!r} into other text; mark the "
            "Example block with a line '\\b' before it so that click keeps its lines"
        )


# --- running the examples ------------------------------------------------------------------

#: files the examples name that no command makes, as a member or a user would bring them
INPUTS = {
    "numbers.txt": "US 7,123,456 B2\n7123456\nCN 101183215 B\n",
    "declarations.csv": "Publication number,Title\nCN 101183215 B,System and method\n",
}


def parse_only(args: list[str]) -> bool:
    """Examples that would build a whole demo, serve until stopped or need a PostgreSQL server
    are parsed only."""
    if "demo" in args or "serve" in args:
        return True
    return any(a == "--db" and not b.startswith("sqlite:") for a, b in itertools.pairwise(args))


def _unparsed(ctx: click.Context) -> list[str]:
    """The words a group leaves to its subcommand (click 8.2 renamed where it keeps them)."""
    protected = getattr(ctx, "_protected_args", None)
    if protected is None:
        protected = getattr(ctx, "protected_args", [])
    return [*protected, *ctx.args]


def parse(args: list[str]) -> None:
    """Parse ``patentpool ARGS`` down to the last subcommand, as click would before running it
    (an unknown command or option, or a bad value, raises)."""
    command: click.Command = cli
    ctx = cli.make_context("patentpool", list(args))
    rest = _unparsed(ctx)
    while isinstance(command, click.Group) and rest:
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None, args
        command = sub
        ctx = sub.make_context(str(name), rest, parent=ctx)
        rest = _unparsed(ctx)


def invocations(line: str) -> list[tuple[list[str], str | None]]:
    """The commands of an example line (joined by ``&&``), each with the file its output is
    redirected to (``> FILE``), if any."""
    out = []
    for part in line.split(" && "):
        words = shlex.split(part)
        target = None
        if len(words) > 2 and words[-2] == ">":
            words, target = words[:-2], words[-1]
        assert words[0] == "patentpool", line
        out.append((words[1:], target))
    return out


@pytest.fixture
def work(demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder with the demo's database as the default `patentpool.db`, the samples, and the
    files the examples read."""
    folder = tmp_path / "work"
    folder.mkdir()
    shutil.copy(demo_database, folder / "patentpool.db")
    shutil.copytree(ROOT / "samples", folder / "samples")
    for name in ("alliance.yaml", "patents.csv"):
        shutil.copy(ROOT / "samples" / "igrs-v1" / name, folder / name)
    for name, text in INPUTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "my-templates").mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("PATENTPOOL_DATABASE_URL", raising=False)
    dispose_all()  # the relative `sqlite:///patentpool.db` must open this folder's file
    yield folder
    dispose_all()


def test_every_example_runs_on_the_demo_database(work: Path) -> None:
    failures = []
    ran = 0
    seen: set[str] = set()
    for path, command in COMMANDS:
        for line in examples(command):
            if line in seen:  # a group's example repeats one of its commands': run once
                continue
            seen.add(line)
            for args, target in invocations(line):
                if parse_only(args):
                    parse(args)
                    continue
                result = CliRunner().invoke(cli, args)
                ran += 1
                if result.exit_code != 0:
                    failures.append(
                        f"`{command_id(path)} --help`: `{line}` exits {result.exit_code}:\n"
                        f"{result.output.strip()[-600:]}"
                    )
                elif target is not None:
                    (work / target).write_text(result.stdout, encoding="utf-8")
    assert ran >= 40, "the examples were not found"
    assert not failures, "\n\n".join(failures)
