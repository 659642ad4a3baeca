"""Each HTML report opened in headless Chromium (Playwright driving the system's Chromium) at
1280 and 390 px: no console error, key figures in the rendered text, the page no wider than the
viewport, every wide table scrolling in its own box with a visible cue, and chart text large
enough to read. Screenshots are kept in test-artifacts/screenshots/ (a folder CI keeps).

Without Chromium the tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import report_data as data
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from patentpool.reports.render import render

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = (1280, 390)
#: The smallest chart text, in CSS pixels as rendered.
MIN_CHART_TEXT_PX = 9.0
#: Figures each report must show, as the reader sees them.
KEY_FIGURES = {
    "pool": ["Pool report", "Expiry timeline", f"Evil {data.SCRIPT} Corp", "igx-1, igx-2"],
    "member": ["Member statement", "$6,374.25", "66.67%", "re-evaluated"],
    "license": ["Licence summary", "CN1000003B", "EP1000001B1", "Germany (DE)"],
    "distribution": ["$10,623.75", "$1,062.38", "$9,561.37", "$6,374.25", "$3,187.12"],
    "invoice": ["$11,500.00", "$1,150.00", "$10,350.00", "May 15, 2026"],
    "compare": ["Licensing regimes compared", "2,750.00", "FRAND cap"],
}

#: What the page reports about its layout: the body's width, every table's box and every
#: chart's rendered text.
_MEASURE = """() => {
  const wraps = Array.from(document.querySelectorAll('table')).map(table => {
    const wrap = table.closest('.table-wrap');
    if (!wrap) return {wrapped: false};
    const style = getComputedStyle(wrap), cue = getComputedStyle(wrap, '::before');
    return {wrapped: true, overflows: wrap.scrollWidth > wrap.clientWidth + 1,
            overflowX: style.overflowX, shadow: style.backgroundImage,
            cue: cue.display === 'none' || ['none', 'normal'].includes(cue.content)
              ? '' : cue.content,
            right: wrap.getBoundingClientRect().right};
  });
  const charts = Array.from(document.querySelectorAll('figure.chart')).map(figure => {
    const shown = Array.from(figure.querySelectorAll('svg'))
      .filter(svg => svg.getBoundingClientRect().width > 0);
    return {name: figure.dataset.chart, shown: shown.map(svg => {
      const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
      const texts = Array.from(svg.querySelectorAll('text'));
      return {right: box.right, scale: scale,
              sizes: texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale),
              text: texts.map(t => t.textContent).join(' ')};
    })};
  });
  const perYear = Array.from(document.querySelectorAll('#expiry table')).find(
    t => t.querySelector('th') && t.querySelector('th').textContent === 'On');
  return {
    scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    innerWidth: window.innerWidth,
    text: document.body.innerText,
    tables: wraps,
    charts: charts,
    members: perYear ? Array.from(perYear.querySelectorAll('thead th')).slice(1, -1)
      .map(th => th.textContent) : [],
  };
}"""


@dataclass
class Loaded:
    errors: list[str]
    layout: dict[str, Any]

    def chart(self, name: str) -> dict[str, Any]:
        """The drawing of chart ``name`` shown at this width (exactly one is)."""
        (figure,) = [c for c in self.layout["charts"] if c["name"] == name]
        assert len(figure["shown"]) == 1, f"{name}: {len(figure['shown'])} drawings shown"
        shown: dict[str, Any] = figure["shown"][0]
        return shown


def load(browser: Browser, url: str, width: int, screenshot: Path | None = None) -> Loaded:
    """``url`` at ``width`` px: the errors it logged (console, page, policy) and its layout."""
    page: Page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        devtools = page.context.new_cdp_session(page)  # what the browser itself logs (CSP)
        devtools.on("Log.entryAdded", lambda e: errors.append(e["entry"]["text"])
                    if e["entry"]["level"] == "error" else None)
        devtools.send("Log.enable")
        page.goto(url, wait_until="load")
        _settle_scroll_cues(page)
        layout = page.evaluate(_MEASURE)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=screenshot, full_page=True)
        return Loaded(sorted(set(errors)), layout)
    finally:
        page.close()


#: True once every table box's cue agrees with whether the box overflows. Chromium works out
#: scroll-state container queries (the cue) after layout, on a later frame: on a busy machine
#: the page's load event can come first.
_CUES_SETTLED = """() => [...document.querySelectorAll('.table-wrap')].every(wrap => {
  const cue = getComputedStyle(wrap, '::before');
  const shown = cue.display !== 'none' && !['none', 'normal'].includes(cue.content);
  return shown === (wrap.scrollWidth > wrap.clientWidth + 1);
})"""


def _settle_scroll_cues(page: Page) -> None:
    """Wait (up to 5 s) for the scroll cues to be worked out; the check that follows says what
    is wrong if they never agree."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(_CUES_SETTLED, timeout=5000)


def check_layout(name: str, loaded: Loaded, width: int) -> None:
    """No horizontal overflow of the page; wide tables scroll in their box, with a cue that
    shows only when there is more to see; chart text at least ``MIN_CHART_TEXT_PX``."""
    layout = loaded.layout
    assert layout["innerWidth"] == width
    assert layout["scrollWidth"] <= width, (
        f"{name} is {layout['scrollWidth']}px wide in a {width}px viewport"
    )
    for n, table in enumerate(layout["tables"], 1):
        assert table["wrapped"], f"{name}: table {n} is not in a .table-wrap"
        assert table["right"] <= width + 0.5, f"{name}: table {n}'s box passes the page"
        if table["overflows"]:
            assert table["overflowX"] in ("auto", "scroll"), f"{name}: table {n}"
            assert "gradient" in table["shadow"], f"{name}: table {n} has no edge shadow"
            assert "Scroll sideways" in table["cue"], f"{name}: table {n} has no scroll cue"
        else:
            assert table["cue"] == "", f"{name}: table {n} fits but shows {table['cue']}"
    for chart in layout["charts"]:
        shown = loaded.chart(chart["name"])
        assert shown["right"] <= width + 0.5
        small = min(shown["sizes"])
        assert small >= MIN_CHART_TEXT_PX, (
            f"{name}: chart {chart['name']} has text {small:.1f}px high at {width}px"
        )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(KEY_FIGURES))
