"""Every CSV dialect spreadsheets save: ';' and tabs (told by the header line), cp1252 and
latin-1 by --encoding, UTF-16 by its byte order mark, decimal commas by --decimal-comma."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import HEADER, ROWS, write, write_register
from test_sales_columns import _imported, _sqlite, _used_columns

from patentpool.cli import cli
from patentpool.io.dialects import decimal_point, separator_of
from patentpool.storage.migrate import upgrade

COMMA = SALES_HEADER + SALES


def _as(separator: str, text: str) -> str:
    return text.replace(",", separator)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_sales_separated_by_semicolons_or_tabs_are_read_by_columns_as_commas_are(
    separator: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _sqlite(tmp_path)
    commas = _imported(url("a"), tmp_path / "a", COMMA)
    used = _used_columns(monkeypatch)
    other = _imported(url("b"), tmp_path / "b", _as(separator, COMMA))
    assert used == [True]  # plain: Arrow read it with that separator
    assert other == commas


@pytest.mark.parametrize("separator", [";", "\t"])
def test_quoted_files_with_other_separators_are_read_line_by_line(
    separator: str, tmp_path: Path
) -> None:
    url = _sqlite(tmp_path)
    commas = _imported(url("a"), tmp_path / "a", COMMA)
    quoted = _as(separator, COMMA).replace("acme", '"acme"')
    assert _imported(url("b"), tmp_path / "b", quoted) == commas


def test_the_separator_is_the_one_that_splits_the_header_most() -> None:
    assert separator_of("licensee;period;units\n") == ";"
    assert separator_of("licensee\tperiod\tunits\n") == "\t"
    assert separator_of("licensee,period;units,category\n") == ","
    assert separator_of("licensee\n") == ","  # one column: commas, as always


def test_decimal_comma_numbers() -> None:
    assert decimal_point("1.234,50") == "1234.50"
    assert decimal_point("1234,5") == "1234.5"
    assert decimal_point("-12,00") == "-12.00"
    assert decimal_point("1.000") == "1000"  # a point between groups of three
    assert decimal_point("12.5") == "12.5"  # judged as written
    assert decimal_point("1,2,3") == "1,2,3"
    assert decimal_point("1000") == "1000"


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def _folder(tmp_path: Path) -> tuple[str, Path]:
    tmp_path.mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    upgrade(url)
    (tmp_path / "register").mkdir()
    write_register(tmp_path / "register")
    write(tmp_path, "licensing.yaml", LICENSING)
    return url, tmp_path


def _lines(url: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    from patentpool.storage.engine import dispose_all, session_for

    with session_for(url) as session:
        rows = session.execute(
            text("SELECT line, country_of_sale, units, net_sales FROM sales_lines ORDER BY id")
        ).all()
    dispose_all()
    return [tuple(r) for r in rows]


def test_decimal_commas_in_a_semicolon_file_with_the_flag(tmp_path: Path) -> None:
    url, folder = _folder(tmp_path)
    sales = _as(";", COMMA).replace("1000.00", "1.000,00")
    write(folder, "sales.csv", sales)
    write(folder, "payments.csv", _as("\t", PAYMENTS).replace("675.00", "675,00"))
    code, _, err = _cli(url, "import", "--decimal-comma", str(folder / "register"),
                        str(folder / "licensing.yaml"), str(folder / "sales.csv"),
                        str(folder / "payments.csv"))  # fmt: skip
    assert code == 0, err
    assert ("DE", 10, "1000.00") in [line[1:] for line in _lines(url)]


def test_decimal_commas_without_the_flag_are_not_numbers(tmp_path: Path) -> None:
    url, folder = _folder(tmp_path)
    write(folder, "sales.csv", _as(";", COMMA).replace("1000.00", "1000,00"))
    code, _, err = _cli(url, "import", str(folder / "register"),
                        str(folder / "licensing.yaml"), str(folder / "sales.csv"))  # fmt: skip
    assert code == 1
    assert f"{folder / 'sales.csv'}:4: net_sales: " in err


def test_decimal_comma_refuses_a_comma_separated_file_with_money(tmp_path: Path) -> None:
    url, folder = _folder(tmp_path)
    write(folder, "sales.csv", COMMA)
    code, _, err = _cli(url, "import", "--decimal-comma", str(folder / "register"),
                        str(folder / "licensing.yaml"), str(folder / "sales.csv"))  # fmt: skip
    assert code == 1
    assert err.splitlines()[0] == (
        f"{folder / 'sales.csv'}:1: file: is separated by commas, so its numbers cannot have "
        "decimal commas: import it without --decimal-comma, or save it separated by ';'"
    )


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_a_file_in_the_windows_code_page_is_read_with_encoding(
    encoding: str, tmp_path: Path
) -> None:
    url, folder = _folder(tmp_path)
    patents = _as(";", HEADER.rstrip("\n") + ",title\n") + "".join(
        _as(";", row.replace("FR;GB", "FR GB")) + ";Télévision über Netz\n"
        for row in ROWS.splitlines()
    )
    path = write(folder, "patents.csv", patents.encode("cp1252"))
    code, _, err = _cli(url, "import", str(folder / "register" / "alliance.yaml"), str(path))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{path}:2: file: is not UTF-8 text (byte 0xe9 at line 2); save it as UTF-8 or name its "
        "encoding with --encoding cp1252 (or latin-1) and import it again"
    )
    code, out, err = _cli(url, "import", "--encoding", encoding,
                          str(folder / "register" / "alliance.yaml"), str(path))  # fmt: skip
    assert code == 0, err
    code, out, _ = _cli(url, "patents", "list", "--format", "csv")
    assert "Télévision über Netz" in out


def test_utf16_with_its_byte_order_mark_is_read(tmp_path: Path) -> None:
    url = _sqlite(tmp_path)
    commas = _imported(url("a"), tmp_path / "a", COMMA)
    assert _imported(url("b"), tmp_path / "b", _as("\t", COMMA).encode("utf-16")) == commas


def test_normalize_and_audit_read_other_dialects(tmp_path: Path) -> None:
    listed = write(
        tmp_path, "numbers.csv", "Publication number;note\nUS 7,123,456 B2;é\n".encode("cp1252")
    )
    code, out, err = _cli("sqlite://", "normalize", str(listed), "--column",
                          "Publication number", "--encoding", "cp1252", "--format", "csv")  # fmt: skip
    assert code == 0, err
    assert "US7123456B2" in out
    url, folder = _folder(tmp_path / "db")
    code, _, err = _cli(url, "import", str(folder / "register"))
    assert code == 0, err
    lenovo = "".join(row + "\n" for row in ROWS.splitlines() if ",tcl," not in row)
    mine = write(folder, "mine.csv", _as("\t", HEADER + lenovo).encode("utf-16"))
    code, out, err = _cli(url, "audit", "--member", "lenovo", "--against", str(mine))
    assert (code, err) == (0, ""), out


DIALECTS = Path(__file__).resolve().parent.parent / "dialects"


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        ("alliance-utf16.yaml", ["  members         added          1"]),
        ("patents-semicolon-delimited.csv",
         ["  declarations    added          1", "  patents         added          1"]),
        ("payments-tab-separated.csv", []),  # the same payment as the one imported
        ("sales-semicolon-delimited.csv", ["  sales reports   added          1"]),
    ],
)  # fmt: skip
def test_files_the_importer_once_refused_for_their_dialect_now_import(
    case: str, changes: list[str], tmp_path: Path
) -> None:
    url, folder = _folder(tmp_path)
    write(folder, "sales.csv", COMMA)
    write(folder, "payments.csv", PAYMENTS)
    code, _, err = _cli(url, "import", str(folder))
    assert code == 0, err
    code, out, err = _cli(url, "import", str(DIALECTS / case))
    assert code == 0, err
    assert out.splitlines()[1:] == changes
