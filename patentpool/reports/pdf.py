"""PDF through WeasyPrint: the report's HTML laid out on pages (size and page numbers from the
``@page`` rules of the stylesheet).

WeasyPrint needs the Pango text library of the system; on Debian or Ubuntu:
``apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``.
"""

from __future__ import annotations

import logging
from typing import Any

from patentpool.reports.errors import MissingDependency

_NEEDS = "WeasyPrint and the Pango library"
_INSTALL = (
    "pip install weasyprint; on Debian or Ubuntu also "
    "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
)


def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingDependency("pdf", _NEEDS, f"{exc}; {_INSTALL}") from None
    except OSError as exc:  # the Python package is there, a system library is not
        raise MissingDependency("pdf", _NEEDS, f"{exc}; {_INSTALL}") from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (nothing is fetched: no base URL)."""
    weasyprint = _weasyprint()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_refuse)
    pdf: bytes = document.write_pdf()
    return pdf


def _refuse(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"reports fetch nothing ({url})")
