"""docs/portal.md's examples, replayed: its `patentpool` commands run on a copy of the demo
register, its `curl` commands against the portal served on that register, in order, and each
prints what the page shows (a line ending in `...` stands for a line that begins so)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from live import served
from paths import ROOT
from test_readme import Step, tour

from patentpool.cli import cli
from patentpool.storage.engine import dispose_all
from patentpool.storage.migrate import upgrade

DOC = ROOT / "docs" / "portal.md"
SHOWN_BASE = "http://127.0.0.1:8000"


def _same(expected: list[str], actual: list[str]) -> bool:
    if len(expected) != len(actual):
        return False
    return all(
        a.startswith(e[:-3].rstrip()) if e.endswith("...") else a == e
        for e, a in zip(expected, actual, strict=True)
    )


def _patentpool(command: str) -> list[str]:
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 0, (command, result.output)
    return result.stdout.rstrip("\n").splitlines()


def _curl(command: str, base: str, env: dict[str, str], folder: Path) -> list[str]:
    done = subprocess.run(
        ["bash", "-c", command.replace(SHOWN_BASE, base)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (command, done.stderr)
    return done.stdout.rstrip("\n").splitlines()


def test_the_portal_examples_print_what_the_page_shows(
    demo_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("curl") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("curl is not installed (CI=true requires it; .ci/run installs it)")
        pytest.skip("curl is not installed: apt-get install curl to replay docs/portal.md")
    shutil.copy(demo_database, tmp_path / "patentpool.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PATENTPOOL_DATABASE_URL", raising=False)
    dispose_all()
    url = f"sqlite:///{tmp_path / 'patentpool.db'}"
    upgrade(url)
    env = {**os.environ}
    failures: list[str] = []
    ran = 0
    try:
        with served(url) as base:
            for step in tour(DOC.read_text(encoding="utf-8")):
                if not isinstance(step, Step):
                    name, text = step
                    (tmp_path / name).write_text(text, encoding="utf-8")
                    continue
                if step.command.startswith("patentpool "):
                    actual = _patentpool(step.command)
                    if actual and actual[0].startswith("pp_"):
                        env["TOKEN"] = actual[0]
                        env["HOME_TOKEN"] = _patentpool("patentpool users token home")[0]
                else:
                    assert step.command.startswith("curl "), step.command
                    actual = _curl(step.command, base, env, tmp_path)
                ran += 1
                if not _same(step.expected, actual):
                    failures.append(
                        f"docs/portal.md:{step.line}: `{step.command}` prints\n"
                        + "\n".join(actual)
                        + "\nnot\n"
                        + "\n".join(step.expected)
                    )
    finally:
        dispose_all()
    assert not failures, "\n\n".join(failures)
    assert ran >= 12, "docs/portal.md lost its examples"
