"""The member statement: what one member holds, counts and earns, fit to forward.

It names no other member and shows no licensee's own figures: other members appear only inside
totals (all members' counts, the whole distributable sum of a run).

"What changed since the last run" covers the time from the run before the last one (its period
end) to the as-of date. It compares the register now with the register as it stood then
(``previous_register``) when given; otherwise it reads the register's own dates (declarations
made or evaluated after that day). Expiry is always read from the dates: a patent in force on
that day and no longer on the as-of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from patentpool.core.allocation import Distribution
from patentpool.core.events import recorded_late, transfers
from patentpool.core.model import (
    Declaration,
    Essentiality,
    MemberId,
    Register,
    StandardId,
    VersionId,
)
from patentpool.core.periods import Period
from patentpool.core.register import CountBy, CountRow, count_declarations
from patentpool.core.runs import RunStamp, StoredRun, shown
from patentpool.core.terms import in_force
from patentpool.gcpause import collector_paused
from patentpool.reports import formatting
from patentpool.reports.charts import Chart, Series
from patentpool.reports.common import (
    MemberName,
    PatentRow,
    patent_row,
    require_member,
)
from patentpool.reports.member_holdings import Shared as Shared
from patentpool.reports.member_holdings import holdings as _holdings
from patentpool.reports.member_holdings import memo as _memo
from patentpool.reports.member_holdings import register_on_day, version_counts
from patentpool.reports.member_holdings import shared_statements as shared_statements


@dataclass(frozen=True, slots=True)
class DeclarationRow:
    standard: StandardId
    version: VersionId
    section: str | None
    essentiality: Essentiality
    evaluator: str | None
    evaluated_on: dt.date | None
    declared_on: dt.date | None


@dataclass(frozen=True, slots=True)
class MemberPatent:
    """One of the member's patents and every declaration of it."""

    patent: PatentRow
    declarations: tuple[DeclarationRow, ...]


@dataclass(frozen=True, slots=True)
class MemberCounts:
    """The member's counts for one standard version, against the totals of all members."""

    standard: StandardId
    version: VersionId
    member: CountRow
    total: CountRow

    @property
    def share(self) -> Fraction | None:
        """The member's share of the patents evaluated essential and in force."""
        if not self.total.essential_in_force:
            return None
        return Fraction(self.member.essential_in_force, self.total.essential_in_force)


@dataclass(frozen=True, slots=True)
class PeriodAmount:
    """The member's part of one distribution run; the run's sums are totals of all members.

    ``run``: the stored run (None: a distribution that was not stored); ``degenerate``: why the
    run's shares are degenerate, naming no other member (None: they are not).
    """

    program: str
    period: Period
    currency: str
    policy: str
    basis: str
    share: Fraction
    amount: Decimal
    collected: Decimal
    admin_fee: Decimal
    distributable: Decimal
    run: RunStamp | None = None
    degenerate: str | None = None
    superseded: str | None = None  # "superseded by a correction: ..." when it is


@dataclass(frozen=True, slots=True)
class YearToDate:
    program: str
    year: int
    currency: str
    periods: tuple[Period, ...]
    amount: Decimal  # the member's
    distributable: Decimal  # all members'


@dataclass(frozen=True, slots=True)
class ShareChange:
    """The member's share and amount in a programme's last two runs."""

    program: str
    currency: str
    before_period: Period
    before_share: Fraction
    before_amount: Decimal
    after_period: Period
    after_share: Fraction
    after_amount: Decimal

    @property
    def change(self) -> Fraction:
        return self.after_share - self.before_share


@dataclass(frozen=True, slots=True)
class PatentChange:
    """``change`` is ``added``, ``removed``, ``expired``, ``re-evaluated``, ``gained`` or
    ``lost`` (by a transfer, on its day) or ``recorded late`` (an event that held at the run
    before the last one but was recorded after it)."""

    patent: str
    change: str
    detail: str
    on: dt.date | None


