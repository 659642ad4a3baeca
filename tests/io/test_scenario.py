"""Scenario files: parsed into core values, and every bad input named by file, line and field."""

from __future__ import annotations

import datetime as dt
import textwrap
from fractions import Fraction as F
from pathlib import Path

import pytest

from patentpool.core.holders import Counting, HolderSource
from patentpool.core.model import (
    Declaration,
    Essentiality,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
)
from patentpool.core.regimes import Holder, Market, Pricing, Regime
from patentpool.errors import InvalidInput
from patentpool.io.scenario import ScenarioFile, ScenarioInvalid, load_scenario

TODAY = dt.date(2026, 3, 1)

CONTRACT = """\
scenario:
  name: IGRS open vs closed
  demand: {intercept: 100, slope: 1}    # P = intercept - slope * Q
  unit_cost: 20                         # makers' cost per unit before royalties
  holders: [{id: a, patents: 100}, {id: b, patents: 60}]
regimes:
  - {name: open (GSM-style), makers: competitive, pricing: pool}
  - {name: closed (CDMA-style), makers: 3, pricing: independent}
  - {name: capped, makers: competitive, pricing: independent, cap_total: 30}
  - {name: published rate, makers: 10, pricing: fixed, rate: 25}
"""


def load(tmp_path: Path, text: str) -> ScenarioFile:
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_scenario(path, TODAY, display="s.yaml")


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(ScenarioInvalid) as err:
        load(tmp_path, text)
    return str(err.value)


def test_the_contract_example_parses(tmp_path: Path) -> None:
    loaded = load(tmp_path, CONTRACT)
    assert loaded.name == "IGRS open vs closed"
    assert loaded.market == Market(F(100), F(1), F(20))
    assert loaded.holders == (Holder("a", 100, "a"), Holder("b", 60, "b"))
    assert loaded.regimes == (
        Regime("open (GSM-style)", Pricing.POOL),
        Regime("closed (CDMA-style)", Pricing.INDEPENDENT, makers=3),
        Regime("capped", Pricing.INDEPENDENT, cap_total=F(30)),
        Regime("published rate", Pricing.FIXED, makers=10, rate=F(25)),
    )
    assert loaded.as_of == TODAY
    assert not loaded.needs_register
    assert loaded.scenario().holders == loaded.holders


def test_every_regime_key(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        """\
        scenario:
          name: all keys
          demand: {intercept: 12.5, slope: 0.1}
          unit_cost: 2.5
          holders:
            - {id: a, patents: 3, member: false}
            - {id: b, patents: 1, member: true}
        regimes:
          - name: everything
            makers: 2
            pricing: fixed
            rate_per_holder: 0.3
            cap_total: 1
            cap_per_holder: 0.5
            cross_license: true
            member_makers: 0.25
        """,
    )
    assert loaded.market == Market(F(25, 2), F(1, 10), F(5, 2))  # decimals are exact
    assert loaded.holders == (Holder("a", 3, None), Holder("b", 1, "b"))
    assert loaded.regimes[0] == Regime(
        "everything",
        Pricing.FIXED,
        makers=2,
        rate_per_holder=F(3, 10),
        cap_total=F(1),
        cap_per_holder=F(1, 2),
        cross_license=True,
        member_makers=F(1, 4),
    )


def test_holders_from_the_register(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        """\
        scenario:
          name: from the register
          demand: {intercept: 100, slope: 1}
          unit_cost: 20
          holders: {standard: IGRS, version: "1.0", counts: essential}
          as_of: 2024-01-01
        regimes:
          - {name: open, makers: competitive, pricing: pool}
        """,
    )
    assert loaded.holders == HolderSource("IGRS", "1.0", Counting.ESSENTIAL)
    assert loaded.as_of == dt.date(2024, 1, 1)
    assert loaded.needs_register
    register = Register(
        members=(Member("lenovo", "Lenovo"),),
        standards=(Standard("IGRS", "IGRS", (StandardVersion("1.0"),)),),
        patents=(Patent("CN", "1", "lenovo", dt.date(2010, 1, 1)),),
        declarations=(Declaration("CN1", "IGRS", "1.0", essentiality=Essentiality.ESSENTIAL),),
    )
    assert loaded.scenario(register).holders == (Holder("lenovo", 1, "lenovo"),)
    empty = Register(standards=register.standards)
    with pytest.raises(ScenarioInvalid) as err:
        loaded.scenario(empty)
    assert str(err.value) == (
        "s.yaml:5: scenario.holders: no member holds a counted patent of IGRS 1.0 in force on "
        "2024-01-01 (counting essential)"
    )
    with pytest.raises(ScenarioInvalid) as err:
        loaded.scenario(Register())
    assert (
        str(err.value)
        == "s.yaml:5: scenario.holders.standard: unknown standard 'IGRS' in the register"
    )
    with pytest.raises(InvalidInput, match="needs the register"):
        loaded.scenario(None)


