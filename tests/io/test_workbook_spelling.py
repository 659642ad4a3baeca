"""A number typed in a workbook has no spelling: the rule for a report's checksum when the
same figures come as CSV and as a workbook (docs/formats.md, "Cells as people type them")."""

from __future__ import annotations

from pathlib import Path

from licensing_files import LICENSING, SALES_HEADER
from openpyxl import Workbook
from register_files import ALLIANCE, write

from patentpool.services.imports import import_files
from patentpool.storage.migrate import upgrade

LINES = "beta,2025Q4,DE,DE,phone,10,1000.00\n"


def _register(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    import_files(url, [write(tmp_path, "alliance.yaml", ALLIANCE),
                       write(tmp_path, "licensing.yaml", LICENSING)])  # fmt: skip
    return url


def _book(path: Path, net: object) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(SALES_HEADER.strip().split(","))
    sheet.append(["beta", "2025Q4", "DE", "DE", "phone", 10, net])
    book.save(path)
    return path


def test_an_amount_typed_as_text_gives_the_csv_file_s_checksum(tmp_path: Path) -> None:
    url = _register(tmp_path)
    first = import_files(url, [write(tmp_path, "sales.csv", SALES_HEADER + LINES)])
    assert first.changes == {("sales report", "added"): 1}
    again = import_files(url, [_book(tmp_path / "q4.xlsx", "1000.00")])
    assert not again.changes  # the same line, the same checksum: nothing changed


def test_an_amount_typed_as_a_number_is_a_correction_of_the_csv_spelling(tmp_path: Path) -> None:
    url = _register(tmp_path)
    import_files(url, [write(tmp_path, "sales.csv", SALES_HEADER + LINES)])
    numbers = import_files(url, [_book(tmp_path / "q4.xlsx", 1000.0)])  # kept as 1000
    assert numbers.changes  # 1000 is not the spelling 1000.00: a new revision
    assert not import_files(url, [_book(tmp_path / "again.xlsx", 1000)]).changes
