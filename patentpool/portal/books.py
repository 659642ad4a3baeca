"""The quarter's books in the portal (docs/portal.md): a licensee's invoices and statement of
account, staff's books page of a programme and its receivables; pages and their API routes.
Thin: :mod:`patentpool.services.portal_books` checks who may and does the work."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from patentpool.core.access import Principal
from patentpool.errors import InvalidInput
from patentpool.portal.auth import Caller, checked_caller, config, principal
from patentpool.portal.render import page, report_page
from patentpool.services import portal, portal_books
from patentpool.services.lifecycle import LifecycleError

api_router = APIRouter(prefix="/api/v1", tags=["api"])
router = APIRouter(include_in_schema=False)

Who = Annotated[Principal, Depends(principal)]
Checked = Annotated[Caller, Depends(checked_caller)]
Refused = (InvalidInput, LifecycleError)
AsOf = Annotated[str, Query(description="The day, YYYY-MM-DD (empty: today).")]


@api_router.get("/licensees/{licensee}/invoices")
def invoices_api(request: Request, who: Who, licensee: str) -> dict[str, Any]:
    """The licensee's invoices and credit notes (that licensee, staff), each as
    ``invoices list --format json`` writes it."""
    return portal_books.licensee_invoices(config(request).url, who, licensee)


@api_router.get("/licensees/{licensee}/account")
def account_api(
    request: Request,
    who: Who,
    licensee: str,
    program: Annotated[str, Query()],
    as_of: AsOf = "",
) -> dict[str, Any]:
    """The statement of account (that licensee, staff): ``report account --format json``."""
    day = _day(as_of, "as_of")
    return portal_books.account(config(request).url, who, licensee, program, day)


@api_router.get("/programs/{program}/receivables")
def receivables_api(
    request: Request, who: Who, program: str, as_of: AsOf = ""
) -> list[dict[str, Any]]:
    """What each licensee owes on a day (staff): ``receivables --format json``."""
    return portal_books.receivables(config(request).url, who, program, _day(as_of, "as_of"))


@router.get("/licensees/{licensee}/invoices")
def invoices_page(request: Request, who: Who, licensee: str) -> Response:
    url = config(request).url
    found = portal_books.licensee_invoices(url, who, licensee)
    programs = portal.start_page(config(request).store, who)["programs"]
    return page(request, "invoices.html", licensee=licensee, found=found, programs=programs)


@router.get("/licensees/{licensee}/account")
def account_page(
    request: Request, who: Who, licensee: str, program: str, as_of: str = ""
) -> Response:
    url = config(request).url
    day = _day(as_of, "as of")
    html = portal_books.account_report(url, who, licensee, program, day, "html")
    assert isinstance(html, str)
    return report_page(html)


@router.get("/licensees/{licensee}/account.pdf")
def account_pdf(
    request: Request, who: Who, licensee: str, program: str, as_of: str = ""
) -> Response:
    day = _day(as_of, "as of")
    pdf = portal_books.account_report(config(request).url, who, licensee, program, day, "pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="account-{licensee}.pdf"'},
    )


def _books(
    request: Request,
    program: str,
    period: str,
    done: list[str] | None = None,
    problem: str | None = None,
) -> Response:
    who = request.state.caller.principal
    found = portal_books.books(config(request).url, who, program, period or None)
    return page(request, "books.html", books=found, done=done, problem=problem)


@router.get("/programs/{program}/books")
def books_page(request: Request, who: Who, program: str, period: str = "") -> Response:
    return _books(request, program, period)


@router.post("/programs/{program}/books/accept")
def accept(
    request: Request,
    who: Checked,
    program: str,
    period: Annotated[str, Form()] = "",
    licensee: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    url = config(request).url
    try:
        done = portal_books.accept(url, who.principal, program, period, licensee, reason)
    except Refused as exc:
        return _books(request, program, period, problem=str(exc))
    return _books(request, program, period, done=done)


@router.post("/programs/{program}/books/invoices")
def issue(
    request: Request,
    who: Checked,
    program: str,
    period: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="date")] = "",
) -> Response:
    url = config(request).url
    try:
        issued = _day(day, "issue date")
        found = portal_books.issue(url, who.principal, program, period, issued)
    except Refused as exc:
        return _books(request, program, period, problem=str(exc))
    lines = [
        f"{d['number']} {d['licensee']} {d['amount']} {d['currency']}" for d in found["documents"]
    ]
    return _books(request, program, period, done=[*lines, found["summary"]])


def _day(raw: str, name: str) -> dt.date | None:
    """A day of a form or query (YYYY-MM-DD); None when left empty."""
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{name}: {raw!r} is not a date (YYYY-MM-DD)") from None


@router.post("/programs/{program}/runs/{run_id}/approve")
def approve(
    request: Request, who: Checked, program: str, run_id: int, period: Annotated[str, Form()] = ""
) -> Response:
    try:
        done = portal_books.approve(config(request).url, who.principal, program, run_id)
    except Refused as exc:
        return _books(request, program, period, problem=str(exc))
    return _books(request, program, period, done=[done])


@router.post("/programs/{program}/runs/{run_id}/publish")
def publish(
    request: Request,
    who: Checked,
    program: str,
    run_id: int,
    period: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    url = config(request).url
    try:
        done = portal_books.publish(url, who.principal, program, run_id, reason)
    except Refused as exc:
        return _books(request, program, period, problem=str(exc))
    return _books(request, program, period, done=[done])


@router.get("/programs/{program}/receivables")
def receivables_page(request: Request, who: Who, program: str, as_of: str = "") -> Response:
    day = _day(as_of, "as of") or dt.date.today()
    rows = portal_books.receivables(config(request).url, who, program, day)
    return page(request, "receivables.html", program=program, rows=rows, as_of=day.isoformat())
