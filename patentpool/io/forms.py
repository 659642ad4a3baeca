"""Report forms: the workbooks a licensee fills in with a quarter's sales, and a member with
its declared patents (``patentpool template``).

The Sales (or Patents) sheet has the file's exact columns in its first row, with drop-down
lists (data validation) where a cell takes one of known values: the programme's categories,
ISO country codes, the period, the licensee. The Instructions sheet says in plain words what
to write and what each category costs; the Countries sheet lists the codes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from patentpool.core.countries import country_codes
from patentpool.core.licensing import PercentRate, PerUnitRate, Program, Schedule, TieredRate
from patentpool.core.model import Essentiality, Member, Standard, Status
from patentpool.io.licensing_schema import SALES_COLUMNS, SALES_REQUIRED
from patentpool.io.register_schema import PATENT_COLUMNS, PATENT_REQUIRED

#: How many rows of a form carry the drop-down lists.
FORM_ROWS = 2000


@dataclass(frozen=True, slots=True)
class SalesForm:
    """What a sales-report form says: the programme, its schedule for the period, and who
    and when it is for (when known)."""

    program: Program
    schedule: Schedule
    licensee: str | None = None
    period: str | None = None
    illustrative: bool = False


def rate_words(rate: Any, currency: str) -> str:
    """A category's rate in plain words."""
    if isinstance(rate, PerUnitRate):
        return f"{_money(rate.per_unit)} {currency} for every unit sold"
    if isinstance(rate, PercentRate):
        text = f"{_plain(rate.percent)}% of each unit's net selling price"
        bounds = []
        if rate.base_floor is not None:
            bounds.append(f"counted as at least {_money(rate.base_floor)} {currency}")
        if rate.base_cap is not None:
            bounds.append(f"at most {_money(rate.base_cap)} {currency}")
        return text + (f" ({', '.join(bounds)})" if bounds else "")
    if isinstance(rate, TieredRate):
        parts, above = [], 0
        for tier in rate.tiers:
            price = f"{_money(tier.per_unit)} {currency} a unit"
            if tier.up_to is None:
                parts.append(f"{price} above {above:,}")
            else:
                parts.append(f"{price} from unit {above + 1:,} to {tier.up_to:,}")
                above = tier.up_to
        return "; ".join(parts) + " (units counted over the calendar year)"
    return str(rate)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,f}"


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def instructions(form: SalesForm) -> list[str]:
    """The Instructions sheet's lines."""
    program, schedule = form.program, form.schedule
    cur = program.currency
    out = [f"Royalty report for programme {program.id} ({program.standard})"]
    if form.illustrative:
        out.append("Illustrative: made from a sample register; the rates are invented.")
    who = f"licensee {form.licensee}" if form.licensee else "your licensee id"
    when = f"the quarter {form.period}" if form.period else "the quarter (written like 2026Q1)"
    out += [
        "",
        f"Fill in the Sales sheet: one row per country of sale, country of manufacture and "
        f"category, for {when}, as {who}.",
        "Columns: " + ", ".join(SALES_COLUMNS) + f" (required: {', '.join(SALES_REQUIRED)}).",
        "Countries are ISO 3166 two-letter codes (see the Countries sheet); units are whole "
        f"numbers; net_sales is the amount invoiced in {cur}, needed for percentage rates "
        "(or in the ISO 4217 currency written in the currency column, left empty for "
        f"{cur}).",
        "Keep the first row (the column names) as it is; leave rows you do not need empty.",
        "",
        f"Rates from {schedule.effective_from.isoformat()}, in {cur}:",
    ]
    for category, rate in schedule.categories.items():
        out.append(f"  {category}: {rate_words(rate, cur)}")
    for region in schedule.regions:
        out.append(
            f"  sold in {', '.join(sorted(region.countries))}: the royalty times "
            f"{_plain(region.multiplier)}"
        )
    if schedule.annual_cap is not None:
        out.append(f"  at most {_money(schedule.annual_cap)} {cur} in a calendar year per group")
    discounts = schedule.discounts
    if discounts.good_standing:
        out.append(f"  licensees in good standing: {_plain(discounts.good_standing * 100)}% off")
    if discounts.member:
        out.append(f"  alliance members: {_plain(discounts.member * 100)}% off")
    return out


