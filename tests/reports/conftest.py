"""Report test fixtures: the hand-built contexts of every report, and the ``snapshot`` fixture.

Snapshots live in ``tests/__snapshots__/``; values that change from run to run (when and by
which version a report was generated, the drawing of charts) are masked before comparing.
Rewrite them on purpose with ``pytest tests/reports --snapshot-update`` (or with
``PATENTPOOL_UPDATE_SNAPSHOTS=1`` in the environment) and read the diff.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import report_data as data

from patentpool.reports.compare import CompareReport
from patentpool.reports.distribution import distribution_context
from patentpool.reports.invoice import PaymentTerms, invoice_context
from patentpool.reports.license import license_context
from patentpool.reports.member import member_context
from patentpool.reports.pool import pool_context

SNAPSHOTS = Path(__file__).resolve().parent.parent / "__snapshots__"
SCENARIO = Path(__file__).resolve().parents[2] / "samples" / "regimes" / "inline-demo.yaml"

_MASKS = (
    (re.compile(r"Generated [^\n]*? by patentpool [0-9][^\s]*?\.(?=\s)"),
     "Generated [when] by patentpool [version]."),
    (re.compile(r'<meta name="generator" content="patentpool [^"]*">'),
     '<meta name="generator" content="patentpool [version]">'),
    (re.compile(r"<svg\b.*?</svg>", re.DOTALL), "<svg>[chart]</svg>"),
)


def mask(text: str) -> str:
    """``text`` with the values that change from run to run replaced by placeholders."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _updating(config: pytest.Config) -> bool:
    flag = False
    try:
        flag = bool(config.getoption("--snapshot-update"))
    except ValueError:  # the option is registered only when this folder is collected first
        flag = False
    return flag or os.environ.get("PATENTPOOL_UPDATE_SNAPSHOTS", "").strip() not in ("", "0")


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``snapshot(name, text)``: ``text`` (masked) must equal ``tests/__snapshots__/name``."""
    updating = _updating(request.config)

    def check(name: str, text: str) -> None:
        path = SNAPSHOTS / name
        masked = mask(text)
        if updating:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(masked, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"no snapshot {path.name}: run pytest tests/reports --snapshot-update")
        expected = path.read_text(encoding="utf-8")
        if masked != expected:
            diff = "".join(
                list(
                    difflib.unified_diff(
                        expected.splitlines(keepends=True),
                        masked.splitlines(keepends=True),
                        f"{name} (snapshot)",
                        f"{name} (now)",
                    )
                )[:80]
            )
            pytest.fail(f"{name} differs from its snapshot (--snapshot-update rewrites it):\n"
                        f"{diff}")

    return check


def compare_report() -> CompareReport:
    import datetime as dt
    from fractions import Fraction

    from patentpool.core import regimes
    from patentpool.io.scenario import load_scenario
    from patentpool.reports.compare import compare_context

    loaded = load_scenario(SCENARIO, today=dt.date(2026, 3, 31))
    scenario = loaded.scenario(None)
    swept = regimes.sweep(scenario, "makers", [Fraction(n) for n in range(1, 7)])
    return compare_context(scenario, regimes.compare(scenario), ("makers", swept))


def build_contexts() -> dict[str, Any]:
    """One context of each report kind, from the hand-built data of ``report_data``."""
    q4, q1 = data.stored_runs()
    terms = PaymentTerms(data.D(2026, 4, 15), 30, "INV-2026Q1-007", "account 12-345",
                         data.ALLIANCE.name)
    return {
        "pool": pool_context(data.REGISTER, [data.PROGRAM, data.PROGRAM_2], data.AS_OF),
        "member": member_context(data.REGISTER, "acme", [q4, q1], data.PREVIOUS_REGISTER,
                                 data.AS_OF),
        "license": license_context(data.REGISTER, data.PROGRAM, data.LICENSEES[0],
                                   data.ALLIANCE, data.AS_OF),
        "distribution": distribution_context(q1, data.PROGRAM, data.REGISTER),
        "invoice": invoice_context(data.royalties().licensee("zeta"), data.PROGRAM,
                                   data.LICENSEES[0], data.Q1, terms),
        "compare": compare_report(),
        "account": account_report(),
    }


def account_report() -> Any:
    """Acme's account in demo-v1: an invoice, its credit note and replacement, a part payment
    and interest (the worked example of docs/royalties.md)."""
    from decimal import Decimal

    from patentpool.core.account import statement
    from patentpool.core.interest import parse_late_interest
    from patentpool.core.receivables import Invoice, Kind, Payment, receivables
    from patentpool.reports.account import account_context

    d, rate = data.D, parse_late_interest("12%")
    invoices = [
        Invoice("IGRS-2026-0001", "acme", d(2026, 3, 30), d(2026, 5, 14), Decimal("12000.00"),
                late_interest=rate),
        Invoice("IGRS-2026-0002", "acme", d(2026, 3, 31), d(2026, 3, 31), Decimal("12000.00"),
                Kind.CREDIT_NOTE, "IGRS-2026-0001"),
        Invoice("IGRS-2026-0003", "acme", d(2026, 3, 31), d(2026, 5, 15), Decimal("10000.00"),
                late_interest=rate),
    ]
    payments = [Payment("acme", d(2026, 6, 14), Decimal("4000.00"), "IGRS-2026-0003", "wire 1")]
    as_of = d(2026, 7, 14)
    found = statement("acme", invoices, payments, as_of, "USD")
    [row] = receivables(invoices, payments, as_of, "USD")
    return account_context("demo-v1", "Acme Devices Ltd.", str(rate), found, row)


@pytest.fixture(scope="session")
def contexts() -> dict[str, Any]:
    return build_contexts()
