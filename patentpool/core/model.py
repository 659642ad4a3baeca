"""The register's records: small immutable values with documented fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class Register:
    """The whole register as plain values: what every core query takes."""

    alliance: Alliance | None = None
    members: tuple[Member, ...] = ()
    standards: tuple[Standard, ...] = ()
    patents: tuple[Patent, ...] = ()
    declarations: tuple[Declaration, ...] = ()

    def patent_index(self) -> dict[PatentKey, Patent]:
        return {p.key: p for p in self.patents}

    def member_index(self) -> dict[MemberId, Member]:
        return {m.id: m for m in self.members}

    def standard_index(self) -> dict[StandardId, Standard]:
        return {s.id: s for s in self.standards}
