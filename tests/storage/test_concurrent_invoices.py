"""Two `invoices issue` at once, on SQLite and on PostgreSQL: numbers without gaps or
duplicates, and no quarter invoiced twice."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write
from sqlalchemy import select

from patentpool.core.periods import Period
from patentpool.services import book_commands
from patentpool.services.imports import import_paths
from patentpool.storage.engine import session_for
from patentpool.storage.models import InvoiceRow

Q1_SALES = SALES.replace("2025Q4", "2026Q1")


def _pool(url: str, tmp_path: Path) -> None:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES + Q1_SALES)
    with session_for(url, lock="import") as session:
        import_paths(session, [folder])


def _at_once(*calls: tuple[str, str]) -> list[BaseException]:
    """Run ``invoices issue`` for each (url, period) in its own thread, started together."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def issue(url: str, period: str) -> None:
        barrier.wait()
        try:
            book_commands.issue_invoices(url, "demo-v1", Period.parse(period), dt.date(2026, 4, 2))
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    threads = [threading.Thread(target=issue, args=call) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def _numbers(url: str) -> list[tuple[str, int, str, str]]:
    with session_for(url) as session:
        return [
            (r.number, r.sequence, r.licensee_id, r.period)
            for r in session.scalars(select(InvoiceRow).order_by(InvoiceRow.sequence))
        ]


def test_two_issues_at_once_number_without_gaps_or_duplicates(
    small_register: str, tmp_path: Path
) -> None:
    _pool(small_register, tmp_path)
    assert _at_once((small_register, "2025Q4"), (small_register, "2026Q1")) == []
    rows = _numbers(small_register)
    assert [r[1] for r in rows] == [1, 2, 3]
    assert [r[0] for r in rows] == [f"IGRS-2026-{n:04d}" for n in (1, 2, 3)]
    # whichever ran first took the first numbers (acme owes nothing in 2026Q1)
    assert sorted((r[2], r[3]) for r in rows) == [
        ("acme", "2025Q4"),
        ("beta", "2025Q4"),
        ("beta", "2026Q1"),
    ]


def test_the_same_quarter_issued_twice_at_once_is_invoiced_once(
    small_register: str, tmp_path: Path
) -> None:
    _pool(small_register, tmp_path)
    assert _at_once((small_register, "2025Q4"), (small_register, "2025Q4")) == []
    rows = _numbers(small_register)
    assert [(r[0], r[2]) for r in rows] == [("IGRS-2026-0001", "acme"), ("IGRS-2026-0002", "beta")]