def test_inline_holders_naming_members_are_checked_against_the_register(tmp_path: Path) -> None:
    loaded = load(
        tmp_path,
        """\
        scenario:
          name: named
          demand: {intercept: 100, slope: 1}
          unit_cost: 20
          holders:
            - {id: a, patents: 2, member: lenovo}
            - {id: b, patents: 1, member: nokia}
            - {id: c, patents: 1, member: false}
        regimes:
          - {name: open, makers: competitive, pricing: pool}
        """,
    )
    assert loaded.needs_register
    assert loaded.holders[0] == Holder("a", 2, "lenovo")
    register = Register(members=(Member("lenovo", "Lenovo"),))
    with pytest.raises(ScenarioInvalid) as err:
        loaded.scenario(register)
    assert str(err.value) == "s.yaml:7: scenario.holders.1.member: unknown member 'nokia'"
    both = Register(members=(*register.members, Member("nokia", "Nokia")))
    assert [h.member for h in loaded.scenario(both).holders] == ["lenovo", "nokia", None]


BASE = """\
scenario:
  name: bad
  demand: {{intercept: {a}, slope: {b}}}
  unit_cost: {c}
  holders: {holders}
regimes:
  - {regime}
"""


def bad(**kw: str) -> str:
    values = {
        "a": "100",
        "b": "1",
        "c": "20",
        "holders": "[{id: a, patents: 1}]",
        "regime": "{name: r, makers: competitive, pricing: pool}",
    }
    return BASE.format(**(values | kw))


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"b": "0"}, "s.yaml:3: scenario.demand.slope: must be greater than 0 (got 0)"),
        ({"b": "-2"}, "s.yaml:3: scenario.demand.slope: must be greater than 0 (got -2)"),
        (
            {"c": "100"},
            "s.yaml:4: scenario.unit_cost: 100 is not below the demand intercept 100: nobody "
            "would pay what the product costs to make, so there is no market at all",
        ),
        (
            {"c": "120"},
            "s.yaml:4: scenario.unit_cost: 120 is not below the demand intercept 100: nobody "
            "would pay what the product costs to make, so there is no market at all",
        ),
        ({"c": "-1"}, "s.yaml:4: scenario.unit_cost: must not be negative (got -1)"),
        ({"holders": "[]"}, "s.yaml:5: scenario.holders: the holder list is empty"),
        (
            {"holders": "[{id: a, patents: 0}]"},
            "s.yaml:5: scenario.holders.0.patents: must be a whole number of at least 1 (got 0)",
        ),
        (
            {"holders": "[{id: a, patents: 1}, {id: a, patents: 2}]"},
            "s.yaml:5: scenario.holders.1.id: holder id 'a' appears twice",
        ),
        (
            {"holders": "7"},
            "s.yaml:5: scenario.holders: must be a list of holders ([{id, patents}]) or a "
            "register reference ({standard, version})",
        ),
        (
            {"holders": "{standard: IGRS, version: 1.0}"},
            's.yaml:5: scenario.holders.version: must be text; write it in quotes ("1.0") so it '
            "is not read as a number",
        ),
        (
            {"holders": "[{id: a, patents: 1, member: Not A Slug}]"},
            "s.yaml:5: scenario.holders.0.member: 'Not A Slug' is not a valid id (lower-case "
            "letters, digits, '.', '-' and '_', starting with a letter or digit)",
        ),
        (
            {"regime": "{name: r, makers: 0, pricing: pool}"},
            "s.yaml:7: regimes.0.makers: must be 'competitive' or a whole number of at least 1 "
            "(got 0)",
        ),
        (
            {"regime": "{name: r, makers: many, pricing: pool}"},
            "s.yaml:7: regimes.0.makers: must be 'competitive' or a whole number of licensed "
            "makers (got 'many')",
        ),
        (
            {"regime": "{name: r, makers: 3, pricing: fixed, rate: -5}"},
            "s.yaml:7: regimes.0.rate: must not be negative (got -5)",
        ),
        (
            {"regime": "{name: r, makers: 3, pricing: independent, cap_total: -1}"},
            "s.yaml:7: regimes.0.cap_total: must not be negative (got -1)",
        ),
        (
            {"regime": "{name: r, makers: 3, pricing: pool, cap_per_holder: -0.5}"},
            "s.yaml:7: regimes.0.cap_per_holder: must not be negative (got -0.5)",
        ),
        (
            {"regime": "{name: r, makers: 3, pricing: pool, colour: red}"},
            "s.yaml:7: regimes.0.colour: unknown key (known keys: name, makers, pricing, rate, "
            "rate_per_holder, cap_total, cap_per_holder, cross_license, member_makers)",
        ),
        (
            {"regime": "{name: r, makers: 3, pricing: frand}"},
            "s.yaml:7: regimes.0.pricing: Input should be 'pool', 'independent' or 'fixed'",
        ),
        ({"regime": "{name: r, pricing: pool}"}, "s.yaml:7: regimes.0.makers: is required"),
        (
            {"regime": "{name: r, makers: 3, pricing: pool, rate: 5}"},
            "s.yaml:7: regimes.0.rate: is only for pricing: fixed",
        ),
    ],
)
def test_bad_input_is_named_by_line_and_field(
    tmp_path: Path, kw: dict[str, str], message: str
) -> None:
    assert problems(tmp_path, bad(**kw)) == message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = """\
    scenario:
      name: several
      demand: {intercept: 100, slope: 1}
      unit_cost: 20
      holders: [{id: a, patents: 1}]
    regimes:
      - {name: r, makers: 0, pricing: pool}
      - {name: r, makers: 2, pricing: fixed}
    """
    assert problems(tmp_path, text) == (
        "3 problems in the scenario file:\n"
        "  s.yaml:7: regimes.0.makers: must be 'competitive' or a whole number of at least 1 "
        "(got 0)\n"
        "  s.yaml:8: regimes.1.name: regime name 'r' appears twice\n"
        "  s.yaml:8: regimes.1.rate: fixed pricing needs exactly one of rate (the aggregate "
        "published rate) and rate_per_holder"
    )


