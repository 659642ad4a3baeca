"""The files of an import read into a batch: plain values and problems, nothing written.

Which file is which (by suffix and header), each read by the module of its kind; a sales
file is only recognised here (its lines are read while it is checked). The import itself,
checking the batch against the register and writing it, is
:mod:`patentpool.services.imports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from patentpool.io.backup import FORMAT as BACKUP_FORMAT
from patentpool.io.fx_rates import RateQuote, is_rate_table, parse_rate_table
from patentpool.io.licensing_import import (
    LicensingBatch,
    parse_licensing_yaml,
    parse_payments_csv,
)
from patentpool.io.licensing_schema import LICENSING_KEYS, PAYMENT_REQUIRED, SALES_REQUIRED
from patentpool.io.problems import Problem
from patentpool.io.readers import (
    FileUnreadable,
    LineDict,
    header_names,
    iter_csv,
    load_yaml,
    normalize_header,
    read_csv,
    read_text,
    stream_rows,
    table_of,
)
from patentpool.io.register_events import is_events_header, parse_events_csv
from patentpool.io.register_import import (
    REGISTER_KEYS,
    RegisterBatch,
    parse_patents_csv,
    parse_register_yaml,
)
from patentpool.io.register_schema import PATENT_REQUIRED
from patentpool.io.sales_stream import SalesFile
from patentpool.io.workbooks import WORKBOOK_SUFFIXES

YAML_SUFFIXES = (".yaml", ".yml", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
SCENARIO_KEYS = frozenset({"scenario", "regimes"})


def collect_files(
    paths: Sequence[str | Path], references: dict[Path, str] | None = None
) -> tuple[list[Path], list[Problem]]:
    """Files named, and the import files found in folders (recursively, sorted).

    ``references``, when given, is told how each file is named where it is recorded: a file
    found in a folder by its path inside that folder, a file named by its name.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    refs: dict[Path, str] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in YAML_SUFFIXES + CSV_SUFFIXES + WORKBOOK_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                problems.append(
                    Problem(str(path), 0, "path", "folder holds no .yaml, .json, .csv or workbook")
                )
            files.extend(found)
            for p in found:
                refs.setdefault(p, p.relative_to(path).as_posix())
        elif path.is_file():
            files.append(path)
            refs.setdefault(path, path.name)
        else:
            problems.append(Problem(str(path), 0, "path", "does not exist"))
    if references is not None:
        references.update(refs)
    return list(dict.fromkeys(files)), problems


@dataclass
class Batch:
    register: RegisterBatch = field(default_factory=RegisterBatch)
    licensing: LicensingBatch = field(default_factory=LicensingBatch)
    notes: list[str] = field(default_factory=list)  # said in the summary: sheets skipped
    rates: list[RateQuote] = field(default_factory=list)  # reference rates, units per euro


def read_batch(
    files: Iterable[Path], references: Mapping[Path, str] | None = None
) -> tuple[Batch, list[Problem]]:
    batch = Batch()
    problems: list[Problem] = []
    for path in files:
        display = str(path)
        try:
            suffix = path.suffix.lower()
            if suffix in WORKBOOK_SUFFIXES:
                _read_workbook(path, display, batch, problems, (references or {}).get(path))
                continue
            if suffix in CSV_SUFFIXES and _is_sales_file(path, display):
                batch.licensing.sales_files.append(SalesFile(path, display))
                batch.licensing.references[display] = (references or {}).get(path, path.name)
                continue
            text = read_text(path, display, table=suffix not in YAML_SUFFIXES)
            if suffix in YAML_SUFFIXES:
                _read_yaml(text, display, batch, problems)
            elif suffix in CSV_SUFFIXES:
                reference = (references or {}).get(path, path.name)
                _read_csv(text, display, batch, problems, reference)
            else:
                problems.append(
                    Problem(display, 0, "file", "is neither YAML/JSON, CSV nor a workbook")
                )
        except FileUnreadable as exc:
            problems.append(exc.problem)
    return batch, problems


#: The required columns of each file a workbook's sheet may be.
SHEET_KINDS = {
    "patents": PATENT_REQUIRED,
    "sales": SALES_REQUIRED,
    "payments": PAYMENT_REQUIRED,
}


