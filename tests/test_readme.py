"""README.md's tour, replayed: every `$ patentpool ...` of its console blocks runs, in order,
in a fresh folder holding a copy of samples/ (the database is the default
`sqlite:///patentpool.db` there, built by the tour's own first commands), and prints what
README shows after it.

- a line `...` in README stands for any number of lines left out (none too), and a line
  ending in ` ...` for a line that begins as it does (what follows changes from run to run);
- `> FILE` at the end of a command writes its output to FILE, as a shell would;
- a block captioned ``File `NAME`:`` is written to NAME before the commands that follow;
- a command that prints an `Error:` line must not exit 0.

When an output changes on purpose, the failure shows README's block and what the command
prints now: paste the new lines into README.md (keeping `...` where lines are left out).
"""

from __future__ import annotations

import difflib
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT
from test_docs import blocks, read

from patentpool.cli import cli
from patentpool.storage.engine import dispose_all

README = ROOT / "README.md"
ELISION = "..."
TRUNCATED = " ..."


def _same(expected: str, actual: str) -> bool:
    """A README line and a printed one agree: equal, or the README line ends in ` ...` and the
    printed line begins with what stands before it."""
    if expected.endswith(TRUNCATED):
        return actual.startswith(expected[: -len(TRUNCATED)])
    return expected == actual


def _all_same(expected: list[str], actual: list[str]) -> bool:
    return len(expected) == len(actual) and all(map(_same, expected, actual))


def elided_match(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` with each `...` line standing for zero or more
    lines."""
    parts: list[list[str]] = [[]]
    for line in expected:
        if line == ELISION:
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return _all_same(expected, actual)
    first, *middle, last = parts
    end = len(actual) - len(last)
    if (
        end < len(first)
        or not _all_same(first, actual[: len(first)])
        or not _all_same(last, actual[end:])
    ):
        return False
    at = len(first)
    for part in middle:
        found = next(
            (
                i
                for i in range(at, end - len(part) + 1)
                if _all_same(part, actual[i : i + len(part)])
            ),
            None,
        )
        if found is None:
            return False
        at = found + len(part)
    return True


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "b", "c"], False),
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "...", "d"], ["a", "d"], True),
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["a", "..."], ["a", "b"], True),
        (["...", "c", "..."], ["a", "b", "c", "d"], True),
        (["...", "x", "..."], ["a", "b", "c", "d"], False),
        (["a", "...", "b", "...", "b"], ["a", "b"], False),
        (["a", "...", "b", "...", "b"], ["a", "b", "b"], True),
        (["made at ..."], ["made at 09:30"], True),
        (["made at ..."], ["made on 09:30"], False),
        (["a", "...", "made at ..."], ["a", "b", "made at 09:30"], True),
    ],
)
def test_elision_stands_for_any_lines(
    expected: list[str], actual: list[str], matches: bool
) -> None:
    assert elided_match(expected, actual) is matches


@dataclass
class Step:
    line: int  # README's line of the `$ ` command
    command: str
    expected: list[str]


def tour(text: str) -> list[Step | tuple[str, str]]:
    """README's steps in order: commands with the output README shows, and files to write
    (name, text)."""
    steps: list[Step | tuple[str, str]] = []
    for block in blocks(text):
        if block.caption is not None:
            steps.append((block.caption, "\n".join(block.lines) + "\n"))
            continue
        if block.info != "console":
            continue
        starts = [i for i, line in enumerate(block.lines) if line.startswith("$ ")]
        assert starts[:1] == [0], f"README.md:{block.start}: a console block starts with '$ '"
        for k, first in enumerate(starts):
            last = starts[k + 1] if k + 1 < len(starts) else len(block.lines)
            steps.append(
                Step(block.start + first + 1, block.lines[first][2:], block.lines[first + 1 : last])
            )
    return steps


def run(command: str, folder: Path) -> tuple[list[str], int]:
    words = shlex.split(command)
    assert words[0] == "patentpool", command
    target = None
    if len(words) > 2 and words[-2] == ">":
        words, target = words[:-2], words[-1]
    result = CliRunner().invoke(cli, words[1:])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    if target is not None:
        (folder / target).write_text(result.stdout, encoding="utf-8")
        printed = result.stderr
    else:
        printed = result.output
    return printed.rstrip("\n").splitlines(), result.exit_code


def failure(step: Step, actual: list[str], status: int, why: str) -> str:
    diff = "\n".join(
        difflib.unified_diff(
            step.expected, actual, "README shows", "the command prints", lineterm=""
        )
    )
    shown, printed = "\n".join(step.expected), "\n".join(actual)
    return (
        f"README.md:{step.line}: `{step.command}` (exit status {status}): {why}\n"
        f"--- README shows:\n{shown}\n"
        f"--- the command prints:\n{printed}\n"
        f"--- diff (`...` in README stands for lines left out):\n{diff}"
    )


def test_the_readme_tour_prints_what_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tour"
    folder.mkdir()
    shutil.copytree(ROOT / "samples", folder / "samples")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("PATENTPOOL_DATABASE_URL", raising=False)
    failures = []
    commands = 0
    dispose_all()  # a pooled connection of an earlier test's `sqlite:///patentpool.db` is another file
    try:
        for step in tour(read(README)):
            if isinstance(step, tuple):
                name, text = step
                (folder / name).write_text(text, encoding="utf-8")
                continue
            actual, status = run(step.command, folder)
            commands += 1
            if status == 0 and any(line.startswith("Error:") for line in actual):
                failures.append(failure(step, actual, status, "prints an error but exits 0"))
            elif not elided_match(step.expected, actual):
                failures.append(failure(step, actual, status, "prints something else"))
    finally:
        dispose_all()
    assert not failures, "\n\n".join(failures)
    assert commands >= 15, "README.md lost its tour"
