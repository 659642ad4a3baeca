"""The register's commands through click's runner: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import run
from register_files import ALLIANCE, HEADER, ROWS, write

from patentpool.cli import cli


def test_commands_without_schema_say_how_to_create_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, _out, err = run(url, "members", "list")
    assert code == 1
    assert err == (
        f"Error: the database {url} has no patentpool schema; "
        "create it with `patentpool db upgrade`\n"
    )


def test_a_missing_schema_leaves_no_empty_database_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PATENTPOOL_DATABASE_URL", raising=False)
    result = CliRunner().invoke(cli, ["counts", "--standard", "IGRS", "--version", "1.0"])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: the database sqlite:///patentpool.db has no patentpool schema; "
        "create it with `patentpool db upgrade`\n",
    )
    result = CliRunner().invoke(cli, ["db", "current"])
    assert result.stdout.startswith("sqlite:///patentpool.db: no schema (this patentpool needs ")
    assert list(tmp_path.iterdir()) == []
    assert CliRunner().invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert (tmp_path / "patentpool.db").is_file()


def test_a_file_or_folder_that_is_no_database_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junk.db").write_text("not a database\n")
    (tmp_path / "folder.db").mkdir()
    for command in (["members", "list"], ["db", "upgrade"], ["db", "current"]):
        assert run("sqlite:///junk.db", *command) == (
            1,
            "",
            "Error: junk.db is not a patentpool database (not SQLite)\n",
        )
        assert run("sqlite:///folder.db", *command) == (
            1,
            "",
            "Error: folder.db is a folder, not a SQLite database file\n",
        )
        assert run("demo.db", *command) == (
            1,
            "",
            "Error: not a database URL: 'demo.db'; for a SQLite file write sqlite:///demo.db\n",
        )
    assert (tmp_path / "junk.db").read_text() == "not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.db", "junk.db"]


def test_db_upgrade_creates_then_reports_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    code, out, _ = run(url, "db", "upgrade")
    assert code == 0
    assert out.startswith(f"created the patentpool schema in {url} (revision ")
    code, out, _ = run(url, "db", "upgrade")
    assert "is already at schema revision" in out
    assert (tmp_path / "new.db").stat().st_mode & 0o077 == 0  # owner-only


def test_password_never_appears_in_errors() -> None:
    url = "postgresql+psycopg://pool:s3cret-pw@127.0.0.1:1/pool"
    code, out, err = run(url, "members", "list")
    assert code == 1
    assert "s3cret-pw" not in out + err
    assert err.startswith("Error: cannot connect to postgresql+psycopg://pool:***@127.0.0.1:1/pool")


def test_import_then_list(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(tmp_path, "patents.csv", HEADER + ROWS)
    code, out, _ = run(db_url, "import", str(tmp_path))
    assert code == 0, out
    assert "patents         added          3" in out
    code, out, _ = run(db_url, "import", str(tmp_path))
    assert out == "2 file(s) read; the register already held all of it: nothing changed\n"
    code, out, _ = run(db_url, "members", "list", "--format", "json")
    assert json.loads(out) == [
        {
            "id": "lenovo",
            "name": "Lenovo Group Ltd.",
            "joined": "2003-07-01",
            "declared_patents": 2,
            "aliases": ["Lenovo"],
        },
        {
            "id": "tcl",
            "name": "TCL Corporation",
            "joined": "2003-07-01",
            "declared_patents": 1,
            "aliases": [],
        },
    ]


def test_import_problems_are_printed_then_exit_1(db_url: str, tmp_path: Path) -> None:
    write(tmp_path, "alliance.yaml", ALLIANCE)
    write(tmp_path, "patents.csv", HEADER + "CN101000009B,sony,,2006-01-10,,,,IGRS,1.0,,,\n")
    code, out, err = run(db_url, "import", str(tmp_path))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'patents.csv'}:2: owner: unknown member 'sony'")
    assert lines[-1] == "Error: 1 problem in 1 file; nothing was imported"
    assert "Traceback" not in err
    _, out, _ = run(db_url, "members", "list", "--format", "csv")
    assert out == "id,name,joined,declared_patents,aliases\n"


def test_import_of_a_missing_path(db_url: str) -> None:
    code, _, err = run(db_url, "import", "no/such/folder")
    assert code == 1
    assert err.splitlines() == [
        "no/such/folder:0: path: does not exist",
        "Error: 1 problem in 1 file; nothing was imported",
    ]


def test_standards_list(small_register: str) -> None:
    code, out, _ = run(small_register, "standards", "list", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [
        "standard,name,version,published,supersedes,sections,declarations",
        "IGRS,Intelligent Grouping and Resource Sharing,1.0,2005-01-01,,discovery media,3",
        "IGRS,Intelligent Grouping and Resource Sharing,1.1,,1.0,,1",
    ]


def test_patents_list_filters(small_register: str) -> None:
    def keys(*args: str) -> list[str]:
        code, out, err = run(small_register, "patents", "list", "--format", "json", *args)
        assert code == 0, err
        return [row["patent"] for row in json.loads(out)]

    assert keys() == ["CN101000001B", "CN101000003B", "EP1000002B1"]
    assert keys("--member", "tcl") == ["CN101000003B"]
    assert keys("--standard", "IGRS", "--version", "1.1") == ["CN101000001B"]
    assert keys("--essentiality", "essential") == ["CN101000001B", "EP1000002B1"]
    assert keys("--in-force-on", "2010-01-01") == ["CN101000001B"]
    assert keys("--in-force-on", "2011-01-01", "--country", "DE") == ["EP1000002B1"]
    assert keys("--country", "cn") == ["CN101000001B", "CN101000003B"]


def test_patents_list_unknown_member(small_register: str) -> None:
    code, _, err = run(small_register, "patents", "list", "--member", "sony")
    assert (code, err) == (1, "Error: unknown member 'sony' (not a member id, name or alias)\n")
    code, _, err = run(small_register, "patents", "list", "--member", "lenvo")
    assert (code, err) == (
        1,
        "Error: unknown member 'lenvo' (not a member id, name or alias; did you mean lenovo?)\n",
    )


def test_a_member_is_named_by_its_id_name_or_alias(small_register: str, tmp_path: Path) -> None:
    listed = run(small_register, "patents", "list", "--member", "lenovo", "--format", "csv")
    assert listed[0] == 0
    assert listed[2] == ""
    for written in ("Lenovo", "LENOVO GROUP LIMITED", "Lenovo Group Ltd."):
        assert run(small_register, "patents", "list", "--member", written, "--format", "csv") == (
            0,
            listed[1],
            f"{written!r} is member lenovo\n",
        )
    plain = write(tmp_path, "mine.txt", "CN101000001B\nEP1000002B1\n")
    code, out, err = run(small_register, "audit", "--member", "Lenovo", "--against", str(plain))
    assert (code, err) == (0, "'Lenovo' is member lenovo\n")
    assert out == f"{plain} and the register agree on all 2 patents of lenovo\n"


def test_patents_list_bad_country(small_register: str) -> None:
    code, _, err = run(small_register, "patents", "list", "--country", "XZ")
    assert code == 2
    assert "unknown country code 'XZ'" in err


def test_counts_json_adds_up(small_register: str) -> None:
    code, out, _ = run(
        small_register,
        "counts",
        "--standard",
        "IGRS",
        "--version",
        "1.0",
        "--as-of",
        "2011-01-01",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["total"] == {
        "declared": 3,
        "essential": 2,
        "not_essential": 0,
        "awaiting": 1,
        "in_force": 2,
        "essential_in_force": 2,
        "families": 2,
    }
    assert [g["member"] for g in data["groups"]] == ["lenovo", "tcl"]
    assert sum(g["declared"] for g in data["groups"]) == data["total"]["declared"]


def test_counts_table_by_jurisdiction(small_register: str) -> None:
    code, out, _ = run(
        small_register,
        "counts",
        "--standard",
        "IGRS",
        "--version",
        "1.0",
        "--as-of",
        "2026-05-01",
        "--by",
        "jurisdiction",
    )
    assert code == 0
    assert out.splitlines()[2:] == [
        "group  declared  essential  not_essential  awaiting  in_force  essential_in_force  families",
        "-----  --------  ---------  -------------  --------  --------  ------------------  --------",
        "CN            2          1              0         1         0                   0         2",
        "EP            1          1              0         0         1                   1         1",
        "total         3          2              0         1         1                   1         2",
    ]


def test_counts_unknown_version(small_register: str) -> None:
    code, _, err = run(small_register, "counts", "--standard", "IGRS", "--version", "2.0")
    assert (code, err) == (1, "Error: IGRS has no version '2.0' (known: 1.0, 1.1)\n")


def test_export_round_trip(small_register: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "export"
    code, out, _ = run(small_register, "export", "--register-only", str(out_dir))
    assert code == 0
    assert out.splitlines() == [
        f"wrote {out_dir / 'alliance.yaml'}",
        f"wrote {out_dir / 'patents.csv'}",
    ]
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    assert run(copy, "db", "upgrade")[0] == 0
    assert run(copy, "import", str(out_dir))[0] == 0
    for args in (
        ["members", "list"],
        ["standards", "list"],
        ["patents", "list", "--format", "json"],
    ):
        assert run(copy, *args)[1] == run(small_register, *args)[1]


def test_history_records_transfer_and_re_evaluation(small_register: str, tmp_path: Path) -> None:
    changed = ROWS.replace(
        "EP1000002B1,LENOVO GROUP LIMITED,F1,2006-06-01,2010-03-03,,granted,IGRS,1.0,media,essential",
        "EP1000002B1,tcl,F1,2006-06-01,2010-03-03,,granted,IGRS,1.0,media,not_essential",
    )
    assert changed != ROWS
    write(tmp_path, "patents.csv", HEADER + changed)
    assert run(small_register, "import", str(tmp_path / "patents.csv"))[0] == 0
    code, out, _ = run(small_register, "history", "EP 1 000 002 B1", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["patent"] == "EP1000002"
    assert [(c["what"], c["action"], c["detail"]) for c in doc["changes"]] == [
        ("patent", "added", "new"),
        ("EP1000002 IGRS 1.0", "added", "new"),
        ("patent", "updated", "owner: 'lenovo' -> 'tcl'"),
        ("EP1000002 IGRS 1.0", "updated", "essentiality: 'essential' -> 'not_essential'"),
    ]
    assert doc["changes"][2]["source"] == f"{tmp_path / 'patents.csv'}:4"


def test_history_of_an_unknown_patent(small_register: str) -> None:
    code, _, err = run(small_register, "history", "CN101999999B")
    assert (code, err) == (1, "Error: no recorded change for CN101999999: it was never imported\n")


def test_audit_plain_list_and_csv(small_register: str, tmp_path: Path) -> None:
    plain = tmp_path / "mine.txt"
    plain.write_text("CN 101,000,001 B\nEP 1 000 002 B1\n\nCN101000099B\n", encoding="utf-8")
    code, out, _ = run(
        small_register, "audit", "--member", "lenovo", "--against", str(plain), "--format", "json"
    )
    assert code == 1
    doc = json.loads(out)
    assert [(f["patent"], f["finding"]) for f in doc["findings"]] == [
        ("CN101000099", "missing from the register")
    ]
    listed = tmp_path / "mine.csv"
    listed.write_text(
        "publication_number,standard,version,essentiality,grant_date\n"
        "CN101000001B,IGRS,1.0,Essential,2009-02-01\n"
        "CN101000001B,IGRS,1.1,,\n"
        "EP1000002B1,IGRS,1.0,not essential,2010-03-03\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        small_register, "audit", "--member", "lenovo", "--against", str(listed), "--format", "json"
    )
    assert code == 1
    assert [(f["patent"], f["finding"], f["details"]) for f in json.loads(out)["findings"]] == [
        (
            "EP1000002",
            "differs",
            "essentiality (IGRS 1.0): member says not_essential, register says essential",
        )
    ]
    agree = tmp_path / "agree.txt"
    agree.write_text("CN101000001B\nEP1000002B1\n", encoding="utf-8")
    code, out, _ = run(small_register, "audit", "--member", "lenovo", "--against", str(agree))
    assert (code, out) == (0, f"{agree} and the register agree on all 2 patents of lenovo\n")


def test_export_guards_formula_cells_and_import_reads_them_back(
    small_register: str, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "patents.csv",
        HEADER.rstrip("\n")
        + ",title\n"
        + "CN101000003B,tcl,=HYPERLINK(1),2007-03-01,,,pending,IGRS,1.0,media,declared,,@SUM(A1)\n",
    )
    assert run(small_register, "import", str(tmp_path / "patents.csv"))[0] == 0
    out_dir = tmp_path / "export"
    assert run(small_register, "export", "--register-only", str(out_dir))[0] == 0
    text = (out_dir / "patents.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text
    assert "'@SUM(A1)" in text
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    run(copy, "db", "upgrade")
    assert run(copy, "import", str(out_dir))[0] == 0
    assert (
        run(copy, "patents", "list", "--format", "json")[1]
        == run(small_register, "patents", "list", "--format", "json")[1]
    )
