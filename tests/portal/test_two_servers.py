"""Two ``patentpool serve`` processes on two ports against one PostgreSQL register: a session
made on one is valid on the other, and two simultaneous uploads of the same report store it
once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
from live import free_port
from portal_setup import PASSWORD, Portal

from patentpool.services import commands

REPORT = (
    "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
    "example-home,2027Q3,DE,PL,tv,1000,500000.00\n"
    "example-home,2027Q3,FR,PL,tv,200,90000.00\n"
)

pytestmark = pytest.mark.postgres


@contextmanager
def serve(url: str) -> Iterator[str]:
    """``patentpool serve`` in a process of its own; yields its base URL."""
    port = free_port()
    env = {**os.environ, "PATENTPOOL_DATABASE_URL": url}
    # The server's messages go to a file, not a pipe: a pipe nobody reads fills up and stops
    # the server, and reading one from a server still running never returns.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [sys.executable, "-m", "patentpool", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # A worker reads the register and prices the latest quarter before it answers.
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError as exc:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    process.wait(timeout=15)
                    log.seek(0)
                    raise AssertionError(log.read().decode(errors="replace")) from exc
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


def _sign_in(client: httpx.Client) -> None:
    page = client.get("/login").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login", data={"username": "home1", "password": PASSWORD, "csrf_token": csrf}
    )
    assert response.status_code == 303


def test_a_session_made_on_one_server_is_valid_on_the_other(pg_portal: Portal) -> None:
    with serve(pg_portal.url) as first, serve(pg_portal.url) as second:
        with httpx.Client(base_url=first) as one:
            _sign_in(one)
            cookie = one.cookies.get("pp_session")
            assert cookie
        with httpx.Client(base_url=second, cookies={"pp_session": cookie}) as other:
            me = other.get("/api/v1/me")
            assert me.status_code == 200
            assert me.json()["name"] == "home1"
            assert "server" not in me.headers


def test_two_simultaneous_uploads_of_one_report_store_it_once(pg_portal: Portal) -> None:
    token = pg_portal.token("home1")
    headers = {"authorization": f"Bearer {token}"}

    def upload(base: str) -> httpx.Response:
        return httpx.post(
            f"{base}/api/v1/licensees/example-home/sales-reports",
            headers=headers,
            files={"file": ("sales-2027Q3.csv", REPORT.encode(), "text/csv")},
            timeout=60,
        )

    with (
        serve(pg_portal.url) as first,
        serve(pg_portal.url) as second,
        ThreadPoolExecutor(2) as pool,
    ):
        answers = list(pool.map(upload, [first, second]))
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert sorted(a.json()["changed"] for a in answers) == [False, True]
    stored = [
        r
        for r in commands.report_revisions(pg_portal.url, None, "example-home", None)
        if str(r.period) == "2027Q3"
    ]
    assert len(stored) == 1
    assert stored[0].lines == 2
