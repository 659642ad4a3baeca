"""Distribution policies and ``distribute``, with numbers worked by hand (docs/policies.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest

from patentpool.core import allocation, builtin_policies
from patentpool.core.allocation import (
    Claim,
    NoSales,
    NothingOwed,
    NothingToShare,
    PolicyError,
    PolicyInput,
    UnknownPolicy,
    distribute,
    distribute_royalties,
    policies,
    register_policy,
    shapley_shares,
)
from patentpool.core.licensing import Counts, PerUnitRate, Program, Schedule
from patentpool.core.model import Declaration, Essentiality, Patent, Register
from patentpool.core.periods import Period
from patentpool.core.royalties import LicenseeRoyalty, RoyaltyResult
from patentpool.errors import InvalidInput

D = dt.date
Q1 = Period(2026, 1)
E = Essentiality
FILED = D(2015, 1, 1)


def program(counts: Counts = Counts.ESSENTIAL, fee: str = "0.10", currency: str = "USD") -> Program:
    return Program(
        id="igrs-v1",
        standard="IGRS",
        versions=("1.0",),
        currency=currency,
        schedules=(Schedule(D(2026, 1, 1), {"tv": PerUnitRate(Decimal("0.50"))}),),
        admin_fee=Decimal(fee),
        counts=counts,
    )


def holding(
    owner: str,
    n: int,
    jurisdiction: str = "CN",
    *,
    section: str | None = None,
    family: str | None = None,
    essentiality: Essentiality = E.ESSENTIAL,
    filed: dt.date = FILED,
    validated: frozenset[str] = frozenset(),
) -> list[tuple[Patent, Declaration]]:
    out = []
    for i in range(n):
        number = f"{owner}-{jurisdiction}-{section}-{family}-{essentiality}-{filed}-{i}"
        patent = Patent(
            jurisdiction,
            number,
            owner,
            filed,
            family=family,
            validated_states=validated,
        )
        out.append(
            (patent, Declaration(patent.key, "IGRS", "1.0", section, essentiality=essentiality))
        )
    return out


def register(*holdings: list[tuple[Patent, Declaration]]) -> Register:
    pairs = [pair for group in holdings for pair in group]
    return Register(patents=tuple(p for p, _ in pairs), declarations=tuple(d for _, d in pairs))


def shares(result: allocation.Distribution) -> dict[str, Fraction]:
    return {m.member: m.share for m in result.members}


def amounts(result: allocation.Distribution) -> dict[str, Decimal]:
    return {m.member: m.amount for m in result.members}


PROPORTIONAL = register(holding("lenovo", 100), holding("tcl", 60), holding("konka", 44))


# ------------------------------------------------------------------ proportional


def test_proportional_49_0_29_4_21_6() -> None:
    result = distribute(program(), PROPORTIONAL, Q1, Decimal("10000.00"), {}, "proportional", {})
    assert (result.collected, result.admin_fee, result.distributable) == (
        Decimal("10000.00"),
        Decimal("1000.00"),
        Decimal("9000.00"),
    )
    assert shares(result) == {
        "konka": Fraction(44, 204),
        "lenovo": Fraction(100, 204),
        "tcl": Fraction(60, 204),
    }
    # exact 4411.7647.., 2647.0588.., 1941.1764..: floors leave 2 cents, to the two largest
    # remainders (tcl .88, konka .65)
    assert amounts(result) == {
        "konka": Decimal("1941.18"),
        "lenovo": Decimal("4411.76"),
        "tcl": Decimal("2647.06"),
    }
    assert {m.member: m.basis for m in result.members}["lenovo"] == "100 patents"
    assert result.admin_fee + sum(amounts(result).values()) == result.collected


def test_program_policy_is_the_default() -> None:
    result = distribute(program(), PROPORTIONAL, Q1, Decimal("100.00"))
    assert result.policy == "proportional"


def test_only_counted_patents_in_force_at_period_end_count() -> None:
    reg = register(
        holding("lenovo", 2),
        holding("lenovo", 5, essentiality=E.DECLARED),
        holding("lenovo", 3, essentiality=E.NOT_ESSENTIAL),
        holding("tcl", 2, filed=D(2006, 1, 1)),  # expired on 2026-01-01
        holding("tcl", 2),
    )
    essential = distribute(program(), reg, Q1, Decimal("100.00"), {}, "proportional", {})
    assert shares(essential) == {"lenovo": Fraction(1, 2), "tcl": Fraction(1, 2)}
    declared = distribute(
        program(Counts.DECLARED), reg, Q1, Decimal("100.00"), {}, "proportional", {}
    )
    assert shares(declared) == {"lenovo": Fraction(7, 9), "tcl": Fraction(2, 9)}


def test_admin_fee_is_rounded_by_the_money_rule() -> None:
    result = distribute(program(), PROPORTIONAL, Q1, Decimal("10.05"), {}, "proportional", {})
    assert result.admin_fee == Decimal("1.01")  # 1.005 rounded half up
    assert result.distributable == Decimal("9.04")


def test_yen_have_no_minor_unit() -> None:
    result = distribute(program(currency="JPY"), PROPORTIONAL, Q1, Decimal("1001"))
    assert result.admin_fee == Decimal("100")
    assert sum(amounts(result).values()) == Decimal("901")


def test_largest_remainder_ties_go_to_the_smaller_member_id() -> None:
    reg = register(holding("c", 1), holding("a", 1), holding("b", 1))
    result = distribute(program(fee="0"), reg, Q1, Decimal("100.00"), {}, "proportional", {})
    assert amounts(result) == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}


# ------------------------------------------------------------------ per family


def test_per_family_counts_families_not_patents() -> None:
    reg = register(
        holding("lenovo", 2, "CN", family="F1"),
        holding("lenovo", 1, "US", family="F1"),
        holding("lenovo", 1, "US", family="F2"),
        holding("tcl", 2, "CN"),  # no family: each patent is its own
    )
    result = distribute(program(), reg, Q1, Decimal("100.00"), {}, "per-family", {})
    assert shares(result) == {"lenovo": Fraction(1, 2), "tcl": Fraction(1, 2)}
    assert {m.member: m.basis for m in result.members} == {
        "lenovo": "2 families",
        "tcl": "2 families",
    }


# ------------------------------------------------------------------ per patent per country

COUNTRIES = register(
    holding("lenovo", 2, "CN"),
    holding("lenovo", 1, "US"),
    holding("tcl", 1, "CN"),
    holding("tcl", 1, "EP", validated=frozenset({"DE", "FR"})),
    holding("hisense", 1, "DE"),
)


def test_per_patent_country() -> None:
    royalties = {"CN": Decimal("600.00"), "DE": Decimal("300.00"), "US": Decimal("100.00")}
    result = distribute(
        program(fee="0"), COUNTRIES, Q1, Decimal("1000.00"), royalties, "per-patent-country", {}
    )
    # CN: 600 over 3 patents (lenovo 2, tcl 1); DE: 300 over the EP (tcl) and the DE (hisense)
    # patent; US: 100 to lenovo
    assert amounts(result) == {
        "hisense": Decimal("150.00"),
        "lenovo": Decimal("500.00"),
        "tcl": Decimal("350.00"),
    }
    assert {m.member: m.basis for m in result.members}["tcl"] == ("patents per country: CN 1, DE 1")


def test_per_patent_country_needs_royalties_by_country() -> None:
    with pytest.raises(InvalidInput, match="per-patent-country needs the royalties"):
        distribute(program(), COUNTRIES, Q1, Decimal("10.00"), {}, "per-patent-country", {})


def test_per_patent_country_refuses_a_country_without_patents() -> None:
    with pytest.raises(NothingToShare, match="BR earned royalties but no counted patent"):
        distribute(
            program(),
            COUNTRIES,
            Q1,
            Decimal("10.00"),
            {"BR": Decimal("10.00")},
            "per-patent-country",
            {},
        )


# ------------------------------------------------------------------ hybrid


def test_hybrid_alpha() -> None:
    reg = register(holding("lenovo", 3), holding("tcl", 1))
    result = distribute(
        program(fee="0"), reg, Q1, Decimal("100.00"), {}, "hybrid", {"alpha": "0.2"}
    )
    # 0.2 / 2 each, plus 0.8 x 3/4 and 0.8 x 1/4
    assert shares(result) == {"lenovo": Fraction(7, 10), "tcl": Fraction(3, 10)}
    assert amounts(result) == {"lenovo": Decimal("70.00"), "tcl": Decimal("30.00")}
    assert {m.member: m.basis for m in result.members}["tcl"] == "equal part 0.2 + 1 patent"


def test_hybrid_alpha_is_a_rate_like_every_other() -> None:
    reg = register(holding("lenovo", 3), holding("tcl", 1))
    as_percent = distribute(
        program(fee="0"), reg, Q1, Decimal("100.00"), {}, "hybrid", {"alpha": "20%"}
    )
    assert shares(as_percent) == {"lenovo": Fraction(7, 10), "tcl": Fraction(3, 10)}
    with pytest.raises(InvalidInput) as bare:
        distribute(program(), reg, Q1, Decimal("1.00"), {}, "hybrid", {"alpha": "20"})
    assert str(bare.value) == (
        "params: alpha: 20 without a % sign would be 2000%; write 20% (or the fraction 0.2)"
    )
    with pytest.raises(InvalidInput) as over:
        distribute(program(), reg, Q1, Decimal("1.00"), {}, "hybrid", {"alpha": "150%"})
    assert str(over.value) == "params: alpha: 150% is over 100%"


# ------------------------------------------------------------------ weighted


def test_weighted_by_essentiality_and_section() -> None:
    reg = register(
        holding("lenovo", 2, section="5.1"),
        holding("lenovo", 1, section="5.1", essentiality=E.DECLARED),
        holding("tcl", 1, section="core"),
    )
    params = {"essentiality.declared": "0.5", "section.core": "2"}
    result = distribute(program(Counts.DECLARED), reg, Q1, Decimal("90.00"), {}, "weighted", params)
    # lenovo 1 + 1 + 0.5 = 2.5, tcl 2: shares 5/9 and 4/9
    assert shares(result) == {"lenovo": Fraction(5, 9), "tcl": Fraction(4, 9)}
    assert amounts(result) == {"lenovo": Decimal("45.00"), "tcl": Decimal("36.00")}
    assert {m.member: m.basis for m in result.members}["lenovo"] == "weight 2.5 from 3 patents"


def test_weighted_by_age() -> None:
    reg = register(
        holding("lenovo", 1, filed=D(2010, 6, 1)),  # 15 full years old on 2026-03-31
        holding("lenovo", 1, filed=D(2020, 6, 1)),  # 5
        holding("tcl", 1, filed=D(2016, 3, 31)),  # 10 (its anniversary is the last day)
    )
    cut = distribute(program(), reg, Q1, Decimal("1.00"), {}, "weighted", {"age.max_years": "10"})
    assert shares(cut) == {"lenovo": Fraction(1), "tcl": Fraction(0)}
    decay = distribute(
        program(), reg, Q1, Decimal("1.00"), {}, "weighted", {"age.per_year": "0.05"}
    )
    # lenovo 0.25 + 0.75 = 1, tcl 0.5
    assert shares(decay) == {"lenovo": Fraction(2, 3), "tcl": Fraction(1, 3)}


def test_weighted_refuses_unknown_params() -> None:
    with pytest.raises(InvalidInput, match=r"policy 'weighted' has no parameter 'age.min'"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.00"), {}, "weighted", {"age.min": "1"})


def _weight_patent_by_patent(
    patent: Patent, inputs: PolicyInput, params: Mapping[str, str]
) -> Fraction:
    """The weighted policy's weight of one patent, read straight from its definition."""
    number = builtin_policies._number
    declarations = inputs.declarations[patent.key]
    evaluated = any(d.essentiality == E.ESSENTIAL for d in declarations)
    weight = number(params, f"essentiality.{'essential' if evaluated else 'declared'}", Fraction(1))
    default = number(params, "section.*", Fraction(1))
    weight *= max(
        number(params, f"section.{d.section}" if d.section else "section.none", default)
        for d in declarations
    )
    day, filed = inputs.day, patent.filing_date
    years = day.year - filed.year - ((day.month, day.day) < (filed.month, filed.day))
    if "age.max_years" in params and years >= number(params, "age.max_years", Fraction(0)):
        return Fraction(0)
    return weight * max(Fraction(0), 1 - number(params, "age.per_year", Fraction(0)) * years)


