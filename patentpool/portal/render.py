"""The portal's pages, rendered server-side with the reports' jinja environment (HTML
autoescaped: every name shows as text)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from patentpool.reports.environment import environment

#: The policy of a report shown in the portal: its styles are inline, it runs no script.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """``templates/portal/TEMPLATE`` with the signed-in user and the session's CSRF token."""
    found = getattr(request.state, "caller", None)
    context.setdefault("user", found.principal if found is not None else None)
    context.setdefault("csrf_token", found.csrf_token if found is not None else None)
    html = environment(None, False).get_template(f"portal/{template}").render(**context)
    return HTMLResponse(html, status_code=status)


def fragment(template: str, **context: Any) -> Markup:
    """Part of a page, ``templates/portal/TEMPLATE`` rendered alone (HTML autoescaped, so
    safe to put in a page as it is)."""
    html = environment(None, False).get_template(f"portal/{template}").render(**context)
    return Markup(html)


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    return page(request, "error.html", status, code=status, detail=detail)


def report_page(html: str) -> HTMLResponse:
    return HTMLResponse(html, headers={"content-security-policy": REPORT_POLICY})
