"""Sales lines read one licensee group at a time, for pricing without holding the year."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from licensing_files import LICENSING, SALES_HEADER
from register_files import write

from patentpool.core.line_pricing import SalesRow
from patentpool.core.periods import Period
from patentpool.services.imports import import_paths
from patentpool.services.royalties import royalties
from patentpool.storage import licensing_repo, sales_read
from patentpool.storage.engine import session_for

#: alpha and gamma are one group; beta, between them in id order, is a group of its own
LICENSEES = """\
licensees:
  - {id: alpha, name: Alpha Ltd., group: ag, country: US}
  - {id: beta, name: Beta Ltd., country: DE}
  - {id: gamma, name: Gamma Ltd., group: ag, country: JP}
  - {id: delta, name: Delta Ltd., country: FR}
"""
SALES = """\
gamma,2025Q4,US,CN,tv,300,
alpha,2025Q4,US,CN,tv,100,
beta,2025Q4,DE,DE,phone,10,1000.00
alpha,2025Q3,BR,CN,tv,50,
gamma,2025Q4,VN,VN,tv,7,
"""


def test_groups_come_whole_and_every_line_once(small_register: str, tmp_path: Path) -> None:
    folder = tmp_path / "lic"
    folder.mkdir()
    licensing = LICENSEES + LICENSING[LICENSING.index("programs:") :]
    write(folder, "licensing.yaml", licensing)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    with session_for(small_register) as session:
        import_paths(session, [folder])
    periods = Period.parse("2025Q4").year_to_date()
    with session_for(small_register) as session:
        licensees = licensing_repo.load_licensees(session)
        blocks = list(licensing_repo.iter_sales_groups(session, "demo-v1", periods, licensees))
        rows = licensing_repo.load_sales_rows(session, "demo-v1", periods)
        summary = royalties(session, "demo-v1", Period.parse("2025Q4"), detail=False)
        full = royalties(session, "demo-v1", Period.parse("2025Q4"))
    # each block holds lines of one licensee and period
    assert all({r[:2] for r in b.rows()} == {(b.licensee, b.period)} for g in blocks for b in g)
    groups = [[row for block in group for row in block.rows()] for group in blocks]
    by_group = [sorted({licensees[r[0]].group_key for r in group}) for group in groups]
    assert sorted(by_group) == [["ag"], ["beta"]]  # delta reported nothing
    ag = next(g for g in groups if licensees[g[0][0]].group_key == "ag")
    assert sorted(r[0] for r in ag) == ["alpha", "alpha", "gamma", "gamma"]  # Q3 too
    assert sorted(r for g in groups for r in g) == sorted(rows)
    assert len(rows) == 5
    assert summary.total_due == full.total_due
    assert summary.royalties_by_country() == full.royalties_by_country()
    assert [(i.licensee, i.due) for i in summary.licensees] == [
        (i.licensee, i.due) for i in full.licensees
    ]


@pytest.mark.parametrize("ahead", [False, True], ids=["in-turn", "read-ahead"])
def test_reports_read_together_or_a_batch_at_a_time_give_the_same_lines(
    small_register: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: bool
) -> None:
    """Consecutive reports are read by one statement up to a batch of lines; a larger report
    alone, a batch at a time: the lines and their order are those of one report at a time,
    whether the next statement is read ahead (in a thread) or in turn."""
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSEES + LICENSING[LICENSING.index("programs:") :])
    many = "".join(f"delta,2025Q4,FR,CN,tv,{n},\n" for n in range(1, 8))  # 7 lines
    write(folder, "sales.csv", SALES_HEADER + SALES + many)
    with session_for(small_register) as session:
        import_paths(session, [folder])
    periods = Period.parse("2025Q4").year_to_date()

    def read(batch: int, reports: int) -> list[list[SalesRow]]:
        monkeypatch.setattr(sales_read, "BATCH", batch)
        for database in ("sqlite", "postgresql"):
            monkeypatch.setitem(sales_read.REPORTS, database, reports)
            monkeypatch.setitem(sales_read.AHEAD, database, ahead)
        with session_for(small_register) as session:
            order = "licensee_id, period"
            blocks = sales_read.sales_batches(session, "demo-v1", periods, order)
            return [list(b.rows()) for b in blocks]

    one_at_a_time = read(10_000, 1)
    assert [len(b) for b in one_at_a_time] == [1, 1, 1, 7, 2]  # alpha Q3, Q4, beta, delta, gamma
    together = read(10_000, 100)
    assert together == one_at_a_time
    small = read(3, 2)  # at most 3 lines, 2 reports a statement: delta's 7 lines in 3 blocks
    assert [len(b) for b in small] == [1, 1, 1, 3, 3, 1, 2]
    assert [row for b in small for row in b] == [row for b in one_at_a_time for row in b]
    assert [r[5] for r in small[3] + small[4] + small[5]] == list(range(1, 8))  # in line order


def test_a_reading_left_early_gives_its_connection_back(
    small_register: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pricing may stop at a block (a line it refuses): the lines read ahead are dropped,
    the thread is gone, and the session reads on."""
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSEES + LICENSING[LICENSING.index("programs:") :])
    write(folder, "sales.csv", SALES_HEADER + SALES)
    with session_for(small_register) as session:
        import_paths(session, [folder])
    periods = Period.parse("2025Q4").year_to_date()
    monkeypatch.setattr(sales_read, "BATCH", 1)
    for database in ("sqlite", "postgresql"):
        monkeypatch.setitem(sales_read.REPORTS, database, 1)
        monkeypatch.setitem(sales_read.AHEAD, database, True)
    with session_for(small_register) as session:
        blocks = sales_read.sales_batches(session, "demo-v1", periods, "licensee_id, period")
        first = next(blocks)
        blocks.close()
        assert not [t for t in threading.enumerate() if t.name == "patentpool-read-ahead"]
        rows = list(sales_read.sales_rows(session, "demo-v1", periods, "licensee_id, period"))
    assert list(first.rows()) == rows[:1]
    assert len(rows) == 5
