"""``patentpool import``: read every file, check everything, then write all or nothing.

The files are read through :mod:`patentpool.io.import_files` (plain values and problems),
checked against the register with the core's rules, and written through storage in the
caller's transaction; on any problem nothing is written.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from patentpool.core.licensing_records import LicensingState, LicensingUpdate, ReportRecord
from patentpool.core.model import Register
from patentpool.gcpause import collector_paused
from patentpool.io.dialects import TextOptions, reading
from patentpool.io.import_files import Batch, collect_files, read_batch
from patentpool.io.licensing_import import LicensingChanges, check_licensing
from patentpool.io.problems import ImportFailed, Problem, Source
from patentpool.io.register_import import RegisterChanges, check_register
from patentpool.io.sales_stream import ReportKey, count_lines
from patentpool.services import corrections, sales_lines
from patentpool.services.licensing import licensing_state
from patentpool.storage import engine, events_repo, fx_repo, licensing_repo, repository
from patentpool.storage.models import ImportRow

__all__ = ["ImportFailed", "ImportSummary", "import_files", "import_paths"]


@dataclass
class ImportSummary:
    files: list[str]
    changes: Counter[tuple[str, str]] = field(default_factory=Counter)
    import_id: int | None = None
    notes: list[str] = field(default_factory=list)  # said after the counts

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def lines(self) -> list[str]:
        if not self.changes:
            return [
                f"{len(self.files)} file(s) read; "
                "the register already held all of it: nothing changed",
                *self.notes,
            ]
        out = [f"{len(self.files)} file(s) imported:"]
        for (entity, action), n in sorted(self.changes.items()):
            out.append(f"  {entity + 's':<15} {action:<8} {n:>7,}")
        out.extend(self.notes)
        return out


#: Opens a progress report of ``total`` items and yields the callback that advances it.
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


def import_paths(
    session: Session,
    paths: Sequence[str | Path],
    progress: ProgressFactory | None = None,
    *,
    rename_alliance: bool = False,
    by: str | None = None,
) -> ImportSummary:
    """Import files and folders in the session's transaction; raise ImportFailed on any problem.

    The caller commits; on ImportFailed nothing has been written. ``progress``, when given,
    is told of the sales lines (each twice: checked, then written).
    ``rename_alliance`` lets an alliance file give the register another alliance id (refused
    otherwise: a register belongs to one alliance). ``by``: who imports (the sales reports
    record it; the OS user when not given).
    """
    # the collector is paused for the whole import: its files' records, the register's
    # values and the rows written are hundreds of thousands of objects that hold no cycles,
    # and all of them are freed (by reference counting) when it ends; paused only around its
    # steps, the collector would walk the survivors of each step after it, again and again
    with collector_paused(), ExitStack() as stack:
        references: dict[Path, str] = {}
        files, problems = collect_files(paths, references)
        batch, read_problems = read_batch(files, references)
        problems.extend(read_problems)
        advance = None
        if progress is not None and batch.licensing.sales_files:
            total = 2 * sum(
                f.rows if f.sheet is not None else count_lines(f.path)
                for f in batch.licensing.sales_files
            )
            advance = stack.enter_context(progress("sales lines", total))
        return _import_batch(session, files, batch, problems, rename_alliance, advance, by)


def _check_licensing(
    session: Session,
    standards: Register,
    batch: Batch,
    problems: list[Problem],
    advance: Callable[[int], None] | None,
) -> tuple[LicensingChanges, sales_lines.SalesPass, frozenset[ReportKey]]:
    """The licensing files checked against the stored licensing (the sales files read once,
    their checked blocks kept in the database's stage); the reports stored before."""
    stage = sales_lines.line_stage(session) if batch.licensing.sales_files else None
    state = _with_rates(licensing_state(session), batch, session)
    licensing, lic_problems = check_licensing(standards, state, batch.licensing, stage, advance)
    problems.extend(lic_problems)
    return licensing, sales_lines.SalesPass(stage, advance), frozenset(state.reports)


def _import_batch(
    session: Session,
    files: list[Path],
    batch: Batch,
    problems: list[Problem],
    rename_alliance: bool = False,
    advance: Callable[[int], None] | None = None,
    by: str | None = None,
) -> ImportSummary:
    if batch.register.is_empty():  # licensing files only: the standards are all they need
        existing = Register(standards=repository.load_standards(session))
        changes = RegisterChanges()
    else:
        existing = repository.load_register(session)
        changes, check_problems = check_register(existing, batch.register, rename_alliance)
        problems.extend(check_problems)
    licensing = sales = None
    reported: frozenset[ReportKey] = frozenset()
    if not batch.licensing.is_empty():
        standards = existing.standard_index()
        standards.update({s.id: s for s in changes.standards})
        licensing, sales, reported = _check_licensing(
            session, Register(standards=tuple(standards.values())), batch, problems, advance
        )
    if problems:
        raise ImportFailed(problems)
    summary = ImportSummary([str(f) for f in files], notes=list(batch.notes))
    log = changes.log + (licensing.log if licensing is not None else [])
    for entity, _key, action, detail, _source in log:
        summary.changes[(entity, action)] += 1
        if entity == "alliance" and action != "added":
            summary.notes.append(f"alliance {action}: {detail}")
    summary.notes.extend(changes.warnings)
    # a report imported before and again with other figures is a correction: its figures
    # before it (lines, units, royalty due) are read while the register still holds them
    corrected = sorted(k for k in (licensing.reports if licensing else ()) if k in reported)
    before = corrections.figures(session, corrected)
    superseded = set(corrections.superseded_runs(session)) if corrected else set()
    row = None
    if log:
        row = ImportRow(
            at=dt.datetime.now(dt.UTC),
            files="\n".join(summary.files),
            summary="; ".join(f"{e} {a}: {n}" for (e, a), n in sorted(summary.changes.items())),
        )
        session.add(row)
        session.flush()
        summary.import_id = row.id
    if changes.alliance is not None:
        repository.save_alliance(session, changes.alliance)
    repository.save_members(session, changes.members)
    repository.save_standards(session, changes.standards)
    # without patents to save, the ids of every patent are read only if declarations or
    # events need them (a sales report's upload needs neither)
    patent_ids = repository.save_patents(session, changes.patents) if changes.patents else None
    repository.save_declarations(session, changes.declarations, patent_ids)
    events_repo.save_events(session, changes.events, patent_ids, dt.datetime.now(dt.UTC).date())
    if licensing is not None and sales is not None:
        _save_licensing(session, licensing, sales, summary.import_id, by)
    if batch.rates:
        added, changed = fx_repo.save_rates(
            session, ((q.day, q.currency, q.rate, q.source) for q in batch.rates)
        )
        for action, n in (("added", added), ("changed", changed)):
            if n:
                summary.changes[("fx rate", action)] += n
    if corrected:
        session.flush()
        log = _corrections(session, summary, before, superseded, log)
    if row is not None:
        entries = [(e, k, a, d, str(s)) for e, k, a, d, s in log]
        repository.save_changes(session, row.id, entries)
    return summary


def _save_licensing(
    session: Session,
    changes: LicensingChanges,
    sales: sales_lines.SalesPass,
    import_id: int | None,
    by: str | None,
) -> None:
    """The licensing an import changes: licensees, programmes and report revisions, the
    changed reports' lines, then the payments."""
    update = LicensingUpdate(
        licensees=tuple(changes.licensees),
        programs=tuple(changes.programs),
        reports={
            key: ReportRecord(
                source=changes.references.get(report.file, report.file),
                checksum=report.digest(),
                lines=report.lines,
                units=report.units,
                fx=tuple(report.fx[code] for code in sorted(report.fx)),
            )
            for key, report in changes.reports.items()
        },
        payments=tuple(changes.payments),
    )
    report_ids = licensing_repo.save_licensing(session, update, import_id, by or _user())
    if report_ids:
        sales_lines.write_lines(session, changes, report_ids, sales)
    if sales.stage is not None:
        sales.stage.close()
    licensing_repo.save_payments(session, update.payments)


def _with_rates(state: LicensingState, batch: Batch, session: Session) -> LicensingState:
    """The state with the reference rates held and those of the batch (which win)."""
    from dataclasses import replace

    from patentpool.core.fx import RateTable

    held = fx_repo.load_rates(session)
    merged = {day: dict(quotes) for day, quotes in held.rates.items()}
    for q in batch.rates:
        merged.setdefault(q.day, {})[q.currency] = q.rate
    sources = sorted({held.source, *(q.source for q in batch.rates)} - {""})
    return replace(state, rates=RateTable(merged, ", ".join(sources)))


def _user() -> str | None:
    """Who runs the import: the OS user, when the system knows one."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment
        return None


def _corrections(
    session: Session,
    summary: ImportSummary,
    before: dict[ReportKey, corrections.ReportFigures],
    superseded: set[int],
    log: list[tuple[str, str, str, str, Source]],
) -> list[tuple[str, str, str, str, Source]]:
    """Say what each correction changed, and which distribution runs it superseded; the
    change log's entries of the corrections, with their figures before and after."""
    found = corrections.corrections(before, corrections.figures(session, before))
    summary.notes.extend(c.text() for c in found)
    newly = sorted(set(corrections.superseded_runs(session)) - superseded)
    if newly:
        summary.notes.append(
            "distribution runs made from the figures before, now superseded by a correction "
            f"until a new run of their period: {corrections.describe_runs(session, newly)}"
        )
    detail = {f"{c.program} {c.licensee} {c.period}": c.text() for c in found}
    return [
        (e, k, a, detail.get(k, d) if e == "sales report" else d, src) for e, k, a, d, src in log
    ]


def import_files(
    url: str,
    paths: Sequence[str | Path],
    progress: ProgressFactory | None = None,
    *,
    rename_alliance: bool = False,
    encoding: str = "utf-8",
    decimal_comma: bool = False,
) -> ImportSummary:
    """:func:`import_paths` into the database at ``url``, in one transaction of its own
    (imports run one at a time); committed when it succeeds. ``encoding`` and
    ``decimal_comma`` say how its CSV files are read (:mod:`patentpool.io.dialects`)."""
    with (
        reading(TextOptions(encoding, decimal_comma)),
        engine.session_for(url, lock="import") as session,
    ):
        return import_paths(session, paths, progress, rename_alliance=rename_alliance)
