"""The portal's application: ``create_app(url)`` builds it on the register at ``url``.

A thin edge like the CLI: its routes call :mod:`patentpool.services.portal` and
:mod:`patentpool.services.accounts`, and turn the library's errors into HTTP statuses.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from patentpool import __version__
from patentpool.core.access import Forbidden, NotYours
from patentpool.errors import NotFound, PatentpoolError
from patentpool.portal import api, books, pages
from patentpool.portal.auth import CsrfRefused, PortalConfig, SignInNeeded
from patentpool.portal.render import error_page
from patentpool.services.accounts import LoginThrottled
from patentpool.services.portal import (
    THREADS,
    DatabaseError,
    ImportFailed,
    UploadLimits,
    UploadTooLarge,
    problem_documents,
    start_worker,
)
from patentpool.services.snapshots import one_state

#: The Content-Security-Policy of the portal's own pages: nothing inline, nothing fetched
#: from elsewhere, never framed.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every response; a response that brings its own
    Content-Security-Policy (a report, whose styles are inline) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"server"]
                names = {k for k, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                headers.extend(SECURITY_HEADERS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class OneStatePerRead:
    """Each request that only reads (GET, HEAD) reads the database's state once for what the
    worker keeps (:func:`patentpool.services.snapshots.one_state`); a request that changes
    something reads it as often as it asks, and so sees its own change."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        with one_state():
            await self.app(scope, receive, send)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """A worker starting: its thread pool sized, the register read and the latest quarters'
    royalties computed before the first request."""
    to_thread.current_default_thread_limiter().total_tokens = THREADS
    settings: PortalConfig = app.state.portal
    await run_in_threadpool(start_worker, settings.store)
    yield


def create_app(url: str, *, https: bool = False, limits: UploadLimits | None = None) -> FastAPI:
    """The portal on the database at ``url``; ``https``: reached over TLS (Secure cookies)."""
    app = FastAPI(
        lifespan=_lifespan,
        title="patentpool portal",
        version=__version__,
        docs_url=None,  # the interactive pages load scripts from a CDN: only the JSON is served
        redoc_url=None,
    )
    app.state.portal = PortalConfig(url, https, limits or UploadLimits())
    app.include_router(api.router)
    app.include_router(books.api_router)
    app.include_router(books.router)
    app.include_router(pages.router)
    _handlers(app)
    app.add_middleware(OneStatePerRead)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """The app ``patentpool serve`` hands to uvicorn (each worker builds its own)."""
    return create_app(
        os.environ.get("PATENTPOOL_DATABASE_URL", "sqlite:///patentpool.db"),
        https=bool(os.environ.get("PATENTPOOL_PORTAL_HTTPS")),
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, detail: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status)
    return error_page(request, status, detail)


def _handlers(app: FastAPI) -> None:
    async def sign_in(request: Request, _exc: Exception) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": "sign in: a bearer token or a session is needed"},
                status_code=401,
                headers={"www-authenticate": "Bearer"},
            )
        return RedirectResponse("/login", status_code=303)

    async def csrf(request: Request, _exc: Exception) -> Response:
        return _error(request, 403, "the form's CSRF token is missing or wrong: reload the page")

    async def forbidden(request: Request, exc: Exception) -> Response:
        return _error(request, 403, str(exc))

    async def not_found(request: Request, _exc: Exception) -> Response:
        return _error(request, 404, "not found")

    async def failed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ImportFailed)
        return JSONResponse({"problems": problem_documents(exc)}, status_code=422)

    async def too_large(request: Request, exc: Exception) -> Response:
        return _error(request, 413, str(exc))

    async def throttled(request: Request, exc: Exception) -> Response:
        return _error(request, 429, str(exc))

    async def database(request: Request, exc: Exception) -> Response:
        answer = _error(request, 503, str(exc))
        answer.headers["retry-after"] = "1"
        return answer

    async def invalid(request: Request, exc: Exception) -> Response:
        return _error(request, 422, str(exc))

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(request, exc.status_code, str(exc.detail))

    async def validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if _is_api(request):
            return JSONResponse({"detail": list(exc.errors())}, status_code=422)
        return error_page(request, 422, "the request is incomplete or malformed")

    for kind, handler in (
        (SignInNeeded, sign_in),
        (CsrfRefused, csrf),
        (Forbidden, forbidden),
        (NotYours, not_found),
        (NotFound, not_found),
        (ImportFailed, failed),
        (UploadTooLarge, too_large),
        (LoginThrottled, throttled),
        (DatabaseError, database),
        (PatentpoolError, invalid),
        (HTTPException, http),
        (RequestValidationError, validation),
    ):
        app.add_exception_handler(kind, handler)