@dataclass(frozen=True, slots=True)
class CountShift:
    """The member's essential patents in force at the last run and now, for one version."""

    standard: StandardId
    version: VersionId
    then: int
    then_total: int
    now: int
    now_total: int

    @property
    def share_then(self) -> Fraction | None:
        return Fraction(self.then, self.then_total) if self.then_total else None

    @property
    def share_now(self) -> Fraction | None:
        return Fraction(self.now, self.now_total) if self.now_total else None


@dataclass(frozen=True, slots=True)
class MemberReport:
    """The member statement's context.

    ``since`` is the period end of the run before the last one (None with fewer than two runs):
    ``changes`` and ``count_shifts`` cover ``since`` to ``as_of``, ``share_changes`` compare each
    programme's last two runs.
    """

    alliance: str | None
    as_of: dt.date
    member: MemberName
    joined: dt.date | None
    members_total: int
    patents: tuple[MemberPatent, ...]
    counts: tuple[MemberCounts, ...]
    periods: tuple[PeriodAmount, ...]
    year_to_date: tuple[YearToDate, ...]
    since: dt.date | None
    changes: tuple[PatentChange, ...]
    count_shifts: tuple[CountShift, ...]
    share_changes: tuple[ShareChange, ...]


def _declaration_row(d: Declaration) -> DeclarationRow:
    return DeclarationRow(
        d.standard,
        d.version,
        d.section,
        d.essentiality,
        d.evaluator,
        d.evaluated_on,
        d.declared_on,
    )


def _by_version(d: Declaration) -> tuple[StandardId, VersionId]:
    return (d.standard, d.version)


def _patents(register: Register, member_id: MemberId, as_of: dt.date) -> tuple[MemberPatent, ...]:
    holdings = _holdings(register)
    return tuple(
        MemberPatent(
            patent_row(p, as_of),
            tuple(_declaration_row(d) for d in sorted(holdings.declared(p.key), key=_by_version)),
        )
        for p in holdings.owned(member_id)
    )


def _counts(register: Register, member_id: MemberId, as_of: dt.date) -> tuple[MemberCounts, ...]:
    out = []
    for version in version_counts(register, as_of):
        own = next(r for r in version.by_member if r.group == member_id)
        out.append(MemberCounts(version.standard, version.version, own, version.total))
    return tuple(out)


def _periods(
    distributions: Sequence[StoredRun | Distribution], member: MemberName
) -> tuple[PeriodAmount, ...]:
    member_id = member.id
    out = []
    for item in distributions:
        run, stored, found = shown(item)
        own = next((m for m in run.members if m.member == member_id), None)
        out.append(
            PeriodAmount(
                program=run.program,
                period=run.period,
                currency=run.currency,
                policy=run.policy,
                basis=own.basis if own else "no share in this run",
                share=own.share if own else Fraction(0),
                amount=own.amount if own else run.distributable * 0,
                collected=run.collected,
                admin_fee=run.admin_fee,
                distributable=run.distributable,
                run=stored.stamp if stored else None,
                degenerate=(
                    found.sentence_for(member_id, lambda _: member.name) if found else None
                ),
                superseded=stored.superseded if stored else None,
            )
        )
    return tuple(sorted(out, key=lambda p: (p.program, p.period)))


def _year_to_date(periods: tuple[PeriodAmount, ...]) -> tuple[YearToDate, ...]:
    out = []
    for program in sorted({p.program for p in periods}):
        runs = [p for p in periods if p.program == program]
        year = runs[-1].period.year
        this_year = [p for p in runs if p.period.year == year]
        out.append(
            YearToDate(
                program=program,
                year=year,
                currency=this_year[-1].currency,
                periods=tuple(p.period for p in this_year),
                amount=sum((p.amount for p in this_year), Decimal(0)),
                distributable=sum((p.distributable for p in this_year), Decimal(0)),
            )
        )
    return tuple(out)


