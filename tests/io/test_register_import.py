"""Importing the register's files: all or nothing, every problem with file, line and field."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from register_files import ALLIANCE, HEADER, ROWS, write

from patentpool.core.model import Register
from patentpool.io.problems import ImportFailed, Problem
from patentpool.io.readers import FileUnreadable, header_names, iter_csv, parse_records, read_csv
from patentpool.io.register_import import UNKNOWN_COLUMN, RegisterBatch, parse_patents_csv
from patentpool.io.register_schema import (
    CELL_READERS,
    PATENT_COLUMNS,
    PATENT_REQUIRED,
    PatentRecord,
    PatentRowIn,
)
from patentpool.services.imports import import_paths
from patentpool.storage.engine import session_for
from patentpool.storage.repository import load_register


@pytest.fixture
def files(tmp_path: Path) -> Path:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(tmp_path, "patents.csv", HEADER + ROWS)
    return tmp_path


def run_import(url: str, *paths: Path) -> Register:
    with session_for(url) as session:
        import_paths(session, list(paths))
    with session_for(url) as session:
        return load_register(session)


def failing(url: str, *paths: Path) -> list[str]:
    with pytest.raises(ImportFailed) as info, session_for(url) as session:
        import_paths(session, list(paths))
    return [str(p) for p in info.value.problems]


def snapshot(url: str) -> Register:
    with session_for(url) as session:
        return load_register(session)


def test_import_builds_the_register(db_url: str, files: Path) -> None:
    register = run_import(db_url, files)
    assert [m.id for m in register.members] == ["lenovo", "tcl"]
    assert {p.key for p in register.patents} == {"CN101000001", "EP1000002", "CN101000003"}
    assert len(register.declarations) == 4
    ep = register.patent_index()["EP1000002"]
    assert ep.owner == "lenovo"  # written as the legal name in another spelling
    assert ep.validated_states == {"DE", "FR", "GB"}
    std = register.standard_index()["IGRS"]
    assert std.version("1.1") is not None
    assert std.version("1.1").supersedes == "1.0"  # type: ignore[union-attr]
    assert std.version("1.0").sections == ("discovery", "media")  # type: ignore[union-attr]


def test_importing_the_same_files_again_changes_nothing(db_url: str, files: Path) -> None:
    first = run_import(db_url, files)
    with session_for(db_url) as session:
        summary = import_paths(session, [files])
    assert not summary.changed
    assert snapshot(db_url) == first


def test_a_changed_file_updates_what_changed(db_url: str, files: Path) -> None:
    run_import(db_url, files)
    write(
        files,
        "patents.csv",
        HEADER
        + ROWS.replace("pending,IGRS,1.0,media,declared", "granted,IGRS,1.0,media,not_essential"),
    )
    with session_for(db_url) as session:
        summary = import_paths(session, [files])
    assert dict(summary.changes) == {("patent", "updated"): 1, ("declaration", "updated"): 1}
    register = snapshot(db_url)
    assert register.patent_index()["CN101000003"].status.value == "granted"
    assert len(register.patents) == 3
    assert len(register.declarations) == 4


def test_bom_and_stray_spaces_are_accepted(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    messy = (
        HEADER.replace(",", " , ")
        + " CN 101 000 001 B ,  Lenovo ,F1, 2006-01-10 ,,,, IGRS , 1.0 ,,,\n"
    )
    write(tmp_path, "patents.csv", b"\xef\xbb\xbf" + messy.encode())
    register = run_import(db_url, tmp_path)
    assert [p.key for p in register.patents] == ["CN101000001"]


BAD_ROWS = [
    ("malformed number", "XX12,lenovo,,2006-01-10,,,,IGRS,1.0,,,\n", "publication_number"),
    (
        "unknown owner",
        "CN101000009B,sony,,2006-01-10,,,,IGRS,1.0,,,\n",
        "owner: unknown member 'sony'",
    ),
    (
        "unknown standard",
        "CN101000009B,tcl,,2006-01-10,,,,WIFI,1.0,,,\n",
        "standard: unknown standard 'WIFI'",
    ),
    (
        "unknown version",
        "CN101000009B,tcl,,2006-01-10,,,,IGRS,9.9,,,\n",
        "version: IGRS has no version '9.9'",
    ),
    (
        "grant before filing",
        "CN101000009B,tcl,,2006-01-10,2005-01-01,,,IGRS,1.0,,,\n",
        "grant_date: 2005-01-01 is before the filing date 2006-01-10",
    ),
    (
        "expiry before filing",
        "CN101000009B,tcl,,2006-01-10,,2001-01-01,,IGRS,1.0,,,\n",
        "expiry_date: 2001-01-01 is before the filing date 2006-01-10",
    ),
    (
        "unknown country",
        "EP1000009B1,tcl,,2006-01-10,,,,IGRS,1.0,,,DE XZ\n",
        "validated_states: unknown country code 'XZ'",
    ),
    (
        "unknown status",
        "CN101000009B,tcl,,2006-01-10,,,grantd,IGRS,1.0,,,\n",
        "status: Input should be",
    ),
    (
        "unknown essentiality",
        "CN101000009B,tcl,,2006-01-10,,,,IGRS,1.0,,maybe,\n",
        "essentiality: Input should be",
    ),
    (
        "bad date",
        "CN101000009B,tcl,,2006/01/10,,,,IGRS,1.0,,,\n",
        "filing_date: not a date in YYYY-MM-DD form: '2006/01/10'",
    ),
    (
        "duplicate declaration",
        "CN101000001B,lenovo,F1,2006-01-10,2009-02-01,,granted,IGRS,1.0,,,\n",
        "version: duplicate declaration of CN101000001 for IGRS 1.0 (first on",
    ),
    (
        "disagreeing fields",
        "CN101000001B,tcl,F1,2006-01-10,2009-02-01,,granted,IGRS,1.1,,,\n",
        "owner: CN101000001 has 'tcl' here but 'lenovo' on",
    ),
    (
        "unknown section",
        "CN101000009B,tcl,,2006-01-10,,,,IGRS,1.0,security,,\n",
        "section: IGRS 1.0 has no section 'security'",
    ),
]


@pytest.mark.parametrize(("case", "row", "expected"), BAD_ROWS, ids=[c for c, _, _ in BAD_ROWS])
def test_bad_rows_are_refused_and_nothing_is_written(
    db_url: str, tmp_path: Path, case: str, row: str, expected: str
) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    good = "CN101000001B,lenovo,F1,2006-01-10,2009-02-01,,granted,IGRS,1.0,,,\n"
    write(tmp_path, "patents.csv", HEADER + good + row)
    problems = failing(db_url, tmp_path)
    assert any(p.startswith(f"{tmp_path / 'patents.csv'}:3: {expected}") for p in problems), (
        problems
    )
    assert snapshot(db_url) == Register()


def test_every_problem_is_reported_at_once(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    rows = "".join(r for _, r, _ in BAD_ROWS[:5])
    write(tmp_path, "patents.csv", HEADER + rows)
    problems = failing(db_url, tmp_path)
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4", "5", "6"]


def test_missing_required_column(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(
        tmp_path,
        "patents.csv",
        "publication_number,owner,standard,version\nCN101000001B,tcl,IGRS,1.0\n",
    )
    assert failing(db_url, tmp_path) == [
        f"{tmp_path / 'patents.csv'}:1: filing_date: required column is missing"
    ]


def test_empty_file(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "patents.csv", "")
    assert failing(db_url, tmp_path) == [
        f"{tmp_path / 'patents.csv'}:1: file: is empty (a header line is required)"
    ]


def test_non_utf8_file_is_refused_with_its_name(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(
        tmp_path,
        "patents.csv",
        (HEADER + "CN101000001B,Soci\xe9t\xe9,,2006-01-10,,,,IGRS,1.0,,,\n").encode("latin-1"),
    )
    problems = failing(db_url, tmp_path)
    assert problems == [
        f"{tmp_path / 'patents.csv'}:2: file: is not UTF-8 text (byte 0xe9 at line 2); "
        "save it as UTF-8 or name its encoding with --encoding cp1252 (or latin-1) and import it "
        "again"
    ]


def test_yaml_that_is_not_a_mapping(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", "- just\n- a list\n")
    assert failing(db_url, tmp_path) == [
        f"{tmp_path / 'alliance.yaml'}:1: file: must be a mapping of sections "
        "(alliance, members, standards, licensees, programs), not a list"
    ]


def test_member_id_reused_with_another_name(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(tmp_path, "more.yaml", "members:\n  - {id: tcl, name: Konka Group}\n")
    problems = failing(db_url, tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{tmp_path / 'more.yaml'}:2: members.id: member id 'tcl' is already used for 'TCL Corporation'"
    )


def test_yaml_problems_name_the_line_of_the_field(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE.replace("{id: tcl,", "{id: TCL Corp,"))
    problems = failing(db_url, tmp_path)
    assert problems[0].startswith(
        f"{tmp_path / 'alliance.yaml'}:4: members.1.id: 'TCL Corp' is not a valid id"
    )


def test_unknown_yaml_key_is_an_error(db_url: str, tmp_path: Path) -> None:
    write(
        tmp_path,
        "alliance.yaml",
        ALLIANCE.replace("joined: 2003-07-01, aliases", "joind: 2003-07-01, aliases"),
    )
    problems = failing(db_url, tmp_path)
    assert problems == [
        f"{tmp_path / 'alliance.yaml'}:3: members.0.joind: unknown key (check its spelling; see docs/formats.md)"
    ]


def test_unquoted_version_number_is_explained(db_url: str, tmp_path: Path) -> None:
    write(
        tmp_path, "alliance.yaml", ALLIANCE.replace('{id: "1.1", supersedes: "1.0"}', "{id: 1.1}")
    )
    problems = failing(db_url, tmp_path)
    assert problems == [
        f"{tmp_path / 'alliance.yaml'}:10: standards.0.versions.1.id: must be text; "
        'write it in quotes ("1.1") so it is not read as a number'
    ]


def test_object_tags_are_refused(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", "alliance: !!python/object/apply:os.system [echo hi]\n")
    problems = failing(db_url, tmp_path)
    assert problems[0].startswith(f"{tmp_path / 'alliance.yaml'}:1: file: is not valid YAML/JSON")


def test_json_is_read_like_yaml(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.json", '{"members": [{"id": "konka", "name": "Konka Group"}]}')
    assert [m.id for m in run_import(db_url, tmp_path).members] == ["konka"]


# --- Reading a patents CSV by columns gives what the row schema gives -----------------------

_CELLS = [
    "", " ", "CN101000001B", "EP1000002B1", "XX12", "lenovo", "Lenovo  Group\tLtd.", "tcl",
    "2006-01-10", " 2009-02-01 ", "20060110", "2006-02-30", "2006/01/10", "granted", "Granted",
    "PENDING", "lapsed", "not-essential", "Not Essential", "essential", "bogus", "IGRS", "1.0",
    "media", "DE FR;GB", "DE,XZ", "UK", "\u2003", "x\u00a0y", "=1+1", "'=1+1",
]  # fmt: skip
_COLUMNS = [*PATENT_COLUMNS, "priority_date", "__extra__", ""]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    header=st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=20, unique=True).map(
        lambda names: [*PATENT_REQUIRED, *names] if "owner" in names else names
    ),
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(_CELLS), st.text(max_size=6)), max_size=24),
        max_size=6,
    ),
)
def test_rows_read_by_columns_as_the_row_schema_reads_them(
    header: list[str], rows: list[list[str]]
) -> None:
    """parse_patents_csv reads each column's distinct cells by the schema's own validators
    and leaves a row they refuse to PatentRowIn: the rows and problems are those of validating
    every row by PatentRowIn, as the importers' shared record reader does."""
    header = list(dict.fromkeys(header))
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    text = out.getvalue()
    try:
        table = read_csv(text, "p.csv")
    except FileUnreadable:
        return
    expected_problems: list[Problem] = []
    expected = [
        (PatentRecord.of(row), source)
        for row, source in parse_records(
            table,
            PatentRowIn,
            PATENT_COLUMNS,
            PATENT_REQUIRED,
            UNKNOWN_COLUMN,
            expected_problems,
        )
    ]
    lines = iter_csv(text, "p.csv")
    header_line, cells = next(lines)
    batch = RegisterBatch()
    problems: list[Problem] = []
    names = header_names(cells, "p.csv", header_line)
    parse_patents_csv("p.csv", header_line, names, list(lines), batch, problems)
    assert batch.patent_rows == expected
    assert sorted(problems, key=repr) == sorted(expected_problems, key=repr)  # ImportFailed sorts


def test_cell_readers_and_records_follow_the_schema_s_columns() -> None:
    assert tuple(CELL_READERS) == PatentRecord._fields == PATENT_COLUMNS
