"""Patent life: the expiry rule table and "in force in country C on date D"."""

from __future__ import annotations

import datetime as dt

import pytest

from patentpool.core.model import Patent, Status
from patentpool.core.terms import add_years, expiry_of, in_force, territories

D = dt.date


def patent(**kw: object) -> Patent:
    base: dict[str, object] = {
        "jurisdiction": "CN",
        "number": "101234567",
        "owner": "lenovo",
        "filing_date": D(2006, 5, 10),
        "kind": "B",
        "grant_date": D(2009, 1, 7),
    }
    base.update(kw)
    return Patent(**base)  # type: ignore[arg-type]


def test_invention_patent_lasts_twenty_years_from_filing() -> None:
    assert expiry_of(patent()) == D(2026, 5, 10)


def test_cn_utility_model_lasts_ten_years() -> None:
    assert expiry_of(patent(kind="U", number="201234567")) == D(2016, 5, 10)


def test_given_expiry_date_wins_over_the_rule_table() -> None:
    assert expiry_of(patent(expiry_date=D(2020, 1, 1))) == D(2020, 1, 1)


def test_leap_day_filing_expires_on_28_february() -> None:
    assert add_years(D(2004, 2, 29), 20) == D(2024, 2, 29)
    assert add_years(D(2004, 2, 29), 21) == D(2025, 2, 28)


def test_in_force_until_the_day_before_expiry() -> None:
    p = patent()
    assert in_force(p, D(2026, 5, 9), "CN")
    assert not in_force(p, D(2026, 5, 10), "CN")


def test_not_in_force_before_grant_or_elsewhere() -> None:
    p = patent()
    assert not in_force(p, D(2008, 12, 31), "CN")
    assert not in_force(p, D(2010, 1, 1), "US")
    assert in_force(p, D(2010, 1, 1))


@pytest.mark.parametrize("status", [Status.PENDING, Status.LAPSED, Status.EXPIRED, Status.REVOKED])
def test_only_granted_patents_are_in_force(status: Status) -> None:
    assert not in_force(patent(status=status), D(2010, 1, 1), "CN")


def test_european_patent_is_in_force_only_where_validated() -> None:
    ep = patent(
        jurisdiction="EP", number="1234567", kind="B1", validated_states=frozenset({"DE", "FR"})
    )
    assert territories(ep) == {"DE", "FR"}
    assert in_force(ep, D(2010, 1, 1), "DE")
    assert not in_force(ep, D(2010, 1, 1), "GB")
    assert not in_force(ep, D(2010, 1, 1), "EP")


def test_pct_publication_is_in_force_nowhere() -> None:
    wo = patent(jurisdiction="WO", number="2010012345", kind="A1")
    assert territories(wo) == frozenset()
    assert not in_force(wo, D(2012, 1, 1))
