"""ETSI's IPR database export (ISLD): declared patents of the pool's members, read as a stream.

The export has one row per declaration x standard version x patent, 40 columns, quoted,
UTF-8, separated by ``;`` (copies re-saved by a spreadsheet by ``,``: told apart by the header
line). A row is kept when its specification (``TGPP_NUMBER``, else
``WOIT_ETSI_DELIVERABLE_NUMBER``) matches one the import names (exactly, or a glob such as
``36.*``) and its company (``COMP_LEGAL_NAME``) is a member by id, name or alias; every other
row is counted under the reason it was skipped. Each kept row gives one patent: the granted
publication (kind B or C) of its ``PUBL_NUMBER`` cell, else the last listed, else the
application number (a pending patent). The file is read once, row by row: only kept rows are
held, and each company, specification and date is looked at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patentpool.core.model import Declaration, Essentiality, Patent, StandardVersion, Status
from patentpool.core.names import NameIndex, name_key
from patentpool.core.numbers import InvalidPatentNumber, PatentNumber, normalize
from patentpool.io.etsi_columns import OTHER_COMPANY, OTHER_SPEC, NotColumnar, read_columns
from patentpool.io.problems import Problem, Source

#: The export's 40 columns, in order (public facts about ETSI's ISLD export).
COLUMNS = (
    "IPRD_ID", "IPRD_REFERENCE", "IPRD_SIGNATURE_DATE", "Reflected_Date", "COMP_LEGAL_NAME",
    "DECL_IS_PROP_FLAG", "LICD_DEC_PREP_TO_GRANT_FLAG", "LICD_REC_CONDI_FLAG", "DIPG_ID",
    "DIPG_DISPLAY_NUMBER", "DIPG_EXTERNAL_ID", "Standard", "Ess_To_Standard", "WI_Type",
    "WOIT_ETSI_DELIVERABLE_NUMBER", "WOIT_REFERENCE", "WOIT_VERSION", "3GPP_Type",
    "TGPP_NUMBER", "TGPV_VERSION", "Patent_Type", "PATT_APPLICATION_NUMBER", "PUBL_NUMBER",
    "PBPA_TITLEEN", "PBPA_PRIORITY_NUMBERS", "Country_Of_Registration", "PBPA_APP_DATE",
    "ETPR_ID", "ETPR_ACRONYM", "Ess_To_Project", "Illustrative_Part", "DIPG_PATF_ID",
    "Original_Application_Number", "Original_Publication_Number", "Explicitely_Disclosed",
    "Normalized_Patent", "2G", "3G", "4G", "5G",
)  # fmt: skip

#: The columns the import reads; a file without one of them is refused.
USED = (
    "IPRD_SIGNATURE_DATE", "COMP_LEGAL_NAME", "LICD_DEC_PREP_TO_GRANT_FLAG",
    "LICD_REC_CONDI_FLAG", "DIPG_ID", "WOIT_ETSI_DELIVERABLE_NUMBER", "TGPP_NUMBER",
    "PATT_APPLICATION_NUMBER", "PUBL_NUMBER", "PBPA_TITLEEN", "Country_Of_Registration",
    "PBPA_APP_DATE", "Illustrative_Part", "DIPG_PATF_ID",
)  # fmt: skip

#: Why a row was not kept, as the summary says it.
NO_NUMBER = "no usable number"
NO_FILING_DATE = "no filing date"

_NONE = frozenset({"", "-1"})
_FLAGS = {"1": True, "y": True, "yes": True, "true": True, "0": False, "n": False}
_FLAGS |= {"no": False, "false": False}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%Y")
_GRANTED = re.compile(r"^[BC]\d?$")


@dataclass
class EtsiBatch:
    """What an export gives: the patents and declarations of the kept rows (each with the
    row it is first on), the counts of rows, and the problems."""

    rows_read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unmatched: Counter[str] = field(default_factory=Counter)  # company names, by rows
    patents: dict[str, tuple[Patent, Source]] = field(default_factory=dict)
    declarations: dict[tuple[str, str, str], tuple[Declaration, Source]] = field(
        default_factory=dict
    )
    problems: list[Problem] = field(default_factory=list)


class SpecMatcher:
    """Does a specification number match one of ``specs`` (exact, or a glob: ``36.*``)?"""

    def __init__(self, specs: Sequence[str]) -> None:
        self.exact = {s.strip() for s in specs if not any(c in s for c in "*?[")}
        globs = [fnmatch.translate(s.strip()) for s in specs if s.strip() not in self.exact]
        self.glob = re.compile("|".join(globs)) if globs else None
        self._seen: dict[str, bool] = {}

    def __call__(self, spec: str) -> bool:
        found = self._seen.get(spec)
        if found is None:
            found = spec in self.exact or bool(self.glob and self.glob.match(spec))
            self._seen[spec] = found
        return found


def read_etsi(
    path: Path,
    *,
    standard: str,
    version: StandardVersion,
    specs: Sequence[str],
    members: NameIndex,
    advance: Callable[[int], None] | None = None,
) -> EtsiBatch:
    """Read the export at ``path`` for ``standard`` ``version``: the kept rows' patents and
    declarations, with every problem (``FILE:LINE: COLUMN: message``)."""
    batch = EtsiBatch()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header_line = handle.readline()
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        header = next(csv.reader([header_line], delimiter=delimiter))
        missing = [c for c in USED if c not in header]
        if missing:
            message = f"not an ETSI ISLD export: no column {', '.join(missing)}"
            batch.problems.append(Problem.at(Source(str(path), 1), "header", message))
            return batch
    columnar = EtsiBatch()
    rows = _Rows(path, list(USED), standard, version, SpecMatcher(specs), members, columnar)
    try:
        read_columns(path, delimiter, USED, rows, advance)
        return columnar
    except NotColumnar:  # a line break in a cell: read row by row, each knowing its line
        pass
    with path.open(encoding="utf-8-sig", newline="") as handle:
        handle.readline()
        reader = csv.reader(handle, delimiter=delimiter)
        _Rows(path, header, standard, version, SpecMatcher(specs), members, batch).read(
            reader, advance
        )
    return batch


class _Rows:
    """The rows of one export: each company, specification and date looked at once."""

    def __init__(
        self,
        path: Path,
        header: list[str],
        standard: str,
        version: StandardVersion,
        matches: SpecMatcher,
        members: NameIndex,
        batch: EtsiBatch,
    ) -> None:
        self.file = str(path)
        self.at = {name: header.index(name) for name in USED}
        self.standard = standard
        self.version = version
        self.matches = matches
        self.members = members
        self.batch = batch
        self.companies: dict[str, str | None] = {}
        self.dates: dict[str, dt.date | None] = {}

    def read(self, reader: Any, advance: Callable[[int], None] | None) -> None:
        """Every row of ``reader`` (a :func:`csv.reader`, whose ``line_num`` is the line a
        row ends on)."""
        at = self.at
        spec_at, deliverable_at = at["TGPP_NUMBER"], at["WOIT_ETSI_DELIVERABLE_NUMBER"]
        company_at = at["COMP_LEGAL_NAME"]
        batch, companies, matches = self.batch, self.companies, self.matches
        skipped, unmatched = batch.skipped, batch.unmatched
        for row in reader:
            if not row:
                continue
            batch.rows_read += 1
            if advance is not None and batch.rows_read % 10_000 == 0:
                advance(10_000)
            try:
                spec = row[spec_at]
                if spec in _NONE:
                    spec = row[deliverable_at]
                company = row[company_at]
            except IndexError:
                where = Source(self.file, reader.line_num + 1)
                problem = Problem.at(where, "row", f"{len(row)} cells, not 40")
                batch.problems.append(problem)
                continue
            if not matches(spec.strip()):
                skipped[OTHER_SPEC] += 1
                continue
            owner = companies.get(company, "")
            if owner == "":
                owner = companies[company] = self.member(company)
            if owner is None:
                skipped[OTHER_COMPANY] += 1
                unmatched[company.strip()] += 1
                continue
            self.keep(row, reader.line_num + 1, owner)  # the header is line 1
        if advance is not None:
            advance(batch.rows_read % 10_000)

    def member(self, company: str) -> str | None:
        """The member ``company`` names (its id, or a name or alias under the name rule);
        ``None`` for another company, or a name several members share."""
        written = company.strip()
        if written in self.members.ids:
            return written
        found = self.members.by_name.get(name_key(written), set())
        return next(iter(found)) if len(found) == 1 else None

    def keep(self, row: list[str], line: int, owner: str) -> None:
        """Keep a row of a member's patent for a wanted specification (on ``line``)."""
        at, batch = self.at, self.batch
        source = Source(self.file, line)
        country = row[at["Country_Of_Registration"]].strip().split(" ", 1)[0].upper()
        publications, application = row[at["PUBL_NUMBER"]], row[at["PATT_APPLICATION_NUMBER"]]
        number, status = _number(publications, application, country)
        if number is None:
            batch.skipped[NO_NUMBER] += 1
            return
        filed = self._date(row, "PBPA_APP_DATE", source)
        declared = self._date(row, "IPRD_SIGNATURE_DATE", source)
        frand = self._flag(row, "LICD_DEC_PREP_TO_GRANT_FLAG", source)
        reciprocity = self._flag(row, "LICD_REC_CONDI_FLAG", source)
        if filed is None:
            batch.skipped[NO_FILING_DATE] += 1
            return
        batch.kept += 1
        key = number.key
        if key not in batch.patents:
            family = row[at["DIPG_PATF_ID"]].strip()
            if family in _NONE:
                family = row[at["DIPG_ID"]].strip()
            title = row[at["PBPA_TITLEEN"]].strip() or None
            patent = Patent(
                jurisdiction=number.jurisdiction,
                number=number.number,
                owner=owner,
                filing_date=filed,
                kind=number.kind,
                family=f"ETSI-{family}" if family not in _NONE else None,
                status=status,
                title=title,
            )
            batch.patents[key] = (patent, source)
        declaration_key = (key, self.standard, self.version.id)
        first = batch.declarations.get(declaration_key)
        if first is not None and not _earlier(declared, first[0].declared_on):
            return  # declared again: the first declaration is the one kept
        declaration = Declaration(
            patent=key,
            standard=self.standard,
            version=self.version.id,
            section=self._section(row[at["Illustrative_Part"]]),
            essentiality=Essentiality.DECLARED,
            declared_on=declared,
            frand=frand,
            reciprocity=reciprocity,
        )
        batch.declarations[declaration_key] = (declaration, source)

    def _section(self, cell: str) -> str | None:
        """The first section the cell lists, when the version knows it (or lists none)."""
        first = cell.split(",", 1)[0].strip()
        if first in _NONE:
            return None
        sections = self.version.sections
        return first if not sections or first in sections else None

    def _date(self, row: list[str], column: str, source: Source) -> dt.date | None:
        cell = row[self.at[column]].strip()
        if cell in self.dates:
            return self.dates[cell]
        value = None if cell in _NONE else _parse_date(cell)
        if value is None and cell not in _NONE:
            message = f"{cell!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
            self.batch.problems.append(Problem.at(source, column, message))
            return None
        self.dates[cell] = value
        return value

    def _flag(self, row: list[str], column: str, source: Source) -> bool | None:
        cell = row[self.at[column]].strip()
        if cell in _NONE:
            return None
        found = _FLAGS.get(cell.lower())
        if found is None:
            self.batch.problems.append(Problem.at(source, column, f"{cell!r} is not 1 or 0"))
        return found


