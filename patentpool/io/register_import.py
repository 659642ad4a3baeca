"""Check the register's files (alliance YAML, patents CSV) against the register.

The files are read into a :class:`~patentpool.io.register_parse.RegisterBatch` by
:mod:`patentpool.io.register_parse` (whose names are importable from here too); the result of
the check is a :class:`RegisterChanges` of plain core values, or problems. Nothing is written
here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import partial
from operator import itemgetter
from typing import Any, TypeVar

from patentpool.core.countries import normalize_country
from patentpool.core.model import (
    Alliance,
    Declaration,
    Member,
    Patent,
    PatentEvent,
    Register,
    Standard,
)
from patentpool.core.model import StandardVersion as Version
from patentpool.core.names import NameIndex, member_names, name_key
from patentpool.core.numbers import InvalidPatentNumber, PatentNumber, normalize
from patentpool.core.records import keyed_records
from patentpool.errors import PatentpoolError
from patentpool.gcpause import collector_paused
from patentpool.io.problems import Problem, Source
from patentpool.io.register_events import merged_events
from patentpool.io.register_parse import REGISTER_KEYS as REGISTER_KEYS
from patentpool.io.register_parse import UNKNOWN_COLUMN as UNKNOWN_COLUMN
from patentpool.io.register_parse import RegisterBatch as RegisterBatch
from patentpool.io.register_parse import parse_patents_csv as parse_patents_csv
from patentpool.io.register_parse import parse_register_yaml as parse_register_yaml
from patentpool.io.register_schema import PatentRecord

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class RegisterChanges:
    """What an import adds or changes, as plain values, with the source of each."""

    alliance: Alliance | None = None
    members: list[Member] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)
    patents: list[Patent] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    events: list[PatentEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # said after the counts
    sources: dict[str, Source] = field(default_factory=dict)
    log: list[tuple[str, str, str, str, Source]] = field(default_factory=list)
    # (entity, key, action, detail, source)

    def is_empty(self) -> bool:
        return not self.log


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
    _check_alliance(existing, batch, rename_alliance, out, problems)
    members = _merge_members(existing, batch, out, problems)
    standards = _merge_standards(existing, batch, out, problems)
    patents, declarations = _patent_rows(batch, members, standards, problems)
    _log_patents(existing, patents, declarations, out)
    events, warnings, found = merged_events(
        existing,
        batch.events,
        members.values(),
        {key: p for key, (p, _) in patents.items()},
        [d for d, _ in declarations.values()],
    )
    problems.extend(found)
    out.events, out.warnings = events.events, warnings
    out.log.extend(events.log)
    return out, problems


def _check_alliance(
    existing: Register,
    batch: RegisterBatch,
    rename_alliance: bool,
    out: RegisterChanges,
    problems: list[Problem],
) -> None:
    """The files' alliance: the register's own, a new name for it, or (renamed) another."""
    if batch.alliance is None:
        return
    alliance, source = batch.alliance
    held = existing.alliance
    if held is not None and held.id != alliance.id and not rename_alliance:
        problems.append(
            Problem.at(
                source,
                "alliance.id",
                f"names alliance {alliance.id!r}; this register holds {held.id!r} "
                f"({held.name}). A register belongs to one alliance: import these files "
                "into a database of their own (--db), or pass --rename-alliance to give "
                f"this register the alliance id {alliance.id!r}",
            )
        )
    elif alliance != held:
        out.alliance = alliance
        if held is None:
            action, detail = "added", alliance.name
        elif held.id != alliance.id:
            action = "renamed"
            detail = f"{held.id} ({held.name}) -> {alliance.id} ({alliance.name})"
        elif held.name != alliance.name:
            action, detail = "updated", f"name: {held.name!r} -> {alliance.name!r}"
        else:
            action = "updated"
            detail = f"illustrative: {held.illustrative} -> {alliance.illustrative}"
        out.log.append(("alliance", alliance.id, action, detail, source))


def _merge_members(
    existing: Register, batch: RegisterBatch, out: RegisterChanges, problems: list[Problem]
) -> dict[str, Member]:
    """The register's members with the batch's merged in (one id, one name; aliases join)."""
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
    _check_names(members, batch_members, problems)
    return members


def _check_names(
    members: Mapping[str, Member],
    batch_members: Mapping[str, tuple[Member, Source]],
    problems: list[Problem],
) -> None:
    """Every name and alias names one member."""
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


def _merge_standards(
    existing: Register, batch: RegisterBatch, out: RegisterChanges, problems: list[Problem]
) -> dict[str, Standard]:
    """The register's standards with the batch's versions merged in."""
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
        problems.extend(_supersedes_problems(standard, merged, source))
    return standards


def _supersedes_problems(standard: Standard, merged: Standard, source: Source) -> list[Problem]:
    """A version of the batch superseding one the standard does not have."""
    ids = {v.id for v in merged.versions}
    return [
        Problem.at(
            source,
            "versions.supersedes",
            f"version {v.id!r} of {standard.id} supersedes {v.supersedes!r}, "
            f"which is not a version of {standard.id}",
        )
        for v in standard.versions
        if v.supersedes is not None and v.supersedes not in ids
    ]


_PatentsFound = dict[str, tuple[Patent, Source]]
_DeclarationsFound = dict[tuple[str, str, str], tuple[Declaration, Source]]


def _patent_rows(
    batch: RegisterBatch,
    members: Mapping[str, Member],
    standards: Mapping[str, Standard],
    problems: list[Problem],
) -> tuple[_PatentsFound, _DeclarationsFound]:
    """The patents and declarations of the batch's rows, each with the row it is first on.

    A row's patent and declaration are kept as tuples of their fields, compared as such (as
    the records compare), and made records all at once at the end."""
    owners = member_names((m.id, m.name, m.aliases) for m in members.values())
    patents: dict[str, tuple[tuple[Any, ...], Source]] = {}
    decls: dict[tuple[str, str, str], tuple[tuple[Any, ...], Source]] = {}
    # numbers, owners, versions and states repeat from row to row: each is looked up once
    number_of = _Lookup(_number)
    owner_of = _Lookup(partial(_resolve, owners))
    version_of = _Lookup(partial(_version_of, standards))
    states_of = _Lookup(_states_of)
    for row, source in batch.patent_rows:
        number, number_problem = number_of[row.publication_number]
        owner, owner_problem = owner_of[row.owner]
        _, version_problems = version_of[row.standard, row.version, row.section]
        states, states_problems = states_of[row.validated_states]
        found: list[tuple[str, str | None]] = []
        if number_problem is not None:
            found.append(("publication_number", number_problem))
        if owner_problem is not None:
            found.append(("owner", owner_problem))
        found += version_problems
        found += _date_problems(row)
        found += states_problems
        if states:
            found += _states_problems(number, states)
        if found:
            problems.extend(Problem.at(source, f, m) for f, m in found if m is not None)
            continue
        assert number is not None
        assert owner is not None
        key = number.key
        patent = (
            number.jurisdiction, number.number, owner, row.filing_date, number.kind,
            row.family, row.grant_date, row.expiry_date, row.status, states, row.title,
        )  # fmt: skip
        seen = patents.get(key)
        if seen is None:
            patents[key] = (patent, source)
        elif seen[0] != patent:
            problems.extend(_disagreements(Patent(*seen[0]), seen[1], Patent(*patent), source))
        declaration_key = (key, row.standard, row.version)
        first = decls.get(declaration_key)
        if first is not None:
            problems.append(
                Problem.at(
                    source,
                    "version",
                    f"duplicate declaration of {key} for {row.standard} {row.version} "
                    f"(first on {first[1]})",
                )
            )
            continue
        decls[declaration_key] = ((key, *_DECLARED(row)), source)
    return keyed_records(Patent, patents), keyed_records(Declaration, decls)


#: A row's declaration fields after its patent's key, in the order of the record's fields.
_DECLARED = itemgetter(*(PatentRecord._fields.index(f.name) for f in fields(Declaration)[1:]))


def _number(raw: str) -> tuple[PatentNumber | None, str | None]:
    """A row's publication number, normalised, or what is wrong with it."""
    try:
        return normalize(raw), None
    except InvalidPatentNumber as exc:
        return None, str(exc)


def _log_patents(
    existing: Register,
    new_patents: _PatentsFound,
    new_decls: _DeclarationsFound,
    out: RegisterChanges,
) -> None:
    """The patents and declarations that are new or changed, logged."""
    patents_before = existing.patent_index()
    declarations_before = {d.key: d for d in existing.declarations}
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
        if before_d is not None:
            # a flag the file leaves empty (or has no column for) keeps the one known
            declaration = declaration.keeping_flags(before_d)
        if before_d is None:
            change = ("added", "new")
        elif before_d != declaration:
            change = ("updated", _diff(before_d, declaration))
        else:
            continue
        out.declarations.append(declaration)
        out.log.append(("declaration", f"{dkey[0]} {dkey[1]} {dkey[2]}", *change, source))


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
    filed, granted, expiry = row.filing_date, row.grant_date, row.expiry_date
    found: list[tuple[str, str | None]] = []
    if granted is not None and granted < filed:
        found.append(
            ("grant_date", f"{granted.isoformat()} is before the filing date {filed.isoformat()}")
        )
    if expiry is not None and expiry < filed:
        found.append(
            ("expiry_date", f"{expiry.isoformat()} is before the filing date {filed.isoformat()}")
        )
    if granted and expiry and expiry < granted:
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
