"""A small register, two programmes, licensees and sales, built by hand for the report tests.

Names are illustrative. Two names and a title carry markup, to prove reports show them as text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from patentpool.core.allocation import Distribution, distribute_royalties
from patentpool.core.licensing import (
    Counts,
    Discounts,
    Licensee,
    PercentRate,
    PerUnitRate,
    Program,
    Region,
    Schedule,
    Tier,
    TieredRate,
)
from patentpool.core.model import (
    Alliance,
    Declaration,
    Essentiality,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
    Status,
)
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult, SalesLine, compute_royalties
from patentpool.core.runs import RunStamp, StoredRun

D = dt.date
E = Essentiality
AS_OF = D(2026, 3, 31)
Q4 = Period(2025, 4)
Q1 = Period(2026, 1)
SCRIPT = "<script>alert('x')</script>"
IMG = '"><img src=x onerror=alert(1)>'

ALLIANCE = Alliance("iga", "Example Grouping Alliance")
MEMBERS = (
    Member("acme", "Acme Devices", joined=D(2004, 1, 1)),
    Member("boreal", "Boreal Electronics", joined=D(2004, 1, 1)),
    Member("evil", f"Evil {SCRIPT} Corp", joined=D(2006, 5, 1)),
    Member("img", f"Img {IMG} Ltd"),
)
STANDARD = Standard(
    "IGX",
    "Grouping Example",
    (StandardVersion("1.0", D(2005, 7, 1)), StandardVersion("2.0", D(2009, 1, 1), "1.0")),
)


def _patent(office: str, number: str, owner: str, filed: dt.date, **kw: object) -> Patent:
    return Patent(office, number, owner, filed, **kw)  # type: ignore[arg-type]


PATENTS = (
    _patent("CN", "1000001", "acme", D(2006, 3, 1), kind="B", family="F1",
            grant_date=D(2009, 6, 1), title="Device discovery method"),
    _patent("US", "7000001", "acme", D(2007, 5, 10), kind="B2", family="F1",
            grant_date=D(2010, 2, 2), title="Device discovery"),
    _patent("EP", "1000001", "boreal", D(2008, 1, 15), kind="B1", grant_date=D(2011, 3, 3),
            validated_states=frozenset({"DE", "FR", "GB"}), title=f"Resource sharing {SCRIPT}"),
    _patent("CN", "1000003", "acme", D(2012, 8, 20), kind="B", family="F3",
            grant_date=D(2015, 5, 5), title="Group membership protocol"),
    _patent("CN", "1000002", "boreal", D(2010, 6, 1), kind="B", grant_date=D(2013, 4, 4)),
    _patent("US", "7000002", "evil", D(2005, 2, 1), kind="B1", grant_date=D(2008, 1, 1),
            title=f"Pairing {IMG}"),
    _patent("CN", "2000001", "evil", D(2018, 4, 1), kind="U", grant_date=D(2019, 1, 1)),
    _patent("WO", "2010000001", "acme", D(2010, 1, 1), kind="A1", status=Status.PENDING),
    _patent("JP", "5000001", "img", D(2012, 9, 9), status=Status.PENDING),
)
DECLARATIONS = (
    Declaration("CN1000001", "IGX", "1.0", "5.1", E.ESSENTIAL, "Evaluator A", D(2020, 5, 1),
                D(2007, 1, 1)),
    Declaration("CN1000001", "IGX", "2.0", "5.1", E.ESSENTIAL, "Evaluator A", D(2020, 5, 1),
                D(2009, 2, 1)),
    Declaration("US7000001", "IGX", "1.0", "5.2", E.ESSENTIAL, "Evaluator B", D(2026, 2, 15),
                D(2008, 1, 1)),
    Declaration("EP1000001", "IGX", "1.0", "6.2", E.ESSENTIAL, "Evaluator A", D(2021, 1, 1),
                D(2009, 1, 1)),
    Declaration("CN1000003", "IGX", "1.0", "5.3", E.ESSENTIAL, "Evaluator A", D(2016, 1, 1),
                D(2013, 1, 1)),
    Declaration("CN1000002", "IGX", "2.0", "7", E.DECLARED, declared_on=D(2026, 2, 1)),
    Declaration("US7000002", "IGX", "1.0", "5.1", E.ESSENTIAL, "Evaluator B", D(2019, 1, 1),
                D(2006, 1, 1)),
    Declaration("CN2000001", "IGX", "1.0", None, E.NOT_ESSENTIAL, "Evaluator A",
                D(2022, 1, 1), D(2019, 2, 1)),
    Declaration("CN2000001", "IGX", "2.0", None, E.DECLARED, declared_on=D(2019, 2, 1)),
    Declaration("WO2010000001", "IGX", "1.0", None, E.DECLARED, declared_on=D(2011, 1, 1)),
    Declaration("JP5000001", "IGX", "2.0", "8", E.DECLARED, declared_on=D(2013, 1, 1)),
)
REGISTER = Register(ALLIANCE, MEMBERS, (STANDARD,), PATENTS, DECLARATIONS)
#: The register as it stood at the previous run: EP1000001 not yet declared, US7000001
#: still awaiting evaluation.
PREVIOUS_REGISTER = Register(
    ALLIANCE,
    MEMBERS,
    (STANDARD,),
    PATENTS,
    tuple(
        Declaration(d.patent, d.standard, d.version, d.section, E.DECLARED, None, None,
                    d.declared_on)
        if d.patent == "US7000001"
        else d
        for d in DECLARATIONS
        if d.patent != "EP1000001"
    ),
)

SCHEDULE = Schedule(
    D(2025, 1, 1),
    {
        "tv": PerUnitRate(Decimal("0.50")),
        "phone": PercentRate(Decimal("0.5"), Decimal("50"), Decimal("200")),
        "settop": TieredRate(
            (Tier(100_000, Decimal("0")), Tier(5_000_000, Decimal("0.20")),
             Tier(None, Decimal("0.10")))
        ),
    },
    annual_cap=Decimal("3500000"),
    regions=(Region("R2", frozenset({"IN", "BR"}), Decimal("0.5")),),
    discounts=Discounts(good_standing=Decimal("0.1"), member=Decimal("0.05")),
)
PROGRAM = Program("igx-1", "IGX", ("1.0",), "USD", (SCHEDULE,), admin_fee=Decimal("0.1"))
PROGRAM_2 = Program(
    "igx-2", "IGX", ("1.0", "2.0"), "EUR",
    (Schedule(D(2025, 1, 1), {"tv": PerUnitRate(Decimal("0.25"))}),),
    counts=Counts.DECLARED,
)
LICENSEES = (
    Licensee("zeta", "Zeta TV Co", country="CN", signed=D(2025, 1, 15), good_standing=True),
    Licensee("imgco", f"Imgco {IMG}", group="G1", country="DE", signed=D(2025, 6, 1)),
    Licensee("acme-lic", "Acme Devices (licensee)", country="CN", member=True),
)
SALES = (
    SalesLine("zeta", Q4, "CN", "CN", "tv", 8_000),
    SalesLine("imgco", Q4, "DE", "DE", "tv", 400),
    SalesLine("zeta", Q1, "CN", "CN", "tv", 10_000),
    SalesLine("zeta", Q1, "US", "CN", "phone", 2_000, Decimal("300000")),
    SalesLine("zeta", Q1, "IN", "CN", "settop", 150_000),
    SalesLine("imgco", Q1, "DE", "DE", "tv", 500),
    SalesLine("imgco", Q1, "JP", "JP", "tv", 40),
    SalesLine("acme-lic", Q1, "CN", "CN", "phone", 100, Decimal("4000")),
)


def royalties(period: Period = Q1) -> RoyaltyResult:
    return compute_royalties(PROGRAM, REGISTER, LICENSEES, SALES, period)


def distributions() -> tuple[Distribution, Distribution]:
    """The runs of 2025Q4 (on the previous register) and 2026Q1."""
    q4 = distribute_royalties(PROGRAM, PREVIOUS_REGISTER, royalties(Q4))
    q1 = distribute_royalties(PROGRAM, REGISTER, royalties(Q1))
    return q4, q1


def stored_runs() -> tuple[StoredRun, StoredRun]:
    """:func:`distributions` as stored runs: 2025Q4 is run 4 (its only revision), 2026Q1 run 7
    (revision 2 of 3: a later revision exists)."""
    q4, q1 = distributions()
    return (
        StoredRun(RunStamp(4, 1, 1, "2026-01-10T08:00:00+00:00", "a" * 64), q4),
        StoredRun(RunStamp(7, 2, 3, "2026-04-02T09:30:00+00:00", "0123456789abcdef" * 4), q1),
    )
