"""Parse and check licensing files (licensees, programmes, sales reports, payments)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from patentpool.core.fx import RateTable, conversion_for, conversion_on
from patentpool.core.licensing import Licensee, Program
from patentpool.core.licensing_records import LicensingState, Payment
from patentpool.core.model import Register, Standard
from patentpool.core.money import round_money
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput
from patentpool.io.licensing_convert import licensee_from, program_from, program_spec
from patentpool.io.licensing_schema import (
    LICENSING_KEYS,
    PAYMENT_COLUMNS,
    PAYMENT_REQUIRED,
    LicensingFileIn,
    PaymentRowIn,
)
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.readers import CsvTable, line_in, parse_records
from patentpool.io.sales_stream import (
    LineStage,
    ReportKey,
    ReportScan,
    SalesFile,
    SalesRules,
    scan_sales,
)
from patentpool.io.types import plain_digits


@dataclass
class LicensingBatch:
    licensees: list[tuple[Licensee, Source]] = field(default_factory=list)
    # (ProgramIn, source, field prefix, the file's data to find a nested field's line)
    programs: list[tuple[Any, Source, str, Any]] = field(default_factory=list)
    sales_files: list[SalesFile] = field(default_factory=list)
    #: a sales file's display -> the name its reports are recorded under (see collect_files)
    references: dict[str, str] = field(default_factory=dict)
    payments: list[tuple[PaymentRowIn, Source]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.licensees or self.programs or self.sales_files or self.payments)


@dataclass
class LicensingChanges:
    """What the licensing files of an import change in the register: plain values, each as
    the files say it (how the sales files are read and written is the services' concern)."""

    licensees: list[Licensee] = field(default_factory=list)
    programs: list[tuple[Program, str]] = field(default_factory=list)  # (program, spec JSON)
    reports: dict[ReportKey, ReportScan] = field(default_factory=dict)  # reports that changed
    sales_files: list[SalesFile] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # as in LicensingBatch
    payments: list[Payment] = field(default_factory=list)
    log: list[tuple[str, str, str, str, Source]] = field(default_factory=list)


def parse_licensing_yaml(
    data: Mapping[str, Any], file: str, batch: LicensingBatch, problems: list[Problem]
) -> None:
    try:
        parsed = LicensingFileIn.model_validate(
            {k: v for k, v in data.items() if k in LICENSING_KEYS}
        )
    except ValidationError as exc:
        problems.extend(
            pydantic_problems(exc, Source(file, 1), line_of=lambda loc: line_in(data, loc, 1))
        )
        return
    for i, item in enumerate(parsed.licensees):
        batch.licensees.append(
            (licensee_from(item), Source(file, line_in(data, ("licensees", i), 1)))
        )
    for i, program in enumerate(parsed.programs):
        batch.programs.append(
            (program, Source(file, line_in(data, ("programs", i), 1)), f"programs.{i}", data)
        )


def parse_payments_csv(table: CsvTable, batch: LicensingBatch, problems: list[Problem]) -> None:
    batch.payments.extend(
        parse_records(
            table,
            PaymentRowIn,
            PAYMENT_COLUMNS,
            PAYMENT_REQUIRED,
            "unknown column (see docs/royalties.md)",
            problems,
        )
    )


def _split_field(message: str, default: str) -> tuple[str, str]:
    head, sep, rest = message.partition(": ")
    if sep and " " not in head:
        return head, rest
    return default, message


def check_licensing(
    register: Register,
    state: LicensingState,
    batch: LicensingBatch,
    stage: LineStage | None = None,
    advance: Callable[[int], None] | None = None,
) -> tuple[LicensingChanges, list[Problem]]:
    """The changes ``batch`` makes to the licensing ``state``, and every problem.

    The sales files are read once here: ``stage``, when given, keeps the checked blocks of
    every file, and ``advance`` is told of the lines read, for progress.
    """
    problems: list[Problem] = []
    out = LicensingChanges()
    licensees = _merge_licensees(state, batch, out, problems)
    programs = _merge_programs(register, state, batch, out, problems)
    rules = SalesRules({k: v[0] for k, v in programs.items()}, frozenset(licensees))
    scanned = _scan_sales_files(batch, rules, problems, stage, advance)
    out.sales_files = list(batch.sales_files)
    out.references = dict(batch.references)
    _log_reports(state, scanned, out)
    _choose_rates(state, programs, out, problems)
    reported = set(state.reports) | set(scanned)
    _check_payments(state, batch, licensees, programs, reported, out, problems)
    return out, problems


def _merge_licensees(
    state: LicensingState, batch: LicensingBatch, out: LicensingChanges, problems: list[Problem]
) -> dict[str, Licensee]:
    """The licensees with the batch's merged in; each listed once."""
    licensees = dict(state.licensees)
    seen_l: dict[str, Source] = {}
    for licensee, source in batch.licensees:
        if licensee.id in seen_l:
            problems.append(
                Problem.at(
                    source,
                    "licensees.id",
                    f"licensee {licensee.id!r} is listed twice (first on {seen_l[licensee.id]})",
                )
            )
            continue
        seen_l[licensee.id] = source
        before = licensees.get(licensee.id)
        licensees[licensee.id] = licensee
        if before != licensee:
            out.licensees.append(licensee)
            out.log.append(
                (
                    "licensee",
                    licensee.id,
                    "added" if before is None else "updated",
                    licensee.name,
                    source,
                )
            )
    return licensees


_Programs = dict[str, tuple[Program, str]]  # id -> (programme, spec JSON)


def _merge_programs(
    register: Register,
    state: LicensingState,
    batch: LicensingBatch,
    out: LicensingChanges,
    problems: list[Problem],
) -> _Programs:
    """The programmes with the batch's merged in; each listed once, on a known standard."""
    standards = register.standard_index()
    programs = dict(state.programs)
    seen_p: dict[str, Source] = {}
    for item, source, prefix, data in batch.programs:
        if item.id in seen_p:
            problems.append(
                Problem.at(
                    source,
                    f"{prefix}.id",
                    f"programme {item.id!r} is listed twice (first on {seen_p[item.id]})",
                )
            )
            continue
        seen_p[item.id] = source
        program = _program(item, source, prefix, data, standards, problems)
        if program is None:
            continue
        spec = program_spec(item)
        before_p = programs.get(item.id)
        programs[item.id] = (program, spec)
        if before_p is None or before_p[1] != spec:
            out.programs.append((program, spec))
            out.log.append(
                (
                    "program",
                    item.id,
                    "added" if before_p is None else "updated",
                    f"{item.standard} {', '.join(item.versions)}",
                    source,
                )
            )
    return programs


def _program(
    item: Any,
    source: Source,
    prefix: str,
    data: Any,
    standards: Mapping[str, Standard],
    problems: list[Problem],
) -> Program | None:
    """The programme an entry of the file describes, or None with its problem added."""
    standard = standards.get(item.standard)
    if standard is None:
        problems.append(
            Problem.at(source, f"{prefix}.standard", f"unknown standard {item.standard!r}")
        )
        return None
    bad_versions = [v for v in item.versions if standard.version(v) is None]
    if bad_versions:
        problems.append(
            Problem.at(
                source,
                f"{prefix}.versions",
                f"{item.standard} has no version {', '.join(map(repr, bad_versions))}",
            )
        )
        return None
    try:
        return program_from(item)
    except InvalidInput as exc:
        name, message = _split_field(str(exc), "program")
        path = tuple(int(p) if plain_digits(p) else p for p in f"{prefix}.{name}".split("."))
        where = Source(source.file, line_in(data, path, source.line))
        problems.append(Problem.at(where, f"{prefix}.{name}", message))
        return None


def _scan_sales_files(
    batch: LicensingBatch,
    rules: SalesRules,
    problems: list[Problem],
    stage: LineStage | None,
    advance: Callable[[int], None] | None,
) -> dict[ReportKey, ReportScan]:
    """Every sales file checked line by line (first pass); one report per licensee,
    programme and quarter in the whole import."""
    scanned: dict[ReportKey, ReportScan] = {}
    for sales_file in batch.sales_files:
        scan = scan_sales(sales_file, rules, problems, advance, stage)
        for report_key, report in scan.reports.items():
            first = scanned.get(report_key)
            if first is not None:  # one report per licensee, programme and quarter
                program_id, licensee_id, period = report_key
                problems.append(
                    Problem(
                        report.file,
                        report.line,
                        "licensee",
                        f"a second sales report of {licensee_id} for {period} in {program_id}: "
                        f"{first.file}:{first.line} of this import reports it already; "
                        "send one file per licensee and quarter (a later import of the "
                        "quarter is a correction)",
                    )
                )
                continue
            scanned[report_key] = report
    return scanned


def _choose_rates(
    state: LicensingState, programs: _Programs, out: LicensingChanges, problems: list[Problem]
) -> None:
    """The rate of each other currency a changed report's lines name, chosen now by the
    programme's rule for the quarter (kept with the report); a currency without a rate for the
    quarter is a problem of the report's first line."""
    table: RateTable | None = None
    for (program_id, _licensee, period), report in sorted(out.reports.items()):
        found = programs.get(program_id)
        if not report.currencies or found is None:
            continue
        if table is None:  # the table named by its files, not by each quote's line
            table = replace(state.rates, source=rate_files(state.rates.source))
        program = found[0]
        rule = program.fx_rule_for(period)
        for code in sorted(report.currencies - {program.currency}):
            try:
                report.fx[code] = conversion_for(table, code, program.currency, period, rule)
            except InvalidInput as exc:
                field, message = _split_field(str(exc), "currency")
                problems.append(Problem(report.file, report.line, field, message))


def rate_files(source: str) -> str:
    """The files a rate table's ``FILE:LINE`` sources name, each once."""
    files = {part.rsplit(":", 1)[0] if part.rsplit(":", 1)[-1].isdigit() else part
             for part in source.split(", ") if part}  # fmt: skip
    return ", ".join(sorted(files))


def _log_reports(
    state: LicensingState, scanned: Mapping[ReportKey, ReportScan], out: LicensingChanges
) -> None:
    """The reports that are new, or differ from the stored ones (a correction)."""
    for report_key, report in sorted(scanned.items()):
        before_sum = state.reports.get(report_key)
        if before_sum != report.digest():
            out.reports[report_key] = report
            action = "added" if before_sum is None else "corrected"
            program_id, licensee_id, period = report_key
            out.log.append(
                (
                    "sales report",
                    f"{program_id} {licensee_id} {period}",
                    action,
                    f"{report.lines} lines, {report.units} units",
                    Source(report.file, report.line),
                )
            )


def _paid_under(written: str | None, source: Source, programs: _Programs) -> Program | str:
    """The programme a payment row names (or the only one), or the problem."""
    if written:
        found = programs.get(written)
        return f"unknown programme {written!r}" if found is None else found[0]
    if len(programs) == 1:
        return next(iter(programs.values()))[0]
    if not programs:
        return (
            "no licensing programme exists yet; import one (licensing YAML) first or with this file"
        )
    return f"several programmes exist ({', '.join(sorted(programs))}); add a program column"


def _converted(
    state: LicensingState,
    prow: PaymentRowIn,
    program: Program,
    source: Source,
    problems: list[Problem],
) -> tuple[Decimal, str | None] | None:
    """The payment's amount in the programme's currency, and the rate that converted it (None
    when it was paid in that currency); None after a problem."""
    if prow.currency is None or prow.currency == program.currency:
        return prow.amount, None
    try:
        conv = conversion_on(state.rates, prow.currency, program.currency, prow.received)
        amount = round_money(conv.apply(prow.amount), program.currency)
    except InvalidInput as exc:
        field, message = _split_field(str(exc), "currency")
        problems.append(Problem.at(source, field, message))
        return None
    fx = (
        f"1 {prow.currency} = {conv.rate_text()} {program.currency}, rate of "
        f"{conv.day} ({conv.source or 'rate table'})"
    )
    return amount, fx


def _check_payments(
    state: LicensingState,
    batch: LicensingBatch,
    licensees: Mapping[str, Licensee],
    programs: _Programs,
    reported: set[ReportKey],
    out: LicensingChanges,
    problems: list[Problem],
) -> None:
    """Each payment: a known licensee and programme, not negative, for a reported period."""
    added: set[tuple[str, str, Period, Any, Any]] = set()
    for prow, source in batch.payments:
        paid_under = _paid_under(prow.program, source, programs)
        if isinstance(paid_under, str):
            problems.append(Problem.at(source, "program", paid_under))
        if prow.licensee not in licensees:
            problems.append(Problem.at(source, "licensee", f"unknown licensee {prow.licensee!r}"))
            continue
        if isinstance(paid_under, str):
            continue
        if prow.amount < 0:
            problems.append(Problem.at(source, "amount", f"must not be negative ({prow.amount})"))
            continue
        if (paid_under.id, prow.licensee, prow.period) not in reported:
            problems.append(
                Problem.at(
                    source,
                    "period",
                    f"no sales report from {prow.licensee} for {prow.period} in {paid_under.id}; "
                    "a payment must be for a reported period",
                )
            )
            continue
        converted = _converted(state, prow, paid_under, source, problems)
        if converted is None:
            continue
        amount, fx = converted
        key = (paid_under.id, prow.licensee, prow.period, amount, prow.received)
        if key not in state.payments and key not in added:
            added.add(key)
            out.payments.append(
                Payment(
                    paid_under.id,
                    prow.licensee,
                    prow.period,
                    amount,
                    prow.received,
                    str(source),
                    prow.invoice,
                    prow.currency if fx else None,
                    prow.amount if fx else None,
                    fx,
                )
            )
            out.log.append(
                (
                    "payment",
                    f"{paid_under.id} {prow.licensee} {prow.period}",
                    "added",
                    format(prow.amount, "f"),
                    source,
                )
            )
