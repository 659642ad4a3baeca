"""Patent life: when a patent expires and where and when it is in force.

The rule table gives the term of protection, counted from the filing date, by jurisdiction and
by kind of right. A patent's own ``expiry_date`` (from the input) always wins over the table.
A US reissue (``RE``) keeps the original patent's term: give the original's filing date.
``WO`` (PCT) publications are applications and are in force nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from patentpool.core.model import CountryCode, Patent, Status

#: Regional offices whose patents take effect only in the states where they are validated.
REGIONAL_OFFICES = frozenset({"EP"})
#: Publications that are applications only and enforceable nowhere.
NOWHERE = frozenset({"WO"})
_NOWHERE: frozenset[CountryCode] = frozenset()


@dataclass(frozen=True, slots=True)
class TermRule:
    jurisdiction: str  # "*" for any
    kinds: frozenset[str]  # kind codes the rule applies to; empty for any
    years: int
    right: str  # plain-words name of the right, for the docs


#: Checked in order; the first match wins.
TERM_RULES: tuple[TermRule, ...] = (
    TermRule("CN", frozenset({"U", "Y"}), 10, "CN utility model"),
    TermRule("CN", frozenset({"S", "D"}), 15, "CN design patent"),
    TermRule("DE", frozenset({"U", "U1", "U2"}), 10, "DE utility model (Gebrauchsmuster)"),
    TermRule("JP", frozenset({"U"}), 10, "JP utility model"),
    TermRule("KR", frozenset({"U", "Y1"}), 10, "KR utility model"),
    TermRule("US", frozenset({"S"}), 15, "US design patent (from filing, simplified)"),
    TermRule("*", frozenset(), 20, "invention patent"),
)


def term_rule(patent: Patent) -> TermRule:
    return _rule_for(patent.jurisdiction, patent.kind)


@cache
def _rule_for(jurisdiction: str, kind: str | None) -> TermRule:
    """The first rule of the table for a jurisdiction and kind (a few dozen pairs in all)."""
    kind = (kind or "").upper()
    for rule in TERM_RULES:
        if rule.jurisdiction not in ("*", jurisdiction):
            continue
        if rule.kinds and kind not in rule.kinds:
            continue
        return rule
    raise AssertionError("the rule table ends with a catch-all")  # pragma: no cover


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def expiry_of(patent: Patent) -> dt.date:
    """The day the patent stops being in force: its own expiry date, else filing + term."""
    if patent.expiry_date is not None:
        return patent.expiry_date
    return add_years(patent.filing_date, _rule_for(patent.jurisdiction, patent.kind).years)


def territories(patent: Patent) -> frozenset[CountryCode]:
    """The countries where the patent can be enforced at all."""
    if patent.jurisdiction in NOWHERE:
        return _NOWHERE
    if patent.jurisdiction in REGIONAL_OFFICES:
        return patent.validated_states
    return _national(patent.jurisdiction)


@cache
def _national(jurisdiction: str) -> frozenset[CountryCode]:
    return frozenset({jurisdiction})


def in_force(patent: Patent, on: dt.date, country: CountryCode | None = None) -> bool:
    """Is the patent in force on ``on`` (in ``country``, or anywhere when it is None)?

    In force means: granted (a pending, lapsed, expired or revoked patent never is), granted on
    or before ``on`` when a grant date is known, ``on`` before the expiry day, and ``country``
    among its territories.
    """
    where = territories_in_force(patent, on)
    if country is None:
        return bool(where)
    return country in where


def territories_in_force(patent: Patent, on: dt.date) -> frozenset[CountryCode]:
    """The countries where the patent is in force on ``on`` (none when it is in force nowhere):
    ``in_force(patent, on, c)`` for a country ``c`` is ``c in territories_in_force(patent, on)``.
    """
    if patent.status is not Status.GRANTED:
        return _NOWHERE
    if patent.grant_date is not None and patent.grant_date > on:
        return _NOWHERE
    expiry = patent.expiry_date  # expiry_of(patent) inline: this runs for whole registers
    if expiry is None:
        expiry = add_years(patent.filing_date, _rule_for(patent.jurisdiction, patent.kind).years)
    if on >= expiry:
        return _NOWHERE
    return territories(patent)
