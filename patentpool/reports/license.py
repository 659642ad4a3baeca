"""The licence summary, for lawyers: parties, standard, term, rates in plain words, the FRAND
undertaking and the licensed patent schedule by country, as of a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from patentpool.core.events import register_on
from patentpool.core.licensing import Counts, Licensee, Program, counted_patents
from patentpool.core.model import (
    Alliance,
    CountryCode,
    Register,
    Standard,
    StandardId,
    VersionId,
)
from patentpool.core.terms import expiry_of, in_force, territories
from patentpool.reports.common import MemberName, PatentRow, member_names, name_in, patent_row
from patentpool.reports.rates import (
    LicenseeTerms,
    ScheduleTerms,
    licensee_terms,
    program_schedules,
)


@dataclass(frozen=True, slots=True)
class VersionTerms:
    id: VersionId
    published: dt.date | None


@dataclass(frozen=True, slots=True)
class CountrySchedule:
    """The licensed patents in force in one country (an EP patent under each validated state)."""

    country: CountryCode
    patents: tuple[PatentRow, ...]


@dataclass(frozen=True, slots=True)
class LicenseReport:
    """The licence summary's context.

    The schedule lists the patents that count in the programme (``counts``: evaluated essential,
    or declared and not found not essential) and are in force on ``as_of``; ``not_in_force``
    counts those that count but are not (expired, lapsed, pending or never enforceable).
    ``last_expiry`` is the latest expiry among the patents in force.
    """

    licensor: str
    licensor_id: str | None
    licensee: LicenseeTerms
    program: str
    currency: str
    counts: Counts
    standard: StandardId
    standard_name: str
    versions: tuple[VersionTerms, ...]
    as_of: dt.date
    signed: dt.date | None
    last_expiry: dt.date | None
    schedules: tuple[ScheduleTerms, ...]
    countries: tuple[CountrySchedule, ...]
    patents_in_force: int
    not_in_force: int
    owners: tuple[MemberName, ...]

    def name_of(self, member_id: str) -> str:
        return name_in(self.owners, member_id)


def _published(standard: Standard | None, version: VersionId) -> dt.date | None:
    found = standard.version(version) if standard else None
    return found.published if found else None


def license_context(
    register: Register,
    program: Program,
    licensee: Licensee,
    alliance: Alliance | None,
    as_of: dt.date,
) -> LicenseReport:
    """The licence of ``licensee`` under ``program`` as it stands on ``as_of`` (the register as
    it stood that day: :func:`register_on`)."""
    register = register_on(register, as_of)
    standard = register.standard_index().get(program.standard)
    patents = counted_patents(register, program)
    live = [p for p in patents if in_force(p, as_of)]
    by_country: dict[CountryCode, list[PatentRow]] = {}
    for patent in live:
        row = patent_row(patent, as_of)
        for country in sorted(territories(patent)):
            by_country.setdefault(country, []).append(row)
    owners = {p.owner for p in live}
    return LicenseReport(
        licensor=alliance.name if alliance else "the licensors",
        licensor_id=alliance.id if alliance else None,
        licensee=licensee_terms(licensee),
        program=program.id,
        currency=program.currency,
        counts=program.counts,
        standard=program.standard,
        standard_name=standard.name if standard else program.standard,
        versions=tuple(VersionTerms(v, _published(standard, v)) for v in program.versions),
        as_of=as_of,
        signed=licensee.signed,
        last_expiry=max((expiry_of(p) for p in live), default=None),
        schedules=program_schedules(program),
        countries=tuple(CountrySchedule(c, tuple(rows)) for c, rows in sorted(by_country.items())),
        patents_in_force=len(live),
        not_in_force=len(patents) - len(live),
        owners=tuple(m for m in member_names(register) if m.id in owners),
    )
