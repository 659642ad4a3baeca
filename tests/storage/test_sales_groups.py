"""Sales lines read one licensee group at a time, for pricing without holding the year."""

from __future__ import annotations

from pathlib import Path

from licensing_files import LICENSING, SALES_HEADER
from register_files import write

from patentpool.core.periods import Period
from patentpool.services.imports import import_paths
from patentpool.services.royalties import royalties
from patentpool.storage import licensing_repo
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
