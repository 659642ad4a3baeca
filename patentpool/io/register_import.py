"""Parse and check the register's files (alliance YAML, patents CSV) against the register.

The result is a :class:`RegisterChanges` of plain core values, or problems; nothing is written
here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar

from pydantic import ValidationError

from patentpool.collector import collector_paused
from patentpool.core.countries import normalize_country
from patentpool.core.model import Alliance, Declaration, Member, Patent, Register, Standard
from patentpool.core.model import StandardVersion as Version
from patentpool.core.names import NameIndex, member_names, name_key
from patentpool.core.numbers import InvalidPatentNumber, PatentNumber, normalize
from patentpool.errors import PatentpoolError
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.readers import check_header, line_in
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
K = TypeVar("K")
V = TypeVar("V")


@dataclass
class RegisterBatch:
    """Everything the register files of one import hold, each with where it came from."""

    alliance: tuple[Alliance, Source] | None = None
    members: list[tuple[Member, Source]] = field(default_factory=list)
    standards: list[tuple[Standard, Source]] = field(default_factory=list)
    patent_rows: list[tuple[PatentRecord, Source]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.alliance or self.members or self.standards or self.patent_rows)


@dataclass
class RegisterChanges:
    """What an import adds or changes, as plain values, with the source of each."""

    alliance: Alliance | None = None
    members: list[Member] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)
    patents: list[Patent] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    log: list[tuple[str, str, str, str, Source]] = field(default_factory=list)
    # (entity, key, action, detail, source)

    def is_empty(self) -> bool:
        return not self.log


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
) -> None:
    """Each row of a patents CSV as :class:`PatentRowIn` reads it, with where it came from.

    ``header`` holds the normalized column names and ``rows`` (line, cells) of the rest, as
    :func:`~patentpool.io.readers.iter_csv` gives them. A column is read once per distinct cell
    (a register repeats its owners, dates, standards and titles) by :data:`CELL_READERS`; a
    row with a cell they refuse is validated by :class:`PatentRowIn`, whose problems are the
    ones users see.
    """
    header_src = Source(file, header_line)
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
                problems.append(Problem(file, line, "row", "has more cells than the header"))
                continue
            cells = (cells + [""] * width)[:width]
        sources.append(Source(file, line))
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


@collector_paused()
def check_register(
    existing: Register, batch: RegisterBatch, rename_alliance: bool = False
) -> tuple[RegisterChanges, list[Problem]]:
    """Merge the batch into the register's view, checking every rule; collect all problems.

    A register belongs to one alliance: files naming another alliance id are refused unless
    ``rename_alliance`` (the same id with another name is an update).
    """
    problems: list[Problem] = []
    out = RegisterChanges()

    # Alliance ---------------------------------------------------------------------------
    if batch.alliance is not None:
        alliance, source = batch.alliance
        held = existing.alliance
        if held is not None and held.id != alliance.id and not rename_alliance:
            problems.append(
                Problem.at(
                    source,
                    "alliance.id",
                    f"names alliance {alliance.id!r}; this register holds {held.id!r} "
                    f"({held.name}). A register belongs to one alliance: import these files "
                    "into a database of their own (--db), or pass --rename-alliance to make "
                    f"this register {alliance.id!r}'s",
                )
            )
        elif alliance != held:
            out.alliance = alliance
            if held is None:
                action, detail = "added", alliance.name
            elif held.id != alliance.id:
                action = "renamed"
                detail = f"{held.id} ({held.name}) -> {alliance.id} ({alliance.name})"
            else:
                action, detail = "updated", f"name: {held.name!r} -> {alliance.name!r}"
            out.log.append(("alliance", alliance.id, action, detail, source))

    # Members ----------------------------------------------------------------------------
    members = existing.member_index()
    batch_members: dict[str, tuple[Member, Source]] = {}
    for member, source in batch.members:
        if member.id in batch_members:
            first, first_src = batch_members[member.id]
            if name_key(first.name) != name_key(member.name):
                problems.append(
                    Problem.at(
                        source,
                        "members.id",
                        f"member id {member.id!r} is already used for {first.name!r} "
                        f"({first_src}); one id cannot name two members",
                    )
                )
                continue
            member = replace(first, aliases=tuple(sorted(set(first.aliases + member.aliases))))
            source = first_src
        batch_members[member.id] = (member, source)
    for member, source in batch_members.values():
        before = members.get(member.id)
        members[member.id] = member
        if before != member:
            action = "added" if before is None else "updated"
            out.members.append(member)
            out.sources[f"member:{member.id}"] = source
            out.log.append(("member", member.id, action, _diff(before, member), source))
    name_owner: dict[str, tuple[str, str]] = {}
    for m in members.values():
        for n in (m.name, *m.aliases):
            k = name_key(n)
            if k in name_owner and name_owner[k][0] != m.id:
                other = name_owner[k][0]
                where = batch_members.get(
                    m.id, batch_members.get(other, (m, Source("register", 0)))
                )[1]
                problems.append(
                    Problem.at(
                        where,
                        "members.aliases",
                        f"{n!r} names both {other!r} and {m.id!r}; "
                        "a name or alias must name one member",
                    )
                )
            name_owner.setdefault(k, (m.id, n))

    # Standards --------------------------------------------------------------------------
    standards = existing.standard_index()
    for standard, source in batch.standards:
        before_s = standards.get(standard.id)
        merged = standard
        if before_s is not None:
            versions = {v.id: v for v in before_s.versions}
            versions.update({v.id: v for v in standard.versions})
            order = [v.id for v in before_s.versions] + [
                v.id for v in standard.versions if v.id not in {x.id for x in before_s.versions}
            ]
            merged = Standard(standard.id, standard.name, tuple(versions[i] for i in order))
        standards[standard.id] = merged
        if merged != before_s:
            out.standards.append(merged)
            out.log.append(
                (
                    "standard",
                    standard.id,
                    "added" if before_s is None else "updated",
                    ", ".join(v.id for v in merged.versions),
                    source,
                )
            )
        ids = {v.id for v in merged.versions}
        for v in standard.versions:
            if v.supersedes is not None and v.supersedes not in ids:
                problems.append(
                    Problem.at(
                        source,
                        "versions.supersedes",
                        f"version {v.id!r} of {standard.id} supersedes {v.supersedes!r}, "
                        f"which is not a version of {standard.id}",
                    )
                )

    # Patents and declarations -----------------------------------------------------------
    owners = member_names((m.id, m.name, m.aliases) for m in members.values())
    patents_before = existing.patent_index()
    declarations_before = {d.key: d for d in existing.declarations}
    new_patents: dict[str, tuple[Patent, Source]] = {}
    new_decls: dict[tuple[str, str, str], tuple[Declaration, Source]] = {}
    # owners, versions and states repeat from row to row: each is looked up once
    owner_of = _Lookup(partial(_resolve, owners))
    version_of = _Lookup(partial(_version_of, standards))
    states_of = _Lookup(_states_of)
    for row, source in batch.patent_rows:
        try:
            number: PatentNumber | None = normalize(row.publication_number)
            number_problem = None
        except InvalidPatentNumber as exc:
            number, number_problem = None, str(exc)
        owner, owner_problem = owner_of[row.owner]
        _, version_problems = version_of[row.standard, row.version, row.section]
        states, states_problems = states_of[row.validated_states]
        found = [("publication_number", number_problem), ("owner", owner_problem)]
        found += version_problems + _date_problems(row) + states_problems
        found += _states_problems(number, states)
        if any(m is not None for _, m in found):
            problems.extend(Problem.at(source, f, m) for f, m in found if m is not None)
            continue
        assert number is not None
        assert owner is not None
        filed, granted, expiry = row.filing_date, row.grant_date, row.expiry_date
        patent = Patent(
            jurisdiction=number.jurisdiction,
            number=number.number,
            owner=owner,
            filing_date=filed,
            kind=number.kind,
            family=row.family,
            grant_date=granted,
            expiry_date=expiry,
            status=row.status,
            validated_states=states,
            title=row.title,
        )
        key = number.key
        seen = new_patents.get(key)
        if seen is None:
            new_patents[key] = (patent, source)
        elif seen[0] != patent:
            problems.extend(_disagreements(*seen, patent, source))
        declaration_key = (key, row.standard, row.version)
        if declaration_key in new_decls:
            problems.append(
                Problem.at(
                    source,
                    "version",
                    f"duplicate declaration of {key} for {row.standard} {row.version} "
                    f"(first on {new_decls[declaration_key][1]})",
                )
            )
            continue
        declaration = Declaration(
            patent=key,
            standard=row.standard,
            version=row.version,
            section=row.section,
            essentiality=row.essentiality,
            evaluator=row.evaluator,
            evaluated_on=row.evaluated_on,
            declared_on=row.declared_on,
        )
        new_decls[declaration_key] = (declaration, source)

    for key, (patent, source) in new_patents.items():
        before_p = patents_before.get(key)
        if before_p is None:
            out.patents.append(patent)
            out.log.append(("patent", key, "added", "new", source))
        elif before_p != patent:
            out.patents.append(patent)
            out.log.append(("patent", key, "updated", _diff(before_p, patent), source))
    for dkey, (declaration, source) in new_decls.items():
        before_d = declarations_before.get(dkey)
        if before_d is None:
            change = ("added", "new")
        elif before_d != declaration:
            change = ("updated", _diff(before_d, declaration))
        else:
            continue
        out.declarations.append(declaration)
        out.log.append(("declaration", f"{dkey[0]} {dkey[1]} {dkey[2]}", *change, source))
    return out, problems


class _Lookup(dict[K, V]):
    """A mapping that finds a missing entry once, by ``find``, then keeps it."""

    def __init__(self, find: Callable[[K], V]) -> None:
        super().__init__()
        self.find = find

    def __missing__(self, key: K) -> V:
        value = self[key] = self.find(key)
        return value


def _date_problems(row: PatentRecord) -> list[tuple[str, str | None]]:
    """Dates of a row out of order: (field, message) each."""
    found: list[tuple[str, str | None]] = []
    for name, value in (("grant_date", row.grant_date), ("expiry_date", row.expiry_date)):
        if value is not None and value < row.filing_date:
            found.append(
                (
                    name,
                    f"{value.isoformat()} is before the filing date {row.filing_date.isoformat()}",
                )
            )
    if row.grant_date and row.expiry_date and row.expiry_date < row.grant_date:
        found.append(("expiry_date", "is before the grant date"))
    return found


def _states_problems(
    number: PatentNumber | None, states: frozenset[str]
) -> list[tuple[str, str | None]]:
    """Validated states on a patent that is not European: (field, message)."""
    if states and number is not None and number.jurisdiction != "EP":
        message = f"only European (EP) patents have validated states, not {number.jurisdiction}"
        return [("validated_states", message)]
    return []


def _resolve(owners: NameIndex, written: str) -> tuple[str | None, str | None]:
    """The member an owner names, or the problem."""
    try:
        return owners.resolve(written), None
    except PatentpoolError as exc:
        return None, str(exc)


def _version_of(
    standards: Mapping[str, Standard], declared: tuple[str, str, str | None]
) -> tuple[Version | None, list[tuple[str, str | None]]]:
    """The version a row declares against (standard, version, section), and the problems
    (field, message) of the row's standard, version and section."""
    standard_id, version_id, section = declared
    standard = standards.get(standard_id)
    if standard is None:
        return None, [("standard", f"unknown standard {standard_id!r}")]
    version = standard.version(version_id)
    if version is None:
        known = ", ".join(v.id for v in standard.versions) or "none"
        return None, [("version", f"{standard_id} has no version {version_id!r} (known: {known})")]
    if section and version.sections and section not in version.sections:
        return version, [
            (
                "section",
                f"{standard_id} {version_id} has no section {section!r} "
                f"(known: {', '.join(version.sections)})",
            )
        ]
    return version, []


