"""One sales line checked: every rule a line of a sales report is held to, each written once.

:class:`LineChecker` checks a line field by field and names every problem; the line reader
(:mod:`patentpool.io.sales_stream`) takes a faster path for a line like the good ones before
it, and the column reader (:mod:`patentpool.io.sales_columns`) checks each distinct value of a
block by these same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from patentpool.core.countries import normalize_country
from patentpool.core.licensing import PercentRate, Program, Rate
from patentpool.core.money import MINOR_UNITS
from patentpool.core.periods import Period, period_problem
from patentpool.errors import InvalidInput
from patentpool.io.licensing_schema import (
    SALES_COLUMNS,
    SALES_REQUIRED,
    is_plain_units,
    parse_rate,
    parse_units,
)
from patentpool.io.problems import Problem, Source
from patentpool.io.readers import FileUnreadable, check_header, header_names

ReportKey = tuple[str, str, Period]  # (programme, licensee, period)


@dataclass(frozen=True, slots=True)
class SalesRules:
    """What a sales line is checked against."""

    programs: Mapping[str, Program]
    licensees: frozenset[str]


def read_units(text: str) -> int:
    """Whole, non-negative, bounded units; plain digits take the fast path."""
    if is_plain_units(text):
        return int(text)
    units: int = parse_units(text)
    return units


def read_money(text: str) -> Decimal | None:
    """Net sales: the same number rules as every money field, and never negative."""
    number: Decimal | None = parse_rate(text)
    return number


@dataclass(frozen=True, slots=True)
class Header:
    index: Mapping[str, int]
    width: int


def read_header(cells: list[str], source: Source, problems: list[Problem]) -> Header | None:
    try:
        names = list(header_names(cells, source.file, source.line))
    except FileUnreadable as exc:
        problems.append(exc.problem)
        return None
    unknown = "unknown column (see docs/royalties.md)"
    if not check_header(names, SALES_COLUMNS, SALES_REQUIRED, source, problems, unknown):
        return None
    return Header({n: i for i, n in enumerate(names) if n}, len(names))


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each field of a sales line is (``net``, ``program`` and ``currency`` may be
    absent)."""

    licensee: int
    period: int
    sale: int
    made: int
    category: int
    units: int
    net: int | None
    program: int | None
    currency: int | None = None

    @classmethod
    def of(cls, header: Header) -> Columns:
        ix = header.index
        return cls(
            ix["licensee"], ix["period"], ix["country_of_sale"], ix["country_of_manufacture"],
            ix["category"], ix["units"], ix.get("net_sales"), ix.get("program"),
            ix.get("currency"),
        )  # fmt: skip


#: sale, made, category, currency ("" when not given: the programme's), units, net
LineRecord = tuple[str, str, str, str, int, Decimal | None]
#: A line's problems, (field, message) each.
LineProblems = list[tuple[str, str]]
_T = TypeVar("_T")


def _checked(bad: LineProblems, name: str, check: Callable[[str], _T], text: str) -> _T | None:
    """``check(text)``, or None with its problem added to ``bad`` as ``name``'s."""
    try:
        return check(text)
    except ValueError as exc:
        bad.append((name, str(exc)))
        return None


def read_currency(text: str) -> str:
    """An ISO 4217 code (any case), or "" for a cell left empty: the programme's currency."""
    code = text.strip().upper()
    if code and code not in MINOR_UNITS:
        known = ", ".join(sorted(MINOR_UNITS))
        raise ValueError(f"unknown currency {text.strip()!r} (ISO 4217; known: {known})")
    return code