def _per_country_patent_by_patent(inputs: PolicyInput) -> dict[str, Fraction]:
    """The per-patent-country weights, every country's holders counted afresh."""
    from patentpool.core.terms import in_force

    weights = dict.fromkeys(inputs.by_member(), Fraction(0))
    for country, amount in sorted(inputs.royalties_by_country.items()):
        holders = [p.owner for p in inputs.patents if in_force(p, inputs.day, country)]
        for member in holders:
            weights[member] += Fraction(amount) / len(holders)
    return weights


def test_weights_are_those_of_the_patents_one_by_one() -> None:
    rng = random.Random(7)
    for _ in range(30):
        holdings = []
        for i in range(rng.randint(1, 40)):
            eu = rng.random() < 0.3
            holdings.append(
                holding(
                    rng.choice(["lenovo", "tcl", "konka", "hisense"]),
                    1,
                    "EP" if eu else rng.choice(["CN", "US", "DE"]),
                    section=rng.choice([None, "5.1", "core", "annex"]),
                    family=f"f{i % 7}",
                    essentiality=rng.choice([E.ESSENTIAL, E.DECLARED]),
                    filed=D(rng.randint(2006, 2025), rng.randint(1, 12), rng.randint(1, 28)),
                    validated=frozenset(rng.sample(["DE", "FR", "IT"], rng.randint(0, 3)))
                    if eu
                    else frozenset(),
                )
            )
        reg = register(*holdings)
        inputs = allocation.policy_input(
            program(Counts.DECLARED), reg, Q1, {"CN": Decimal("3.00"), "DE": Decimal("2.50")}
        )
        params = rng.choice(
            [
                {},
                {"essentiality.declared": "0.5", "section.core": "2", "section.none": "0.25"},
                {"section.*": "3", "section.5.1": "1.5", "age.per_year": "0.04"},
                {"age.max_years": "12", "essentiality.essential": "1.2"},
            ]
        )
        by_member = inputs.by_member()
        weighted = {c.member: c.weight for c in builtin_policies.weighted(inputs, params)}
        assert weighted == {
            m: sum((_weight_patent_by_patent(p, inputs, params) for p in ps), Fraction(0))
            for m, ps in by_member.items()
        }
        try:
            per_country = builtin_policies.per_patent_country(inputs, {})
        except NothingToShare:  # no patent in force in CN or none in DE
            continue
        assert {c.member: c.weight for c in per_country} == _per_country_patent_by_patent(inputs)