def sales_form(form: SalesForm) -> bytes:
    """The sales-report form as the bytes of an .xlsx workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sales"
    categories = sorted(form.schedule.categories)
    prefilled = {"licensee": form.licensee, "period": form.period, "program": form.program.id}
    _header(sheet, SALES_COLUMNS, SALES_REQUIRED)
    sheet.append([prefilled.get(c) for c in SALES_COLUMNS])
    lists = {
        **_long_lists(book, {"category": categories}),
        "country_of_sale": "Countries!$A$2:$A$" + str(len(country_codes()) + 1),
        "country_of_manufacture": "Countries!$A$2:$A$" + str(len(country_codes()) + 1),
        "program": _inline([form.program.id]),
    }
    if form.period:
        lists["period"] = _inline([form.period])
    if form.licensee:
        lists["licensee"] = _inline([form.licensee])
    _validations(sheet, SALES_COLUMNS, lists)
    _whole_numbers(sheet, SALES_COLUMNS.index("units"))
    _sheet_lines(book.create_sheet("Instructions", 1), instructions(form))
    _countries(book.create_sheet("Countries", 2))
    return _bytes(book)


def patents_form(
    members: Sequence[Member], standards: Sequence[Standard], illustrative: bool = False
) -> bytes:
    """The patents form a member fills in, as the bytes of an .xlsx workbook."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Patents"
    _header(sheet, PATENT_COLUMNS, PATENT_REQUIRED)
    lists = {
        "owner": [m.id for m in members],
        "standard": [s.id for s in standards],
        "version": sorted({v.id for s in standards for v in s.versions}),
        "status": [s.value for s in Status],
        "essentiality": [e.value for e in Essentiality],
    }
    formulas = _long_lists(book, {k: v for k, v in lists.items() if v})
    _validations(sheet, PATENT_COLUMNS, formulas)
    lines = ["Patents declared by a member: one row per patent and standard version."]
    if illustrative:
        lines.append("Illustrative: made from a sample register.")
    lines += [
        "",
        "Columns: " + ", ".join(PATENT_COLUMNS) + f" (required: {', '.join(PATENT_REQUIRED)}).",
        "publication_number with its office code and kind (EP1234567B1); dates YYYY-MM-DD;",
        "owner: the member's id, name or alias; validated_states: ISO codes separated by spaces.",
        "status: " + ", ".join(s.value for s in Status) + " (default granted); essentiality: "
        + ", ".join(e.value for e in Essentiality) + " (default declared).",
        "Keep the first row (the column names) as it is; leave rows you do not need empty.",
    ]
    _sheet_lines(book.create_sheet("Instructions", 1), lines)
    _countries(book.create_sheet("Countries", 2))
    return _bytes(book)


def _header(sheet: Any, columns: Sequence[str], required: Sequence[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append(list(columns))
    for i, name in enumerate(columns, start=1):
        sheet.cell(row=1, column=i).font = Font(bold=name in required)
        sheet.column_dimensions[get_column_letter(i)].width = max(len(name) + 4, 14)
    sheet.freeze_panes = "A2"


#: The longest list a drop-down holds in its own formula (Excel allows 255 characters).
INLINE_LIMIT = 250


def _inline(values: Iterable[str]) -> str:
    return '"' + ",".join(values) + '"'


def _long_lists(book: Any, lists: dict[str, list[str]]) -> dict[str, str]:
    """Each list's drop-down formula: written in it when short, else a column of a Lists
    sheet."""
    from openpyxl.utils import get_column_letter

    out, sheet = {}, None
    for name, values in lists.items():
        inline = _inline(values)
        if len(inline) <= INLINE_LIMIT:
            out[name] = inline
            continue
        if sheet is None:
            sheet = book.create_sheet("Lists")
        column = sheet.max_column + 1 if sheet.max_row > 1 or sheet["A1"].value else 1
        letter = get_column_letter(column)
        sheet.cell(row=1, column=column, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
        out[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    return out


def _validations(sheet: Any, columns: Sequence[str], lists: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for name, formula in lists.items():
        letter = get_column_letter(columns.index(name) + 1)
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.error = f"{name}: choose one of the list"
        check.errorTitle = name
        check.prompt = f"{name}: pick from the list"
        check.add(f"{letter}2:{letter}{FORM_ROWS + 1}")
        sheet.add_data_validation(check)


def _whole_numbers(sheet: Any, index: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(index + 1)
    check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    check.error = "units: a whole number of units"
    check.add(f"{letter}2:{letter}{FORM_ROWS + 1}")
    sheet.add_data_validation(check)


def _sheet_lines(sheet: Any, lines: list[str]) -> None:
    from openpyxl.styles import Font

    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 100


def _countries(sheet: Any) -> None:
    sheet.append(["code", "country"])
    for code, name in country_codes():
        sheet.append([code, name])
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "A2"


def _bytes(book: Any) -> bytes:
    book.properties.created = dt.datetime(2026, 1, 1)  # the same form is the same bytes
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