def _category(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


class LineChecker:
    """Checks one line; caches what repeats (periods, countries, schedules)."""

    def __init__(self, rules: SalesRules) -> None:
        self.rules = rules
        self.periods: dict[str, Period | str] = {}
        self.countries: dict[str, str | None] = {}
        self.currencies: dict[str, str] = {}  # cells found good -> their code
        self.rates: dict[tuple[str, Period], Mapping[str, Rate] | str] = {}
        self.only = next(iter(rules.programs)) if len(rules.programs) == 1 else None

    def period(self, text: str) -> Period:
        found = self.periods.get(text)
        if found is None:
            try:
                found = Period.parse(text)
            except InvalidInput:
                found = period_problem(text)
            self.periods[text] = found
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def country(self, text: str) -> str:
        if text not in self.countries:
            try:
                self.countries[text] = normalize_country(text)
            except ValueError:
                self.countries[text] = None
        code = self.countries[text]
        if code is None:
            raise ValueError(f"unknown country code {text.strip()!r}")
        return code

    def program(self, written: str) -> str:
        if written:
            if written not in self.rules.programs:
                raise ValueError(f"unknown programme {written!r}")
            return written
        if self.only is not None:
            return self.only
        if not self.rules.programs:
            raise ValueError(
                "no licensing programme exists yet; "
                "import one (licensing YAML) first or with this file"
            )
        raise ValueError(
            f"several programmes exist ({', '.join(sorted(self.rules.programs))}); "
            "add a program column"
        )

    def currency(self, text: str) -> str:
        code = self.currencies.get(text)
        if code is None:
            code = self.currencies[text] = read_currency(text)
        return code

    def licensee(self, text: str) -> str:
        if not text:
            raise ValueError("must not be empty")
        if text not in self.rules.licensees:
            raise ValueError(f"unknown licensee {text!r}")
        return text

    def line(
        self, cells: list[str], cols: Columns
    ) -> tuple[ReportKey, LineRecord, bool] | LineProblems:
        """Every check of one line (as wide as the header): its report, its record and whether
        its category is charged a percent; or every problem of the line."""
        bad: LineProblems = []
        licensee = _checked(bad, "licensee", self.licensee, cells[cols.licensee])
        period = _checked(bad, "period", self.period, cells[cols.period])
        sale = _checked(bad, "country_of_sale", self.country, cells[cols.sale])
        made = _checked(bad, "country_of_manufacture", self.country, cells[cols.made])
        category = _checked(bad, "category", _category, cells[cols.category])
        units = _checked(bad, "units", read_units, cells[cols.units])
        net_text = "" if cols.net is None else cells[cols.net]
        net = _checked(bad, "net_sales", read_money, net_text) if cols.net is not None else None
        program_text = "" if cols.program is None else cells[cols.program]
        program = _checked(bad, "program", self.program, program_text)
        currency = "" if cols.currency is None else cells[cols.currency]
        code = _checked(bad, "currency", self.currency, currency) if currency else ""
        percent = False
        if program is not None and period is not None and category is not None:
            percent = self.rate_problems(bad, program, period, category, net_text)
        if bad:
            return bad
        # a check that found no problem gave a value
        assert licensee is not None
        assert sale is not None
        assert made is not None
        assert category is not None
        assert units is not None
        assert program is not None
        assert period is not None
        assert code is not None
        return (program, licensee, period), (sale, made, category, code, units, net), percent

    def rate_problems(
        self, bad: LineProblems, program: str, period: Period, category: str, net_text: str
    ) -> bool:
        """Is ``category`` charged a percent in ``program`` for ``period``? Adds to ``bad``
        when no schedule or rate prices it, or when it needs net sales the line does not give
        (``net_text`` as written)."""
        try:
            rates = self.rates_for(program, period)
        except ValueError as exc:
            bad.append(("period", str(exc)))
            return False
        rate = rates.get(category)
        if rate is None:
            known = ", ".join(sorted(rates))
            bad.append(("category", f"unknown category {category!r} in {program} (known: {known})"))
            return False
        percent = isinstance(rate, PercentRate)
        if percent and not net_text:
            message = f"is required: {category} is charged a percent of the net selling price"
            bad.append(("net_sales", message))
        return percent

    def rates_for(self, program: str, period: Period) -> Mapping[str, Rate]:
        key = (program, period)
        if key not in self.rates:
            try:
                self.rates[key] = self.rules.programs[program].schedule_for(period).categories
            except InvalidInput as exc:
                self.rates[key] = str(exc).partition(": ")[2] or str(exc)
        found = self.rates[key]
        if isinstance(found, str):
            raise ValueError(found)
        return found
