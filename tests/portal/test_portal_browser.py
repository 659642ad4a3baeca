"""The portal in headless Chromium (Playwright driving the system's Chromium), at 1280 and
390 px: each role signs in; a licensee uploads a report with a mistake, sees the line's
problem, fixes it and submits; a member opens its statement and downloads the PDF; staff runs
a distribution. No console error, no horizontal overflow, every input labelled. Screenshots
are kept in test-artifacts/screenshots/portal/ (a folder CI keeps).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from live import served
from playwright.sync_api import Browser, Page
from portal_setup import PASSWORD, ROLE_USER, Portal

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots" / "portal"
WIDTHS = (1280, 390)
BAD = (
    "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
    "example-home,2027Q1,DE,PL,tv,1000,500000.00\n"
    "example-home,2027Q1,FR,PL,tv,many,90000.00\n"
)
GOOD = BAD.replace("tv,many,", "tv,200,")

#: What the page says about itself: its width, and the inputs that have no label.
_MEASURE = """() => ({
  scrollWidth: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  innerWidth: window.innerWidth,
  unlabelled: Array.from(document.querySelectorAll('input, select, textarea'))
    .filter(el => el.type !== 'hidden' && el.type !== 'submit')
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map(el => el.name || el.id),
})"""


@pytest.fixture
def base(portal: Portal) -> Iterator[str]:
    with served(portal.url) as url:
        yield url


class Watched:
    """A page at one width that keeps every console and page error."""

    def __init__(self, browser: Browser, width: int) -> None:
        self.width = width
        self.page: Page = browser.new_page(
            viewport={"width": width, "height": 900}, accept_downloads=True
        )
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self, name: str) -> None:
        """No error so far, nothing wider than the viewport, every input labelled; and a
        screenshot."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{self.width}.png"), full_page=True)
        measured = self.page.evaluate(_MEASURE)
        assert self.errors == [], (name, self.errors)
        assert measured["scrollWidth"] <= measured["innerWidth"], (name, measured)
        assert measured["unlabelled"] == [], (name, measured)

    def sign_in(self, base: str, user: str) -> None:
        self.page.goto(f"{base}/login")
        self.page.get_by_label("Username").fill(user)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", sorted(ROLE_USER))
