"""The portal's test users and helpers: one user of each role (and a second member and
licensee, whose resources the first must not reach), clients signed in as them, and the CSRF
tokens of its forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from patentpool.portal.app import create_app
from patentpool.services import accounts
from patentpool.services.portal import UploadLimits

PASSWORD = "correct horse battery"
#: user name -> (role, member, licensee)
USERS = {
    "staff1": ("staff", None, None),
    "lenovo1": ("member", "lenovo", None),
    "tcl1": ("member", "tcl", None),
    "home1": ("licensee", None, "example-home"),
    "codec1": ("licensee", None, "sample-codec"),
    "counsel1": ("counsel", None, None),
}
ROLE_USER = {"staff": "staff1", "member": "lenovo1", "licensee": "home1", "counsel": "counsel1"}


@dataclass
class Portal:
    url: str
    folder: Path

    def client(self, address: str = "testclient", **limits: int) -> TestClient:
        app = create_app(self.url, limits=UploadLimits(**limits) if limits else None)
        return TestClient(
            app, base_url="http://127.0.0.1", follow_redirects=False, client=(address, 50000)
        )

    def token(self, name: str) -> str:
        return accounts.issue_token(self.url, name, None, by="test")

    def signed_in(self, name: str, client: TestClient | None = None) -> TestClient:
        """A client with a session of ``name`` (logged in through the form)."""
        client = client or self.client()
        csrf = login_csrf(client)
        response = client.post(
            "/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf}
        )
        assert response.status_code == 303, response.text
        return client


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def page_csrf(client: TestClient, path: str = "/") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text
    return found.group(1)


def add_users(url: str) -> None:
    """Add the users of ``USERS`` (password ``PASSWORD``) to the register at ``url``."""
    for name, (role, member, licensee) in USERS.items():
        accounts.add_user(url, name, role, PASSWORD, member=member, licensee=licensee, by="test")


def demo_register(url: str, folder: Path) -> None:
    """The demo's register and licensing at ``url`` (a database with no schema yet)."""
    from patentpool.demo import DemoState, step_licensing, step_register
    from patentpool.resources import samples_dir

    state = DemoState(folder, url, samples_dir())
    step_register(state)
    step_licensing(state)
