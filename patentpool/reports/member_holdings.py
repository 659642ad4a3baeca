"""The register as member statements read it, built once per register and day.

Counts depend on the register and the day only, not on the member, and every statement looks
its member's patents up in the same arrangement of the register: the statements made inside
one :func:`shared_statements` block share them; outside a block each statement works them out
afresh, and nothing is kept once a block ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from patentpool.core.events import register_on
from patentpool.core.model import Declaration, MemberId, Patent, PatentKey, Register
from patentpool.reports.pool import VersionCounts
from patentpool.reports.pool import version_counts as _version_counts

T = TypeVar("T")

#: What the statements made inside one :func:`shared_statements` block share, keyed by the
#: register's identity, the register itself kept beside its results (so that its identity
#: cannot be reused while the block lasts).
_SHARED: ContextVar[dict[tuple[object, ...], tuple[Register, object]] | None] = ContextVar(
    "shared_statements", default=None
)


Shared = dict[tuple[object, ...], tuple[Register, object]]


@contextmanager
def shared_statements(kept: Shared | None = None) -> Iterator[None]:
    """Statements of one register made inside this block compute what they share once (the
    block of an enclosing call is reused). ``kept``: where what they share is kept beyond the
    block (a process that keeps the register between requests keeps this beside it, and
    starts a new one when it reads the register again)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({} if kept is None else kept)
    try:
        yield
    finally:
        _SHARED.reset(token)


def memo(register: Register, key: tuple[object, ...], compute: Callable[[], T]) -> T:
    store = _SHARED.get()
    if store is None:
        return compute()
    full = (id(register), *key)
    hit = store.get(full)
    if hit is not None and hit[0] is register:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    store[full] = (register, value)
    return value


def register_on_day(register: Register, day: dt.date) -> Register:
    """:func:`~patentpool.core.events.register_on`, once per register and day."""
    return memo(register, ("on", day), lambda: register_on(register, day))


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
