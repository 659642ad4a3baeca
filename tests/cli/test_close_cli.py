"""`patentpool close`: refuses while reports are missing or not accepted, then prices,
invoices, makes the draft run, writes every invoice and member statement, and sums up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write

from patentpool.cli import cli

Q4 = ("--program", "demo-v1", "--period", "2025Q4")
Q1 = ("--program", "demo-v1", "--period", "2026Q1")
PAYMENTS = "licensee,period,amount,received\nacme,2025Q4,675.00,2026-01-20\n"


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pool(sqlite_url: str, tmp_path: Path) -> str:
    from register_files import write_register

    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    register = tmp_path / "register"
    register.mkdir()
    assert run(sqlite_url, "import", str(write_register(register)))[0] == 0
    code, _, err = run(sqlite_url, "import", str(folder))
    assert code == 0, err
    return sqlite_url


def test_close_refuses_reports_not_accepted(pool: str, tmp_path: Path) -> None:
    code, out, err = run(pool, "close", *Q4, "--out", str(tmp_path / "out"))
    assert (code, out) == (1, "")
    assert err == (
        "Error: close: reports of demo-v1 2025Q4 not accepted: acme, beta (accept them with "
        "`patentpool reports accept --program demo-v1 --period 2025Q4`)\n"
    )


def test_close_prices_invoices_runs_and_writes_once(pool: str, tmp_path: Path) -> None:
    assert run(pool, "reports", "accept", *Q4)[0] == 0
    out_dir = tmp_path / "out"
    args = ("close", *Q4, "--date", "2026-01-10", "--out", str(out_dir))
    code, out, err = run(pool, *args)
    assert code == 0, err
    assert out.splitlines() == [
        "demo-v1 2025Q4 closed: collected 675.00 USD, fee 67.50, distributable 607.50",
        "invoices issued: 2 (credit notes 0; 2 standing for the quarter)",
        "distribution run 1 (new, draft until `patentpool runs approve 1` and `runs publish 1`)",
        "missing reporters: none",
        f"wrote 8 file(s) into {out_dir}",
    ]
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "invoice-IGRS-2026-0001.html",
        "invoice-IGRS-2026-0001.pdf",
        "invoice-IGRS-2026-0002.html",
        "invoice-IGRS-2026-0002.pdf",
        "member-lenovo.html",
        "member-lenovo.pdf",
        "member-tcl.html",
        "member-tcl.pdf",
    ]
    assert "IGRS-2026-0001" in (out_dir / "invoice-IGRS-2026-0001.html").read_text()
    code, out, err = run(pool, *args)
    assert code == 0, err
    assert out.splitlines()[1:3] == [
        "invoices issued: 0 (credit notes 0; 2 standing for the quarter)",
        "distribution run 1 (reproduced, draft until `patentpool runs approve 1` and "
        "`runs publish 1`)",
    ]
    code, out, _ = run(pool, "invoices", "list", "--format", "csv")
    assert len(out.splitlines()) == 3  # the header and two invoices, not four


def test_close_names_the_missing_reporters(pool: str, tmp_path: Path) -> None:
    beta_q1 = "beta,2026Q1,DE,DE,phone,10,1000.00\n"
    assert run(pool, "import", str(write(tmp_path, "q1.csv", SALES_HEADER + beta_q1)))[0] == 0
    paid = "licensee,period,amount,received\nbeta,2026Q1,5.00,2026-04-20\n"
    assert run(pool, "import", str(write(tmp_path, "paid.csv", paid)))[0] == 0
    assert run(pool, "reports", "accept", *Q1)[0] == 0
    code, _, err = run(pool, "close", *Q1, "--out", str(tmp_path / "q1"))
    assert (code, err) == (
        1,
        "Error: close: 1 licensee(s) have not reported for demo-v1 2026Q1: acme (import their "
        "reports, or close with --allow-missing)\n",
    )
    code, out, err = run(pool, "close", *Q1, "--allow-missing", "--out", str(tmp_path / "q1"))
    assert code == 0, err
    assert "missing reporters: acme" in out.splitlines()
