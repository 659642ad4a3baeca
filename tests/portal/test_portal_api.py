"""The portal's API: the minimum contract of docs/portal.md, on the demo's register."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from portal_setup import PASSWORD, Portal, page_csrf

from patentpool.cli import cli
from patentpool.services import accounts, commands

GOOD = (
    "licensee,period,country_of_sale,country_of_manufacture,category,units,net_sales\n"
    "example-home,2027Q1,DE,PL,tv,1000,500000.00\n"
    "example-home,2027Q1,FR,PL,tv,200,90000.00\n"
)


def bearer(portal: Portal, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {portal.token(name)}"}


def test_me_with_a_token_and_with_a_session(portal: Portal) -> None:
    client = portal.client()
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").json() == {
        "detail": "sign in: a bearer token or a session is needed"
    }
    me = client.get("/api/v1/me", headers=bearer(portal, "home1")).json()
    assert me == {"name": "home1", "role": "licensee", "member": None, "licensee": "example-home"}
    session = portal.signed_in("lenovo1")
    assert session.get("/api/v1/me").json()["member"] == "lenovo"


def test_a_revoked_or_wrong_token_is_refused(portal: Portal) -> None:
    client = portal.client()
    token = portal.token("staff1")
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 200
    assert (
        client.get("/api/v1/me", headers={"authorization": f"Bearer {token}x"}).status_code == 401
    )
    assert accounts.revoke_tokens(portal.url, "staff1") == 1
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_a_disabled_user_loses_its_sessions_and_tokens(portal: Portal) -> None:
    session = portal.signed_in("tcl1")
    token = portal.token("tcl1")
    accounts.disable_user(portal.url, "tcl1", by="test")
    assert session.get("/api/v1/me").status_code == 401
    headers = {"authorization": f"Bearer {token}"}
    assert portal.client().get("/api/v1/me", headers=headers).status_code == 401


def test_the_statement_is_the_json_of_report_member(portal: Portal) -> None:
    client = portal.client()
    got = client.get("/api/v1/members/lenovo/statement", headers=bearer(portal, "lenovo1"))
    assert got.status_code == 200
    result = CliRunner().invoke(
        cli, ["--db", portal.url, "report", "member", "--member", "lenovo", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    expected = json.loads(result.stdout)
    assert got.json() == expected


def test_royalties_are_the_json_of_the_royalties_command(portal: Portal) -> None:
    client = portal.client()
    got = client.get(
        "/api/v1/licensees/example-home/royalties?program=igrs-v1&period=2026Q1",
        headers=bearer(portal, "home1"),
    )
    assert got.status_code == 200, got.text
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            portal.url,
            "royalties",
            "--program",
            "igrs-v1",
            "--period",
            "2026Q1",
            "--licensee",
            "example-home",
            "--format",
            "json",
        ],
    )
    assert got.json() == json.loads(result.stdout)
    assert [item["licensee"] for item in got.json()["licensees"]] == ["example-home"]


def test_patents_filtered_as_the_cli_filters_them(portal: Portal) -> None:
    got = portal.client().get(
        "/api/v1/patents?member=lenovo&in_force_on=2026-03-31", headers=bearer(portal, "codec1")
    )
    assert got.status_code == 200
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            portal.url,
            "patents",
            "list",
            "--member",
            "lenovo",
            "--as-of",
            "2026-03-31",
            "--format",
            "json",
        ],
    )
    assert got.json()["patents"] == json.loads(result.stdout)
    assert got.json()["illustrative"] is True


def test_an_upload_with_a_mistake_stores_nothing_and_names_the_line(portal: Portal) -> None:
    client = portal.client()
    before = commands.report_revisions(portal.url, None, "example-home", None)
    bad = GOOD.replace("FR,PL,tv,200", "FR,PL,tv,-5")
    got = client.post(
        "/api/v1/licensees/example-home/sales-reports",
        headers=bearer(portal, "home1"),
        files={"file": ("sales-2027Q1.csv", bad.encode(), "text/csv")},
    )
    assert got.status_code == 422, got.text
    problems = got.json()["problems"]
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [
        ("sales-2027Q1.csv", 3, "units")
    ]
    assert commands.report_revisions(portal.url, None, "example-home", None) == before


def test_an_upload_is_stored_once_and_in_the_history_with_its_user(portal: Portal) -> None:
    client = portal.client()
    headers = bearer(portal, "home1")
    files = {"file": ("sales-2027Q1.csv", GOOD.encode(), "text/csv")}
    got = client.post("/api/v1/licensees/example-home/sales-reports", headers=headers, files=files)
    assert got.status_code == 201, got.text
    assert got.json()["changed"] is True
    again = client.post(
        "/api/v1/licensees/example-home/sales-reports", headers=headers, files=files
    )
    assert again.status_code == 201
    assert again.json()["changed"] is False
    revisions = [
        r
        for r in commands.report_revisions(portal.url, None, "example-home", None)
        if str(r.period) == "2027Q1"
    ]
    assert len(revisions) == 1
    assert revisions[0].imported_by == "portal:home1"
    result = CliRunner().invoke(cli, ["--db", portal.url, "history", "--portal"])
    assert result.exit_code == 0, result.output
    assert "home1" in result.stdout
    assert "sales-2027Q1.csv for example-home" in result.stdout


def test_another_licensees_lines_are_refused_line_by_line(portal: Portal) -> None:
    mixed = GOOD + "sample-codec,2027Q1,US,US,tv,10,1000.00\n"
    got = portal.client().post(
        "/api/v1/licensees/example-home/sales-reports",
        headers=bearer(portal, "home1"),
        files={"file": ("mine.csv", mixed.encode(), "text/csv")},
    )
    assert got.status_code == 422
    assert [(p["line"], p["field"]) for p in got.json()["problems"]] == [(4, "licensee")]
    assert "'sample-codec' is not example-home" in got.json()["problems"][0]["message"]


def test_uploads_over_the_limits_are_413(portal: Portal) -> None:
    client = portal.client(max_bytes=100, max_lines=2)
    got = client.post(
        "/api/v1/licensees/example-home/sales-reports",
        headers=bearer(portal, "home1"),
        files={"file": ("big.csv", GOOD.encode(), "text/csv")},
    )
    assert got.status_code == 413
    assert "the most the portal takes is 100" in got.json()["detail"]
    lines = portal.client(max_lines=2).post(
        "/api/v1/licensees/example-home/sales-reports",
        headers=bearer(portal, "home1"),
        files={"file": ("big.csv", GOOD.encode(), "text/csv")},
    )
    assert lines.status_code == 413
    assert "lines" in lines.json()["detail"]


def test_staff_runs_a_distribution_and_it_is_in_the_history(portal: Portal) -> None:
    client = portal.client()
    got = client.post(
        "/api/v1/programs/igrs-v1/distributions",
        headers=bearer(portal, "staff1"),
        json={"period": "2026Q1", "policy": "proportional", "params": {}},
    )
    assert got.status_code == 201, got.text
    assert got.json()["program"] == "igrs-v1"
    assert got.json()["period"] == "2026Q1"
    total = sum(Decimal(m["amount"]) for m in got.json()["members"])
    assert total == Decimal(got.json()["distributable"])
    events = accounts.events(portal.url)
    assert any(e.username == "staff1" and e.action == "distribution" for e in events)


def test_a_session_post_needs_the_csrf_token(portal: Portal) -> None:
    client = portal.signed_in("staff1")
    body = {"period": "2026Q1"}
    assert client.post("/api/v1/programs/igrs-v1/distributions", json=body).status_code == 403
    csrf = page_csrf(client)
    got = client.post(
        "/api/v1/programs/igrs-v1/distributions", json=body, headers={"x-csrf-token": csrf}
    )
    assert got.status_code == 201
    # a form post without the token, and logging out without it
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_the_openapi_document_lists_the_api(portal: Portal) -> None:
    doc = portal.client().get("/openapi.json").json()
    for path in (
        "/api/v1/me",
        "/api/v1/patents",
        "/api/v1/members/{member}/statement",
        "/api/v1/licensees/{licensee}/royalties",
        "/api/v1/licensees/{licensee}/sales-reports",
        "/api/v1/programs/{program}/royalties",
        "/api/v1/programs/{program}/distributions",
    ):
        assert path in doc["paths"], path
    assert "/login" not in doc["paths"]


def test_passwords_are_argon2id_and_rehashed_at_login(portal: Portal) -> None:
    from argon2 import PasswordHasher

    from patentpool.storage import accounts as stored
    from patentpool.storage.engine import session_for

    with session_for(portal.url) as session:
        user = stored.user_named(session, "counsel1")
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        weak = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
        stored.set_password_hash(session, user.id, weak)
    portal.signed_in("counsel1")
    with session_for(portal.url) as session:
        user = stored.user_named(session, "counsel1")
        assert user is not None
        assert user.password_hash != weak
        assert not PasswordHasher().check_needs_rehash(user.password_hash)


def test_an_upload_in_a_currency_without_a_rate_for_the_quarter_is_refused(
    portal: Portal,
) -> None:
    header, *lines = GOOD.splitlines()
    yuan = "\n".join([f"{header},currency", *(f"{ln},CNY" for ln in lines)]) + "\n"
    got = portal.client().post(
        "/api/v1/licensees/example-home/sales-reports",
        headers=bearer(portal, "home1"),
        files={"file": ("sales-2027Q1.csv", yuan.encode(), "text/csv")},
    )
    assert got.status_code == 422, got.text
    (problem,) = got.json()["problems"]
    assert (problem["line"], problem["field"]) == (2, "currency")
    assert problem["message"].startswith(
        "no CNY rate for 2027Q1 (quarter_end: on or before 2027-03-31, within the quarter)"
    )


def _workbook(rows: str) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sales"
    for line in rows.splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_workbook_upload_is_imported_and_its_problems_named_by_cell(portal: Portal) -> None:
    client = portal.client()
    headers = bearer(portal, "home1")
    url = "/api/v1/licensees/example-home/sales-reports"
    before = commands.report_revisions(portal.url, None, "example-home", None)
    bad = GOOD.replace("example-home,2027Q1,DE", "example-shop,2027Q1,DE")
    got = client.post(url, headers=headers, files={"file": ("q1.xlsx", _workbook(bad), XLSX)})
    assert got.status_code == 422, got.text
    problems = got.json()["problems"]
    assert [(p["file"], p.get("place"), p["field"]) for p in problems] == [
        ("q1.xlsx", "Sales!A2", "licensee")
    ]
    fixed = GOOD.replace("FR,PL,tv,200", "FR,PL,tv,-5")
    got = client.post(url, headers=headers, files={"file": ("q1.xlsx", _workbook(fixed), XLSX)})
    assert got.status_code == 422, got.text
    assert [(p["file"], p["place"], p["field"]) for p in got.json()["problems"]] == [
        ("q1.xlsx", "Sales!F3", "units")
    ]
    assert commands.report_revisions(portal.url, None, "example-home", None) == before
    got = client.post(url, headers=headers, files={"file": ("q1.xlsx", _workbook(GOOD), XLSX)})
    assert got.status_code == 201, got.text
    assert got.json()["file"] == "q1.xlsx"
    assert got.json()["changed"] is True
    assert commands.report_revisions(portal.url, None, "example-home", None) != before


def _without_dimension(book: bytes) -> bytes:
    """The workbook with its sheet's ``<dimension>`` taken out, so its rows must be counted."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("shape", ["with its dimension", "without it"])
def test_a_workbook_over_the_line_limit_is_413_and_nothing_stored(
    portal: Portal, shape: str
) -> None:
    book = _workbook(GOOD)
    if shape == "without it":
        book = _without_dimension(book)
        assert b"<dimension" not in book
    lines = len(GOOD.strip().splitlines()) - 1
    url = "/api/v1/licensees/example-home/sales-reports"
    before = commands.report_revisions(portal.url, None, "example-home", None)
    got = portal.client(max_lines=lines - 1).post(
        url, headers=bearer(portal, "home1"), files={"file": ("q1.xlsx", book, XLSX)}
    )
    assert got.status_code == 413, got.text
    assert got.json()["detail"] == (
        f"the upload's sales sheets hold more than {lines - 1:,} lines; "
        f"the most the portal takes is {lines - 1:,}"
    )
    assert commands.report_revisions(portal.url, None, "example-home", None) == before
    got = portal.client(max_lines=lines).post(
        url, headers=bearer(portal, "home1"), files={"file": ("q1.xlsx", book, XLSX)}
    )
    assert got.status_code == 201, got.text
