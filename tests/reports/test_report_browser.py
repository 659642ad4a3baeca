"""Each HTML report opened in headless Chromium: no console error, key figures in the rendered
text, no page wider than the viewport at 1280 and 390 px. Screenshots are kept in
test-artifacts/screenshots/ (a folder CI keeps).

Without Chromium the tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import report_data as data
from cdp import Browser, chromium, chromium_path

from patentpool.reports.render import render

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (1280, 390)
#: Figures each report must show, as the reader sees them.
KEY_FIGURES = {
    "pool": ["Pool report", "Expiry timeline", f"Evil {data.SCRIPT} Corp", "igx-1, igx-2"],
    "member": ["Member statement", "$6,374.25", "66.67%", "re-evaluated"],
    "license": ["Licence summary", "CN1000003B", "EP1000001B1", "Germany (DE)"],
    "distribution": ["$10,623.75", "$1,062.38", "$9,561.37", "$6,374.25", "$3,187.12"],
    "invoice": ["$11,500.00", "$1,150.00", "$10,350.00", "May 15, 2026"],
    "compare": ["Licensing regimes compared", "2,750.00", "FRAND cap"],
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Chromium is not installed (CI=true requires it; .ci/run installs it)")
        pytest.skip("Chromium is not installed: apt-get install chromium to run browser tests")
    with chromium(executable) as opened:
        yield opened


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(KEY_FIGURES))
def test_report_in_chromium(
    kind: str, width: int, browser: Browser, contexts: dict[str, Any], tmp_path: Path
) -> None:
    page = tmp_path / f"{kind}.html"
    html = render(kind, contexts[kind], "html")
    assert isinstance(html, str)
    page.write_text(html, encoding="utf-8")
    loaded = browser.load(page.as_uri(), width, SCREENSHOTS / f"{kind}-{width}.png")
    assert loaded.errors == []
    assert loaded.inner_width == width
    assert loaded.scroll_width <= loaded.inner_width, (
        f"{kind} is {loaded.scroll_width}px wide in a {width}px viewport"
    )
    for figure in KEY_FIGURES[kind]:
        assert figure in loaded.text


def test_a_page_with_an_error_is_caught(browser: Browser, tmp_path: Path) -> None:
    """The check can fail: a page that breaks its own policy is reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="img-src \'none\'">'
        '<div style="width:2000px">wide</div><img src="data:image/png;base64,AAAA">',
        encoding="utf-8",
    )
    loaded = browser.load(page.as_uri(), 390)
    assert loaded.errors
    assert loaded.scroll_width > loaded.inner_width


#: Figures each report of the demo must show (the IGRS sample, illustrative).
DEMO_FIGURES = {
    "pool.html": ["Pool report", "204"],
    "member-lenovo.html": ["Member statement", "$309,125.38"],
    "license-example-home.html": ["Licence summary", "Example Home Appliances GmbH"],
    "distribution-2026Q1.html": ["$1,096,896.52", "$109,689.65", "$987,206.87"],
    "invoice-example-home-2026Q1.html": ["$35,100.00"],
    "compare-igrs.html": ["Licensing regimes compared", "open (GSM-style)"],
}


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from patentpool.demo import run_demo
    from patentpool.storage.engine import dispose_all

    folder = tmp_path_factory.mktemp("demo") / "demo"
    run_demo(folder)
    dispose_all()
    return folder / "reports"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(DEMO_FIGURES))
def test_demo_report_in_chromium(
    name: str, width: int, browser: Browser, demo_reports: Path
) -> None:
    page = demo_reports / name
    assert page.is_file(), sorted(p.name for p in demo_reports.iterdir())
    loaded = browser.load(page.as_uri(), width, SCREENSHOTS / f"demo-{page.stem}-{width}.png")
    assert loaded.errors == []
    assert loaded.scroll_width <= loaded.inner_width, (
        f"{name} is {loaded.scroll_width}px wide in a {width}px viewport"
    )
    for figure in DEMO_FIGURES[name]:
        assert figure in loaded.text, figure
