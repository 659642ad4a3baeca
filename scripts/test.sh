#!/usr/bin/env bash
# The project's test command: lint, type-check and run the whole test suite.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -k storage # extra arguments go to pytest
#
# Creates .venv (if missing) and installs the package with its test extras into it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

python="${PYTHON:-python3}"
if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
    echo "== creating .venv with $python"
    rm -rf .venv
    "$python" -m venv .venv
fi

echo "== installing patentpool with its test extras"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== ruff check"
.venv/bin/ruff check .

echo "== mypy"
.venv/bin/mypy

echo "== pytest"
# pytest exits 5 when it collected no test; that fails this script like any other failure.
# One worker process per core (pytest-xdist); --dist loadfile keeps each test file in one
# worker, so a module's fixtures are built once. Each worker starts its own PostgreSQL server
# and its own Chromium. PATENTPOOL_TEST_WORKERS=0 runs everything in this one process.
exec .venv/bin/pytest -q -n "${PATENTPOOL_TEST_WORKERS:-auto}" --dist loadfile "$@"
