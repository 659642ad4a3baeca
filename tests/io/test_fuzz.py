"""Fuzzing every importer: whatever a file holds, the import succeeds or names each problem.

Hypothesis starts from the good files of ``register_files`` and ``licensing_files`` and
mutates them (cells and lines deleted, duplicated and swapped, values replaced, unicode and
stray bytes inserted, delimiters changed, text truncated, YAML values and subtrees replaced),
or writes random text, bytes and YAML documents. For each file, ``import_paths`` must either
succeed or raise ``ImportFailed`` whose problems each give the file, a line in it, a field and
a message, on one line; any other exception fails the test. A failed import must leave every
table of the database as it was.

Each test keeps one SQLite database holding the good files; after an import that changed it,
the database is put back, so every example starts from the same state.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import ALLIANCE, HEADER, ROWS, write

from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

#: The usual run is short and the same every time; PATENTPOOL_FUZZ_EXAMPLES=5000 runs a long,
#: random one.
DEEP = os.environ.get("PATENTPOOL_FUZZ_EXAMPLES")
settings.register_profile(
    "importer-fuzz",
    max_examples=int(DEEP or 80),
    deadline=None,
    derandomize=not DEEP,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        # one database serves all examples of a test, put back by Pool.reset as needed
        HealthCheck.function_scoped_fixture,
    ],
)
FUZZ = settings.get_profile("importer-fuzz")

ALLIANCE_JSON = json.dumps(yaml.safe_load(ALLIANCE), default=str, indent=2) + "\n"
MORE_PAYMENTS = PAYMENTS + "beta,2025Q4,12.50,2026-01-25\n"
GOOD = {
    "alliance.yaml": ALLIANCE,
    "patents.csv": HEADER + ROWS,
    "licensing.yaml": LICENSING,
    "sales.csv": SALES_HEADER + SALES,
    "payments.csv": PAYMENTS,
}

#: One problem as the CLI prints it: FILE:LINE: FIELD: message, on one line.
PROBLEM = re.compile(
    r"(?P<file>[^\n]+):(?P<line>\d+): (?P<field>\S(?:[^\n]*?\S)?): (?P<message>\S[^\n]*)"
)


# --- The database -----------------------------------------------------------------------


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the SQLite database at ``url``, in a stable order."""
    path = url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in sorted(tables)}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the good register and licensing files."""
    folder = tmp_path_factory.mktemp("fuzz-base")
    for name, text in GOOD.items():
        write(folder, name, text)
    path = folder / "template.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with session_for(url) as session:
        import_paths(session, [folder])
    dispose_all()
    return path


class Pool:
    """One database for all examples of a test, put back after an import changed it."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template = template
        self.path = folder / "pool.db"
        self.url = f"sqlite:///{self.path}"
        self.folder = folder
        self.reset()

    def reset(self) -> None:
        dispose_all()
        shutil.copyfile(self.template, self.path)
        self.before = dump(self.url)

    def check(self, name: str, content: str | bytes) -> bool:
        """Import ``content`` as file ``name``: it succeeds (True), or fails (False) with
        located problems and nothing written."""
        path = self.folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
        failed = self.attempt(path)
        if failed is None:
            return True
        assert failed.problems, "ImportFailed without a problem"
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        last_line = len(text.splitlines()) + 1
        for problem in failed.problems:
            shown = str(problem)
            assert PROBLEM.fullmatch(shown), shown
            assert len(shown.splitlines()) == 1, shown
            assert problem.file == str(path), shown
            assert 1 <= problem.line <= last_line, shown
        assert dump(self.url) == self.before, "a failed import wrote to the database"
        return False

    def attempt(self, path: Path) -> ImportFailed | None:
        """Any exception but ImportFailed escapes, and fails the test."""
        try:
            with session_for(self.url, check_schema=False) as session:
                summary = import_paths(session, [path])
        except ImportFailed as failed:
            return failed
        if summary.changed:
            self.reset()
        return None


@pytest.fixture
def pool(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pool]:
    yield Pool(template, tmp_path_factory.mktemp("fuzz"))
    dispose_all()


# --- Values worth trying ----------------------------------------------------------------

# fmt: off
CELLS = [
    "", " ", "-1", "0", "-0", "2.5", "1e30", "1e999999", "NaN", "Infinity", "1,000", "1_000",
    "1,5", "1.000,50", "0.000000000001", "1e-13", "99999999999999999999", "2025-02-30",
    "2025-13-01", "2006/01/10", "0001-01-01", "9999-12-31", "2025Q5", "0000Q1", "9999Q4",
    "2025Q4", "2026Q1", "2024Q4", "=cmd|' /C calc'!A0", "'=1+1", "@SUM(A1)", '"', '""',
    '"x"y', "x" * 300, "\x00", "é", "😀", "\u202e", "CN101000001B", "EP1000002B1",
    "WO2020123456A1", "US 10,000,000 B2", "XX12", "lenovo", "LENOVO GROUP LIMITED", "tcl",
    "sony", "IGRS", "WIFI", "1.0", "1.1", "9.9", "discovery", "media", "granted", "pending",
    "expired", "essential", "declared", "not_essential", "DE FR;GB", "XZ", "UK", "acme",
    "beta", "zeta", "tv", "phone", "fridge", "DE", "US", "demo-v1", "nope", "10%", "program",
    "units", "amount", "received",
]

