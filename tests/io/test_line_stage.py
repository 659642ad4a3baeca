"""On SQLite a file read by columns is held in a temporary table after its first reading and
copied into the register from there: the register ends exactly as the line reader leaves it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from licensing_files import LICENSING, SALES_HEADER
from register_files import write, write_register
from sqlalchemy import text
from sqlalchemy.orm import Session
from test_sales_columns import _lines_only, _small_blocks, _used_columns

import patentpool.services.sales_lines as sales_lines
from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade


def _rows(n: int, licensee: str = "acme", start: int = 1, period: str = "2025Q4") -> str:
    return "".join(
        f"{licensee},{period},{('US', 'BR', 'DE')[i % 3]},CN,{('tv', 'phone')[i % 2]},{i},"
        f"{'' if i % 2 == 0 else f'{i}.25'}\n"
        for i in range(start, start + n)
    )


#: Three files: plain, not plain (a quoted cell), plain; one report of acme's in each (one
#: import holds one report per licensee and quarter).
FILES = {
    "a.csv": SALES_HEADER + _rows(40) + _rows(5, "beta"),
    "b.csv": SALES_HEADER + '"acme",2025Q3,US,CN,tv,7,\n' + _rows(3, start=41, period="2025Q3"),
    "c.csv": SALES_HEADER + _rows(30, start=50, period="2025Q2"),
}


def _state(session: Session) -> dict[str, Any]:
    lines = session.execute(
        text(
            "SELECT r.licensee_id, r.period, r.revision, l.line, l.country_of_sale, "
            "l.country_of_manufacture, l.category, l.units, l.net_sales "
            "FROM sales_lines l JOIN sales_reports r ON r.id = l.report_id ORDER BY l.id"
        )
    ).all()
    reports = session.execute(
        text(
            "SELECT licensee_id, period, revision, current, checksum, lines, units, source "
            "FROM sales_reports ORDER BY id"
        )
    ).all()
    temp = session.execute(text("SELECT name FROM sqlite_temp_master")).all()
    return {"lines": [tuple(r) for r in lines], "reports": [tuple(r) for r in reports],
            "temp": [tuple(r) for r in temp]}  # fmt: skip


def _import(url: str, folder: Path, files: dict[str, str], first: bool = True) -> dict[str, Any]:
    if first:
        upgrade(url)
        (folder / "register").mkdir(parents=True)
        write_register(folder / "register")
        write(folder, "licensing.yaml", LICENSING)
    sales = folder / "sales"
    sales.mkdir(exist_ok=True)
    for old in sales.iterdir():
        old.unlink()
    for name, content in files.items():
        (sales / name).write_text(content, encoding="utf-8")
    paths = [folder / "register", folder / "licensing.yaml", sales] if first else [sales]
    with session_for(url) as session:
        import_paths(session, paths)
        state = _state(session)  # in the import's own session: its temporary tables are gone
    dispose_all()
    for i, report in enumerate(state["reports"]):  # the folders differ, not the files
        state["reports"][i] = (*report[:-1], report[-1].replace(str(folder), ""))
    return state


def _both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *imports: dict[str, str]) -> Any:
    results = []
    for name, lines_only in (("staged", False), ("lines", True)):
        url = f"sqlite:///{tmp_path / f'{name}.db'}"
        with monkeypatch.context() as m:
            if lines_only:
                _lines_only(m)
            results.append(
                [_import(url, tmp_path / name, files, n == 0) for n, files in enumerate(imports)]
            )
    return results


def test_files_are_written_in_their_order_whichever_way_they_were_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = _used_columns(monkeypatch)
    staged, lines = _both(tmp_path, monkeypatch, FILES)
    assert used == [True, True]  # a.csv and c.csv; b.csv was never plain
    assert staged == lines
    assert len(staged[0]["lines"]) == 45 + 4 + 30
    assert staged[0]["temp"] == []


def test_a_file_given_up_after_some_blocks_leaves_none_of_its_lines_staged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _small_blocks(monkeypatch)
    files = dict(FILES)
    files["c.csv"] = (
        SALES_HEADER + _rows(30, start=50, period="2025Q2") + "acme,2025Q2,US,CN,tv,1_000,\n"
    )
    used = _used_columns(monkeypatch)
    staged, lines = _both(tmp_path, monkeypatch, files)
    assert used == [True, False]  # c.csv gave up at its last line, after many blocks
    assert len(blocks) > 10
    assert staged == lines
    assert len(staged[0]["lines"]) == 45 + 4 + 31


def test_an_unchanged_file_writes_nothing_and_a_correction_only_its_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = {"a.csv": SALES_HEADER + _rows(40) + _rows(5, "beta")}
    corrected = {"a.csv": SALES_HEADER + _rows(40) + _rows(4, "beta")}
    staged, lines = _both(tmp_path, monkeypatch, first, first, corrected)
    assert staged == lines
    once, again, after = staged
    assert again["lines"] == once["lines"]
    assert again["reports"] == once["reports"]
    assert after["lines"][: len(once["lines"])] == once["lines"]  # acme's lines are kept
    assert [r[:4] for r in after["reports"]] == [
        ("acme", "2025Q4", 1, 1), ("beta", "2025Q4", 1, 0), ("beta", "2025Q4", 2, 1)
    ]  # fmt: skip
    assert [line[:3] for line in after["lines"][45:]] == [("beta", "2025Q4", 2)] * 4
    assert all(state["temp"] == [] for state in staged)


def test_a_failed_import_leaves_no_temporary_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used = _used_columns(monkeypatch)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    (tmp_path / "register").mkdir()
    write(tmp_path, "licensing.yaml", LICENSING)
    write(tmp_path, "sales.csv", SALES_HEADER + _rows(40))
    write(tmp_path, "payments.csv", "licensee,period,amount,received\nnobody,2025Q4,1,2026-01-20\n")
    raw: list[Any] = []  # the import's own database connection
    real = sales_lines.line_stage

    def spy(session: Session) -> Any:
        stage = real(session)
        raw.append(session.connection().connection.dbapi_connection)
        return stage

    with pytest.MonkeyPatch.context() as m:
        m.setattr(sales_lines, "line_stage", spy)
        with pytest.raises(ImportFailed), session_for(url) as session:
            import_paths(session, [write_register(tmp_path / "register"), tmp_path])
    assert len(raw) == 1
    assert used == [True]  # the sales file was staged whole; then the payment failed
    assert raw[0].execute("SELECT name FROM sqlite_temp_master").fetchall() == []
    assert raw[0].execute("SELECT count(*) FROM sales_lines").fetchone() == (0,)
    dispose_all()


def test_progress_counts_a_staged_file_twice_as_it_counts_any_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = _small_blocks(monkeypatch)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    (tmp_path / "register").mkdir()
    write(tmp_path, "licensing.yaml", LICENSING)
    write(tmp_path, "sales.csv", SALES_HEADER + _rows(99))
    told: list[int] = []

    @contextmanager
    def progress(label: str, total: int) -> Any:
        told.append(total)
        yield lambda n: told.append(n)

    used = _used_columns(monkeypatch)
    with session_for(url) as session:
        import_paths(session, [write_register(tmp_path / "register"), tmp_path], progress)
    dispose_all()
    assert used == [True]
    assert len(blocks) > 10
    total, *steps = told
    assert total == 2 * 100
    assert sum(steps) == 2 * 99
