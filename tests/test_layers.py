"""The layers of docs/architecture.md hold: the import contracts of pyproject.toml are kept.

``lint-imports`` (import-linter) reads ``[tool.importlinter]`` and checks every import of the
package, direct and through other modules; a broken contract fails here with its report (the
chain of imports that breaks it). An ``ignore_imports`` entry that no longer matches an import
fails as well, so the list of exceptions only shrinks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from paths import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(where / "pyproject.toml")],
        cwd=where,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=120,
    )


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_contract_names_the_package_and_is_checked() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    assert config["root_package"] == "patentpool"
    names = [c["name"] for c in config["contracts"]]
    result = lint_imports(ROOT)
    for name in names:
        assert name in result.stdout, f"contract {name!r} was not checked"


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        ("core/_probe.py", "import sqlalchemy\n", "core imports no edge"),
        ("core/_probe.py", "from patentpool.io import readers\n", "core imports no edge"),
        ("io/_probe.py", "from patentpool.storage import engine\n", "io never imports storage"),
        ("storage/_probe.py", "from patentpool.io import readers\n", "storage never imports io"),
        ("reports/_probe.py", "from patentpool.storage import models\n", "reports never"),
        ("cli/_probe.py", "from patentpool.storage import engine\n", "cli reaches storage"),
        ("cli/_probe.py", "from patentpool.io import readers\n", "cli reaches storage"),
        # readers imports problems: problems importing readers makes a cycle
        ("io/problems.py", "from patentpool.io import readers\n", "no import cycles"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, source: str, contract: str
) -> None:
    """The contracts catch what they forbid: one import added to a copy of the package."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "patentpool",
        tmp_path / "patentpool",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    probe = tmp_path / "patentpool" / module
    probe.write_text((probe.read_text() if probe.exists() else "") + source)
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout
    assert f".{Path(module).stem}" in result.stdout  # the report names the module
