"""Every table of every PDF report fits the printed page, on A4 and on Letter.

The tables expected are read from the report's own HTML (the same render, so a column added to a
template is checked without touching this file): each column header and the cells of two sample
rows (the first and the longest) must be among the words of the PDF, and every character of the
PDF must lie inside its page. Checked on the hand-built contexts and on the demo's register
(ten members, long names, a 74-patent statement).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner

from patentpool.cli import cli
from patentpool.reports.kinds import KINDS
from patentpool.reports.render import PAPERS, render

ROOT = Path(__file__).resolve().parents[2]
#: Page sizes in points.
SIZES = {"a4": (595, 842), "letter": (612, 792)}


class _Tables(HTMLParser):
    """The tables of an HTML page: each one's header cells and body rows, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._part = ""
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self.tables:
            headers, rows = self.tables[-1]
            if self._part == "thead":
                headers.extend(self._row)
            elif self._part == "tbody":
                rows.append(self._row)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables_of(html: str) -> list[tuple[list[str], list[list[str]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


#: Where a line may break: at spaces and after a dash (``100,001–`` / ``150,000``).
_BREAKS = re.compile(r"\s+|(?<=[–-])")


def words(text: str) -> list[str]:
    return [w for w in _BREAKS.split(text) if w]


def expected_words(html: str) -> set[str]:
    """The words of every column header and of two sample rows of every table."""
    found: set[str] = set()
    tables = tables_of(html)
    assert tables, "the report has no table"
    for headers, rows in tables:
        samples = [rows[0], max(rows, key=lambda r: len(" ".join(r)))] if rows else []
        for cell in [*headers, *(c for row in samples for c in row)]:
            found.update(words(cell))
    return found


def check_fits(pdf: bytes, html: str, paper: str) -> None:
    """Every expected word is in the PDF, and nothing is drawn outside a page."""
    seen: set[str] = set()
    outside: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            assert (round(page.width), round(page.height)) == SIZES[paper] or (
                round(page.height), round(page.width)) == SIZES[paper]
            for char in page.chars:
                if (char["x0"] < 0 or char["x1"] > page.width or char["top"] < 0
                        or char["bottom"] > page.height):
                    outside.append(f"page {number}: {char['text']!r} at x={char['x0']:.0f}")
            seen.update(w for word in page.extract_words() for w in words(word["text"]))
    assert not outside, f"{len(outside)} characters outside the page: {outside[:10]}"
    missing = sorted(expected_words(html) - seen)
    assert not missing, f"not in the PDF: {missing[:20]}"


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_tables_fit_the_page(kind: str, paper: str, contexts: dict[str, Any]) -> None:
    html = render(kind, contexts[kind], "html", paper=paper)
    pdf = render(kind, contexts[kind], "pdf", paper=paper)
    assert isinstance(html, str)
    assert isinstance(pdf, bytes)
    check_fits(pdf, html, paper)


def test_a_table_too_wide_is_caught(contexts: dict[str, Any]) -> None:
    """The check can fail: a table forced wider than the page is reported."""
    html = render("invoice", contexts["invoice"], "html")
    assert isinstance(html, str)
    wide = html.replace("<table>", '<table style="width: 300mm; white-space: nowrap">', 1)
    from patentpool.reports.pdf import html_to_pdf

    with pytest.raises(AssertionError, match="outside the page"):
        check_fits(html_to_pdf(wide), wide, "a4")


@pytest.fixture(scope="module")
def demo_db(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the demo's database, for this module's reports."""
    from patentpool.storage.engine import dispose_all

    path = tmp_path_factory.mktemp("demo") / "patentpool.db"
    shutil.copy(demo_folder / "patentpool.db", path)
    yield f"sqlite:///{path}"
    dispose_all()


#: The demo's reports, as a user asks for them (the IGRS sample, illustrative).
DEMO_REPORTS = {
    "pool": ["pool", "--as-of", "2026-03-31"],
    "member": ["member", "--member", "lenovo", "--as-of", "2026-03-31"],
    "license": ["license", "--licensee", "example-home", "--program", "igrs-v1",
                "--as-of", "2026-03-31"],
    "distribution": ["distribution", "--program", "igrs-v1", "--period", "2026Q1"],
    "invoice": ["invoice", "--licensee", "example-home", "--program", "igrs-v1",
                "--period", "2026Q1"],
    "compare": ["compare", str(ROOT / "samples" / "regimes" / "igrs.yaml")],
}


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("kind", sorted(DEMO_REPORTS))
def test_demo_tables_fit_the_page(kind: str, paper: str, demo_db: str, tmp_path: Path) -> None:
    written = {}
    for fmt in ("html", "pdf"):
        out = tmp_path / f"{kind}.{fmt}"
        done = CliRunner().invoke(cli, ["--db", demo_db, "report", *DEMO_REPORTS[kind],
                                        "--format", fmt, "--paper", paper, "-o", str(out)])
        assert done.exit_code == 0, done.output
        written[fmt] = out
    check_fits(written["pdf"].read_bytes(), written["html"].read_text(encoding="utf-8"), paper)
