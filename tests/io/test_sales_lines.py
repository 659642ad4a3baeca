"""The ways sales lines are written (storage/sales_lines.py) store the same lines, and every
branch of them is taken: COPY's escaped rows, a file too varied to stage, an import by nobody
the system can name; on PostgreSQL as on SQLite, every file is read once."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import pytest
from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write, write_register
from sqlalchemy import text
from test_sales_columns import PLAIN, _imported, _sqlite, _used_columns

import patentpool.storage.sales_lines as sales_lines
from patentpool.errors import InvalidInput
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

#: A category whose name holds a backslash: COPY's text format would read ``\h`` as ``h``.
ODD = "tv\\hd"
ODD_LICENSING = LICENSING.replace(
    '          tv:    {per_unit: "0.50"}\n',
    '          tv:    {per_unit: "0.50"}\n          ' + ODD + ': {per_unit: "0.25"}\n',
)
ODD_SALES = SALES_HEADER + SALES + f"acme,2025Q4,US,CN,{ODD},7,\n"


def _licensing(monkeypatch: pytest.MonkeyPatch, content: str) -> None:
    import test_sales_columns

    monkeypatch.setattr(test_sales_columns, "LICENSING", content)


def test_copy_escapes_a_line_that_its_text_format_would_change(
    pg_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _licensing(monkeypatch, ODD_LICENSING)
    used = _used_columns(monkeypatch)
    on_pg = _imported(pg_server.create_database("escape"), tmp_path / "pg", ODD_SALES)
    on_sqlite = _imported(_sqlite(tmp_path)("s"), tmp_path / "s", ODD_SALES)
    assert used == [True, True]  # both read by columns: PostgreSQL staged them by COPY
    assert on_pg == on_sqlite
    assert [line[5] for line in on_pg[1]].count(ODD) == 1


def test_a_file_with_more_reports_than_the_stage_numbers_is_refused_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sales_lines, "_MAX_KEYS", 0)  # the first report is one too many
    with pytest.raises(InvalidInput, match="more than 0 reports"):
        _imported(_sqlite(tmp_path)("a"), tmp_path / "a", PLAIN["as-written"])
    with session_for(f"sqlite:///{tmp_path / 'a' / 'register.db'}") as session:
        assert session.execute(text("SELECT count(*) FROM sales_reports")).scalar() == 0
    dispose_all()


#: Good lines with gaps between them: a blank line, a cell that spans two lines, a comment
#: of blank cells; each line keeps the line it starts on in the file.
GAPS = (
    SALES_HEADER
    + "acme,2025Q4,US,CN,tv,1000,\n"  # line 2
    + "\n"  # 3: blank
    + '"acme",2025Q4,BR,CN,tv,1000,\n'  # 4
    + ",,,,,,\n"  # 5: blank cells
    + 'beta,2025Q4,DE,DE,phone,10,"1000.00\n"\n'  # 6 and 7: a cell on two lines
    + "\n"  # 8
    + "beta,2025Q4,VN,VN,tv,500,\n"  # 9
)


def test_a_file_read_line_by_line_is_read_once_and_keeps_its_lines(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import patentpool.io.sales_stream as sales_stream

    opened: list[str] = []
    real = sales_stream.stream_rows

    def spy(path: Path, display: str) -> Any:
        opened.append(display)
        return real(path, display)

    monkeypatch.setattr(sales_stream, "stream_rows", spy)
    used = _used_columns(monkeypatch)
    _, lines = _imported(db_url, tmp_path, GAPS)
    assert used == []  # never plain: the column reader did not even start
    assert len(opened) == 1  # checked, staged and written from one reading
    assert [(line[0], line[2], line[3]) for line in lines] == [
        ("acme", 2, "US"), ("acme", 4, "BR"), ("beta", 6, "DE"), ("beta", 9, "VN"),
    ]  # fmt: skip


def test_an_import_by_nobody_the_system_names_records_no_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def nobody() -> str:
        raise OSError("no user name")

    monkeypatch.setattr(getpass, "getuser", nobody)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    lic = tmp_path / "lic"
    lic.mkdir()
    write(lic, "licensing.yaml", LICENSING)
    write(lic, "sales.csv", SALES_HEADER + SALES)
    (tmp_path / "register").mkdir()
    with session_for(url) as session:
        import_paths(session, [write_register(tmp_path / "register"), lic])
    with session_for(url) as session:
        by = session.execute(text("SELECT DISTINCT imported_by FROM sales_reports")).all()
    dispose_all()
    assert by == [(None,)]


def test_postgresql_reads_a_plain_file_once(
    pg_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checked blocks wait in the import's own temporary table: the file is not read
    again, and the stage is gone when the import ends."""
    import patentpool.io.sales_columns as sales_columns

    opened: list[str] = []
    real = sales_columns.blocks

    def spy(plan: Any, *args: Any) -> Any:
        opened.append(plan.display)
        return real(plan, *args)

    monkeypatch.setattr(sales_columns, "blocks", spy)
    url = pg_server.create_database("once")
    on_pg = _imported(url, tmp_path / "pg", PLAIN["as-written"])
    assert len(opened) == 1
    assert on_pg[1], "lines were stored"
    with session_for(url) as session:
        left = session.execute(
            text("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'stage_%'")
        ).scalar()
    dispose_all()
    assert left == 0
