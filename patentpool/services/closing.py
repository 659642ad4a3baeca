"""Closing a quarter: who has not reported, every report accepted, the quarter priced, the
invoices issued and the distribution run made (a draft), in one transaction.

What the close then renders (every invoice and every member statement) is gathered here as
plain values, for the CLI to write with a progress bar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program
from patentpool.core.model import Register
from patentpool.core.periods import Period
from patentpool.core.royalties import LicenseeRoyalty
from patentpool.core.runs import StoredRun
from patentpool.errors import PatentpoolError
from patentpool.services import corrections, invoicing, quarters
from patentpool.services import royalties as royalty_service
from patentpool.services import stored_runs as runs_service
from patentpool.services.distributions import Run, run_distribution
from patentpool.services.invoicing import Document
from patentpool.services.lifecycle import report_states


class CloseRefused(PatentpoolError):
    """The quarter cannot be closed yet: reports missing or not accepted."""


@dataclass(frozen=True, slots=True)
class Closed:
    """What a close did, and what it renders."""

    program: Program
    period: Period
    register: Register
    licensees: dict[str, Licensee]
    missing: tuple[str, ...]  # licensees who must report and have not (with --allow-missing)
    run: Run
    stored: StoredRun  # the run as member statements show it
    issued: tuple[Document, ...]  # the invoices issued by this close
    credit_notes: tuple[Document, ...]
    invoices: tuple[tuple[Document, LicenseeRoyalty], ...]  # every standing invoice, rendered
    corrections: dict[str, tuple[str, ...]]  # each licensee's corrected reports of the year

    @property
    def collected(self) -> Decimal:
        return Decimal(self.run.result["collected"])

    @property
    def fee(self) -> Decimal:
        return Decimal(self.run.result["admin_fee"])

    @property
    def distributable(self) -> Decimal:
        return Decimal(self.run.result["distributable"])


def must_report(licensees: dict[str, Licensee], period: Period) -> list[str]:
    """The licensees bound to report for ``period``: signed by its last day (or undated)."""
    return sorted(
        lic.id for lic in licensees.values() if lic.signed is None or lic.signed <= period.last_day
    )


def close_quarter(
    session: Session, program_id: str, period: Period, issued: dt.date, *, allow_missing: bool
) -> Closed:
    ctx = royalty_service.program_context(session, program_id)
    states = report_states(session, program_id, period)
    missing = tuple(lic for lic in must_report(ctx.licensees, period) if lic not in states)
    if missing and not allow_missing:
        raise CloseRefused(
            f"close: {len(missing)} licensee(s) have not reported for {program_id} {period}: "
            f"{', '.join(missing)} (import their reports, or close with --allow-missing)"
        )
    pending = sorted(lic for lic, (_, state) in states.items() if state != "accepted")
    if pending:
        raise CloseRefused(
            f"close: reports of {program_id} {period} not accepted: {', '.join(pending)} "
            f"(accept them with `patentpool reports accept --program {program_id} "
            f"--period {period}`)"
        )
    result = royalty_service.royalties(session, program_id, period, context=ctx)
    quarters.remember(session, ctx, period, result)
    done = invoicing.issue_invoices(session, program_id, period, issued)
    run = run_distribution(session, program_id, period)
    [stored] = runs_service.stored_runs(session, program_id, run.id, period=period)
    owed = {item.licensee: item for item in result.licensees}
    standing = invoicing.standing_invoices(session, program_id, period)
    return Closed(
        program=ctx.program,
        period=period,
        register=ctx.register,
        licensees=ctx.licensees,
        missing=missing,
        run=run,
        stored=stored,
        issued=done.invoices,
        credit_notes=done.credit_notes,
        invoices=tuple((Document.of(r), owed[r.licensee_id]) for r in standing),
        corrections={
            lic: corrections.report_corrections(session, program_id, lic, period.year_to_date())
            for lic in owed
        },
    )