def test_report_in_chromium(
    kind: str, width: int, browser: Browser, contexts: dict[str, Any], tmp_path: Path
) -> None:
    page = tmp_path / f"{kind}.html"
    html = render(kind, contexts[kind], "html")
    assert isinstance(html, str)
    page.write_text(html, encoding="utf-8")
    loaded = load(browser, page.as_uri(), width, SCREENSHOTS / f"{kind}-{width}.png")
    assert loaded.errors == []
    check_layout(kind, loaded, width)
    for figure in KEY_FIGURES[kind]:
        assert figure in loaded.layout["text"]


def test_a_page_with_an_error_is_caught(browser: Browser, tmp_path: Path) -> None:
    """The checks can fail: a page that breaks its own policy, overflows, holds a bare wide
    table and tiny chart text is reported."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!doctype html><meta http-equiv="Content-Security-Policy" content="img-src \'none\'">'
        '<div style="width:2000px">wide</div><img src="data:image/png;base64,AAAA">'
        '<table><tr><td>bare</td></tr></table>'
        '<figure class="chart" data-chart="c"><svg viewBox="0 0 1000 100" width="300">'
        '<text y="50" style="font-size: 10px">tiny</text></svg></figure>',
        encoding="utf-8",
    )
    loaded = load(browser, page.as_uri(), 390)
    assert loaded.errors
    with pytest.raises(AssertionError, match="wide in a 390px viewport"):
        check_layout("broken", loaded, 390)
    assert not loaded.layout["tables"][0]["wrapped"]
    assert loaded.chart("c")["sizes"] == [pytest.approx(3.0)]


def test_a_wide_table_shows_its_cue(
    browser: Browser, contexts: dict[str, Any], tmp_path: Path
) -> None:
    """On a phone, the tables wider than the screen scroll in their box, which says so; the
    tables that fit say nothing."""
    html = render("distribution", contexts["distribution"], "html")
    assert isinstance(html, str)
    page = tmp_path / "distribution.html"
    page.write_text(html, encoding="utf-8")
    tables = load(browser, page.as_uri(), 390).layout["tables"]
    wide = [t for t in tables if t["overflows"]]
    fitting = [t for t in tables if not t["overflows"]]
    assert wide
    assert fitting
    assert all("Scroll sideways for more columns" in t["cue"] for t in wide)
    assert all(t["cue"] == "" for t in fitting)


#: Figures each report of the demo must show (the IGRS sample, illustrative).
DEMO_FIGURES = {
    "pool.html": ["Pool report", "204"],
    "member-lenovo.html": ["Member statement", "$309,125.38"],
    "license-example-home.html": ["Licence summary", "Example Home Appliances GmbH"],
    "distribution-2026Q1.html": ["$1,096,896.52", "$109,689.65", "$987,206.87"],
    "invoice-example-home-2026Q1.html": ["$35,100.00"],
    "compare-igrs.html": ["Licensing regimes compared", "open (GSM-style)"],
}


@pytest.fixture
def demo_reports(demo_folder: Path) -> Path:
    """The reports the demo wrote (read only)."""
    return demo_folder / "reports"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(DEMO_FIGURES))
def test_demo_report_in_chromium(
    name: str, width: int, browser: Browser, demo_reports: Path
) -> None:
    page = demo_reports / name
    assert page.is_file(), sorted(p.name for p in demo_reports.iterdir())
    loaded = load(browser, page.as_uri(), width, SCREENSHOTS / f"demo-{page.stem}-{width}.png")
    assert loaded.errors == []
    check_layout(name, loaded, width)
    for figure in DEMO_FIGURES[name]:
        assert figure in loaded.layout["text"], figure


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_pool_chart_shows_every_member(
    width: int, browser: Browser, demo_reports: Path
) -> None:
    """All ten members of the demo have their own panel in the expiry chart."""
    loaded = load(browser, (demo_reports / "pool.html").as_uri(), width)
    members = loaded.layout["members"]
    assert len(members) == 10
    drawn = _words(loaded.chart("expiry")["text"])
    missing = [m for m in members if _words(m) not in drawn]
    assert not missing, f"not in the chart at {width}px: {missing}"


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_member_chart_compares_with_the_others(
    width: int, browser: Browser, demo_reports: Path
) -> None:
    """With one run, the statement's chart still shows the member beside the other members."""
    loaded = load(browser, (demo_reports / "member-lenovo.html").as_uri(), width)
    drawn = _words(loaded.chart("shares")["text"])
    assert "Lenovo Group Ltd." in drawn
    assert "all other members" in drawn
    assert "31.31%" in drawn  # its share, written on its bar
    assert re.search(r"\$\d{3},000\b", drawn)


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_distribution_axis_is_money(
    width: int, browser: Browser, demo_reports: Path
) -> None:
    loaded = load(browser, (demo_reports / "distribution-2026Q1.html").as_uri(), width)
    ticks = [t for t in loaded.chart("amounts")["text"].split() if re.search(r"\d", t)]
    assert ticks
    assert all(re.fullmatch(r"\$\d{1,3}(,\d{3})*", t) for t in ticks), ticks
    assert any("," in t for t in ticks), ticks