def test_a_bad_weighted_param_is_reported_when_first_read() -> None:
    reg = register(holding("lenovo", 3, section="core"), holding("tcl", 1))
    with pytest.raises(InvalidInput, match=r"section.core='x' is not a number"):
        distribute(program(), reg, Q1, Decimal("1.00"), {}, "weighted", {"section.core": "x"})


# ------------------------------------------------------------------ shapley


def test_shapley_pure_complements_get_equal_shares_whatever_the_counts() -> None:
    reg = register(
        holding("lenovo", 100, section="A"),
        holding("tcl", 60, section="B"),
        holding("konka", 44, section="C"),
    )
    result = distribute(program(), reg, Q1, Decimal("10000.00"), {}, "shapley", {})
    assert shares(result) == {m: Fraction(1, 3) for m in ("konka", "lenovo", "tcl")}
    assert set(amounts(result).values()) == {Decimal("3000.00")}
    assert {m.member: m.basis for m in result.members}["lenovo"] == (
        "holds 1 of 3 sections (Shapley, exact)"
    )


def test_shapley_with_a_member_holding_two_sections() -> None:
    # lenovo holds A and B, tcl A, konka B: lenovo is pivotal in 4 of 6 orders
    reg = register(
        holding("lenovo", 1, section="A"),
        holding("lenovo", 1, section="B"),
        holding("tcl", 5, section="A"),
        holding("konka", 1, section="B"),
    )
    result = distribute(program(), reg, Q1, Decimal("10.00"), {}, "shapley", {})
    assert shares(result) == {
        "konka": Fraction(1, 6),
        "lenovo": Fraction(2, 3),
        "tcl": Fraction(1, 6),
    }


