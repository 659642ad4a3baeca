"""The pool report, for alliance staff: what the register holds and how it will age.

Per standard version: declared, evaluated essential and in-force counts by member and by
issuing office; declarations awaiting evaluation; patents counted in more than one programme
(double dipping); and the expiry timeline - patents in force year by year, per member, with the
proportional shares those counts would give.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from patentpool.core.events import register_on
from patentpool.core.licensing import Counts, Program, ProgramId, counted_declarations
from patentpool.core.model import (
    Essentiality,
    MemberId,
    Patent,
    PatentKey,
    Register,
    Standard,
    StandardId,
    VersionId,
)
from patentpool.core.register import CountBy, CountRow, count_versions
from patentpool.core.terms import expiry_of, in_force
from patentpool.reports.charts import Chart, Series
from patentpool.reports.common import MemberName, member_names, name_in

#: The timeline stops once nothing is in force, or after this many points.
TIMELINE_POINTS = 30
#: How many years ahead the share outlook looks.
OUTLOOK_YEARS = 5


@dataclass(frozen=True, slots=True)
class VersionCounts:
    """Counts for one standard version: in total, by member (``group`` is the member id) and by
    issuing office (``group`` is ``US``, ``EP``, ``CN``...)."""

    standard: StandardId
    standard_name: str
    version: VersionId
    published: dt.date | None
    total: CountRow
    by_member: tuple[CountRow, ...]
    by_jurisdiction: tuple[CountRow, ...]


@dataclass(frozen=True, slots=True)
class AwaitingEvaluation:
    """A declaration nobody has evaluated yet."""

    patent: PatentKey
    owner: MemberId
    standard: StandardId
    version: VersionId
    section: str | None
    declared_on: dt.date | None


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    """A licensing programme and how many patents count in it (in force on the as-of date)."""

    id: ProgramId
    standard: StandardId
    versions: tuple[VersionId, ...]
    counts: Counts
    counted: int
    counted_in_force: int


@dataclass(frozen=True, slots=True)
class DoubleCounted:
    """A patent that counts in more than one programme: paid for twice (double dipping)."""

    patent: PatentKey
    owner: MemberId
    programs: tuple[ProgramId, ...]


@dataclass(frozen=True, slots=True)
class ExpiryPoint:
    """Patents in force on ``day`` (the as-of date, then 1 January of each later year).

    ``shares`` are the proportional shares these counts give: a member's count over the total.
    """

    day: dt.date
    total: int
    by_member: Mapping[MemberId, int]
    shares: Mapping[MemberId, Fraction]


@dataclass(frozen=True, slots=True)
class ShareShift:
    """A member's proportional share now and ``OUTLOOK_YEARS`` later, expiry alone considered."""

    member: MemberId
    now: Fraction
    later: Fraction
    later_day: dt.date

    @property
    def change(self) -> Fraction:
        return self.later - self.now


@dataclass(frozen=True, slots=True)
class PoolReport:
    """The pool report's context: every figure the report shows.

    ``timeline_basis`` says which declared patents the timeline counts: ``declared`` (all but
    those evaluated not essential) or ``essential`` (evaluated essential only); a patent counts
    once however many versions it is declared for.
    """

    alliance: str | None
    as_of: dt.date
    members: tuple[MemberName, ...]
    patents: int
    families: int
    declarations: int
    in_force: int
    versions: tuple[VersionCounts, ...]
    awaiting: tuple[AwaitingEvaluation, ...]
    programs: tuple[ProgramSummary, ...]
    double_counted: tuple[DoubleCounted, ...]
    timeline_basis: Counts
    timeline: tuple[ExpiryPoint, ...]
    share_shifts: tuple[ShareShift, ...]

    def name_of(self, member_id: MemberId) -> str:
        return name_in(self.members, member_id)


def version_counts(register: Register, as_of: dt.date) -> tuple[VersionCounts, ...]:
    declared = {(d.standard, d.version) for d in register.declarations}
    listed: list[tuple[Standard, VersionId]] = []
    for standard in sorted(register.standards, key=lambda s: s.id):
        known = [v.id for v in standard.versions]
        extra = sorted(v for s, v in declared if s == standard.id and v not in known)
        listed.extend((standard, version) for version in [*known, *extra])
    keys = [(standard.id, version) for standard, version in listed]
    counted = count_versions(register, keys, as_of, (CountBy.MEMBER, CountBy.JURISDICTION))
    by_member, by_office = counted[CountBy.MEMBER], counted[CountBy.JURISDICTION]
    out = []
    for (standard, version), key in zip(listed, keys, strict=True):
        members, total = by_member[key]
        info = standard.version(version)
        out.append(
            VersionCounts(
                standard=standard.id,
                standard_name=standard.name,
                version=version,
                published=info.published if info else None,
                total=total,
                by_member=tuple(members),
                by_jurisdiction=tuple(by_office[key][0]),
            )
        )
    return tuple(out)