YAML_SCALARS = [
    "~", "null", "''", "1e400", ".nan", ".inf", "-.inf", "2025-13-01", "2025-02-30",
    "2025-01-01 10:00:00", "0x1F", "0o17", "yes", "no", "on", "1_000", "!!int abc",
    "!!float x", "!!bool maybe", "!!timestamp x", "!!binary '%%'", "!!str 1.0",
    "!!python/object:os.system x", "!!set {a: b}", "!!omap [a]", "[]", "{}", "[1, [2, [3]]]",
    "{a: {b: {c: 1}}}", "&a x", "*a", "'unterminated", '"\\q"', '"\\ud800"', '"\\0"', "|",
    ">", "- a", "? a", "@x", "`x", "%", "---", "...", "99999999999999999999999999", "-1",
    "'-0.5'", "'110%'", "'%'", "'7,5%'", "'1e20'", "'0.0000000000001'", "TCL Corporation",
    "Lenovo", "IGRS", "'1.0'", "1.0", "1.1", "XZ", "UK", "[IN, BR]", "[DE, XZ]", "essential",
    "declared", "bogus", "demo-v1", "'0.50'", "{per_unit: '1', percent: '2'}",
    "{tiers: [{up_to: 5, per_unit: '1'}]}", "[[[[[[]]]]]]",
]

KEYS = [
    "alliance", "members", "standards", "id", "name", "aliases", "joined", "versions",
    "published", "supersedes", "sections", "licensees", "programs", "group", "country",
    "member", "signed", "good_standing", "standard", "currency", "admin_fee", "counts",
    "policy", "schedules", "effective_from", "categories", "tiers", "up_to", "per_unit",
    "percent", "base_floor", "base_cap", "annual_cap", "regions", "countries", "multiplier",
    "discounts", "tv", "phone", "scenario", "bogus",
]
# fmt: on

cells = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
unicode_bits = st.text(min_size=1, max_size=6)
yaml_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.sampled_from(CELLS),
)
yaml_values = st.recursive(
    yaml_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=3),
    ),
    max_leaves=8,
)


# --- Mutations of text ------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]
Op = Callable[[Draw, str], str]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_line(draw: Draw, text: str) -> str:
    lines = _lines(text)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


def duplicate_line(draw: Draw, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(draw(st.integers(0, len(lines))), lines[i])
    return "\n".join(lines)


def swap_lines(draw: Draw, text: str) -> str:
    lines = _lines(text)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def truncate(draw: Draw, text: str) -> str:
    return text[: draw(st.integers(0, len(text)))]


def insert_unicode(draw: Draw, text: str) -> str:
    at = draw(st.integers(0, len(text)))
    return text[:at] + str(draw(unicode_bits)) + text[at:]


def line_endings(draw: Draw, text: str) -> str:
    return text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\u2028"])))


def _cells(text: str) -> list[list[str]]:
    return [line.split(",") for line in _lines(text)]


def _join(rows: list[list[str]]) -> str:
    return "\n".join(",".join(row) for row in rows)


def _cell(draw: Draw, rows: list[list[str]]) -> tuple[int, int]:
    i = draw(st.integers(0, len(rows) - 1))
    return i, draw(st.integers(0, len(rows[i]) - 1))


def delete_cell(draw: Draw, text: str) -> str:
    rows = _cells(text)
    i, j = _cell(draw, rows)
    del rows[i][j]
    return _join(rows)


def duplicate_cell(draw: Draw, text: str) -> str:
    rows = _cells(text)
    i, j = _cell(draw, rows)
    rows[i].insert(j, rows[i][j])
    return _join(rows)


def swap_cells(draw: Draw, text: str) -> str:
    rows = _cells(text)
    (i, j), (k, m) = _cell(draw, rows), _cell(draw, rows)
    rows[i][j], rows[k][m] = rows[k][m], rows[i][j]
    return _join(rows)


def replace_cell(draw: Draw, text: str) -> str:
    rows = _cells(text)
    i, j = _cell(draw, rows)
    rows[i][j] = draw(cells)
    return _join(rows)


def quote_cell(draw: Draw, text: str) -> str:
    rows = _cells(text)
    i, j = _cell(draw, rows)
    rows[i][j] = draw(st.sampled_from(['"{}"', '"{}', '{}"', ' "{}" ', '"{}""'])).format(rows[i][j])
    return _join(rows)


def change_delimiter(draw: Draw, text: str) -> str:
    return text.replace(",", draw(st.sampled_from([";", "\t", "|", ", ", ""])))


_VALUE = re.compile(r"(?<=: )[^,{}\[\]\n]+")


def replace_yaml_value(draw: Draw, text: str) -> str:
    spots = [m.span() for m in _VALUE.finditer(text)]
    if not spots:
        return text
    start, end = draw(st.sampled_from(spots))
    return text[:start] + str(draw(st.sampled_from(YAML_SCALARS))) + text[end:]


def indent_line(draw: Draw, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines) - 1))
    change = draw(st.sampled_from([" ", "  ", "\t", "-", "- ", "#", "? "]))
    if draw(st.booleans()):
        lines[i] = change + lines[i]
    else:
        lines[i] = lines[i][len(change) :] if lines[i].startswith(change) else lines[i].lstrip()
    return "\n".join(lines)


