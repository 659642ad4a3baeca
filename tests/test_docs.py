"""The documentation checked against the code.

- every command has an ``Example:`` (or ``Examples:``) line in its help, and is shown in
  README.md or docs/*.md;
- the patents CSV columns in docs/formats.md are the importer's columns;
- every console example in docs/formats.md prints what the code prints (replayed in order);
- the rule table and the worked examples in docs/expiry.md are the core's;
- docs/dependencies.md lists exactly the packages pyproject.toml depends on;
- docs/architecture.md's import rule holds: the core imports nothing from the edges.

When an example's output changes on purpose, refresh docs/formats.md with
``PATENTPOOL_UPDATE_DOCS=1 .venv/bin/pytest tests/test_docs.py`` and read the diff.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import shlex
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from patentpool.cli import cli
from patentpool.core.model import Patent, Status
from patentpool.core.numbers import normalize
from patentpool.core.terms import TERM_RULES, expiry_of, in_force
from patentpool.io.register_schema import PATENT_COLUMNS, PATENT_REQUIRED

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FORMATS = DOCS / "formats.md"
EXPIRY = DOCS / "expiry.md"
DEPENDENCIES = DOCS / "dependencies.md"
UPDATE = os.environ.get("PATENTPOOL_UPDATE_DOCS", "").strip() not in ("", "0")


# --- Markdown helpers ----------------------------------------------------------------------


def read(path: Path) -> str:
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under the first heading that contains ``heading``, up to the next heading of
    the same or a higher level."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^(#+)\s+(.*)$", line)
        if match and heading.lower() in match.group(2).lower():
            level = len(match.group(1))
            body = []
            for rest in lines[i + 1 :]:
                other = re.match(r"^(#+)\s", rest)
                if other and len(other.group(1)) <= level:
                    break
                body.append(rest)
            return "\n".join(body)
    raise AssertionError(f"no heading containing {heading!r}")


def tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table in ``text``: rows of cells, header first, the rule row dropped."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.strip().startswith("|"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                current.append([c.replace("\\|", "|") for c in cells])
        elif current:
            found.append(current)
            current = []
    return found


def table_headed(text: str, *header: str) -> list[list[str]]:
    """The rows (header excluded) of the first table whose header starts with ``header``."""
    for table in tables(text):
        if tuple(c.lower() for c in table[0][: len(header)]) == header:
            return table[1:]
    raise AssertionError(f"no table whose header starts with {' | '.join(header)}")


def code(cell: str) -> str:
    """The text of a cell written as inline code, such as `` `filing_date` ``."""
    match = re.fullmatch(r"`([^`]*)`", cell.strip())
    assert match, f"expected a cell in backticks, got {cell!r}"
    return match.group(1)


# --- Commands --------------------------------------------------------------------------------


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            yield from walk(command.commands[name], (*path, name))


COMMANDS = list(walk(cli))
SUBCOMMANDS = [(path, command) for path, command in COMMANDS if path]


def command_id(path: tuple[str, ...]) -> str:
    return " ".join(("patentpool", *path))


def root_value_options() -> set[str]:
    """The root group's options that take a value (such as --db URL)."""
    return {
        name
        for param in cli.params
        if isinstance(param, click.Option) and not param.is_flag
        for name in param.opts + param.secondary_opts
    }


def invocation(rest: str) -> list[str]:
    """The command words of ``patentpool <rest>``: root options (and their values) skipped,
    then the words up to the first option."""
    takes_value = root_value_options()
    tokens = rest.split()
    words: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith("-"):
        if tokens[i] in takes_value:
            i += 1
        i += 1
    for token in tokens[i:]:
        if token.startswith("-") or token in ("|", "&&", ";", ">", "2>&1"):
            break
        words.append(token)
    return words


def invocations(text: str) -> list[list[str]]:
    """Every ``patentpool ...`` invocation written in ``text`` (prose, inline code or blocks)."""
    found = []
    for line in text.splitlines():
        for match in re.finditer(r"(?<![\w./-])patentpool[ \t]+([^`\n]*)", line):
            words = invocation(match.group(1))
            if words:
                found.append(words)
    return found


def documentation() -> str:
    """README.md and every docs/*.md file, together."""
    parts = [read(path) for path in sorted(DOCS.glob("*.md"))]
    readme = ROOT / "README.md"
    if readme.is_file():
        parts.append(read(readme))
    return "\n".join(parts)


