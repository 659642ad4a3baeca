"""The quarter's books in the portal (docs/portal.md): a licensee's invoices and statement of
account; staff's books page of a programme - accepting reports, issuing invoices, approving
and publishing runs - and its receivables.

Each function checks the user's right with :mod:`patentpool.core.access` first and calls the
same services as the CLI, so that the JSON is the CLI's ``--format json``. What the CLI
words for its own flags (``--reason``) or writes from the server's files (a payment's source
file) is said in the portal's words. Every change is recorded with the user who made it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from patentpool.core.access import Capability, NotYours, Principal, require, require_licensee
from patentpool.core.money import round_money
from patentpool.core.periods import Period
from patentpool.core.receivables import Receivable
from patentpool.errors import InvalidInput, NotFound, PatentpoolError
from patentpool.reports.account import account_context
from patentpool.reports.render import render
from patentpool.services import accounts, book_commands, commands, lifecycle
from patentpool.services.invoicing import Document
from patentpool.storage import engine

#: The CLI's flags named in the library's messages, and what a portal user fills in instead.
_FLAGS = {"--reason": "the reason"}


def invoice_row(doc: Document) -> dict[str, Any]:
    """An invoice or credit note as ``invoices list --format json`` writes it."""
    return {
        "number": doc.number,
        "kind": doc.kind,
        "program": doc.program,
        "licensee": doc.licensee,
        "period": doc.period,
        "issued": doc.issued.isoformat(),
        "due": doc.due.isoformat(),
        "amount": format(doc.amount, "f"),
        "currency": doc.currency,
        "credits": doc.credits or "",
        "late_interest": doc.late_interest,
    }


def receivable_rows(found: list[tuple[str, str, Receivable]]) -> list[dict[str, Any]]:
    """The receivables as ``receivables --format json`` writes them: each amount rounded once
    to the currency's minor unit."""
    rows: list[dict[str, Any]] = []
    for program_id, currency, r in found:
        row: dict[str, Any] = {"program": program_id, "licensee": r.licensee, "currency": currency}
        amounts = {
            **r.buckets,
            "interest": r.interest,
            "on account": r.on_account,
            "total": r.total,
        }
        row.update({k: format(round_money(v, currency), "f") for k, v in amounts.items()})
        rows.append(row)
    return rows


def portal_words(exc: PatentpoolError) -> PatentpoolError:
    """The error with the CLI's flags replaced by the portal's words."""
    text = str(exc)
    for flag, words in _FLAGS.items():
        text = text.replace(f"say why with {flag}", f"give {words}")
        text = text.replace(f" with {flag}", f" in {words}")
        text = re.sub(rf"^{re.escape(flag)}: ", f"{words}: ", text)
        text = text.replace(flag, words)
    return InvalidInput(text) if text != str(exc) else exc


def _known(url: str, principal: Principal, licensee: str) -> None:
    require_licensee(principal, licensee, Capability.LICENSEE_BOOKS)
    if licensee not in commands.licensees(url):
        raise NotYours()


def licensee_invoices(url: str, principal: Principal, licensee: str) -> dict[str, Any]:
    """The licensee's invoices and credit notes in every programme (that licensee, staff)."""
    _known(url, principal, licensee)
    docs = [d for d in book_commands.list_invoices(url, None) if d.licensee == licensee]
    return {"licensee": licensee, "invoices": [invoice_row(d) for d in docs]}


def account_report(
    url: str, principal: Principal, licensee: str, program: str, as_of: dt.date | None, fmt: str
) -> str | bytes:
    """The statement of account as ``report account`` renders it (json, html, pdf)."""
    _known(url, principal, licensee)
    found, programs = commands.licensing(url)
    if program not in programs:
        raise NotFound("programme", program)
    day = as_of or dt.date.today()
    statement, receivable, rate = book_commands.account(url, program, licensee, day)
    context = account_context(program, found[licensee].name, rate, statement, receivable)
    return render("account", context, fmt, illustrative=commands.illustrative(url))


def account(
    url: str, principal: Principal, licensee: str, program: str, as_of: dt.date | None
) -> dict[str, Any]:
    """The statement of account: the JSON of ``report account --format json``."""
    text = account_report(url, principal, licensee, program, as_of, "json")
    assert isinstance(text, str)
    document: dict[str, Any] = json.loads(text)
    return document


def receivables(
    url: str, principal: Principal, program: str, as_of: dt.date | None
) -> list[dict[str, Any]]:
    """A programme's receivables on a day (staff): ``receivables --program P --format json``."""
    require(principal, Capability.BOOKS)
    if program not in commands.programs(url):
        raise NotFound("programme", program)
    day = as_of or dt.date.today()
    return receivable_rows(book_commands.receivables(url, day, program))