TEXT_OPS: list[Op] = [
    delete_line,
    duplicate_line,
    swap_lines,
    truncate,
    insert_unicode,
    line_endings,
]
CSV_OPS: list[Op] = [
    *TEXT_OPS,
    delete_cell,
    duplicate_cell,
    swap_cells,
    replace_cell,
    replace_cell,
    quote_cell,
    change_delimiter,
]
YAML_OPS: list[Op] = [*TEXT_OPS, replace_yaml_value, replace_yaml_value, indent_line]


@st.composite
def mutated(draw: Draw, text: str, ops: list[Op]) -> str | bytes:
    """``text`` after one to four mutations, sometimes with stray bytes in it."""
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.sampled_from(ops))(draw, text)
    if not draw(st.integers(0, 7)):
        raw = text.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + bytes(draw(st.binary(min_size=1, max_size=4))) + raw[at:]
    return text


# --- Mutations of YAML documents --------------------------------------------------------


def _paths(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*here, i))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


@st.composite
def mutated_document(draw: Draw, text: str, as_json: bool) -> str:
    """The parsed document with subtrees replaced, deleted, duplicated or added, dumped again."""
    doc = yaml.safe_load(text)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["replace", "delete", "duplicate", "add", "wrap"]))
        if action == "replace":
            parent[last] = draw(yaml_values)
        elif action == "delete":
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, parent[last])
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(yaml_values)
        elif action == "wrap":
            parent[last] = [parent[last]]
    if as_json:
        return json.dumps(doc, default=str, ensure_ascii=draw(st.booleans()))
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


anything = st.one_of(st.text(max_size=200), st.binary(max_size=200))


def csv_inputs(text: str) -> st.SearchStrategy[str | bytes]:
    return st.one_of(mutated(text, CSV_OPS), mutated(text, CSV_OPS), anything)


def yaml_inputs(text: str, as_json: bool = False) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        mutated(text, YAML_OPS),
        mutated_document(text, as_json),
        mutated_document(text, as_json),
        yaml_values.map(
            lambda v: (
                json.dumps(v, default=str) if as_json else yaml.safe_dump(v, allow_unicode=True)
            )
        ),
        anything,
    )


# --- The properties ---------------------------------------------------------------------


@FUZZ
@given(content=yaml_inputs(ALLIANCE))
def test_alliance_yaml(pool: Pool, content: str | bytes) -> None:
    pool.check("alliance.yaml", content)


@FUZZ
@given(content=yaml_inputs(ALLIANCE_JSON, as_json=True))
def test_alliance_json(pool: Pool, content: str | bytes) -> None:
    pool.check("alliance.json", content)


@FUZZ
@given(content=csv_inputs(HEADER + ROWS))
def test_patents_csv(pool: Pool, content: str | bytes) -> None:
    pool.check("patents.csv", content)


@FUZZ
@given(content=yaml_inputs(LICENSING))
def test_licensing_yaml(pool: Pool, content: str | bytes) -> None:
    pool.check("licensing.yaml", content)


@FUZZ
@given(content=csv_inputs(SALES_HEADER + SALES))
def test_sales_csv(pool: Pool, content: str | bytes) -> None:
    pool.check("sales.csv", content)


@FUZZ
@given(content=csv_inputs(MORE_PAYMENTS))
def test_payments_csv(pool: Pool, content: str | bytes) -> None:
    pool.check("payments.csv", content)


def test_the_good_files_import_and_a_bad_one_is_caught(pool: Pool) -> None:
    """The harness itself: good files pass, and a failed import is checked, not ignored."""
    for name, text in GOOD.items():
        assert pool.check(name, text)
    assert pool.check("payments.csv", MORE_PAYMENTS)
    assert not pool.check("sales.csv", "licensee,period\n")
    pool.before = {}
    with pytest.raises(AssertionError, match="wrote to the database"):
        pool.check("sales.csv", "licensee,period\n")


def test_the_problem_pattern() -> None:
    assert PROBLEM.fullmatch("a.csv:2: units: units must not be negative (-5)")
    assert PROBLEM.fullmatch("/tmp/x/a b.yaml:10: programs.0.royalty_free: unknown key")
    assert PROBLEM.fullmatch("a.yaml:1: ' ': unknown section")
    assert not PROBLEM.fullmatch("a.csv:2: : unknown section")
    assert not PROBLEM.fullmatch("a.csv: units: bad")
    assert not PROBLEM.fullmatch("a.csv:2: units:")
    assert not PROBLEM.fullmatch("a.csv:2: units: two\nlines")
