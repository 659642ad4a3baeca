"""The register as member statements read it, built once per register and day.

Counts depend on the register and the day only, not on the member, and every statement looks
its member's patents up in the same arrangement of the register: statements for every member
of one register share them (see :func:`memo`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from patentpool.core.model import Declaration, MemberId, Patent, PatentKey, Register
from patentpool.reports.pool import VersionCounts
from patentpool.reports.pool import version_counts as _version_counts

T = TypeVar("T")

#: Counts depend on the register and the day only, not on the member, and every statement
#: looks its member's patents up in the same arrangement of the register: statements for every
#: member of one register compute them once. Keyed by the register's identity; the register
#: itself is kept beside its results so that identity cannot be reused while cached.
MEMO: dict[tuple[object, ...], tuple[Register, object]] = {}


def memo(register: Register, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    full = (id(register), *key)
    hit = MEMO.get(full)
    if hit is not None and hit[0] is register:
        return hit[1]  # type: ignore[return-value]
    if len(MEMO) > 16:
        MEMO.clear()
    value = compute()
    MEMO[full] = (register, value)
    return value


def version_counts(register: Register, as_of: dt.date) -> tuple[VersionCounts, ...]:
    return memo(register, ("versions", as_of), lambda: _version_counts(register, as_of))


@dataclass(frozen=True, slots=True)
class Holdings:
    """The register arranged for statements: each member's patents (ordered by key) and each
    patent's declarations (in the register's order). Built once per register."""

    patents: dict[MemberId, list[Patent]]
    declarations: dict[PatentKey, list[Declaration]]

    def owned(self, member_id: MemberId) -> list[Patent]:
        return self.patents.get(member_id, [])

    def declared(self, patent: PatentKey) -> list[Declaration]:
        return self.declarations.get(patent, [])


def holdings(register: Register) -> Holdings:
    def build() -> Holdings:
        patents: dict[MemberId, list[Patent]] = {}
        for p in sorted(register.patents, key=lambda p: p.key):
            patents.setdefault(p.owner, []).append(p)
        declarations: dict[PatentKey, list[Declaration]] = {}
        for d in register.declarations:
            declarations.setdefault(d.patent, []).append(d)
        return Holdings(patents, declarations)

    return memo(register, ("holdings",), build)