def test_the_command_tree_is_found() -> None:
    # Guards the walk itself: a broken walk would make the two tests below pass vacuously.
    paths = {path for path, _ in COMMANDS}
    assert {(), ("import",), ("db",), ("db", "upgrade"), ("patents", "list")} <= paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[command_id(p) for p, _ in COMMANDS])
def test_every_command_has_an_example_in_its_help(path: tuple[str, ...], command: click.Command) -> None:
    assert re.search(r"^\s*Examples?:\s*$", command.help or "", re.MULTILINE), (
        f"`{command_id(path)} --help` has no 'Example:' line; add one to its docstring"
    )


@pytest.mark.parametrize(
    ("path", "command"), SUBCOMMANDS, ids=[command_id(p) for p, _ in SUBCOMMANDS]
)
def test_every_command_is_shown_in_the_docs(path: tuple[str, ...], command: click.Command) -> None:
    shown = invocations(documentation())
    assert any(words[: len(path)] == list(path) for words in shown), (
        f"`{command_id(path)}` is shown nowhere in README.md or docs/*.md; "
        "document it with an example invocation"
    )


def test_invocations_are_read_as_commands() -> None:
    text = (
        "Run `patentpool --db sqlite:///pool.db db upgrade` first.\n"
        "    $ patentpool patents list --member lenovo\n"
        "The patentpool.core package; patentpool is a tool; `patentpool -h`.\n"
    )
    assert invocations(text) == [["db", "upgrade"], ["patents", "list"], ["is", "a", "tool;"]]


# --- docs/formats.md: the patents CSV columns ---------------------------------------------


def patent_column_rows() -> list[list[str]]:
    return table_headed(section(read(FORMATS), "Patents CSV"), "column", "required")


def test_patents_csv_columns_are_the_importers() -> None:
    documented = tuple(code(row[0]) for row in patent_column_rows())
    assert documented == PATENT_COLUMNS


def test_patents_csv_required_columns_are_the_importers() -> None:
    required = tuple(code(row[0]) for row in patent_column_rows() if row[1].lower() == "yes")
    assert required == PATENT_REQUIRED
    assert all(row[1].lower() in ("yes", "no") for row in patent_column_rows())


# --- docs/formats.md: the console examples, replayed --------------------------------------

FENCE = re.compile(r"^```([\w-]*)\s*$")
CAPTION = re.compile(r"^File `([^`]+)`:\s*$")


@dataclass
class Block:
    info: str
    caption: str | None
    start: int  # index of the first line inside the fence
    lines: list[str]


def blocks(text: str) -> list[Block]:
    """Fenced code blocks in order, each with the ``File `path`:`` caption just before it."""
    lines = text.splitlines()
    found = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        caption = None
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and (cap := CAPTION.match(lines[j])):
            caption = cap.group(1)
        end = i + 1
        while end < len(lines) and lines[end].rstrip() != "```":
            end += 1
        found.append(Block(match.group(1), caption, i + 1, lines[i + 1 : end]))
        i = end + 1
    return found


def run(url: str, command: str) -> tuple[str, int]:
    args = shlex.split(command)
    assert args[0] == "patentpool", command
    result = CliRunner().invoke(cli, ["--db", url, *args[1:]])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.output.rstrip("\n"), result.exit_code


