"""Rendering: escaping, self-contained HTML, JSON, locales, charts and the template search."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import report_data as data

from patentpool.reports.charts import Chart, Series, svg, top_series
from patentpool.reports.environment import markdown_escape
from patentpool.reports.errors import ReportError, UnknownLocale
from patentpool.reports.formatting import (
    date,
    money,
    number,
    parse_locale,
    percent,
    using_locale,
)
from patentpool.reports.htmltree import parse
from patentpool.reports.jsonable import jsonable
from patentpool.reports.kinds import KINDS
from patentpool.reports.render import render

ALL = sorted(KINDS)
#: Reports whose data carries the hostile names and titles of report_data.
HOSTILE = ("pool", "member", "license", "invoice")


def html_of(kind: str, contexts: dict[str, Any], **kw: Any) -> str:
    text = render(kind, contexts[kind], "html", **kw)
    assert isinstance(text, str)
    return text


@pytest.fixture(scope="module")
def hostile() -> dict[str, Any]:
    """Contexts naming the member and licensee whose names carry markup."""
    from patentpool.reports.invoice import PaymentTerms, invoice_context
    from patentpool.reports.license import license_context
    from patentpool.reports.member import member_context
    from patentpool.reports.pool import pool_context

    q4, q1 = data.distributions()
    imgco = data.LICENSEES[1]
    return {
        "pool": pool_context(data.REGISTER, [data.PROGRAM], data.AS_OF),
        "member": member_context(data.REGISTER, "evil", [q4, q1], None, data.AS_OF),
        "license": license_context(data.REGISTER, data.PROGRAM, imgco, data.ALLIANCE,
                                   data.AS_OF),
        "invoice": invoice_context(data.royalties().licensee("imgco"), data.PROGRAM, imgco,
                                   data.Q1, PaymentTerms(data.D(2026, 4, 15))),
    }


@pytest.mark.parametrize("kind", HOSTILE)
def test_markup_in_names_and_titles_is_text(kind: str, hostile: dict[str, Any]) -> None:
    html = html_of(kind, hostile)
    assert not re.search(r"<(script|img)", html, re.IGNORECASE)
    shown = parse(html).text()
    assert data.SCRIPT in shown or data.IMG in shown


def test_every_hostile_string_reaches_a_report_as_text(contexts: dict[str, Any]) -> None:
    pool = parse(html_of("pool", contexts)).text()
    license_ = parse(html_of("license", contexts)).text()
    assert f"Evil {data.SCRIPT} Corp" in pool
    assert f"Img {data.IMG} Ltd" in pool
    assert f"Resource sharing {data.SCRIPT}" in license_


@pytest.mark.parametrize("kind", HOSTILE)
def test_markdown_escapes_markup(kind: str, hostile: dict[str, Any]) -> None:
    md = render(kind, hostile[kind], "md")
    assert isinstance(md, str)
    assert not re.search(r"(?<!\\)<(script|img)", md)
    assert "\\<script\\>" in md or "\\<img" in md


def test_markdown_escape() -> None:
    assert markdown_escape("a|b <c> *d* _e_ [f](g)\nh") == r"a\|b \<c\> \*d\* \_e\_ \[f\](g) h"
    assert markdown_escape(None) == ""
    assert markdown_escape(3) == 3


@pytest.mark.parametrize("kind", ALL)
def test_html_is_self_contained(kind: str, contexts: dict[str, Any]) -> None:
    html = html_of(kind, contexts)
    assert html.startswith("<!doctype html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "default-src 'none'" in html  # nothing may be fetched, no script may run
    # links and sources only to the page itself or inline data; namespaces are not fetched
    for attr, value in re.findall(r'\s((?:xlink:)?href|src)="([^"]*)"', html):
        assert value.startswith(("#", "data:")), (attr, value)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat across the page's charts"


def test_charts_are_inline_svg(contexts: dict[str, Any]) -> None:
    html = html_of("compare", contexts)
    # stack, output, welfare, and the sweep's two lines; each drawn wide and narrow
    assert html.count('<svg class="chart-wide" ') == 5
    assert html.count('<svg class="chart-narrow" ') == 5
    assert 'data-chart="sweep_welfare"' in html


def test_chart_svg_is_deterministic_and_escaped() -> None:
    chart = Chart("stacked", 'Patents "<b>"', ("2026", "2027"),
                  (Series("M <script>", (3.0, 2.0)), Series("N", (1.0, 0.0))), whole=True)
    first = svg(chart, prefix="x")
    assert first == svg(chart, prefix="x")
    assert re.findall(r'\sid="([^"]+)"', first)
    assert all(i.startswith("x-") for i in re.findall(r'\sid="([^"]+)"', first))
    assert first.startswith('<svg role="img" aria-label="Patents &quot;&lt;b&gt;&quot;"')
    assert "<script" not in first
    assert "M &lt;script&gt;" in first
    assert "<dc:date>" not in first
    assert "Matplotlib v" not in first


def test_top_series_sums_the_rest() -> None:
    series = [Series(f"m{n}", (float(n), 1.0)) for n in range(10)]
    kept = top_series(series, limit=3)
    assert [s.label for s in kept] == ["m8", "m9", "8 others"]
    assert kept[-1].values == (sum(range(8)), 8.0)


def test_json_is_the_context(contexts: dict[str, Any]) -> None:
    doc = json.loads(render("distribution", contexts["distribution"], "json"))
    assert (doc["collected"], doc["distributable"], doc["period"], doc["day"]) == (
        "10623.75", "9561.37", "2026Q1", "2026-03-31"
    )
    assert [(line["member"], line["share"], line["amount"]) for line in doc["lines"]] == [
        ("acme", "2/3", "6374.25"), ("boreal", "1/3", "3187.12")
    ]


def test_jsonable() -> None:
    assert jsonable({"a": (Decimal("1.50"), Fraction(1, 3), dt.date(2026, 1, 2))}) == {
        "a": ["1.50", "1/3", "2026-01-02"]
    }
    assert jsonable(frozenset({"FR", "DE"})) == ["DE", "FR"]
    with pytest.raises(TypeError):
        jsonable(object())


@pytest.mark.parametrize(
    ("locale", "amount", "share", "day"),
    [
        ("en", "$10,623.75", "66.67%", "Mar 31, 2026"),
        ("de", "10.623,75\xa0$", "66,67\xa0%", "31.03.2026"),
        ("fr", "10\u202f623,75\xa0$US", "66,67\xa0%", "31 mars 2026"),
    ],
)
def test_formatting_per_locale(locale: str, amount: str, share: str, day: str) -> None:
    with using_locale(parse_locale(locale)):
        assert money(Decimal("10623.75"), "USD") == amount
        assert percent(Fraction(2, 3)) == share
        assert date(dt.date(2026, 3, 31)) == day


def test_formatting_details() -> None:
    assert money(Decimal("0.125"), "EUR") == "€0.125"  # a rate keeps its digits
    assert money(Decimal("1234"), "JPY") == "¥1,234"  # no minor unit
    assert money(Fraction(301, 2), "USD") == "$150.50"
    assert number(1234567) == "1,234,567"
    assert number(Fraction(2, 3), 4) == "0.6667"
    assert percent(Decimal("0.005"), None) == "0.5%"
    assert percent(Fraction(1, 200), 0) == "1%"  # half up
    assert money(None, "USD") == ""
    assert date(None) == ""


def test_locale_changes_the_report(contexts: dict[str, Any]) -> None:
    html = html_of("distribution", contexts, locale="de")
    assert '<html lang="de">' in html
    assert "10.623,75\xa0$" in html


def test_unknown_locale() -> None:
    with pytest.raises(UnknownLocale, match="locale: unknown locale 'xx'"):
        parse_locale("xx")


def test_paper_size_reaches_the_stylesheet(contexts: dict[str, Any]) -> None:
    assert "size: A4;" in html_of("license", contexts)
    assert "size: letter;" in html_of("license", contexts, paper="letter")


def test_user_template_extends_the_default(contexts: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "pool.html").write_text(
        '{% extends "default:pool.html" %}{% block title %}Our pool{% endblock %}',
        encoding="utf-8",
    )
    html = html_of("pool", contexts, templates_dir=tmp_path)
    assert "<h1>Our pool</h1>" in html
    assert "Expiry timeline" in html


def test_user_partial_replaces_the_default(contexts: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "_frand.html").write_text("<p>Our own FRAND {{ report.licensor }}</p>",
                                          encoding="utf-8")
    html = html_of("license", contexts, templates_dir=tmp_path)
    assert "<p>Our own FRAND Example Grouping Alliance</p>" in html
    assert "default wording" not in html
    # other reports still come from the defaults
    assert "<h1>Pool report</h1>" in html_of("pool", contexts, templates_dir=tmp_path)


def test_user_templates_are_autoescaped(contexts: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "member.html").write_text("{{ report.member.name }}", encoding="utf-8")
    (tmp_path / "x").mkdir()
    q4, q1 = data.distributions()
    from patentpool.reports.member import member_context

    evil = member_context(data.REGISTER, "evil", [q4, q1], None, data.AS_OF)
    assert render("member", evil, "html", tmp_path) == (
        "Evil &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Corp"
    )


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ('{% include "_nope.html" %}', "template: '_nope.html' is not in {dir} or the default"),
        ('{% extends "default:nope.html" %}', "template: 'default:nope.html' is not in {dir}"),
        ("{% if %}", "template: {dir}/pool.html:1: "),
        ("{{ report.no_such_field }}", "template pool.html: "),
    ],
)
def test_broken_user_templates(
    contexts: dict[str, Any], tmp_path: Path, template: str, message: str
) -> None:
    (tmp_path / "pool.html").write_text(template, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        render("pool", contexts["pool"], "html", tmp_path)
    assert message.format(dir=tmp_path.resolve()) in str(caught.value)


def test_templates_dir_must_be_a_folder(contexts: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"--templates: .* is not a folder"):
        render("pool", contexts["pool"], "html", tmp_path / "missing")


def test_unknown_kind_format_and_context(contexts: dict[str, Any]) -> None:
    with pytest.raises(ReportError, match="report: unknown kind 'nope'"):
        render("nope", contexts["pool"], "html")
    with pytest.raises(ReportError, match="--format: 'xls' is not one of"):
        render("pool", contexts["pool"], "xls")
    with pytest.raises(TypeError, match="a pool report takes a PoolReport"):
        render("pool", contexts["member"], "html")


def test_urlencode_quotes_as_jinja_does_each_text_once() -> None:
    from jinja2.filters import do_urlencode

    from patentpool.reports.environment import _quoted, environment, urlencode

    for value in ("lic-0001", "a b/c&d", "ü", {"q": "x y"}, 7):
        assert urlencode(value) == do_urlencode(value)
    _quoted.cache_clear()
    template = environment(None, False).from_string("{{ a|urlencode }} {{ a|urlencode }}")
    assert template.render(a="a b") == "a%20b a%20b"
    assert _quoted.cache_info().hits == 1
