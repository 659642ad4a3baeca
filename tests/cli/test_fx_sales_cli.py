"""Sales lines in other currencies through the CLI: the rate chosen at import, shown on the
royalty lines and the invoice, and the exact messages of a currency that cannot be converted."""

from __future__ import annotations

import csv
import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.clirun import run, run_ok

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
IGRS = SAMPLES / "igrs-v1"
CURRENCIES = SAMPLES / "igrs-v1-currencies"
RATES = IGRS / "rates" / "eurofxref-2026H1.csv"
HEADER = "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales,currency"


def ecb(currency: str) -> dict[str, Fraction]:
    """Units of ``currency`` per euro by day, read from the sample's ECB excerpt."""
    with RATES.open(newline="") as f:
        return {row["Date"]: Fraction(row[currency]) for row in csv.DictReader(f)}


def cents(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture
def both(sqlite_url: str) -> str:
    run_ok(sqlite_url, "import", IGRS)
    run_ok(sqlite_url, "import", CURRENCIES)
    return sqlite_url


def test_yuan_lines_are_priced_at_the_quarter_end_rate(both: str) -> None:
    rate = ecb("USD")["2026-03-31"] / ecb("CNY")["2026-03-31"]
    # phone, 0.5% of the unit price within [50, 200] USD; tv 0.50 USD a unit; no discount
    line5 = Fraction(60_000_000) * rate / 50_000  # 1,200 CNY a unit
    line6 = Fraction(4_000_000) * rate / 20_000  # 200 CNY a unit: under the floor
    expected = (
        min(max(line5, 50), 200) * 50_000 * Fraction(5, 1000)
        + min(max(line6, 50), 200) * 20_000 * Fraction(5, 1000)
        + Fraction(30_000, 2)
    )
    args = ("royalties", "--program", "igrs-v1", "--period", "2026Q1")
    document = json.loads(
        run_ok(both, *args, "--licensee", "example-yuan-display", "--format", "json")
    )
    (item,) = document["licensees"]
    assert item["due"] == cents(expected)
    fx = item["lines"][0]["fx"]
    assert item["lines"][0]["currency"] == "CNY"
    assert fx == {
        "rate": f"{Decimal(rate.numerator) / Decimal(rate.denominator):.6f}",
        "rate_exact": f"{rate.numerator}/{rate.denominator}",
        "to": "USD",
        "rule": "quarter_end",
        "date": "2026-03-31",
        "source": "rates/eurofxref-2026H1.csv",
    }
    text = run_ok(both, *args, "--licensee", "example-yuan-display", "--lines")
    assert text.splitlines()[-1] == (
        f"rate: 1 CNY = {fx['rate']} USD (quarter_end, 2026-03-31, rates/eurofxref-2026H1.csv)"
    )
    rows = list(csv.DictReader(run_ok(both, *args, "--format", "csv").splitlines()))
    euro = [r for r in rows if r["licensee"] == "example-euro-media"]
    assert {(r["currency"], r["fx_rule"], r["fx_date"]) for r in euro} == {
        ("EUR", "quarter_end", "2026-03-31")
    }
    assert {r["fx_rate"] for r in rows if r["licensee"] == "example-home"} == {""}


def test_the_invoice_names_the_rate_and_prints_net_sales_in_their_currency(both: str) -> None:
    out = run_ok(
        both, "report", "invoice", "--licensee", "example-euro-media", "--program", "igrs-v1",
        "--period", "2026Q1", "--format", "md",
    )  # fmt: skip
    assert "| phone | DE | CN | 12,000 | €1,440,000.00 |" in out
    assert (
        "Net sales in other currencies are converted at: 1 EUR = 1.149800 USD "
        "(quarter\\_end, 2026-03-31, rates/eurofxref-2026H1.csv)." in out
    )


def test_a_run_names_the_rates_in_its_inputs(both: str) -> None:
    run_ok(both, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    engine = create_engine(both)
    with engine.connect() as connection:
        (inputs,) = connection.execute(text("SELECT inputs FROM distribution_runs")).one()
    engine.dispose()
    reports = {(r["licensee"], r["period"]): r for r in json.loads(inputs)["sales_reports"]}
    assert reports[("example-euro-media", "2026Q1")]["fx"] == [
        "EUR/USD 5749/5000 quarter_end 2026-03-31 rates/eurofxref-2026H1.csv"
    ]
    assert "fx" not in reports[("example-home", "2026Q1")]


def test_a_currency_without_a_rate_for_the_quarter_is_refused_at_import(
    both: str, tmp_path: Path
) -> None:
    sales = tmp_path / "sales-2026Q3.csv"
    sales.write_text(
        f"{HEADER}\n"
        "example-yuan-display,2026Q3,CN,CN,phone,10,1000.00,CNY\n"
        "example-yuan-display,2026Q3,CN,CN,tv,10,1000.00,yen\n"
    )
    code, _, err = run(both, "import", sales)
    assert code == 1
    assert err.splitlines() == [
        f"{sales}:2: currency: no CNY rate for 2026Q3 (quarter_end: on or before 2026-09-30, "
        "within the quarter) in rates/eurofxref-2026H1.csv",
        f"{sales}:3: currency: unknown currency 'yen' (ISO 4217; known: AUD, BHD, BRL, CAD, "
        "CHF, CNY, EUR, GBP, HKD, INR, JPY, KRW, KWD, SEK, SGD, TWD, USD)",
        "Error: 2 problems in 1 file; nothing was imported",
    ]
    code, _, err = run(
        both, "royalties", "--program", "igrs-v1", "--period", "2026Q3",
        "--licensee", "example-yuan-display",
    )  # fmt: skip
    assert (code, err) == (
        1,
        "Error: example-yuan-display reported no sales for igrs-v1 in 2026Q3\n",
    )


def test_quarter_average_takes_the_mean_of_the_quarter(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "igrs"
    shutil.copytree(IGRS, folder)
    licensing = folder / "licensing.yaml"
    written = licensing.read_text()
    licensing.write_text(written.replace('late_interest: "12%"\n', 'late_interest: "12%"\n'
                                      "    fx_rule: quarter_average\n", 1))  # fmt: skip
    run_ok(sqlite_url, "import", folder)
    run_ok(sqlite_url, "import", CURRENCIES)
    usd, cny = ecb("USD"), ecb("CNY")
    days = sorted(d for d in usd if "2026-04-01" <= d <= "2026-06-30")
    mean = sum((usd[d] for d in days), Fraction(0)) / len(days)
    mean_cny = sum((cny[d] for d in days), Fraction(0)) / len(days)
    document = json.loads(run_ok(
        sqlite_url, "royalties", "--program", "igrs-v1", "--period", "2026Q2",
        "--licensee", "example-yuan-display", "--format", "json",
    ))  # fmt: skip
    fx = document["licensees"][0]["lines"][0]["fx"]
    rate = mean / mean_cny
    assert fx["rate_exact"] == f"{rate.numerator}/{rate.denominator}"
    assert (fx["rule"], fx["date"]) == ("quarter_average", f"{days[0]}..{days[-1]}")


def test_fx_rule_quarter_end_written_out_keeps_the_runs_inputs(
    sqlite_url: str, tmp_path: Path
) -> None:
    from tests.cli.test_events_regression import RUNS

    folder = tmp_path / "igrs"
    shutil.copytree(IGRS, folder)
    (folder / "events.csv").unlink()
    licensing = folder / "licensing.yaml"
    written = licensing.read_text()
    licensing.write_text(written.replace("    schedules:\n", "    fx_rule: quarter_end\n"
                                         "    schedules:\n", 1))  # fmt: skip
    run_ok(sqlite_url, "import", folder)
    out = run_ok(sqlite_url, "distribute", "--program", "igrs-v1", "--period", "2026Q1")
    assert out.splitlines()[-1].endswith(f"inputs sha256 {RUNS['2026Q1']}")


def test_a_workbook_sheet_carries_the_currency_column(both: str, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["example-yuan-display", "2026Q2", "CN", "CN", "phone", 100, 20000, "cny"])
    path = tmp_path / "sales-2026Q2-yuan.xlsx"
    book.save(path)
    run_ok(both, "import", path)
    document = json.loads(run_ok(
        both, "royalties", "--program", "igrs-v1", "--period", "2026Q2",
        "--licensee", "example-yuan-display", "--format", "json",
    ))  # fmt: skip
    (line,) = document["licensees"][0]["lines"]
    rate = ecb("USD")["2026-06-30"] / ecb("CNY")["2026-06-30"]
    assert (line["currency"], line["fx"]["rate_exact"]) == (
        "CNY",
        f"{rate.numerator}/{rate.denominator}",
    )
    # 200 CNY a unit is under the floor of 50 USD: 100 x 50 x 0.5%, no discount
    assert document["licensees"][0]["due"] == "25.00"
