"""The portal's security: headers, cookies, login throttling with its audit log, names shown
as text, and the serve command's refusal to listen in the open without TLS."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner
from portal_setup import PASSWORD, USERS, Portal, login_csrf
from sqlalchemy import text

from patentpool.cli import cli
from patentpool.core.access import throttled
from patentpool.services import accounts
from patentpool.storage.engine import make_engine

SCRIPT = "<script>alert(1)</script> Corp"
IMG = '"><img src=x onerror=alert(2)> Ltd'


def _login(portal: Portal, name: str, password: str, address: str = "10.0.0.1") -> int:
    client = portal.client(address)
    data = {"username": name, "password": password, "csrf_token": login_csrf(client)}
    return client.post("/login", data=data).status_code


def test_headers_of_pages_and_api(portal: Portal) -> None:
    client = portal.signed_in("staff1")
    for path in ("/login", "/", "/api/v1/me", "/members/lenovo/statement", "/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        scripts = next((d for d in policy.split(";") if "script-src" in d), "")
        assert "unsafe-inline" not in scripts, path
        assert "unsafe-inline" not in policy.split("style-src")[0], path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "server" not in response.headers, path
        assert "x-powered-by" not in response.headers


def test_the_session_cookie_is_httponly_and_lax_and_secure_with_https(portal: Portal) -> None:
    client = portal.client()
    data = {"username": "staff1", "password": PASSWORD, "csrf_token": login_csrf(client)}
    cookie = client.post("/login", data=data).headers["set-cookie"].lower()
    assert "pp_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    from fastapi.testclient import TestClient

    from patentpool.portal.app import create_app

    tls = TestClient(
        create_app(portal.url, https=True), base_url="https://127.0.0.1", follow_redirects=False
    )
    data = {"username": "staff1", "password": PASSWORD, "csrf_token": login_csrf(tls)}
    cookie = tls.post("/login", data=data).headers["set-cookie"].lower()
    assert "secure" in cookie
    assert "httponly" in cookie


def test_login_without_the_forms_token_is_403(portal: Portal) -> None:
    client = portal.client()
    login_csrf(client)
    data = {"username": "staff1", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 403
    assert client.post("/login", data={**data, "csrf_token": "forged"}).status_code == 403


def test_five_failures_for_a_username_throttle_it_and_are_logged(portal: Portal) -> None:
    for i in range(5):
        assert _login(portal, "home1", "wrong password", f"10.0.1.{i}") == 401
    # the right password from yet another address: still refused for 15 minutes
    assert _login(portal, "home1", PASSWORD, "10.0.2.1") == 429
    assert _login(portal, "codec1", PASSWORD, "10.0.2.1") == 303  # another user is not
    log = accounts.logins(portal.url)
    assert [(user, ok) for _, user, _, ok in log] == [("home1", False)] * 5 + [("codec1", True)]
    assert [addr for _, _, addr, _ in log][:2] == ["10.0.1.0", "10.0.1.1"]


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_failures_at_once_are_throttled_as_one_after_the_other(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """Twelve wrong passwords at the same moment: the throttle's check and the record of
    each failure are one step, so five are verified and refused, the seven others throttled."""
    portal: Portal = request.getfixturevalue("portal" if backend == "sqlite" else "pg_portal")
    start = threading.Barrier(12)

    def attempt(i: int) -> str:
        start.wait()
        try:
            accounts.login(portal.url, "home1", "wrong password", f"10.0.3.{i}")
        except accounts.LoginThrottled:
            return "throttled"
        except accounts.LoginRefused:
            return "refused"
        return "signed in"

    with ThreadPoolExecutor(12) as pool:
        said = sorted(pool.map(attempt, range(12)))
    assert said == ["refused"] * 5 + ["throttled"] * 7
    log = accounts.logins(portal.url)
    assert [(user, ok) for _, user, _, ok in log] == [("home1", False)] * 5


def test_logins_at_once_from_one_address_are_not_throttled(portal: Portal) -> None:
    """Twelve users signing in at the same moment through one proxy: none is a failure."""
    start = threading.Barrier(6)
    names = list(USERS)

    def attempt(name: str) -> bool:
        start.wait()
        return bool(accounts.login(portal.url, name, PASSWORD, "10.0.4.1").session_id)

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(attempt, names * 2)) == [True] * 12
    assert [ok for *_, ok in accounts.logins(portal.url)] == [True] * 12


def test_five_failures_from_an_address_throttle_it(portal: Portal) -> None:
    for name in ("a", "b", "c", "d", "e"):
        assert _login(portal, name, "wrong password", "10.9.9.9") == 401
    assert _login(portal, "staff1", PASSWORD, "10.9.9.9") == 429
    assert _login(portal, "staff1", PASSWORD, "10.9.9.8") == 303


def test_the_throttle_window_passes() -> None:
    now = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    old = [(now - dt.timedelta(minutes=16), "u", "a")] * 5
    recent = [(now - dt.timedelta(minutes=14), "u", "b")] * 5
    assert not throttled(old, "u", "a", now)
    assert throttled(recent, "u", "a", now)
    assert not throttled(recent[:4], "u", "b", now)


def test_names_with_markup_show_as_text(portal: Portal) -> None:
    with make_engine(portal.url).begin() as conn:
        conn.execute(text("UPDATE members SET name = :n WHERE id = 'tcl'"), {"n": SCRIPT})
        conn.execute(text("UPDATE licensees SET name = :n WHERE id = 'example-home'"), {"n": IMG})
    accounts.add_user(portal.url, '"><img src=x onerror=alert(3)>', "counsel", PASSWORD, by="t")
    pages = {
        "staff1": ["/", "/members/tcl/statement"],
        "home1": ["/"],
        "counsel1": ["/", "/licensees/example-home/license?program=igrs-v1"],
        '"><img src=x onerror=alert(3)>': ["/"],
    }
    for user, paths in pages.items():
        client = portal.signed_in(user)
        for path in paths:
            html = client.get(path).text
            assert "<script>alert" not in html, (user, path)
            assert "<img src=x" not in html, (user, path)
            assert "onerror=alert" not in html or "&lt;img" in html, (user, path)
    staff = portal.signed_in("staff1").get("/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in staff
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt; Ltd" in staff


def test_serve_refuses_to_listen_beyond_localhost_without_tls(portal: Portal) -> None:
    result = CliRunner().invoke(cli, ["--db", portal.url, "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--https" in result.output
    assert "--insecure-http" in result.output
