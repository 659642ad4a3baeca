"""The portal's pages: login and logout, a start page per role, and the pages of each role's
work (docs/portal.md). Server-rendered; every form post carries the session's CSRF token."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from patentpool.core.access import Principal
from patentpool.portal.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Caller,
    CsrfRefused,
    checked_caller,
    client_address,
    config,
    principal,
)
from patentpool.portal.render import fragment, page, report_page
from patentpool.resources import templates_dir
from patentpool.services import accounts, portal
from patentpool.services.portal import ImportFailed

router = APIRouter(include_in_schema=False)

Who = Annotated[Principal, Depends(principal)]
Checked = Annotated[Caller, Depends(checked_caller)]


@router.get("/assets/portal.css")
def stylesheet() -> Response:
    css = (templates_dir() / "portal" / "portal.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})


@router.get("/login")
def login_form(request: Request) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html", csrf_token=token, message=None)
    _login_cookie(request, response, token)
    return response


def _login_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=config(request).https,
        path="/login",
    )


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf_token or not expected or not secrets.compare_digest(csrf_token, expected):
        raise CsrfRefused()
    settings = config(request)
    try:
        signed = accounts.login(settings.url, username, password, client_address(request))
    except (accounts.LoginRefused, accounts.LoginThrottled) as exc:
        status = 429 if isinstance(exc, accounts.LoginThrottled) else 401
        token = secrets.token_urlsafe(32)
        failed = page(request, "login.html", status, csrf_token=token, message=str(exc))
        _login_cookie(request, failed, token)
        return failed
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.session_id,
        max_age=int(accounts.SESSION_LASTS.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.https,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, who: Checked) -> Response:
    if who.session_id is not None:
        accounts.logout(config(request).url, who.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


#: The roles whose start page lists the register's parties: a thousand licensees are most of
#: the page, so their tables are rendered once per state of the register and the licensing.
_TABLES = {"staff", "counsel"}


@router.get("/")
def start(request: Request, who: Who) -> Response:
    store = config(request).store
    found = portal.start_page(store, who)
    role = who.role.value
    tables = None
    if role in _TABLES:
        # read again inside: what is kept is never older than the state it is kept for
        tables = store.kept(
            ("start page tables", role),
            lambda: fragment(f"_tables_{role}.html", start=portal.start_page(store, who)),
        )
    return page(request, f"start_{role}.html", start=found, tables=tables)


@router.get("/patents")
def patents(request: Request, who: Who, member: str | None = None) -> Response:
    query = portal.patent_query(who, member=member or None)
    found = portal.patents(config(request).store, who, query)
    return page(request, "patents.html", found=found, member=member)


@router.get("/members/{member}/statement")
def member_statement(
    request: Request, who: Who, member: str, program: str | None = None, period: str | None = None
) -> Response:
    html = portal.member_report(config(request).store, who, member, program, period or None, "html")
    assert isinstance(html, str)
    return report_page(html)


@router.get("/members/{member}/statement.pdf")
def member_statement_pdf(
    request: Request, who: Who, member: str, program: str | None = None, period: str | None = None
) -> Response:
    pdf = portal.member_report(config(request).store, who, member, program, period or None, "pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="statement-{member}.pdf"'},
    )


@router.get("/licensees/{licensee}/royalties")
def royalties(
    request: Request,
    who: Who,
    licensee: str,
    program: str | None = None,
    period: str | None = None,
) -> Response:
    store = config(request).store
    found = portal.start_page(store, who)
    dues = None
    if program and period:
        dues = portal.licensee_royalties(store, who, licensee, program, period)
    else:  # the right to see it is checked without a quarter too
        portal.licensee_check(store, who, licensee)
    return page(
        request,
        "royalties.html",
        start=found,
        licensee=licensee,
        dues=dues,
        program=program,
        period=period,
    )


@router.get("/licensees/{licensee}/license")
def licence(request: Request, who: Who, licensee: str, program: str) -> Response:
    html = portal.licence_summary(config(request).store, who, licensee, program, "html")
    assert isinstance(html, str)
    return report_page(html)


@router.get("/licensees/{licensee}/upload")
def upload_form(request: Request, who: Who, licensee: str) -> Response:
    portal.upload_check(config(request).store, who, licensee)
    return page(request, "upload.html", licensee=licensee, problems=None, result=None)


@router.post("/licensees/{licensee}/upload")
def upload(
    request: Request, who: Checked, licensee: str, file: Annotated[UploadFile, File()]
) -> Response:
    settings = config(request)
    data = file.file.read(settings.limits.max_bytes + 1)
    try:
        result = portal.upload_sales(
            settings.store, who.principal, licensee, file.filename, data, settings.limits
        )
    except ImportFailed as failed:
        problems = portal.problem_documents(failed)
        # the page answers 200: the problems are its content (the API answers 422)
        return page(request, "upload.html", licensee=licensee, problems=problems, result=None)
    return page(request, "upload.html", licensee=licensee, problems=None, result=result)


@router.get("/programs/{program}/distribute")
def distribute_form(request: Request, who: Who, program: str) -> Response:
    portal.distribute_check(who)
    return page(request, "distribute.html", program=program, run=None, period=_quarter())


def _quarter() -> str:
    today = dt.date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


@router.post("/programs/{program}/distribute")
def distribute(
    request: Request,
    who: Checked,
    program: str,
    period: Annotated[str, Form()] = "",
    policy: Annotated[str, Form()] = "",
) -> Response:
    run: dict[str, Any] = portal.distribute(
        config(request).store, who.principal, program, period, policy or None, {}
    )
    return page(request, "distribute.html", program=program, run=run, period=period)
