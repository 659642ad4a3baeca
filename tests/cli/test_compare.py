"""``patentpool compare``: tables, JSON, sweeps, projections and every bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from patentpool.cli.common import App
from patentpool.cli.compare import compare
from patentpool.core.model import (
    Declaration,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
)

REPO = Path(__file__).resolve().parents[2]
NO_DATABASE = "sqlite:////nonexistent-folder/patentpool.db"

CONTRACT = """\
scenario:
  name: IGRS open vs closed
  demand: {intercept: 100, slope: 1}
  unit_cost: 20
  holders: [{id: a, patents: 100}, {id: b, patents: 60}, {id: c, patents: 40}]
regimes:
  - {name: open (GSM-style), makers: competitive, pricing: pool}
  - {name: closed (CDMA-style), makers: 3, pricing: independent}
  - {name: capped, makers: competitive, pricing: independent, cap_total: 30}
  - {name: published rate, makers: 10, pricing: fixed, rate: 25}
"""


class RegisterApp(App):
    """An application whose register is built in memory (no database)."""

    def __init__(self, register: Register) -> None:
        super().__init__(url=NO_DATABASE)
        self.register = register
        self.loads = 0

    def load_register(self) -> Register:
        self.loads += 1
        return self.register


REGISTER = Register(
    members=(Member("lenovo", "Lenovo"), Member("tcl", "TCL")),
    standards=(Standard("IGRS", "IGRS", (StandardVersion("1.0"),)),),
    patents=(
        Patent("CN", "1", "lenovo", dt.date(2007, 1, 1)),
        Patent("CN", "2", "lenovo", dt.date(2008, 1, 1)),
        Patent("CN", "3", "tcl", dt.date(2009, 1, 1)),
    ),
    declarations=tuple(Declaration(f"CN{n}", "IGRS", "1.0") for n in "123"),
)


def run(tmp_path: Path, text: str, *args: str, app: App | None = None) -> Result:
    path = tmp_path / "s.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return CliRunner().invoke(compare, [str(path), *args], obj=app or App(url=NO_DATABASE))


def error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    return result.output


def test_table(tmp_path: Path) -> None:
    result = run(tmp_path, CONTRACT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "IGRS open vs closed: demand P = 100 - 1 Q, unit cost 20, 3 holders (200 patents)"
    )
    assert lines[1] == "Royalty-free benchmark (price at cost): quantity 80.00, welfare 3200.00"
    assert re.split(r"\s{2,}", lines[5]) == [
        "open (GSM-style)",
        "competitive",
        "pool",
        "40.00",
        "60.00",
        "40.00",
        "1600.00",
        "0.00",
        "800.00",
        "2400.00",
        "800.00",
    ]
    assert re.split(r"\s{2,}", lines[6])[2:] == [
        "independent",
        "60.00",
        "85.00",
        "15.00",
        "900.00",
        "75.00",
        "112.50",
        "1087.50",
        "2112.50",
    ]
    assert "Rate per unit, by holder" in result.output
    assert "Income, by member" in result.output
    assert re.split(r"\s{2,}", lines[-3]) == ["a", "800.00", "300.00", "750.00", "625.00"]


def test_json_has_the_contract_keys(tmp_path: Path) -> None:
    result = run(tmp_path, CONTRACT, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    closed = payload["regimes"][1]
    assert {
        "name",
        "royalty_stack",
        "holder_rates",
        "price",
        "quantity",
        "holders_income",
        "makers_profit",
        "consumer_surplus",
        "welfare",
        "deadweight_loss",
        "members",
    } <= set(closed)
    assert closed["name"] == "closed (CDMA-style)"
    assert closed["makers"] == 3
    assert closed["holder_rates"] == {"a": 20.0, "b": 20.0, "c": 20.0}
    assert (closed["royalty_stack"], closed["price"], closed["quantity"]) == (60.0, 85.0, 15.0)
    assert closed["consumer_surplus"] == 112.5
    assert closed["members"] == {"a": 300.0, "b": 300.0, "c": 300.0}
    assert payload["benchmark"] == {"quantity": 80.0, "welfare": 3200.0}
    assert payload["regimes"][0]["makers"] == "competitive"


def test_holders_sweep(tmp_path: Path) -> None:
    result = run(tmp_path, CONTRACT, "--sweep", "holders=1:30", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert len(rows) == 30 * 4
    closed = [r for r in rows if r["name"] == "closed (CDMA-style)"]
    assert [r["value"] for r in closed] == list(range(1, 31))
    assert closed[29]["royalty_stack"] == pytest.approx(30 * 80 / 31)
    assert closed[29]["holder_rates"]["h30"] == pytest.approx(80 / 31)
    assert {r["royalty_stack"] for r in rows if r["name"] == "open (GSM-style)"} == {40.0}


def test_sweep_table_and_steps(tmp_path: Path) -> None:
    result = run(tmp_path, CONTRACT, "--sweep", "slope=0.5:1.5:0.5")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "IGRS open vs closed: sweep of slope"
    assert lines[2].startswith("sweep slope  regime")
    assert [re.split(r"\s{2,}", line.strip())[0] for line in lines[4::4]] == ["0.5", "1", "1.5"]
    result = run(tmp_path, CONTRACT, "--sweep", "makers=1,3,10", "--format", "json")
    closed = [r for r in json.loads(result.output)["rows"] if r["name"] == "closed (CDMA-style)"]
    assert [(r["value"], r["makers"], r["quantity"]) for r in closed] == [
        (1, 1, 10.0),
        (3, 3, 15.0),
        (10, 10, pytest.approx(200 / 11)),
    ]


def test_register_scenario(tmp_path: Path) -> None:
    text = CONTRACT.replace(
        "holders: [{id: a, patents: 100}, {id: b, patents: 60}, {id: c, patents: 40}]",
        'holders: {standard: IGRS, version: "1.0"}\n  as_of: 2026-06-01',
    )
    app = RegisterApp(REGISTER)
    result = run(tmp_path, text, "--format", "json", app=app)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["holders"] == [
        {"id": "lenovo", "patents": 2, "member": "lenovo"},
        {"id": "tcl", "patents": 1, "member": "tcl"},
    ]
    assert payload["regimes"][0]["members"] == pytest.approx({"lenovo": 3200 / 3, "tcl": 1600 / 3})
    # A holders sweep replaces the register's holders: no register is read.
    result = run(tmp_path, text, "--sweep", "holders=1:2", app=app)
    assert result.exit_code == 0, result.output
    assert app.loads == 1


def test_years(tmp_path: Path) -> None:
    text = CONTRACT.replace(
        "holders: [{id: a, patents: 100}, {id: b, patents: 60}, {id: c, patents: 40}]",
        'holders: {standard: IGRS, version: "1.0"}',
    )
    result = run(
        tmp_path, text, "--years", "2026:2030", "--format", "json", app=RegisterApp(REGISTER)
    )
    assert result.exit_code == 0, result.output
    years = json.loads(result.output)["years"]
    assert [y["year"] for y in years] == [2026, 2027, 2028, 2029, 2030]
    assert [y["patents"] for y in years] == [3, 2, 1, 0, 0]  # filed 2007-2009, 20-year terms
    assert [[h["id"] for h in y["holders"]] for y in years] == [
        ["lenovo", "tcl"],
        ["lenovo", "tcl"],
        ["tcl"],
        [],
        [],
    ]
    closed = [y["regimes"][1] for y in years]
    assert [c["royalty_stack"] for c in closed] == [pytest.approx(160 / 3)] * 2 + [40.0, 0.0, 0.0]
    assert years[2]["regimes"][0]["members"] == {"tcl": 1600.0}
    table = run(tmp_path, text, "--years", "2026:2027", app=RegisterApp(REGISTER)).output
    assert table.splitlines()[0] == (
        "IGRS open vs closed: holders of IGRS 1.0 in force on 1 January of each year"
    )
    assert "year  member  declared in force  open (GSM-style)" in table


def test_inline_members_are_checked_when_named(tmp_path: Path) -> None:
    text = CONTRACT.replace("{id: a, patents: 100}", "{id: a, patents: 100, member: nokia}")
    assert error(run(tmp_path, text, app=RegisterApp(REGISTER))) == (
        f"Error: {tmp_path / 's.yaml'}:5: scenario.holders.0.member: unknown member 'nokia'\n"
    )
    text = CONTRACT.replace("{id: a, patents: 100}", "{id: a, patents: 100, member: lenovo}")
    assert run(tmp_path, text, app=RegisterApp(REGISTER)).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--sweep", "holders"],
            "--sweep: expected PARAMETER=FROM:TO[:STEP] or PARAMETER=V1,V2,... (got 'holders')",
        ),
        (
            ["--sweep", "=1:3"],
            "--sweep: expected PARAMETER=FROM:TO[:STEP] or PARAMETER=V1,V2,... (got '=1:3')",
        ),
        (
            ["--sweep", "holders="],
            "--sweep: expected PARAMETER=FROM:TO[:STEP] or PARAMETER=V1,V2,... (got 'holders=')",
        ),
        (
            ["--sweep", "colour=1:3"],
            "--sweep: unknown parameter 'colour'; choose from holders, intercept, slope, "
            "unit_cost, makers, rate, rate_per_holder, cap_total, cap_per_holder, member_makers",
        ),
        (
            ["--sweep", "holders=30:1"],
            "--sweep holders=30:1: the range is empty (FROM is above TO)",
        ),
        (["--sweep", "holders=1:x"], "--sweep holders: 'x' is not a number"),
        (
            ["--sweep", "holders=1:2:3:4"],
            "--sweep holders: expected FROM:TO or FROM:TO:STEP (got '1:2:3:4')",
        ),
        (["--sweep", "holders=1:5:0"], "--sweep holders: the step must be greater than 0 (got 0)"),
        (["--sweep", "holders=1:2.5"], "--sweep holders: 2.5 is not a whole number"),
        (["--sweep", "holders=0:2"], "sweep holders=0: holders: must be at least 1 (got 0)"),
        (["--sweep", "rate=1:5000"], "--sweep rate: 5000 values; at most 1000"),
        (
            ["--sweep", "rate=1:1e999999999"],
            "--sweep rate: '1e999999999' is out of range (at most 15 digits before the decimal point and 12 after)",
        ),
        (
            ["--sweep", "slope=1e-99,1"],
            "--sweep slope: '1e-99' is out of range (at most 15 digits before the decimal point and 12 after)",
        ),
        (
            ["--sweep", "slope=-1,1"],
            "sweep slope=-1: demand.slope: must be greater than 0 (got -1)",
        ),
        (
            ["--sweep", "makers=0,1"],
            "sweep makers=0: makers: must be 'competitive' or a whole number of at least 1 (got 0)",
        ),
        (
            ["--sweep", "cap_per_holder=1:3"],
            "sweep: no regime sets cap_per_holder, so sweeping it changes nothing",
        ),
        (["--sweep", "rate=-5,5"], "sweep rate=-5: rate: must not be negative (got -5)"),
        (["--years", "2030"], None),
        (["--years", "soon"], "--years: expected FROM:TO, e.g. 2026:2040 (got 'soon')"),
        (["--years", "2040:2026"], "--years 2040:2026: the range is empty (FROM is after TO)"),
        (["--years", "2000:2400"], "--years: 401 years; at most 200"),
        (
            ["--years", "2026:2030", "--sweep", "holders=1:3"],
            "--sweep and --years cannot be used together",
        ),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], message: str | None) -> None:
    result = run(tmp_path, CONTRACT, *args)
    if message is None:  # a well-formed --years on inline holders: they have no expiry dates
        message = (
            f"{tmp_path / 's.yaml'}:5: scenario.holders: given inline, so their patents have no "
            "expiry dates; give them as {standard, version} to take them from the register"
        )
    assert error(result) == f"Error: {message}\n"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("slope: 1", "slope: 0", "s.yaml:3: scenario.demand.slope: must be greater than 0 (got 0)"),
        (
            "unit_cost: 20",
            "unit_cost: 100",
            "s.yaml:4: scenario.unit_cost: 100 is not below the demand intercept 100: nobody would "
            "pay what the product costs to make, so there is no market at all",
        ),
        ("rate: 25", "rate: -25", "s.yaml:10: regimes.3.rate: must not be negative (got -25)"),
        (
            "cap_total: 30",
            "cap_total: -30",
            "s.yaml:9: regimes.2.cap_total: must not be negative (got -30)",
        ),
        (
            "makers: 3",
            "makers: 0",
            "s.yaml:8: regimes.1.makers: must be 'competitive' or a whole number of at least 1 (got 0)",
        ),
        (
            "holders: [{id: a, patents: 100}, {id: b, patents: 60}, {id: c, patents: 40}]",
            "holders: []",
            "s.yaml:5: scenario.holders: the holder list is empty",
        ),
        (
            "pricing: pool}",
            "pricing: pool, openness: high}",
            "s.yaml:7: regimes.0.openness: unknown key (known keys: name, makers, pricing, rate, "
            "rate_per_holder, cap_total, cap_per_holder, cross_license, member_makers)",
        ),
    ],
)
def test_bad_scenarios(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in CONTRACT
    result = run(tmp_path, CONTRACT.replace(old, new))
    assert error(result) == f"Error: {tmp_path}/{message}\n"


def test_a_register_scenario_without_a_register(tmp_path: Path) -> None:
    text = CONTRACT.replace(
        "holders: [{id: a, patents: 100}, {id: b, patents: 60}, {id: c, patents: 40}]",
        'holders: {standard: GSM, version: "phase-2"}',
    )
    result = run(tmp_path, text, app=RegisterApp(REGISTER))
    assert error(result) == (
        f"Error: {tmp_path / 's.yaml'}:5: scenario.holders.standard: unknown standard 'GSM' in "
        "the register\n"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(compare, [str(tmp_path / "none.yaml")], obj=App(url=NO_DATABASE))
    assert error(result).startswith(f"Error: {tmp_path / 'none.yaml'}:0: file: cannot be read")


# --- the samples -------------------------------------------------------------------------


def test_the_inline_sample_runs_without_a_database() -> None:
    result = CliRunner().invoke(
        compare, [str(REPO / "samples/regimes/inline-demo.yaml")], obj=App(url=NO_DATABASE)
    )
    assert result.exit_code == 0, result.output


def readme_examples() -> list[tuple[list[str], str]]:
    """Each ``$ patentpool compare ...`` block of samples/regimes/README.md and its output."""
    text = (REPO / "samples/regimes/README.md").read_text(encoding="utf-8")
    examples = []
    for block in re.findall(r"```text\n(.*?)```", text, flags=re.DOTALL):
        command, _, output = block.partition("\n")
        if command.startswith("$ patentpool compare "):
            examples.append((command.split()[3:], output))
    return examples


def test_the_readme_shows_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    examples = readme_examples()
    assert examples
    for args, output in examples:
        result: Any = CliRunner().invoke(compare, args, obj=App(url=NO_DATABASE))
        assert result.exit_code == 0, result.output
        assert result.output == output, " ".join(args)


def test_the_docs_show_the_current_help() -> None:
    help_text = CliRunner().invoke(compare, ["--help"], prog_name="patentpool compare").output
    docs = (REPO / "docs/regimes.md").read_text(encoding="utf-8")
    assert f"$ patentpool compare --help\n{help_text}```" in docs
