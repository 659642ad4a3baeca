"""The use cases called directly with a session, not through the CLI, on each backend.

The figures are the hand-worked ones of tests/cli/test_licensing_cli.py (the small register
and tests/licensing_files.py): 2025Q4 due 675.00 from acme and 5.00 from beta, 680.00 in all;
acme paid 675.00; the admin fee is 10%; Lenovo holds every counted patent in force.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write

from patentpool.core.periods import Period
from patentpool.errors import InvalidInput, NotFound
from patentpool.services.distributions import diff_runs, list_runs, run_distribution
from patentpool.services.imports import import_paths
from patentpool.services.quarters import quarter_totals
from patentpool.services.royalties import program_context, royalties, statement
from patentpool.storage.engine import session_for

Q4 = Period(2025, 4)


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    with session_for(small_register) as session:
        import_paths(session, [folder])
    return small_register


def test_royalties_of_a_quarter(pool: str) -> None:
    with session_for(pool) as session:
        result = royalties(session, "demo-v1", Q4)
        summary = royalties(session, "demo-v1", Q4, detail=False)
        acme = royalties(session, "demo-v1", Q4, licensee="acme")
    assert result.total_due == Decimal("680.00")
    assert {i.licensee: i.due for i in result.licensees} == {
        "acme": Decimal("675.00"),
        "beta": Decimal("5.00"),
    }
    assert result.royalties_by_country() == summary.royalties_by_country()
    assert summary.total_due == result.total_due
    assert [i.licensee for i in acme.licensees] == ["acme"]
    assert acme.total_due == Decimal("675.00")


def test_royalties_refuse_an_unknown_programme_or_licensee(pool: str) -> None:
    with session_for(pool) as session:
        with pytest.raises(NotFound):
            royalties(session, "demo-v9", Q4)
        with pytest.raises(NotFound):
            royalties(session, "demo-v1", Q4, licensee="zeta")
        with pytest.raises(InvalidInput, match="acme reported no sales for demo-v1 in 2026Q1"):
            royalties(session, "demo-v1", Period(2026, 1), licensee="acme")


def test_a_licensee_statement(pool: str) -> None:
    with session_for(pool) as session:
        rows = statement(session, "acme")
    assert [(str(r.period), r.due, r.paid, r.outstanding) for r in rows] == [
        ("2025Q4", Decimal("675.00"), Decimal("675.00"), Decimal("0.00"))
    ]


def test_quarter_totals_are_priced_once_then_read_back(pool: str) -> None:
    with session_for(pool) as session:
        first = quarter_totals(session, program_context(session, "demo-v1"), Q4)
    with session_for(pool) as session:
        again = quarter_totals(session, program_context(session, "demo-v1"), Q4)
    assert (first.reused, again.reused) == (False, True)
    assert (again.total_due, again.by_country, again.priced_lines) == (
        first.total_due,
        first.by_country,
        first.priced_lines,
    )
    assert first.total_due == Decimal("680.00")


def test_distributions_stored_reproduced_and_compared(pool: str) -> None:
    with session_for(pool) as session:
        collected = run_distribution(session, "demo-v1", Q4)
    with session_for(pool) as session:
        reproduced = run_distribution(session, "demo-v1", Q4)
        due = run_distribution(session, "demo-v1", Q4, basis="due")
    result = collected.result
    assert (result["collected"], result["admin_fee"], result["distributable"]) == (
        "675.00",
        "67.50",
        "607.50",
    )
    assert [(m["member"], m["amount"]) for m in result["members"]] == [("lenovo", "607.50")]
    assert (reproduced.reproduced, reproduced.id) == (True, collected.id)
    assert (due.revision, due.result["collected"], due.result["admin_fee"]) == (
        2,
        "680.00",
        "68.00",
    )
    with session_for(pool) as session:
        assert [r.id for r in list_runs(session, "demo-v1")] == sorted([collected.id, due.id])
        _, _, changes, general = diff_runs(session, collected.id, due.id)
    assert general == ["basis: collected -> due", "collected: 675.00 -> 680.00"]
    assert [(c.member, c.before, c.after) for c in changes] == [
        ("lenovo", Decimal("607.50"), Decimal("612.00"))
    ]


def test_a_distribution_refuses_an_unknown_basis(pool: str) -> None:
    with session_for(pool) as session, pytest.raises(InvalidInput, match="basis: must be one of"):
        run_distribution(session, "demo-v1", Q4, basis="hoped")


def test_a_sales_import_reads_neither_the_patents_nor_report_rows_as_objects(
    pool: str, tmp_path: Path
) -> None:
    """A licensee's upload of one report: what it reads under the import lock is the
    licensing state's columns, not the register's patents."""
    from sqlalchemy import event

    from patentpool.storage.engine import make_engine

    write(tmp_path, "sales-2026.csv", SALES_HEADER + "acme,2026Q1,US,CN,tv,10,\n")
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(" ".join(statement.split()))

    engine = make_engine(pool)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with session_for(pool, lock="import") as session:
            summary = import_paths(session, [tmp_path / "sales-2026.csv"])
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert summary.changes[("sales report", "added")] == 1
    assert not [s for s in statements if "FROM patents" in s]
    current = [s for s in statements if "FROM sales_reports" in s and "current" in s]
    assert current
    # the current reports' checksums read as columns, not as whole rows
    assert [s for s in current if "checksum" in s and "sales_reports.source" not in s]
    with session_for(pool) as session:
        assert royalties(session, "demo-v1", Period(2026, 1)).licensees[0].units == 10


def test_the_collector_is_paused_while_an_import_runs(
    small_register: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import makes hundreds of thousands of objects that hold no cycles: the cyclic
    collector is paused from the files' reading to the change log's last row, and enabled
    again afterwards, also when the import is refused."""
    import gc

    from patentpool.io.problems import ImportFailed
    from patentpool.services import imports
    from patentpool.storage import repository

    seen: list[tuple[str, bool]] = []
    read, save = imports.read_batch, repository.save_changes

    def reading(*args: Any) -> Any:
        seen.append(("read", gc.isenabled()))
        return read(*args)

    def saving(*args: Any) -> None:
        seen.append(("change log", gc.isenabled()))
        save(*args)

    monkeypatch.setattr(imports, "read_batch", reading)
    monkeypatch.setattr(repository, "save_changes", saving)
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    assert gc.isenabled()
    with session_for(small_register) as session:
        import_paths(session, [folder])
    assert seen == [("read", False), ("change log", False)]
    assert gc.isenabled()
    write(folder, "licensing.yaml", "licensees: [{id: 'Not A Slug'}]\n")
    with pytest.raises(ImportFailed), session_for(small_register) as session:
        import_paths(session, [folder])
    assert gc.isenabled()