def test_formats_examples_print_what_the_code_prints(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = read(FORMATS)
    work = tmp_path / "files"
    work.mkdir()
    monkeypatch.chdir(work)
    lines = text.splitlines()
    replaced: list[tuple[int, int, list[str]]] = []
    failures = []
    commands = 0
    for block in blocks(text):
        if block.caption is not None:
            target = work / block.caption
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
            continue
        if block.info != "console":
            continue
        starts = [i for i, line in enumerate(block.lines) if line.startswith("$ ")]
        assert starts[:1] == [0], f"console block at line {block.start} must start with '$ '"
        for k, first in enumerate(starts):
            last = starts[k + 1] if k + 1 < len(starts) else len(block.lines)
            command = block.lines[first][2:]
            expected = "\n".join(block.lines[first + 1 : last])
            actual, status = run(sqlite_url, command)
            commands += 1
            if any(line.startswith("Error:") for line in actual.splitlines()):
                assert status == 1, f"{command}: exit status {status}\n{actual}"
            if actual != expected:
                failures.append(f"docs/formats.md:{block.start + first + 1}: `{command}` prints\n{actual}\n"
                                f"but the docs say\n{expected}")
                replaced.append((block.start + first + 1, block.start + last, actual.splitlines()))
    assert commands >= 5, "docs/formats.md lost its console examples"
    if failures and UPDATE:
        for begin, end, new in reversed(replaced):
            lines[begin:end] = new
        FORMATS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not failures, "\n\n".join(failures) + (
        "\n\n(refresh with PATENTPOOL_UPDATE_DOCS=1 when the change is intended)"
    )


# --- docs/expiry.md -------------------------------------------------------------------------


def test_rule_table_is_the_cores() -> None:
    rows = table_headed(read(EXPIRY), "office", "kind codes", "years from filing")
    documented = []
    for office, kinds, years, *_ in rows:
        office_code = "*" if office.lower().startswith("any") else code(office)
        kind_set = (
            frozenset()
            if kinds.lower().startswith("any")
            else frozenset(code(k) for k in kinds.split(","))
        )
        documented.append((office_code, kind_set, int(years)))
    assert documented == [(r.jurisdiction, r.kinds, r.years) for r in TERM_RULES]


def optional_date(cell: str) -> dt.date | None:
    return None if cell in ("", "-", "—") else dt.date.fromisoformat(cell)


def test_worked_examples_in_expiry_md_hold() -> None:
    rows = table_headed(
        read(EXPIRY), "patent", "filed", "granted", "expiry given", "status", "validated in",
        "expires", "on", "in", "in force",
    )
    assert len(rows) >= 8
    for patent_cell, filed, granted, given, status, states, expires, on, where, answer, *_ in rows:
        number = normalize(code(patent_cell))
        patent = Patent(
            jurisdiction=number.jurisdiction,
            number=number.number,
            owner="example",
            filing_date=dt.date.fromisoformat(filed),
            kind=number.kind,
            grant_date=optional_date(granted),
            expiry_date=optional_date(given),
            status=Status(status),
            validated_states=frozenset(s for s in states.replace(",", " ").split() if s != "-"),
        )
        label = f"{code(patent_cell)} filed {filed}"
        assert expiry_of(patent) == dt.date.fromisoformat(expires), label
        country = None if where.lower() == "anywhere" else where
        assert in_force(patent, dt.date.fromisoformat(on), country) is (answer.lower() == "yes"), (
            f"{label}: in force on {on} in {where}?"
        )


# --- docs/dependencies.md -------------------------------------------------------------------


def requirement_name(requirement: str) -> str:
    name = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert name, requirement
    return re.sub(r"[-_.]+", "-", name.group(1)).lower()


def test_dependencies_md_lists_every_dependency_of_pyproject() -> None:
    pyproject = tomllib.loads(read(ROOT / "pyproject.toml"))
    declared = {requirement_name(r) for r in pyproject["build-system"]["requires"]}
    declared |= {requirement_name(r) for r in pyproject["project"]["dependencies"]}
    for extra in pyproject["project"].get("optional-dependencies", {}).values():
        declared |= {requirement_name(r) for r in extra}
    documented = set()
    for table in tables(read(DEPENDENCIES)):
        if table[0][0].lower() == "package":
            documented |= {requirement_name(code(row[0])) for row in table[1:]}
    assert sorted(declared - documented) == [], "in pyproject.toml but not in docs/dependencies.md"
    assert sorted(documented - declared) == [], "in docs/dependencies.md but not in pyproject.toml"


# --- docs/architecture.md: the import rule --------------------------------------------------

EDGES = {"storage", "io", "cli", "reports", "services", "demo", "resources"}
EDGE_LIBRARIES = {"sqlalchemy", "alembic", "psycopg", "pydantic", "click", "yaml", "jinja2"}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "patentpool" / "core").glob("*.py")),
    ids=lambda p: p.name,
)
def test_core_imports_nothing_from_the_edges(path: Path) -> None:
    bad = sorted(
        m for m in imports_of(path)
        if (m.startswith("patentpool.") and m.split(".")[1] in EDGES)
        or m.split(".")[0] in EDGE_LIBRARIES
    )
    assert bad == [], f"patentpool/core/{path.name} imports {', '.join(bad)}"


def test_nothing_outside_the_cli_imports_click() -> None:
    package = ROOT / "patentpool"
    bad = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "cli":
            continue
        for module in imports_of(path):
            if module.split(".")[0] == "click":
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    assert bad == []
