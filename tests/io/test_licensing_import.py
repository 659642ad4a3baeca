"""Licensing files: programmes, licensees, sales reports and payments, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write

from patentpool.core.periods import Period
from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.services.licensing import licensing_state
from patentpool.storage import licensing_repo
from patentpool.storage.engine import session_for


@pytest.fixture
def lic(small_register: str, tmp_path: Path) -> Path:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    return folder


def state(url: str) -> tuple[object, ...]:
    with session_for(url) as session:
        st = licensing_state(session)
        sales = (
            licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
            if st.programs
            else []
        )
        return (dict(st.licensees), sorted(st.programs), dict(st.reports), st.payments, sales)


def failing(url: str, *paths: Path) -> list[str]:
    before = state(url)
    with pytest.raises(ImportFailed) as info, session_for(url) as session:
        import_paths(session, list(paths))
    assert state(url) == before, "a failed import must write nothing"
    return [str(p) for p in info.value.problems]


def test_licensing_import_and_reimport(small_register: str, lic: Path) -> None:
    with session_for(small_register) as session:
        summary = import_paths(session, [lic])
    assert dict(summary.changes) == {
        ("licensee", "added"): 2,
        ("program", "added"): 1,
        ("sales report", "added"): 2,
        ("payment", "added"): 1,
    }
    with session_for(small_register) as session:
        assert not import_paths(session, [lic]).changed
        lines = licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
    assert len(lines) == 4
    assert lines[0].source == "sales.csv:2"  # named inside the folder it was imported from


def test_corrected_report_replaces_and_keeps_the_old_one(small_register: str, lic: Path) -> None:
    with session_for(small_register) as session:
        import_paths(session, [lic])
    write(
        lic,
        "sales.csv",
        SALES_HEADER + SALES.replace("acme,2025Q4,US,CN,tv,1000", "acme,2025Q4,US,CN,tv,1200"),
    )
    with session_for(small_register) as session:
        summary = import_paths(session, [lic])
        assert dict(summary.changes) == {("sales report", "corrected"): 1}
        revisions = licensing_repo.report_revisions(
            session, "demo-v1", "acme", Period.parse("2025Q4")
        )
        assert [(r.revision, r.current) for r in revisions] == [(1, False), (2, True)]
        units = sum(
            ln.units
            for ln in licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
            if ln.licensee == "acme"
        )
    assert units == 2200


BAD_SALES = [
    ("unknown licensee", "zeta,2025Q4,US,CN,tv,1,\n", "licensee: unknown licensee 'zeta'"),
    ("unknown programme", None, "program: unknown programme 'nope'"),
    (
        "unknown category",
        "acme,2025Q4,US,CN,fridge,1,\n",
        "category: unknown category 'fridge' in demo-v1 (known: phone, tv)",
    ),
    ("unknown country", "acme,2025Q4,XZ,CN,tv,1,\n", "country_of_sale: unknown country code 'XZ'"),
    ("negative units", "acme,2025Q4,US,CN,tv,-5,\n", "units: units must not be negative (-5)"),
    (
        "fractional units",
        "acme,2025Q4,US,CN,tv,2.5,\n",
        "units: units must be a whole number, not 2.5",
    ),
    (
        "percent without net_sales",
        "acme,2025Q4,US,CN,phone,10,\n",
        "net_sales: is required: phone is charged a percent of the net selling price",
    ),
    (
        "bad period",
        "acme,2026-Q1,US,CN,tv,1,\n",
        "period: not a period in YYYYQn form (e.g. 2026Q1): '2026-Q1'",
    ),
    (
        "period before any schedule",
        "acme,2024Q4,US,CN,tv,1,\n",
        "period: no schedule of demo-v1 is in force on 2024-12-31",
    ),
]


@pytest.mark.parametrize(("case", "row", "expected"), BAD_SALES, ids=[c for c, _, _ in BAD_SALES])
def test_bad_sales_lines(
    small_register: str, lic: Path, case: str, row: str | None, expected: str
) -> None:
    if row is None:
        write(
            lic,
            "sales.csv",
            SALES_HEADER.replace("\n", ",program\n") + "acme,2025Q4,US,CN,tv,1,,nope\n",
        )
    else:
        write(lic, "sales.csv", SALES_HEADER + row)
    problems = failing(small_register, lic)
    assert any(p.startswith(f"{lic / 'sales.csv'}:2: {expected}") for p in problems), problems


BAD_PROGRAMS = [
    (
        "same effective_from",
        (
            "      - effective_from: 2025-01-01\n",
            "      - effective_from: 2025-01-01\n        categories: {tv: {per_unit: '1'}}\n      - effective_from: 2025-01-01\n",
        ),
        "programs.0.schedules: two schedules of demo-v1 take effect on 2025-01-01",
    ),
    (
        "tiers not ascending",
        (
            'tv:    {per_unit: "0.50"}',
            "tv: {tiers: [{up_to: 500, per_unit: '1'}, {up_to: 100, per_unit: '0.5'}, {per_unit: '0.1'}]}",
        ),
        "programs.0.schedules.0.categories.tv.tiers: up_to must ascend strictly, got [500, 100]",
    ),
    (
        "discount over 100%",
        ('good_standing: "10%"', 'good_standing: "110%"'),
        "programs.0.schedules.0.discounts.good_standing: 110.0% is over 100%",
    ),
    (
        "admin fee without its % sign",
        ('admin_fee: "10%"', 'admin_fee: "10"'),
        "programs.0.admin_fee: 10 without a % sign would be 1000%; write 10% (or the fraction 0.1)",
    ),
    (
        "unknown key",
        ('admin_fee: "10%"', 'admin_fee: "10%"\n    royalty_free: true'),
        "programs.0.royalty_free: unknown key",
    ),
    (
        "unknown standard",
        ("standard: IGRS", "standard: WIFI"),
        "programs.0.standard: unknown standard 'WIFI'",
    ),
]


@pytest.mark.parametrize(
    ("case", "change", "expected"), BAD_PROGRAMS, ids=[c for c, _, _ in BAD_PROGRAMS]
)
def test_bad_programmes(
    small_register: str, lic: Path, case: str, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in LICENSING
    write(lic, "licensing.yaml", LICENSING.replace(change[0], change[1], 1))
    problems = failing(small_register, lic / "licensing.yaml")
    assert any(p.split(": ", 1)[1].startswith(expected) for p in problems), problems
    assert all(p.startswith(f"{lic / 'licensing.yaml'}:") for p in problems)


def test_payment_for_an_unreported_period(small_register: str, lic: Path) -> None:
    write(lic, "payments.csv", "licensee,period,amount,received\nacme,2026Q1,10.00,2026-04-20\n")
    problems = failing(small_register, lic)
    assert problems == [
        f"{lic / 'payments.csv'}:2: period: no sales report from acme for 2026Q1 in demo-v1; "
        "a payment must be for a reported period"
    ]
