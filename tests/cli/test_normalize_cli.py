"""``patentpool normalize`` on hand-made lists and on the real MPEG LA list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import SHARED_DATA

from patentpool.cli import cli


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_messy_list_is_normalised_with_duplicates_and_invalid_flagged(tmp_path: Path) -> None:
    path = tmp_path / "numbers.txt"
    path.write_text("US 7,123,456 B2\nUS7123456B2\n\n7123456\nnot a number\n", encoding="utf-8")
    code, out, err = run("normalize", str(path), "--jurisdiction", "US", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert (data["valid"], data["invalid"], data["duplicates"], data["unique"]) == (3, 1, 2, 1)
    assert [(n["line"], n["normalized"], n["status"]) for n in data["numbers"]] == [
        (1, "US7123456B2", "ok"),
        (2, "US7123456B2", "duplicate"),
        (4, "US7123456", "duplicate"),
        (5, "", "invalid"),
    ]
    assert data["numbers"][1]["note"] == "duplicate of line 1"
    assert err == "Error: 1 of 4 numbers are invalid\n"


def test_csv_column(tmp_path: Path) -> None:
    path = tmp_path / "decl.csv"
    path.write_text(
        "Owner,Publication Number\nA,EP 1 234 567 B1\nB,CN 101123456 B\n", encoding="utf-8"
    )
    code, out, _ = run("normalize", str(path), "--column", "Publication Number", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [
        "line,input,normalized,key,status,note",
        "2,EP 1 234 567 B1,EP1234567B1,EP1234567,ok,",
        "3,CN 101123456 B,CN101123456B,CN101123456,ok,",
    ]


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "decl.csv"
    path.write_text("owner,number\nA,EP1234567B1\n", encoding="utf-8")
    code, _, err = run("normalize", str(path), "--column", "publication")
    assert (code, err) == (
        1,
        f"Error: {path} has no column 'publication' (columns: owner, number)\n",
    )


def test_reads_standard_input() -> None:
    code, out, _ = run("normalize", "-", "--format", "csv", stdin="WO2010/012345\n")
    assert code == 0
    assert out.splitlines()[1] == "1,WO2010/012345,WO2010012345,WO2010012345,ok,"


def test_real_mpegla_list_all_normalise() -> None:
    """1,711 US numbers MPEG LA listed (google/patents-public-data, Apache 2.0)."""
    path = SHARED_DATA / "mpegla-video-codec-us-patents.csv"
    if not path.exists():
        pytest.skip(f"reference data not found at {path}")
    code, out, _ = run("normalize", str(path), "--jurisdiction", "US", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["entries"], data["valid"], data["invalid"], data["duplicates"]) == (
        1711,
        1711,
        0,
        1,
    )
    assert sum(n["key"].startswith("USRE") for n in data["numbers"]) == 77
