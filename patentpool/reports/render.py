""" "``render``: one report context to HTML, Markdown, PDF, Word, JSON or an Excel workbook.

HTML is one self-contained file (inline CSS, charts as inline SVG, nothing fetched); PDF is that
HTML laid out on A4 or Letter pages by WeasyPrint; Word is built from the same HTML with
python-docx; Markdown has its own templates; JSON is the context itself, and the workbook its
tables (:mod:`patentpool.reports.context_tables`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from markupsafe import Markup

from patentpool import __version__
from patentpool.gcpause import collector_paused
from patentpool.reports import charts as charting
from patentpool.reports import formatting
from patentpool.reports.environment import check_templates_dir, environment
from patentpool.reports.errors import ReportError
from patentpool.reports.formats import BINARY_FORMATS as BINARY_FORMATS  # also named here
from patentpool.reports.formats import FORMATS as FORMATS
from patentpool.reports.formats import ILLUSTRATIVE as ILLUSTRATIVE
from patentpool.reports.formats import PAPERS as PAPERS
from patentpool.reports.formatting import parse_locale, using_locale
from patentpool.reports.jsonable import jsonable
from patentpool.reports.kinds import ReportKind, report_kind


@dataclass(frozen=True, slots=True)
class RenderInfo:
    """What templates know about the render besides the context (``meta`` in templates)."""

    kind: str
    title: str
    format: str
    locale: str
    lang: str  # the HTML lang attribute: ``en``, ``en-GB``
    paper: str  # ``a4`` or ``letter``
    generated: dt.datetime
    version: str
    illustrative: str | None = None  # what every page says when the figures are invented


class _Charts:
    """The ``draw_chart(name)`` function of templates: draws each chart once, on demand, in a
    wide and a narrow drawing (the stylesheet shows the one that fits the screen), or in the
    narrow drawing alone for a chart that says ``one_drawing``."""

    def __init__(self, kind: ReportKind, context: Any) -> None:
        self._charts = kind.charts(context)
        self.drawn: dict[str, charting.Chart] = {}

    def __call__(self, name: str) -> Markup:
        if name not in self._charts:
            raise ReportError(
                f"template: no chart named {name!r} (known: {', '.join(sorted(self._charts))})"
            )
        self.drawn[name] = chart = self._charts[name]
        narrow = charting.svg(chart, prefix=f"chart-{name}-narrow", narrow=True)
        if chart.one_drawing:
            return Markup(narrow.replace("<svg ", '<svg class="chart-one" ', 1))
        wide = charting.svg(chart, prefix=f"chart-{name}")
        return Markup(
            wide.replace("<svg ", '<svg class="chart-wide" ', 1)
            + "\n"
            + narrow.replace("<svg ", '<svg class="chart-narrow" ', 1)
        )


def render(
    kind: str,
    context: Any,
    fmt: str,
    templates_dir: Path | None = None,
    locale: str = "en",
    *,
    paper: str = "a4",
    illustrative: bool = False,
) -> bytes | str:
    """``context`` (the report ``kind``'s context) as ``fmt``: str for html, md and json,
    bytes for pdf and docx. ``templates_dir`` is searched before the default templates.
    ``illustrative``: the report is made from an illustrative register (invented figures),
    which every page (and the JSON) then says."""
    spec = report_kind(kind)
    if not isinstance(context, spec.context_type):
        raise TypeError(f"a {kind} report takes a {spec.context_type.__name__}")
    if fmt not in FORMATS:
        raise ReportError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if paper not in PAPERS:
        raise ReportError(f"--paper: {paper!r} is not one of {', '.join(PAPERS)}")
    if fmt == "json":
        return json.dumps(json_document(context, illustrative), indent=2, ensure_ascii=False) + "\n"
    if fmt == "xlsx":
        return _workbook(spec, context, illustrative)
    user_dir = check_templates_dir(templates_dir.resolve()) if templates_dir else None
    parsed = parse_locale(locale)
    info = RenderInfo(
        kind=kind,
        title=spec.title,
        format=fmt,
        locale=str(parsed),
        lang=str(parsed).replace("_", "-"),
        paper=paper,
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        version=__version__,
        illustrative=ILLUSTRATIVE if illustrative else None,
    )
    with collector_paused(), using_locale(parsed), _dates_written_in(str(parsed)):
        if fmt == "md":
            return _template(user_dir, f"{kind}.md", markdown=True, report=context, meta=info)
        chart = _Charts(spec, context)
        html = _template(
            user_dir, f"{kind}.html", markdown=False, report=context, meta=info, draw_chart=chart
        )
    if fmt == "html":
        return html
    if fmt == "pdf":
        from patentpool.reports.pdf import html_to_pdf

        return html_to_pdf(html)
    from patentpool.reports.word import html_to_docx

    with using_locale(parsed):  # the charts' axes are written in the locale
        return html_to_docx(html, chart.drawn, paper=paper, header=info.illustrative)


def _workbook(spec: ReportKind, context: Any, illustrative: bool) -> bytes:
    """The report's tables, one sheet each (:mod:`patentpool.reports.context_tables`)."""
    from patentpool.reports.context_tables import context_tables, run_source
    from patentpool.reports.workbook import Heading, workbook

    currency = getattr(context, "currency", None)
    heading = Heading(
        title=spec.title,
        made=dt.date.today(),
        source=run_source(context) or "the register",
        illustrative=ILLUSTRATIVE if illustrative else None,
        currency=currency if isinstance(currency, str) else None,
    )
    with collector_paused():
        return workbook(context_tables(context), heading)


def json_document(context: Any, illustrative: bool = False) -> Any:
    """What ``render(..., "json")`` writes, as plain JSON values (for a caller that encodes
    them itself: the portal's API sends them compact)."""
    if illustrative:
        return {"illustrative": ILLUSTRATIVE, **jsonable(context)}
    return jsonable(context)


def _template(user_dir: Path | None, name: str, markdown: bool, **values: Any) -> str:
    env = environment(user_dir, markdown)
    if env.filters.get("date") is formatting.date:  # once per environment
        env.filters["date"] = _date
    where = f"{user_dir} or the default templates" if user_dir else "the default templates"
    try:
        return env.get_template(name).render(**values)
    except TemplateNotFound as exc:
        raise ReportError(f"template: {exc.name!r} is not in {where}") from None
    except TemplateSyntaxError as exc:
        raise ReportError(
            f"template: {exc.filename or exc.name}:{exc.lineno}: {exc.message}"
        ) from None
    except UndefinedError as exc:
        raise ReportError(f"template {name}: {exc.message}") from None
    except TemplateError as exc:  # pragma: no cover - any other template failure
        raise ReportError(f"template {name}: {exc}") from None


#: Dates as written in each locale, by (date, style): the statements of a large register write
#: hundreds of thousands of dates, a few thousand distinct days, and babel takes tens of
#: microseconds for each.
_DATES: dict[str, dict[tuple[dt.date, str], str]] = {}
_DATES_LIMIT = 50_000
_WRITTEN: ContextVar[dict[tuple[dt.date, str], str] | None] = ContextVar(
    "report_dates", default=None
)


@contextmanager
def _dates_written_in(locale: str) -> Iterator[None]:
    """Within a render in ``locale``: the ``date`` filter remembers the dates it wrote."""
    written = _DATES.setdefault(locale, {})
    if len(written) > _DATES_LIMIT:
        written.clear()
    token = _WRITTEN.set(written)
    try:
        yield
    finally:
        _WRITTEN.reset(token)


def _date(value: dt.date | None, style: str = "medium") -> str:
    """The ``date`` filter (:func:`formatting.date`), remembering the days it wrote in a render
    (a datetime, which may carry a time zone, is written afresh each time)."""
    written = _WRITTEN.get()
    if written is None or type(value) is not dt.date:
        return formatting.date(value, style)
    key = (value, style)
    text = written.get(key)
    if text is None:
        text = written[key] = formatting.date(value, style)
    return text
