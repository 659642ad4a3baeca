"""The authorisation matrix: every route of the app, walked from its router, with every role
and with the ids of the user's own party and of another party. A route without an entry here
fails the test, so a new route cannot be forgotten.

Own party: member ``lenovo`` and licensee ``example-home``; the other party: member ``tcl`` and
licensee ``sample-codec``. Staff and counsel are bound to no party: "own" and "other" are the
same ids for them. Pages redirect a browser without a session to the login page (303); the
API answers 401.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from portal_setup import PASSWORD, ROLE_USER, Portal, login_csrf, page_csrf
from starlette.routing import Route

from patentpool.portal.app import create_app

ROLES = ("anonymous", "staff", "member", "licensee", "counsel")
IDS = {
    "own": {"member": "lenovo", "licensee": "example-home", "program": "igrs-v1", "run_id": "1"},
    "other": {"member": "tcl", "licensee": "sample-codec", "program": "igrs-v1", "run_id": "1"},
}


@dataclass(frozen=True)
class Expect:
    """The status for each role, with its own party's ids and with another party's."""

    anonymous: int
    staff: int
    member: tuple[int, int]
    licensee: tuple[int, int]
    counsel: int
    query: str = ""

    def status(self, role: str, party: str) -> int:
        found: Any = getattr(self, role)
        if isinstance(found, tuple):
            return int(found[0] if party == "own" else found[1])
        return int(found)


ALL = Expect(401, 200, (200, 200), (200, 200), 200)
PAGE_ALL = Expect(303, 200, (200, 200), (200, 200), 200)
MEMBER_OWN = Expect(401, 200, (200, 404), (403, 403), 403)
LICENSEE_OWN = Expect(401, 200, (403, 403), (200, 404), 403)
STAFF_ONLY = Expect(401, 200, (403, 403), (403, 403), 403)
LICENSEE_BOOKS = Expect(401, 200, (403, 403), (200, 404), 403)
PAGE_LICENSEE_BOOKS = Expect(303, 200, (403, 403), (200, 404), 403)
PAGE_STAFF = Expect(303, 200, (403, 403), (403, 403), 403)
ACCOUNT = "?program=igrs-v1&as_of=2026-06-30"

MATRIX: dict[tuple[str, str], Expect] = {
    ("GET", "/openapi.json"): Expect(200, 200, (200, 200), (200, 200), 200),
    ("GET", "/api/v1/me"): ALL,
    ("GET", "/api/v1/patents"): ALL,
    ("GET", "/api/v1/members/{member}/statement"): MEMBER_OWN,
    ("GET", "/api/v1/licensees/{licensee}/royalties"): Expect(
        *(401, 200, (403, 403), (200, 404), 403), query="?program=igrs-v1&period=2026Q1"
    ),
    ("GET", "/api/v1/licensees/{licensee}/license"): Expect(
        *(401, 200, (403, 403), (200, 404), 200), query="?program=igrs-v1"
    ),
    ("POST", "/api/v1/licensees/{licensee}/sales-reports"): Expect(
        401, 201, (403, 403), (201, 404), 403
    ),
    ("GET", "/api/v1/programs/{program}/royalties"): Expect(
        *(401, 200, (403, 403), (403, 403), 403), query="?period=2026Q1"
    ),
    ("POST", "/api/v1/programs/{program}/distributions"): Expect(
        401, 201, (403, 403), (403, 403), 403
    ),
    ("GET", "/api/v1/licensees/{licensee}/invoices"): LICENSEE_BOOKS,
    ("GET", "/api/v1/licensees/{licensee}/account"): replace(LICENSEE_BOOKS, query=ACCOUNT),
    ("GET", "/api/v1/programs/{program}/receivables"): replace(
        STAFF_ONLY, query="?as_of=2026-06-30"
    ),
    ("GET", "/assets/portal.css"): Expect(200, 200, (200, 200), (200, 200), 200),
    ("GET", "/login"): Expect(200, 200, (200, 200), (200, 200), 200),
    # a wrong password, with the login form's token
    ("POST", "/login"): Expect(401, 401, (401, 401), (401, 401), 401),
    ("POST", "/logout"): Expect(303, 303, (303, 303), (303, 303), 303),
    ("GET", "/"): PAGE_ALL,
    ("GET", "/patents"): PAGE_ALL,
    ("GET", "/members/{member}/statement"): Expect(303, 200, (200, 404), (403, 403), 403),
    ("GET", "/members/{member}/statement.pdf"): Expect(303, 200, (200, 404), (403, 403), 403),
    ("GET", "/licensees/{licensee}/royalties"): Expect(
        *(303, 200, (403, 403), (200, 404), 403), query="?program=igrs-v1&period=2026Q1"
    ),
    ("GET", "/licensees/{licensee}/license"): Expect(
        *(303, 200, (403, 403), (200, 404), 200), query="?program=igrs-v1"
    ),
    ("GET", "/licensees/{licensee}/upload"): Expect(303, 200, (403, 403), (200, 404), 403),
    ("POST", "/licensees/{licensee}/upload"): Expect(303, 200, (403, 403), (200, 404), 403),
    ("GET", "/programs/{program}/distribute"): Expect(303, 200, (403, 403), (403, 403), 403),
    ("POST", "/programs/{program}/distribute"): Expect(303, 200, (403, 403), (403, 403), 403),
    ("GET", "/licensees/{licensee}/invoices"): PAGE_LICENSEE_BOOKS,
    ("GET", "/licensees/{licensee}/account"): replace(PAGE_LICENSEE_BOOKS, query=ACCOUNT),
    ("GET", "/licensees/{licensee}/account.pdf"): replace(PAGE_LICENSEE_BOOKS, query=ACCOUNT),
    ("GET", "/programs/{program}/books"): replace(PAGE_STAFF, query="?period=2026Q2"),
    ("POST", "/programs/{program}/books/accept"): PAGE_STAFF,
    ("POST", "/programs/{program}/books/invoices"): PAGE_STAFF,
    ("POST", "/programs/{program}/runs/{run_id}/approve"): PAGE_STAFF,
    ("POST", "/programs/{program}/runs/{run_id}/publish"): PAGE_STAFF,
    ("GET", "/programs/{program}/receivables"): replace(PAGE_STAFF, query="?as_of=2026-06-30"),
}


def _walk(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every route, in the included routers too."""
    found = set()
    for route in routes:
        if hasattr(route, "original_router"):  # a router included in the app
            found |= _walk(route.original_router.routes, prefix + route.include_context.prefix)
            continue
        assert isinstance(route, APIRoute | Route), route
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, prefix + route.path))
    return found


