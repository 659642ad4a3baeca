"""A sales line's recorded reference names its file as it was imported: by its path inside
the folder given to `patentpool import`, or by its name when the file itself was given; the
problems of an import still name the file as given."""

from __future__ import annotations

from pathlib import Path

import pytest
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write

from patentpool.core.periods import Period
from patentpool.io.problems import ImportFailed
from patentpool.services.imports import import_paths
from patentpool.storage import licensing_repo
from patentpool.storage.engine import session_for


def sources(url: str) -> list[str]:
    with session_for(url) as session:
        lines = licensing_repo.load_sales(session, "demo-v1", [Period.parse("2025Q4")])
    return sorted(str(ln.source) for ln in lines)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    lic = tmp_path / "deep" / "lic"
    (lic / "2025").mkdir(parents=True)
    write(lic, "licensing.yaml", LICENSING)
    write(lic / "2025", "sales-Q4.csv", SALES_HEADER + SALES)
    write(lic, "payments.csv", PAYMENTS)
    return lic


def test_a_file_found_in_a_folder_is_named_inside_it(small_register: str, folder: Path) -> None:
    with session_for(small_register) as session:
        import_paths(session, [folder])
    assert sources(small_register) == [f"2025/sales-Q4.csv:{n}" for n in (2, 3, 4, 5)]


def test_a_file_given_by_its_path_is_named_by_its_name(small_register: str, folder: Path) -> None:
    files = [folder / "licensing.yaml", (folder / "2025" / "sales-Q4.csv").resolve()]
    with session_for(small_register) as session:
        import_paths(session, files)
    assert sources(small_register) == [f"sales-Q4.csv:{n}" for n in (2, 3, 4, 5)]


def test_problems_still_name_the_file_as_given(small_register: str, folder: Path) -> None:
    sales = folder / "2025" / "sales-Q4.csv"
    write(sales.parent, sales.name, SALES_HEADER + SALES.replace("1000,\n", "many,\n", 1))
    with pytest.raises(ImportFailed) as info, session_for(small_register) as session:
        import_paths(session, [folder])
    assert [p.file for p in info.value.problems] == [str(sales)]