def _share_changes(periods: tuple[PeriodAmount, ...]) -> tuple[ShareChange, ...]:
    out = []
    for program in sorted({p.program for p in periods}):
        runs = [p for p in periods if p.program == program]
        if len(runs) >= 2:
            before, after = runs[-2], runs[-1]
            out.append(
                ShareChange(
                    program,
                    after.currency,
                    before.period,
                    before.share,
                    before.amount,
                    after.period,
                    after.share,
                    after.amount,
                )
            )
    return tuple(out)


def _changes(
    register: Register,
    previous: Register | None,
    member_id: MemberId,
    since: dt.date,
    as_of: dt.date,
) -> tuple[PatentChange, ...]:
    holdings = _holdings(register)
    patents = {p.key: p for p in holdings.owned(member_id)}
    now = {d.key: d for key in patents for d in holdings.declared(key)}
    out: list[PatentChange] = []
    if previous is not None:
        held_before = _holdings(previous)
        old_patents = {p.key: p for p in held_before.owned(member_id)}
        before = {d.key: d for key in old_patents for d in held_before.declared(key)}
        for key in sorted(now.keys() - before.keys()):
            out.append(
                PatentChange(
                    key[0], "added", f"declared for {key[1]} {key[2]}", now[key].declared_on
                )
            )
        for key in sorted(before.keys() - now.keys()):
            out.append(
                PatentChange(key[0], "removed", f"no longer declared for {key[1]} {key[2]}", None)
            )
        for key in sorted(now.keys() & before.keys()):
            if now[key].essentiality is not before[key].essentiality:
                out.append(_reevaluated(now[key], before[key].essentiality))
    else:
        for key, d in sorted(now.items()):
            if d.declared_on is not None and d.declared_on > since:
                out.append(
                    PatentChange(key[0], "added", f"declared for {key[1]} {key[2]}", d.declared_on)
                )
            if d.evaluated_on is not None and d.evaluated_on > since:
                out.append(_reevaluated(d, None))
    earlier = {p.key: p for p in _holdings(previous or register).owned(member_id)}
    for number, patent in sorted(patents.items()):
        old = earlier.get(number, patent)
        if in_force(old, since) and not in_force(patent, as_of):
            out.append(PatentChange(number, "expired", "no longer in force", None))
    return tuple(sorted(out, key=lambda c: (c.patent, c.change)))


def _made(periods: Sequence[PeriodAmount], period: Period) -> dt.date | None:
    """The day the stored run shown for ``period`` was made (None: not a stored run)."""
    stamps = [p.run for p in periods if p.period == period and p.run is not None]
    return max(dt.date.fromisoformat(s.created_at[:10]) for s in stamps) if stamps else None


def _dated(
    raw: Register,
    member_id: MemberId,
    last: tuple[dt.date, dt.date | None],
    as_of: dt.date,
    changes: tuple[PatentChange, ...],
) -> tuple[PatentChange, ...]:
    """``changes`` with the member's transfers from ``since`` to ``as_of`` (a transferred
    patent is gained or lost on its day, not added or removed) and the events of its patents
    that held on ``since`` but were recorded after the day its run was made; ``last``: the
    period end of the run before the last one, and the day that run was made."""
    since, made = last
    if not raw.events:
        return changes
    moved = [t for t in transfers(raw, since, as_of) if member_id in (t.before, t.after)]
    keys = {t.patent for t in moved}
    out = [c for c in changes if not (c.change in ("added", "removed") and c.patent in keys)]
    for t in moved:
        if t.after == member_id:
            out.append(PatentChange(t.patent, "gained", f"from {t.before}", t.on))
        else:
            to = t.after or "a company outside the pool"
            out.append(PatentChange(t.patent, "lost", f"to {to}", t.on))
    then, now = register_on_day(raw, since), register_on_day(raw, as_of)
    owners = {p.key: p.owner for p in (*then.patents, *now.patents)}
    for e in recorded_late(raw, since, made) if made is not None else ():
        if owners.get(e.patent) == member_id:
            recorded = e.recorded.isoformat() if e.recorded else ""
            detail = f"{e.what()} from {e.date.isoformat()}, recorded {recorded}"
            out.append(PatentChange(e.patent, "recorded late", detail, e.date))
    return tuple(sorted(out, key=lambda c: (c.patent, c.change)))