def _awaiting(register: Register) -> tuple[AwaitingEvaluation, ...]:
    owners = {p.key: p.owner for p in register.patents}
    rows = [
        AwaitingEvaluation(
            d.patent, owners.get(d.patent, ""), d.standard, d.version, d.section, d.declared_on
        )
        for d in register.declarations
        if d.essentiality is Essentiality.DECLARED
    ]
    return tuple(sorted(rows, key=lambda r: (r.standard, r.version, r.patent)))


def _programs(
    register: Register, programs: Sequence[Program], as_of: dt.date
) -> tuple[tuple[ProgramSummary, ...], tuple[DoubleCounted, ...]]:
    index = register.patent_index()
    summaries = []
    counted_in: dict[PatentKey, list[ProgramId]] = {}
    for program in sorted(programs, key=lambda p: p.id):
        keys = sorted(counted_declarations(register, program))
        for key in keys:
            counted_in.setdefault(key, []).append(program.id)
        summaries.append(
            ProgramSummary(
                id=program.id,
                standard=program.standard,
                versions=program.versions,
                counts=program.counts,
                counted=len(keys),
                counted_in_force=sum(in_force(index[k], as_of) for k in keys),
            )
        )
    double = tuple(
        DoubleCounted(key, index[key].owner, tuple(ids))
        for key, ids in sorted(counted_in.items())
        if len(ids) > 1
    )
    return tuple(summaries), double


def _timeline(register: Register, as_of: dt.date, basis: Counts) -> tuple[ExpiryPoint, ...]:
    wanted = (
        {Essentiality.ESSENTIAL}
        if basis is Counts.ESSENTIAL
        else {Essentiality.ESSENTIAL, Essentiality.DECLARED}
    )

    def counted(on: dt.date) -> list[Patent]:  # as the register stood on the day
        then = register_on(register, on)
        keys = {d.patent for d in then.declarations if d.essentiality in wanted}
        return [p for p in then.patents if p.key in keys]

    patents = counted(as_of)
    members = sorted({m.id for m in register.members} | {p.owner for p in patents})
    last = max((expiry_of(p) for p in patents), default=as_of)
    days = [as_of] + [dt.date(y, 1, 1) for y in range(as_of.year + 1, last.year + 2)]
    points = []
    for day in days[:TIMELINE_POINTS]:
        if register.events and day != as_of:
            patents = counted(day)
            members = sorted(set(members) | {p.owner for p in patents})
        counts = dict.fromkeys(members, 0)
        for patent in patents:
            if in_force(patent, day):
                counts[patent.owner] += 1
        total = sum(counts.values())
        shares = {m: Fraction(n, total) for m, n in counts.items()} if total else {}
        points.append(ExpiryPoint(day, total, counts, shares))
        if total == 0:
            break
    return tuple(points)


def _shifts(timeline: tuple[ExpiryPoint, ...]) -> tuple[ShareShift, ...]:
    if len(timeline) < 2 or not timeline[0].total:
        return ()
    now = timeline[0]
    later = timeline[min(OUTLOOK_YEARS, len(timeline) - 1)]
    return tuple(
        ShareShift(m, now.shares[m], later.shares.get(m, Fraction(0)), later.day)
        for m in sorted(now.shares)
        if now.shares[m] or later.shares.get(m)
    )


def pool_context(
    register: Register,
    programs: Sequence[Program],
    as_of: dt.date,
    *,
    timeline_basis: Counts = Counts.DECLARED,
) -> PoolReport:
    """The pool report of ``register`` on ``as_of`` (as it stood that day; the expiry
    timeline as it stood on each of its days), with the programmes known so far."""
    timeline = _timeline(register, as_of, timeline_basis)
    register = register_on(register, as_of)
    summaries, double = _programs(register, programs, as_of)
    return PoolReport(
        alliance=register.alliance.name if register.alliance else None,
        as_of=as_of,
        members=member_names(register),
        patents=len(register.patents),
        families=len({p.family_key for p in register.patents}),
        declarations=len(register.declarations),
        in_force=sum(in_force(p, as_of) for p in register.patents),
        versions=version_counts(register, as_of),
        awaiting=_awaiting(register),
        programs=summaries,
        double_counted=double,
        timeline_basis=timeline_basis,
        timeline=timeline,
        share_shifts=_shifts(timeline),
    )


def pool_charts(report: PoolReport) -> dict[str, Chart]:
    """The expiry timeline as small multiples: one panel per member, on a shared scale, so
    that every member can be read however many there are (an empty panel: none in force)."""
    points = report.timeline
    x = tuple(str(p.day.year) for p in points)
    series = tuple(
        Series(report.name_of(m.id), tuple(float(p.by_member.get(m.id, 0)) for p in points))
        for m in report.members
    )
    return {
        "expiry": Chart(
            "panels",
            "Patents in force per year, per member",
            x,
            series,
            y_label="patents in force",
            whole=True,
        )
    }
