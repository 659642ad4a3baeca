"""Holders taken from the register: counted patents in force, and the projection over years."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

import pytest

from patentpool.core.holders import (
    Counting,
    HolderSource,
    holders_on,
    patent_counts,
    project,
    unknown_members,
)
from patentpool.core.model import (
    Declaration,
    Essentiality,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
    Status,
)
from patentpool.core.regimes import Holder, Market, Pricing, Regime
from patentpool.errors import NotFound

D = dt.date
E = Essentiality


def patent(number: str, owner: str, filed: dt.date, **kw: object) -> Patent:
    return Patent("CN", number, owner, filed, **kw)  # type: ignore[arg-type]


def declare(
    number: str, essentiality: Essentiality = E.DECLARED, version: str = "1.0"
) -> Declaration:
    return Declaration(f"CN{number}", "IGRS", version, essentiality=essentiality)


REGISTER = Register(
    members=(Member("lenovo", "Lenovo"), Member("tcl", "TCL"), Member("konka", "Konka")),
    standards=(Standard("IGRS", "IGRS", (StandardVersion("1.0"), StandardVersion("2.0"))),),
    patents=(
        patent("1", "lenovo", D(2005, 3, 1)),  # in force until 2025-03-01
        patent("2", "lenovo", D(2008, 6, 1)),  # until 2028-06-01
        patent("3", "lenovo", D(2010, 1, 1), status=Status.LAPSED),  # never counts
        patent("4", "tcl", D(2007, 1, 1)),  # until 2027-01-01
        patent("5", "tcl", D(2009, 1, 1)),  # evaluated not essential
        patent("6", "konka", D(2006, 1, 1), expiry_date=D(2026, 7, 1)),
        patent("7", "konka", D(2012, 1, 1)),  # declared to 2.0 only
        patent("8", "konka", D(2010, 1, 1), grant_date=D(2027, 5, 1)),  # granted late
    ),
    declarations=(
        declare("1", E.ESSENTIAL),
        declare("2"),
        declare("3", E.ESSENTIAL),
        declare("4", E.ESSENTIAL),
        declare("5", E.NOT_ESSENTIAL),
        declare("6"),
        declare("7", version="2.0"),
        declare("8"),
        Declaration("CN999", "IGRS", "1.0"),  # a patent the register does not hold: skipped
    ),
)
IGRS = HolderSource("IGRS", "1.0")


def test_counts_declared_patents_in_force_not_evaluated_not_essential() -> None:
    assert patent_counts(REGISTER, IGRS, D(2024, 1, 1)) == {"lenovo": 2, "tcl": 1, "konka": 1}
    assert patent_counts(REGISTER, IGRS, D(2026, 1, 1)) == {"lenovo": 1, "tcl": 1, "konka": 1}
    assert patent_counts(REGISTER, IGRS, D(2027, 6, 1)) == {"lenovo": 1, "konka": 1}
    assert patent_counts(REGISTER, IGRS, D(2029, 1, 1)) == {"konka": 1}
    assert patent_counts(REGISTER, IGRS, D(2031, 1, 1)) == {}


def test_counts_essential_only_when_asked() -> None:
    source = HolderSource("IGRS", "1.0", Counting.ESSENTIAL)
    assert patent_counts(REGISTER, source, D(2024, 1, 1)) == {"lenovo": 1, "tcl": 1}


def test_holders_are_members_most_patents_first() -> None:
    assert holders_on(REGISTER, IGRS, D(2024, 1, 1)) == (
        Holder("lenovo", 2, "lenovo"),
        Holder("konka", 1, "konka"),
        Holder("tcl", 1, "tcl"),
    )


def test_unknown_standard_or_version() -> None:
    with pytest.raises(NotFound, match=r"^unknown standard 'GSM'$"):
        patent_counts(REGISTER, HolderSource("GSM", "phase-2"), D(2024, 1, 1))
    with pytest.raises(NotFound, match=r"^unknown version 'IGRS 9\.9'$"):
        patent_counts(REGISTER, HolderSource("IGRS", "9.9"), D(2024, 1, 1))


def test_a_version_known_only_from_declarations_is_accepted() -> None:
    register = Register(patents=REGISTER.patents[:1], declarations=REGISTER.declarations[:1])
    assert patent_counts(register, IGRS, D(2024, 1, 1)) == {"lenovo": 1}


def test_unknown_members() -> None:
    holders = [Holder("a", 1, "lenovo"), Holder("b", 1, "nokia"), Holder("c", 1, "nokia")]
    assert unknown_members([*holders, Holder("x", 1, None)], REGISTER) == ["nokia"]


def test_projection_follows_expiry() -> None:
    market = Market(F(100), F(1), F(20))
    regimes = (Regime("open", Pricing.POOL), Regime("closed", Pricing.INDEPENDENT, makers=3))
    years = project(REGISTER, IGRS, market, regimes, range(2026, 2032))
    assert [y.on for y in years][:2] == [D(2026, 1, 1), D(2027, 1, 1)]
    # 2027: tcl's patent expired on 1 January and konka's late grant is not yet in force.
    assert [[h.id for h in y.holders] for y in years] == [
        ["konka", "lenovo", "tcl"],
        ["lenovo"],
        ["konka", "lenovo"],
        ["konka"],
        [],
        [],
    ]
    assert [y.patents for y in years] == [3, 1, 2, 1, 0, 0]
    closed = [y.outcomes[1].royalty_stack for y in years]
    assert closed == [60, 40, F(160, 3), 40, 0, 0]
    assert [y.outcomes[0].royalty_stack for y in years] == [40, 40, 40, 40, 0, 0]
    # 2028: lenovo and konka, one patent each, share the pool's 40 * 40 equally.
    assert years[2].outcomes[0].members == {"konka": 800, "lenovo": 800}
    assert years[-1].outcomes[0].quantity == 80  # royalty-free once everything has expired
