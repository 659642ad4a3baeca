"""A quarter is priced once for all its distributions, and again when its inputs change."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from licensing_files import LICENSING, PAYMENTS, SALES, SALES_HEADER
from register_files import write

import patentpool.core.licensing as licensing
import patentpool.services.distributions as distributions
import patentpool.services.quarters as quarters
import patentpool.services.royalties as royalties_service
from patentpool.core.periods import Period
from patentpool.services.imports import import_paths
from patentpool.services.quarters import quarter_totals
from patentpool.services.royalties import program_context, royalties
from patentpool.storage.engine import session_for

Q4 = Period.parse("2025Q4")


def imported(url: str, tmp_path: Path, payments: str | None = None) -> Path:
    """The folder of the licensing, the sales (and the payments), imported into ``url``."""
    folder = tmp_path / "lic"
    folder.mkdir()
    write(folder, "licensing.yaml", LICENSING)
    write(folder, "sales.csv", SALES_HEADER + SALES)
    if payments is not None:
        write(folder, "payments.csv", payments)
    with session_for(url) as session:
        import_paths(session, [folder])
    return folder


def totals(url: str) -> tuple[Decimal, dict[str, Decimal], int, bool]:
    with session_for(url) as session:
        found = quarter_totals(session, program_context(session, "demo-v1"), Q4)
    return found.total_due, found.by_country, found.priced_lines, found.reused


def test_totals_are_reused_until_an_input_changes(small_register: str, tmp_path: Path) -> None:
    folder = imported(small_register, tmp_path, PAYMENTS)
    first = totals(small_register)
    assert first == (Decimal("680.00"), {"CN": Decimal("675.00"), "DE": Decimal("5.00")}, 4, False)
    assert totals(small_register) == (*first[:3], True)
    with session_for(small_register) as session:
        full = royalties(session, "demo-v1", Q4)
    assert (full.total_due, full.royalties_by_country()) == first[:2]
    # a corrected report changes the inputs: priced again, and the new totals are right
    write(
        folder,
        "sales.csv",
        SALES_HEADER + SALES.replace("acme,2025Q4,US,CN,tv,1000", "acme,2025Q4,US,CN,tv,2000"),
    )
    with session_for(small_register) as session:
        import_paths(session, [folder / "sales.csv"])
    again = totals(small_register)
    assert again[3] is False
    assert again[0] == Decimal("1130.00")  # 450.00 more for acme's 1,000 more US units
    # a licensee's standing changes the inputs too
    write(
        folder, "licensing.yaml", LICENSING.replace("good_standing: true", "good_standing: false")
    )
    with session_for(small_register) as session:
        import_paths(session, [folder / "licensing.yaml"])
    assert totals(small_register)[:2] == (
        Decimal("1255.00"),
        {"CN": Decimal("1250.00"), "DE": Decimal("5.00")},
    )


def test_royalties_command_keeps_the_totals_for_distributions(
    small_register: str, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from patentpool.cli import cli

    imported(small_register, tmp_path)
    args = ["--db", small_register, "royalties", "--program", "demo-v1", "--period", "2025Q4"]
    assert CliRunner().invoke(cli, [*args, "--licensee", "acme"]).exit_code == 0
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert totals(small_register) == (
        Decimal("680.00"),
        {"CN": Decimal("675.00"), "DE": Decimal("5.00")},
        4,
        True,
    )


def test_totals_kept_under_earlier_pricing_rules_are_priced_again(
    small_register: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Totals kept by a version of patentpool whose rules priced the quarter otherwise are not
    reused: the edition of the rules is one of the inputs."""
    from patentpool.core.royalties import PRICING_RULES

    imported(small_register, tmp_path)
    assert totals(small_register)[3] is False
    assert totals(small_register)[3] is True
    monkeypatch.setattr("patentpool.services.quarters.PRICING_RULES", PRICING_RULES + 1)
    assert totals(small_register)[3] is False
    assert totals(small_register)[3] is True


def test_a_quarter_priced_and_kept_works_out_its_counted_patents_once(
    small_register: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(small_register, tmp_path)
    calls: list[str] = []
    real = licensing.counted_by_key

    def counting(*args: object) -> object:
        calls.append("counted")
        return real(*args)  # type: ignore[arg-type]

    for module in (licensing, royalties_service, quarters, distributions):
        monkeypatch.setattr(module, "counted_by_key", counting, raising=False)
    with session_for(small_register) as session:
        ctx = program_context(session, "demo-v1")
        found = quarter_totals(session, ctx, Q4)  # priced (not kept yet), then kept
    assert (found.total_due, found.reused) == (Decimal("680.00"), False)
    assert calls == ["counted"]  # for the pricing and the checksum alike
    assert ctx.counted is ctx.counted
