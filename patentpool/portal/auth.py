"""Who is asking: an API bearer token or a session cookie; and the CSRF check of every form
post made with a session."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from patentpool.core.access import Principal
from patentpool.services import accounts
from patentpool.services.portal import UploadLimits
from patentpool.services.snapshots import Snapshots

SESSION_COOKIE = "pp_session"
LOGIN_CSRF_COOKIE = "pp_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True, slots=True)
class PortalConfig:
    url: str
    https: bool = False
    limits: UploadLimits = field(default_factory=UploadLimits)
    #: what this app (one worker) keeps of the database between requests
    store: Snapshots = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "store", Snapshots(self.url))


class SignInNeeded(Exception):
    """No valid credentials: 401 on the API, the login page for a browser."""


class CsrfRefused(Exception):
    """A form post without the session's CSRF token (403)."""


@dataclass(frozen=True, slots=True)
class Caller:
    principal: Principal
    csrf_token: str | None  # None when signed in with a bearer token
    session_id: str | None


def config(request: Request) -> PortalConfig:
    found: PortalConfig = request.app.state.portal
    return found


def caller(request: Request) -> Caller:
    """The signed-in caller (FastAPI dependency); :class:`SignInNeeded` without one."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, Caller):
        return cached
    url = config(request).url
    header = request.headers.get("authorization", "")
    found: Caller | None = None
    if header[:7].lower() == "bearer ":
        principal = accounts.token_principal(url, header[7:].strip())
        found = None if principal is None else Caller(principal, None, None)
    else:
        session_id = request.cookies.get(SESSION_COOKIE)
        if session_id:
            signed = accounts.session_principal(url, session_id)
            if signed is not None:
                found = Caller(signed[0], signed[1], session_id)
    if found is None:
        raise SignInNeeded()
    request.state.caller = found
    return found


def principal(request: Request) -> Principal:
    return caller(request).principal


async def checked_caller(request: Request) -> Caller:
    """The caller of a state-changing request: with a session, the request must carry the
    session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``)."""
    found = await run_in_threadpool(caller, request)
    if found.csrf_token is None:  # a bearer token: no cookie, nothing to forge
        return found
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not secrets.compare_digest(sent, found.csrf_token):
        raise CsrfRefused()
    return found


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"
