"""Charts drawn with matplotlib (no pyplot, no global state): inline SVG for HTML and PDF,
PNG for Word documents.

A :class:`Chart` says what to draw; a report kind builds its charts from its context. The SVG
is deterministic (ids salted with a fixed string, no date or version in the metadata, text kept
as text in the page's font), so the same context always gives the same bytes.

Each chart is drawn twice for HTML: a wide drawing (screens, print, Word) and a narrow one for
phones, with larger type, fewer columns of panels and shorter labels, so that its text is still
about 10 px high on a 390 px screen. A chart of a few bars (``one_drawing``) is drawn once, in
the narrow drawing, which every screen shows at a width where it reads well. The value axis is
written in the locale of the render, as money when the chart says which currency.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from patentpool.reports import formatting

#: At most this many series are drawn; the smallest others are added up into "others".
MAX_SERIES = 8

_RC: dict[Any, Any] = {
    "svg.hashsalt": "patentpool",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "legend.frameon": False,
}
#: The narrow drawing: 4.6 inches (331 px of SVG) for a phone's 358 px of page, in larger type.
_NARROW_RC: dict[Any, Any] = {**_RC, "font.size": 9.5}
NARROW_WIDTH = 4.6
_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: tuple[float, ...]
    notes: tuple[str, ...] = ()  # written above each bar (``bar`` charts), as many as values


@dataclass(frozen=True, slots=True)
class Chart:
    """Bars (``bar``: grouped, ``stacked``; ``hbar``: one series, horizontal), lines
    (``line``) over the categories ``x``, or ``panels``: one small bar chart per series, on a
    shared scale (small multiples: every series readable, however many).

    ``title`` names the chart for screen readers; the visible caption is the template's.
    ``money`` is the currency of the values: the value axis is then written as money.
    """

    kind: str
    title: str
    x: tuple[str, ...]
    series: tuple[Series, ...]
    x_label: str = ""
    y_label: str = ""
    whole: bool = False  # the values are counts: whole-number ticks only
    width: float = 7.0  # inches
    height: float = 3.4
    money: str = ""
    #: One drawing for every screen: the narrow one, shown no wider than it reads well. For
    #: charts of a few bars, whose layout is the same on a phone and a desk (a member's
    #: statement, drawn once per member, then costs one drawing instead of two).
    one_drawing: bool = False


def top_series(series: Sequence[Series], limit: int = MAX_SERIES) -> tuple[Series, ...]:
    """The ``limit - 1`` largest series (by total) and the rest summed as ``others``."""
    if len(series) <= limit:
        return tuple(series)
    ranked = sorted(series, key=lambda s: (-sum(s.values), s.label))
    kept, rest = ranked[: limit - 1], ranked[limit - 1 :]
    summed = tuple(sum(values) for values in zip(*(s.values for s in rest), strict=True))
    order = {s.label: n for n, s in enumerate(series)}
    kept.sort(key=lambda s: order[s.label])
    return (*kept, Series(f"{len(rest)} others", summed))


def _draw(chart: Chart, narrow: bool = False) -> Figure:
    if chart.kind == "panels":
        return _panels(chart, narrow)
    width = NARROW_WIDTH if narrow else chart.width
    height = chart.height * (1.15 if narrow else 1.0)
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(chart.x)))
    if chart.kind == "line":
        for series in chart.series:
            axes.plot(positions, series.values, marker="o", markersize=3, label=series.label)
    elif chart.kind == "stacked":
        bottom = [0.0] * len(positions)
        for series in chart.series:
            axes.bar(positions, series.values, bottom=bottom, label=series.label, width=0.8)
            bottom = [b + v for b, v in zip(bottom, series.values, strict=True)]
    elif chart.kind == "bar":
        width = 0.8 / max(1, len(chart.series))
        for n, series in enumerate(chart.series):
            offset = (n - (len(chart.series) - 1) / 2) * width
            bars = axes.bar(
                [p + offset for p in positions], series.values, width=width, label=series.label
            )
            if series.notes:
                axes.bar_label(bars, list(series.notes), padding=2)
        axes.margins(y=0.15)
    elif chart.kind == "hbar":
        axes.barh(positions, chart.series[0].values, label=chart.series[0].label)
        axes.set_yticks(positions, [_short(label, 20 if narrow else 28) for label in chart.x])
        axes.invert_yaxis()
    else:
        raise ValueError(f"unknown chart kind {chart.kind!r}")
    if chart.kind != "hbar":
        step = max(1, math.ceil(len(positions) / (4 if narrow else 12)))
        axes.set_xticks(positions[::step], list(chart.x)[::step])
    _value_axis(chart, axes.xaxis if chart.kind == "hbar" else axes.yaxis)
    if chart.kind == "hbar" and chart.money:
        axes.xaxis.set_major_locator(MaxNLocator(nbins=3 if narrow else 6))
    axes.set_xlabel(chart.x_label)
    axes.set_ylabel(chart.y_label)
    if len(chart.series) > 1:
        figure.legend(
            loc="outside lower center",
            fontsize=None if narrow else 8,
            ncols=1 if narrow else min(3, len(chart.series)),
        )
    return figure


def _panels(chart: Chart, narrow: bool) -> Figure:
    """One small bar chart per series, in rows, sharing the value axis."""
    columns = min(len(chart.series), 2 if narrow else 4) or 1
    rows = max(1, math.ceil(len(chart.series) / columns))
    width = NARROW_WIDTH if narrow else chart.width
    figure = Figure(figsize=(width, 0.6 + 1.55 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    positions = list(range(len(chart.x)))
    step = max(1, math.ceil(len(positions) / (3 if narrow else 4)))
    wrap = 26 if narrow else 21
    for n, axes in enumerate(grid.flat):
        if n >= len(chart.series):
            axes.set_visible(False)
            continue
        series = chart.series[n]
        axes.bar(positions, series.values, width=0.7, color="#0b5cad")
        title = "\n".join(textwrap.wrap(series.label, wrap, max_lines=3, placeholder="…"))
        axes.set_title(title, fontsize="medium", loc="left")
        axes.set_xticks(positions[::step], list(chart.x)[::step])
        axes.tick_params(labelbottom=True)
        _value_axis(chart, axes.yaxis)
        axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=chart.whole))
    if chart.x_label:
        figure.supxlabel(chart.x_label, fontsize="medium")
    if chart.y_label:
        figure.supylabel(chart.y_label, fontsize="medium")
    return figure


def _value_axis(chart: Chart, axis: Any) -> None:
    """Whole-number ticks for counts; numbers (or money) with the locale's separators."""
    if chart.whole:
        axis.set_major_locator(MaxNLocator(integer=True))
    currency = chart.money
    if currency:
        axis.set_major_formatter(FuncFormatter(lambda v, _: formatting.money_tick(v, currency)))
    else:
        axis.set_major_formatter(FuncFormatter(lambda v, _: formatting.number_tick(v)))


