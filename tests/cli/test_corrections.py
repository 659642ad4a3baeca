"""A corrected sales report: every revision kept, what it changed said, and the runs and
invoices made from the figures before it marked until a new run is made."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

import pytest
from clirun import run
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write
from sqlalchemy import text

from patentpool.services.corrections import superseded_runs
from patentpool.storage.engine import make_engine, session_for
from patentpool.storage.migrate import upgrade

CORRECTED = SALES.replace("acme,2025Q4,US,CN,tv,1000,", "acme,2025Q4,US,CN,tv,400,")
TODAY = dt.datetime.now(dt.UTC).date().isoformat()
Q4 = ("--program", "demo-v1", "--period", "2025Q4")


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    code, _, err = run(small_register, "import", str(folder))
    assert code == 0, err
    return small_register


def correct(url: str, tmp_path: Path) -> tuple[Path, str]:
    corrected = write(tmp_path, "sales-corrected.csv", SALES_HEADER + CORRECTED)
    code, out, err = run(url, "import", str(corrected))
    assert code == 0, err
    return corrected, out


def test_a_correction_keeps_every_revision_and_says_what_changed(
    pool: str, tmp_path: Path
) -> None:
    corrected, out = correct(pool, tmp_path)
    said = (
        "correction of demo-v1 acme 2025Q4 (revision 1 -> 2): lines 2 -> 2, "
        "units 2,000 -> 1,400, royalty due 675.00 -> 405.00 USD"
    )
    assert out.splitlines() == ["1 file(s) imported:", "  sales reports   corrected       1", said]
    with make_engine(pool).connect() as conn:
        revisions = conn.execute(
            text(
                "SELECT r.revision, r.current, r.lines, r.units, r.source, r.imported_by, i.files, "
                "(SELECT count(*) FROM sales_lines l WHERE l.report_id = r.id) "
                "FROM sales_reports r JOIN imports i ON i.id = r.import_id "
                "WHERE r.licensee_id = 'acme' ORDER BY r.revision"
            )
        ).all()
        logged = conn.execute(
            text("SELECT action, detail FROM changes WHERE entity = 'sales report' ORDER BY id")
        ).all()
    first = str(tmp_path / "lic" / "sales.csv")
    # a report names its file as found in what was imported; the import keeps the paths
    assert [tuple(r[:5]) for r in revisions] == [
        (1, False, 2, 2000, "sales.csv"),
        (2, True, 2, 1400, corrected.name),
    ]
    assert [r[5] for r in revisions] == [getpass.getuser()] * 2
    assert first in revisions[0][6].splitlines()
    assert revisions[1][6] == str(corrected)
    assert [r[7] for r in revisions] == [2, 2]  # the lines of the revision before are kept
    assert logged[-1] == ("corrected", said)
    _, out, _ = run(pool, "royalties", *Q4, "--licensee", "acme", "--format", "json")
    assert json.loads(out)["licensees"][0]["due"] == "405.00"  # as the royalties say


def test_runs_made_before_a_correction_are_marked_until_a_new_run(
    pool: str, tmp_path: Path
) -> None:
    code, _, err = run(pool, "distribute", *Q4)
    assert code == 0, err
    _, out = correct(pool, tmp_path)
    assert out.splitlines()[-1] == (
        "distribution runs made from the figures before, now superseded by a correction until "
        "a new run of their period: 1 (demo-v1 2025Q4)"
    )
    why = f"superseded by a correction: acme 2025Q4 revision 2 of {TODAY} replaced revision 1"
    code, out, _ = run(pool, "runs", "list", "--format", "json")
    assert [r["superseded"] for r in json.loads(out)] == [why]
    code, out, _ = run(pool, "runs", "list")
    assert out.splitlines()[2].endswith(why)
    code, out, err = run(pool, "runs", "show", "1")
    assert json.loads(out)["run_id"] == 1  # the run's JSON as it was made
    assert err.splitlines()[0] == (
        f"run 1 (demo-v1 2025Q4) is {why}; make a new run with "
        "`patentpool distribute --program demo-v1 --period 2025Q4`"
    )
    code, out, err = run(pool, "report", "distribution", *Q4, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["superseded"] == why
    code, out, _ = run(pool, "report", "distribution", *Q4, "--format", "html")
    assert f"This run is {why}." in out
    code, out, err = run(pool, "report", "member", "--member", "lenovo", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["periods"] == []  # members see published runs only
    for step in ("approve", "publish"):
        assert run(pool, "runs", step, "1")[0] == 0
    code, out, err = run(pool, "report", "member", "--member", "lenovo", "--format", "json")
    assert code == 0, err
    assert [p["superseded"] for p in json.loads(out)["periods"]] == [why]

    code, _, err = run(pool, "distribute", *Q4)  # a new run of the period clears the mark
    assert code == 0, err
    code, out, _ = run(pool, "runs", "list", "--format", "json")
    assert [r["superseded"] for r in json.loads(out)] == ["", ""]
    code, out, err = run(pool, "runs", "show", "1")
    assert "superseded" not in err
    code, out, _ = run(pool, "report", "distribution", *Q4, "--format", "json")
    assert json.loads(out)["superseded"] is None


def test_an_invoice_names_the_correction_it_shows(pool: str, tmp_path: Path) -> None:
    invoice = ("report", "invoice", "--licensee", "acme", *Q4, "--issued", "2026-01-05")
    code, out, err = run(pool, *invoice, "--format", "json")
    assert code == 0, err
    assert (json.loads(out)["corrections"], json.loads(out)["due"]) == ([], "675.00")
    corrected, _ = correct(pool, tmp_path)
    code, out, _ = run(pool, *invoice, "--format", "json")
    said = (
        f"sales report of 2025Q4: revision 2 of {TODAY} ({corrected.name}) replaced revision 1 "
        f"of {TODAY}"
    )
    assert (json.loads(out)["corrections"], json.loads(out)["due"]) == ([said], "405.00")
    code, out, _ = run(pool, *invoice, "--format", "md")
    assert (
        "The figures below are those of the current revisions: sales report of 2025Q4: "
        f"revision 2 of {TODAY} ("
    ) in out  # the path as Markdown escapes it


def test_runs_stored_before_the_upgrade_know_their_reports(empty_db_url: str) -> None:
    """Migration 0006 reads the report revisions of the runs already stored from their
    inputs, so a correction made before the upgrade marks them too."""
    upgrade(empty_db_url, "0005")
    engine = make_engine(empty_db_url)
    with engine.begin() as conn:
        run_sql = conn.execute
        run_sql(text("INSERT INTO standards (id, name) VALUES ('S', 'A standard')"))
        run_sql(
            text(
                "INSERT INTO programs (id, standard_id, currency, spec) "
                "VALUES ('p', 'S', 'USD', '{}')"
            )
        )
        run_sql(
            text(
                "INSERT INTO licensees (id, name, member, good_standing) "
                "VALUES ('acme', 'Acme', false, false)"
            )
        )
        for rid, revision, current in ((1, 1, False), (2, 2, True)):
            run_sql(
                text(
                    "INSERT INTO sales_reports (id, program_id, licensee_id, period, revision, "
                    "current, source, imported_at, checksum) VALUES (:rid, 'p', 'acme', "
                    "'2026Q1', :rev, :cur, 'sales.csv', '2026-04-01 00:00:00+00:00', 'c')"
                ),
                {"rid": rid, "rev": revision, "cur": current},
            )
        inputs = json.dumps(
            {"sales_reports": [{"licensee": "acme", "period": "2026Q1", "revision": 1}]}
        )
        run_sql(
            text(
                "INSERT INTO distribution_runs (id, program_id, period, revision, policy, "
                "params, basis, inputs_sha256, created_at, result, inputs) VALUES (7, 'p', "
                "'2026Q1', 1, 'proportional', '{}', 'due', 'x', '2026-04-02 00:00:00+00:00', "
                "'{}', :inputs)"
            ),
            {"inputs": inputs},
        )
    engine.dispose()
    upgrade(empty_db_url)
    with session_for(empty_db_url) as session:
        assert superseded_runs(session) == {
            7: "superseded by a correction: acme 2026Q1 revision 2 of 2026-04-01 "
            "replaced revision 1"
        }


def test_sales_reports_lists_every_revision(pool: str, tmp_path: Path) -> None:
    corrected, _ = correct(pool, tmp_path)
    code, out, err = run(pool, "sales-reports", "--licensee", "acme", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert [
        (r["revision"], r["current"], r["lines"], r["units"], r["by"], r["source"])
        for r in found
    ] == [
        (1, "no", 2, 2000, getpass.getuser(), "sales.csv"),
        (2, "yes", 2, 1400, getpass.getuser(), corrected.name),
    ]
    assert [r["import"] for r in found] == [2, 3]  # the register came with import 1
    assert all(r["imported_at"].startswith(TODAY) for r in found)
    code, out, _ = run(pool, "sales-reports", "--period", "2026Q1")
    assert out.splitlines()[2:] == []  # the header alone
    code, _, err = run(pool, "sales-reports", "--period", "2026-Q1")
    assert code == 1
    assert err.startswith("Error: --period: '2026-Q1' is not a quarter")
