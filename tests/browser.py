"""One headless Chromium (Playwright driving the system's Chromium) for a test process.

The ``browser`` fixture of tests/conftest.py starts it at most once per session (once per
pytest-xdist worker); each test opens pages of its own in it. Without Chromium the browser
tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, sync_playwright

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system's Chromium, or None when it is not installed."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium, closed on leaving; skips (fails under CI=true) without one."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed (CI=true requires it; .ci/run installs it)")
        pytest.skip("Chromium is not installed: apt-get install chromium to run browser tests")
    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        try:
            yield opened
        finally:
            opened.close()
