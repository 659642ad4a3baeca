"""Read the register's files (alliance YAML, patents CSV) into a :class:`RegisterBatch`.

Each record is kept with where it came from; :func:`patentpool.io.register_import.check_register`
then checks the batch against the register. Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from pydantic import ValidationError

from patentpool.core.model import Alliance, Member, Standard
from patentpool.core.model import StandardVersion as Version
from patentpool.gcpause import collector_paused
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.readers import check_header, line_in
from patentpool.io.register_events import EventBatch
from patentpool.io.register_schema import (
    CELL_READERS,
    PATENT_COLUMNS,
    PATENT_REQUIRED,
    PatentRecord,
    PatentRowIn,
    RegisterFileIn,
)

REGISTER_KEYS = frozenset(RegisterFileIn.model_fields)
UNKNOWN_COLUMN = "unknown column (see docs/formats.md for the columns)"
_EXTRA = "__extra__"  # what read_csv names the cells a row has beyond the header


@dataclass
class RegisterBatch:
    """Everything the register files of one import hold, each with where it came from."""

    alliance: tuple[Alliance, Source] | None = None
    members: list[tuple[Member, Source]] = field(default_factory=list)
    standards: list[tuple[Standard, Source]] = field(default_factory=list)
    patent_rows: list[tuple[PatentRecord, Source]] = field(default_factory=list)
    events: EventBatch = field(default_factory=EventBatch)

    def is_empty(self) -> bool:
        return not (
            self.alliance or self.members or self.standards or self.patent_rows or self.events.rows
        )


def parse_register_yaml(
    data: Mapping[str, Any], file: str, batch: RegisterBatch, problems: list[Problem]
) -> None:
    try:
        parsed = RegisterFileIn.model_validate(
            {k: v for k, v in data.items() if k in REGISTER_KEYS}
        )
    except ValidationError as exc:
        problems.extend(
            pydantic_problems(exc, Source(file, 1), line_of=lambda loc: line_in(data, loc, 1))
        )
        return

    def src(*loc: Any) -> Source:
        return Source(file, line_in(data, loc, 1))

    if parsed.alliance is not None:
        alliance = Alliance(parsed.alliance.id, parsed.alliance.name, parsed.alliance.illustrative)
        source = src("alliance")
        if batch.alliance is not None and batch.alliance[0] != alliance:
            first, first_src = batch.alliance
            problems.append(
                Problem.at(
                    source,
                    "alliance",
                    f"names alliance {alliance.id!r} ({alliance.name!r}), but {first_src} names "
                    f"{first.id!r} ({first.name!r}); the files of one import must give one "
                    "alliance",
                )
            )
        elif batch.alliance is None:
            batch.alliance = (alliance, source)
    for i, m in enumerate(parsed.members):
        member = Member(m.id, m.name, tuple(sorted(set(m.aliases))), m.joined)
        batch.members.append((member, src("members", i)))
    for i, s in enumerate(parsed.standards):
        versions = tuple(
            Version(v.id, v.published, v.supersedes, tuple(dict.fromkeys(v.sections)))
            for v in s.versions
        )
        seen: dict[str, int] = {}
        for j, v in enumerate(s.versions):
            if v.id in seen:
                problems.append(
                    Problem.at(
                        src("standards", i, "versions", j),
                        f"standards.{i}.versions.{j}.id",
                        f"version {v.id!r} of {s.id} is listed twice",
                    )
                )
            seen[v.id] = j
        batch.standards.append((Standard(s.id, s.name, versions), src("standards", i)))


@collector_paused()
def parse_patents_csv(
    file: str,
    header_line: int,
    header: Sequence[str],
    rows: Sequence[tuple[int, list[str]]],
    batch: RegisterBatch,
    problems: list[Problem],
    sheet: str = "",
) -> None:
    """Each row of a patents CSV (or of a workbook's ``sheet``) as :class:`PatentRowIn` reads
    it, with where it came from.

    ``header`` holds the normalized column names and ``rows`` (line, cells) of the rest, as
    :func:`~patentpool.io.readers.iter_csv` gives them. A column is read once per distinct cell
    (a register repeats its owners, dates, standards and titles) by :data:`CELL_READERS`; a
    row with a cell they refuse is validated by :class:`PatentRowIn`, whose problems are the
    ones users see.
    """
    in_sheet = tuple(header) if sheet else ()
    header_src = Source(file, header_line, sheet, in_sheet)
    if not check_header(
        header, PATENT_COLUMNS, PATENT_REQUIRED, header_src, problems, UNKNOWN_COLUMN
    ):
        return
    if not rows:
        problems.append(Problem.at(header_src, "file", "has a header but no rows"))
    width = len(header)
    # a column named like read_csv's marker of extra cells makes every row one with extra cells
    marked = _EXTRA in header
    sources: list[Source] = []
    kept: list[list[str]] = []
    for line, cells in rows:
        if len(cells) != width or marked:
            if marked or any(cells[width:]):
                where = Source(file, line, sheet, in_sheet)
                problems.append(Problem.at(where, "row", "has more cells than the header"))
                continue
            cells = (cells + [""] * width)[:width]
        sources.append(Source(file, line, sheet, in_sheet))
        kept.append(cells)
    present = [name for name in PATENT_COLUMNS if name in header]
    cells_of = dict(zip(present, _columns(kept, [header.index(n) for n in present]), strict=True))
    columns: list[Iterable[Any]] = []
    refused: set[int] = set()  # rows with a cell the readers refuse
    for name, read in CELL_READERS.items():
        column = cells_of.get(name)
        if column is None:
            columns.append(repeat(PatentRecord._field_defaults.get(name), len(kept)))
            continue
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for cell in dict.fromkeys(column):
            try:
                values[cell] = read(cell)
            except (ValueError, KeyError):
                values[cell] = None
                bad.add(cell)
        if bad:
            refused.update(i for i, cell in enumerate(column) if cell in bad)
        columns.append(map(values.__getitem__, column))
    records = map(partial(tuple.__new__, PatentRecord), zip(*columns, strict=True))
    if not refused:
        batch.patent_rows.extend(zip(records, sources, strict=True))
        return
    for i, (record, source) in enumerate(zip(records, sources, strict=True)):
        if i not in refused:
            batch.patent_rows.append((record, source))
            continue
        written = {h: cell for h, cell in zip(header, kept[i], strict=True) if h in PATENT_COLUMNS}
        try:
            row = PatentRowIn.model_validate(written)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, source))
            continue
        batch.patent_rows.append((PatentRecord.of(row), source))


def _columns(rows: list[list[str]], indexes: list[int]) -> list[tuple[str, ...]]:
    """The cells at each of ``indexes``, a tuple per index, in the order of the rows."""
    if not rows or not indexes:
        return [() for _ in indexes]
    if len(indexes) == 1:
        return [tuple(row[indexes[0]] for row in rows)]
    return list(zip(*map(itemgetter(*indexes), rows), strict=True))