def test_unknown_keys_elsewhere_and_missing_parts(tmp_path: Path) -> None:
    text = """\
    scenario:
      name: keys
      demand: {intercept: 100, slope: 1, shape: linear}
      unit_cost: 20
      holders: {standard: IGRS, version: "1.0", colour: red}
    regime: []
    """
    assert problems(tmp_path, text) == (
        "4 problems in the scenario file:\n"
        "  s.yaml:1: regimes: is required\n"
        "  s.yaml:3: scenario.demand.shape: unknown key (known keys: intercept, slope)\n"
        "  s.yaml:5: scenario.holders.colour: unknown key (known keys: standard, version, counts)\n"
        "  s.yaml:6: regime: unknown key (known keys: scenario, regimes)"
    )


def test_an_empty_regime_list(tmp_path: Path) -> None:
    text = bad().split("regimes:")[0] + "regimes: []\n"
    assert problems(tmp_path, text) == (
        "s.yaml:6: regimes: the list is empty: give at least one regime"
    )


def test_files_that_are_not_scenarios(tmp_path: Path) -> None:
    assert problems(tmp_path, "- 1\n- 2\n") == (
        "s.yaml:1: file: must be a mapping with the keys scenario and regimes"
    )
    assert problems(tmp_path, "scenario: [unclosed\n").startswith(
        "s.yaml:2: file: is not valid YAML"
    )
    assert problems(tmp_path, "a: 1\na: 2\n").startswith("s.yaml:2: file: is not valid YAML/JSON")
    with pytest.raises(ScenarioInvalid, match="file: cannot be read"):
        load_scenario(tmp_path / "missing.yaml", TODAY)


def test_inline_holders_have_no_register_reference(tmp_path: Path) -> None:
    loaded = load(tmp_path, CONTRACT)
    with pytest.raises(ScenarioInvalid) as err:
        loaded.require_source()
    assert str(err.value) == (
        "s.yaml:5: scenario.holders: given inline, so their patents have no expiry dates; give "
        "them as {standard, version} to take them from the register"
    )