def _earlier(day: dt.date | None, than: dt.date | None) -> bool:
    return day is not None and (than is None or day < than)


def _parse_date(cell: str) -> dt.date | None:
    text = cell[:10]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _number(
    publications: str, application: str, country: str
) -> tuple[PatentNumber | None, Status]:
    """The cell's granted publication (kind B or C), else its last; else the application
    number (pending). ``None`` when no number is usable."""
    parts = [p.strip() for p in publications.split("|")]
    # the kind as written ends the publication: only the one chosen is normalised
    written_granted = [p for p in parts if _GRANTED.match(p.rsplit(" ", 1)[-1])]
    for part in written_granted:
        number = _normal(part, country)
        if number is not None and number.kind and _GRANTED.match(number.kind):
            return number, Status.GRANTED
    if not written_granted or len(parts) > len(written_granted):
        for part in reversed(parts):
            number = _normal(part, country)
            if number is not None:
                granted = bool(number.kind and _GRANTED.match(number.kind))
                return number, Status.GRANTED if granted else Status.PENDING
    number = _normal(application, country) or _chinese_application(application)
    if number is None:
        return None, Status.PENDING
    return PatentNumber(number.jurisdiction, number.number, None), Status.PENDING


def _chinese_application(written: str) -> PatentNumber | None:
    """A Chinese application number as ETSI writes it (``CN201710000100``), in the ZL form
    the register keeps (``CNZL201710000100.8``, its check digit worked out)."""
    text = written.strip().upper()
    if not (text.startswith("CN") and text[2:3].isdigit()):
        return None
    try:
        return normalize("CNZL" + text[2:].split(".", 1)[0])
    except InvalidPatentNumber:
        return None


def _normal(written: str, country: str) -> PatentNumber | None:
    text = written.strip()
    if text in _NONE:
        return None
    if text[:1].isdigit() and country.isalpha() and len(country) == 2:
        text = country + text  # a number without its office's code
    try:
        return normalize(text)
    except InvalidPatentNumber:
        return None
