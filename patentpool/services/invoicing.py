"""Invoices, credit notes, receivables and statements of account of a programme.

``issue_invoices`` gives each licensee owing money for a quarter one invoice, numbered without
gaps per programme and year of issue (:mod:`patentpool.core.invoice_numbers`), due after the
payment terms of the quarter's schedule. Issuing again issues nothing for a licensee whose
standing invoice has the amount still due; when a correction changed it, the standing invoice
is cancelled by a credit note and a new invoice is issued. Invoices are never changed.
Receivables and statements of account come from the core (:mod:`patentpool.core.receivables`,
:mod:`patentpool.core.account`) over what is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from patentpool.core.account import Statement, statement
from patentpool.core.interest import LateInterest, parse_late_interest
from patentpool.core.invoice_numbers import next_number, prefix_of
from patentpool.core.periods import Period
from patentpool.core.receivables import Invoice, Kind, Payment, Receivable, receivables
from patentpool.errors import NotFound
from patentpool.services import royalties as royalty_service
from patentpool.services.lifecycle import report_states
from patentpool.storage.models import InvoiceRow, PaymentRow, ProgramRow


@dataclass(frozen=True, slots=True)
class Document:
    """An invoice or credit note as stored."""

    program: str
    number: str
    kind: str
    credits: str | None
    licensee: str
    period: str
    issued: dt.date
    due: dt.date
    amount: Decimal
    currency: str
    late_interest: str

    @classmethod
    def of(cls, r: InvoiceRow) -> Document:
        return cls(
            r.program_id,
            r.number,
            r.kind,
            r.credits,
            r.licensee_id,
            r.period,
            r.issued,
            r.due,
            r.amount,
            r.currency,
            r.late_interest,
        )


@dataclass(frozen=True, slots=True)
class Issued:
    """What one ``invoices issue`` did: the documents it issued, and how many stood as they were."""

    program: str
    period: Period
    currency: str
    invoices: tuple[Document, ...]
    credit_notes: tuple[Document, ...]
    unchanged: int

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.invoices), Decimal(0))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _standing(session: Session, program_id: str, period: Period) -> dict[str, InvoiceRow]:
    """Each licensee's invoice of the period that no credit note cancels."""
    rows = list(
        session.scalars(
            select(InvoiceRow).where(
                InvoiceRow.program_id == program_id, InvoiceRow.period == str(period)
            )
        )
    )
    cancelled = {r.credits for r in rows if r.credits is not None}
    return {
        r.licensee_id: r for r in rows if r.kind == Kind.INVOICE.value and r.number not in cancelled
    }


def standing_invoices(session: Session, program_id: str, period: Period) -> list[InvoiceRow]:
    """The invoices of the period that stand (no credit note cancels them), by number."""
    found = _standing(session, program_id, period).values()
    return sorted(found, key=lambda r: (r.year, r.sequence))


def _sequences(session: Session, program_id: str, year: int) -> list[int]:
    return list(
        session.scalars(
            select(InvoiceRow.sequence).where(
                InvoiceRow.program_id == program_id, InvoiceRow.year == year
            )
        )
    )


def issue_invoices(session: Session, program_id: str, period: Period, issued: dt.date) -> Issued:
    """Issue the quarter's invoices (and credit notes for corrections) dated ``issued``.

    The caller holds the programme's invoicing lock, so numbers are taken one after another.
    """
    ctx = royalty_service.program_context(session, program_id)
    program = ctx.program
    result = royalty_service.royalties(session, program_id, period, context=ctx, detail=False)
    terms, rate = program.terms_for(period)
    states = report_states(session, program_id, period)
    prefix = prefix_of(program.standard)
    taken = _sequences(session, program_id, issued.year)
    standing = _standing(session, program_id, period)
    due_now = {item.licensee: item.due for item in result.licensees}
    new: list[InvoiceRow] = []
    credits: list[InvoiceRow] = []
    unchanged = 0

    def add(kind: Kind, licensee: str, amount: Decimal, credits_number: str | None) -> InvoiceRow:
        number = next_number(prefix, issued.year, taken)
        taken.append(number.sequence)
        revision = states.get(licensee, (None, None))[0]
        row = InvoiceRow(
            program_id=program_id,
            year=number.year,
            sequence=number.sequence,
            number=str(number),
            kind=kind.value,
            credits=credits_number,
            licensee_id=licensee,
            period=str(period),
            issued=issued,
            due=issued if kind is Kind.CREDIT_NOTE else issued + dt.timedelta(days=terms),
            amount=amount,
            currency=result.currency,
            late_interest=str(rate),
            basis=json.dumps({"report_revision": revision, "due": format(amount, "f")}),
            created_at=_now(),
        )
        session.add(row)
        return row

    for licensee in sorted(set(due_now) | set(standing)):
        owed = due_now.get(licensee, Decimal(0))
        current = standing.get(licensee)
        if current is not None and current.amount == owed:
            unchanged += 1
            continue
        if current is not None:
            credits.append(add(Kind.CREDIT_NOTE, licensee, current.amount, current.number))
        if owed > 0:
            new.append(add(Kind.INVOICE, licensee, owed, None))
    session.flush()
    return Issued(
        program_id,
        period,
        result.currency,
        tuple(Document.of(r) for r in new),
        tuple(Document.of(r) for r in credits),
        unchanged,
    )


