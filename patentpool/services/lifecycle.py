"""Reports that are submitted and accepted; runs that are drafted, approved and published.

A sales report revision is *submitted* when imported and *accepted* once staff accept it
(:func:`accept_reports`); a correction of an accepted report is a new revision that needs a
reason to be accepted. A distribution run is a *draft* when made, then *approved*
(:func:`approve_run`), then *published* (:func:`publish_run`). A published run is never
changed nor removed: a later published run of the same programme and period supersedes it,
with a reason shown on both. Both lifecycles are rows added beside the reports and runs,
which themselves never change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.periods import Period
from patentpool.errors import InvalidInput, NotFound, PatentpoolError
from patentpool.storage.models import (
    DistributionRunRow,
    ProgramRow,
    ReportAcceptanceRow,
    RunStatusRow,
    SalesReportRow,
)

DRAFT, APPROVED, PUBLISHED = "draft", "approved", "published"


class LifecycleError(PatentpoolError):
    """A report or run is not in the state a step needs."""


class NotPublished(LifecycleError):
    """A members' statement asked for a run that is not published."""

    def __init__(self, run_id: int) -> None:
        super().__init__(
            f"--run: run {run_id} is not published; members' statements show published runs "
            f"only (`patentpool runs publish {run_id}`)"
        )
        self.run_id = run_id


@dataclass(frozen=True, slots=True)
class Accepted:
    licensee: str
    period: Period
    revision: int
    reason: str | None  # given for a correction of an accepted report


@dataclass(frozen=True, slots=True)
class RunState:
    """Where a run is in its life, and what it supersedes or is superseded by."""

    status: str
    supersedes: int | None = None
    superseded_by: int | None = None
    reason: str | None = None  # why it superseded, or was superseded

    def text(self) -> str:
        if self.superseded_by is not None:
            return f"{self.status}, superseded by run {self.superseded_by}: {self.reason}"
        if self.supersedes is not None:
            return f"{self.status}, supersedes run {self.supersedes}: {self.reason}"
        return self.status


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _program(session: Session, program_id: str) -> None:
    if session.get(ProgramRow, program_id) is None:
        raise NotFound("programme", program_id)


def accept_reports(
    session: Session,
    program_id: str,
    period: Period,
    licensee: str | None,
    reason: str | None,
    by: str | None,
) -> list[Accepted]:
    """Accept the current revision of each submitted report of the period (of ``licensee``).

    A revision replacing an accepted one is a correction: without ``reason`` nothing is
    accepted and the error names every such report.
    """
    _program(session, program_id)
    query = select(SalesReportRow).where(
        SalesReportRow.program_id == program_id, SalesReportRow.period == str(period)
    )
    if licensee is not None:
        query = query.where(SalesReportRow.licensee_id == licensee)
    rows = list(
        session.scalars(query.order_by(SalesReportRow.licensee_id, SalesReportRow.revision))
    )
    if not rows:
        who = f" of {licensee}" if licensee is not None else ""
        raise NotFound("sales report", f"{program_id} {period}{who}", "none was imported")
    accepted = set(
        session.scalars(
            select(ReportAcceptanceRow.report_id).where(
                ReportAcceptanceRow.report_id.in_([r.id for r in rows])
            )
        )
    )
    pending = [r for r in rows if r.current and r.id not in accepted]
    earlier = {(r.licensee_id, r.revision) for r in rows if r.id in accepted}
    corrections = [
        r for r in pending if any((r.licensee_id, n) in earlier for n in range(1, r.revision))
    ]
    if corrections and not (reason and reason.strip()):
        named = ", ".join(f"{r.licensee_id} (revision {r.revision})" for r in corrections)
        raise InvalidInput(
            f"--reason: {named} of {program_id} {period} corrects an accepted report; "
            "say why with --reason"
        )
    at = _now()
    out: list[Accepted] = []
    for row in pending:
        why = reason.strip() if row in corrections and reason else None
        session.add(
            ReportAcceptanceRow(report_id=row.id, accepted_at=at, accepted_by=by, reason=why)
        )
        out.append(Accepted(row.licensee_id, period, row.revision, why))
    session.flush()
    return out


def report_states(session: Session, program_id: str, period: Period) -> dict[str, tuple[int, str]]:
    """Each licensee's current report of the period: (revision, "submitted" or "accepted")."""
    rows = session.execute(
        select(SalesReportRow.licensee_id, SalesReportRow.revision, ReportAcceptanceRow.report_id)
        .outerjoin(ReportAcceptanceRow, ReportAcceptanceRow.report_id == SalesReportRow.id)
        .where(
            SalesReportRow.program_id == program_id,
            SalesReportRow.period == str(period),
            SalesReportRow.current.is_(True),
        )
    )
    return {
        licensee: (revision, "submitted" if accepted is None else "accepted")
        for licensee, revision, accepted in rows
    }


