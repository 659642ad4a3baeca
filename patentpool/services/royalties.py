"""What licensees owe and what they paid, for a programme and a period."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from sqlalchemy.orm import Session

from patentpool.core.licensing import Licensee, Program, counted_by_key
from patentpool.core.model import Declaration, Patent, PatentKey, Register
from patentpool.core.money import quantum
from patentpool.core.periods import Period
from patentpool.core.royalties import RoyaltyResult, summarize_groups
from patentpool.errors import InvalidInput, NotFound
from patentpool.gcpause import collector_paused
from patentpool.services.licensing import load_programs
from patentpool.services.priced_apart import Priced, summarize_apart
from patentpool.storage import licensing_repo
from patentpool.storage.repository import load_register


@dataclass(frozen=True)
class ProgramContext:
    """Everything a royalty computation for one programme reads from the database."""

    register: Register
    program: Program
    spec: str
    licensees: dict[str, Licensee]

    @cached_property
    def counted(self) -> dict[PatentKey, tuple[Patent, list[Declaration]]]:
        """The patents that count in the programme, by key, with their counted declarations
        (:func:`counted_by_key`): worked out once for the pricing and the checksums of the
        quarter and of its distributions. Read only."""
        return counted_by_key(self.register, self.program)


def program_context(
    session: Session, program_id: str, register: Register | None = None
) -> ProgramContext:
    """The programme's context; ``register``: the register already read (by a process that
    keeps it, :mod:`patentpool.services.snapshots`), instead of reading it again."""
    programs = load_programs(session)
    if program_id not in programs:
        raise NotFound("programme", program_id)
    program, spec = programs[program_id]
    return ProgramContext(
        register if register is not None else load_register(session),
        program,
        spec,
        licensing_repo.load_licensees(session),
    )


def royalties(
    session: Session,
    program_id: str,
    period: Period,
    licensee: str | None = None,
    context: ProgramContext | None = None,
    detail: bool = True,
    processes: int = 1,
) -> RoyaltyResult:
    """Royalties due for ``period``; tiers and caps count the year's earlier quarters.

    ``detail=False`` leaves out the priced lines (the licensees' ``lines`` are empty) and
    keeps only what distributions need: every licensee's amounts, ``total_due`` and the
    royalties by country, all identical to those of the detailed result. Those of every
    licensee may then be priced in up to ``processes`` processes at once
    (:mod:`patentpool.services.priced_apart`), with the same result.
    """
    ctx = context or program_context(session, program_id)
    if licensee is not None and licensee not in ctx.licensees:
        raise NotFound("licensee", licensee)
    if licensee is None and not detail and processes > 1:
        priced = Priced(ctx.program, ctx.register, ctx.licensees, ctx.counted)
        apart = summarize_apart(session, priced, period, processes)
        if apart is not None:
            return apart
    quarters = period.year_to_date()
    # group by group: only the lines of the groups being read are held; closed at once, even
    # when the pricing stops early (the lines a thread reads ahead are dropped with it)
    groups = licensing_repo.iter_sales_groups(session, program_id, quarters, ctx.licensees)
    with collector_paused(), closing(groups):
        result = summarize_groups(
            ctx.program, ctx.register, ctx.licensees.values(), groups, period, lines=detail,
            counted=ctx.counted,
        )  # fmt: skip
    return result if licensee is None else of_licensee(result, licensee)


def of_licensee(result: RoyaltyResult, licensee: str) -> RoyaltyResult:
    """The quarter's royalties of one licensee, from those of every licensee."""
    picked = tuple(item for item in result.licensees if item.licensee == licensee)
    if not picked:
        raise InvalidInput(f"{licensee} reported no sales for {result.program} in {result.period}")
    return replace(result, licensees=picked, total_due=sum((i.due for i in picked), Decimal(0)))


@dataclass(frozen=True, slots=True)
class StatementRow:
    program: str
    period: Period
    currency: str
    due: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid


def statement(session: Session, licensee: str) -> list[StatementRow]:
    """Due, paid and outstanding per programme and period for one licensee."""
    licensees = licensing_repo.load_licensees(session)
    if licensee not in licensees:
        raise NotFound("licensee", licensee)
    rows = []
    programs = load_programs(session)
    payments = licensing_repo.load_payments(session, licensee=licensee)
    for program_id in sorted(programs):
        periods = sorted(
            set(licensing_repo.reported_periods(session, program_id, licensee))
            | {p.period for p in payments if p.program == program_id}
        )
        ctx = None
        for period in periods:
            ctx = ctx or program_context(session, program_id)
            result = royalties(session, program_id, period, context=ctx, detail=False)
            due = sum((i.due for i in result.licensees if i.licensee == licensee), Decimal(0))
            paid = sum(
                (p.amount for p in payments if p.program == program_id and p.period == period),
                Decimal(0),
            )
            q = quantum(ctx.program.currency)
            rows.append(
                StatementRow(
                    program_id, period, ctx.program.currency, due.quantize(q), paid.quantize(q)
                )
            )
    return rows