def _read_workbook(
    path: Path, display: str, batch: Batch, problems: list[Problem], reference: str | None
) -> None:
    """Each sheet whose header (the first row holding a kind's required columns) is that of
    a patents, sales or payments file, read as that file is; the others named as skipped."""
    from patentpool.io import workbooks

    for name in workbooks.sheet_names(path, display):
        sheet = workbooks.Sheet(path, display, name)
        found = sheet.header(SHEET_KINDS)
        if found is None:
            batch.notes.append(
                f"{display}: sheet {name!r} skipped: no row of it holds the columns of a "
                "patents, sales or payments file"
            )
            continue
        kind, line, cells = found
        if kind == "sales":
            sales = SalesFile(path, display, name, sheet.height, [sheet])
            batch.licensing.sales_files.append(sales)
            batch.licensing.references[display] = reference or path.name
            continue
        problems.extend(sheet.formula_problems())
        header = header_names(cells, display, line)
        if kind == "patents":
            rows = list(sheet.rows())
            parse_patents_csv(display, line, header, rows, batch.register, problems, name)
        else:
            parse_payments_csv(table_of(display, line, header, sheet.rows(), name),
                               batch.licensing, problems)  # fmt: skip


def _read_yaml(text: str, display: str, batch: Batch, problems: list[Problem]) -> None:
    data = load_yaml(text, display)
    if data is None:
        problems.append(Problem(display, 1, "file", "is empty"))
        return
    if not isinstance(data, LineDict):
        problems.append(
            Problem(
                display,
                1,
                "file",
                "must be a mapping of sections (alliance, members, standards, licensees, "
                f"programs), not a {_kind(data)}",
            )
        )
        return
    if SCENARIO_KEYS & set(data):
        problems.append(
            Problem(
                display, 1, "file", "is a regime scenario; run it with `patentpool compare FILE`"
            )
        )
        return
    if data.get("format") == BACKUP_FORMAT:
        problems.append(
            Problem(
                display,
                1,
                "file",
                "is the manifest of a backup; restore its folder into an empty database with "
                "`patentpool restore FOLDER`",
            )
        )
        return
    known = REGISTER_KEYS | LICENSING_KEYS
    for key in data:
        if key not in known:
            problems.append(
                Problem(
                    display,
                    data.key_lines.get(key, 1),
                    key,
                    f"unknown section (expected one of: {', '.join(sorted(known))})",
                )
            )
    if REGISTER_KEYS & set(data):
        parse_register_yaml(data, display, batch.register, problems)
    if LICENSING_KEYS & set(data):
        parse_licensing_yaml(data, display, batch.licensing, problems)


def _is_sales_file(path: Path, display: str) -> bool:
    """Does the CSV's header make it a sales report? (Read without loading the file.)"""
    first = next(stream_rows(path, display), None)
    if first is None:
        return False
    return _kind_of(frozenset(normalize_header(h) for h in first[1])) == "a sales report"


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def _read_csv(
    text: str, display: str, batch: Batch, problems: list[Problem], reference: str
) -> None:
    rows = iter_csv(text, display)
    first = next(rows, None)
    if first is not None and is_rate_table(first[1]):
        found: list[Problem] = []
        quotes = parse_rate_table([first, *rows], display, found)
        problems.extend(found)
        batch.rates.extend(RateQuote(q.day, q.currency, q.rate, reference) for q in quotes)
        return
    if first is not None:
        header_line, cells = first
        names = header_names(cells, display, header_line)
        if is_events_header(names):
            parse_events_csv(read_csv(text, display), batch.register.events, problems)
            return
        if "publication_number" in names:  # read as lists of cells: tens of thousands of rows
            parse_patents_csv(display, header_line, names, list(rows), batch.register, problems)
            return
    table = read_csv(text, display)
    header = set(table.header)
    if {"amount", "received"} & header:
        parse_payments_csv(table, batch.licensing, problems)
    else:
        message = (
            "is not a file patentpool imports: a patents CSV has publication_number, an events "
            "file publication_number, date and event, a sales report units and category, a "
            "payments file amount and received, a rate table Date and currency codes (see "
            "docs/formats.md)"
        )
        problems.append(Problem(display, table.header_line, "header", message))


def _kind_of(columns: frozenset[str]) -> str | None:
    """Which file the columns make, by the rules of read_batch and _read_csv."""
    if is_events_header(columns):
        return "an events file"
    if "publication_number" in columns:
        return "a patents CSV"
    if {"units", "category"} & columns:
        return "a sales report"
    if {"amount", "received"} & columns:
        return "a payments file"
    return None
