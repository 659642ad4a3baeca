"""Degenerate allocations said in a sentence: veto players, all to one, nothing to anyone."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from patentpool.core.degenerate import Kind, diagnose, veto_players

F = Fraction


def test_veto_players_are_the_only_holders_of_a_section() -> None:
    holdings = {
        "a": frozenset({"discovery", "media", "management"}),
        "b": frozenset({"discovery", "media"}),
        "c": frozenset({"discovery", "security"}),
    }
    assert veto_players(holdings) == {"a": ("management",), "c": ("security",)}
    assert veto_players({"a": frozenset({"x"}), "b": frozenset({"x"})}) == {}


def test_a_veto_player_taking_everything_is_named_with_its_section() -> None:
    holdings = {
        "alpha": frozenset({"s1", "s2"}),
        "beta": frozenset({"s1"}),
        "gamma": frozenset({"s1"}),
    }
    shares = {"alpha": F(1), "beta": F(0), "gamma": F(0)}
    found = diagnose("shapley", shares, Decimal("100.00"), holdings)
    assert found is not None
    assert found.kind is Kind.VETO
    assert found.members == ("alpha",)
    assert found.share == 1
    assert found.sentence(str.upper) == (
        "ALPHA is a veto player: it alone holds a counted patent in section s2, so no coalition "
        "without it holds every section; under Shapley it takes 100% of the distributable sum."
    )
    # to another member, the veto player is not named
    for_beta = found.sentence_for("beta", str.upper)
    assert "ALPHA" not in for_beta
    assert "alpha" not in for_beta
    assert for_beta.startswith("Under Shapley another member is a veto player")
    assert "section s2" in for_beta
    assert "100%" in for_beta


def test_two_veto_players_share_what_they_take() -> None:
    holdings = {
        "alpha": frozenset({"x", "y"}),
        "beta": frozenset({"x", "z"}),
        "gamma": frozenset({"x"}),
    }
    shares = {"alpha": F(1, 2), "beta": F(1, 2), "gamma": F(0)}
    found = diagnose("shapley", shares, None, holdings)
    assert found is not None
    assert found.members == ("alpha", "beta")
    assert "alpha and beta are veto players" in found.sentence()
    assert "(alpha: section y; beta: section z)" in found.sentence()
    for_alpha = found.sentence_for("alpha")
    assert for_alpha.startswith("alpha is one of 2 veto players")
    assert "section y" in for_alpha
    assert "beta" not in for_alpha
    assert "section z" not in for_alpha
    for_gamma = found.sentence_for("gamma")
    assert for_gamma.startswith("Under Shapley 2 other members are veto players")
    assert "alpha" not in for_gamma
    assert "beta" not in for_gamma


def test_all_to_one_and_nothing_to_anyone() -> None:
    only = diagnose("proportional", {"alpha": F(1)})
    assert only is not None
    assert only.kind is Kind.ALL_TO_ONE
    assert only.sentence() == (
        "alpha gets everything: it is the only member with a counted patent that earns a share "
        "under policy proportional."
    )
    weighted = diagnose("weighted", {"alpha": F(1), "beta": F(0)})
    assert weighted is not None
    assert "no other member's counted patents earn a share" in weighted.sentence()
    for_beta = weighted.sentence_for("beta", str.upper)
    assert for_beta.startswith("Another member gets everything")
    assert "alpha" not in for_beta
    nothing = diagnose("proportional", {"alpha": F(1, 2), "beta": F(1, 2)}, Decimal("0.00"))
    assert nothing is not None
    assert nothing.kind is Kind.NOTHING
    assert nothing.sentence() == (
        "No member gets anything: the distributable sum is 0 after the administration fee."
    )
    zero = diagnose("weighted", {"alpha": F(0), "beta": F(0)})
    assert zero is not None
    assert zero.kind is Kind.NOTHING


@pytest.mark.parametrize("policy", ["proportional", "shapley"])
def test_an_ordinary_allocation_is_not_degenerate(policy: str) -> None:
    holdings = {"a": frozenset({"x"}), "b": frozenset({"x"})}
    assert diagnose(policy, {"a": F(1, 3), "b": F(2, 3)}, Decimal("9.00"), holdings) is None


def test_igrs_sample_shapley_gives_everything_to_its_veto_player(sqlite_url: str) -> None:
    from paths import SAMPLES

    from patentpool.core.allocation import get_policy, policy_input
    from patentpool.core.periods import Period
    from patentpool.services.imports import import_paths
    from patentpool.services.licensing import load_programs
    from patentpool.storage.engine import session_for
    from patentpool.storage.repository import load_register

    with session_for(sqlite_url) as session:
        import_paths(session, [SAMPLES / "igrs-v1"])
        register = load_register(session)
        program = load_programs(session)["igrs-v1"][0]
    inputs = policy_input(program, register, Period(2026, 1))
    claims = get_policy("shapley")(inputs, {})
    total = sum((c.weight for c in claims), F(0))
    shares = {c.member: c.weight / total for c in claims}
    holdings: dict[str, frozenset[str]] = {}
    for patent in inputs.patents:
        holdings[patent.owner] = holdings.get(patent.owner, frozenset()) | inputs.sections(patent)
    found = diagnose("shapley", shares, Decimal("987206.87"), holdings)
    assert found is not None
    assert found.kind is Kind.VETO
    assert found.members == ("hisense",)
    assert found.sections == (("management",),)
    assert shares["hisense"] == 1
    assert found.share == 1
    assert found.sentence().startswith(
        "hisense is a veto player: it alone holds a counted patent in section management"
    )
