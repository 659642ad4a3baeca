"""Start-up: help loads no heavy library; a command settles its imports before it works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "igrs-v1"

#: What no ``--help`` and no ``--version`` may import: the libraries of the commands that work.
HEAVY = (
    "python_calamine",
    "openpyxl",
    "matplotlib",
    "weasyprint",
    "docx",
    "pyarrow",
    "numpy",
    "sqlalchemy",
    "alembic",
    "pydantic",
    "jinja2",
    "babel",
    "yaml",
    "fastapi",
    "starlette",
    "uvicorn",
    "argon2",
    "openpyxl",
    "calamine",
)

HELP_EVERYWHERE = """
import sys
import click
from patentpool import cli

def paths(group, prefix):
    for name, command in group.commands.items():
        yield prefix + [name]
        if isinstance(command, click.Group):
            yield from paths(command, prefix + [name])

every = [[]] + list(paths(cli.cli, []))
for args in every + [["--version"]]:
    sys.argv = ["patentpool", *args, *([] if args == ["--version"] else ["--help"])]
    try:
        cli.main()
    except SystemExit as exc:
        assert exc.code == 0, (args, exc.code)
print(len(every))
print(" ".join(sorted({name.partition(".")[0] for name in sys.modules})))
"""


def test_no_help_and_no_version_imports_a_heavy_library() -> None:
    out = subprocess.run(
        [sys.executable, "-c", HELP_EVERYWHERE], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert int(out[-2]) > 30  # every command and subcommand, each asked for --help
    loaded = set(out[-1].split())
    assert "click" in loaded
    assert sorted(loaded.intersection(HEAVY)) == []


SETTLES = """
import gc, sys
from patentpool import cli

url, samples = sys.argv[1], sys.argv[2]

def run(*args):
    sys.argv = ["patentpool", "--db", url, *args]
    try:
        cli.main()
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code

run("import", samples)
print(gc.get_freeze_count(), " ".join(sorted(sys.modules)))
"""


def test_the_command_settles_its_imports_before_it_works(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    subprocess.run([sys.executable, "-m", "patentpool", "--db", url, "db", "upgrade"], check=True)
    out = subprocess.run(
        [sys.executable, "-c", SETTLES, url, str(SAMPLES)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[-1].split()  # after the import's summary
    frozen, loaded = int(out[0]), set(out[1:])
    assert {"sqlalchemy", "pydantic", "patentpool.storage.models"} <= loaded
    # what the import loaded (SQLAlchemy, pydantic, the models) was frozen before it worked
    assert frozen > 50_000
