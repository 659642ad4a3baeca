"""Why an allocation is degenerate, in a sentence: a veto player under Shapley, one holder
taking everything, or nobody getting anything.

A share table where one member gets 100% and everyone else 0% is correct but says nothing by
itself; :func:`diagnose` finds the reason and :meth:`Degenerate.sentence` writes it out, so that
the distribution table and the reports can print it under the figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from patentpool.core.model import MemberId

Names = Callable[[MemberId], str]


class Kind(Enum):
    VETO = "veto"  # under Shapley, members without whom no coalition holds every section
    NOTHING = "nothing"  # no member gets anything
    ALL_TO_ONE = "all to one"  # one member takes everything


@dataclass(frozen=True, slots=True)
class Degenerate:
    """What makes an allocation degenerate.

    ``members``: the veto players (``VETO``) or the one member taking everything
    (``ALL_TO_ONE``); ``sections``: for each veto player, the sections it alone holds;
    ``share``: what ``members`` take together; ``holders``: how many members hold a weight or a
    counted patent; ``reason``: for ``NOTHING``, why.
    """

    kind: Kind
    policy: str
    members: tuple[MemberId, ...] = ()
    sections: tuple[tuple[str, ...], ...] = ()
    share: Fraction = Fraction(0)
    holders: int = 0
    reason: str = ""

    def sentence(self, name: Names = str) -> str:
        """The reason in one sentence, members written by ``name``."""
        if self.kind is Kind.NOTHING:
            return f"No member gets anything: {self.reason}."
        names = [name(m) for m in self.members]
        who = _and(names)
        if self.kind is Kind.ALL_TO_ONE:
            if self.holders <= 1:
                return (
                    f"{who} gets everything: it is the only member with a counted patent "
                    f"that earns a share under policy {self.policy}."
                )
            return (
                f"{who} gets everything: no other member's counted patents earn a share "
                f"under policy {self.policy}."
            )
        return (
            f"{_veto_clause(names, self.sections)}, so no coalition without "
            f"{'it' if len(self.members) == 1 else 'any of them'} holds every section; under "
            f"Shapley {'it takes' if len(self.members) == 1 else 'they take'} "
            f"{_percent(self.share)} of the distributable sum."
        )

    def sentence_for(self, member: MemberId, name: Names = str) -> str:
        """The reason as ``member`` may read it: no other member is named."""
        if self.kind is Kind.NOTHING or (member in self.members and len(self.members) == 1):
            return self.sentence(name)
        if self.kind is Kind.ALL_TO_ONE:
            return (
                f"Another member gets everything: no other member's counted patents, "
                f"{name(member)}'s included, earn a share under policy {self.policy}."
            )
        sections = sorted({s for held in self.sections for s in held})
        if member in self.members:
            own = self.sections[self.members.index(member)]
            return (
                f"{name(member)} is one of {len(self.members)} veto players: it alone holds a "
                f"counted patent in {_sections(own)}, so no coalition without it holds every "
                f"section; under Shapley the veto players take {_percent(self.share)} of the "
                "distributable sum."
            )
        one = len(self.members) == 1
        who = (
            "another member is a veto player"
            if one
            else f"{len(self.members)} other members are veto players"
        )
        return (
            f"Under Shapley {who} (alone holding a counted patent in {_sections(sections)}): "
            f"no coalition without {'it' if one else 'them'} holds every section, and "
            f"{'it takes' if one else 'they take'} {_percent(self.share)} of the distributable sum."
        )


def veto_players(holdings: Mapping[MemberId, frozenset[str]]) -> dict[MemberId, tuple[str, ...]]:
    """Members who alone hold a counted patent in some section, with those sections: the game
    of :func:`~patentpool.core.allocation.shapley` is won only by coalitions holding every
    section, so no coalition without them wins."""
    holders: dict[str, list[MemberId]] = {}
    for member, sections in holdings.items():
        for section in sections:
            holders.setdefault(section, []).append(member)
    out: dict[MemberId, list[str]] = {}
    for section, who in sorted(holders.items()):
        if len(who) == 1:
            out.setdefault(who[0], []).append(section)
    return {m: tuple(s) for m, s in sorted(out.items())}


def diagnose(
    policy: str,
    shares: Mapping[MemberId, Fraction],
    distributable: Decimal | None = None,
    holdings: Mapping[MemberId, frozenset[str]] | None = None,
) -> Degenerate | None:
    """Why the allocation ``shares`` (exact, by member) under ``policy`` is degenerate, or None.

    ``distributable``: the sum shared out (0: nobody gets anything); ``holdings``: the sections
    in which each member holds a counted patent, which name the veto players under
    ``shapley``.
    """
    positive = {m: s for m, s in shares.items() if s > 0}
    if distributable is not None and distributable == 0:
        return Degenerate(
            Kind.NOTHING, policy, reason="the distributable sum is 0 after the administration fee"
        )
    if not positive:
        return Degenerate(
            Kind.NOTHING,
            policy,
            reason=f"no member holds a counted patent that earns a share under policy {policy}",
        )
    holders = len(holdings) if holdings is not None else len(shares)
    if policy == "shapley" and holdings:
        vetoes = veto_players(holdings)
        if vetoes:
            members = tuple(vetoes)
            return Degenerate(
                Kind.VETO,
                policy,
                members,
                tuple(vetoes.values()),
                sum((shares.get(m, Fraction(0)) for m in members), Fraction(0)),
                holders,
            )
    if len(positive) == 1:
        (member,) = positive
        return Degenerate(Kind.ALL_TO_ONE, policy, (member,), share=Fraction(1), holders=holders)
    return None


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sections(sections: tuple[str, ...] | list[str]) -> str:
    word = "section" if len(sections) == 1 else "sections"
    return f"{word} {_and(list(sections))}"


def _veto_clause(names: list[str], sections: tuple[tuple[str, ...], ...]) -> str:
    if len(names) == 1:
        alone = _sections(sections[0])
        return f"{names[0]} is a veto player: it alone holds a counted patent in {alone}"
    each = "; ".join(f"{n}: {_sections(s)}" for n, s in zip(names, sections, strict=True))
    return (
        f"{_and(names)} are veto players, each alone holding a counted patent in a section ({each})"
    )


def _percent(share: Fraction) -> str:
    value = Decimal(share.numerator) / Decimal(share.denominator) * 100
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}%"
