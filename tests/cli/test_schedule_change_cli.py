"""Tiers after a change of schedule, end to end: real files imported, then priced by the CLI's
table and JSON (the two pricing paths) and by the quarter totals that distributions use.

The small register (tests/register_files.py) has counted patents in force in CN all of 2025,
so every line below (sold in US, made in CN) owes royalty. Each licensee is its own group:
  l1, category a: 1.00 a unit in Q1 (80 units), tiers from Q2 (50):  Q2 T(130) - T(80) = 30.00
  l2, category b: tiers in Q1 (60), 1.00 a unit in Q2 (30), tiers in Q3 (50):
                  Q1 0.00, Q2 30.00, Q3 T(140) - T(90) = 40.00
  l3, category c: 10 % of a 10.00 price in Q1 (80 units), tiers from Q2 (50): Q2 30.00
The tiers are the same everywhere: the first 100 units of the year free, then 1.00 a unit.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from clirun import run_ok as run
from register_files import write

from patentpool.core.periods import Period
from patentpool.services.quarters import quarter_totals
from patentpool.services.royalties import program_context
from patentpool.storage.engine import session_for

TIERS = '{tiers: [{up_to: 100, per_unit: "0"}, {per_unit: "1.00"}]}'
LICENSING = f"""\
licensees:
  - {{id: l1, name: L1 Devices}}
  - {{id: l2, name: L2 Devices}}
  - {{id: l3, name: L3 Devices}}
programs:
  - id: mixed-v1
    standard: IGRS
    versions: ["1.0"]
    currency: USD
    schedules:
      - effective_from: 2025-01-01
        categories:
          a: {{per_unit: "1.00"}}
          b: {TIERS}
          c: {{percent: "10"}}
      - effective_from: 2025-04-01
        categories:
          a: {TIERS}
          b: {{per_unit: "1.00"}}
          c: {TIERS}
      - effective_from: 2025-07-01
        categories:
          a: {TIERS}
          b: {TIERS}
          c: {TIERS}
"""
SALES = """\
licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales
l1,2025Q1,US,CN,a,80,
l1,2025Q2,US,CN,a,50,
l2,2025Q1,US,CN,b,60,
l2,2025Q2,US,CN,b,30,
l2,2025Q3,US,CN,b,50,
l3,2025Q1,US,CN,c,80,800.00
l3,2025Q2,US,CN,c,50,500.00
"""
DUE = {
    "2025Q1": {"l1": "80.00", "l2": "0.00", "l3": "80.00"},
    "2025Q2": {"l1": "30.00", "l2": "30.00", "l3": "30.00"},
    "2025Q3": {"l2": "40.00"},
}


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES)
    run(small_register, "import", str(folder))
    return small_register


@pytest.mark.parametrize("period", sorted(DUE))
def test_every_unit_of_the_year_climbs_the_tiers(pool: str, period: str) -> None:
    args = ("royalties", "--program", "mixed-v1", "--period", period)
    # the table prices in lists, without a record per line
    table = run(pool, *args).splitlines()
    rows = {r.split()[0]: r.split()[-1] for r in table if r.split()[:1] in (["l1"], ["l2"], ["l3"])}
    assert rows == DUE[period]
    # JSON keeps a record per line
    doc = json.loads(run(pool, *args, "--format", "json"))
    assert {r["licensee"]: r["due"] for r in doc["licensees"]} == DUE[period]
    total = sum(Decimal(v) for v in DUE[period].values())
    assert Decimal(doc["total_due"]) == total
    # and the totals distributions split
    with session_for(pool) as session:
        found = quarter_totals(session, program_context(session, "mixed-v1"), Period.parse(period))
    assert (found.total_due, found.by_country) == (total, {"CN": total})


def test_the_tiers_of_a_line_start_above_the_units_priced_otherwise(pool: str) -> None:
    doc = json.loads(
        run(pool, "royalties", "--program", "mixed-v1", "--period", "2025Q3", "--format", "json")
    )
    (line,) = doc["licensees"][0]["lines"]
    assert [(t["above"], t["units"]) for t in line["rate"]["tiers"]] == [(90, 10), (100, 40)]
