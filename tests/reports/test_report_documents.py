"""PDF and Word output: the licensed patent schedule is in both, pages are numbered, and a
missing PDF library is an error message, not a traceback."""

from __future__ import annotations

import builtins
import io
import sys
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from patentpool.reports.errors import MissingDependency
from patentpool.reports.render import render

SCHEDULE = ("CN1000003B", "EP1000001B1", "US7000001B2")


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_licence_pdf_holds_the_schedule(contexts: dict[str, Any]) -> None:
    pdf = render("license", contexts["license"], "pdf")
    assert isinstance(pdf, bytes)
    assert pdf.startswith(b"%PDF-")
    reader, text = pdf_text(pdf)
    for number in SCHEDULE:
        assert number in text
    assert "Licensed patents as of March 31, 2026" in text
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_letter_paper(contexts: dict[str, Any]) -> None:
    reader, _ = pdf_text(render("license", contexts["license"], "pdf", paper="letter"))  # type: ignore[arg-type]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize("kind", ["pool", "member", "distribution", "invoice", "compare"])
def test_every_report_makes_a_pdf(kind: str, contexts: dict[str, Any]) -> None:
    pdf = render(kind, contexts[kind], "pdf")
    assert isinstance(pdf, bytes)
    _, text = pdf_text(pdf)
    assert "Page 1 of" in text


def docx_of(kind: str, contexts: dict[str, Any], **kw: Any) -> Any:
    data = render(kind, contexts[kind], "docx", **kw)
    assert isinstance(data, bytes)
    return Document(io.BytesIO(data))


def test_licence_docx_holds_the_same_schedule(contexts: dict[str, Any]) -> None:
    document = docx_of("license", contexts)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for number in SCHEDULE:
        assert number in cells
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Licensed patents as of March 31, 2026" in headings
    assert "Germany (DE)" in headings
    assert document.core_properties.title == "Licence summary"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer
    assert 'w:instr="NUMPAGES"' in footer


def test_docx_tables_keep_their_header_row(contexts: dict[str, Any]) -> None:
    document = docx_of("distribution", contexts)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Member")
    assert [c.text for c in table.rows[0].cells][:3] == ["Member", "Basis", "Share"]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert [c.text for c in table.rows[1].cells][-1] == "$6,374.25"


def test_docx_charts_are_pictures_and_paper_is_set(contexts: dict[str, Any]) -> None:
    document = docx_of("pool", contexts, paper="letter")
    assert len(document.inline_shapes) == 1  # the expiry timeline
    section = document.sections[0]
    assert (round(section.page_width.inches, 2), round(section.page_height.inches, 2)) == (
        8.5, 11.0
    )


def test_missing_weasyprint_is_a_clear_error(
    contexts: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(MissingDependency) as caught:
        render("license", contexts["license"], "pdf")
    assert str(caught.value).startswith("--format pdf needs WeasyPrint and the Pango library")
    assert "apt-get install libpango-1.0-0" in str(caught.value)


def test_missing_pango_is_a_clear_error(
    contexts: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(MissingDependency, match=r"cannot load library 'libpango-1\.0-0'"):
        render("license", contexts["license"], "pdf")
