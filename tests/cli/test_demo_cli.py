"""``patentpool demo`` builds its register in its own folder, and only there."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

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
    again = CliRunner().invoke(cli, ["demo", "--dir", str(folder)])
    assert again.exit_code == 0, again.output


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path} is not empty and was not made by `patentpool demo`; "
        "refusing to overwrite it (choose another folder with --dir)\n"
    )
    assert (tmp_path / "precious.txt").read_text() == "keep me"