def _states_of(codes: tuple[str, ...]) -> tuple[frozenset[str], list[tuple[str, str | None]]]:
    """The validated states a row names, and the problems (field, message) of its codes."""
    states: set[str] = set()
    problems: list[tuple[str, str | None]] = []
    for code in codes:
        try:
            states.add(normalize_country(code))
        except ValueError as exc:
            problems.append(("validated_states", str(exc)))
    return frozenset(states), problems


_OWN_FIELDS = (
    "owner",
    "family",
    "filing_date",
    "grant_date",
    "expiry_date",
    "status",
    "validated_states",
    "title",
    "kind",
)


def _disagreements(
    first: Patent, first_src: Source, patent: Patent, source: Source
) -> list[Problem]:
    """A patent's own fields on a later row that differ from its first row's."""
    problems = []
    for name in _OWN_FIELDS:
        a, b = getattr(first, name), getattr(patent, name)
        if a != b:
            problems.append(
                Problem.at(
                    source,
                    "publication_number" if name == "kind" else name,
                    f"{patent.key} has {_show(b)} here but {_show(a)} on {first_src}; "
                    "a patent's own fields must agree across its rows",
                )
            )
    return problems


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, frozenset):
        return " ".join(sorted(value)) or "nothing"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return repr(str(value))


def _diff(before: Any, after: Any) -> str:
    """Plain words for what changed between two records of the same kind."""
    if before is None:
        return "new"
    parts = []
    for name in getattr(after, "__slots__", ()):
        a, b = getattr(before, name), getattr(after, name)
        if a != b:
            parts.append(f"{name}: {_show(a)} -> {_show(b)}")
    return "; ".join(parts) or "unchanged"
