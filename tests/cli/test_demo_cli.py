"""``patentpool demo`` builds its register in its own folder, and only there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from patentpool import demo
from patentpool.cli import cli


def test_demo_builds_and_can_run_again(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert "  total" in result.stdout
    total_line = next(
        line for line in result.stdout.splitlines() if line.strip().startswith("total")
    )
    assert total_line.split()[1] == "204"
    assert f"The demo database is {folder / 'patentpool.db'}" in result.stdout
    assert "Open (GSM-style) versus closed (CDMA-style) licensing for IGRS 1.0" in result.stdout
    assert "collected 1,096,896.52, admin fee 109,689.65" in result.stdout
    assert (
        "license-example-home.html, license-example-home.md, license-example-home.pdf"
        in result.stdout
    )
    assert (folder / "reports" / "pool.html").is_file()
    assert "distribution-2026Q1.html, distribution-2026Q1.md, distribution-2026Q1.xlsx" in (
        result.stdout
    )
    form = folder / "igrs-v1-royalty-report-form.xlsx"
    assert (
        f"The igrs-v1 royalty report form licensees fill in (Excel): {form}" in result.stdout
    )
    book = openpyxl.load_workbook(form)
    assert book.sheetnames == ["Sales", "Instructions", "Countries"]
    sheets = openpyxl.load_workbook(folder / "reports" / "distribution-2026Q1.xlsx").sheetnames
    assert sheets[:2] == ["Summary", "lines"]
    titles = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert titles == [
        "[1/5] Creating the register and importing the IGRS sample's members and patents ...",
        "[2/5] Importing licensees, sales and payments; royalties and distribution ...",
        "[3/5] Comparing open and closed licensing for IGRS 1.0 ...",
        "[4/5] Writing the reports ...",
        "[5/5] Opening the portal: one account per role ...",
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == titles[0]
    assert lines.index(titles[1]) < lines.index("Royalties due for igrs-v1 in 2026Q1 (USD):")
    assert f"Browse it with:  patentpool --db sqlite:///{folder / 'patentpool.db'} serve" in lines
    accounts = [line.split() for line in lines if line.startswith("  demo-") and " password " in line]
    assert [a[:2] for a in accounts] == [
        ["demo-staff", "staff"],
        ["demo-member", "member"],
        ["demo-licensee", "licensee"],
        ["demo-counsel", "counsel"],
    ]
    passwords = [a[-1] for a in accounts]
    assert len(set(passwords)) == 4
    assert all(len(p) >= 12 for p in passwords)
    from patentpool.services.accounts import login

    url = f"sqlite:///{folder / 'patentpool.db'}"
    assert login(url, "demo-member", passwords[1], "127.0.0.1").principal.member == "lenovo"
    again = CliRunner().invoke(cli, ["demo", "--dir", str(folder)])
    assert again.exit_code == 0, again.output
    assert passwords[0] not in again.stdout  # new random passwords each time


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path} is not empty and was not made by `patentpool demo`; "
        "refusing to overwrite it (choose another folder with --dir)\n"
    )
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_each_step_is_said_as_it_starts_and_its_lines_as_they_come(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []

    def step(name: str) -> Callable[[demo.DemoState], Iterator[str]]:
        def run(_state: demo.DemoState) -> Iterator[str]:
            said.append(f"<{name} starts>")
            yield f"{name}: first"
            said.append(f"<{name} goes on>")
            yield f"{name}: second"

        return run

    monkeypatch.setattr(demo, "STEPS", [("Loading", step("a")), ("Counting", step("b"))])
    state = demo.run_demo(tmp_path / "demo", echo=said.append)
    assert said[:12] == [
        "[1/2] Loading ...",
        "<a starts>",
        "a: first",
        "<a goes on>",
        "a: second",
        "",
        "[2/2] Counting ...",
        "<b starts>",
        "b: first",
        "<b goes on>",
        "b: second",
        "",
    ]
    assert [line for line in said if not line.startswith("<")] == state.lines
