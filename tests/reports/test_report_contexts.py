"""The context builders, with figures worked by hand from tests/reports/report_data.py.

On 2026-03-31: CN1000001 (acme) expired on 2026-03-01; US7000002 (evil) on 2025-02-01;
CN2000001 (evil, utility model, 10 years) is in force until 2028-04-01; WO and JP patents are
never in force (an application; pending). IGX 1.0 essential and in force: acme CN1000003 and
US7000001, boreal EP1000001 (validated DE, FR, GB): 3.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
import report_data as data

from patentpool.core.licensing import Counts
from patentpool.errors import InvalidInput, NotFound
from patentpool.reports.distribution import distribution_context
from patentpool.reports.invoice import PaymentTerms, invoice_context
from patentpool.reports.member import member_context
from patentpool.reports.pool import pool_context

D = dt.date


def test_pool_totals_and_version_counts(contexts: dict[str, Any]) -> None:
    pool = contexts["pool"]
    assert (pool.patents, pool.declarations, pool.in_force) == (9, 11, 5)
    # families: F1 (two patents), F3, and six patents in no family, each its own
    assert pool.families == 8
    v1 = next(v for v in pool.versions if v.version == "1.0")
    assert (v1.total.declared, v1.total.essential, v1.total.not_essential) == (7, 5, 1)
    assert (v1.total.awaiting, v1.total.essential_in_force) == (1, 3)
    acme = next(r for r in v1.by_member if r.group == "acme")
    assert (acme.declared, acme.essential, acme.essential_in_force) == (4, 3, 2)
    offices = {r.group: r.declared for r in v1.by_jurisdiction}
    assert offices == {"CN": 3, "EP": 1, "US": 2, "WO": 1}


def test_pool_awaiting_and_double_counting(contexts: dict[str, Any]) -> None:
    pool = contexts["pool"]
    assert [(a.patent, a.version) for a in pool.awaiting] == [
        ("WO2010000001", "1.0"),
        ("CN1000002", "2.0"),
        ("CN2000001", "2.0"),
        ("JP5000001", "2.0"),
    ]
    # igx-1 counts IGX 1.0 essential; igx-2 counts 1.0 and 2.0 declared (not rejected)
    twice = {d.patent: d.programs for d in pool.double_counted}
    assert twice == {
        "CN1000001": ("igx-1", "igx-2"),
        "CN1000003": ("igx-1", "igx-2"),
        "EP1000001": ("igx-1", "igx-2"),
        "US7000001": ("igx-1", "igx-2"),
        "US7000002": ("igx-1", "igx-2"),
    }
    assert [(p.id, p.counted, p.counted_in_force) for p in pool.programs] == [
        ("igx-1", 5, 3),
        ("igx-2", 9, 5),
    ]


def test_pool_without_programmes_flags_nothing() -> None:
    pool = pool_context(data.REGISTER, [], data.AS_OF)
    assert (pool.programs, pool.double_counted) == ((), ())


def test_pool_expiry_timeline_and_share_shift(contexts: dict[str, Any]) -> None:
    pool = contexts["pool"]
    first, *_ = pool.timeline
    # declared-basis: acme CN1000003 + US7000001; boreal EP1000001 + CN1000002; evil CN2000001
    assert first.day == data.AS_OF
    assert dict(first.by_member) == {"acme": 2, "boreal": 2, "evil": 1, "img": 0}
    assert first.shares["acme"] == Fraction(2, 5)
    on = {p.day: p.total for p in pool.timeline}
    assert on[D(2028, 1, 1)] == 4  # US7000001 expired 2027-05-10
    assert on[D(2029, 1, 1)] == 2  # EP1000001 (2028-01-15) and CN2000001 (2028-04-01) gone
    assert pool.timeline[-1].total == 0
    assert pool.timeline[-1].day == D(2033, 1, 1)  # CN1000003 expires 2032-08-20
    shift = {s.member: (s.now, s.later) for s in pool.share_shifts}
    # five points later: 1 January 2031: acme CN1000003, boreal CN1000002 (2030-06-01 gone)
    assert pool.share_shifts[0].later_day == D(2031, 1, 1)
    assert shift["acme"] == (Fraction(2, 5), Fraction(1))
    assert shift["evil"] == (Fraction(1, 5), Fraction(0))


def test_pool_timeline_on_the_essential_basis() -> None:
    pool = pool_context(data.REGISTER, [], data.AS_OF, timeline_basis=Counts.ESSENTIAL)
    assert dict(pool.timeline[0].by_member) == {"acme": 2, "boreal": 1, "evil": 0, "img": 0}


def test_member_statement(contexts: dict[str, Any]) -> None:
    member = contexts["member"]
    assert [p.patent.key for p in member.patents] == [
        "CN1000001", "CN1000003", "US7000001", "WO2010000001"
    ]
    v1 = next(c for c in member.counts if c.version == "1.0")
    assert (v1.member.essential_in_force, v1.total.essential_in_force) == (2, 3)
    assert v1.share == Fraction(2, 3)
    assert [(p.period.quarter, p.share, p.amount) for p in member.periods] == [
        (4, Fraction(1), Decimal("3420.00")),
        (1, Fraction(2, 3), Decimal("6374.25")),
    ]
    ytd = member.year_to_date[0]
    assert (ytd.year, ytd.amount, ytd.distributable) == (2026, Decimal("6374.25"),
                                                         Decimal("9561.37"))
    assert member.since == D(2025, 12, 31)
    assert [(c.patent, c.change) for c in member.changes] == [
        ("CN1000001", "expired"),
        ("US7000001", "re-evaluated"),
    ]
    shift = next(s for s in member.count_shifts if s.version == "1.0")
    assert (shift.then, shift.then_total, shift.now, shift.now_total) == (2, 2, 2, 3)
    change = member.share_changes[0]
    assert (change.before_share, change.after_share) == (Fraction(1), Fraction(2, 3))


def test_member_changes_from_dates_alone() -> None:
    q4, q1 = data.distributions()
    boreal = member_context(data.REGISTER, "boreal", [q4, q1], None, data.AS_OF)
    # CN1000002 declared on 2026-02-01, after the 2025Q4 run; nothing re-evaluated since
    assert [(c.patent, c.change, c.on) for c in boreal.changes] == [
        ("CN1000002", "added", D(2026, 2, 1))
    ]
    # boreal had no share in 2025Q4: a zero row, not a missing one
    assert [(p.share, p.amount) for p in boreal.periods] == [
        (Fraction(0), Decimal("0.00")),
        (Fraction(1, 3), Decimal("3187.12")),
    ]


def test_member_with_one_run_has_nothing_to_compare() -> None:
    _, q1 = data.distributions()
    acme = member_context(data.REGISTER, "acme", [q1], None, data.AS_OF)
    assert (acme.since, acme.changes, acme.share_changes) == (None, (), ())


def test_member_unknown() -> None:
    with pytest.raises(NotFound, match="unknown member 'nobody'"):
        member_context(data.REGISTER, "nobody", [], None, data.AS_OF)


def test_license_schedule_by_country(contexts: dict[str, Any]) -> None:
    lic = contexts["license"]
    countries = {c.country: [p.key for p in c.patents] for c in lic.countries}
    assert countries == {
        "CN": ["CN1000003"],
        "DE": ["EP1000001"],
        "FR": ["EP1000001"],
        "GB": ["EP1000001"],
        "US": ["US7000001"],
    }
    assert (lic.patents_in_force, lic.not_in_force) == (3, 2)
    assert lic.last_expiry == D(2032, 8, 20)
    (schedule,) = lic.schedules
    tiers = next(r for r in schedule.categories if r.kind == "tiers").tiers
    assert [(t.first, t.last, t.per_unit) for t in tiers] == [
        (1, 100_000, Decimal("0")),
        (100_001, 5_000_000, Decimal("0.20")),
        (5_000_001, None, Decimal("0.10")),
    ]
    assert [v.published for v in lic.versions] == [D(2005, 7, 1)]


def test_distribution_statement_can_be_redone(contexts: dict[str, Any]) -> None:
    dist = contexts["distribution"]
    # collected 10,623.75; fee 10% = 1,062.375 -> 1,062.38 (half up); distributable 9,561.37
    assert (dist.collected, dist.admin_fee, dist.distributable) == (
        Decimal("10623.75"), Decimal("1062.38"), Decimal("9561.37")
    )
    acme, boreal = dist.lines
    # 9,561.37 x 2/3 = 6,374.2466..; x 1/3 = 3,187.1233..; the cent left goes to acme
    assert (acme.floor, acme.amount) == (Decimal("6374.24"), Decimal("6374.25"))
    assert (boreal.floor, boreal.amount) == (Decimal("3187.12"), Decimal("3187.12"))
    assert dist.leftover_units == Decimal("0.01")
    assert acme.patents == ("CN1000003", "US7000001")
    assert dist.counted_in_force == 3
    assert dist.rule.startswith("Each member's counted patents in force")


def test_distribution_of_another_programme_is_refused() -> None:
    _, q1 = data.distributions()
    with pytest.raises(InvalidInput, match="the run is of 'igx-1', not of 'igx-2'"):
        distribution_context(q1, data.PROGRAM_2, data.REGISTER)


def test_invoice(contexts: dict[str, Any]) -> None:
    inv = contexts["invoice"]
    # tv CN 10,000 x 0.50 = 5,000; phone 2,000 x 0.5% x 150 = 1,500;
    # settop IN: 50,000 units above the free 100,000 x 0.20 = 10,000 x 0.5 (region R2) = 5,000
    assert (inv.gross, inv.cap_reduction, inv.discount, inv.due) == (
        Decimal("11500.00"), Decimal("0.00"), Decimal("1150.00"), Decimal("10350.00")
    )
    assert inv.discounts_applied == (("good standing", Decimal("0.1")),)
    assert inv.due_date == D(2026, 5, 15)
    settop = next(line for line in inv.lines if line.line.category == "settop")
    assert settop.rate is not None
    assert [(s.units, s.per_unit) for s in settop.rate.tiers] == [
        (100_000, Decimal("0")), (50_000, Decimal("0.20"))
    ]


def test_invoice_for_someone_else_is_refused() -> None:
    royalty = data.royalties().licensee("zeta")
    terms = PaymentTerms(D(2026, 4, 15))
    with pytest.raises(InvalidInput, match="licensee: these royalties are owed by 'zeta', not by 'imgco'"):
        invoice_context(royalty, data.PROGRAM, data.LICENSEES[1], data.Q1, terms)


def test_payment_terms_refuse_negative_days() -> None:
    with pytest.raises(InvalidInput, match="days"):
        PaymentTerms(D(2026, 4, 15), -1)


def test_compare(contexts: dict[str, Any]) -> None:
    cmp = contexts["compare"]
    by_name = {r.name: r for r in cmp.regimes}
    # open: pool price, competitive makers: stack (100 - 20) / 2 = 40, Q = 80 - 40 = 40
    assert (by_name["open (GSM-style)"].royalty_stack, by_name["open (GSM-style)"].quantity) == (
        Fraction(40), Fraction(40)
    )
    assert cmp.benchmark_quantity == 80
    assert cmp.lowest_stack == "published rate"
    assert cmp.highest_welfare == "FRAND cap"  # tied with the published rate; first listed
    assert [p.value for p in cmp.sweep] == [Fraction(n) for n in range(1, 7)]
