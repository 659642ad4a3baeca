"""`patentpool royalties --lines` on the demo's database: each line named by its file as
imported, and a reason for every line that owes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from patentpool.cli import cli


def test_lines_name_their_file_and_say_why_nothing_is_due(
    demo_database: Path, tmp_path: Path
) -> None:
    db = shutil.copy(demo_database, tmp_path / "demo.db")
    args = ["--db", f"sqlite:///{db}", "royalties", "--program", "igrs-v1", "--period", "2026Q1"]
    result = CliRunner().invoke(cli, [*args, "--licensee", "lenovo", "--lines"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\nlenovo:\n")[1].splitlines()
    assert lines[0].split() == ["line", "sold", "made", "category", "units", "due", "note"]
    assert [line.split(None, 6) for line in lines[2:]] == [
        ["sales-2026Q1.csv:24", "CN", "CN", "tv", "786400", "0.00", "member discount 100%"],
        ["sales-2026Q1.csv:25", "IN", "CN", "tv", "99500", "0.00", "member discount 100%"],
    ]
