"""What a distribution policy is given (:class:`PolicyInput`) and gives back (one
:class:`Claim` per member), shared by :mod:`patentpool.core.allocation` and the built-in
policies of :mod:`patentpool.core.builtin_policies`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from patentpool.core.licensing import Program
from patentpool.core.model import CountryCode, Declaration, MemberId, Patent, PatentKey, Register
from patentpool.core.periods import Period
from patentpool.errors import InvalidInput

#: Section name given to counted patents declared without a section.
NO_SECTION = "(no section)"


class NothingToShare(InvalidInput):
    """No member holds a counted patent (or a weight) to share the money by."""


@dataclass(frozen=True, slots=True)
class PolicyInput:
    """Everything a policy may look at, computed once by :func:`distribute`."""

    program: Program
    register: Register
    period: Period
    #: counted patents of the programme in force (somewhere) on the period's last day, by key
    patents: tuple[Patent, ...]
    #: their declarations that count in the programme
    declarations: Mapping[PatentKey, tuple[Declaration, ...]]
    #: royalties by country where earned (from :meth:`RoyaltyResult.royalties_by_country`)
    royalties_by_country: Mapping[CountryCode, Decimal]

    @property
    def day(self) -> dt.date:
        return self.period.last_day

    def by_member(self) -> dict[MemberId, list[Patent]]:
        out: dict[MemberId, list[Patent]] = defaultdict(list)
        for patent in self.patents:
            out[patent.owner].append(patent)
        return dict(sorted(out.items()))

    def sections(self, patent: Patent) -> frozenset[str]:
        """The sections ``patent`` is counted in (``NO_SECTION`` when declared without one)."""
        return frozenset(d.section or NO_SECTION for d in self.declarations[patent.key])


@dataclass(frozen=True, slots=True)
class Claim:
    """What a policy gives one member: a non-negative weight and what it counted."""

    member: MemberId
    weight: Fraction
    basis: str


Policy = Callable[[PolicyInput, Mapping[str, str]], Sequence[Claim]]
