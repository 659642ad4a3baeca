"""The register's records: small immutable values with documented fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

MemberId = str
StandardId = str
VersionId = str
CountryCode = str  # ISO 3166-1 alpha-2, upper case
PatentKey = str  # jurisdiction + number, without kind code: "US7123456", "EP1234567"


class Status(StrEnum):
    """Legal status of a patent as the register holds it today."""

    PENDING = "pending"
    GRANTED = "granted"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Essentiality(StrEnum):
    """What is known of a declared patent's essentiality to the version it is declared for."""

    DECLARED = "declared"  # declared by its owner, not (yet) evaluated
    ESSENTIAL = "essential"  # evaluated essential
    NOT_ESSENTIAL = "not_essential"  # evaluated and found not essential


@dataclass(frozen=True, slots=True)
class Alliance:
    """The alliance; ``illustrative``: its register is a sample with invented figures, and
    every report made from it says so on every page."""

    id: str
    name: str
    illustrative: bool = False


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the alliance, who may own (and license) declared patents."""

    id: MemberId
    name: str
    aliases: tuple[str, ...] = ()
    joined: dt.date | None = None


@dataclass(frozen=True, slots=True)
class StandardVersion:
    id: VersionId
    published: dt.date | None = None
    supersedes: VersionId | None = None
    sections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Standard:
    id: StandardId
    name: str
    versions: tuple[StandardVersion, ...] = ()

    def version(self, version_id: VersionId) -> StandardVersion | None:
        return next((v for v in self.versions if v.id == version_id), None)


@dataclass(frozen=True, slots=True)
class Patent:
    """One national (or regional) patent or application.

    ``jurisdiction`` is the issuing office (``US``, ``CN``, ``EP``, ``WO``...), ``number`` the
    normalised number without kind code, ``kind`` the kind code when known (``B2``, ``B``).
    ``expiry_date`` is the date given in the input; the effective expiry, computed by the rule
    table when it is absent, comes from :func:`patentpool.core.terms.expiry_of`.
    ``validated_states`` holds, for a European patent, the states where it was validated.
    """

    jurisdiction: str
    number: str
    owner: MemberId
    filing_date: dt.date
    kind: str | None = None
    family: str | None = None
    grant_date: dt.date | None = None
    expiry_date: dt.date | None = None
    status: Status = Status.GRANTED
    validated_states: frozenset[CountryCode] = field(default_factory=frozenset)
    title: str | None = None

    @property
    def key(self) -> PatentKey:
        return f"{self.jurisdiction}{self.number}"

    @property
    def publication_number(self) -> str:
        return f"{self.jurisdiction}{self.number}{self.kind or ''}"

    @property
    def family_key(self) -> str:
        """The family, or the patent itself when it belongs to none."""
        return self.family or self.key


@dataclass(frozen=True, slots=True)
class Declaration:
    """A patent declared essential to one version (and optionally one section) of a standard.

    ``frand`` and ``reciprocity``, when known (an ETSI declaration says them): the owner is
    prepared to grant licences on FRAND terms, and only on condition of reciprocity."""

    patent: PatentKey
    standard: StandardId
    version: VersionId
    section: str | None = None
    essentiality: Essentiality = Essentiality.DECLARED
    evaluator: str | None = None
    evaluated_on: dt.date | None = None
    declared_on: dt.date | None = None
    frand: bool | None = None
    reciprocity: bool | None = None

    @property
    def key(self) -> tuple[PatentKey, StandardId, VersionId]:
        return (self.patent, self.standard, self.version)

    def keeping_flags(self, before: Declaration) -> Declaration:
        """This declaration with ``before``'s licensing flags where it does not say them (an
        ETSI import sets them; a patents file need not carry them)."""
        frand = before.frand if self.frand is None else self.frand
        reciprocity = before.reciprocity if self.reciprocity is None else self.reciprocity
        if (frand, reciprocity) == (self.frand, self.reciprocity):
            return self
        return replace(self, frand=frand, reciprocity=reciprocity)


class EventKind(StrEnum):
    """What happened to a patent on an event's date."""

    ASSIGNED = "assigned"  # from the date it belongs to ``owner`` (None: to no member)
    LAPSED = "lapsed"  # from the date not in force in ``country`` (None: anywhere)
    REVOKED = "revoked"  # as lapsed, and a restoration does not undo it
    RESTORED = "restored"  # from the date a lapse in ``country`` (None: all) no longer holds
    EVALUATED = "evaluated"  # from the date the declaration has ``essentiality``
    EXPIRY_CHANGED = "expiry_changed"  # from the date the patent expires on ``expiry``


#: Events that end a patent's force somewhere, and the one that undoes a lapse.
ENDING = frozenset({EventKind.LAPSED, EventKind.REVOKED})


@dataclass(frozen=True, slots=True)
class PatentEvent:
    """One dated event of one patent (the fields its kind uses; the others are None).

    ``recorded`` is the day the register learnt of it (the day of its import), which may be
    long after ``date``, the day from which it holds.
    """

    patent: PatentKey
    date: dt.date
    kind: EventKind
    country: CountryCode | None = None
    owner: MemberId | None = None
    standard: StandardId | None = None
    version: VersionId | None = None
    essentiality: Essentiality | None = None
    evaluator: str | None = None
    expiry: dt.date | None = None
    note: str | None = None
    recorded: dt.date | None = None

    @property
    def key(self) -> tuple[PatentKey, str, dt.date, str, str, str]:
        """What names the event: two events with one key are one event (a patent has one
        owner, one state per country, one evaluation per version and one term on a day)."""
        return (
            self.patent,
            self.kind.value,
            self.date,
            self.country or "",
            self.standard or "",
            self.version or "",
        )

    def same_facts(self, other: PatentEvent) -> bool:
        """The same event with the same facts (its note and recording day aside)."""
        return replace(self, note=None, recorded=None) == replace(other, note=None, recorded=None)

    def describe(self) -> str:
        """The event in plain words: ``EP2123456B1 lapsed in DE from 2026-02-01``."""
        return f"{self.patent} {self.what()} from {self.date.isoformat()}"

    def what(self) -> str:
        if self.kind is EventKind.ASSIGNED:
            return f"assigned to {self.owner}" if self.owner else "assigned outside the pool"
        if self.kind in ENDING or self.kind is EventKind.RESTORED:
            return f"{self.kind.value} in {self.country}" if self.country else self.kind.value
        if self.kind is EventKind.EVALUATED:
            assert self.essentiality is not None
            return f"evaluated {self.essentiality.value} for {self.standard} {self.version}"
        assert self.expiry is not None
        return f"expiry changed to {self.expiry.isoformat()}"


@dataclass(frozen=True, slots=True)
class Register:
    """The whole register as plain values: what every core query takes."""

    alliance: Alliance | None = None
    members: tuple[Member, ...] = ()
    standards: tuple[Standard, ...] = ()
    patents: tuple[Patent, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    events: tuple[PatentEvent, ...] = ()  # dated events (core/events.py), in date order

    @property
    def illustrative(self) -> bool:
        """Is this register a sample with invented figures (its alliance says so)?"""
        return bool(self.alliance and self.alliance.illustrative)

    def patent_index(self) -> dict[PatentKey, Patent]:
        return {p.key: p for p in self.patents}

    def member_index(self) -> dict[MemberId, Member]:
        return {m.id: m for m in self.members}

    def standard_index(self) -> dict[StandardId, Standard]:
        return {s.id: s for s in self.standards}