_PROLOGUE = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SIZE = re.compile(r'<svg\b([^>]*?)\swidth="[^"]*"\s+height="[^"]*"')


def svg(chart: Chart, prefix: str = "chart", narrow: bool = False) -> str:
    """The chart as an ``<svg>`` element ready to inline: scales to its container.

    Its ids start with ``prefix``, so several charts on a page repeat no id. The same drawing
    (everything but the title, which only labels the element) is drawn once: statements of
    many members often show the same chart under different titles.
    """
    drawing = replace(chart, title="")
    # repr: tells 0.0 from -0.0, and a list from a tuple; the locale writes the axis
    key = (repr(drawing), prefix, narrow, formatting.locale_name())
    text = _DRAWN.get(key)
    if text is None:
        text = _drawn_svg(drawing, prefix, narrow)
        if len(_DRAWN) >= _DRAWN_LIMIT:
            _DRAWN.pop(next(iter(_DRAWN)))
        _DRAWN[key] = text
    label = _attribute(chart.title)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1).strip()


#: The SVG of the latest charts drawn, by what was drawn (the oldest goes first).
_DRAWN: dict[tuple[str, str, bool, str], str] = {}
_DRAWN_LIMIT = 64


def _drawn_svg(chart: Chart, prefix: str, narrow: bool) -> str:
    buffer = io.BytesIO()
    with rc_context(_NARROW_RC if narrow else _RC):
        _draw(chart, narrow).savefig(buffer, format="svg", metadata=_METADATA)
    text = _PROLOGUE.sub("", buffer.getvalue().decode("utf-8"), count=1)
    text = _scoped_ids(text, prefix)
    return _SIZE.sub(r'<svg\1 width="100%"', text, count=1)


def png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as a PNG image (for Word documents)."""
    buffer = io.BytesIO()
    with rc_context(_RC):
        _draw(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


_ID = re.compile(r'\sid="([^"]*)"')


def _scoped_ids(text: str, prefix: str) -> str:
    """Drop the ids nothing refers to; prefix the others and every reference to them."""
    used = {i for i in _ID.findall(text) if f"#{i}" in text}
    text = _ID.sub(lambda m: f' id="{prefix}-{m.group(1)}"' if m.group(1) in used else "", text)
    for name in sorted(used, key=len, reverse=True):
        text = re.sub(rf'#{re.escape(name)}(?=[")])', f"#{prefix}-{name}", text)
    return text


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _attribute(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