def test_shapley_substitutes_in_one_section_share_equally() -> None:
    reg = register(holding("lenovo", 10), holding("tcl", 1))  # no section given: one section
    result = distribute(program(), reg, Q1, Decimal("10.00"), {}, "shapley", {})
    assert shares(result) == {"lenovo": Fraction(1, 2), "tcl": Fraction(1, 2)}


def brute_force(holdings: Mapping[str, frozenset[str]]) -> dict[str, Fraction]:
    everything = frozenset().union(*holdings.values())
    pivotal = dict.fromkeys(holdings, 0)
    for order in itertools.permutations(sorted(holdings)):
        covered: set[str] = set()
        for member in order:
            covered |= holdings[member]
            if covered == everything:
                pivotal[member] += 1
                break
    n = math.factorial(len(holdings))
    return {m: Fraction(c, n) for m, c in pivotal.items()}


def test_exact_shapley_matches_all_orders_on_random_small_games() -> None:
    rng = random.Random(11)
    for _ in range(150):
        members = [f"m{i}" for i in range(rng.randint(1, 6))]
        sections = [f"s{j}" for j in range(rng.randint(1, 6))]
        holdings = {
            m: frozenset(s for s in sections if rng.random() < 0.4) or frozenset({sections[0]})
            for m in members
        }
        assert shapley_shares(holdings, "exact").shares == brute_force(holdings)


