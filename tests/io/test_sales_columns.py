"""Plain sales files read by columns give exactly what the line-by-line reader gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write, write_register
from sqlalchemy import text

import patentpool.io.sales_columns as sales_columns
import patentpool.io.sales_stream as sales_stream
from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

PROGRAM_HEADER = "program," + SALES_HEADER

#: Plain files (no quote, no blank line): each is read by columns.
PLAIN = {
    "as-written": SALES_HEADER + SALES,
    "crlf-and-bom": "\ufeff" + (SALES_HEADER + SALES).replace("\n", "\r\n"),
    "no-final-newline": (SALES_HEADER + SALES).rstrip("\n"),
    "spaces-lowercase-leading-zeros": SALES_HEADER
    + " acme , 2025Q4 ,us, cn ,tv, 01000 ,\n"
    + "acme,2025Q4,br,CN,tv,1000,  \n"
    + "beta,2025Q4,DE,DE,phone,10,1000.5\n"
    + "beta, 2025Q4 ,VN,VN,tv,500,\t\n",
    "program-column": PROGRAM_HEADER
    + "demo-v1,acme,2025Q4,US,CN,tv,1000,\n"
    + ",acme,2025Q4,BR,CN,tv,1000,\n"
    + "demo-v1,beta,2025Q4,DE,DE,phone,10,1000.000000000001\n"
    + ",beta,2025Q4,VN,VN,tv,500,\n",
    "reports-interleaved": SALES_HEADER
    + "beta,2025Q4,VN,VN,tv,500,\n"
    + "acme,2025Q4,US,CN,tv,1000,\n"
    + "beta,2025Q4,DE,DE,phone,10,0\n"
    + "acme,2025Q4,BR,CN,tv,0,\n"
    + "acme,2025Q4,US,CN,tv,1000,\n",
    "unused-and-reordered-columns": "units,category,net_sales,country_of_manufacture,"
    "country_of_sale,period,licensee\n"
    + "1000,tv,,CN,US,2025Q4,acme\n"
    + "10,phone,1000.00,DE,DE,2025Q4,beta\n",
}

#: Good files that are not plain, or hold a value only the line reader takes: read by lines.
NOT_PLAIN = {
    "quoted-cell": SALES_HEADER + SALES.replace("acme,2025Q4,US", '"acme",2025Q4,US'),
    "blank-line": SALES_HEADER + SALES.replace("\nbeta", "\n\nbeta", 1),
    "units-written-1_000": SALES_HEADER + SALES.replace("tv,1000,\nacme", "tv,1_000,\nacme"),
    "units-written-1000.0": SALES_HEADER + SALES.replace("tv,1000,\nacme", "tv,1000.0,\nacme"),
    "net-with-leading-zero": SALES_HEADER + SALES.replace("1000.00", "01000.00"),
    "net-with-exponent": SALES_HEADER + SALES.replace("1000.00", "1E3"),
    "short-row": SALES_HEADER + SALES.replace("VN,VN,tv,500,", "VN,VN,tv,500"),
    "formula-guard": SALES_HEADER + SALES.replace("1000.00", "'+1000.00"),
    # digits of another script are a number (Decimal reads them), but not plain digits
    "units-in-arabic-indic-digits": SALES_HEADER
    + SALES.replace("tv,1000,\nacme", "tv,\u0661\u0660\u0660\u0660,\nacme"),
}


def _used_columns(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, per sales file scanned, whether the column reader finished it."""
    used: list[bool] = []
    real = sales_stream._scan_columns

    def spy(*args: Any) -> Any:
        try:
            scan = real(*args)
        except sales_columns.NotPlain:
            used.append(False)
            raise
        used.append(True)
        return scan

    monkeypatch.setattr(sales_stream, "_scan_columns", spy)
    return used


