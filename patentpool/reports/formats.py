"""The output formats and paper sizes a report can take: names only, so that the command's
options can list them without loading the renderers (jinja, matplotlib, WeasyPrint)."""

from __future__ import annotations

FORMATS = ("html", "md", "pdf", "docx", "json")
PAPERS = ("a4", "letter")
BINARY_FORMATS = frozenset({"pdf", "docx"})