def run_states(session: Session, run_ids: Iterable[int] | None = None) -> dict[int, RunState]:
    """The state of each run (every run when ``run_ids`` is None); a run with no step is a
    draft."""
    query = select(DistributionRunRow.id)
    if run_ids is not None:
        query = query.where(DistributionRunRow.id.in_(list(run_ids)))
    wanted = set(session.scalars(query))
    steps = session.execute(
        select(
            RunStatusRow.run_id, RunStatusRow.status, RunStatusRow.supersedes, RunStatusRow.reason
        )
    ).all()
    status = dict.fromkeys(wanted, DRAFT)
    supersedes: dict[int, tuple[int, str | None]] = {}
    for run_id, step, older, reason in steps:
        if run_id in status and (step == PUBLISHED or status[run_id] == DRAFT):
            status[run_id] = step
        if older is not None:
            supersedes[run_id] = (older, reason)
    by_older = {older: (newer, reason) for newer, (older, reason) in supersedes.items()}
    out: dict[int, RunState] = {}
    for rid in wanted:
        older, why = supersedes.get(rid, (None, None))
        newer, why_newer = by_older.get(rid, (None, None))
        out[rid] = RunState(status[rid], older, newer, why_newer if newer is not None else why)
    return out


def _run_row(session: Session, run_id: int) -> DistributionRunRow:
    row = session.get(DistributionRunRow, run_id)
    if row is None:
        raise NotFound("distribution run", str(run_id))
    return row


def approve_run(session: Session, run_id: int, by: str | None) -> RunState:
    """Approve a draft run."""
    _run_row(session, run_id)
    state = run_states(session, [run_id])[run_id]
    if state.status != DRAFT:
        raise LifecycleError(f"run {run_id} is already {state.status}")
    session.add(RunStatusRow(run_id=run_id, status=APPROVED, at=_now(), by=by))
    session.flush()
    return run_states(session, [run_id])[run_id]


def publish_run(session: Session, run_id: int, reason: str | None, by: str | None) -> RunState:
    """Publish an approved run; one that follows a published run of its period needs a reason
    and supersedes it."""
    row = _run_row(session, run_id)
    state = run_states(session, [run_id])[run_id]
    if state.status == DRAFT:
        raise LifecycleError(
            f"run {run_id} is a draft: approve it first with `patentpool runs approve {run_id}`"
        )
    if state.status == PUBLISHED:
        raise LifecycleError(f"run {run_id} is already published")
    current = published_run(session, row.program_id, Period.parse(row.period))
    why = reason.strip() if reason else None
    if current is not None and not why:
        raise InvalidInput(
            f"--reason: run {current} is the published run of {row.program_id} {row.period}; "
            f"say why run {run_id} supersedes it with --reason"
        )
    session.add(
        RunStatusRow(
            run_id=run_id,
            status=PUBLISHED,
            at=_now(),
            by=by,
            supersedes=current,
            reason=why if current is not None else None,
        )
    )
    session.flush()
    return run_states(session, [run_id])[run_id]


def published_run(session: Session, program_id: str, period: Period) -> int | None:
    """The run members see for the period: the last one published, or None."""
    found = session.execute(
        select(RunStatusRow.run_id)
        .join(DistributionRunRow, DistributionRunRow.id == RunStatusRow.run_id)
        .where(
            DistributionRunRow.program_id == program_id,
            DistributionRunRow.period == str(period),
            RunStatusRow.status == PUBLISHED,
        )
        .order_by(RunStatusRow.at.desc(), RunStatusRow.id.desc())
    ).first()
    return None if found is None else int(found[0])


def published_runs(session: Session, program_id: str) -> set[int]:
    """The runs of ``program_id`` members see: the last published of each period."""
    rows = session.execute(
        select(DistributionRunRow.period, RunStatusRow.run_id)
        .join(RunStatusRow, RunStatusRow.run_id == DistributionRunRow.id)
        .where(DistributionRunRow.program_id == program_id, RunStatusRow.status == PUBLISHED)
        .order_by(RunStatusRow.at, RunStatusRow.id)
    )
    latest: dict[str, int] = {}
    for period, run_id in rows:
        latest[period] = run_id
    return set(latest.values())


def published_everywhere(session: Session) -> frozenset[int]:
    """Every run ever published, of every programme (superseded ones included: a member may
    still look at one by its number)."""
    return frozenset(
        session.scalars(select(RunStatusRow.run_id).where(RunStatusRow.status == PUBLISHED))
    )
