"""Everything the licensing importer accepts is stored, read back and priced.

Hypothesis writes licensing files - a programme with an administration fee, discounts, per-unit,
percent (with floors and caps) and tiered rates, annual caps and region multipliers over one to
three schedules of 2025, every number written one of the ways the format allows (plain, with
trailing zeros, with an exponent, with thousands commas or underscores, unquoted, as a
percentage or as a fraction) - and a sales file for 2025Q1 and 2025Q4. Each pair is imported
through the command line into a copy of one SQLite database holding the small register.

- The import succeeds exactly when every value, as it is kept (a percentage as its fraction),
  has at most 12 decimal places; otherwise it is refused with the 12-decimal message.
- After a successful import, ``programs list`` gives back every value as it was given, and
  ``royalties`` (table and JSON, both quarters) and ``distribute`` run without an unexpected
  error.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from register_files import write_register

from patentpool.cli import cli
from patentpool.io.licensing_schema import MAX_DECIMALS
from patentpool.services.imports import import_paths
from patentpool.storage.engine import dispose_all, session_for
from patentpool.storage.migrate import upgrade

CATEGORIES = ("tv", "phone", "codec")
LICENSEES = [
    {"id": "l1", "name": "L1 Devices", "group": "g"},
    {"id": "l2", "name": "L2 Devices", "group": "g", "member": True},
    {"id": "l3", "name": "L3 Devices", "good_standing": True},
]
PROGRAM = "prop-v1"


class Value:
    """A number as written in the file, and the value it must be kept as."""

    def __init__(self, written: object, value: Decimal) -> None:
        self.written = written
        self.value = value

    @property
    def fits(self) -> bool:
        exponent = self.value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        return -exponent <= MAX_DECIMALS


def _written(value: Decimal, style: str) -> object:
    plain = format(value, "f")
    if style == "zeros":
        return plain + ("000" if "." in plain else ".000")
    if style == "exponent":
        return format(value, "E")
    if style == "grouped":
        return format(value, ",f")
    if style == "underscore" and len(plain.split(".")[0]) > 1:
        return plain[0] + "_" + plain[1:]
    if style == "unquoted":
        if value == value.to_integral_value() and "." not in plain:
            return int(value)
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            return as_float
    return plain


STYLES = st.sampled_from(("plain", "zeros", "exponent", "grouped", "underscore", "unquoted"))
#: mostly places that fit, now and then too many (as written, or as a percentage's fraction)
PLACES = st.integers(0, 99).map(lambda n: n % 5 if n < 60 else n % 11 if n < 98 else n - 87)
#: a percentage now and then has 11 or 12 places: it fits as written, not as a fraction
PERCENT_PLACES = st.integers(0, 99).map(lambda n: n % 5 if n < 95 else 11 + n % 2)


@st.composite
def numbers(
    draw: st.DrawFn,
    high: int,
    styles: st.SearchStrategy[str] = STYLES,
    decimals: st.SearchStrategy[int] = PLACES,
) -> Value:
    """A number from 0 to ``high``."""
    places = draw(decimals)
    value = Decimal(draw(st.integers(0, high * 10**places))).scaleb(-places)
    return Value(_written(value, draw(styles)), value)


@st.composite
def shares(draw: st.DrawFn) -> Value:
    """A share from 0 to 1, written as a percentage ("10%") or as a fraction (0.1)."""
    if draw(st.booleans()):
        percent = draw(numbers(100, STYLES.filter(lambda s: s != "unquoted"), PERCENT_PLACES))
        return Value(f"{percent.written}%", percent.value / 100)
    return draw(numbers(1))


@st.composite
def rates(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A category's rate: as written, and as it must be kept."""
    kind = draw(st.sampled_from(("per_unit", "percent", "tiers")))
    if kind == "per_unit":
        price = draw(numbers(1000))
        return {"per_unit": price.written}, {"per_unit": price}
    if kind == "percent":
        rate = draw(numbers(100))
        written: dict[str, Any] = {"percent": rate.written}
        kept: dict[str, Any] = {"percent": rate}
        floor, cap = draw(st.lists(st.none() | numbers(10**6), min_size=2, max_size=2))
        if floor is not None and cap is not None and floor.value > cap.value:
            floor, cap = cap, floor
        for name, bound in (("base_floor", floor), ("base_cap", cap)):
            if bound is not None:
                written[name], kept[name] = bound.written, bound
        return written, kept
    bounds = sorted(draw(st.sets(st.integers(1, 10**7), max_size=3)))
    prices = [draw(numbers(10)) for _ in range(len(bounds) + 1)]
    tiers = [{"up_to": b, "per_unit": p.written} for b, p in zip(bounds, prices, strict=False)]
    tiers.append({"per_unit": prices[-1].written})
    return {"tiers": tiers}, {"tiers": list(zip([*bounds, None], prices, strict=True))}


