"""Values several report contexts share: member names and patent rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from patentpool.core.model import CountryCode, MemberId, Patent, PatentKey, Register, Status
from patentpool.core.terms import expiry_of, in_force, territories
from patentpool.errors import NotFound


@dataclass(frozen=True, slots=True)
class MemberName:
    id: MemberId
    name: str


def member_names(register: Register) -> tuple[MemberName, ...]:
    return tuple(MemberName(m.id, m.name) for m in sorted(register.members, key=lambda m: m.id))


def name_in(names: tuple[MemberName, ...], member_id: str) -> str:
    """The member's name, or its id when the register does not know it."""
    return next((m.name for m in names if m.id == member_id), member_id)


def require_member(register: Register, member_id: MemberId) -> None:
    if member_id not in register.member_index():
        raise NotFound("member", member_id)


@dataclass(frozen=True, slots=True)
class PatentRow:
    """A patent as a report lists it, with the dates the register holds.

    ``expiry`` is the effective expiry (the register's date, else filing + term);
    ``territories`` the countries where it can be enforced (an EP patent's validated states).
    """

    key: PatentKey
    publication_number: str
    jurisdiction: str
    owner: MemberId
    title: str | None
    family: str | None
    status: Status
    territories: tuple[CountryCode, ...]
    filing_date: dt.date
    grant_date: dt.date | None
    expiry: dt.date
    in_force: bool


def patent_row(patent: Patent, as_of: dt.date) -> PatentRow:
    return PatentRow(
        key=patent.key,
        publication_number=patent.publication_number,
        jurisdiction=patent.jurisdiction,
        owner=patent.owner,
        title=patent.title,
        family=patent.family,
        status=patent.status,
        territories=tuple(sorted(territories(patent))),
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry=expiry_of(patent),
        in_force=in_force(patent, as_of),
    )
