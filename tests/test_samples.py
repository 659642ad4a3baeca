"""Every shipped sample imports cleanly, and the IGRS sample holds what its README says."""

from __future__ import annotations

import datetime as dt

import pytest
from paths import SAMPLES

from patentpool.core.register import CountBy, count_declarations
from patentpool.services.imports import import_paths
from patentpool.storage.engine import session_for
from patentpool.storage.repository import load_register


@pytest.mark.parametrize("name", ["igrs-v1", "gsm", "cdma"])
def test_sample_register_imports(db_url: str, name: str) -> None:
    folder = SAMPLES / name
    with session_for(db_url) as session:
        summary = import_paths(session, [folder / "alliance.yaml", folder / "patents.csv"])
    assert summary.changed
    with session_for(db_url) as session:
        again = import_paths(session, [folder / "alliance.yaml", folder / "patents.csv"])
        register = load_register(session)
    assert not again.changed
    assert register.patents


def test_igrs_sample_counts(sqlite_url: str) -> None:
    folder = SAMPLES / "igrs-v1"
    with session_for(sqlite_url) as session:
        import_paths(session, [folder / "alliance.yaml", folder / "patents.csv"])
        register = load_register(session)
    rows, total = count_declarations(register, "IGRS", "1.0", dt.date(2026, 3, 31), CountBy.MEMBER)
    assert total.declared == 204
    assert sum(r.declared for r in rows) == 204
    assert {
        p.jurisdiction
        for p in register.patents
        if p.key in {d.patent for d in register.declarations if d.version == "1.0"}
    } == {"CN"}
    # declared, evaluated essential and in force are deliberately different numbers
    assert total.declared > total.essential > total.essential_in_force > 0
    assert total.in_force < total.declared
    assert len({r.group for r in rows}) == len(register.members)
    later = count_declarations(register, "IGRS", "1.0", dt.date(2028, 12, 31))[1]
    assert later.essential_in_force < total.essential_in_force


@pytest.mark.parametrize(
    ("register", "scenario", "holders"),
    [("igrs-v1", "igrs.yaml", 9), ("gsm", "gsm.yaml", 12), ("cdma", "cdma.yaml", 4)],
)
def test_register_backed_regime_samples(
    sqlite_url: str, register: str, scenario: str, holders: int
) -> None:
    import json

    from click.testing import CliRunner

    from patentpool.cli import cli

    folder = SAMPLES / register
    with session_for(sqlite_url) as session:
        import_paths(session, [folder])  # the IGRS scenario names the sample's programme
    result = CliRunner().invoke(
        cli,
        ["--db", sqlite_url, "compare", str(SAMPLES / "regimes" / scenario), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    by_name = {r["name"]: r for r in doc["regimes"]}
    open_, closed = by_name["open (GSM-style)"], by_name["closed (CDMA-style)"]
    assert len(open_["holder_rates"]) == holders
    # a pool of complements prices below the independent stack and sells more
    assert open_["quantity"] >= closed["quantity"]
    assert abs(sum(open_["members"].values()) - open_["holders_income"]) < 1e-6


def test_igrs_counts_json_through_the_cli(sqlite_url: str) -> None:
    import json

    from click.testing import CliRunner

    from patentpool.cli import cli

    folder = SAMPLES / "igrs-v1"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", sqlite_url, "import", str(folder)]).exit_code == 0
    args = [
        "--db",
        sqlite_url,
        "counts",
        "--standard",
        "IGRS",
        "--version",
        "1.0",
        "--format",
        "json",
    ]
    early = json.loads(runner.invoke(cli, [*args, "--as-of", "2026-03-31"]).stdout)
    late = json.loads(runner.invoke(cli, [*args, "--as-of", "2028-12-31"]).stdout)
    assert early["total"]["declared"] == late["total"]["declared"] == 204
    assert sum(g["declared"] for g in early["groups"]) == 204
    assert sum(g["in_force"] for g in early["groups"]) == early["total"]["in_force"]
    assert early["total"]["in_force"] > late["total"]["in_force"]
    assert early["total"]["essential"] < 204


def test_igrs_scenario_splits_pool_income_by_the_programme_policy(sqlite_url: str) -> None:
    import datetime as dt
    import json

    from click.testing import CliRunner

    from patentpool.cli import cli
    from patentpool.core.allocation import policy_shares
    from patentpool.services.licensing import load_programs

    with session_for(sqlite_url) as session:
        import_paths(session, [SAMPLES / "igrs-v1"])
        register = load_register(session)
        program = load_programs(session)["igrs-v1"][0]
    shares = policy_shares(program, register, dt.date(2026, 3, 31))
    result = CliRunner().invoke(
        cli,
        ["--db", sqlite_url, "compare", str(SAMPLES / "regimes" / "igrs.yaml"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    pool = next(r for r in json.loads(result.stdout)["regimes"] if r["name"] == "open (GSM-style)")
    total = pool["holders_income"]
    for member, income in pool["members"].items():
        assert abs(income - total * float(shares.get(member, 0))) < 1e-6, member