def test_each_role_signs_in_and_sees_its_start_page(
    browser: Browser, base: str, role: str, width: int
) -> None:
    view = Watched(browser, width)
    try:
        view.page.goto(f"{base}/login")
        view.check("login")
        view.sign_in(base, ROLE_USER[role])
        assert view.page.get_by_role("heading", level=1).inner_text() == role.capitalize()
        view.check(f"start-{role}")
        view.page.get_by_role("button", name="Sign out").click()
        view.page.wait_for_url(f"{base}/login")
    finally:
        view.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_licensee_fixes_a_line_and_submits(
    browser: Browser, base: str, tmp_path: Path, width: int
) -> None:
    bad, good = tmp_path / "sales-2027Q1.csv", tmp_path / "fixed" / "sales-2027Q1.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.parent.mkdir()
    good.write_text(GOOD, encoding="utf-8")
    view = Watched(browser, width)
    try:
        view.sign_in(base, "home1")
        view.page.get_by_role("link", name="Submit a sales report").click()
        view.page.get_by_label("Sales report (CSV)").set_input_files(str(bad))
        view.page.get_by_role("button", name="Check and submit").click()
        problem = view.page.get_by_role("alert")
        assert "nothing was stored" in problem.inner_text()
        assert "sales-2027Q1.csv:3: units:" in problem.inner_text()
        view.check("upload-problem")
        view.page.get_by_label("Sales report (CSV)").set_input_files(str(good))
        view.page.get_by_role("button", name="Check and submit").click()
        done = view.page.get_by_role("status").inner_text()
        assert "Stored" in done
        assert "sales report" in done
        view.check("upload-stored")
        view.page.goto(f"{base}/licensees/example-home/royalties?program=igrs-v1&period=2027Q1")
        assert "USD due" in view.page.get_by_role("heading", level=2).inner_text()
        view.check("royalties")
    finally:
        view.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_opens_its_statement_and_downloads_the_pdf(
    browser: Browser, base: str, width: int
) -> None:
    view = Watched(browser, width)
    try:
        view.sign_in(base, "lenovo1")
        view.page.get_by_role("link", name="My statement").click()
        assert "Member statement" in view.page.inner_text("body")
        assert view.errors == []
        view.page.screenshot(path=str(SCREENSHOTS / f"statement-{width}.png"))
        view.page.go_back()
        with view.page.expect_download() as download:
            view.page.get_by_role("link", name="PDF").click()
        path = download.value.path()
        assert Path(path).read_bytes()[:5] == b"%PDF-"
        assert download.value.suggested_filename == "statement-lenovo.pdf"
    finally:
        view.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_runs_a_distribution(browser: Browser, base: str, width: int) -> None:
    view = Watched(browser, width)
    try:
        view.sign_in(base, "staff1")
        view.page.get_by_role("link", name="run a distribution").first.click()
        view.page.get_by_label("Quarter").fill("2026Q1")
        view.page.get_by_role("button", name="Run the distribution").click()
        done = view.page.get_by_role("status").inner_text()
        assert "Run " in done
        assert "distributed" in done
        view.check("distribution")
    finally:
        view.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_licensee_sees_its_invoices_and_downloads_its_account(
    browser: Browser, base: str, width: int
) -> None:
    view = Watched(browser, width)
    try:
        view.sign_in(base, "home1")
        view.page.get_by_role("link", name="Invoices and statement of account").click()
        assert view.page.get_by_role("heading", level=1).inner_text() == "Invoices: example-home"
        assert "IGRS-2026-" in view.page.inner_text("table")
        view.check("invoices")
        with view.page.expect_download() as download:
            view.page.get_by_role("link", name="PDF igrs-v1").click()
        assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
        assert download.value.suggested_filename == "account-example-home.pdf"
        view.page.get_by_role("button", name="Show the statement").click()
        body = view.page.inner_text("body")
        assert "Example Home Appliances GmbH" in body
        assert "/samples/" not in body  # a payment's source file is named, not its path
        assert view.errors == []
        view.page.screenshot(path=str(SCREENSHOTS / f"account-{width}.png"), full_page=True)
    finally:
        view.page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_accepts_issues_and_publishes_a_quarter(
    browser: Browser, base: str, width: int
) -> None:
    view = Watched(browser, width)
    try:
        view.sign_in(base, "staff1")
        view.page.get_by_role("link", name="books").first.click()
        view.page.get_by_label("Quarter").fill("2026Q2")
        view.page.get_by_role("button", name="Show the quarter").click()
        view.check("books")
        view.page.get_by_role("button", name="Accept the reports").click()
        assert (
            "accepted example-home 2026Q2 revision 1"
            in view.page.get_by_role("status").inner_text()
        )
        view.page.get_by_label("Issue date (empty: today)").fill("2026-07-15")
        view.page.get_by_role("button", name="Issue the invoices").click()
        issued = view.page.get_by_role("status").inner_text()
        assert "invoice(s) issued" in issued
        view.check("books-issued")
        view.page.goto(f"{base}/programs/igrs-v1/distribute")
        view.page.get_by_label("Quarter").fill("2026Q2")
        view.page.get_by_role("button", name="Run the distribution").click()
        run = view.page.get_by_role("status").inner_text().split()[1]
        view.page.goto(f"{base}/programs/igrs-v1/books?period=2026Q2")
        view.page.get_by_role("button", name=f"Approve run {run}").click()
        assert f"run {run}: approved" in view.page.get_by_role("status").inner_text()
        view.page.get_by_role("button", name=f"Publish run {run}").click()
        assert f"run {run}: published" in view.page.get_by_role("status").inner_text()
        view.check("books-published")
        view.page.get_by_role("link", name="Receivables").click()
        view.page.get_by_label("As of").fill("2026-09-30")
        view.page.get_by_role("button", name="Show").click()
        assert "example-home" in view.page.inner_text("table")
        view.check("receivables")
    finally:
        view.page.close()
