"""Reference rates imported as the ECB publishes them, and payments received in another
currency converted at the day's rate through the euro."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from licensing_files import LICENSING, SALES, SALES_HEADER
from register_files import write, write_register

from patentpool.cli import cli
from patentpool.storage.engine import session_for
from patentpool.storage.fx_repo import load_rates
from patentpool.storage.licensing_repo import load_payments

# the ECB's form: units per euro, N/A for no quote, a trailing empty column
ECB = "Date,USD,JPY,CNY,\n2026-01-09,1.1641,183.72,8.1406,\n2026-01-08,1.1658,183.29,N/A,\n"


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pool(sqlite_url: str, tmp_path: Path) -> str:
    (tmp_path / "register").mkdir()
    assert run(sqlite_url, "import", str(write_register(tmp_path / "register")))[0] == 0
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    assert run(sqlite_url, "import", str(folder))[0] == 0
    return sqlite_url


def test_the_ecb_table_is_read_as_published(pool: str, tmp_path: Path) -> None:
    code, out, err = run(pool, "import", str(write(tmp_path, "eurofxref.csv", ECB)))
    assert code == 0, err
    assert out.splitlines() == ["1 file(s) imported:", "  fx rates        added          5"]
    with session_for(pool) as session:
        table = load_rates(session)
    shown = {d.isoformat(): {c: str(r) for c, r in q.items()} for d, q in table.rates.items()}
    assert shown == {
        "2026-01-08": {"USD": "1.1658", "JPY": "183.29"},  # N/A is no quote
        "2026-01-09": {"USD": "1.1641", "JPY": "183.72", "CNY": "8.1406"},
    }
    assert run(pool, "import", str(tmp_path / "eurofxref.csv"))[1] == (
        "1 file(s) read; the register already held all of it: nothing changed\n"
    )


def test_a_bad_rate_is_named_with_its_line(pool: str, tmp_path: Path) -> None:
    bad = write(tmp_path, "rates.csv", "Date,USD,\n2026-01-09,1,1641,\n2026-01-32,1.1,\n")
    code, _, err = run(pool, "import", str(bad))
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{bad}:3: Date: not a date (YYYY-MM-DD): '2026-01-32'",
        "Error: 1 problem in 1 file; nothing was imported",
    ]


def test_a_payment_in_another_currency_converts_at_the_days_rate(pool: str, tmp_path: Path) -> None:
    paid = "licensee,period,amount,received,currency\nacme,2025Q4,8140.60,2026-01-10,CNY\n"
    files = [write(tmp_path, "eurofxref.csv", ECB), write(tmp_path, "paid.csv", paid)]
    code, _, err = run(pool, "import", *map(str, files))
    assert code == 0, err
    with session_for(pool) as session:
        [payment] = load_payments(session)
    # 8,140.60 CNY is 1,000 EUR (8.1406 per euro on 2026-01-09, the last day before the
    # Saturday it was received), 1,164.10 USD at 1.1641
    assert str(payment.amount) == "1164.10"
    assert (payment.received_currency, str(payment.received_amount)) == ("CNY", "8140.60")
    assert payment.fx == "1 CNY = 0.142999 USD, rate of 2026-01-09 (eurofxref.csv)"


def test_no_rate_names_the_currency_and_the_day(pool: str, tmp_path: Path) -> None:
    paid = write(
        tmp_path,
        "paid.csv",
        "licensee,period,amount,received,currency\nacme,2025Q4,100.00,2026-01-10,BRL\n",
    )
    code, _, err = run(pool, "import", str(paid))
    assert code == 1
    assert err.splitlines()[0] == (
        f"{paid}:2: currency: no BRL rate on 2026-01-10 (nor in the week before)"
    )
