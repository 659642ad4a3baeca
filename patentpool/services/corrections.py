"""Corrected sales reports: what a correction changed, and what it superseded.

A sales report imported again with other figures is a correction: a new revision of the
report, the earlier ones kept (their lines, checksum, when, from which file, by whom). The
distribution runs record the report revisions they were computed from; a run that used a
revision no longer current is *superseded by a correction*, until a later run of the same
programme and period is made from the current revisions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, insert, literal, select
from sqlalchemy.orm import Session, aliased

from patentpool.core.periods import Period
from patentpool.core.royalties import summarize_royalties
from patentpool.gcpause import collector_paused
from patentpool.services.royalties import ProgramContext, program_context
from patentpool.storage import licensing_repo
from patentpool.storage.models import (
    DistributionRunReportRow,
    DistributionRunRow,
    SalesReportRow,
)

ReportKey = tuple[str, str, Period]  # (programme, licensee, period)


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """A report's current revision: its lines and units, and the royalty its licensee owes
    for the period (priced by :func:`patentpool.services.royalties.royalties`)."""

    revision: int
    lines: int
    units: int
    due: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Correction:
    program: str
    licensee: str
    period: Period
    before: ReportFigures
    after: ReportFigures

    def text(self) -> str:
        b, a = self.before, self.after
        return (
            f"correction of {self.program} {self.licensee} {self.period} "
            f"(revision {b.revision} -> {a.revision}): lines {b.lines:,} -> {a.lines:,}, "
            f"units {b.units:,} -> {a.units:,}, royalty due {b.due:f} -> {a.due:f} {a.currency}"
        )


def figures(session: Session, keys: Iterable[ReportKey]) -> dict[ReportKey, ReportFigures]:
    """The current revision of each report of ``keys`` that exists, with its licensee's royalty
    due for the period: what :func:`patentpool.services.royalties.royalties` gives, priced by
    the core from the lines of the reports' licensee groups only."""
    wanted = set(keys)
    if not wanted:
        return {}
    rows = session.execute(
        select(
            SalesReportRow.program_id,
            SalesReportRow.licensee_id,
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.lines,
            SalesReportRow.units,
        ).where(
            SalesReportRow.program_id.in_(sorted({k[0] for k in wanted})),
            SalesReportRow.current.is_(True),
        )
    ).all()
    found = {
        (program, licensee, Period.parse(period)): (revision, int(lines), int(units or 0))
        for program, licensee, period, revision, lines, units in rows
        if (program, licensee, Period.parse(period)) in wanted
    }
    out: dict[ReportKey, ReportFigures] = {}
    contexts: dict[str, ProgramContext] = {}
    for program, period in sorted({(k[0], k[2]) for k in found}):
        if program not in contexts:
            contexts[program] = program_context(session, program)
        ctx = contexts[program]
        # a licensee's due depends on its group's lines alone (tiers and caps count a group):
        # only the groups of the corrected reports are priced
        groups = {ctx.licensees[k[1]].group_key for k in found if k[::2] == (program, period)}
        members = sorted(lid for lid, lic in ctx.licensees.items() if lic.group_key in groups)
        sales = licensing_repo.load_sales_rows(session, program, period.year_to_date(), members)
        with collector_paused():
            result = summarize_royalties(
                ctx.program, ctx.register, ctx.licensees.values(), sales, period
            )
        due = {item.licensee: item.due for item in result.licensees}
        for key, (revision, lines, units) in found.items():
            if (key[0], key[2]) == (program, period):
                zero = Decimal(0).quantize(result.total_due)
                out[key] = ReportFigures(
                    revision, lines, units, due.get(key[1], zero), result.currency
                )
    return out


def corrections(
    before: Mapping[ReportKey, ReportFigures], after: Mapping[ReportKey, ReportFigures]
) -> list[Correction]:
    """The reports of ``before`` that have a newer revision in ``after``, as corrections."""
    return [
        Correction(key[0], key[1], key[2], figures_before, after[key])
        for key, figures_before in sorted(before.items())
        if key in after and after[key].revision != figures_before.revision
    ]


def record_run_reports(
    session: Session, run_id: int, program_id: str, periods: Sequence[Period]
) -> None:
    """Record the current report revisions of ``periods`` as those run ``run_id`` used."""
    session.execute(
        insert(DistributionRunReportRow).from_select(
            ["run_id", "report_id"],
            select(literal(run_id), SalesReportRow.id).where(
                SalesReportRow.program_id == program_id,
                SalesReportRow.current.is_(True),
                SalesReportRow.period.in_([str(p) for p in periods]),
            ),
        )
    )