def test_exact_shapley_for_twenty_members_is_fast() -> None:
    rng = random.Random(5)
    holdings: dict[str, set[str]] = {f"m{i:02}": set() for i in range(20)}
    for j in range(20):
        for member in rng.sample(sorted(holdings), 3):
            holdings[member].add(f"s{j}")
    start = time.perf_counter()
    result = shapley_shares({m: frozenset(s or {"s0"}) for m, s in holdings.items()})
    assert result.method == "exact"
    assert sum(result.shares.values()) == 1
    assert time.perf_counter() - start < 2
    # 20 pure complements: 1/20 each
    complements = {f"m{i:02}": frozenset({f"s{i}"}) for i in range(20)}
    assert set(shapley_shares(complements).shares.values()) == {Fraction(1, 20)}


def test_every_pair_of_twenty_members_sharing_a_section() -> None:
    # a coalition wins when at most one member is missing: each gets 1/20 by symmetry
    holdings = {
        f"m{i:02}": frozenset(f"s{min(i, j)}-{max(i, j)}" for j in range(20) if j != i)
        for i in range(20)
    }
    assert set(shapley_shares(holdings).shares.values()) == {Fraction(1, 20)}


def test_monte_carlo_is_seeded_and_close() -> None:
    holdings = {
        "lenovo": frozenset({"A", "B"}),
        "tcl": frozenset({"A"}),
        "konka": frozenset({"B"}),
    }
    first = shapley_shares(holdings, "monte-carlo", samples=6000, seed=3)
    again = shapley_shares(holdings, "monte-carlo", samples=6000, seed=3)
    assert first == again
    assert first.method == "Monte Carlo, 6000 orders, seed 3"
    assert sum(first.shares.values()) == 1
    assert abs(first.shares["lenovo"] - Fraction(2, 3)) < Fraction(2, 100)


