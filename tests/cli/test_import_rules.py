"""The rules of ``patentpool import`` that guard the books: one alliance per register, one
report per licensee and quarter in an import, a later report a correction."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run
from licensing_files import LICENSING, SALES_HEADER
from paths import SAMPLES
from register_files import write

from patentpool.core.periods import Period
from patentpool.services.licensing import licensing_state
from patentpool.storage.engine import session_for
from patentpool.storage.repository import load_register


def register_of(url: str) -> tuple[object, int, int]:
    with session_for(url) as session:
        register = load_register(session)
    return register.alliance, len(register.members), len(register.patents)


def test_files_of_another_alliance_are_refused(db_url: str) -> None:
    code, _, err = run(db_url, "import", str(SAMPLES / "igrs-v1" / "alliance.yaml"),
                       str(SAMPLES / "igrs-v1" / "patents.csv"))  # fmt: skip
    assert code == 0, err
    before = register_of(db_url)
    code, out, err = run(db_url, "import", str(SAMPLES / "gsm"))
    assert (code, out) == (1, "")
    alliance_file = SAMPLES / "gsm" / "alliance.yaml"
    assert err.splitlines() == [
        f"{alliance_file}:2: alliance.id: names alliance 'gsm-example'; this register holds "
        "'igrs' (IGRS Industry Alliance). A register belongs to one alliance: import these "
        "files into a database of their own (--db), or pass --rename-alliance to give this "
        "register the alliance id 'gsm-example'",
        "Error: 1 problem in 1 file; nothing was imported",
    ]
    assert register_of(db_url) == before


def test_rename_alliance_is_explicit_and_said(db_url: str, tmp_path: Path) -> None:
    code, _, err = run(db_url, "import", str(SAMPLES / "igrs-v1" / "alliance.yaml"))
    assert code == 0, err
    renamed = tmp_path / "alliance.yaml"
    renamed.write_text("alliance: {id: igrs, name: IGRS Alliance}\n", encoding="utf-8")
    code, out, err = run(db_url, "import", str(renamed))
    assert code == 0, err
    assert out.splitlines() == [
        "1 file(s) imported:",
        "  alliances       updated        1",
        "alliance updated: name: 'IGRS Industry Alliance' -> 'IGRS Alliance'",
    ]
    other = tmp_path / "other.yaml"
    other.write_text("alliance: {id: igrs-2, name: IGRS Two}\n", encoding="utf-8")
    code, _, err = run(db_url, "import", str(other))
    assert code == 1
    assert "pass --rename-alliance" in err
    code, out, err = run(db_url, "import", "--rename-alliance", str(other))
    assert code == 0, err
    assert out.splitlines()[-1] == (
        "alliance renamed: igrs (IGRS Alliance) -> igrs-2 (IGRS Two)"
    )
    alliance = register_of(db_url)[0]
    assert (alliance.id, alliance.name) == ("igrs-2", "IGRS Two")  # type: ignore[attr-defined]


def test_two_files_of_one_import_naming_two_alliances(db_url: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("alliance: {id: one, name: One}\n", encoding="utf-8")
    b.write_text("# the other\nalliance: {id: two, name: Two}\n", encoding="utf-8")
    code, _, err = run(db_url, "import", str(a), str(b))
    assert code == 1
    assert err.splitlines() == [
        f"{b}:2: alliance: names alliance 'two' ('Two'), but {a}:1 names 'one' ('One'); "
        "the files of one import must give one alliance",
        "Error: 1 problem in 1 file; nothing was imported",
    ]
    assert register_of(db_url) == (None, 0, 0)


# ------------------------------------------------------------------ a report per quarter


@pytest.fixture
def lic(small_register: str, tmp_path: Path) -> Path:
    folder = tmp_path / "lic"
    folder.mkdir()
    member = "  - {id: gamma, name: Gamma Member Co., member: true, good_standing: true}\n"
    write(folder, "licensing.yaml", LICENSING.replace("programs:\n", member + "programs:\n", 1))
    code, _, err = run(small_register, "import", str(folder / "licensing.yaml"))
    assert code == 0, err
    return folder


def reports_of(url: str) -> dict[tuple[str, str, Period], str]:
    with session_for(url) as session:
        return dict(licensing_state(session).reports)


def test_two_files_of_one_import_for_one_quarter_are_refused(
    small_register: str, lic: Path
) -> None:
    first = write(lic, "sales-a.csv", SALES_HEADER + "acme,2026Q1,US,CN,tv,100,\n")
    second = write(
        lic, "sales-b.csv", SALES_HEADER + "beta,2026Q1,DE,DE,tv,5,\nacme,2026Q1,US,CN,tv,7,\n"
    )
    code, out, err = run(small_register, "import", str(first), str(second))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{second}:3: licensee: a second sales report of acme for 2026Q1 in demo-v1: "
        f"{first}:2 of this import reports it already; send one file per licensee and quarter "
        "(a later import of the quarter is a correction)",
        "Error: 1 problem in 1 file; nothing was imported",
    ]
    assert reports_of(small_register) == {}


def test_a_quarter_whose_sales_owe_nothing_says_so(small_register: str, lic: Path) -> None:
    sales = write(lic, "sales.csv", SALES_HEADER + "gamma,2025Q4,US,CN,tv,100,\n")
    code, _, err = run(small_register, "import", str(sales))
    assert code == 0, err
    code, _, err = run(
        small_register, "distribute", "--program", "demo-v1", "--period", "2025Q4",
        "--basis", "due",
    )  # fmt: skip
    assert (code, err) == (
        1,
        "Error: sales reported, nothing owed: demo-v1 2025Q4 has 1 sales line from 1 "
        "licensee: gross 50.00, annual cap -0.00, discounts -50.00, due 0.00 USD\n",
    )
    code, _, err = run(small_register, "distribute", "--program", "demo-v1", "--period", "2025Q4")
    assert code == 1
    assert err.startswith("Error: sales reported, nothing owed: demo-v1 2025Q4 has 1 sales line")
