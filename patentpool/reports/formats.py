"""The output formats and paper sizes a report can take: names only, so that the command's
options can list them without loading the renderers (jinja, matplotlib, WeasyPrint)."""

from __future__ import annotations

FORMATS = ("html", "md", "pdf", "docx", "json", "xlsx")
PAPERS = ("a4", "letter")
BINARY_FORMATS = frozenset({"pdf", "docx", "xlsx"})

#: What every page (and sheet) of a report made from an illustrative register says.
ILLUSTRATIVE = "Illustrative: made from a sample register; the figures are invented."
