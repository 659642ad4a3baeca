"""A register without events answers exactly as it did before events existed.

The figures are those the command printed for the IGRS sample (without its events.csv) before
dated events were added: each run's inputs checksum (every counted patent with its owner,
territories and essentiality, the sales reports, the royalties by country) and the SHA-256 of
three answers.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from patentpool.cli import cli

IGRS = Path(__file__).resolve().parents[2] / "samples" / "igrs-v1"

RUNS = {
    "2026Q1": "31266ced1b6484d04c9e9fe9ebc700e6fc8a237eb0a4484282064fe1afbee800",
    "2026Q2": "986ec53f15f40f85c6027909f40747dca0329e084b13ba80f65d7e6434d884fa",
}
ANSWERS = {
    ("counts", "--standard", "IGRS", "--version", "1.0", "--as-of", "2026-06-30", "--format",
     "csv"): "0f73a82e1aa4798a0546bdfe621642def2991c6b73f82ab5a964db5d0dfc424c",
    ("patents", "list", "--in-force-on", "2026-06-30", "--format", "csv"):
        "9e21845a0ebf8646c5fa5e520f19b41a27acdef32c117ea087a291b13ea9e5a7",
    ("report", "pool", "--as-of", "2026-06-30", "--format", "json"):
        "ef1e59a98b5e33a80fe514dcaec417b54653c8dff2da8b57255623117553f286",
}  # fmt: skip


def test_a_register_without_events_answers_as_before(sqlite_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "igrs-without-events"
    shutil.copytree(IGRS, folder)
    (folder / "events.csv").unlink()
    runner = CliRunner()

    def ok(*args: str | Path) -> str:
        result = runner.invoke(cli, ["--db", sqlite_url, *map(str, args)])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    assert "  events " not in ok("import", folder)
    for period, checksum in RUNS.items():
        ok("royalties", "--program", "igrs-v1", "--period", period)
        out = ok("distribute", "--program", "igrs-v1", "--period", period)
        assert out.splitlines()[-1].endswith(f"inputs sha256 {checksum}"), period
    for args, digest in ANSWERS.items():
        assert hashlib.sha256(ok(*args).encode()).hexdigest() == digest, args
