"""Royalties, statements, distributions and runs through the CLI, with hand-worked numbers.

The small register (tests/register_files.py) has, on 2025-12-31, two counted patents in force,
both Lenovo's: CN101000001 (in CN) and EP1000002 (validated in DE, FR, GB).
Hand-worked 2025Q4 royalties (tests/licensing_files.py):
  acme US/CN tv 1,000 x 0.50                  = 500.00 (made in CN, where a patent is in force)
  acme BR/CN tv 1,000 x 0.50 x 0.5 (region 2) = 250.00
  acme gross 750.00, good standing 10% off    = 75.00 discount -> due 675.00
  beta DE/DE phone 10 units, net 1,000.00: unit price 100 within [50, 200],
       0.5% x 100 = 0.50 per unit x 10         = 5.00 (not in good standing: no discount)
  beta VN/VN tv 500: no counted patent in VN  = 0.00, with the reason
  total due 680.00; collected (acme's payment) 675.00; fee 10% = 67.50; distributable 607.50.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import run
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write


@pytest.fixture
def pool(small_register: str, tmp_path: Path) -> str:
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    write(folder, "payments.csv", PAYMENTS)
    code, _out, err = run(small_register, "import", str(folder))
    assert code == 0, err
    return small_register


def test_royalties_json_hand_worked(pool: str) -> None:
    code, out, _ = run(
        pool, "royalties", "--program", "demo-v1", "--period", "2025Q4", "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert (doc["period"], doc["currency"], doc["total_due"]) == ("2025Q4", "USD", "680.00")
    acme, beta = doc["licensees"]
    assert {
        k: acme[k] for k in ("licensee", "units", "gross", "cap_reduction", "discount", "due")
    } == {
        "licensee": "acme",
        "units": 2000,
        "gross": "750.00",
        "cap_reduction": "0.00",
        "discount": "75.00",
        "due": "675.00",
    }
    by_country = {ln["country_of_sale"]: ln for ln in acme["lines"]}
    assert (by_country["US"]["due"], by_country["BR"]["due"]) == ("450.00", "225.00")
    assert (by_country["US"]["region"], by_country["BR"]["region"]) == (None, "region-2")
    assert (beta["gross"], beta["discount"], beta["due"]) == ("5.00", "0.00", "5.00")
    assert beta["lines"][0]["rate"] == {
        "kind": "percent",
        "percent": "0.5",
        "base": "100",
        "clamped": None,
    }
    vn = next(ln for ln in beta["lines"] if ln["country_of_sale"] == "VN")
    assert vn["due"] == "0.00"
    assert vn["reason"] == "no counted patent in force in VN (sale and manufacture) on 2025-12-31"


def test_royalties_unknown_licensee_and_bad_period(pool: str) -> None:
    assert run(
        pool, "royalties", "--program", "demo-v1", "--period", "2025Q4", "--licensee", "zeta"
    )[2] == ("Error: unknown licensee 'zeta' (not a licensee id or name; did you mean beta?)\n")
    assert run(pool, "royalties", "--program", "demo-v1", "--period", "2025-4") == (
        1,
        "",
        "Error: --period: '2025-4' is not a quarter written YYYYQn, such as 2026Q1\n",
    )
    assert (
        run(pool, "royalties", "--program", "nope", "--period", "2025Q4")[2]
        == "Error: unknown programme 'nope'\n"
    )


def test_statement(pool: str) -> None:
    code, out, _ = run(pool, "statement", "--licensee", "acme", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [
        "program,period,currency,due,paid,outstanding",
        "demo-v1,2025Q4,USD,675.00,675.00,0.00",
    ]
    assert run(pool, "statement", "--licensee", "beta", "--format", "csv")[1].splitlines()[1] == (
        "demo-v1,2025Q4,USD,5.00,0.00,5.00"
    )


def test_distribution_is_frozen_and_reproducible(pool: str) -> None:
    code, first, _ = run(
        pool, "distribute", "--program", "demo-v1", "--period", "2025Q4", "--format", "json"
    )
    assert code == 0
    doc = json.loads(first)
    assert (doc["collected"], doc["admin_fee"], doc["distributable"]) == (
        "675.00",
        "67.50",
        "607.50",
    )
    assert doc["members"] == [
        {
            "member": "lenovo",
            "basis": "2 patents",
            "share": "1.0000000000",
            "share_exact": "1/1",
            "amount": "607.50",
        }
    ]
    assert {"run_id", "inputs_sha256", "policy", "period", "currency"} <= set(doc)
    code, again, _ = run(
        pool, "distribute", "--program", "demo-v1", "--period", "2025Q4", "--format", "json"
    )
    assert again == first
    code, text, _ = run(pool, "distribute", "--program", "demo-v1", "--period", "2025Q4")
    assert "reproduced the stored run (inputs unchanged)" in text
    code, due, _ = run(
        pool,
        "distribute",
        "--program",
        "demo-v1",
        "--period",
        "2025Q4",
        "--basis",
        "due",
        "--format",
        "json",
    )
    due_doc = json.loads(due)
    assert (due_doc["revision"], due_doc["collected"], due_doc["admin_fee"]) == (
        2,
        "680.00",
        "68.00",
    )
    code, out, _ = run(
        pool, "runs", "diff", str(doc["run_id"]), str(due_doc["run_id"]), "--format", "json"
    )
    diff = json.loads(out)
    assert diff["inputs"] == ["basis: collected -> due", "collected: 675.00 -> 680.00"]
    assert diff["changes"] == [
        {"member": "lenovo", "before": "607.50", "after": "612.00", "change": "+4.50", "why": ""}
    ]


def test_distribution_refusals(pool: str) -> None:
    code, _, err = run(pool, "distribute", "--program", "demo-v1", "--period", "2026Q1")
    assert (code, err) == (1, "Error: no sales reported for demo-v1 in 2026Q1\n")
    code, _, err = run(
        pool, "distribute", "--program", "demo-v1", "--period", "2025Q4", "--policy", "lottery"
    )
    assert code == 1
    assert err.startswith("Error: unknown policy 'lottery'")


def test_topdown(pool: str) -> None:
    code, out, _ = run(
        pool,
        "topdown",
        "--program",
        "demo-v1",
        "--aggregate-rate",
        "5%",
        "--as-of",
        "2025-12-31",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["members"] == [
        {
            "member": "lenovo",
            "declared_in_force": 2,
            "essential_ratio": "1.0000",
            "share": "1.000000",
            "implied_rate": "5.0000%",
        }
    ]
    code, _, err = run(
        pool,
        "topdown",
        "--program",
        "demo-v1",
        "--aggregate-rate",
        "5%",
        "--as-of",
        "2025-12-31",
        "--essentiality-ratio",
        "tcl=0.5",
    )
    assert (code, err) == (
        1,
        "Error: --essentiality-ratio names tcl, who hold no counted patent in force on 2025-12-31\n",
    )


def test_lists(pool: str) -> None:
    _code, out, _ = run(pool, "licensees", "list", "--format", "csv")
    assert out.splitlines()[1] == "acme,Acme Devices Ltd.,acme,US,False,2026-01-15,True"
    _code, out, _ = run(pool, "programs", "list", "--format", "json")
    assert json.loads(out)[0]["schedules"][0]["categories"]["phone"]["base_cap"] == "200"


def test_topdown_reads_a_rate_as_a_percentage_or_a_fraction(pool: str) -> None:
    args = ["topdown", "--program", "demo-v1", "--as-of", "2025-12-31", "--format", "json"]
    for rate in ("5%", "0.05"):
        code, out, _ = run(pool, *args, "--aggregate-rate", rate)
        assert (code, json.loads(out)["members"][0]["implied_rate"]) == (0, "5.0000%")
    assert run(pool, *args, "--aggregate-rate", "5") == (
        1,
        "",
        "Error: --aggregate-rate: 5 without a % sign would be 500%; "
        "write 5% (or the fraction 0.05)\n",
    )
    assert run(pool, *args, "--aggregate-rate", "500%") == (
        1,
        "",
        "Error: --aggregate-rate: 500% is over 100%\n",
    )
    assert run(
        pool, *args, "--aggregate-rate", "5%", "--essentiality-ratio", "lenovo=60"
    ) == (
        1,
        "",
        "Error: --essentiality-ratio lenovo: 60 without a % sign would be 6000%; "
        "write 60% (or the fraction 0.6)\n",
    )
    code, out, _ = run(pool, *args, "--aggregate-rate", "5%", "--essentiality-ratio", "lenovo=60%")
    assert (code, json.loads(out)["members"][0]["essential_ratio"]) == (0, "0.6000")


def test_a_quarter_is_1_to_4(pool: str) -> None:
    for command in ("royalties", "distribute"):
        for period, quarter in (("2026Q5", 5), ("2026Q0", 0)):
            assert run(pool, command, "--program", "demo-v1", "--period", period) == (
                1,
                "",
                f"Error: --period: {period!r} has no quarter {quarter}: the quarter must be 1-4\n",
            )


def test_royalties_for_a_quarter_without_sales_say_so(pool: str) -> None:
    code, out, err = run(pool, "royalties", "--program", "demo-v1", "--period", "2027Q1")
    assert (code, err) == (0, "no sales reported for demo-v1 in 2027Q1\n")
    assert out.splitlines()[-1].split() == ["total", "0.00"]
    code, out, err = run(
        pool, "royalties", "--program", "demo-v1", "--period", "2027Q1", "--format", "json"
    )
    assert (code, err) == (0, "no sales reported for demo-v1 in 2027Q1\n")
    assert json.loads(out)["licensees"] == []
    code, _out, err = run(pool, "royalties", "--program", "demo-v1", "--period", "2025Q4")
    assert (code, err) == (0, "")


def test_statement_of_a_licensee_without_sales_says_so(pool: str, tmp_path: Path) -> None:
    write(tmp_path, "gamma.yaml", "licensees:\n  - {id: gamma, name: Gamma Ltd.}\n")
    assert run(pool, "import", str(tmp_path / "gamma.yaml"))[0] == 0
    code, out, err = run(pool, "statement", "--licensee", "gamma", "--format", "csv")
    assert (code, out, err) == (
        0,
        "program,period,currency,due,paid,outstanding\n",
        "no sales or payments recorded for gamma\n",
    )


def test_a_licensee_is_named_by_its_id_or_name(pool: str) -> None:
    args = ["royalties", "--program", "demo-v1", "--period", "2025Q4", "--format", "json"]
    by_id = run(pool, *args, "--licensee", "acme")
    assert by_id[0] == 0
    assert by_id[2] == ""
    assert run(pool, *args, "--licensee", "ACME DEVICES LIMITED") == (
        0,
        by_id[1],
        "'ACME DEVICES LIMITED' is licensee acme\n",
    )
    code, out, err = run(pool, "statement", "--licensee", "Beta Electronics", "--format", "csv")
    assert (code, err) == (0, "'Beta Electronics' is licensee beta\n")
    assert out.splitlines()[1] == "demo-v1,2025Q4,USD,5.00,0.00,5.00"
    assert run(pool, "statement", "--licensee", "Gamma") == (
        1,
        "",
        "Error: unknown licensee 'Gamma' (not a licensee id or name)\n",
    )


def test_topdown_names_members_by_alias_too(pool: str) -> None:
    code, out, err = run(
        pool,
        "topdown",
        "--program",
        "demo-v1",
        "--aggregate-rate",
        "5%",
        "--as-of",
        "2025-12-31",
        "--essentiality-ratio",
        "Lenovo=0.5",
        "--format",
        "json",
    )
    assert (code, err) == (0, "'Lenovo' is member lenovo\n")
    assert json.loads(out)["members"][0]["essential_ratio"] == "0.5000"