def _reevaluated(d: Declaration, before: Essentiality | None) -> PatentChange:
    was = f"{before.value} → " if before is not None else ""
    return PatentChange(
        d.patent,
        "re-evaluated",
        f"{d.standard} {d.version}: {was}{d.essentiality.value}",
        d.evaluated_on,
    )


def _count_shifts(
    register: Register,
    previous: Register | None,
    member_id: MemberId,
    since: dt.date,
    as_of: dt.date,
) -> tuple[CountShift, ...]:
    earlier = previous or register
    out = []
    for counts in _counts(register, member_id, as_of):
        then, then_total = _memo(
            earlier,
            ("declarations", counts.standard, counts.version, since),
            lambda c=counts: count_declarations(  # type: ignore[misc]
                earlier, c.standard, c.version, since, CountBy.MEMBER
            ),
        )
        own = next((r for r in then if r.group == member_id), None)
        out.append(
            CountShift(
                counts.standard,
                counts.version,
                own.essential_in_force if own else 0,
                then_total.essential_in_force,
                counts.member.essential_in_force,
                counts.total.essential_in_force,
            )
        )
    return tuple(out)


def member_context(
    register: Register,
    member_id: MemberId,
    distributions: Sequence[StoredRun | Distribution],
    previous_register: Register | None,
    as_of: dt.date,
) -> MemberReport:
    """The statement of ``member_id`` on ``as_of``; ``distributions`` are the runs to show
    (any programmes, one per period each; stored runs say which run they are and what
    correction superseded them, if one did), ``previous_register`` the register as it stood
    at the run before the last one (None: read the register's own dates)."""
    require_member(register, member_id)
    with shared_statements(), collector_paused():
        raw, register = register, register_on_day(register, as_of)
        member = register.member_index()[member_id]
        periods = _periods(distributions, MemberName(member.id, member.name))
        runs = sorted({p.period for p in periods})
        since_day = runs[-2].last_day if len(runs) >= 2 else None
        if since_day is not None and raw.events:  # the register as it stood at that run
            previous_register = register_on_day(previous_register or raw, since_day)
        return MemberReport(
            alliance=register.alliance.name if register.alliance else None,
            as_of=as_of,
            member=MemberName(member.id, member.name),
            joined=member.joined,
            members_total=len(register.members),
            patents=_patents(register, member_id, as_of),
            counts=_counts(register, member_id, as_of),
            periods=periods,
            year_to_date=_year_to_date(periods),
            since=since_day,
            changes=(
                _dated(
                    raw,
                    member_id,
                    (since_day, _made(periods, runs[-2])),
                    as_of,
                    _changes(register, previous_register, member_id, since_day, as_of),
                )
                if since_day is not None
                else ()
            ),
            count_shifts=(
                _count_shifts(register, previous_register, member_id, since_day, as_of)
                if since_day is not None
                else ()
            ),
            share_changes=_share_changes(periods),
        )


def member_charts(report: MemberReport) -> dict[str, Chart]:
    """Per run, the member's amount beside what all the other members received together (its
    share written on its bar); as money when every run is in one currency."""
    if not report.periods:
        return {}
    x = tuple(f"{p.program} {p.period}" for p in report.periods)
    currencies = {p.currency for p in report.periods}
    own = Series(
        report.member.name,
        tuple(float(p.amount) for p in report.periods),
        tuple(formatting.percent(p.share) for p in report.periods),
    )
    others = Series(
        "all other members", tuple(float(p.distributable - p.amount) for p in report.periods)
    )
    return {
        "shares": Chart(
            "bar",
            f"Amount of {report.member.name} per run, beside the other members'",
            x,
            (own, others),
            y_label="amount" if len(currencies) > 1 else "",
            money=currencies.pop() if len(currencies) == 1 else "",
            one_drawing=True,
        )
    }