def _small_blocks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Blocks of a few lines each (the header must fit in one); the lines of each block read."""
    monkeypatch.setattr(sales_columns, "BLOCK_BYTES", 128)
    read: list[int] = []
    real = sales_columns.columns_block

    def spy(batch: Any, *args: Any) -> Any:
        read.append(batch.num_rows)
        return real(batch, *args)

    monkeypatch.setattr(sales_columns, "columns_block", spy)
    return read


def _lines_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sales_stream, "column_plan", lambda path, display: None)


def _imported(url: str, folder: Path, sales: str | bytes) -> tuple[list[Any], list[Any]]:
    """Import the small register, the licensing file and ``sales``; the stored reports and
    lines (ids and file names left out, so that two databases compare)."""
    upgrade(url)
    (folder / "register").mkdir(parents=True)
    register = write_register(folder / "register")
    lic = folder / "lic"
    lic.mkdir()
    write(lic, "licensing.yaml", LICENSING)
    (lic / "sales.csv").write_bytes(sales if isinstance(sales, bytes) else sales.encode("utf-8"))
    with session_for(url) as session:
        import_paths(session, [register, lic])
    with session_for(url) as session:
        reports = session.execute(
            text(
                "SELECT program_id, licensee_id, period, revision, checksum, lines, units "
                "FROM sales_reports ORDER BY program_id, licensee_id, period"
            )
        ).all()
        # each report keeps the number and units of its lines
        sums = session.execute(
            text(
                "SELECT r.lines, r.units, count(l.id), coalesce(sum(l.units), 0) "
                "FROM sales_reports r LEFT JOIN sales_lines l ON l.report_id = r.id "
                "GROUP BY r.id, r.lines, r.units"
            )
        ).all()
        assert all((lines, units) == (n, total) for lines, units, n, total in sums)
        lines = session.execute(
            text(
                "SELECT r.licensee_id, r.period, l.line, l.country_of_sale, "
                "l.country_of_manufacture, l.category, l.units, l.net_sales "
                "FROM sales_lines l JOIN sales_reports r ON r.id = l.report_id "
                "ORDER BY r.licensee_id, l.line"
            )
        ).all()
    dispose_all()
    return [tuple(r) for r in reports], [tuple(r) for r in lines]


def _both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sales: str, url: Callable[[str], str]
) -> tuple[Any, Any, list[bool]]:
    used = _used_columns(monkeypatch)
    by_columns = _imported(url("a"), tmp_path / "a", sales)
    with monkeypatch.context() as m:
        _lines_only(m)
        by_lines = _imported(url("b"), tmp_path / "b", sales)
    return by_columns, by_lines, used


def _sqlite(tmp_path: Path) -> Callable[[str], str]:
    def url(name: str) -> str:
        (tmp_path / name).mkdir()
        return f"sqlite:///{tmp_path / name / 'register.db'}"

    return url


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_plain_files_are_read_by_columns_with_the_same_result(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_columns, by_lines, used = _both(tmp_path, monkeypatch, PLAIN[name], _sqlite(tmp_path))
    assert used == [True]
    assert by_columns == by_lines
    assert by_columns[1], "lines were stored"


@pytest.mark.parametrize("name", sorted(NOT_PLAIN))
def test_other_good_files_are_read_line_by_line(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_columns, by_lines, used = _both(tmp_path, monkeypatch, NOT_PLAIN[name], _sqlite(tmp_path))
    assert True not in used
    assert by_columns == by_lines
    assert by_columns[1]


def test_postgresql_copy_stores_what_sqlite_stores(
    pg_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sales = PLAIN["program-column"]
    used = _used_columns(monkeypatch)
    on_pg = _imported(pg_server.create_database("cols"), tmp_path / "pg", sales)
    on_sqlite = _imported(_sqlite(tmp_path)("s"), tmp_path / "s", sales)
    assert used == [True, True]
    assert on_pg == on_sqlite


def test_a_bad_line_after_many_good_blocks_is_named_as_the_line_reader_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _small_blocks(monkeypatch)
    rows = [f"acme,2025Q4,US,CN,tv,{n},\n" for n in range(1, 200)]
    rows[150] = "acme,2025Q4,US,CN,tv,-3,\n"
    rows[170] = "acme,2025Q4,XX,CN,radio,4,\n"
    sales = SALES_HEADER + "".join(rows)
    messages = []
    for columns in (True, False):
        with monkeypatch.context() as m:
            if not columns:
                _lines_only(m)
            with pytest.raises(ImportFailed) as info:
                _imported(_sqlite(tmp_path)(f"x{columns}"), tmp_path / f"x{columns}", sales)
        folder = str(tmp_path / f"x{columns}")
        messages.append([str(p).replace(folder, "") for p in info.value.problems])
    assert len(blocks) > 20  # the columns read many blocks before the bad line
    assert messages[0] == messages[1]
    assert messages[0] == [
        "/lic/sales.csv:152: units: units must not be negative (-3)",
        "/lic/sales.csv:172: category: unknown category 'radio' in demo-v1 (known: phone, tv)",
        "/lic/sales.csv:172: country_of_sale: unknown country code 'XX'",
    ]


def test_progress_counts_each_line_once_when_the_columns_give_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _small_blocks(monkeypatch)
    rows = [f"acme,2025Q4,US,CN,tv,{n},\n" for n in range(1, 100)]
    rows[80] = "acme,2025Q4,US,CN,tv,1_000,\n"  # good, but only for the line reader
    lic = tmp_path / "lic"
    lic.mkdir()
    write(lic, "licensing.yaml", LICENSING)
    write(lic, "sales.csv", SALES_HEADER + "".join(rows))
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    told: list[int] = []
    used = _used_columns(monkeypatch)
    from contextlib import contextmanager

    @contextmanager
    def progress(label: str, total: int) -> Any:
        told.append(total)
        yield lambda n: told.append(n)

    (tmp_path / "register").mkdir()
    with session_for(url) as session:
        import_paths(session, [write_register(tmp_path / "register"), lic], progress)
    dispose_all()
    assert used == [False]
    assert sum(blocks) > 70  # the columns gave up late: most lines were already told
    total, *steps = told
    assert total == 2 * 100  # each physical line, read twice
    assert sum(steps) == 2 * 99  # the rows: checked, then written; none counted twice


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("0", True),
        ("01000", True),
        ("9" * 15, True),
        ("9" * 16, False),  # beyond MAX_UNITS' digits: parse_units bounds it
        ("", False),
        ("\u00b2", False),  # a superscript two: str.isdigit takes it, int() does not
        ("\u0661\u0660", False),  # Arabic-Indic digits
        ("1_000", False),
        ("-5", False),
        ("2.5", False),
    ],
)
def test_one_rule_of_plain_units_for_both_readers(text: str, plain: bool) -> None:
    import re

    from patentpool.io.licensing_schema import PLAIN_UNITS_PATTERN, is_plain_units

    assert is_plain_units(text) is plain
    assert bool(re.search(PLAIN_UNITS_PATTERN, text, re.ASCII)) is plain


def test_plain_bytes(tmp_path: Path) -> None:
    def plain(data: bytes) -> bool:
        path = tmp_path / "f.csv"
        path.write_bytes(data)
        return sales_columns._plain_bytes(path)

    assert plain(b"a,b\r\nc,d\r\n")
    assert plain(b"a,b\nc,d")
    assert not plain(b"a,b\n\nc,d\n")
    assert not plain(b"a,b\r\n\r\nc,d\n")
    assert not plain(b"a,b\rc,d\n")
    assert not plain(b"a,b\nc,d\r")
    assert not plain(b'a,"b"\n')
    assert not plain(b"a,b\x00\n")