def books(url: str, principal: Principal, program: str, period: str | None) -> dict[str, Any]:
    """What staff's books page of a programme shows: the quarter's reports and their state,
    the runs and their state, the invoices."""
    require(principal, Capability.BOOKS)
    if program not in commands.programs(url):
        raise NotFound("programme", program)
    quarter = Period.parse(period, "period") if period else None
    reports: list[dict[str, Any]] = []
    if quarter is not None:
        with engine.session_for(url) as session:
            states = lifecycle.report_states(session, program, quarter)
        reports = [
            {"licensee": lic, "revision": rev, "status": status}
            for lic, (rev, status) in sorted(states.items())
        ]
    found = commands.runs(url, program)
    states_of = book_commands.run_states(url)
    runs = [
        {"id": r.id, "period": str(r.period), "policy": r.policy, "state": states_of[r.id].text()}
        for r in found
        if quarter is None or r.period == quarter
    ]
    docs = [invoice_row(d) for d in book_commands.list_invoices(url, program)]
    if quarter is not None:
        docs = [d for d in docs if d["period"] == str(quarter)]
    return {
        "program": program,
        "period": period or "",
        "reports": reports,
        "runs": runs,
        "invoices": docs,
    }


def accept(
    url: str,
    principal: Principal,
    program: str,
    period: str,
    licensee: str | None,
    reason: str | None,
) -> list[str]:
    """Accept the quarter's submitted reports (a correction only with a reason)."""
    require(principal, Capability.BOOKS)
    quarter = Period.parse(period, "period")
    try:
        with engine.session_for(url, lock=f"reports:{program}:{quarter}") as session:
            done = lifecycle.accept_reports(
                session, program, quarter, licensee or None, reason, f"portal:{principal.name}"
            )
    except PatentpoolError as exc:
        raise portal_words(exc) from None
    lines = [
        f"accepted {a.licensee} {quarter} revision {a.revision}"
        + (f" (correction: {a.reason})" if a.reason else "")
        for a in done
    ]
    if done:
        accounts.record(
            url, principal, "reports accepted", f"{program} {quarter}: " + "; ".join(lines)
        )
    return lines or [f"{program} {quarter}: nothing to accept (every report is accepted)"]


def issue(
    url: str, principal: Principal, program: str, period: str, day: dt.date | None
) -> dict[str, Any]:
    """Issue the quarter's invoices (staff), as ``invoices issue``."""
    require(principal, Capability.BOOKS)
    quarter = Period.parse(period, "period")
    done = book_commands.issue_invoices(url, program, quarter, day or dt.date.today())
    issued = [invoice_row(d) for d in (*done.credit_notes, *done.invoices)]
    total = format(round_money(done.total, done.currency), "f")
    summary = (
        f"{program} {quarter}: {len(done.invoices)} invoice(s) issued ({total} "
        f"{done.currency}), {len(done.credit_notes)} credit note(s), "
        f"{done.unchanged} already invoiced"
    )
    if issued:
        numbers = ", ".join(d["number"] for d in issued)
        accounts.record(url, principal, "invoices issued", f"{summary}: {numbers}")
    return {"summary": summary, "documents": issued}


def _run_of(url: str, program: str, run_id: int) -> None:
    if all(r.id != run_id for r in commands.runs(url, program)):
        raise NotFound("distribution run", str(run_id))


def approve(url: str, principal: Principal, program: str, run_id: int) -> str:
    """Approve a draft run of the programme (staff)."""
    require(principal, Capability.BOOKS)
    _run_of(url, program, run_id)
    with engine.session_for(url, lock=f"run:{run_id}") as session:
        state = lifecycle.approve_run(session, run_id, f"portal:{principal.name}")
    text = f"run {run_id}: {state.text()}"
    accounts.record(url, principal, "run approved", f"{program} {text}")
    return text


def publish(url: str, principal: Principal, program: str, run_id: int, reason: str | None) -> str:
    """Publish an approved run of the programme (staff); one superseding the period's
    published run needs a reason."""
    require(principal, Capability.BOOKS)
    _run_of(url, program, run_id)
    try:
        with engine.session_for(url, lock="publish") as session:
            state = lifecycle.publish_run(
                session, run_id, reason or None, f"portal:{principal.name}"
            )
    except PatentpoolError as exc:
        raise portal_words(exc) from None
    text = f"run {run_id}: {state.text()}"
    accounts.record(url, principal, "run published", f"{program} {text}")
    return text