def test_shapley_params_are_checked() -> None:
    with pytest.raises(InvalidInput, match="method='guess' is not auto, exact or monte-carlo"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.00"), {}, "shapley", {"method": "guess"})


# ------------------------------------------------------------------ errors and the registry


def test_unknown_policy_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownPolicy,
        match=r"unknown policy 'equal' \(known: hybrid, per-family, per-patent-country, "
        r"proportional, shapley, weighted\)",
    ):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.00"), {}, "equal", {})


def test_a_period_with_no_sales_is_refused() -> None:
    with pytest.raises(NoSales, match=r"^no sales reported for igrs-v1 in 2026Q1$"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("0"), {}, "proportional", {})
    empty = RoyaltyResult("igrs-v1", Q1, "USD", D(2026, 1, 1), (), Decimal("0.00"))
    with pytest.raises(NoSales, match=r"^no sales reported for igrs-v1 in 2026Q1$"):
        distribute_royalties(program(), PROPORTIONAL, empty)


def test_a_period_whose_sales_owe_nothing_says_so() -> None:
    capped = LicenseeRoyalty(
        "acme", "acme", 900, Decimal("450.00"), Decimal("400.00"), Decimal("50.00"),
        Decimal("0.00"), (), line_count=3,
    )  # fmt: skip
    result = RoyaltyResult("igrs-v1", Q1, "USD", D(2026, 1, 1), (capped,), Decimal("0.00"))
    with pytest.raises(
        NothingOwed,
        match=r"^sales reported, nothing owed: igrs-v1 2026Q1 has 3 sales lines from 1 "
        r"licensee: gross 450.00, annual cap -400.00, discounts -50.00, due 0.00 USD$",
    ):
        distribute_royalties(program(), PROPORTIONAL, result)


def test_fractions_of_a_cent_collected_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"collected: 1.005 is not a non-negative whole number"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.005"))


def test_nothing_to_share_without_counted_patents() -> None:
    with pytest.raises(NothingToShare, match="no member holds a counted patent of igrs-v1"):
        distribute(program(), Register(), Q1, Decimal("1.00"))


def test_unknown_param_is_refused() -> None:
    with pytest.raises(InvalidInput, match="policy 'proportional' has no parameter 'alpha'"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.00"), {}, "proportional", {"alpha": "1"})


def test_a_name_cannot_be_registered_twice() -> None:
    with pytest.raises(PolicyError, match="policy 'proportional' is already registered"):
        register_policy("proportional")(lambda inputs, params: [])


def equal_split(inputs: PolicyInput, params: Mapping[str, str]) -> Sequence[Claim]:
    return [Claim(m, Fraction(1), "a member") for m in inputs.by_member()]


def test_third_party_policies_load_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "_registry", allocation._Registry(dict(policies())))
    entry = SimpleNamespace(name="equal", value="plugin:equal_split", load=lambda: equal_split)
    monkeypatch.setattr(allocation, "_entry_points", lambda: [entry])
    assert "equal" in policies()
    result = distribute(program(fee="0"), PROPORTIONAL, Q1, Decimal("3.00"), {}, "equal", {})
    assert set(amounts(result).values()) == {Decimal("1.00")}


def test_a_broken_plugin_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> object:
        raise ImportError("no module named plugin")

    monkeypatch.setattr(allocation, "_registry", allocation._Registry(dict(policies())))
    entry = SimpleNamespace(name="broken", value="plugin:policy", load=broken)
    monkeypatch.setattr(allocation, "_entry_points", lambda: [entry])
    with pytest.raises(PolicyError, match=r"policy 'broken' \(plugin:policy\) failed to load"):
        policies()


def test_a_policy_giving_negative_weights_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "_registry", allocation._Registry(dict(policies())))
    register_policy("negative")(lambda inputs, params: [Claim("lenovo", Fraction(-1), "x")])
    with pytest.raises(PolicyError, match="gave 'lenovo' a negative weight"):
        distribute(program(), PROPORTIONAL, Q1, Decimal("1.00"), {}, "negative", {})
