"""`patentpool audit`: the lists it reads, and exit status 0 (agree), 1 (differ), 2 (unusable)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import run
from register_files import write_register

from patentpool.cli import cli


@pytest.fixture
def register(sqlite_url: str, tmp_path: Path) -> str:
    folder = tmp_path / "register"
    folder.mkdir()
    result = CliRunner().invoke(cli, ["--db", sqlite_url, "import", str(write_register(folder))])
    assert result.exit_code == 0, result.output
    return sqlite_url


def listed(url: str, path: Path) -> Path:
    """The member's list as `patents list --format csv` writes it."""
    code, out, err = run(url, "patents", "list", "--member", "lenovo", "--format", "csv")
    assert code == 0, err
    path.write_text(out, encoding="utf-8")
    return path


def test_the_csv_of_patents_list_is_accepted_and_agrees(register: str, tmp_path: Path) -> None:
    mine = listed(register, tmp_path / "mine.csv")
    code, out, err = run(register, "audit", "--member", "lenovo", "--against", str(mine))
    assert (code, out, err) == (
        0,
        f"{mine} and the register agree on all 2 patents of lenovo\n",
        "",
    )


def test_an_edited_patents_list_csv_differs_with_exit_status_1(
    register: str, tmp_path: Path
) -> None:
    mine = listed(register, tmp_path / "mine.csv")
    text = mine.read_text(encoding="utf-8")
    header, first, _second = text.splitlines()
    assert first.startswith("CN101000001B,lenovo,F1,2006-01-10,2009-02-01,2026-01-10,granted,")
    assert "IGRS 1.0 discovery: essential IGRS 1.1: declared" in first
    first = first.replace(",2026-01-10,granted,", ",2026-02-10,lapsed,").replace(
        "IGRS 1.0 discovery: essential IGRS 1.1: declared", "IGRS 1.0 discovery: not_essential"
    )
    mine.write_text(f"{header}\n{first}\n", encoding="utf-8")  # EP1000002B1 left out
    code, out, _ = run(
        register, "audit", "--member", "lenovo", "--against", str(mine), "--format", "json"
    )
    assert code == 1
    findings = [(f["patent"], f["finding"], f["details"]) for f in json.loads(out)["findings"]]
    assert findings == [
        (
            "CN101000001",
            "differs",
            "status: member says lapsed, register says granted; "
            "expiry: member says 2026-02-10, register says 2026-01-10; "
            "essentiality (IGRS 1.0): member says not_essential, register says essential; "
            "version: register declares it for IGRS 1.1, member does not",
        ),
        ("EP1000002", "unknown to the member", ""),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(
            "number,owner\nCN101000001B,lenovo\n",
            "mine.csv:1: header: has no publication_number column (a patents CSV) and no patent "
            "column (the CSV of `patentpool patents list`); a plain list has one number per line "
            "and no header",
            id="wrong columns",
        ),
        pytest.param(
            "patent,owner,declarations\nCN101000001B,lenovo,IGRS 1.0 discovery: essentail\n",
            "mine.csv:2: essentiality: unknown essentiality 'essentail'",
            id="bad row",
        ),
        pytest.param(
            "patent,owner,declarations\nCN101000001B,lenovo,IGRS 1.0 essential\n",
            "mine.csv:2: declarations: cannot read 'IGRS 1.0 essential': write each declaration "
            "as 'STANDARD VERSION [SECTION]: ESSENTIALITY', separated by spaces",
            id="unreadable declarations",
        ),
        pytest.param(
            b"CN101000001B\n\xff\n",
            "mine.csv:2: file: is not UTF-8 text (byte 0xff at line 2); save it as UTF-8 or name "
            "its encoding with --encoding cp1252 (or latin-1) and import it again",
            id="not UTF-8",
        ),
        pytest.param(
            "CN101000001B\nnot a number\n",
            "mine.csv:2: number: invalid patent number 'not a number': no digits",
            id="bad number",
        ),
    ],
)
def test_an_unusable_file_exits_with_status_2(
    register: str, tmp_path: Path, content: str | bytes, problem: str
) -> None:
    mine = tmp_path / "mine.csv"
    if isinstance(content, bytes):
        mine.write_bytes(content)
    else:
        mine.write_text(content, encoding="utf-8")
    code, out, err = run(register, "audit", "--member", "lenovo", "--against", str(mine))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == problem.replace("mine.csv", str(mine))
    assert err.splitlines()[-1].endswith("problem(s); nothing was audited")


def test_a_plain_list_with_digit_group_commas_is_still_a_plain_list(
    register: str, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.txt"
    mine.write_text("CN 101,000,001 B\nEP 1 000 002 B1\n", encoding="utf-8")
    code, out, _ = run(register, "audit", "--member", "lenovo", "--against", str(mine))
    assert (code, out) == (0, f"{mine} and the register agree on all 2 patents of lenovo\n")


def test_an_unknown_member_or_database_exits_with_status_2(register: str, tmp_path: Path) -> None:
    mine = listed(register, tmp_path / "mine.csv")
    code, _, err = run(register, "audit", "--member", "nobody", "--against", str(mine))
    assert code == 2
    assert err.startswith("Error: ")
    assert "nobody" in err
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    code, _, err = run(empty, "audit", "--member", "lenovo", "--against", str(mine))
    assert code == 2
    assert err.startswith(f"Error: the database {empty} has no patentpool schema")