@st.composite
def schedules(draw: st.DrawFn, day: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    written: dict[str, Any] = {"effective_from": day.isoformat(), "categories": {}}
    kept: dict[str, Any] = {"categories": {}}
    for category in CATEGORIES:
        written["categories"][category], kept["categories"][category] = draw(rates())
    if draw(st.booleans()):
        cap = draw(numbers(10**9))
        written["annual_cap"], kept["annual_cap"] = cap.written, cap
    if draw(st.booleans()):
        multiplier = draw(numbers(3))
        written["regions"] = [{"id": "r", "countries": ["US"], "multiplier": multiplier.written}]
        kept["multiplier"] = multiplier
    good, member = draw(shares()), draw(shares())
    written["discounts"] = {"good_standing": good.written, "member": member.written}
    kept["discounts"] = (good, member)
    return written, kept


@st.composite
def licensing(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A licensing file, what it must be kept as, and a sales file."""
    later = sorted(draw(st.sets(st.integers(1, 364), max_size=2)))
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=n) for n in [0, *later]]
    pairs = [draw(schedules(day)) for day in days]
    fee = draw(shares())
    program = {
        "id": PROGRAM,
        "standard": "IGRS",
        "versions": ["1.0"],
        "currency": draw(st.sampled_from(("USD", "JPY", "BHD"))),
        "admin_fee": fee.written,
        "schedules": [w for w, _ in pairs],
    }
    kept = {"admin_fee": fee, "schedules": [k for _, k in pairs]}
    lines = ["licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales"]
    for period, licensee, category in itertools.product(
        ("2025Q1", "2025Q4"), ("l1", "l2", "l3"), CATEGORIES
    ):
        units = draw(st.sampled_from((0, 1, 7, 1000, 250000)))
        net = draw(st.integers(0, 10**9)) / Decimal(100)
        sale = draw(st.sampled_from(("US", "DE", "VN")))
        lines.append(f"{licensee},{period},{sale},CN,{category},{units},{net}")
    document = {"licensees": LICENSEES, "programs": [program]}
    return document, kept, "\n".join(lines) + "\n"


def _values(kept: dict[str, Any]) -> Iterator[Value]:
    yield kept["admin_fee"]
    for schedule in kept["schedules"]:
        for rate in schedule["categories"].values():
            for name, value in rate.items():
                if name == "tiers":
                    yield from (price for _, price in value)
                else:
                    yield value
        yield from (schedule[k] for k in ("annual_cap", "multiplier") if k in schedule)
        yield from schedule["discounts"]


def _read_back(doc: dict[str, Any], kept: dict[str, Any]) -> None:
    """The programme listed is the programme given, value by value."""

    def same(shown: str | None, value: Value) -> None:
        assert shown is not None
        assert Decimal(shown) == value.value, (shown, value.written)

    same(doc["admin_fee"], kept["admin_fee"])
    assert len(doc["schedules"]) == len(kept["schedules"])
    for shown, wanted in zip(doc["schedules"], kept["schedules"], strict=True):
        for category, rate in wanted["categories"].items():
            listed = shown["categories"][category]
            for name, value in rate.items():
                if name == "tiers":
                    assert [t["up_to"] for t in listed["tiers"]] == [b for b, _ in value]
                    for tier, (_, price) in zip(listed["tiers"], value, strict=True):
                        same(tier["per_unit"], price)
                else:
                    same(listed[name], value)
            assert {k for k, v in listed.items() if v is not None} == set(rate)
        if "annual_cap" in wanted:
            same(shown["annual_cap"], wanted["annual_cap"])
        else:
            assert shown["annual_cap"] is None
        if "multiplier" in wanted:
            same(shown["regions"][0]["multiplier"], wanted["multiplier"])
        good, member = wanted["discounts"]
        same(shown["discounts"]["good_standing"], good)
        same(shown["discounts"]["member"], member)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the small register."""
    folder = write_register(tmp_path_factory.mktemp("round-trip-register"))
    path = folder / "template.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with session_for(url) as session:
        import_paths(session, [folder])
    dispose_all()
    return path


@pytest.fixture
def fresh(template: Path, tmp_path: Path) -> Callable[[], tuple[str, Path]]:
    """A new copy of the template database and an empty folder, for each example."""
    counter = itertools.count()

    def make() -> tuple[str, Path]:
        n = next(counter)
        folder = tmp_path / f"example-{n}"
        folder.mkdir()
        path = folder / "pool.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}", folder

    return make


def cli_run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", url, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=licensing())
def test_what_is_accepted_is_read_back_and_priced(
    fresh: Callable[[], tuple[str, Path]], case: tuple[dict[str, Any], dict[str, Any], str]
) -> None:
    document, kept, sales = case
    url, folder = fresh()
    (folder / "licensing.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    (folder / "sales.csv").write_text(sales, encoding="utf-8")
    try:
        code, _out, err = cli_run(
            url, "import", str(folder / "licensing.yaml"), str(folder / "sales.csv")
        )
        fits = all(v.fits for v in _values(kept))
        event("accepted" if fits else "refused")
        if not fits:
            assert code == 1
            assert f"has more than {MAX_DECIMALS} decimal places" in err
            return
        assert code == 0, err
        code, out, err = cli_run(url, "programs", "list", "--format", "json")
        assert code == 0, err
        (listed,) = json.loads(out)
        _read_back(listed, kept)
        for period in ("2025Q1", "2025Q4"):
            args = ("--program", PROGRAM, "--period", period)
            code, _out, err = cli_run(url, "royalties", *args)
            assert code == 0, err
            code, out, err = cli_run(url, "royalties", *args, "--format", "json")
            assert code == 0, err
            assert json.loads(out)["period"] == period
        code, _out, err = cli_run(
            url, "distribute", "--program", PROGRAM, "--period", "2025Q4", "--basis", "due"
        )
        assert code == 0 or (code == 1 and err.startswith("Error: ")), err
        assert "unexpected" not in err
    finally:
        dispose_all()
