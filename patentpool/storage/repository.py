"""Mapping between table rows and the core's plain values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from patentpool.core.model import (
    Alliance,
    Declaration,
    Essentiality,
    Member,
    Patent,
    Register,
    Standard,
    StandardVersion,
    Status,
)
from patentpool.storage.models import (
    AllianceRow,
    DeclarationRow,
    MemberAliasRow,
    MemberRow,
    PatentRow,
    SectionRow,
    StandardRow,
    ValidationRow,
    VersionRow,
)


def load_register(session: Session) -> Register:
    """The whole register as plain values, in a stable order."""
    alliance_row = session.scalars(select(AllianceRow).order_by(AllianceRow.id)).first()
    aliases: dict[str, list[str]] = defaultdict(list)
    for a in session.scalars(select(MemberAliasRow).order_by(MemberAliasRow.alias)):
        aliases[a.member_id].append(a.alias)
    members = tuple(
        Member(m.id, m.name, tuple(aliases[m.id]), m.joined)
        for m in session.scalars(select(MemberRow).order_by(MemberRow.id))
    )
    sections: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in session.scalars(select(SectionRow).order_by(SectionRow.position, SectionRow.section)):
        sections[(s.standard_id, s.version_id)].append(s.section)
    versions: dict[str, list[StandardVersion]] = defaultdict(list)
    for v in session.scalars(select(VersionRow).order_by(VersionRow.position, VersionRow.id)):
        versions[v.standard_id].append(
            StandardVersion(v.id, v.published, v.supersedes, tuple(sections[(v.standard_id, v.id)]))
        )
    standards = tuple(
        Standard(s.id, s.name, tuple(versions[s.id]))
        for s in session.scalars(select(StandardRow).order_by(StandardRow.id))
    )
    # patents and declarations are read as plain column tuples: a register holds tens of
    # thousands of them, and ORM objects would cost more than the values built from them
    states: dict[int, set[str]] = defaultdict(set)
    for pid, country in session.execute(select(ValidationRow.patent_id, ValidationRow.country)):
        states[pid].add(country)
    statuses = {s.value: s for s in Status}
    essentialities = {e.value: e for e in Essentiality}
    keys: dict[int, str] = {}
    patents = []
    patent_rows = session.execute(
        select(
            PatentRow.id,
            PatentRow.key,
            PatentRow.jurisdiction,
            PatentRow.number,
            PatentRow.owner_id,
            PatentRow.filing_date,
            PatentRow.kind,
            PatentRow.family,
            PatentRow.grant_date,
            PatentRow.expiry_date,
            PatentRow.status,
            PatentRow.title,
        ).order_by(PatentRow.key)
    )
    no_states: frozenset[str] = frozenset()
    for (
        pid,
        key,
        jur,
        number,
        owner,
        filed,
        kind,
        family,
        granted,
        expiry,
        status,
        title,
    ) in patent_rows:
        keys[pid] = key
        found = states.get(pid)
        patents.append(
            Patent(
                jurisdiction=jur,
                number=number,
                owner=owner,
                filing_date=filed,
                kind=kind,
                family=family,
                grant_date=granted,
                expiry_date=expiry,
                status=statuses[status],
                validated_states=frozenset(found) if found else no_states,
                title=title,
            )
        )
    declaration_rows = session.execute(
        select(
            DeclarationRow.patent_id,
            DeclarationRow.standard_id,
            DeclarationRow.version_id,
            DeclarationRow.section,
            DeclarationRow.essentiality,
            DeclarationRow.evaluator,
            DeclarationRow.evaluated_on,
            DeclarationRow.declared_on,
        )
    )
    declarations = sorted(
        (
            Declaration(
                patent=keys[row[0]],
                standard=row[1],
                version=row[2],
                section=row[3],
                essentiality=essentialities[row[4]],
                evaluator=row[5],
                evaluated_on=row[6],
                declared_on=row[7],
            )
            for row in declaration_rows
        ),
        key=lambda d: d.key,
    )
    alliance = Alliance(alliance_row.id, alliance_row.name) if alliance_row else None
    return Register(alliance, members, standards, tuple(patents), tuple(declarations))


def save_alliance(session: Session, alliance: Alliance) -> None:
    existing = session.get(AllianceRow, alliance.id)
    if existing is None:
        session.execute(delete(AllianceRow))
        session.add(AllianceRow(id=alliance.id, name=alliance.name))
    else:
        existing.name = alliance.name


def save_members(session: Session, members: Iterable[Member]) -> None:
    for m in members:
        row = session.get(MemberRow, m.id)
        if row is None:
            session.add(MemberRow(id=m.id, name=m.name, joined=m.joined))
        else:
            row.name, row.joined = m.name, m.joined
        session.flush()
        session.execute(delete(MemberAliasRow).where(MemberAliasRow.member_id == m.id))
        for alias in dict.fromkeys(m.aliases):
            session.add(MemberAliasRow(member_id=m.id, alias=alias))
    session.flush()


def save_standards(session: Session, standards: Iterable[Standard]) -> None:
    for s in standards:
        row = session.get(StandardRow, s.id)
        if row is None:
            session.add(StandardRow(id=s.id, name=s.name))
        else:
            row.name = s.name
        session.flush()
        for pos, v in enumerate(s.versions):
            vrow = session.get(VersionRow, (s.id, v.id))
            if vrow is None:
                session.add(
                    VersionRow(
                        standard_id=s.id,
                        id=v.id,
                        published=v.published,
                        supersedes=v.supersedes,
                        position=pos,
                    )
                )
            else:
                vrow.published, vrow.supersedes, vrow.position = v.published, v.supersedes, pos
            session.flush()
            session.execute(
                delete(SectionRow).where(
                    SectionRow.standard_id == s.id, SectionRow.version_id == v.id
                )
            )
            for spos, section in enumerate(v.sections):
                session.add(
                    SectionRow(standard_id=s.id, version_id=v.id, section=section, position=spos)
                )
    session.flush()


def _patent_values(p: Patent) -> dict[str, Any]:
    return {
        "key": p.key,
        "jurisdiction": p.jurisdiction,
        "number": p.number,
        "kind": p.kind,
        "owner_id": p.owner,
        "family": p.family,
        "filing_date": p.filing_date,
        "grant_date": p.grant_date,
        "expiry_date": p.expiry_date,
        "status": p.status.value,
        "title": p.title,
    }


def save_patents(session: Session, patents: Sequence[Patent]) -> None:
    """Insert new patents and update changed ones (matched by key), in batches."""
    if not patents:
        return
    ids = dict(session.execute(select(PatentRow.key, PatentRow.id)).all())
    new = [_patent_values(p) for p in patents if p.key not in ids]
    changed = [{"id": ids[p.key], **_patent_values(p)} for p in patents if p.key in ids]
    if new:
        session.execute(insert(_table(PatentRow)), new)  # Core: no ORM bookkeeping
    if changed:
        session.execute(update(PatentRow), changed)
    ids = dict(session.execute(select(PatentRow.key, PatentRow.id)).all())
    touched = [ids[p.key] for p in patents]
    for chunk in _chunks(touched, 500):
        session.execute(delete(ValidationRow).where(ValidationRow.patent_id.in_(chunk)))
    states = [
        {"patent_id": ids[p.key], "country": c} for p in patents for c in sorted(p.validated_states)
    ]
    if states:
        session.execute(insert(_table(ValidationRow)), states)


def save_declarations(session: Session, declarations: Sequence[Declaration]) -> None:
    if not declarations:
        return
    ids = dict(session.execute(select(PatentRow.key, PatentRow.id)).all())
    existing = {
        (pid, s, v): did
        for did, pid, s, v in session.execute(
            select(
                DeclarationRow.id,
                DeclarationRow.patent_id,
                DeclarationRow.standard_id,
                DeclarationRow.version_id,
            )
        )
    }
    new, changed = [], []
    for d in declarations:
        values = {
            "patent_id": ids[d.patent],
            "standard_id": d.standard,
            "version_id": d.version,
            "section": d.section,
            "essentiality": d.essentiality.value,
            "evaluator": d.evaluator,
            "evaluated_on": d.evaluated_on,
            "declared_on": d.declared_on,
        }
        did = existing.get((ids[d.patent], d.standard, d.version))
        if did is None:
            new.append(values)
        else:
            changed.append({"id": did, **values})
    if new:
        session.execute(insert(_table(DeclarationRow)), new)
    if changed:
        session.execute(update(DeclarationRow), changed)


def _table(model: type[Any]) -> Table:
    """The Core table of a model: bulk inserts through it skip the ORM's bookkeeping."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load_standards(session: Session) -> tuple[Standard, ...]:
    """The standards alone, with their versions and sections (what a licensing import needs)."""
    sections: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in session.scalars(select(SectionRow).order_by(SectionRow.position, SectionRow.section)):
        sections[(s.standard_id, s.version_id)].append(s.section)
    versions: dict[str, list[StandardVersion]] = defaultdict(list)
    for v in session.scalars(select(VersionRow).order_by(VersionRow.position, VersionRow.id)):
        versions[v.standard_id].append(
            StandardVersion(v.id, v.published, v.supersedes, tuple(sections[(v.standard_id, v.id)]))
        )
    return tuple(
        Standard(s.id, s.name, tuple(versions[s.id]))
        for s in session.scalars(select(StandardRow).order_by(StandardRow.id))
    )
