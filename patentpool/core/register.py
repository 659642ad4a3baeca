"""Queries over the register: which patents, declared where, counted how."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

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
    """Patents matching every given criterion, ordered by key."""
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
    patents = register.patent_index()
    groups: dict[str, list[tuple[Patent, Declaration]]] = defaultdict(list)
    for d in register.declarations:
        if d.standard == standard and d.version == version:
            p = patents[d.patent]
            groups[_group_of(by, p, d)].append((p, d))
    if by is CountBy.MEMBER:
        for m in register.members:
            groups.setdefault(m.id, [])
    rows = [_count(group, items, as_of) for group, items in sorted(groups.items())]
    everything = [item for items in groups.values() for item in items]
    return rows, _count("total", everything, as_of)


def _count(group: str, items: Iterable[tuple[Patent, Declaration]], as_of: dt.date) -> CountRow:
    items = list(items)
    live = [(p, d) for p, d in items if in_force(p, as_of)]
    return CountRow(
        group=group,
        declared=len(items),
        essential=sum(d.essentiality is Essentiality.ESSENTIAL for _, d in items),
        not_essential=sum(d.essentiality is Essentiality.NOT_ESSENTIAL for _, d in items),
        awaiting=sum(d.essentiality is Essentiality.DECLARED for _, d in items),
        in_force=len(live),
        essential_in_force=sum(d.essentiality is Essentiality.ESSENTIAL for _, d in live),
        families=len({p.family_key for p, _ in items}),
    )