def list_documents(session: Session, program_id: str | None = None) -> list[Document]:
    """Every invoice and credit note (of one programme), by programme, year and number."""
    return [Document.of(r) for r in list_invoices(session, program_id)]


def list_invoices(session: Session, program_id: str | None = None) -> list[InvoiceRow]:
    """Every invoice and credit note (of one programme), by programme, year and number."""
    query = select(InvoiceRow).order_by(InvoiceRow.program_id, InvoiceRow.year, InvoiceRow.sequence)
    if program_id is not None:
        _program(session, program_id)
        query = query.where(InvoiceRow.program_id == program_id)
    return list(session.scalars(query))


def _program(session: Session, program_id: str) -> ProgramRow:
    row = session.get(ProgramRow, program_id)
    if row is None:
        raise NotFound("programme", program_id)
    return row


def _rates(rows: Sequence[InvoiceRow]) -> dict[str, LateInterest]:
    return {text: parse_late_interest(text) for text in {r.late_interest for r in rows}}


def _file_and_line(source: str) -> str:
    """Where a payment was read (``/srv/pool/payments.csv:5``) as its statement shows it: the
    file's name and line only (``payments.csv:5``), never a folder of the server."""
    return PureWindowsPath(PurePosixPath(source).name).name


def books(session: Session, program_id: str) -> tuple[str, list[Invoice], list[Payment]]:
    """A programme's currency, invoices and payments as core values."""
    program = _program(session, program_id)
    rows = list_invoices(session, program_id)
    rates = _rates(rows)
    invoices = [
        Invoice(
            r.number,
            r.licensee_id,
            r.issued,
            r.due,
            r.amount,
            Kind(r.kind),
            r.credits,
            rates[r.late_interest],
        )
        for r in rows
    ]
    payments = [
        Payment(p.licensee_id, p.received, p.amount, p.invoice, _file_and_line(p.source))
        for p in session.scalars(
            select(PaymentRow)
            .where(PaymentRow.program_id == program_id)
            .order_by(PaymentRow.received, PaymentRow.id)
        )
    ]
    return program.currency, invoices, payments


def program_receivables(
    session: Session, as_of: dt.date, program_id: str | None = None
) -> list[tuple[str, str, Receivable]]:
    """(programme, currency, receivable) of each licensee with invoices or payments."""
    if program_id is not None:
        programs = [program_id]
    else:
        programs = sorted(session.scalars(select(InvoiceRow.program_id).distinct()))
    out: list[tuple[str, str, Receivable]] = []
    for program in programs:
        currency, invoices, payments = books(session, program)
        if not invoices:
            continue
        out.extend((program, currency, r) for r in receivables(invoices, payments, as_of, currency))
    return out


def account(
    session: Session, program_id: str, licensee: str, as_of: dt.date
) -> tuple[Statement, Receivable | None, str]:
    """The statement of ``licensee``'s account in ``program_id`` as of ``as_of``, its ageing,
    and the late interest of the programme's quarter of ``as_of`` as written."""
    ctx = royalty_service.program_context(session, program_id)
    if licensee not in ctx.licensees:
        raise NotFound("licensee", licensee)
    currency, invoices, payments = books(session, program_id)
    found = statement(licensee, invoices, payments, as_of, currency)
    rows = receivables(invoices, payments, as_of, currency)
    mine = next((r for r in rows if r.licensee == licensee), None)
    rates = sorted({i.late_interest for i in invoices if i.licensee == licensee}, key=str)
    written = "; ".join(str(r) for r in rates) if rates else str(ctx.program.late_interest)
    return found, mine, written
