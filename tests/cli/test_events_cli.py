"""The events CSV at the command line: its problems, its warning, and dated answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from register_files import ALLIANCE, HEADER, ROWS, write

from patentpool.cli import cli

EVENTS_HEADER = (
    "publication_number,date,event,country,owner,standard,version,essentiality,evaluator,"
    "expiry,note\n"
)


def run(url: str, *args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *map(str, args)], terminal_width=200)
    return result.exit_code, result.stdout, result.stderr


def register(url: str, folder: Path, rows: str = ROWS) -> None:
    write(folder, "alliance.yaml", ALLIANCE)
    patents = write(folder, "patents.csv", HEADER + rows)
    code, _, err = run(url, "import", folder / "alliance.yaml", patents)
    assert code == 0, err


def test_every_problem_of_an_events_file_is_told_and_nothing_is_written(
    sqlite_url: str, tmp_path: Path
) -> None:
    register(sqlite_url, tmp_path)
    bad = write(
        tmp_path,
        "events.csv",
        EVENTS_HEADER
        + "EP9999999B1,2026-02-01,lapsed,DE,,,,,,,\n"
        + "EP1000002B1,2026-02-01,lapsed,PL,,,,,,,\n"
        + "EP1000002B1,2026-02-01,evaluated,,,IGRS,1.1,essential,,,\n"
        + "EP1000002B1,2001-02-01,lapsed,,,,,,,,\n"
        + "EP1000002B1,2026-03-31,assigned,,TCL,,,,,,\n"
        + "EP1000002B1,2026-03-31,assigned,,Lenovo,,,,,,\n"
        + "EP1000002B1,2026-03-31,assigned,,Nobody Ltd,,,,,,\n"
        + "CN101000001B,2026-02-01,lapsed,DE,,,,,,,\n"
        + "CN101000001B,2026-02-01,evaluated,,,IGRS,1.0,,,,\n"
        + "CN101000001B,2026-02-01,expiry_changed,,,,,,,,\n"
        + "CN101000001B,2026-02-01,sold,,,,,,,,\n",
    )
    code, out, err = run(sqlite_url, "import", bad)
    assert (code, out) == (1, "")
    assert err == (
        f"{bad}:2: publication_number: unknown patent EP9999999: it is not in the register\n"
        f"{bad}:3: country: EP1000002 is not validated in PL (validated: DE FR GB)\n"
        f"{bad}:4: version: EP1000002 is not declared against IGRS 1.1\n"
        f"{bad}:5: date: 2001-02-01 is before EP1000002's filing date 2006-06-01\n"
        f"{bad}:7: owner: EP1000002 has two assigned events on 2026-03-31 that disagree "
        f"(the other on {bad}:6)\n"
        f"{bad}:8: owner: unknown member 'Nobody Ltd' (not a member id, name or alias)\n"
        f"{bad}:9: country: CN101000001 is a CN patent: it is in force in no other country\n"
        f"{bad}:10: essentiality: an evaluated event is essential or not_essential\n"
        f"{bad}:11: expiry: an expiry_changed event gives the new expiry\n"
        f"{bad}:12: event: Input should be 'assigned', 'lapsed', 'revoked', 'restored', "
        "'evaluated' or 'expiry_changed'\n"
        "Error: 10 problems in 1 file; nothing was imported\n"
    )
    code, out, _ = run(sqlite_url, "history", "EP1000002B1")
    assert "lapsed" not in out


def test_a_lapsed_status_with_no_date_is_a_warning(sqlite_url: str, tmp_path: Path) -> None:
    rows = ROWS.replace("2009-02-01,,granted", "2009-02-01,,lapsed")
    write(tmp_path, "alliance.yaml", ALLIANCE)
    patents = write(tmp_path, "patents.csv", HEADER + rows)
    code, out, _ = run(sqlite_url, "import", tmp_path / "alliance.yaml", patents)
    assert code == 0
    assert out.splitlines()[-1] == (
        "1 patent lapsed with no date: they count as never in force; "
        "give the date in an events file"
    )
    events = write(
        tmp_path, "events.csv", EVENTS_HEADER + "CN101000001B,2025-07-01,lapsed,,,,,,,,\n"
    )
    code, out, _ = run(sqlite_url, "import", patents, events)
    assert code == 0
    assert "with no date" not in out
    code, out, _ = run(
        sqlite_url, "patents", "list", "--in-force-on", "2025-06-30", "--format", "csv"
    )
    assert "CN101000001B" in out
    code, out, _ = run(
        sqlite_url, "patents", "list", "--in-force-on", "2025-07-01", "--format", "csv"
    )
    assert "CN101000001B" not in out


def test_patents_list_and_counts_answer_as_the_register_stood(
    sqlite_url: str, tmp_path: Path
) -> None:
    register(sqlite_url, tmp_path)
    events = write(
        tmp_path,
        "events.csv",
        EVENTS_HEADER
        + "EP1000002B1,2026-02-01,lapsed,DE,,,,,,,annuity unpaid\n"
        + "EP1000002B1,2026-03-31,assigned,,TCL Corporation,,,,,,portfolio sale\n",
    )
    code, out, err = run(sqlite_url, "import", events)
    assert code == 0, err
    assert "  events          added          2" in out

    def listed(*args: str) -> list[str]:
        code, out, err = run(sqlite_url, "patents", "list", "--format", "csv", *args)
        assert code == 0, err
        return [",".join(line.split(",")[:2]) for line in out.splitlines()[1:]]

    assert listed("--member", "tcl", "--in-force-on", "2026-03-30") == []
    assert listed("--member", "tcl", "--in-force-on", "2026-03-31") == ["EP1000002B1,tcl"]
    assert listed("--member", "lenovo", "--in-force-on", "2026-03-30") == ["EP1000002B1,lenovo"]
    assert listed("--member", "lenovo", "--in-force-on", "2026-03-31") == []
    assert listed("--country", "DE", "--in-force-on", "2026-01-31") == ["EP1000002B1,lenovo"]
    assert listed("--country", "DE", "--in-force-on", "2026-02-01") == []

    def counted(day: str) -> list[str]:
        code, out, err = run(
            sqlite_url,
            "counts",
            "--standard",
            "IGRS",
            "--version",
            "1.0",
            "--as-of",
            day,
            "--format",
            "csv",
        )
        assert code == 0, err
        return out.splitlines()[1:3]

    assert [r.split(",")[:2] for r in counted("2026-03-30")] == [["lenovo", "2"], ["tcl", "1"]]
    assert [r.split(",")[:2] for r in counted("2026-03-31")] == [["lenovo", "1"], ["tcl", "2"]]


IGRS = Path(__file__).resolve().parents[2] / "samples" / "igrs-v1"


def test_runs_diff_names_a_late_event_and_both_its_days(sqlite_url: str, tmp_path: Path) -> None:
    for args in (
        ["import", IGRS],
        ["royalties", "--program", "igrs-v1", "--period", "2026Q1"],
        ["distribute", "--program", "igrs-v1", "--period", "2026Q1"],
    ):
        code, _, err = run(sqlite_url, *args)
        assert code == 0, err
    late = write(
        tmp_path,
        "late.csv",
        EVENTS_HEADER
        + "EP2086474B1,2026-02-01,lapsed,DE,,,,,,,annuity unpaid\n"
        + "CN101512946B,2026-03-31,assigned,,TCL,,,,,,portfolio sale\n"
        + "CN101264947B,2026-04-01,assigned,,TCL,,,,,,after the quarter\n",
    )
    code, _, err = run(sqlite_url, "import", late)
    assert code == 0, err
    code, _, err = run(sqlite_url, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    assert code == 0, err
    code, out, err = run(sqlite_url, "runs", "diff", "1", "2")
    assert code == 0, err
    today = dt.datetime.now(dt.UTC).date().isoformat()
    lines = out.splitlines()
    assert lines[:3] == [
        "run 1 (igrs-v1 2026Q1 rev 1) -> run 2 (igrs-v1 2026Q1 rev 2)",
        f"  CN101512946B assigned to tcl from 2026-03-31, recorded {today}: "
        "lenovo -1 patent, tcl +1 patent",
        f"  EP2086474B1 lapsed in DE from 2026-02-01, recorded {today}: lenovo -1 patent in DE",
    ]
    assert "-CN101512946 transferred to tcl" in out
    assert "CN101264947" not in out  # assigned after the quarter's last day


def test_history_lists_when_an_event_was_true_and_when_it_was_recorded(
    sqlite_url: str, tmp_path: Path
) -> None:
    register(sqlite_url, tmp_path)
    events = write(
        tmp_path, "events.csv", EVENTS_HEADER + "EP1000002B1,2026-02-01,lapsed,DE,,,,,,,\n"
    )
    code, _, err = run(sqlite_url, "import", events)
    assert code == 0, err
    code, out, err = run(sqlite_url, "history", "EP1000002B1", "--format", "csv")
    assert code == 0, err
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert [(r[2], r[3], r[4], r[5]) for r in rows][-1] == (
        "event",
        "added",
        "EP1000002 lapsed in DE from 2026-02-01",
        f"{events}:2",
    )
    assert rows[-1][0].startswith(dt.datetime.now(dt.UTC).date().isoformat())


def test_member_statements_list_transfers_and_late_events(sqlite_url: str, tmp_path: Path) -> None:
    import json

    from sqlalchemy import update

    from patentpool.storage.engine import session_for
    from patentpool.storage.models import PatentEventRow

    late = write(
        tmp_path, "late.csv", EVENTS_HEADER + "EP2086474B1,2026-02-01,lapsed,DE,,,,,,,unpaid\n"
    )
    for args in (
        ["import", IGRS],
        ["royalties", "--program", "igrs-v1", "--period", "2026Q1"],
        ["distribute", "--program", "igrs-v1", "--period", "2026Q1"],
        ["import", late],
        ["royalties", "--program", "igrs-v1", "--period", "2026Q2"],
        ["distribute", "--program", "igrs-v1", "--period", "2026Q2"],
        *(["runs", step, run_id] for run_id in ("1", "2") for step in ("approve", "publish")),
    ):  # members' statements show published runs
        code, _, err = run(sqlite_url, *args)
        assert code == 0, err
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    with session_for(sqlite_url) as session:  # the lapse was recorded after the 2026Q1 run
        session.execute(
            update(PatentEventRow).where(PatentEventRow.country == "DE").values(recorded=tomorrow)
        )

    def changes(member: str) -> list[tuple[str, str, str, str]]:
        code, out, err = run(
            sqlite_url,
            "report",
            "member",
            "--member",
            member,
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
        )
        assert code == 0, err
        return [
            (c["patent"], c["change"], c["detail"], c["on"]) for c in json.loads(out)["changes"]
        ]

    sold = ["CN101184758", "CN101200324", "CN101311723", "CN101758597", "CN101762433",
            "CN101829306"]  # fmt: skip
    assert changes("sample-netlab") == [(k, "lost", "to example-micro", "2026-06-30") for k in sold]
    gained = [c for c in changes("example-micro") if c[1] == "gained"]
    assert gained == [(k, "gained", "from sample-netlab", "2026-06-30") for k in sold]
    assert (
        "EP2086474",
        "recorded late",
        f"lapsed in DE from 2026-02-01, recorded {tomorrow.isoformat()}",
        "2026-02-01",
    ) in changes("lenovo")


def test_the_pool_report_and_its_timeline_read_the_register_as_it_stood(
    sqlite_url: str, tmp_path: Path
) -> None:
    import json

    code, _, err = run(sqlite_url, "import", IGRS)
    assert code == 0, err

    def timeline(day: str) -> dict[str, dict[str, int]]:
        code, out, err = run(sqlite_url, "report", "pool", "--as-of", day, "--format", "json")
        assert code == 0, err
        return {p["day"]: p["by_member"] for p in json.loads(out)["timeline"]}

    before, after = timeline("2026-06-29"), timeline("2026-06-30")
    # sample-netlab's portfolio is example-micro's from 2026-06-30, that day included
    assert before["2026-06-29"]["sample-netlab"] > 0
    assert after["2026-06-30"]["sample-netlab"] == 0
    assert after["2026-06-30"]["example-micro"] == (
        before["2026-06-29"]["example-micro"] + before["2026-06-29"]["sample-netlab"]
    )
    assert before["2027-01-01"] == after["2027-01-01"]  # a later day reads its own register
    assert before["2027-01-01"]["sample-netlab"] == 0
