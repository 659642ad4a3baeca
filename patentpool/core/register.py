"""Queries over the register: which patents, declared where, counted how."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from patentpool.core.events import register_on
from patentpool.core.model import (
    Declaration,
    Essentiality,
    MemberId,
    Patent,
    Register,
    StandardId,
    VersionId,
)
from patentpool.core.terms import expiry_of, in_force, territories


@dataclass(frozen=True, slots=True)
class PatentFilter:
    """What ``patents list`` asks for; every field is optional."""

    member: MemberId | None = None
    standard: StandardId | None = None
    version: VersionId | None = None
    in_force_on: dt.date | None = None
    country: str | None = None
    essentiality: Essentiality | None = None


@dataclass(frozen=True, slots=True)
class PatentView:
    """A patent with the declarations that matched a query."""

    patent: Patent
    declarations: tuple[Declaration, ...]
    expiry: dt.date


def declarations_by_patent(register: Register) -> dict[str, list[Declaration]]:
    out: dict[str, list[Declaration]] = defaultdict(list)
    for d in register.declarations:
        out[d.patent].append(d)
    return out


def select_patents(register: Register, query: PatentFilter) -> list[PatentView]:
    """Patents matching every given criterion, ordered by key; with ``in_force_on``, as the
    register stood that day (owner, force and essentiality: :func:`register_on`)."""
    if query.in_force_on is not None:
        register = register_on(register, query.in_force_on)
    decls = declarations_by_patent(register)
    out = []
    for patent in sorted(register.patents, key=lambda p: p.key):
        if query.member is not None and patent.owner != query.member:
            continue
        matched = [
            d
            for d in decls.get(patent.key, [])
            if (query.standard is None or d.standard == query.standard)
            and (query.version is None or d.version == query.version)
            and (query.essentiality is None or d.essentiality is query.essentiality)
        ]
        wants_declaration = (
            query.standard is not None
            or query.version is not None
            or query.essentiality is not None
        )
        if wants_declaration and not matched:
            continue
        if query.in_force_on is not None:
            if not in_force(patent, query.in_force_on, query.country):
                continue
        elif query.country is not None and query.country not in territories(patent):
            continue
        out.append(PatentView(patent, tuple(matched), expiry_of(patent)))
    return out


class CountBy(StrEnum):
    MEMBER = "member"
    JURISDICTION = "jurisdiction"
    STATUS = "status"
    ESSENTIALITY = "essentiality"


@dataclass(frozen=True, slots=True)
class CountRow:
    """Counts for one group of a standard version's declarations.

    ``declared``: every declaration; ``essential`` / ``not_essential``: evaluated so;
    ``awaiting``: declared, not yet evaluated; ``in_force``: declared and in force on the as-of
    date; ``essential_in_force``: evaluated essential and in force; ``families``: distinct
    families among the declared patents.
    """

    group: str
    declared: int
    essential: int
    not_essential: int
    awaiting: int
    in_force: int
    essential_in_force: int
    families: int


def _group_of(by: CountBy, patent: Patent, declaration: Declaration) -> str:
    if by is CountBy.MEMBER:
        return patent.owner
    if by is CountBy.JURISDICTION:
        return patent.jurisdiction
    if by is CountBy.STATUS:
        return patent.status.value
    return declaration.essentiality.value


def count_declarations(
    register: Register,
    standard: StandardId,
    version: VersionId,
    as_of: dt.date,
    by: CountBy = CountBy.MEMBER,
) -> tuple[list[CountRow], CountRow]:
    """Per-group counts for one standard version, and their total."""
    return count_versions(register, [(standard, version)], as_of, [by])[by][(standard, version)]


VersionKey = tuple[StandardId, VersionId]


def count_versions(
    register: Register,
    versions: Iterable[VersionKey],
    as_of: dt.date,
    by: Iterable[CountBy],
) -> dict[CountBy, dict[VersionKey, tuple[list[CountRow], CountRow]]]:
    """:func:`count_declarations` of each of ``versions`` (standard, version) for each grouping
    in ``by``, in one pass over the register's declarations: what each patent counts as (its
    family, in force on ``as_of`` or not) is worked out once. The register is counted as it
    stood on ``as_of`` (:func:`register_on`)."""
    register = register_on(register, as_of)
    patents = register.patent_index()
    groupings = tuple(dict.fromkeys(by))
    totals = {v: _Tally() for v in versions}
    tallies: dict[CountBy, dict[VersionKey, dict[str, _Tally]]] = {
        g: {v: {} for v in totals} for g in groupings
    }
    counted: dict[str, tuple[Patent, bool, str]] = {}
    for d in register.declarations:
        version = (d.standard, d.version)
        total = totals.get(version)
        if total is None:
            continue
        seen = counted.get(d.patent)
        if seen is None:
            p = patents[d.patent]
            seen = counted[d.patent] = (p, in_force(p, as_of), p.family_key)
        p, alive, family = seen
        total.add(d.essentiality, alive, family)
        for grouping in groupings:
            groups = tallies[grouping][version]
            group = _group_of(grouping, p, d)
            tally = groups.get(group)
            if tally is None:
                tally = groups[group] = _Tally()
            tally.add(d.essentiality, alive, family)
    out: dict[CountBy, dict[VersionKey, tuple[list[CountRow], CountRow]]] = {}
    for grouping in groupings:
        out[grouping] = {}
        for version, groups in tallies[grouping].items():
            if grouping is CountBy.MEMBER:
                for m in register.members:
                    groups.setdefault(m.id, _Tally())
            rows = [tally.row(group) for group, tally in sorted(groups.items())]
            out[grouping][version] = (rows, totals[version].row("total"))
    return out


class _Tally:
    """The running counts of one group (what :class:`CountRow` holds)."""

    __slots__ = ("counts", "families")

    def __init__(self) -> None:
        # declared, essential, not essential, awaiting, in force, essential in force
        self.counts = [0, 0, 0, 0, 0, 0]
        self.families: set[str] = set()

    def add(self, essentiality: Essentiality, alive: bool, family: str) -> None:
        counts = self.counts
        counts[0] += 1
        if essentiality is Essentiality.ESSENTIAL:
            counts[1] += 1
            if alive:
                counts[5] += 1
        elif essentiality is Essentiality.NOT_ESSENTIAL:
            counts[2] += 1
        elif essentiality is Essentiality.DECLARED:
            counts[3] += 1
        if alive:
            counts[4] += 1
        self.families.add(family)

    def row(self, group: str) -> CountRow:
        declared, essential, not_essential, awaiting, live, essential_live = self.counts
        return CountRow(
            group=group,
            declared=declared,
            essential=essential,
            not_essential=not_essential,
            awaiting=awaiting,
            in_force=live,
            essential_in_force=essential_live,
            families=len(self.families),
        )
