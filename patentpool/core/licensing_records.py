"""What the register holds of licensing, as plain records: payments, and the state an import
is checked against.

Storage reads them from the database, io's licensing checks read them; neither needs the
other's types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from patentpool.core.fx import Conversion, RateTable
from patentpool.core.licensing import Licensee, Program
from patentpool.core.periods import Period

#: A sales report: (programme, licensee, period).
ReportKey = tuple[str, str, Period]

#: A payment as the register tells one from another: (programme, licensee, period, amount,
#: received).
PaymentKey = tuple[str, str, Period, Decimal, dt.date]


@dataclass(frozen=True, slots=True)
class Payment:
    """A licensee's payment for a period of a programme, and the file line it came from."""

    program: str
    licensee: str
    period: Period
    amount: Decimal
    received: dt.date
    source: str
    invoice: str | None = None  # the invoice it pays, when the payments file names one
    #: when received in another currency: that currency, the amount received in it, and the
    #: day's rate that made ``amount`` ("1 CNY = 0.138... USD, ECB rate of 2026-05-05, ...")
    received_currency: str | None = None
    received_amount: Decimal | None = None
    fx: str | None = None


@dataclass(frozen=True, slots=True)
class LicensingState:
    """What the database already holds, for checking a batch against it."""

    licensees: Mapping[str, Licensee]
    programs: Mapping[str, tuple[Program, str]]  # (programme, the JSON of its definition)
    reports: Mapping[ReportKey, str]  # the current reports' checksums
    payments: frozenset[PaymentKey]
    rates: RateTable = field(default_factory=lambda: RateTable({}))  # reference rates held


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """A sales report's revision as it is recorded: where it came from, the checksum of its
    lines (which does not depend on their order), how many lines and units."""

    source: str
    checksum: str
    lines: int
    units: int
    fx: tuple[Conversion, ...] = ()  # the rates chosen for its lines' other currencies


@dataclass(frozen=True, slots=True)
class LicensingUpdate:
    """What an import changes of licensing: licensees and programmes added or changed, the
    new revisions of the reports that changed, the payments added. (The reports' lines are
    written from the files' blocks, apart.)"""

    licensees: tuple[Licensee, ...] = ()
    programs: tuple[tuple[Program, str], ...] = ()  # (programme, the JSON of its definition)
    reports: Mapping[ReportKey, ReportRecord] = field(default_factory=dict)
    payments: tuple[Payment, ...] = ()
