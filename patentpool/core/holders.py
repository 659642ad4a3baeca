"""Who holds a standard's patents on a given day: the holders a regime comparison prices with.

From the register, a member counts for a standard version on a day when it owns at least one
patent declared to that version, not evaluated not essential (or, counting ``essential`` only,
evaluated essential), and in force that day somewhere (:func:`patentpool.core.terms.in_force`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from patentpool.core.events import register_on
from patentpool.core.model import Essentiality, MemberId, Register, StandardId, VersionId
from patentpool.core.regimes import Holder, Market, Outcome, Regime, solve
from patentpool.core.terms import in_force
from patentpool.errors import NotFound


class Counting(StrEnum):
    DECLARED = "declared"  # declared, unless evaluated not essential
    ESSENTIAL = "essential"  # evaluated essential only


@dataclass(frozen=True, slots=True)
class HolderSource:
    """Holders taken from the register: the members holding patents of one standard version."""

    standard: StandardId
    version: VersionId
    counting: Counting = Counting.DECLARED

    def __str__(self) -> str:
        return f"{self.standard} {self.version}"


def _counted(essentiality: Essentiality, counting: Counting) -> bool:
    if counting is Counting.ESSENTIAL:
        return essentiality is Essentiality.ESSENTIAL
    return essentiality is not Essentiality.NOT_ESSENTIAL


def check_source(register: Register, source: HolderSource) -> None:
    """Raise :class:`NotFound` when the register knows no such standard or version."""
    declared = {(d.standard, d.version) for d in register.declarations}
    standard = register.standard_index().get(source.standard)
    if standard is None and not any(s == source.standard for s, _ in declared):
        raise NotFound("standard", source.standard)
    listed = standard is not None and standard.version(source.version) is not None
    if not listed and (source.standard, source.version) not in declared:
        raise NotFound("version", str(source))


def patent_counts(register: Register, source: HolderSource, on: dt.date) -> dict[MemberId, int]:
    """Per member, the distinct counted patents of ``source`` in force on ``on`` (none: absent).

    A declaration naming a patent the register does not hold is skipped.
    """
    check_source(register, source)
    register = register_on(register, on)
    patents = register.patent_index()
    counted: dict[MemberId, set[str]] = {}
    for d in register.declarations:
        if (d.standard, d.version) != (source.standard, source.version):
            continue
        patent = patents.get(d.patent)
        if patent is None or not _counted(d.essentiality, source.counting):
            continue
        if in_force(patent, on):
            counted.setdefault(patent.owner, set()).add(patent.key)
    return {member: len(keys) for member, keys in counted.items()}


def holders_on(register: Register, source: HolderSource, on: dt.date) -> tuple[Holder, ...]:
    """The members holding counted patents in force on ``on``, most patents first."""
    counts = patent_counts(register, source, on)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Holder(member, n, member) for member, n in ranked)


def unknown_members(holders: Iterable[Holder], register: Register) -> list[MemberId]:
    """Members named by ``holders`` that the register does not know, in order, once each."""
    known = register.member_index()
    out: list[MemberId] = []
    for h in holders:
        if h.member is not None and h.member not in known and h.member not in out:
            out.append(h.member)
    return out


@dataclass(frozen=True, slots=True)
class YearOutcome:
    """One year of a projection: the holders in force on 1 January and each regime's outcome."""

    year: int
    on: dt.date
    holders: tuple[Holder, ...]
    outcomes: tuple[Outcome, ...]

    @property
    def patents(self) -> int:
        return sum(h.patents for h in self.holders)


def project(
    register: Register,
    source: HolderSource,
    market: Market,
    regimes: Sequence[Regime],
    years: Iterable[int],
) -> tuple[YearOutcome, ...]:
    """Each year's holders (patents in force on 1 January) and every regime's equilibrium.

    A year in which no counted patent is in force has no holders: every regime then charges
    nothing and output is what the makers alone would bring to market.
    """
    out = []
    for year in years:
        on = dt.date(year, 1, 1)
        holders = holders_on(register, source, on)
        outcomes = tuple(solve(market, holders, regime) for regime in regimes)
        out.append(YearOutcome(year, on, holders, outcomes))
    return tuple(out)
