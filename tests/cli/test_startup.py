"""The command moves what it imported out of the garbage collector's sight before working."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import gc, sys
from patentpool import cli
assert gc.get_freeze_count() == 0
sys.argv = ["patentpool", "--version"]
try:
    cli.main()
except SystemExit:
    pass
print(gc.get_freeze_count())
"""


def test_the_command_settles_its_imports_before_it_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[-1]) > 50_000  # SQLAlchemy, pydantic, click and patentpool's own modules
