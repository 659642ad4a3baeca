"""Parse and check the register's files (alliance YAML, patents CSV) against the register.

The result is a :class:`RegisterChanges` of plain core values, or problems; nothing is written
here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from patentpool.core.countries import normalize_country
from patentpool.core.model import Alliance, Declaration, Member, Patent, Register, Standard
from patentpool.core.model import StandardVersion as Version
from patentpool.core.names import name_key
from patentpool.core.numbers import InvalidPatentNumber, normalize
from patentpool.io.problems import Problem, Source, pydantic_problems
from patentpool.io.readers import CsvTable, line_in, parse_records
from patentpool.io.register_schema import (
    PATENT_COLUMNS,
    PATENT_REQUIRED,
    PatentRowIn,
    RegisterFileIn,
)

REGISTER_KEYS = frozenset(RegisterFileIn.model_fields)


@dataclass
class RegisterBatch:
    """Everything the register files of one import hold, each with where it came from."""

    alliance: tuple[Alliance, Source] | None = None
    members: list[tuple[Member, Source]] = field(default_factory=list)
    standards: list[tuple[Standard, Source]] = field(default_factory=list)
    patent_rows: list[tuple[PatentRowIn, Source]] = field(default_factory=list)

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
        batch.alliance = (Alliance(parsed.alliance.id, parsed.alliance.name), src("alliance"))
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


def parse_patents_csv(table: CsvTable, batch: RegisterBatch, problems: list[Problem]) -> None:
    batch.patent_rows.extend(
        parse_records(
            table,
            PatentRowIn,
            PATENT_COLUMNS,
            PATENT_REQUIRED,
            "unknown column (see docs/formats.md for the columns)",
            problems,
        )
    )


class _Owners:
    """Resolves an owner written as id, legal name or alias (in any spelling) to a member."""

    def __init__(self, members: Mapping[str, Member]) -> None:
        self.by_id = dict(members)
        self.by_name: dict[str, set[str]] = {}
        for m in members.values():
            for n in (m.name, m.id, *m.aliases):
                self.by_name.setdefault(name_key(n), set()).add(m.id)

    def resolve(self, written: str) -> str:
        if written in self.by_id:
            return written
        found = self.by_name.get(name_key(written), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise ValueError(f"{written!r} could be any of {', '.join(sorted(found))}")
        raise ValueError(f"unknown member {written!r} (not a member id, name or alias)")


def check_register(
    existing: Register, batch: RegisterBatch
) -> tuple[RegisterChanges, list[Problem]]:
    """Merge the batch into the register's view, checking every rule; collect all problems."""
    problems: list[Problem] = []
    out = RegisterChanges()

    # Alliance ---------------------------------------------------------------------------
    if batch.alliance is not None:
        alliance, source = batch.alliance
        if alliance != existing.alliance:
            out.alliance = alliance
            action = "added" if existing.alliance is None else "updated"
            out.log.append(("alliance", alliance.id, action, alliance.name, source))

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
    owners = _Owners(members)
    patents_before = existing.patent_index()
    declarations_before = {d.key: d for d in existing.declarations}
    new_patents: dict[str, tuple[Patent, Source, PatentRowIn]] = {}
    new_decls: dict[tuple[str, str, str], tuple[Declaration, Source]] = {}
    for row, source in batch.patent_rows:
        row_problems: list[Problem] = []

        def bad(field_name: str, message: str) -> None:
            row_problems.append(Problem.at(source, field_name, message))  # noqa: B023

        number = None
        try:
            number = normalize(row.publication_number)
        except InvalidPatentNumber as exc:
            bad("publication_number", str(exc))
        owner = None
        try:
            owner = owners.resolve(row.owner)
        except ValueError as exc:
            bad("owner", str(exc))
        row_standard = standards.get(row.standard)
        version = None
        if row_standard is None:
            bad("standard", f"unknown standard {row.standard!r}")
        else:
            version = row_standard.version(row.version)
            if version is None:
                known = ", ".join(v.id for v in row_standard.versions) or "none"
                bad("version", f"{row.standard} has no version {row.version!r} (known: {known})")
            elif row.section and version.sections and row.section not in version.sections:
                bad(
                    "section",
                    f"{row.standard} {row.version} has no section {row.section!r} "
                    f"(known: {', '.join(version.sections)})",
                )
        for name in ("grant_date", "expiry_date"):
            value = getattr(row, name)
            if value is not None and value < row.filing_date:
                bad(
                    name,
                    f"{value.isoformat()} is before the filing date {row.filing_date.isoformat()}",
                )
        if row.grant_date and row.expiry_date and row.expiry_date < row.grant_date:
            bad("expiry_date", "is before the grant date")
        states: set[str] = set()
        for code in row.validated_states:
            try:
                states.add(normalize_country(code))
            except ValueError as exc:
                bad("validated_states", str(exc))
        if states and number is not None and number.jurisdiction != "EP":
            bad(
                "validated_states",
                f"only European (EP) patents have validated states, not {number.jurisdiction}",
            )
        if row_problems or number is None or owner is None or version is None:
            problems.extend(row_problems)
            continue
        patent = Patent(
            jurisdiction=number.jurisdiction,
            number=number.number,
            owner=owner,
            filing_date=row.filing_date,
            kind=number.kind,
            family=row.family,
            grant_date=row.grant_date,
            expiry_date=row.expiry_date,
            status=row.status,
            validated_states=frozenset(states),
            title=row.title,
        )
        seen = new_patents.get(patent.key)
        if seen is not None:
            first_p, first_src, _ = seen
            for name in (
                "owner",
                "family",
                "filing_date",
                "grant_date",
                "expiry_date",
                "status",
                "validated_states",
                "title",
                "kind",
            ):
                a, b = getattr(first_p, name), getattr(patent, name)
                if a != b:
                    problems.append(
                        Problem.at(
                            source,
                            "publication_number" if name == "kind" else name,
                            f"{patent.key} has {_show(b)} here but {_show(a)} on {first_src}; "
                            "a patent's own fields must agree across its rows",
                        )
                    )
        else:
            new_patents[patent.key] = (patent, source, row)
        declaration = Declaration(
            patent=patent.key,
            standard=row.standard,
            version=row.version,
            section=row.section,
            essentiality=row.essentiality,
            evaluator=row.evaluator,
            evaluated_on=row.evaluated_on,
            declared_on=row.declared_on,
        )
        if declaration.key in new_decls:
            problems.append(
                Problem.at(
                    source,
                    "version",
                    f"duplicate declaration of {patent.key} for {row.standard} {row.version} "
                    f"(first on {new_decls[declaration.key][1]})",
                )
            )
            continue
        new_decls[declaration.key] = (declaration, source)

    for key, (patent, source, _row) in new_patents.items():
        before_p = patents_before.get(key)
        if before_p != patent:
            out.patents.append(patent)
            out.log.append(
                (
                    "patent",
                    key,
                    "added" if before_p is None else "updated",
                    _diff(before_p, patent),
                    source,
                )
            )
    for dkey, (declaration, source) in new_decls.items():
        before_d = declarations_before.get(dkey)
        if before_d != declaration:
            out.declarations.append(declaration)
            out.log.append(
                (
                    "declaration",
                    f"{dkey[0]} {dkey[1]} {dkey[2]}",
                    "added" if before_d is None else "updated",
                    _diff(before_d, declaration),
                    source,
                )
            )
    return out, problems


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
