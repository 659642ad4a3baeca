"""What the charts show: every member in the pool's timeline, the member beside the others in a
statement, axes written as money in the locale, and a narrow drawing for phones."""

from __future__ import annotations

import re
from typing import Any

import pytest

from patentpool.reports.charts import NARROW_WIDTH, svg
from patentpool.reports.distribution import distribution_charts
from patentpool.reports.formatting import (
    money_tick,
    number_tick,
    parse_locale,
    percent,
    using_locale,
)
from patentpool.reports.member import member_charts
from patentpool.reports.pool import pool_charts
from patentpool.reports.render import render


def _texts(drawing: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", drawing)


@pytest.mark.parametrize(
    ("locale", "value", "currency", "written"),
    [
        ("en", 50000.0, "USD", "$50,000"),
        ("en", 1250000.0, "USD", "$1,250,000"),
        ("en", 0.5, "USD", "$0.50"),
        ("en", -0.0, "EUR", "€0"),
        ("de", 50000.0, "EUR", "50.000\xa0€"),
    ],
)
def test_money_ticks(locale: str, value: float, currency: str, written: str) -> None:
    with using_locale(parse_locale(locale)):
        assert money_tick(value, currency) == written


def test_number_ticks() -> None:
    assert (number_tick(1500.0), number_tick(2.5), number_tick(-0.0)) == ("1,500", "2.5", "0")
    with using_locale(parse_locale("de")):
        assert number_tick(1500.0) == "1.500"


def test_pool_chart_has_a_panel_per_member(contexts: dict[str, Any]) -> None:
    report = contexts["pool"]
    chart = pool_charts(report)["expiry"]
    assert chart.kind == "panels"
    assert [s.label for s in chart.series] == [report.name_of(m.id) for m in report.members]
    totals = [sum(values) for values in zip(*(s.values for s in chart.series), strict=True)]
    assert totals == [float(p.total) for p in report.timeline]


def test_member_chart_sets_the_member_beside_the_others(contexts: dict[str, Any]) -> None:
    report = contexts["member"]
    chart = member_charts(report)["shares"]
    own, others = chart.series
    assert own.label == report.member.name
    assert others.label == "all other members"
    assert [a + b for a, b in zip(own.values, others.values, strict=True)] == pytest.approx(
        [float(p.distributable) for p in report.periods]
    )
    assert own.notes == tuple(percent(p.share) for p in report.periods)
    assert "66.67%" in own.notes
    assert chart.money == "USD"
    texts = _texts(svg(chart))
    assert "all other members" in texts
    assert set(own.notes) <= set(texts)


def test_distribution_axis_is_money_in_the_locale(contexts: dict[str, Any]) -> None:
    chart = distribution_charts(contexts["distribution"])["amounts"]
    english = [t for t in _texts(svg(chart)) if re.search(r"\d", t)]
    assert english
    assert all(re.fullmatch(r"\$\d{1,3}(,\d{3})*", t) for t in english), english
    with using_locale(parse_locale("de")):
        german = [t for t in _texts(svg(chart)) if re.search(r"\d", t)]
    assert all(re.fullmatch(r"\d{1,3}(\.\d{3})*\xa0\$", t) for t in german), german


def test_html_holds_a_wide_and_a_narrow_drawing(contexts: dict[str, Any]) -> None:
    html = render("distribution", contexts["distribution"], "html")
    assert isinstance(html, str)
    wide = re.search(r'<svg class="chart-wide"[^>]*viewBox="0 0 ([\d.]+) ', html)
    narrow = re.search(r'<svg class="chart-narrow"[^>]*viewBox="0 0 ([\d.]+) ', html)
    assert wide
    assert narrow
    assert float(narrow.group(1)) < float(wide.group(1))
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_a_chart_of_a_few_bars_is_drawn_once(contexts: dict[str, Any]) -> None:
    """The member statement's chart (drawn once per member) is one narrow drawing that every
    screen shows; charts of many panels or lines keep a wide and a narrow drawing."""
    html = render("member", contexts["member"], "html")
    assert html.count("<svg ") == 1
    one = re.search(r'<svg class="chart-one"[^>]*viewBox="0 0 ([\d.]+) ', html)
    assert one
    assert float(one.group(1)) == pytest.approx(NARROW_WIDTH * 72)
    distribution = render("distribution", contexts["distribution"], "html")
    assert distribution.count('<svg class="chart-wide" ') == 1
    assert distribution.count('<svg class="chart-narrow" ') == 1
