"""The quarter's books on the command line: reports accepted, runs approved and published,
invoices issued once and corrected by credit notes, receivables with late interest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write

from patentpool.cli import cli

Q4 = ("--program", "demo-v1", "--period", "2025Q4")
TERMS = 'policy: proportional\n    payment_terms_days: 45\n    late_interest: "12%"'
CORRECTED = SALES.replace("acme,2025Q4,US,CN,tv,1000,", "acme,2025Q4,US,CN,tv,400,")


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


def ok(url: str, *args: str) -> list[str]:
    code, out, err = run(url, *args)
    assert code == 0, err
    return out.splitlines()


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING.replace("policy: proportional", TERMS))
    write(folder, "sales.csv", SALES_HEADER + SALES)
    ok(small_register, "import", str(folder))
    return small_register


def test_reports_are_accepted_and_a_correction_needs_a_reason(pool: str, tmp_path: Path) -> None:
    assert ok(pool, "reports", "accept", *Q4) == [
        "accepted acme 2025Q4 revision 1",
        "accepted beta 2025Q4 revision 1",
        "demo-v1 2025Q4: 2 report(s) accepted",
    ]
    assert ok(pool, "reports", "accept", *Q4) == [
        "demo-v1 2025Q4: nothing to accept (every report is accepted)"
    ]
    ok(pool, "import", str(write(tmp_path, "c.csv", SALES_HEADER + CORRECTED)))
    code, _, err = run(pool, "reports", "accept", *Q4)
    assert code == 1
    assert err == (
        "Error: --reason: acme (revision 2) of demo-v1 2025Q4 corrects an accepted report; "
        "say why with --reason\n"
    )
    assert ok(pool, "reports", "accept", *Q4, "--licensee", "acme", "--reason", "recounted") == [
        "accepted acme 2025Q4 revision 2 (correction: recounted)",
        "demo-v1 2025Q4: 1 report(s) accepted",
    ]
    code, _, err = run(pool, "reports", "accept", "--program", "demo-v1", "--period", "2026Q1")
    assert (code, err) == (
        1,
        "Error: unknown sales report 'demo-v1 2026Q1' (none was imported)\n",
    )


def test_a_run_is_approved_then_published_and_superseded_with_a_reason(pool: str) -> None:
    ok(pool, "distribute", *Q4, "--basis", "due")
    code, _, err = run(pool, "runs", "publish", "1")
    assert (code, err) == (
        1,
        "Error: run 1 is a draft: approve it first with `patentpool runs approve 1`\n",
    )
    assert ok(pool, "runs", "approve", "1") == ["run 1: approved"]
    assert run(pool, "runs", "approve", "1")[2] == "Error: run 1 is already approved\n"
    assert ok(pool, "runs", "publish", "1") == ["run 1: published"]
    assert run(pool, "runs", "publish", "1")[2] == "Error: run 1 is already published\n"
    ok(pool, "distribute", *Q4, "--basis", "due", "--policy", "per-family")
    ok(pool, "runs", "approve", "2")
    code, _, err = run(pool, "runs", "publish", "2")
    assert err == (
        "Error: --reason: run 1 is the published run of demo-v1 2025Q4; say why run 2 "
        "supersedes it with --reason\n"
    )
    assert ok(pool, "runs", "publish", "2", "--reason", "per family") == [
        "run 2: published, supersedes run 1: per family"
    ]
    listed = json.loads("\n".join(ok(pool, "runs", "list", "--format", "json")))
    assert [r["status"] for r in listed] == [
        "published, superseded by run 2: per family",
        "published, supersedes run 1: per family",
    ]
    assert run(pool, "runs", "approve", "9")[2] == "Error: unknown distribution run '9'\n"


def test_invoices_are_issued_once_and_a_correction_credits_and_reissues(
    pool: str, tmp_path: Path
) -> None:
    assert ok(pool, "invoices", "issue", *Q4, "--date", "2026-01-10") == [
        "IGRS-2026-0001 acme                             675.00 USD due 2026-02-24",
        "IGRS-2026-0002 beta                               5.00 USD due 2026-02-24",
        "demo-v1 2025Q4: 2 invoice(s) issued (680.00 USD), 0 credit note(s), 0 already invoiced",
    ]
    assert ok(pool, "invoices", "issue", *Q4, "--date", "2026-01-11") == [
        "demo-v1 2025Q4: 0 invoice(s) issued (0.00 USD), 0 credit note(s), 2 already invoiced"
    ]
    ok(pool, "import", str(write(tmp_path, "c.csv", SALES_HEADER + CORRECTED)))
    assert ok(pool, "invoices", "issue", *Q4, "--date", "2026-02-01") == [
        "IGRS-2026-0003 acme                             675.00 USD credit note for IGRS-2026-0001",
        "IGRS-2026-0004 acme                             405.00 USD due 2026-03-18",
        "demo-v1 2025Q4: 1 invoice(s) issued (405.00 USD), 1 credit note(s), 1 already invoiced",
    ]
    assert ok(pool, "invoices", "list", "--format", "csv") == [
        "number,kind,program,licensee,period,issued,due,amount,currency,credits,late_interest",
        "IGRS-2026-0001,invoice,demo-v1,acme,2025Q4,2026-01-10,2026-02-24,675.00,USD,,12% a year",
        "IGRS-2026-0002,invoice,demo-v1,beta,2025Q4,2026-01-10,2026-02-24,5.00,USD,,12% a year",
        "IGRS-2026-0003,credit note,demo-v1,acme,2025Q4,2026-02-01,2026-02-01,675.00,USD,"
        "IGRS-2026-0001,12% a year",
        "IGRS-2026-0004,invoice,demo-v1,acme,2025Q4,2026-02-01,2026-03-18,405.00,USD,,12% a year",
    ]


def test_receivables_age_open_invoices_and_charge_interest(pool: str, tmp_path: Path) -> None:
    ok(pool, "invoices", "issue", *Q4, "--date", "2026-01-10")
    payments = (
        "licensee,period,amount,received,invoice\nacme,2025Q4,300.00,2026-03-26,IGRS-2026-0001\n"
    )
    ok(pool, "import", str(write(tmp_path, "pay.csv", payments)))
    assert ok(pool, "receivables", "--as-of", "2026-05-31", "--format", "csv") == [
        "program,licensee,currency,not yet due,1-30,31-60,61-90,over 90,interest,on account,total",
        # acme: 675.00 due 2026-02-24 (96 days before), 300.00 paid 30 days late:
        # 675 x 12% x 30/365 + 375 x 12% x 66/365 = 6.6575... + 8.1369... = 14.79, rounded once
        "demo-v1,acme,USD,0.00,0.00,0.00,0.00,375.00,14.79,0.00,389.79",
        # beta: 5.00 x 12% x 96/365 = 0.1578... = 0.16
        "demo-v1,beta,USD,0.00,0.00,0.00,0.00,5.00,0.16,0.00,5.16",
    ]
    book_path = tmp_path / "receivables.xlsx"
    ok(pool, "receivables", "--as-of", "2026-05-31", "--format", "xlsx", "-o", str(book_path))
    import openpyxl

    sheet = openpyxl.load_workbook(book_path)["Receivables"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] in ("program", "demo-v1")]
    assert rows[0][:4] == ("program", "licensee", "currency", "not yet due")
    acme = rows[1]
    assert acme[:3] == ("demo-v1", "acme", "USD")
    assert [float(v) for v in acme[7:]] == [375.0, 14.79, 0.0, 389.79]  # numbers, not text


def test_report_account_in_every_text_format(pool: str, tmp_path: Path) -> None:
    ok(pool, "invoices", "issue", *Q4, "--date", "2026-01-10")
    payments = "licensee,period,amount,received\nacme,2025Q4,700.00,2026-02-20\n"
    ok(pool, "import", str(write(tmp_path, "pay.csv", payments)))
    args = ("report", "account", "--licensee", "acme", "--program", "demo-v1")
    doc = json.loads("\n".join(ok(pool, *args, "--as-of", "2026-06-30", "--format", "json")))
    assert [(e["kind"], e["reference"], e["balance"]) for e in doc["entries"]] == [
        ("invoice", "IGRS-2026-0001", "675.00"),
        ("payment", "pay.csv:2", "-25.00"),  # the file by its name, not its folder
    ]
    assert str(tmp_path) not in json.dumps(doc)
    assert (doc["balance"], doc["on_account"], doc["interest"]) == ("-25.00", "25.00", "0")
    md = "\n".join(ok(pool, *args, "--as-of", "2026-06-30", "--format", "md"))
    assert "| **Balance** | **-$25.00** |" in md
    code, _, err = run(pool, "report", "account", "--licensee", "nobody", "--program", "demo-v1")
    assert code == 1
    assert err.startswith("Error: unknown licensee 'nobody'")
