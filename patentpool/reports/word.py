"""Word (.docx) documents built from a report's HTML with python-docx.

The document is editable: real headings, paragraphs, lists and tables (header rows repeat on
each page), charts as pictures, and "Page N of M" fields in the footer. Elements with the class
``no-docx`` are left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from patentpool.reports import charts as charting
from patentpool.reports.htmltree import SKIPPED, Element, parse

_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "section",
        "table",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "body",
        "caption",
    }
)
_PARAGRAPHS = frozenset({"p", "dt", "dd", "blockquote", "address", "figcaption", "caption"})
_SPACE = re.compile(r"\s+")


@dataclass
class _Run:
    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    line_break: bool = False


def html_to_docx(
    html: str,
    drawn: Mapping[str, charting.Chart],
    paper: str = "a4",
    header: str | None = None,
) -> bytes:
    """The Word document of a rendered report; ``drawn`` are its charts by name; ``header``:
    a line at the top of every page."""
    tree = parse(html)
    document = Document()
    _page_setup(document, paper)
    title = tree.find("title")
    if title is not None:
        document.core_properties.title = "".join(
            c for c in title.children if isinstance(c, str)
        ).strip()
    document.core_properties.author = "patentpool"
    body = tree.find("body") or tree
    _Writer(document, drawn).blocks(body)
    _page_numbers(document)
    if header is not None:
        for section in document.sections:
            section.header.paragraphs[0].add_run(header).bold = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: DocxDocument, paper: str) -> None:
    for section in document.sections:
        if paper == "letter":
            section.page_width, section.page_height = Inches(8.5), Inches(11)
        else:
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))


def _field(paragraph: Paragraph, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _page_numbers(document: DocxDocument) -> None:
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("Page ")
        _field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _field(paragraph, "NUMPAGES")


class _Writer:
    def __init__(self, document: DocxDocument, drawn: Mapping[str, charting.Chart]) -> None:
        self.document = document
        self.drawn = drawn

    def blocks(self, element: Element) -> None:
        loose: list[Element | str] = []
        for child in element.children:
            if isinstance(child, Element) and (child.tag in _BLOCKS or child.tag in SKIPPED):
                self._inline_paragraph(loose)
                loose = []
                self.block(child)
            else:
                loose.append(child)
        self._inline_paragraph(loose)

    def block(self, element: Element) -> None:
        if element.tag in SKIPPED or "no-docx" in element.classes or element.tag == "hr":
            return
        if element.tag in _HEADINGS:
            self.document.add_heading(element.text(), level=_HEADINGS[element.tag])
        elif element.tag in _PARAGRAPHS:
            style = "Caption" if element.tag in ("figcaption", "caption") else None
            self._paragraph(element.children, style)
        elif element.tag in ("ul", "ol"):
            style = "List Bullet" if element.tag == "ul" else "List Number"
            for item in element.children:
                if isinstance(item, Element) and item.tag == "li":
                    self._paragraph(item.children, style)
        elif element.tag == "table":
            self.table(element)
        elif element.tag == "figure" and element.attrs.get("data-chart") in self.drawn:
            chart = self.drawn[element.attrs["data-chart"]]
            self.document.add_picture(io.BytesIO(charting.png(chart)), width=Cm(16))
            caption = element.find("figcaption")
            if caption is not None:
                self._paragraph(caption.children, "Caption")
        else:
            self.blocks(element)

    def _inline_paragraph(self, nodes: list[Element | str]) -> None:
        if any(_runs_text(_runs(n)) for n in nodes):
            self._paragraph(nodes, None)

    def _paragraph(self, nodes: list[Element | str], style: str | None) -> Paragraph:
        paragraph = self.document.add_paragraph(style=style)
        _write_runs(paragraph, [run for n in nodes for run in _runs(n)])
        return paragraph

    def table(self, element: Element) -> None:
        caption = element.find("caption")
        if caption is not None:
            self._paragraph(caption.children, "Caption")
        rows = element.find_all("tr")
        cells = [
            [c for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")]
            for tr in rows
        ]
        width = max((sum(_span(c) for c in row) for row in cells), default=0)
        if not width:
            return
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, row in enumerate(cells):
            if r == 0 and row and all(c.tag == "th" for c in row):
                _repeat_header(table, r)
            column = 0
            for cell in row:
                span = _span(cell)
                target = table.cell(r, column)
                if span > 1 and column + span <= width:
                    target = target.merge(table.cell(r, column + span - 1))
                paragraph = target.paragraphs[0]
                _write_runs(paragraph, _runs(cell))
                if "num" in cell.classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                column += span
        self.document.add_paragraph()


def _span(cell: Element) -> int:
    try:
        return max(1, int(cell.attrs.get("colspan", "1")))
    except ValueError:
        return 1


def _repeat_header(table: Table, row: int) -> None:
    properties = table.rows[row]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _runs(
    node: Element | str, bold: bool = False, italic: bool = False, mono: bool = False
) -> list[_Run]:
    if isinstance(node, str):
        return [_Run(node, bold, italic, mono)]
    if node.tag in SKIPPED or "no-docx" in node.classes:
        return []
    if node.tag == "br":
        return [_Run("", line_break=True)]
    bold = bold or node.tag in ("strong", "b", "th")
    italic = italic or node.tag in ("em", "i")
    mono = mono or node.tag in ("code", "kbd", "samp")
    return [run for child in node.children for run in _runs(child, bold, italic, mono)]


def _runs_text(runs: list[_Run]) -> str:
    return "".join(r.text for r in runs).strip()


def _write_runs(paragraph: Paragraph, runs: list[_Run]) -> None:
    """Runs with white space collapsed across them, as a browser would show the text."""
    previous_space = True
    pending: list[tuple[_Run, str]] = []
    for run in runs:
        if run.line_break:
            pending.append((run, ""))
            previous_space = True
            continue
        text = _SPACE.sub(" ", run.text)
        if previous_space:
            text = text.lstrip(" ")
        if text:
            previous_space = text.endswith(" ")
            pending.append((run, text))
    while pending and pending[-1][1].endswith(" "):
        run, text = pending.pop()
        if text.rstrip(" "):
            pending.append((run, text.rstrip(" ")))
            break
    for run, text in pending:
        if run.line_break:
            paragraph.add_run().add_break()
            continue
        out = paragraph.add_run(text)
        out.bold = run.bold or None
        out.italic = run.italic or None
        if run.mono:
            out.font.name = "Courier New"
            out.font.size = Pt(9)