def superseded_runs(session: Session, program_id: str | None = None) -> dict[int, str]:
    """The runs superseded by a correction, by id: a run computed from a report revision that
    is no longer current, with no later run of its programme and period made from current
    revisions. Each with the corrections in words."""
    old, new = aliased(SalesReportRow), aliased(SalesReportRow)
    query = (
        select(
            DistributionRunReportRow.run_id,
            old.licensee_id,
            old.period,
            old.revision,
            new.revision,
            new.imported_at,
        )
        .join(old, old.id == DistributionRunReportRow.report_id)
        .join(
            new,
            and_(
                new.program_id == old.program_id,
                new.licensee_id == old.licensee_id,
                new.period == old.period,
                new.current.is_(True),
            ),
        )
        .where(old.current.is_(False))
        .order_by(DistributionRunReportRow.run_id, old.period, old.licensee_id)
    )
    if program_id is not None:
        query = query.where(old.program_id == program_id)
    stale: dict[int, list[str]] = defaultdict(list)
    for run_id, licensee, period, was, now, at in session.execute(query):
        stale[run_id].append(
            f"{licensee} {period} revision {now} of {at.date().isoformat()} replaced revision {was}"
        )
    if not stale:
        return {}
    runs = select(
        DistributionRunRow.id,
        DistributionRunRow.program_id,
        DistributionRunRow.period,
        DistributionRunRow.revision,
    )
    if program_id is not None:
        runs = runs.where(DistributionRunRow.program_id == program_id)
    by_period: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for run_id, program, period, revision in session.execute(runs):
        by_period[(program, period)].append((revision, run_id))
    out: dict[int, str] = {}
    for made in by_period.values():
        cleared = max((rev for rev, rid in made if rid not in stale), default=0)
        for revision, run_id in made:
            if run_id in stale and revision > cleared:
                out[run_id] = "superseded by a correction: " + "; ".join(stale[run_id])
    return out


def report_corrections(
    session: Session, program_id: str, licensee: str, periods: Sequence[Period]
) -> tuple[str, ...]:
    """Each corrected report of ``licensee`` among ``periods``: which revision replaced which,
    when, from which file."""
    rows = session.execute(
        select(
            SalesReportRow.period,
            SalesReportRow.revision,
            SalesReportRow.current,
            SalesReportRow.imported_at,
            SalesReportRow.source,
        )
        .where(
            SalesReportRow.program_id == program_id,
            SalesReportRow.licensee_id == licensee,
            SalesReportRow.period.in_([str(p) for p in periods]),
        )
        .order_by(SalesReportRow.period, SalesReportRow.revision)
    ).all()
    out = []
    for i, (period, revision, current, at, source) in enumerate(rows):
        if current and i and rows[i - 1].period == period:
            before = rows[i - 1]
            out.append(
                f"sales report of {period}: revision {revision} of {at.date().isoformat()} "
                f"({source}) replaced revision {before.revision} of "
                f"{before.imported_at.date().isoformat()}"
            )
    return tuple(out)


def describe_runs(session: Session, run_ids: Sequence[int]) -> str:
    """``1 (igrs-v1 2026Q1), 3 (igrs-v1 2026Q2)``: runs by id, programme and period."""
    rows = session.execute(
        select(DistributionRunRow.id, DistributionRunRow.program_id, DistributionRunRow.period)
        .where(DistributionRunRow.id.in_(list(run_ids)))
        .order_by(DistributionRunRow.id)
    )
    return ", ".join(f"{rid} ({program} {period})" for rid, program, period in rows)


@dataclass(frozen=True, slots=True)
class Revision:
    """One revision of a sales report: its figures, when, from which file, by whom."""

    program: str
    licensee: str
    period: str
    revision: int
    current: bool
    lines: int
    units: int
    checksum: str
    imported_at: str
    imported_by: str | None
    import_id: int | None
    source: str


def revisions(
    session: Session,
    program_id: str | None = None,
    licensee: str | None = None,
    period: Period | None = None,
) -> list[Revision]:
    """Every revision of the sales reports asked for, oldest first within a report."""
    query = select(SalesReportRow).order_by(
        SalesReportRow.program_id,
        SalesReportRow.period,
        SalesReportRow.licensee_id,
        SalesReportRow.revision,
    )
    if program_id is not None:
        query = query.where(SalesReportRow.program_id == program_id)
    if licensee is not None:
        query = query.where(SalesReportRow.licensee_id == licensee)
    if period is not None:
        query = query.where(SalesReportRow.period == str(period))
    return [_revision(r) for r in session.scalars(query)]


def _revision(r: SalesReportRow) -> Revision:
    return Revision(
        program=r.program_id,
        licensee=r.licensee_id,
        period=r.period,
        revision=r.revision,
        current=r.current,
        lines=int(r.lines),
        units=int(r.units or 0),
        checksum=r.checksum,
        imported_at=r.imported_at.isoformat(timespec="seconds"),
        imported_by=r.imported_by,
        import_id=r.import_id,
        source=r.source,
    )