def app_routes(portal: Portal) -> set[tuple[str, str]]:
    return _walk(create_app(portal.url).routes)


def test_every_route_is_in_the_matrix(portal: Portal) -> None:
    routes = app_routes(portal)
    assert routes - set(MATRIX) == set(), "routes without an entry in the matrix"
    assert set(MATRIX) - routes == set(), "matrix entries of routes that do not exist"


def _sales(licensee: str) -> bytes:
    return (
        "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
        f"{licensee},2027Q2,DE,PL,tv,100,50000.00\n"
    ).encode()


def _request(
    client: TestClient, method: str, path: str, role: str, ids: dict[str, str], expect: Expect
) -> int:
    url = path.format(**ids) + expect.query
    api = path.startswith("/api/")
    if method == "GET":
        return client.get(url).status_code
    files = {"file": ("sales.csv", _sales(ids["licensee"]), "text/csv")}
    csrf = {} if api or role == "anonymous" else {"csrf_token": page_csrf(client)}
    if path == "/login":
        data = {"username": "nobody", "password": "wrong", "csrf_token": login_csrf(client)}
        return client.post(url, data=data).status_code
    if path.endswith("/distributions"):
        return client.post(url, json={"period": "2026Q1"}).status_code
    if path.endswith(("/distribute", "/accept", "/invoices", "/approve", "/publish")):
        return client.post(url, data={"period": "2026Q1", **csrf}).status_code
    if "sales-reports" in path or path.endswith("/upload"):
        return client.post(url, files=files, data=csrf).status_code
    response = client.post(url, data=csrf)  # /logout: ends the session, made again below
    return response.status_code


def _clients(portal: Portal, role: str) -> tuple[TestClient, TestClient]:
    """The role's API client (a bearer token) and page client (a session)."""
    if role == "anonymous":
        return portal.client(), portal.client()
    name = ROLE_USER[role]
    api = portal.client()
    api.headers["authorization"] = f"Bearer {portal.token(name)}"
    return api, portal.signed_in(name)


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_the_matrix_says(portal: Portal, role: str) -> None:
    api, pages = _clients(portal, role)
    wrong = []
    for (method, path), expect in sorted(MATRIX.items()):
        for party, ids in IDS.items():
            client = api if path.startswith("/api/") else pages
            got = _request(client, method, path, role, ids, expect)
            if got != expect.status(role, party):
                wrong.append(f"{method} {path} ({party}): {got}, not {expect.status(role, party)}")
            if path == "/logout" and role != "anonymous":
                pages = portal.signed_in(ROLE_USER[role], portal.client())
    assert not wrong, "\n".join(wrong)
    assert PASSWORD  # the users of conftest.USERS sign in with it
