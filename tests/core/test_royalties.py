"""What licensees owe: every rate feature with numbers worked by hand (see docs/royalties.md)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from patentpool.core.licensing import (
    Counts,
    Discounts,
    Licensee,
    NoSchedule,
    PercentRate,
    PerUnitRate,
    Program,
    Region,
    Schedule,
    Tier,
    TieredRate,
    UnknownCategory,
    counted_patents,
)
from patentpool.core.line_blocks import LineBlock, NumberedSources
from patentpool.core.model import Declaration, Essentiality, Patent, Register, Status
from patentpool.core.periods import Period
from patentpool.core.royalties import (
    RoyaltyResult,
    SalesLine,
    compute_royalties,
    summarize_groups,
)
from patentpool.errors import InvalidInput, NotFound

D = dt.date
Q1, Q2, Q3 = Period(2026, 1), Period(2026, 2), Period(2026, 3)


def patent(jurisdiction: str, number: str, owner: str, **kw: object) -> Patent:
    base: dict[str, object] = {"filing_date": D(2015, 1, 1), "grant_date": D(2018, 1, 1)}
    base.update(kw)
    return Patent(jurisdiction, number, owner, **base)  # type: ignore[arg-type]


def declared(p: Patent, essentiality: Essentiality = Essentiality.ESSENTIAL) -> Declaration:
    return Declaration(p.key, "IGRS", "1.0", essentiality=essentiality)


PATENTS = (
    patent("US", "7000001", "lenovo"),
    patent("CN", "100000001", "tcl"),
    patent("EP", "1000001", "hisense", validated_states=frozenset({"DE", "FR"})),
    patent("JP", "5000001", "konka", expiry_date=D(2026, 2, 1)),  # expired before 2026-03-31
    patent("KR", "1000001", "konka"),  # declared only, never evaluated
)
REGISTER = Register(
    patents=PATENTS,
    declarations=(*(declared(p) for p in PATENTS[:4]), declared(PATENTS[4], Essentiality.DECLARED)),
)

CODEC = TieredRate(
    (
        Tier(100000, Decimal("0")),
        Tier(5000000, Decimal("0.20")),
        Tier(None, Decimal("0.10")),
    )
)


def schedule(**kw: object) -> Schedule:
    base: dict[str, object] = {
        "effective_from": D(2026, 1, 1),
        "categories": {
            "tv": PerUnitRate(Decimal("0.50")),
            "phone": PercentRate(Decimal("0.5"), Decimal("50"), Decimal("200")),
            "codec": CODEC,
            "chip": PerUnitRate(Decimal("0.005")),
            "module": PercentRate(Decimal("1")),
        },
        "annual_cap": Decimal("3500000"),
        "regions": (Region("region-2", frozenset({"IN", "BR", "ID"}), Decimal("0.5")),),
        "discounts": Discounts(good_standing=Decimal("0.10"), member=Decimal("1")),
    }
    base.update(kw)
    return Schedule(**base)  # type: ignore[arg-type]


def program(*schedules: Schedule, counts: Counts = Counts.ESSENTIAL) -> Program:
    return Program(
        id="igrs-v1",
        standard="IGRS",
        versions=("1.0",),
        currency="USD",
        schedules=schedules or (schedule(),),
        admin_fee=Decimal("0.10"),
        counts=counts,
    )


ACME = Licensee("acme", "Acme Devices Ltd.", group="acme", country="US")
ACME_ASIA = Licensee("acme-asia", "Acme Asia Pte.", group="acme", country="SG")
GOOD = Licensee("good", "Good Standing Inc.", good_standing=True)
MEMBER = Licensee("tcl-devices", "TCL Devices", member=True)
LICENSEES = (ACME, ACME_ASIA, GOOD, MEMBER)


def line(
    licensee: str = "acme",
    period: Period = Q1,
    sale: str = "US",
    made: str = "CN",
    category: str = "tv",
    units: int = 1000,
    net_sales: str | None = None,
) -> SalesLine:
    return SalesLine(
        licensee,
        period,
        sale,
        made,
        category,
        units,
        Decimal(net_sales) if net_sales is not None else None,
    )


def run(*lines: SalesLine, period: Period = Q1, prog: Program | None = None) -> RoyaltyResult:
    return compute_royalties(prog or program(), REGISTER, LICENSEES, lines, period)


# ------------------------------------------------------------------ counted patents


def test_counted_patents_follow_counts() -> None:
    essential = [p.key for p in counted_patents(REGISTER, program())]
    assert essential == ["CN100000001", "EP1000001", "JP5000001", "US7000001"]
    declared_too = [p.key for p in counted_patents(REGISTER, program(counts=Counts.DECLARED))]
    assert "KR1000001" in declared_too


# ------------------------------------------------------------------ per unit


def test_per_unit_rate() -> None:
    result = run(line(units=1000))
    acme = result.licensee("acme")
    assert (acme.units, acme.gross, acme.cap_reduction, acme.discount, acme.due) == (
        1000,
        Decimal("500.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("500.00"),
    )
    assert acme.lines[0].rate is not None
    assert acme.lines[0].rate.per_unit == Decimal("0.50")
    assert result.total_due == Decimal("500.00")


# ------------------------------------------------------------------ percent with a clamped base


def test_percent_of_the_unit_price_clamped_at_the_floor() -> None:
    # 100 units for 3000: 30 each, below the floor of 50: 100 x 50 x 0.5% = 25.00
    acme = run(line(category="phone", units=100, net_sales="3000")).licensee("acme")
    assert acme.due == Decimal("25.00")
    rate = acme.lines[0].rate
    assert rate is not None
    assert (rate.unit_price, rate.base, rate.clamped) == (Fraction(30), Fraction(50), "floor")


def test_percent_of_the_unit_price_clamped_at_the_cap() -> None:
    # 10 units for 3000: 300 each, above the cap of 200: 10 x 200 x 0.5% = 10.00
    acme = run(line(category="phone", units=10, net_sales="3000")).licensee("acme")
    assert acme.due == Decimal("10.00")
    assert acme.lines[0].rate is not None
    assert acme.lines[0].rate.clamped == "cap"


def test_percent_of_an_unclamped_price() -> None:
    # 20 units for 2000: 100 each, inside [50, 200]: 2000 x 0.5% = 10.00
    acme = run(line(category="phone", units=20, net_sales="2000")).licensee("acme")
    assert acme.due == Decimal("10.00")
    assert acme.lines[0].rate is not None
    assert acme.lines[0].rate.clamped is None


def test_percent_rate_without_net_sales_is_refused() -> None:
    with pytest.raises(InvalidInput, match="net_sales: category 'phone' is charged a percent"):
        run(line(category="phone", units=20))


# ------------------------------------------------------------------ tiers over the year


def test_tiers_cross_a_quarter_boundary() -> None:
    q1 = line(category="codec", units=80000)
    q2 = line(category="codec", units=50000, period=Q2)
    first = run(q1).licensee("acme")
    assert first.due == Decimal("0.00")
    assert first.lines[0].reason == "all units fall in tiers priced at 0"
    # before 80,000, after 130,000: 20,000 free + 30,000 x 0.20 = 6,000.00
    second = run(q1, q2, period=Q2).licensee("acme")
    assert second.gross == Decimal("6000.00")
    rate = second.lines[0].rate
    assert rate is not None
    assert [(s.above, s.units, s.per_unit) for s in rate.tiers] == [
        (80000, 20000, Decimal("0")),
        (100000, 30000, Decimal("0.20")),
    ]


def test_tiers_cross_the_last_bound() -> None:
    q1 = line(category="codec", units=4900000)
    q2 = line(category="codec", units=200000, period=Q2)
    # Q1: 100,000 free + 4,800,000 x 0.20 = 960,000.00
    assert run(q1).licensee("acme").due == Decimal("960000.00")
    # Q2: 100,000 x 0.20 (up to 5,000,000) + 100,000 x 0.10 = 30,000.00
    assert run(q1, q2, period=Q2).licensee("acme").due == Decimal("30000.00")


def test_tiers_count_the_whole_group_and_split_by_units() -> None:
    lines = (
        line("acme", category="codec", units=80000),
        line("acme", period=Q2, category="codec", units=30000),
        line("acme-asia", period=Q2, category="codec", units=20000),
    )
    result = run(*lines, period=Q2)
    # the group's quarter royalty 6,000.00 split 30,000 : 20,000
    assert result.licensee("acme").due == Decimal("3600.00")
    assert result.licensee("acme-asia").due == Decimal("2400.00")
    assert result.licensee("acme").lines[0].rate.tier_share == Fraction(3, 5)  # type: ignore[union-attr]


def test_units_owing_nothing_do_not_climb_the_tiers() -> None:
    lines = (
        line(category="codec", units=150000, sale="BR", made="VN"),  # no patent there
        line(category="codec", units=150000),
    )
    # only the second line's units count: 100,000 free + 50,000 x 0.20 = 10,000.00
    assert run(*lines).licensee("acme").due == Decimal("10000.00")


# ------------------------------------------------------------------ annual cap


def capped(cap: str) -> Program:
    return program(schedule(annual_cap=Decimal(cap)))


def test_annual_cap_crossed_mid_year() -> None:
    prog = capped("1000")
    q1 = line(units=1500)  # 750.00
    q2 = line(units=1000, period=Q2)  # 500.00 gross, 250.00 of room left
    q3 = line(units=100, period=Q3)  # 50.00 gross, no room left
    assert run(q1, prog=prog).licensee("acme").due == Decimal("750.00")
    second = run(q1, q2, period=Q2, prog=prog).licensee("acme")
    assert (second.gross, second.cap_reduction, second.due) == (
        Decimal("500.00"),
        Decimal("250.00"),
        Decimal("250.00"),
    )
    third = run(q1, q2, q3, period=Q3, prog=prog).licensee("acme")
    assert (third.gross, third.cap_reduction, third.due) == (
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    )


def test_cap_reduction_is_shared_in_a_group_by_gross() -> None:
    prog = capped("1000")
    lines = (
        line("acme", units=1500),  # 750.00 in Q1
        line("acme", units=600, period=Q2),  # 300.00
        line("acme-asia", units=400, period=Q2),  # 200.00
    )
    result = run(*lines, period=Q2, prog=prog)
    # the group's 500.00 meets 250.00 of room: 250.00 cut, 3 : 2
    assert result.licensee("acme").cap_reduction == Decimal("150.00")
    assert result.licensee("acme").due == Decimal("150.00")
    assert result.licensee("acme-asia").cap_reduction == Decimal("100.00")
    assert result.licensee("acme-asia").due == Decimal("100.00")


def test_cap_applies_before_discounts() -> None:
    prog = capped("100")
    result = run(line("good", units=300), prog=prog)  # 150.00 gross, capped at 100.00
    good = result.licensee("good")
    # 100.00 left after the cap, less 10% for good standing
    assert (good.gross, good.cap_reduction, good.discount, good.due) == (
        Decimal("150.00"),
        Decimal("50.00"),
        Decimal("10.00"),
        Decimal("90.00"),
    )


# ------------------------------------------------------------------ regions and discounts


def test_region_multiplies_the_lines_sold_there() -> None:
    # sold in BR (region-2, x 0.5), made in CN where a patent is in force: 1000 x 0.50 x 0.5
    acme = run(line(sale="BR", made="CN", units=1000)).licensee("acme")
    assert acme.due == Decimal("250.00")
    assert (acme.lines[0].region, acme.lines[0].multiplier) == ("region-2", Decimal("0.5"))
    assert acme.lines[0].royalty_country == "CN"


def test_good_standing_discount() -> None:
    good = run(line("good", units=1000)).licensee("good")
    assert (good.gross, good.discount, good.due) == (
        Decimal("500.00"),
        Decimal("50.00"),
        Decimal("450.00"),
    )


def test_member_discount_of_100_percent() -> None:
    member = run(line("tcl-devices", units=1000)).licensee("tcl-devices")
    assert (member.gross, member.discount, member.due) == (
        Decimal("500.00"),
        Decimal("500.00"),
        Decimal("0.00"),
    )


def test_discount_over_100_percent_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"discounts.member: 150.*% is over 100%"):
        Discounts(member=Decimal("1.5"))


# ------------------------------------------------------------------ where a patent is in force


def test_no_patent_in_force_in_either_country() -> None:
    acme = run(line(sale="BR", made="VN")).licensee("acme")
    assert acme.due == Decimal("0.00")
    assert acme.lines[0].reason == (
        "no counted patent in force in BR (sale) or VN (manufacture) on 2026-03-31"
    )
    assert acme.lines[0].rate is None


def test_patent_in_force_in_the_country_of_sale_only() -> None:
    acme = run(line(sale="US", made="VN")).licensee("acme")
    assert acme.due == Decimal("500.00")
    assert acme.lines[0].royalty_country == "US"


def test_an_expired_patent_obliges_nobody() -> None:
    # JP5000001 expired on 2026-02-01, before the quarter's last day
    acme = run(line(sale="JP", made="JP")).licensee("acme")
    assert acme.due == Decimal("0.00")
    assert acme.lines[0].reason == (
        "no counted patent in force in JP (sale and manufacture) on 2026-03-31"
    )


def test_a_european_patent_counts_where_it_was_validated() -> None:
    assert run(line(sale="DE", made="VN")).licensee("acme").due == Decimal("500.00")
    assert run(line(sale="IT", made="VN")).licensee("acme").due == Decimal("0.00")


def test_a_declared_patent_obliges_only_when_declarations_count() -> None:
    kr = line(sale="KR", made="KR")
    assert run(kr).licensee("acme").due == Decimal("0.00")
    assert run(kr, prog=program(counts=Counts.DECLARED)).licensee("acme").due == Decimal("500.00")


def test_a_lapsed_patent_obliges_nobody() -> None:
    register = Register(
        patents=(patent("US", "7000001", "lenovo", status=Status.LAPSED),),
        declarations=(declared(PATENTS[0]),),
    )
    result = compute_royalties(program(), register, LICENSEES, [line(made="US")], Q1)
    assert result.total_due == Decimal("0.00")


# ------------------------------------------------------------------ rounding once


def test_due_is_rounded_once_per_licensee_and_lines_add_up() -> None:
    # three lines of one unit at 0.005: 0.015 in all, rounded half up once to 0.02
    lines = [line(category="chip", units=1, sale=c, made="CN") for c in ("US", "CN", "DE")]
    acme = run(*lines).licensee("acme")
    assert acme.due == Decimal("0.02")
    assert sum(item.due for item in acme.lines) == Decimal("0.02")
    assert sorted(item.due for item in acme.lines) == [
        Decimal("0.00"),
        Decimal("0.01"),
        Decimal("0.01"),
    ]


def test_exact_fractions_until_the_end() -> None:
    # 3 units for 100.01 at 1%: 1.0001, rounded to 1.00; no price base rounding on the way
    acme = run(line(category="module", units=3, net_sales="100.01")).licensee("acme")
    assert acme.lines[0].rate is not None
    assert acme.lines[0].rate.unit_price == Fraction(10001, 300)
    assert acme.due == Decimal("1.00")


def test_totals_and_countries_add_up() -> None:
    lines = [
        line("acme", units=1000, sale="US"),
        line("acme-asia", units=333, sale="BR", made="CN"),
        line("good", units=777, sale="DE", made="VN"),
        line("good", category="phone", units=7, net_sales="700.07", sale="FR", made="VN"),
    ]
    result = run(*lines)
    assert result.total_due == sum(item.due for item in result.licensees)
    assert sum(result.royalties_by_country().values()) == result.total_due
    assert set(result.royalties_by_country()) == {"US", "CN", "DE", "FR"}


def test_results_do_not_depend_on_line_order() -> None:
    lines = [
        line("acme", category="codec", units=70000),
        line("acme-asia", category="codec", units=70000, sale="BR"),
        line("acme", units=3, sale="DE"),
        line("good", category="chip", units=1),
        line("good", category="chip", units=1, sale="CN"),
        line("good", category="phone", units=3, net_sales="301"),
    ]
    expected = run(*lines)
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(lines)
        assert run(*lines) == expected


# ------------------------------------------------------------------ schedules over time


def test_the_schedule_in_force_on_the_last_day_applies() -> None:
    later = schedule(effective_from=D(2026, 4, 1), categories={"tv": PerUnitRate(Decimal("0.60"))})
    prog = program(schedule(), later)
    assert run(line(units=100), prog=prog).total_due == Decimal("50.00")
    assert run(line(units=100, period=Q2), period=Q2, prog=prog).total_due == Decimal("60.00")
    mid_quarter = schedule(
        effective_from=D(2026, 3, 15), categories={"tv": PerUnitRate(Decimal("0.70"))}
    )
    prog = program(schedule(), mid_quarter)
    assert run(line(units=100), prog=prog).total_due == Decimal("70.00")


def test_two_schedules_on_one_day_are_refused() -> None:
    with pytest.raises(InvalidInput, match="two schedules of igrs-v1 take effect on 2026-01-01"):
        program(schedule(), schedule())


def test_a_period_before_any_schedule_is_refused() -> None:
    with pytest.raises(NoSchedule, match="no schedule of igrs-v1 is in force on 2025-12-31"):
        run(line(period=Period(2025, 4)), period=Period(2025, 4))


# ------------------------------------------------------------------ bad input


def test_tiers_must_ascend() -> None:
    with pytest.raises(InvalidInput, match=r"tiers: up_to must ascend strictly, got \[500, 100\]"):
        TieredRate((Tier(500, Decimal("0")), Tier(100, Decimal("1")), Tier(None, Decimal("1"))))


def test_last_tier_must_be_unbounded() -> None:
    with pytest.raises(InvalidInput, match="tiers: the last tier must have no up_to"):
        TieredRate((Tier(100, Decimal("0")), Tier(500, Decimal("1"))))


@pytest.mark.parametrize("units", [-1, Decimal("1.5"), 2.0, "3"])
def test_negative_or_fractional_units_are_refused(units: object) -> None:
    with pytest.raises(InvalidInput, match="units: "):
        SalesLine("acme", Q1, "US", "CN", "tv", units)  # type: ignore[arg-type]


def test_a_bad_period_on_a_line_is_refused() -> None:
    with pytest.raises(InvalidInput, match="'2026-1' is not a quarter written YYYYQn"):
        SalesLine("acme", "2026-1", "US", "CN", "tv", 1)  # type: ignore[arg-type]


def test_unknown_category_names_the_known_ones() -> None:
    with pytest.raises(
        UnknownCategory,
        match=r"unknown category 'fridge' on a sales line of acme for 2026Q1 "
        r"\(known: chip, codec, module, phone, tv\)",
    ):
        run(line(category="fridge"))


def test_of_two_lines_that_cannot_be_priced_the_first_in_order_is_refused() -> None:
    # lines are priced in the order of licensee, category, countries...: "fridge" comes
    # before "phone", which comes before "zinc", whatever the order they are given in
    unknown, no_net, later = line(category="fridge"), line(category="phone"), line(category="zinc")
    with pytest.raises(UnknownCategory, match="unknown category 'fridge'"):
        run(line(), no_net, unknown)
    with pytest.raises(InvalidInput, match="net_sales: category 'phone' is charged a percent"):
        run(later, line(), no_net, line(sale="ZZ", made="ZZ", category="phone", net_sales="5"))
    with pytest.raises(InvalidInput, match="net_sales: category 'phone' is charged a percent"):
        run(line(sale="ZZ", made="ZZ", category="phone"))  # even where no patent is in force


def test_unknown_licensee_is_refused() -> None:
    with pytest.raises(NotFound, match="unknown licensee 'nobody'"):
        run(line("nobody"))


def test_lines_of_other_years_and_later_quarters_are_ignored() -> None:
    lines = (line(units=100), line(units=100, period=Q2), line(units=100, period=Period(2025, 4)))
    assert run(*lines).total_due == Decimal("50.00")


# ------------------------------------------------------------------ the summary path


COUNTRIES = ("US", "CN", "DE", "FR", "JP", "KR", "BR", "IN", "GB")
CATEGORIES = ("tv", "phone", "codec", "chip", "module")


def _random_lines(rng: random.Random, n: int, quarters: int) -> list[SalesLine]:
    out = []
    for _ in range(n):
        category = rng.choice(CATEGORIES)
        net = None
        if category in ("phone", "module") or rng.random() < 0.2:
            net = f"{rng.randint(0, 10**6)}.{rng.randint(0, 999):0{rng.choice((1, 2, 3))}d}"
        out.append(
            line(
                rng.choice(LICENSEES).id,
                Period(2026, rng.randint(1, quarters)),
                rng.choice(COUNTRIES),
                rng.choice(COUNTRIES),
                category,
                rng.choice((0, 1, 2, 3, rng.randint(1, 200000))),
                net,
            )
        )
    return out


def _summary_of(result: RoyaltyResult) -> tuple[object, ...]:
    return (
        result.total_due,
        result.royalties_by_country(),
        [
            (r.licensee, r.group, r.units, r.gross, r.cap_reduction, r.discount, r.due,
             r.priced_lines)
            for r in result.licensees
        ],
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_the_summary_path_gives_the_detailed_amounts(seed: int) -> None:
    """detail=False keeps no line records; every amount, and the due by country (the sum of
    the kept lines' largest-remainder parts), must be what detail=True gives."""
    rng = random.Random(seed)
    cap = rng.choice((None, "1000", "250000", "3500000"))
    prog = program(schedule(annual_cap=None if cap is None else Decimal(cap)))
    quarters = rng.randint(1, 4)
    lines = _random_lines(rng, rng.randint(1, 300), quarters)
    period = Period(2026, quarters)
    lines.append(line(period=period))  # the period itself always has a line
    rng.shuffle(lines)
    detailed = compute_royalties(prog, REGISTER, LICENSEES, lines, period)
    summary = compute_royalties(prog, REGISTER, LICENSEES, lines, period, detail=False)
    assert all(not r.lines for r in summary.licensees)
    assert _summary_of(summary) == _summary_of(detailed)
    # identical values also in how they are written (Decimal exponents), as JSON prints them
    assert [str(v) for v in summary.royalties_by_country().values()] == [
        str(v) for v in detailed.royalties_by_country().values()
    ]


def test_the_summary_path_refuses_what_the_detailed_path_refuses() -> None:
    for bad in (line(category="radio"), line(category="phone", net_sales=None)):
        messages = []
        for detail in (True, False):
            with pytest.raises(InvalidInput) as info:
                compute_royalties(program(), REGISTER, LICENSEES, [line(), bad], Q1, detail=detail)
            messages.append(str(info.value))
        assert messages[0] == messages[1]


def test_lines_alike_but_for_their_source_share_cents_in_the_order_of_their_sources() -> None:
    # three lines of 0.005 each: the licensee's 0.015 rounds to 0.02, whose two cents go to
    # the first two lines in order; lines alike are ordered by their sources' text, in which
    # "s.csv:10" and "s.csv:11" come before "s.csv:9"
    alike = [SalesLine("acme", Q1, "US", "CN", "chip", 1, None, f"s.csv:{n}") for n in (9, 10, 11)]
    given = run(*alike)
    (acme,) = given.licensees
    assert acme.due == Decimal("0.02")
    assert [(ln.line.source, ln.due) for ln in acme.lines] == [
        ("s.csv:10", Decimal("0.01")), ("s.csv:11", Decimal("0.01")), ("s.csv:9", Decimal("0.00")),
    ]  # fmt: skip
    # the same lines read from storage, whose sources are written only when asked for
    block = LineBlock(
        "acme", Q1, ["US"] * 3, ["CN"] * 3, ["chip"] * 3, [1, 1, 1], [None] * 3,
        NumberedSources("s.csv:", (9, 10, 11)),
    )  # fmt: skip
    stored = summarize_groups(program(), REGISTER, LICENSEES, [[block]], Q1, lines=True)
    assert stored == given
    without_lines = summarize_groups(program(), REGISTER, LICENSEES, [[block]], Q1)
    assert without_lines.royalties_by_country() == given.royalties_by_country()
