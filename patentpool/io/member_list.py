"""Reading a member's own list of patents for an audit: a patents CSV, the CSV that
``patentpool patents list --format csv`` writes, or plain numbers."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from patentpool.core.audit import ClaimedPatent
from patentpool.core.model import Essentiality, Register, Status
from patentpool.core.names import NameIndex, member_names
from patentpool.core.numbers import InvalidPatentNumber, normalize
from patentpool.errors import PatentpoolError
from patentpool.io.problems import ImportFailed, Problem, Source
from patentpool.io.readers import FileUnreadable, iter_csv, normalize_header, read_text
from patentpool.io.register_schema import enum_text
from patentpool.io.types import parse_date
from patentpool.io.workbooks import WORKBOOK_SUFFIXES, first_sheet


@dataclass(frozen=True, slots=True)
class _Shape:
    """Which columns of a member's CSV hold what."""

    number: str  # the patent number's column
    expiry: str  # "expiry_date" (the expiry given) or "expiry" (the one the register works out)
    listing: bool  # declarations in one cell, as `patentpool patents list` writes them


#: the patents CSV of `patentpool import` (docs/formats.md)
PATENTS_CSV = _Shape("publication_number", "expiry_date", listing=False)
#: the CSV of `patentpool patents list --format csv`
PATENTS_LIST = _Shape("patent", "expiry", listing=True)

#: one declaration as `patentpool patents list` writes it: "IGRS 1.0 media: essential"
_DECLARATION = re.compile(r"([^\s:]+) ([^\s:]+)(?: ([^\s:]+))?: ([^\s:]+)(?:\s+|$)")


def read_member_list(
    path: Path, register: Register, default_jurisdiction: str | None = None
) -> list[ClaimedPatent]:
    """Claimed patents from ``path``; raise ImportFailed listing every problem."""
    display = str(path)
    try:
        if path.suffix.lower() in WORKBOOK_SUFFIXES:
            rows, text = first_sheet(path, display)
        else:
            text = read_text(path, display)
            rows = list(iter_csv(text, display))
    except FileUnreadable as exc:
        raise ImportFailed([exc.problem]) from exc
    if not rows:
        raise ImportFailed([Problem(display, 1, "file", "is empty")])
    first_line, first_cells = rows[0]
    header = [normalize_header(h) for h in first_cells]
    problems: list[Problem] = []
    claimed: dict[str, ClaimedPatent] = {}
    owners = member_names((m.id, m.name, m.aliases) for m in register.members)
    shape = next((s for s in (PATENTS_CSV, PATENTS_LIST) if s.number in header), None)
    if shape is None:
        if len(first_cells) > 1 and not _is_number(first_cells, default_jurisdiction):
            raise ImportFailed(
                [
                    Problem(
                        display,
                        first_line,
                        "header",
                        "has no publication_number column (a patents CSV) and no patent "
                        "column (the CSV of `patentpool patents list`); a plain list has one "
                        "number per line and no header",
                    )
                ]
            )
        # a plain list: one number per line, read whole (commas are digit separators here)
        numbered = [(i, raw.strip()) for i, raw in enumerate(text.splitlines(), start=1)]
        for line, raw in numbered:
            if not raw:
                continue
            try:
                key = normalize(raw, default_jurisdiction).key
            except InvalidPatentNumber as exc:
                problems.append(Problem(display, line, "number", str(exc)))
                continue
            claimed.setdefault(key, ClaimedPatent(key, f"{display}:{line}"))
    else:
        for line, cells in rows[1:]:
            values = dict(zip(header, cells, strict=False))
            source = Source(display, line)
            item, row_problems = _claimed_from_row(
                values, source, owners, default_jurisdiction, shape
            )
            problems.extend(row_problems)
            if item is None:
                continue
            before = claimed.get(item.key)
            if before is not None:
                merged = dict(before.declarations)
                merged.update(item.declarations)
                item = replace(item, declarations=merged, source=before.source)
            claimed[item.key] = item
    if problems:
        raise ImportFailed(problems)
    return list(claimed.values())


def _is_number(cells: list[str], default_jurisdiction: str | None) -> bool:
    """Whether a first line split at its commas is one patent number with digit groups."""
    try:
        normalize(",".join(cells), default_jurisdiction)
    except InvalidPatentNumber:
        return False
    return True


def _essentiality(text: str, source: Source, problems: list[Problem]) -> Essentiality | None:
    try:
        return Essentiality(enum_text(text))
    except ValueError:
        problems.append(Problem.at(source, "essentiality", f"unknown essentiality {text!r}"))
        return None


def _declarations(
    values: dict[str, str], source: Source, shape: _Shape, problems: list[Problem]
) -> dict[tuple[str, str], Essentiality | None]:
    declarations: dict[tuple[str, str], Essentiality | None] = {}
    if not shape.listing:
        if values.get("standard") and values.get("version"):
            ess = None
            if values.get("essentiality"):
                ess = _essentiality(values["essentiality"], source, problems)
            declarations[(values["standard"], values["version"])] = ess
        return declarations
    cell = values.get("declarations", "").strip()
    end = 0
    for match in _DECLARATION.finditer(cell):
        if match.start() != end:
            break
        end = match.end()
        standard, version, _section, word = match.groups()
        declarations[(standard, version)] = _essentiality(word, source, problems)
    if end != len(cell):
        problems.append(
            Problem.at(
                source,
                "declarations",
                f"cannot read {cell[end:]!r}: write each declaration as "
                "'STANDARD VERSION [SECTION]: ESSENTIALITY', separated by spaces",
            )
        )
    return declarations


def _claimed_from_row(
    values: dict[str, str],
    source: Source,
    owners: NameIndex,
    default_jurisdiction: str | None,
    shape: _Shape,
) -> tuple[ClaimedPatent | None, list[Problem]]:
    problems: list[Problem] = []
    key = None
    try:
        key = normalize(values.get(shape.number, ""), default_jurisdiction).key
    except InvalidPatentNumber as exc:
        problems.append(Problem.at(source, shape.number, str(exc)))
    dates: dict[str, dt.date | None] = {}
    for name in ("filing_date", "grant_date", shape.expiry):
        try:
            dates[name] = parse_date(values.get(name, ""))
        except ValueError as exc:
            problems.append(Problem.at(source, name, str(exc)))
    status = None
    if values.get("status"):
        try:
            status = Status(enum_text(values["status"]))
        except ValueError:
            problems.append(Problem.at(source, "status", f"unknown status {values['status']!r}"))
    owner = None
    if values.get("owner"):
        try:
            owner = owners.resolve(values["owner"])
        except PatentpoolError:  # unknown, or a name of several members
            problems.append(Problem.at(source, "owner", f"unknown member {values['owner']!r}"))
    declarations = _declarations(values, source, shape, problems)
    if problems or key is None:
        return None, problems
    return (
        ClaimedPatent(
            key=key,
            source=str(source),
            owner=owner,
            filing_date=dates.get("filing_date"),
            grant_date=dates.get("grant_date"),
            expiry_date=dates.get("expiry_date"),
            expiry=dates.get("expiry"),
            status=status,
            declarations=declarations,
        ),
        [],
    )
